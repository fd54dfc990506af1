"""Reading a graph from its memory store's index gives exactly the triples rdflib's iteration gives."""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef

from plangraf.rdf.memindex import _own_index, triples_of

EX = "https://example.org/"


def test_the_built_graphs_read_fast_are_the_graphs(built):
    for graph in (built.asserted, built.inferred):
        assert _own_index(graph) is not None  # the fast path is the one taken
        fast = list(triples_of(graph))
        assert len(fast) == len(set(fast)) == len(graph)
        assert set(fast) == set(graph.triples((None, None, None)))


def test_removed_triples_are_gone():
    graph = Graph()
    a, b = URIRef(EX + "a"), URIRef(EX + "b")
    graph.add((a, b, Literal("x")))
    graph.add((a, b, Literal("y")))
    graph.remove((a, b, Literal("x")))
    assert list(triples_of(graph)) == [(a, b, Literal("y"))]


def test_a_graph_sharing_its_store_is_read_through_rdflib():
    dataset = Dataset()
    one = dataset.graph(URIRef(EX + "one"))
    two = dataset.graph(URIRef(EX + "two"))
    one.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1)))
    two.add((URIRef(EX + "b"), URIRef(EX + "p"), Literal(2)))
    assert _own_index(one) is None
    assert set(triples_of(one)) == {(URIRef(EX + "a"), URIRef(EX + "p"), Literal(1))}
