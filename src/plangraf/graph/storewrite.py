"""Writing a build's persistent store: whole, or as the previous build's store plus a delta.

Bulk-loading a new RocksDB store is the largest single cost of a build at national scale
(about 9 s CPU for 815,000 quads at 356 municipalities, most of it in pyoxigraph's loader
threads), and a build after editing one file changes a few thousand of those quads. When the
build folder holds a previous build whose store and saved rows (:mod:`plangraf.graph.saved`)
are intact, the new store is made from it instead: a RocksDB checkpoint of the old store (its
immutable table files linked, not copied; the old build is left untouched, so a build killed
midway leaves it byte for byte), the quads the old build has and the new one has not removed,
the new ones added (:mod:`plangraf.graph.delta`: found on ids, so only the changed quads are
ever made). The saved rows are used only when their file's SHA-256 is the one the previous
manifest records, and the old store only when it holds the number of quads that manifest
records and the saved rows hold (as every reader checks it). The result is checked to hold
exactly as many quads as the new build; anything unexpected (a damaged or foreign previous
build, a delta larger than a fifth of the build) falls back to writing the store whole.
``tests/test_store_delta.py`` checks both give the same store.

Beside the store, the build folder gets the record of what changed since the builds before it
(:mod:`plangraf.graph.changes`), which incremental validation reads.
"""

from __future__ import annotations

import shutil
from array import array
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.changes import write_record
from plangraf.graph.delta import Delta, delta_of
from plangraf.graph.folder import MANIFEST, STORE, read_manifest
from plangraf.graph.saved import Encoded, Saved, read_saved
from plangraf.rdf import bridge as oxbridge

# Above this share of the new build's quads changed, a whole write is cheaper than the delta.
_MAX_DELTA_SHARE = 0.2


@dataclass
class Previous:
    """The previous build a new one is written from: its folder, the quads its manifest says its
    store holds, its saved rows and the delta from them to the new build."""

    folder: Path
    quads: int
    saved: Saved
    delta: Delta


