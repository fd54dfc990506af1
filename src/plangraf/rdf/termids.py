"""RDF terms as small integers: the build's hot path without rdflib objects.

A build reads the ontology and the reference data with pyoxigraph and reasons over their
triples. Holding them as rdflib terms costs a Python object per term and Python-level hashing
at every join; :class:`TermIds` gives each distinct term an integer instead (dictionary
encoding), so triples are tuples of ints that hash and compare in C, and pyoxigraph terms come
back for the store and the files with a list look-up.

Two terms get one id exactly when rdflib would hold them as one term: literals other than
plain strings are normalised as rdflib normalises them (its ``Literal`` constructor, through
:mod:`plangraf.rdf.bridge`), so a closure computed on ids equals the closure computed on rdflib
terms (``tests/test_encoded_build.py`` checks whole builds triple for triple against the
rdflib path).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from plangraf.rdf import bridge as oxbridge

OxTerm = Any  # ox.NamedNode | ox.BlankNode | ox.Literal
IdTriple = tuple[int, int, int]

_XSD_STRING = ox.NamedNode(str(XSD.string))


class TermIds:
    """A growing two-way map between RDF terms and integers (see the module)."""

    def __init__(self) -> None:
        self._ids: dict[OxTerm, int] = {}
        self.terms: list[OxTerm] = []
        self._rdflib_ids: dict[Node, int] = {}
        self._rdflib_terms: dict[int, Node] = {}

    def id(self, term: OxTerm) -> int:
        """The id of a pyoxigraph term (a new one for a term not seen before)."""
        found = self._ids.get(term)
        if found is not None:
            return found
        if type(term) is ox.Literal and term.datatype != _XSD_STRING and term.language is None:
            # rdflib's lexical normalisation; a language-tagged literal (most literals of a
            # study: 15,900 of 32,500 at 356) keeps its value and tag through it
            normal = oxbridge.to_ox(oxbridge.from_ox(term))
            if normal != term:
                found = self._ids[term] = self.id(normal)
                return found
        found = self._ids[term] = len(self.terms)
        self.terms.append(term)
        return found

    def find(self, term: OxTerm) -> int | None:
        """The id of a term already seen, else ``None`` (nothing is added)."""
        return self._ids.get(term)

    def of_rdflib(self, node: Node) -> int:
        """The id of an rdflib term."""
        found = self._rdflib_ids.get(node)
        if found is None:
            found = self._rdflib_ids[node] = self.id(oxbridge.to_ox(node))
        return found

    def find_rdflib(self, node: Node) -> int | None:
        found = self._rdflib_ids.get(node)
        return found if found is not None else self._ids.get(oxbridge.to_ox(node))

    def rdflib(self, term_id: int) -> Node:
        """The rdflib term of an id, as rdflib's own parser would create it."""
        node = self._rdflib_terms.get(term_id)
        if node is None:
            node = self._rdflib_terms[term_id] = oxbridge.from_ox(self.terms[term_id])
        return node

    def encode(self, triples: Iterable[tuple[OxTerm, OxTerm, OxTerm]]) -> list[IdTriple]:
        ids = self.id
        return [(ids(s), ids(p), ids(o)) for s, p, o in triples]

    def encode_rdflib(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[IdTriple]:
        ids = self.of_rdflib
        return [(ids(s), ids(p), ids(o)) for s, p, o in triples]

    def decode_rdflib(self, triples: Iterable[IdTriple]) -> Iterator[tuple[Node, Node, Node]]:
        node = self.rdflib
        for s, p, o in triples:
            yield node(s), node(p), node(o)

    def quads(self, triples: Iterable[IdTriple], graph: URIRef) -> list[ox.Quad]:
        """The triples as pyoxigraph quads in the named graph ``graph``."""
        terms = self.terms
        name = ox.NamedNode(str(graph))
        return [ox.Quad(terms[s], terms[p], terms[o], name) for s, p, o in triples]


class IdView:
    """The read-only graph look-ups of rdflib's ``Graph`` that the loader's reference index and
    the ontology's term list make (``subjects``, ``objects``), over id triples, in rdflib terms."""

    def __init__(self, ids: TermIds, triples: Iterable[IdTriple]) -> None:
        self._ids = ids
        self._subjects: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._objects: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._typed: dict[int, list[int]] = defaultdict(list)
        for s, p, o in set(triples):
            self._subjects[(p, o)].append(s)
            self._objects[(s, p)].append(o)
            self._typed[p].append(s)

    def subjects(self, predicate: Node, obj: Node | None) -> Iterator[Node]:
        p = self._ids.find_rdflib(predicate)
        if p is None:
            return iter(())
        if obj is None:
            found: Iterable[int] = dict.fromkeys(self._typed.get(p, ()))
        else:
            o = self._ids.find_rdflib(obj)
            found = self._subjects.get((p, o), ()) if o is not None else ()
        return map(self._ids.rdflib, found)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        s, p = self._ids.find_rdflib(subject), self._ids.find_rdflib(predicate)
        if s is None or p is None:
            return iter(())
        return map(self._ids.rdflib, self._objects.get((s, p), ()))
