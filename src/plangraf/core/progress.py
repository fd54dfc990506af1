"""Progress on standard error for long runs (build, validate, synth, bench), drawn by tqdm.

Shown only when standard error is a terminal and ``CI`` is not set, so pipes, logs and CI
stay quiet; ``PLANGRAF_PROGRESS=0`` turns it off, ``=1`` on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def enabled() -> bool:
    forced = os.environ.get("PLANGRAF_PROGRESS")
    if forced in ("0", "1"):
        return forced == "1"
    return not os.environ.get("CI") and sys.stderr.isatty()


def each(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """``items``, with a progress bar while they are consumed."""
    if not enabled():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=description, total=total, file=sys.stderr, leave=False, dynamic_ncols=True)


@contextmanager
def steps(description: str, names: list[str]) -> Iterator[Any]:
    """A bar over named steps: call ``advance(name)`` as each one starts."""
    if not enabled():
        yield lambda _name: None
        return
    from tqdm import tqdm

    bar = tqdm(total=len(names), desc=description, file=sys.stderr, leave=False, dynamic_ncols=True)

    def advance(name: str) -> None:
        if bar.n or bar.postfix:
            bar.update(1)
        bar.set_postfix_str(name)

    try:
        yield advance
        bar.update(bar.total - bar.n)
    finally:
        bar.close()
