"""The tests' graph equality agrees with rdflib's ``isomorphic`` (its oracle)."""

from __future__ import annotations

import random

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graphs import same_graph

DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def _random_graph(rng: random.Random, blank: bool) -> Graph:
    graph = Graph()
    nodes = [URIRef(f"urn:n{i}") for i in range(4)] + ([BNode(f"b{i}") for i in range(2)] if blank else [])
    objects = [*nodes, Literal("1"), Literal("1", datatype=DECIMAL), Literal("1.0", datatype=DECIMAL)]
    for _ in range(rng.randint(0, 6)):
        graph.add((rng.choice(nodes), URIRef(f"urn:p{rng.randint(0, 1)}"), rng.choice(objects)))
    return graph


def test_same_graph_agrees_with_isomorphic_on_random_graphs():
    rng = random.Random(3)
    outcomes = set()
    for i in range(400):
        a, b = _random_graph(rng, blank=i % 2 == 0), _random_graph(rng, blank=i % 3 == 0)
        if rng.random() < 0.3:
            b = Graph()
            for triple in a:
                b.add(triple)
        outcome = same_graph(a, b)
        assert outcome == isomorphic(a, b)
        outcomes.add(outcome)
    assert outcomes == {True, False}


def test_lexical_forms_are_kept_apart():
    """ "1"^^xsd:decimal and "1.0"^^xsd:decimal are different terms, as for isomorphic."""
    a, b = Graph(), Graph()
    a.add((URIRef("urn:a"), URIRef("urn:p"), Literal("1", datatype=DECIMAL)))
    b.add((URIRef("urn:a"), URIRef("urn:p"), Literal("1.0", datatype=DECIMAL)))
    assert not same_graph(a, b) and not isomorphic(a, b)


def test_stores_compare_up_to_blank_node_names():
    import pyoxigraph as ox

    from graphs import triples_of_store

    p, g = ox.NamedNode("urn:p"), ox.NamedNode("urn:g")

    def quads(label: str, value: str) -> list[ox.Quad]:
        node = ox.BlankNode(label)
        return [ox.Quad(ox.NamedNode("urn:a"), p, node, g), ox.Quad(node, p, ox.Literal(value))]

    assert triples_of_store(quads("county-38-period", "1")) == triples_of_store(quads("b_2d_38", "1"))
    assert triples_of_store(quads("x", "1")) != triples_of_store(quads("x", "2"))
