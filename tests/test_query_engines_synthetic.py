"""pyoxigraph and rdflib answer every shipped query the same on a synthetic study (random
data), and the report's own queries on the study and the synthetic study; the study half is
test_query_engines.py. Two files, so pytest-xdist runs the two halves on two workers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from plangraf.answers.query import query_store, resolve_query, run_query
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study.loader import studied_municipalities
from plangraf.study.synth import synthesize
from test_query_engines import QUERIES, assert_same_answer, both, param_sets


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, paths) -> tuple[Graph, ox.Store]:
    """A 4-municipality synthetic study (random data a little larger than the study), built once
    for this module: rdflib's engine, the oracle, takes minutes on larger ones."""
    folder = tmp_path_factory.mktemp("synth") / "study"
    synthesize(4, 2020, folder, load_reference(paths, load_ontology(paths)))
    result = build_graph(Paths(root=paths.root, data=folder))
    return result.union(), query_store(result.asserted, result.inferred)


@pytest.mark.parametrize("name", QUERIES)
def test_engines_agree_on_a_synthetic_study(paths, synthetic, query_params, name):
    graph, store = synthetic
    query = resolve_query(name, paths.queries)
    municipality = studied_municipalities(graph)[0]  # the study data's Porsgrunn is not in it
    for params in param_sets(query_params, name):
        params = {k: municipality if k == "municipality" else v for k, v in params.items()}
        expected, answer = both(graph, store, query, params)
        assert_same_answer(expected, answer, query, ties=True)


def test_the_synthetic_study_gives_answers(paths, synthetic):
    _graph, store = synthetic
    for name in ("reflected-guidance", "evidence", "strategy-status", "egovwsf-coverage"):
        assert run_query(store, resolve_query(name, paths.queries)).rows, name


@pytest.mark.parametrize("name", ["_FINDINGS", "_DOCUMENTS"])
def test_the_reports_own_queries_agree_on_both_engines(graph, store, synthetic, name):
    """report.collect reads findings and documents through select_terms on the store."""
    from plangraf.answers.query import select_terms
    from plangraf.outputs import heatmaps, report

    text = getattr(heatmaps if name == "_FINDINGS" else report, name)
    for data, data_store in ((graph, store), synthetic):
        expected = sorted(tuple("" if row[v] is None else str(row[v]) for v in row.labels) for row in data.query(text))
        rows = select_terms(data_store, text)
        assert sorted(tuple("" if v is None else str(v) for v in row.values()) for row in rows) == expected
        assert len(rows) > 10
