"""A build's triples as ids, written beside its store, so the next build finds what changed
without parsing the previous build's files (issue 21).

:class:`Encoded` is a build's triples as rows of integer ids into one term table, each named
graph's rows in the order its exports are written. :func:`encode_saved` writes it as the file
``store-ids`` of the build folder: a format line, a JSON header, the terms' N-Triples forms
(one a line: N-Triples escapes every line break inside a term) and each graph's rows as
32-bit integers. Its SHA-256 is recorded in the build's manifest, and :func:`read_saved`
returns the previous build's rows only when the file is exactly the one the manifest names
and its structure is whole (lengths, every id within the table); a damaged, foreign or older
file is never used. It also records the SHA-256 of each Turtle export, so the next build can
reuse their pieces (:mod:`plangraf.graph.exports`) only from the files it describes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from plangraf.rdf.termids import IdTriple, OxTerm

SAVED = "store-ids"  # the file's name in a build folder
_FORMAT = b"plangraf-store-ids 1\n"


@dataclass
class Encoded:
    """A build's named graphs as id rows: ``terms[i]`` is the pyoxigraph term of id ``i``;
    ``graphs`` holds (graph IRI, rows) in export order; ``ordered``: each graph's rows are
    sorted (then each Turtle export is one block per subject, in subject order)."""

    terms: list[OxTerm]
    graphs: list[tuple[str, list[IdTriple]]]
    ordered: bool

    @classmethod
    def of_quads(cls, graphs: list[tuple[str, list[ox.Quad]]]) -> Encoded:
        """The rows of quads already made (the rdflib path), in their order."""
        index: dict[OxTerm, int] = {}
        terms: list[OxTerm] = []

        def code(term: OxTerm) -> int:
            found = index.get(term)
            if found is None:
                found = index[term] = len(terms)
                terms.append(term)
            return found

        rows = [(name, [(code(q.subject), code(q.predicate), code(q.object)) for q in quads]) for name, quads in graphs]
        return cls(terms, rows, ordered=False)

    def flat(self, index: int) -> array[int]:
        """Graph ``index``'s rows as one flat array (s, p, o, s, p, o, …)."""
        return array("i", chain.from_iterable(self.graphs[index][1]))

    def quads(self, index: int) -> list[ox.Quad]:
        """Graph ``index``'s rows as pyoxigraph quads."""
        terms = self.terms
        name, rows = self.graphs[index]
        graph = ox.NamedNode(name)
        return [ox.Quad(terms[s], terms[p], terms[o], graph) for s, p, o in rows]

    def texts(self) -> list[str]:
        """Each term's N-Triples form, by id (how terms of two builds are matched)."""
        return [str(term) for term in self.terms]


@dataclass
class Saved:
    """A previous build's rows as read back (see the module): terms as N-Triples text, each
    graph's rows as a flat array (s, p, o, s, p, o, …), and its exports' SHA-256."""

    terms: list[str]
    graphs: list[tuple[str, array[int]]]
    ordered: bool
    exports: dict[str, str]


def encode_saved(encoded: Encoded, texts: list[str], flats: list[array[int]], exports: dict[str, str]) -> bytes:
    """The ``store-ids`` file of ``encoded`` (``texts``: its terms' N-Triples forms; ``flats``:
    each graph's :meth:`Encoded.flat`, 32-bit ids)."""
    blob = "\n".join(texts).encode("utf-8")
    arrays = [flat.tobytes() for flat in flats]
    header = {
        "byteorder": sys.byteorder,
        "terms": len(texts),
        "terms_bytes": len(blob),
        "graphs": [[name, len(rows)] for name, rows in encoded.graphs],
        "ordered": encoded.ordered,
        "exports": exports,
    }
    return b"".join([_FORMAT, json.dumps(header, sort_keys=True).encode("utf-8"), b"\n", blob, *arrays])


def read_saved(folder: Path, manifest: dict[str, Any]) -> Saved | None:
    """The build in ``folder``'s saved rows, or ``None`` unless its file is the one its manifest
    records (SHA-256) and whole."""
    expected = manifest.get("ids", {}).get("sha256") if isinstance(manifest.get("ids"), dict) else None
    try:
        data = (folder / SAVED).read_bytes()
    except OSError:
        return None
    if not isinstance(expected, str) or hashlib.sha256(data).hexdigest() != expected:
        return None
    try:
        return _decode(data)
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def _decode(data: bytes) -> Saved | None:
    if not data.startswith(_FORMAT):
        return None
    start = len(_FORMAT)
    end = data.index(b"\n", start)
    header = json.loads(data[start:end])
    if header["byteorder"] != sys.byteorder:
        return None
    at = end + 1
    blob = data[at : at + header["terms_bytes"]]
    at += header["terms_bytes"]
    terms = blob.decode("utf-8").split("\n") if header["terms"] else []
    if len(terms) != header["terms"]:
        return None
    graphs = []
    for name, count in header["graphs"]:
        flat, unsigned = array("i"), array("I")
        size = 3 * count * flat.itemsize
        flat.frombytes(data[at : at + size])
        unsigned.frombytes(data[at : at + size])  # the same bytes: a negative id reads as 2**31 or more
        at += size
        if len(flat) != 3 * count or flat.itemsize != unsigned.itemsize or (flat and max(unsigned) >= len(terms)):
            return None
        graphs.append((str(name), flat))
    if at != len(data):
        return None
    exports = {str(k): str(v) for k, v in header["exports"].items()}
    return Saved(terms, graphs, bool(header["ordered"]), exports)
