"""Input size limits, so a huge or hostile file fails fast with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

from plangraf.core.errors import PlangrafError

DEFAULT_MAX_INPUT_MB = 64.0


def limit_bytes(variable: str, default_mb: float) -> int:
    """A size limit in bytes from the environment variable ``variable`` (megabytes), or the default."""
    raw = os.environ.get(variable, "")
    try:
        megabytes = float(raw) if raw else default_mb
    except ValueError:
        raise PlangrafError(f"{variable} must be a number, not {raw!r}", field="environment") from None
    return int(megabytes * 1024 * 1024)


def max_input_bytes() -> int:
    """The largest input file plangraf reads: ``$PLANGRAF_MAX_INPUT_MB`` (default 64 MB)."""
    return limit_bytes("PLANGRAF_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB)


def _megabytes(size: int) -> str:
    """Bytes as megabytes: one decimal from 1 MB (64.0 MB), two significant digits below it
    (0.001 MB), where a fixed number of decimals would print a small limit as 0.0 MB."""
    megabytes = size / 1048576
    return f"{megabytes:.1f} MB" if megabytes >= 1 else f"{megabytes:.2g} MB"


def check_size(
    path: Path,
    *,
    variable: str = "PLANGRAF_MAX_INPUT_MB",
    default_mb: float = DEFAULT_MAX_INPUT_MB,
    what: str = "input",
) -> None:
    """Refuse a file larger than a size limit (by default the input limit) before reading it."""
    size = Path(path).stat().st_size
    limit = limit_bytes(variable, default_mb)
    if size > limit:
        raise PlangrafError(
            f"file is {_megabytes(size)}, over the {what} limit of {_megabytes(limit)} (raise it with {variable})",
            file=str(path),
        )
