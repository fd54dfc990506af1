"""pyoxigraph parses and writes exactly what rdflib would: every shipped RDF file and the
build files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from graphs import same_graph
from plangraf.core.paths import Paths
from plangraf.graph.build import ASSERTED_GRAPH, INFERRED_GRAPH, write_build
from plangraf.graph.current import load_built
from plangraf.rdf.files import parse_file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [*ROOT.glob("ontology/**/*.ttl"), *ROOT.glob("data/reference/*.ttl"), *ROOT.glob("tests/fixtures/*.ttl")]
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_parse_file_gives_rdflibs_graph(path):
    expected = Graph()
    expected.parse(path, format="turtle", publicID=path.resolve().as_uri())
    got = parse_file(path)
    assert len(got) == len(expected) > 0
    assert same_graph(got, expected)


def test_build_files_hold_the_built_graphs(built, tmp_path):
    paths = Paths(root=ROOT, out=tmp_path)
    files = write_build(built, paths)
    dataset = Dataset()
    dataset.parse(files["trig"], format="trig")  # rdflib reads what pyoxigraph wrote
    assert same_graph(dataset.graph(ASSERTED_GRAPH), built.asserted)
    assert same_graph(dataset.graph(INFERRED_GRAPH), built.inferred)
    for key, graph in (("asserted", built.asserted), ("inferred", built.inferred)):
        turtle = Graph().parse(files[key], format="turtle")
        assert same_graph(turtle, graph)
    asserted, inferred = load_built(paths)
    assert same_graph(asserted, built.asserted) and same_graph(inferred, built.inferred)
    assert files["trig"].read_text(encoding="utf-8").startswith("@prefix")


def test_query_store_read_from_the_build_answers_like_the_built_graphs(built, tmp_path, query_params):
    from plangraf.answers.query import query_store, run_query, shipped_queries
    from plangraf.graph.current import current_store

    paths = Paths(root=ROOT, out=tmp_path)
    write_build(built, paths)
    from_build = current_store(paths)  # the build is fresh: loaded from plangraf.trig
    assert len(from_build) == len(built.asserted) + len(built.inferred)
    in_memory = query_store(built.asserted, built.inferred)
    for name, query in shipped_queries(ROOT / "queries").items():
        for params in query_params.get(name, [{}]):
            a, b = run_query(from_build, query, params), run_query(in_memory, query, params)
            assert a.columns == b.columns, name
            assert sorted(map(repr, a.rows)) == sorted(map(repr, b.rows)), (name, params)
            assert a.rows, name  # every query answers something on the study
