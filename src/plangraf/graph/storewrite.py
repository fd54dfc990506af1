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

Beside the store, the build folder gets the record of what changed since the builds before it
(:mod:`plangraf.graph.changes`), which incremental validation reads.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.changes import write_record
from plangraf.graph.folder import MANIFEST, STORE, read_manifest
from plangraf.rdf import bridge as oxbridge

# Above this share of the new build's quads changed, a whole write is cheaper than the delta.
_MAX_DELTA_SHARE = 0.2


def write_store(folder: Path, quads: list[ox.Quad], previous: Path | None) -> str:
    """Write ``quads`` as the store at ``folder``: from the build in ``previous`` (a build
    folder) when it can be used, else whole. Returns ``"delta"`` or ``"whole"``."""
    if previous is not None:
        try:
            delta = _write_from_previous(folder, quads, previous)
        except (OSError, ValueError, RuntimeError, SyntaxError):  # pyoxigraph's errors for a bad store or file
            delta = None
        if delta is not None:
            new, removed, added, trig = delta
            write_record(folder.parent, new, previous=previous, previous_trig=trig, removed=removed, added=added)
            return "delta"
        shutil.rmtree(folder, ignore_errors=True)
    oxbridge.write_store(folder, quads)
    write_record(folder.parent, quads)
    return "whole"


Delta = tuple[set[ox.Quad], set[ox.Quad], set[ox.Quad], str]


def _write_from_previous(folder: Path, quads: list[ox.Quad], previous: Path) -> Delta | None:
    """The new build's quads, the quads removed and added, and the previous build's TriG's
    SHA-256, once the store is written from the previous one; ``None`` if it cannot be."""
    manifest = read_manifest(previous)
    if manifest is None or not (previous / MANIFEST).is_file():
        return None
    trig = (previous / "plangraf.trig").read_bytes()
    sha256 = hashlib.sha256(trig).hexdigest()
    if sha256 != manifest.get("trig", {}).get("sha256"):
        return None
    old = set(ox.parse(trig, format=ox.RdfFormat.TRIG))
    del trig
    new = set(quads)
    removed, added = old - new, new - old
    if len(removed) + len(added) > _MAX_DELTA_SHARE * max(len(new), 1):
        return None
    source = oxbridge.open_store(previous / STORE)
    if len(source) != manifest.get("store", {}).get("quads") or len(source) != len(old):
        return None
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
    return new, removed, added, sha256
