"""The build's text exports: ``plangraf.ttl`` (asserted), ``inferred.ttl`` and ``plangraf.trig``
(both graphs), byte for byte what pyoxigraph's serialisers write for the build's rows, made
with less work (issue 21).

- **The TriG from the two Turtle texts.** pyoxigraph writes a named graph in TriG as its Turtle
  body inside ``<graph> {`` … ``}``, every line indented by one tab (a line break inside a
  term is always escaped, so every line of the body is a line of the text). The TriG is made
  from the Turtle texts instead of serialising every quad a second time.
- **Unchanged subjects from the previous build.** A graph's rows are written sorted by ids, so
  its Turtle body is one block per subject, in subject order, each block depending only on
  that subject's rows (in their order) and the prefixes. When the previous build's rows were
  sorted too and its Turtle file is the one its saved rows record (SHA-256), a subject whose
  rows are the same sequence of terms in both builds (:attr:`plangraf.graph.delta.GraphDelta.changed`
  holds the others) has the same block: the previous block is copied, and only the changed
  subjects' rows are serialised and merged in by subject id. The previous blocks kept must be
  in increasing order of this build's ids (ids are given in the order terms are first met,
  which an edit can shift); a graph with no changed subject, in that order, is the previous
  text as it is (the same rows in the same order); anything else (that order broken, the previous text not splitting
  into one block per subject, a header of other prefixes) writes the graph whole.

``tests/test_store_delta.py`` checks the exports after random edits equal pyoxigraph's
serialisation of the build's quads, byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.delta import Delta, GraphDelta
from plangraf.graph.saved import Encoded, Saved
from plangraf.rdf.termids import IdTriple, OxTerm

TURTLE_FILES = ("plangraf.ttl", "inferred.ttl")  # graph by graph, in the build's graph order
TRIG = "plangraf.trig"
_BLOCK_START = re.compile(rb"\n(?=[^\t])")  # a line that does not continue a subject's block


def write_exports(
    encoded: Encoded,
    prefixes: dict[str, str],
    previous: tuple[Path, Saved, Delta] | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """The Turtle file of each graph and the TriG of all, reusing the previous build's Turtle
    text where the module says it can (``previous``: its folder, saved rows and the delta);
    and the names of the Turtle files made from the previous build's."""
    header = _header(prefixes)
    texts: dict[str, bytes] = {}
    reused_names = []
    for index, name in enumerate(TURTLE_FILES):
        rows = encoded.graphs[index][1]
        reused = _reused(encoded, index, header, prefixes, previous) if previous is not None else None
        if reused is not None:
            reused_names.append(name)
        texts[name] = reused if reused is not None else _turtle(encoded.terms, rows, prefixes)
    texts[TRIG] = _trig(encoded, [texts[name] for name in TURTLE_FILES], header, prefixes)
    return texts, reused_names


def _turtle(terms: list[OxTerm], rows: list[IdTriple], prefixes: dict[str, str]) -> bytes:
    triples = (ox.Triple(terms[s], terms[p], terms[o]) for s, p, o in rows)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def _header(prefixes: dict[str, str]) -> bytes:
    """The prefix lines pyoxigraph starts a non-empty Turtle text with."""
    probe = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return text[: text.index(b"<urn:x:s>")]


def _trig(encoded: Encoded, turtles: list[bytes], header: bytes, prefixes: dict[str, str]) -> bytes:
    """The TriG of the graphs whose Turtle texts are ``turtles`` (see the module)."""
    parts = []
    for (name, _rows), turtle in zip(encoded.graphs, turtles, strict=True):
        if not turtle:  # an empty graph is not written
            continue
        if not turtle.startswith(header):
            return _trig_whole(encoded, prefixes)
        # the body without its last line break, each line indented: one copy of the text
        parts += [_graph_line(name, prefixes), b"\t", turtle[len(header) : -1].replace(b"\n", b"\n\t"), b"\n}\n"]
    return b"".join([header, *parts]) if parts else b""


def _trig_whole(encoded: Encoded, prefixes: dict[str, str]) -> bytes:
    quads = [quad for index in range(len(encoded.graphs)) for quad in encoded.quads(index)]
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""


def _graph_line(name: str, prefixes: dict[str, str]) -> bytes:
    """The line pyoxigraph opens a named graph's block with in TriG."""
    probe = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), ox.NamedNode(name))
    text = ox.serialize([probe], format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
    end = text.index(b"\t<urn:x:s>")
    return text[text.rindex(b"\n", 0, end - 1) + 1 : end]


def _reused(
    encoded: Encoded, index: int, header: bytes, prefixes: dict[str, str], previous: tuple[Path, Saved, Delta]
) -> bytes | None:
    """Graph ``index``'s Turtle text from the previous build's (see the module), or ``None``."""
    folder, saved, delta = previous
    name = TURTLE_FILES[index]
    if not delta.ordered:
        return None
    try:
        old = (folder / name).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(old).hexdigest() != saved.exports.get(name) or not old.startswith(header):
        return None
    graph = delta.graphs[index]
    if not graph.changed and all(a < b for a, b in zip(graph.old_subjects, graph.old_subjects[1:], strict=False)):
        # every subject's rows the same sequence, the subjects in this build's order: the same
        # rows in the same order, whose text is the previous build's (its SHA-256 checked above)
        return old
    old_blocks = _blocks(old[len(header) :])
    if len(old_blocks) != len(graph.old_subjects):
        return None
    rows = encoded.graphs[index][1]
    fresh = _fresh_blocks(encoded.terms, rows, sorted(graph.changed), header, prefixes)
    if fresh is None:
        return None
    return _merged(graph, old_blocks, fresh, header)


def _blocks(body: bytes) -> list[bytes]:
    if not body:
        return []
    starts = [0, *(m.end() for m in _BLOCK_START.finditer(body)), len(body)]
    return [body[a:b] for a, b in zip(starts, starts[1:], strict=False)]


def _fresh_blocks(
    terms: list[OxTerm], rows: list[IdTriple], changed: list[int], header: bytes, prefixes: dict[str, str]
) -> dict[int, bytes] | None:
    """The blocks of the changed subjects that still have rows, by subject."""
    spans = []
    for s in changed:
        start = bisect_left(rows, (s,))
        end = bisect_left(rows, (s + 1,), start)
        if end > start:
            spans.append((s, start, end))
    text = _turtle(terms, [row for _s, a, b in spans for row in rows[a:b]], prefixes)
    if spans and not text.startswith(header):
        return None
    blocks = _blocks(text[len(header) :]) if spans else []
    if len(blocks) != len(spans):
        return None
    return {s: block for (s, _a, _b), block in zip(spans, blocks, strict=True)}


def _merged(graph: GraphDelta, old_blocks: list[bytes], fresh: dict[int, bytes], header: bytes) -> bytes | None:
    """The previous blocks of unchanged subjects and the fresh blocks, in subject order; ``None``
    if the previous blocks are not in this build's order."""
    skip = graph.changed
    kept = [(s, block) for s, block in zip(graph.old_subjects, old_blocks, strict=True) if s not in skip]
    if not all(a[0] < b[0] for a, b in zip(kept, kept[1:], strict=False)):
        return None
    parts = [header]
    new = sorted(fresh.items())
    j = 0
    for s, block in kept:
        while j < len(new) and new[j][0] < s:
            parts.append(new[j][1])
            j += 1
        parts.append(block)
    parts.extend(block for _s, block in new[j:])
    if len(parts) == 1:
        return b""
    return b"".join(parts)
