"""The build on integer ids (plangraf.graph.encoded) equals the rdflib path, triple for triple,
and the targeted reasoner on ids equals it on rdflib terms and owlrl on random graphs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, XSD

from graphs import triples_of_store
from plangraf.answers.claims import decisions_of
from plangraf.core.paths import Paths
from plangraf.graph.build import BuildResult, build_graph
from plangraf.graph.encoded import infer_ids
from plangraf.graph.inference import infer, infer_owlrl
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.rdf.termids import TermIds
from plangraf.study.loader import list_alternatives
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "provenance-study"
EX = Namespace("https://example.org/r/")


def _assert_same(fast: BuildResult, oracle: BuildResult) -> None:
    assert fast.encoded is not None and oracle.graphs is not None  # the two paths did run
    fast_asserted, fast_inferred = fast.named_quads()
    oracle_asserted, oracle_inferred = oracle.named_quads()
    # the same quads up to blank node names: the id path keeps a parsed label (the reference
    # files' stable "county-38-period"), the rdflib path writes it escaped ("bcounty_2d_38...")
    assert len(fast_asserted) == len(oracle_asserted) and len(fast_inferred) == len(oracle_inferred)
    assert triples_of_store(fast_asserted) == triples_of_store(oracle_asserted)
    assert triples_of_store(fast_inferred) == triples_of_store(oracle_inferred)
    assert fast.counts == oracle.counts
    assert fast.report == oracle.report
    # the rdflib graphs made from the quads are the rdflib path's graphs
    assert set(fast.asserted) == set(oracle.asserted)
    assert set(fast.inferred) == set(oracle.inferred)


def _readings(paths: Paths, count: int, seed: int) -> list[frozenset[str]]:
    decisions = decisions_of(list_alternatives(paths.study))
    rng = random.Random(seed)
    readings = [frozenset()]
    for _ in range(count):
        readings.append(frozenset(rng.choice([None, *alts]) for alts in decisions.values()) - {None})
    return readings


@pytest.mark.parametrize("study", [None, FIXTURE], ids=["study-2020", "provenance-study"])
def test_the_id_build_equals_the_rdflib_build(study):
    paths = Paths(root=ROOT, data=study)
    for reading in _readings(paths, 1, seed=21):
        _assert_same(build_graph(paths, readings=reading), build_graph(paths, readings=reading, encoded=False))
    _assert_same(build_graph(paths, stated_only=True), build_graph(paths, stated_only=True, encoded=False))


def test_the_id_build_equals_the_rdflib_build_on_a_synthetic_study(tmp_path):
    paths = Paths(root=ROOT)
    synthesize(4, 21, tmp_path / "synth", load_reference(paths, load_ontology(paths)))
    synthetic = Paths(root=ROOT, data=tmp_path / "synth")
    _assert_same(build_graph(synthetic), build_graph(synthetic, encoded=False))


def test_suggested_links_take_the_rdflib_path():
    result = build_graph(Paths(root=ROOT, data=FIXTURE), include_suggested=True)
    assert result.graphs is not None and result.encoded is None


_CLASSES = [EX[f"C{i}"] for i in range(6)]
_PROPERTIES = [EX[f"p{i}"] for i in range(5)]
_NODES = [EX[f"n{i}"] for i in range(8)]


def _random_graph(rng: random.Random) -> Graph:
    """A small graph of the constructs the targeted reasoner implements, with literals and
    blank nodes among the values."""
    g = Graph()
    for c in rng.sample(_CLASSES, rng.randint(0, 4)):
        g.add((c, RDF.type, OWL.Class))
    for p in rng.sample(_PROPERTIES, rng.randint(0, 4)):
        g.add((p, RDF.type, rng.choice([OWL.ObjectProperty, OWL.DatatypeProperty, OWL.TransitiveProperty])))
    axioms = [
        lambda: (rng.choice(_CLASSES), RDFS.subClassOf, rng.choice(_CLASSES)),
        lambda: (rng.choice(_CLASSES), OWL.equivalentClass, rng.choice(_CLASSES)),
        lambda: (rng.choice(_PROPERTIES), RDFS.subPropertyOf, rng.choice(_PROPERTIES)),
        lambda: (rng.choice(_PROPERTIES), OWL.equivalentProperty, rng.choice(_PROPERTIES)),
        lambda: (rng.choice(_PROPERTIES), RDFS.domain, rng.choice(_CLASSES)),
        lambda: (rng.choice(_PROPERTIES), RDFS.range, rng.choice(_CLASSES)),
        lambda: (rng.choice(_PROPERTIES), OWL.inverseOf, rng.choice(_PROPERTIES)),
        lambda: (rng.choice(_PROPERTIES), RDF.type, OWL.SymmetricProperty),
    ]
    for _ in range(rng.randint(0, 6)):
        g.add(rng.choice(axioms)())
    if rng.random() < 0.3:  # a property chain of two links
        head, rest = BNode(), BNode()
        g.add((rng.choice(_PROPERTIES), OWL.propertyChainAxiom, head))
        g.add((head, RDF.first, rng.choice(_PROPERTIES)))
        g.add((head, RDF.rest, rest))
        g.add((rest, RDF.first, rng.choice(_PROPERTIES)))
        g.add((rest, RDF.rest, RDF.nil))
    values = [*_NODES, Literal("x"), Literal("01", datatype=XSD.integer), Literal("ja", lang="nb"), BNode("b1")]
    for _ in range(rng.randint(1, 12)):
        g.add((rng.choice(_NODES), rng.choice(_PROPERTIES), rng.choice(values)))
    for _ in range(rng.randint(0, 3)):
        g.add((rng.choice(_NODES), RDF.type, rng.choice(_CLASSES)))
    return g


def _infer_on_ids(g: Graph) -> set:
    ids = TermIds()
    found = infer_ids(ids, set(ids.encode_rdflib(g)))
    assert found is not None
    return set(ids.decode_rdflib(found))


def test_inference_on_ids_equals_inference_on_rdflib_terms_on_random_graphs():
    rng = random.Random(2021)
    for _ in range(1000):
        g = _random_graph(rng)
        assert _infer_on_ids(g) == set(infer(g)), g.serialize(format="nt")


def test_inference_on_ids_equals_owlrl_on_random_graphs():
    rng = random.Random(1021)
    for _ in range(40):
        g = _random_graph(rng)
        assert _infer_on_ids(g) == set(infer_owlrl(g)), g.serialize(format="nt")


def test_unsupported_constructs_leave_the_id_path():
    g = Graph()
    g.add((EX.f, RDF.type, OWL.FunctionalProperty))
    g.add((EX.a, EX.f, EX.b))
    ids = TermIds()
    assert infer_ids(ids, set(ids.encode_rdflib(g))) is None
