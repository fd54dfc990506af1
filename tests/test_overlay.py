"""Readings built on a shared base (plangraf.graph.overlay) equal full builds, triple for triple."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphs import triples_of_store
from plangraf.answers.claims import decisions_of
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.graph.overlay import ReadingBuilds
from plangraf.graph.reasoner import Saturated, closure
from plangraf.rdf.bridge import from_ox
from plangraf.study.loader import list_alternatives

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "provenance-study"


def _quads(store):
    """The store's triples, comparable up to blank node names (the build's come from
    pyoxigraph's parser, a reading's from rdflib terms: the same blank nodes, other labels)."""
    return triples_of_store(store)


def _triples(quads) -> set:
    """The rdflib triples of pyoxigraph quads (the conversion BuildResult.asserted makes)."""
    return {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads}


def _readings(paths: Paths, count: int, seed: int) -> list[frozenset[str]]:
    """The default reading, every single alternative, and ``count`` random combinations
    (at most one alternative per decision, as readings are)."""
    decisions = decisions_of(list_alternatives(paths.study))
    rng = random.Random(seed)
    readings = [frozenset()] + [frozenset({alt}) for alts in decisions.values() for alt in alts]
    for _ in range(count):
        readings.append(frozenset(rng.choice([None, *alts]) for alts in decisions.values()) - {None})
    return readings


@pytest.mark.parametrize("study, count", [(None, 6), (FIXTURE, 4)], ids=["study-2020", "provenance-study"])
def test_every_reading_equals_a_full_build(study, count):
    paths = Paths(root=ROOT, data=study)
    builds = ReadingBuilds(paths)
    for reading in _readings(paths, count, seed=len(str(study))):
        full = build_graph(paths, readings=reading)
        full_asserted, full_inferred = full.named_quads()  # the build's own form: no rdflib graph made
        asserted, inferred = builds.graphs(reading)
        assert asserted == _triples(full_asserted), sorted(reading)
        assert inferred == _triples(full_inferred), sorted(reading)
        full_store = ox.Store()  # a store, as pyoxigraph keeps literals (xsd:positiveInteger as xsd:integer)
        full_store.bulk_extend([*full_asserted, *full_inferred])
        assert _quads(builds.store(reading)) == _quads(full_store), sorted(reading)
        assert _quads(builds.swapped_in(reading)) == _quads(full_store), sorted(reading)  # after another reading


def test_an_extended_closure_equals_the_closure_of_everything(built):
    """Saturated.extended on random splits of the study's asserted triples."""
    triples = sorted(set(built.asserted), key=str)
    rng = random.Random(7)
    for share in (0.5, 0.9, 0.99):
        base = [t for t in triples if rng.random() < share]
        rest = set(triples) - set(base)
        assert Saturated(base).extended(rest) == closure(triples)
