"""Builds of one study under many alternative readings, each made on a shared base.

The claims check needs the study built under every reading it evaluates. A reading changes
some study files' triples and nothing else: the ontology, the vocabulary extracts and the
reference data (the base, about two thirds of the triples) and the study's ingested texts
and measured reuse are the same under every reading. :class:`ReadingBuilds` therefore reads
and saturates the base once, and for each reading

1. reads and checks the study under the reading, as a build does (every check runs);
2. extends the base's saturated closure with the study's triples
   (:meth:`plangraf.graph.reasoner.Saturated.extended`), filters it and adds the reflections,
   as :func:`plangraf.graph.build.build_graph` does;
3. puts the reading's own quads beside the base's, loaded once, in one query store.

``tests/test_overlay.py`` checks that the store of every reading holds exactly the triples of
``build_graph(paths, readings=...)``, on the study and on random readings. Where the base uses
an OWL construct the targeted reasoner does not implement, or the study has ingested texts
with suggested links, a reading is built in full by :func:`build_graph` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from plangraf.core.gcpause import collector_paused
from plangraf.core.paths import Paths
from plangraf.graph.identity import Identity
from plangraf.graph.inference import kept
from plangraf.graph.inputs import base_graphs
from plangraf.graph.reasoner import Saturated, unsupported
from plangraf.graph.reflections import TripleIndex, reflection_triples
from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.files import check_terms, defined_terms
from plangraf.rdf.namespaces import bind_prefixes
from plangraf.study.checks import ReferenceIndex
from plangraf.study.loader import read_study

Triple = tuple[Node, Node, Node]

# the named graphs of a reading's store (ReadingBuilds.store)
_BASE_GRAPH = ox.NamedNode("https://w3id.org/plangraf/graph/reading-base")
_READING_GRAPH = ox.NamedNode("https://w3id.org/plangraf/graph/reading")


class ReadingBuilds:
    """The study of ``paths`` built under any reading, on one shared base (see the module)."""

    def __init__(self, paths: Paths) -> None:
        from plangraf.reuse.ingest import check_ingested
        from plangraf.reuse.rdf import load_reuse

        self.paths = paths
        identity = Identity.of(paths)
        ontology, base = base_graphs(paths, identity)
        self._terms = defined_terms(ontology)
        self._reference = Graph()  # what the loader checks identifiers against
        bind_prefixes(self._reference)
        self._reference.addN((s, p, o, self._reference) for s, p, o in base)
        self._indexes: dict[str, ReferenceIndex] = {}  # the loader's index of it, made once
        self._base = set(base)
        self._extra = set(check_ingested(paths.study))  # reading-independent study inputs
        reuse = load_reuse(paths.study, self._terms)
        if reuse is not None:
            self._extra |= set(reuse)
        self._saturated: Saturated | None = None if unsupported(self._base) else Saturated(self._base)
        self._store: ox.Store | None = None  # the store swapped_in refills

    def graphs(self, reading: frozenset[str], *, stated_only: bool = False) -> tuple[set[Triple], set[Triple]]:
        """(asserted, inferred) of the study under ``reading``, as :func:`build_graph` gives them;
        with ``stated_only``, of the links the source states only (coders' readings dropped)."""
        from plangraf.graph.build import build_graph

        if self._saturated is None:
            result = build_graph(self.paths, readings=reading, stated_only=stated_only)
            return set(result.asserted), set(result.inferred)
        with collector_paused():
            study, _report = read_study(
                self.paths.study, self._reference, readings=reading, indexes=self._indexes, stated_only=stated_only
            )
            check_terms(study, self._terms, self.paths.study)
            own = (set(study) | self._extra) - self._base
            asserted = self._base | own
            closure = self._saturated.extended(own)
            inferred = {t for t in closure if t not in asserted and kept(*t)}
            reflections = reflection_triples(TripleIndex(asserted), TripleIndex(inferred))  # type: ignore[arg-type]
            inferred.update(reflections)
        return asserted, inferred

    def store(self, reading: frozenset[str], *, stated_only: bool = False) -> ox.Store:
        """A new query store of the study under ``reading``: the base's quads in one named
        graph and the reading's own (its study triples and inferences) in another. Queries see
        the union of the graphs (``run_query`` on a store does); the two never share a triple
        (the reading's are those not in the base), so the store answers as
        :func:`plangraf.rdf.bridge.query_store` of the build would."""
        store = ox.Store()
        store.bulk_extend(_quads(self._base, _BASE_GRAPH))
        return self._put_reading(store, reading, stated_only)

    def swapped_in(self, reading: frozenset[str], *, stated_only: bool = False) -> ox.Store:
        """:meth:`store` of ``reading``, made in one store shared by every call and valid only
        until the next: the base's quads are loaded once and only the reading's own graph is
        replaced. For evaluating one reading after another (the claims check)."""
        if self._store is None:
            self._store = ox.Store()
            self._store.bulk_extend(_quads(self._base, _BASE_GRAPH))
        else:
            self._store.clear_graph(_READING_GRAPH)
        return self._put_reading(self._store, reading, stated_only)

    def _put_reading(self, store: ox.Store, reading: frozenset[str], stated_only: bool) -> ox.Store:
        asserted, inferred = self.graphs(reading, stated_only=stated_only)
        store.bulk_extend(_quads((asserted - self._base) | inferred, _READING_GRAPH))
        return store


def _quads(triples: Iterable[Triple], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    cache: dict[Node, object] = {}
    for s, p, o in triples:
        terms = []
        for term in (s, p, o):
            converted = cache.get(term)
            if converted is None:
                converted = cache[term] = oxbridge.to_ox(term)
            terms.append(converted)
        yield ox.Quad(terms[0], terms[1], terms[2], graph)  # type: ignore[arg-type]
