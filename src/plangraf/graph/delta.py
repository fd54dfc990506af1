"""What changed between the previous build and this one, on ids (issue 21).

The previous build's rows (:class:`plangraf.graph.saved.Saved`) use the previous process's
ids. Each of its terms is matched to this build's term with the same N-Triples form (two
pyoxigraph terms are equal exactly when their N-Triples forms are); a term this build does not
have gets an id past this build's table, so a row holding it can equal no row of this build.
With the previous rows in this build's ids, each graph's removed and added rows are two set
differences of integer tuples: no quad is parsed, hashed or made for the rows both builds
hold. :mod:`plangraf.graph.storewrite` applies the difference to a checkpoint of the previous
store and :mod:`plangraf.graph.exports` reuses the previous Turtle text of each subject the
difference does not touch.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from itertools import compress, count, islice
from operator import ne

import pyoxigraph as ox

from plangraf.graph.saved import Encoded, Saved
from plangraf.rdf.termids import IdTriple


@dataclass
class GraphDelta:
    """One named graph's difference, in this build's ids (previous-only terms past its table)."""

    name: str
    removed: set[IdTriple]
    added: set[IdTriple]
    # subjects whose rows differ, as sequences (a superset of the subjects of removed and added)
    changed: set[int]
    # the previous rows' subjects in the order they were written, once each (the blocks of
    # the previous Turtle export, when its rows were sorted); empty when they were not
    old_subjects: list[int]


@dataclass
class Delta:
    """The difference of every named graph, and how the previous build's ids relate to this
    build's."""

    graphs: list[GraphDelta]
    texts: list[str]  # N-Triples form of each id: this build's terms, then the previous-only ones
    ordered: bool  # both builds' rows were written sorted

    @property
    def size(self) -> int:
        return sum(len(g.removed) + len(g.added) for g in self.graphs)

    def removed_quads(self) -> list[ox.Quad]:
        """The removed rows as quads, made from their terms' text (a previous-only term has no
        pyoxigraph term here)."""
        texts = self.texts
        lines = [
            f"{texts[s]} {texts[p]} {texts[o]} <{g.name}> .\n" for g in self.graphs for s, p, o in sorted(g.removed)
        ]
        return list(ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))

    def added_quads(self, encoded: Encoded) -> list[ox.Quad]:
        terms = encoded.terms
        return [ox.Quad(terms[s], terms[p], terms[o], ox.NamedNode(g.name)) for g in self.graphs for s, p, o in g.added]


def delta_of(previous: Saved, encoded: Encoded, texts: list[str], flats: list[array[int]]) -> Delta | None:
    """The difference from ``previous`` to ``encoded`` (``texts``: its terms' N-Triples forms;
    ``flats``: its graphs' rows as :meth:`plangraf.graph.saved.Encoded.flat`), or ``None``
    when their named graphs are not the same."""
    if [name for name, _ in previous.graphs] != [name for name, _ in encoded.graphs]:
        return None
    mapping, extra = _mapping(previous.terms, texts)
    ordered = previous.ordered and encoded.ordered
    graphs = []
    for (name, flat), new in zip(previous.graphs, flats, strict=True):
        mapped = flat if mapping is None else array("i", map(mapping.__getitem__, flat))
        graphs.append(_by_subject(name, mapped, new) if ordered else _by_rows(name, mapped, new))
    return Delta(graphs, texts + extra, ordered)


def _mapping(terms: list[str], texts: list[str]) -> tuple[array[int] | None, list[str]]:
    """Each previous id's id in this build (the terms past this build's table: ``extra``), or
    ``None`` when every previous term has the same id here: the term tables of two builds of
    the same inputs are the same, and an edit that brings no new term before the last previous
    one keeps them, so the previous rows are this build's ids as they are."""
    if len(terms) <= len(texts) and terms == texts[: len(terms)]:
        return None, []
    index = {text: i for i, text in enumerate(texts)}
    size = len(texts)
    mapping = array("i", [index.get(text, -1) for text in terms])
    extra: list[str] = []
    for i, found in enumerate(mapping):
        if found < 0:
            mapping[i] = size + len(extra)
            extra.append(terms[i])
    return mapping, extra


def _by_rows(name: str, old: array[int], new: array[int]) -> GraphDelta:
    """Two set differences of all rows."""
    before = set(_rows(old))
    after = set(_rows(new))
    removed, added = before - after, after - before
    return GraphDelta(name, removed, added, {t[0] for t in removed} | {t[0] for t in added}, [])


def _by_subject(name: str, old: array[int], new: array[int]) -> GraphDelta:
    """Rows sorted in both builds: each subject's rows are one run, compared as bytes; only the
    runs that differ are compared row by row. The rows both builds start and end with, in the
    same order, are set aside first: a subject's rows there are the same in both, so its run
    differs exactly when its rows between them do, and those rows' set differences are its
    run's (the rows are sorted and distinct, so a row between them is in neither end)."""
    head, tail = _common_ends(old.tobytes(), new.tobytes(), 3 * old.itemsize)
    before, after = _runs(old[3 * head : len(old) - 3 * tail]), _runs(new[3 * head : len(new) - 3 * tail])
    changed = {s for s, run in before.items() if after.get(s) != run}
    changed.update(after.keys() - before.keys())
    removed: set[IdTriple] = set()
    added: set[IdTriple] = set()
    for s in changed:
        rows_before = set(_rows(_array(before.get(s, b""))))
        rows_after = set(_rows(_array(after.get(s, b""))))
        removed |= rows_before - rows_after
        added |= rows_after - rows_before
    return GraphDelta(name, removed, added, changed, list(dict.fromkeys(old[0::3])))


def _common_ends(a: bytes, b: bytes, width: int) -> tuple[int, int]:
    """How many rows (of ``width`` bytes) ``a`` and ``b`` start with in common, and how many of
    the rest they end with in common: binary searches comparing slices, each step only the part
    not yet known to be equal."""
    rows = min(len(a), len(b)) // width
    head, top = 0, rows
    while head < top:  # a[: head] == b[: head]
        mid = (head + top + 1) // 2
        if a[head * width : mid * width] == b[head * width : mid * width]:
            head = mid
        else:
            top = mid - 1
    tail, top = 0, rows - head
    end_a, end_b = len(a), len(b)
    while tail < top:  # the last ``tail`` rows are equal
        mid = (tail + top + 1) // 2
        if a[end_a - mid * width : end_a - tail * width] == b[end_b - mid * width : end_b - tail * width]:
            tail = mid
        else:
            top = mid - 1
    return head, tail


def _runs(flat: array[int]) -> dict[int, bytes]:
    """Each subject's rows as the bytes of its run, in the order of the runs (one per subject
    when the rows are sorted)."""
    subjects = flat[0::3]
    if not subjects:
        return {}
    cuts = [0, *compress(count(1), map(ne, subjects, islice(subjects, 1, None))), len(subjects)]
    data = flat.tobytes()
    width = 3 * flat.itemsize
    return {subjects[a]: data[a * width : b * width] for a, b in zip(cuts, cuts[1:], strict=False)}


def _array(data: bytes) -> array[int]:
    flat = array("i")
    flat.frombytes(data)
    return flat


def _rows(flat: array[int]) -> zip[IdTriple]:
    return zip(flat[0::3], flat[1::3], flat[2::3], strict=True)
