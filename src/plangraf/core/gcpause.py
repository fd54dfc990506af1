"""Python's cyclic garbage collector paused while a build makes its graphs.

A build allocates millions of long-lived objects (rdflib terms, tuples, index dictionaries),
and every full collection of the cyclic collector walks all of them; at 356 municipalities it
took about a third of the load, the inference and the writing of the build (``bench/run.py``
and ``docs/performance.md``). The build makes almost no reference cycles, so reference
counting frees what it drops; the collector is turned back on at the end of the span.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the span, then as it was (nested spans are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
