"""Writing a build's persistent store: whole, or as the previous build's store plus a delta.

Bulk-loading a new RocksDB store is the largest single cost of a build at national scale
(about 9 s CPU for 815,000 quads at 356 municipalities, most of it in pyoxigraph's loader
threads), and a build after editing one file changes a few thousand of those quads. When the
build folder holds a previous build whose store and TriG file are intact, the new store is
made from it instead: a RocksDB checkpoint of the old store (its immutable table files linked,
not copied; the old build is left untouched), the quads the old build has and the new one has
not removed, the new ones added. The old quads are read from the old build's TriG file, which
is used only when its SHA-256 is the one its manifest records, and the old store only when it
holds the number of quads its manifest records (as every reader checks it). The result is
checked to hold exactly as many quads as the new build; anything unexpected (a damaged or
foreign previous build, a delta larger than a fifth of the build) falls back to writing the
store whole. ``tests/test_store_delta.py`` checks both give the same store.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.folder import MANIFEST, STORE, read_manifest
from plangraf.rdf import bridge as oxbridge

# Above this share of the new build's quads changed, a whole write is cheaper than the delta.
_MAX_DELTA_SHARE = 0.2


def write_store(folder: Path, quads: list[ox.Quad], previous: Path | None) -> str:
    """Write ``quads`` as the store at ``folder``: from the build in ``previous`` (a build
    folder) when it can be used, else whole. Returns ``"delta"`` or ``"whole"``."""
    if previous is not None:
        try:
            if _write_from_previous(folder, quads, previous):
                return "delta"
        except (OSError, ValueError, RuntimeError, SyntaxError):  # pyoxigraph's errors for a bad store or file
            pass
        shutil.rmtree(folder, ignore_errors=True)
    oxbridge.write_store(folder, quads)
    return "whole"


def _write_from_previous(folder: Path, quads: list[ox.Quad], previous: Path) -> bool:
    manifest = read_manifest(previous)
    if manifest is None or not (previous / MANIFEST).is_file():
        return False
    trig = (previous / "plangraf.trig").read_bytes()
    if hashlib.sha256(trig).hexdigest() != manifest.get("trig", {}).get("sha256"):
        return False
    old = set(ox.parse(trig, format=ox.RdfFormat.TRIG))
    del trig
    new = set(quads)
    removed, added = old - new, new - old
    if len(removed) + len(added) > _MAX_DELTA_SHARE * max(len(new), 1):
        return False
    source = oxbridge.open_store(previous / STORE)
    if len(source) != manifest.get("store", {}).get("quads") or len(source) != len(old):
        return False
    source.backup(str(folder))
    del source
    store = ox.Store(str(folder))
    for quad in removed:
        store.remove(quad)
    store.extend(added)
    store.flush()
    written = len(store)
    del store  # the last reference: the store is closed and its lock released here
    if written != len(new):
        raise ValueError(f"the store holds {written} quads after the delta, not {len(new)}")
    return True