def previous_build(folder: Path | None, encoded: Encoded, texts: list[str], flats: list[array[int]]) -> Previous | None:
    """The build in ``folder`` as the base of ``encoded`` (``texts``: its terms' N-Triples forms;
    ``flats``: its rows as :meth:`Encoded.flat`), or ``None`` when it has no intact saved rows
    (see the module)."""
    if folder is None or not (folder / MANIFEST).is_file():
        return None
    manifest = read_manifest(folder)
    saved = read_saved(folder, manifest) if manifest is not None else None
    if manifest is None or saved is None:
        return None
    quads = manifest.get("store", {}).get("quads")
    if not isinstance(quads, int) or quads != sum(len(flat) // 3 for _name, flat in saved.graphs):
        return None
    delta = delta_of(saved, encoded, texts, flats)
    return Previous(folder, quads, saved, delta) if delta is not None else None


def write_store(folder: Path, encoded: Encoded, previous: Previous | None) -> str:
    """Write the build (``encoded``) as the store at ``folder``: from ``previous`` when it can be
    used, else whole, and the record of what changed beside it.
    Returns ``"delta"`` or ``"whole"``."""
    if previous is not None:
        try:
            delta = _write_from_previous(folder, encoded, previous)
        except (OSError, ValueError, RuntimeError, SyntaxError):  # pyoxigraph's errors for a bad store or file
            delta = None
        if delta is not None:
            removed, added = delta
            manifest = read_manifest(previous.folder) or {}
            write_record(
                folder.parent,
                BuildQuads(encoded),
                previous=previous.folder,
                previous_trig=manifest.get("trig", {}).get("sha256"),
                removed=removed,
                added=added,
            )
            return "delta"
        shutil.rmtree(folder, ignore_errors=True)
    # the quads made one by one from the ids as the loader takes them, never all held at once
    # (at 1,000 municipalities a list of them is most of a build's peak memory)
    everything = BuildQuads(encoded)
    oxbridge.write_store(folder, everything)
    write_record(folder.parent, _WithLiteralsOnly(everything))
    return "whole"


class BuildQuads(Collection[ox.Quad]):
    """Whether the build holds a quad, answered on its ids (what
    :func:`plangraf.graph.changes.write_record` asks of the whole build after a delta, without
    making all its quads)."""

    def __init__(self, encoded: Encoded) -> None:
        self._encoded = encoded
        self._names = {name: n for n, (name, _rows) in enumerate(encoded.graphs)}
        self._ids: dict[object, int] | None = None  # made at the first membership question, not to iterate
        self._rows: dict[int, set[tuple[int, int, int]]] = {}
        self._literals: set[int] | None = None

    def __len__(self) -> int:
        return sum(len(rows) for _name, rows in self._encoded.graphs)

    def __iter__(self) -> Iterator[ox.Quad]:
        for index in range(len(self._encoded.graphs)):
            yield from self._encoded.quads(index)

    def __contains__(self, quad: object) -> bool:
        if not isinstance(quad, ox.Quad) or not isinstance(quad.graph_name, ox.NamedNode):
            return False
        if self._ids is None:
            self._ids = {term: n for n, term in enumerate(self._encoded.terms)}
        graph = self._names.get(quad.graph_name.value)
        row = (self._ids.get(quad.subject), self._ids.get(quad.predicate), self._ids.get(quad.object))
        if graph is None or None in row:
            return False
        literals = self._literal_ids()
        if row[2] not in literals:
            return row in self._encoded.graphs[graph][1]
        if graph not in self._rows:  # only rows with a literal object: what write_record asks about
            self._rows[graph] = {r for r in self._encoded.graphs[graph][1] if r[2] in literals}
        return row in self._rows[graph]

    def _literal_ids(self) -> set[int]:
        if self._literals is None:
            self._literals = {n for n, term in enumerate(self._encoded.terms) if type(term) is ox.Literal}
        return self._literals

    def with_literal_objects(self) -> Iterator[ox.Quad]:
        """Only the quads whose object is a literal, made from the rows that hold one."""
        literals, terms = self._literal_ids(), self._encoded.terms
        for name, rows in self._encoded.graphs:
            graph = ox.NamedNode(name)
            yield from (ox.Quad(terms[s], terms[p], terms[o], graph) for s, p, o in rows if o in literals)


class _WithLiteralsOnly(Collection[ox.Quad]):
    """The build's quads as the change record of a cold build reads them: it looks only at
    quads with a literal object when it iterates (how the store respells literals), and asks
    the whole build whether it holds a quad. Iterating the build's 825,000 quads (at 356
    municipalities) a second time after the store's bulk load cost about 2.5 s CPU."""

    def __init__(self, build: BuildQuads) -> None:
        self._build = build

    def __len__(self) -> int:
        return len(self._build)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self._build.with_literal_objects()

    def __contains__(self, quad: object) -> bool:
        return quad in self._build


_Applied = tuple[set[ox.Quad], set[ox.Quad]]  # the quads removed and added


def _write_from_previous(folder: Path, encoded: Encoded, previous: Previous) -> _Applied | None:
    expected = sum(len(rows) for _name, rows in encoded.graphs)
    delta = previous.delta
    if delta.size > _MAX_DELTA_SHARE * max(expected, 1):
        return None
    source = oxbridge.open_store(previous.folder / STORE)
    if len(source) != previous.quads:
        return None
    source.backup(str(folder))
    del source
    removed, added = delta.removed_quads(), delta.added_quads(encoded)
    store = ox.Store(str(folder))
    for quad in removed:
        store.remove(quad)
    store.extend(added)
    store.flush()
    written = len(store)
    del store  # the last reference: the store is closed and its lock released here
    if written != expected:
        raise ValueError(f"the store holds {written} quads after the delta, not {expected}")
    return set(removed), set(added)
