"""Input size limits, so a huge or hostile file fails fast with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PlangrafError

DEFAULT_MAX_INPUT_MB = 64.0


def max_input_bytes() -> int:
    """The largest input file plangraf reads: ``$PLANGRAF_MAX_INPUT_MB`` (default 64 MB)."""
    raw = os.environ.get("PLANGRAF_MAX_INPUT_MB", "")
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_INPUT_MB
    except ValueError:
        raise PlangrafError(f"PLANGRAF_MAX_INPUT_MB must be a number, not {raw!r}", field="environment") from None
    return int(megabytes * 1024 * 1024)


def check_size(path: Path) -> None:
    """Refuse a file larger than the input limit before reading it."""
    size = Path(path).stat().st_size
    limit = max_input_bytes()
    if size > limit:
        raise PlangrafError(
            f"file is {size / 1048576:.1f} MB, over the input limit of {limit / 1048576:.1f} MB "
            "(raise it with PLANGRAF_MAX_INPUT_MB)",
            file=str(path),
        )
