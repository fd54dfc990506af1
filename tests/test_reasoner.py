"""The targeted reasoner gives exactly owlrl's filtered entailments."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS

from plangraf.graph.inference import filter_inferred, infer, infer_owlrl
from plangraf.graph.reasoner import infer_targeted, unsupported
from plangraf.graph.reflections import derive_reflections
from plangraf.rdf.files import parse_file

EX = Namespace("https://example.org/t/")


def _same(asserted: Graph) -> set:
    assert unsupported(asserted) == []
    expected = set(infer_owlrl(asserted))
    got = set(filter_inferred(infer_targeted(asserted)))
    assert got - expected == set(), sorted(got - expected)[:10]
    assert expected - got == set(), sorted(expected - got)[:10]
    assert set(infer(asserted)) == expected
    return expected


def test_same_as_owlrl_on_the_reasoning_fixture(root):
    asserted = parse_file(root / "ontology" / "plangraf.ttl")
    parse_file(root / "tests" / "fixtures" / "reasoning.ttl", asserted)
    _same(asserted)


def test_same_as_owlrl_on_the_study(built):
    # owlrl takes about 40 s here; the targeted reasoner well under a second.
    expected = _same(built.asserted)
    entailed = infer(built.asserted)
    assert set(entailed) == expected
    # the build's inferred graph is the entailments plus the recorded derivations (plangraf.graph.reflections)
    assert set(built.inferred) == expected | set(derive_reflections(built.asserted, entailed))


def test_same_as_owlrl_on_other_constructs():
    g = Graph()
    g.add((EX.p, RDF.type, OWL.ObjectProperty))
    g.add((EX.q, RDF.type, OWL.ObjectProperty))
    g.add((EX.p, OWL.equivalentProperty, EX.q))
    g.add((EX.s, RDF.type, OWL.SymmetricProperty))
    g.add((EX.A, RDF.type, OWL.Class))
    g.add((EX.B, RDF.type, OWL.Class))
    g.add((EX.A, OWL.equivalentClass, EX.B))
    g.add((EX.q, RDFS.range, EX.A))
    g.add((EX.x, EX.p, EX.y))
    g.add((EX.x, EX.s, EX.z))
    g.add((EX.z, RDF.type, EX.B))
    # a chain of length three
    chain = [EX.c1, EX.c2, EX.c3]
    head = EX.list0
    g.add((EX.long, OWL.propertyChainAxiom, head))
    for i, link in enumerate(chain):
        nxt = EX[f"list{i + 1}"] if i < 2 else RDF.nil
        g.add((head, RDF.first, link))
        g.add((head, RDF.rest, nxt))
        head = nxt
    g.add((EX.n0, EX.c1, EX.n1))
    g.add((EX.n1, EX.c2, EX.n2))
    g.add((EX.n2, EX.c3, EX.n3))
    _same(g)
    assert (EX.n0, EX.long, EX.n3) in infer(g)


def test_unsupported_constructs_fall_back_to_owlrl():
    g = Graph()
    g.add((EX.f, RDF.type, OWL.FunctionalProperty))
    g.add((EX.a, EX.f, EX.b))
    g.add((EX.a, EX.f, EX.c))
    g.add((EX.b, EX.r, EX.d))
    assert unsupported(g) == [str(OWL.FunctionalProperty)]
    assert set(infer(g)) == set(infer_owlrl(g))
    assert (EX.c, EX.r, EX.d) in infer(g)


@pytest.mark.parametrize("noise", [(EX.x, OWL.sameAs, EX.x)])
def test_reflexive_same_as_is_supported(noise):
    g = Graph()
    g.add(noise)
    assert unsupported(g) == []
