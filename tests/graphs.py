"""Graph equality for tests: rdflib's ``isomorphic`` only where blank nodes need it.

A blank-node bijection maps every ground triple (one without blank nodes) to itself and
every triple with a blank node to one with a blank node. So two graphs are isomorphic
exactly when their ground triples are the same set and the parts with blank nodes are
isomorphic. A set comparison decides the first in milliseconds; the second is decided by
comparing the parts' canonical forms (W3C RDFC-1.0, pyoxigraph's implementation). rdflib's
``isomorphic`` took a minute on the blank-node part of a built study (1.7k triples of
look-alike periods) and several on the whole; test_graphs_helper.py checks this function
against it on random graphs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode
from rdflib.graph import Graph

from plangraf.rdf.bridge import to_ox

Triple = tuple[object, object, object]


def _split(graph: Graph) -> tuple[set[Triple], Graph]:
    """(the ground triples, a graph of the triples with a blank node)."""
    ground: set[Triple] = set()
    blank = Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            blank.add(triple)
        else:
            ground.add(triple)
    return ground, blank


def same_graph(a: Graph, b: Graph) -> bool:
    """Whether ``a`` and ``b`` are isomorphic RDF graphs (same triples up to blank node names)."""
    if len(a) != len(b):
        return False
    ground_a, blank_a = _split(a)
    ground_b, blank_b = _split(b)
    if ground_a != ground_b:
        return False
    return _canonical(blank_a) == _canonical(blank_b)


def _canonical(graph: Graph) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


_STORES: dict[int, tuple[Graph, ox.Store]] = {}


def store_for(graph: Graph) -> ox.Store:
    """``graph``'s triples in a pyoxigraph store, made once per graph object.

    Tests that pin a shipped query's answer read it on the store: rdflib's engine takes seconds
    per query on a built study, and test_query_engines.py proves it gives the same answers as
    pyoxigraph on every shipped query and parameter set."""
    from plangraf.answers.query import as_store

    held = _STORES.get(id(graph))
    if held is None or held[0] is not graph:
        held = _STORES[id(graph)] = (graph, as_store(graph))
    return held[1]


def triples_of_store(quads: Iterable[ox.Quad]) -> tuple[set[tuple[str, str, str]], ox.Dataset]:
    """A store's (or quads') triples, graph names set aside, in a form two can be compared in
    up to blank node names: (the ground triples as N-Triples terms, the canonical RDFC-1.0
    dataset of the triples with a blank node)."""
    ground: set[tuple[str, str, str]] = set()
    blank = ox.Dataset()
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank.add(ox.Quad(q.subject, q.predicate, q.object))
        else:
            ground.add((str(q.subject), str(q.predicate), str(q.object)))
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return ground, blank
