"""OWL RL entails the shortcut relation, and only where it should."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF

from plangraf.graph.inference import filter_inferred, infer
from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import PG

EX = Namespace("https://example.org/r/")


@pytest.fixture(scope="module")
def closure(root) -> Graph:
    asserted = parse_file(root / "ontology" / "plangraf.ttl")
    parse_file(root / "tests" / "fixtures" / "reasoning.ttl", asserted)
    return asserted + infer(asserted)


def test_finding_is_placed_in_its_document(closure):
    assert (EX.finding, PG.inDocument, EX["doc-a"]) in closure
    assert (EX["doc-a"], PG.hasFinding, EX.finding) in closure


def test_narrower_goal_counts_for_broader_implemented_and_stating_items(closure):
    for item in (EX["ks-subgoal"], EX["ks-goal"], EX.priority, EX.ks, EX.meld):
        assert (EX.a, PG.municipalityReflects, item) in closure, item


def test_no_entailment_for_unrelated_items(closure):
    # a sibling priority, a document that builds on the reflected one, and a narrower goal
    assert (EX.a, PG.municipalityReflects, EX["other-priority"]) not in closure
    assert (EX.a, PG.municipalityReflects, EX.eos) not in closure
    assert (EX.b, PG.municipalityReflects, EX["ks-subgoal"]) not in closure
    assert (EX.b, PG.municipalityReflects, EX["ks-goal"]) in closure


def test_builds_on_is_transitive(closure):
    assert (EX.eos, PG.buildsOn, EX.meld) in closure


def test_direct_relation_is_kept_apart_from_entailed_ones(closure):
    assert (EX.finding, PG.paraphrases, EX["ks-subgoal"]) in closure
    assert (EX.finding, PG.paraphrases, EX["ks-goal"]) not in closure
    assert (EX.finding, PG.reflects, EX["ks-goal"]) in closure


def test_closure_noise_is_filtered():
    noisy = Graph()
    noisy.add((EX.x, OWL.sameAs, EX.x))
    noisy.add((Literal("a"), RDF.type, OWL.Thing))
    noisy.add((OWL.Thing, RDF.type, OWL.Class))
    noisy.add((EX.x, RDF.type, OWL.Thing))
    noisy.add((EX.x, PG.reflects, EX.y))
    kept = filter_inferred(noisy)
    assert set(kept) == {(EX.x, PG.reflects, EX.y)}
