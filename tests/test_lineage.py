"""The report's lineage diagram, laid out by Graphviz's dot (issue 26): every document a box,
every link an edge from box to box, no two boxes overlapping; plain columns without dot."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from plangraf.outputs.lineage import lineage, lineage_graph
from plangraf.rdf.namespaces import PG, PGID, SKOS


def _guidance(graph: Graph, name: str, label: str):
    node = PGID[f"guidance/{name}"]
    graph.add((node, SKOS.prefLabel, Literal(label, lang="nb")))
    return node


@pytest.fixture
def small() -> Graph:
    """Four documents: c builds on b, b on a, c also on a (not direct: dropped); two editions
    of a; one document on its own; a goal (guidance/a/goal) that is not a document."""
    graph = Graph()
    a, b, c = (_guidance(graph, n, f"Dokument {n.upper()} & <føring>") for n in "abc")
    e1, e2 = _guidance(graph, "a-2019", "Utgave 2019"), _guidance(graph, "a-2020", "Utgave 2020")
    _guidance(graph, "alone", "Alene")
    _guidance(graph, "a/goal", "Et mål")
    for x, y in ((c, b), (b, a), (c, a)):
        graph.add((x, PG.buildsOn, y))
    for edition in (e1, e2):
        graph.add((edition, DCTERMS.isVersionOf, a))
    return graph


def _dot() -> None:
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is needed (scripts/test installs the Debian package graphviz)")


def _box_of(point: tuple[float, float], nodes: list[dict], slack: float = 12) -> str | None:
    x, y = point
    for n in nodes:
        if n["x"] - slack <= x <= n["x"] + n["w"] + slack and n["y"] - slack <= y <= n["y"] + n["h"] + slack:
            return n["id"]
    return None


def _ends(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [tuple(map(float, p.split(","))) for p in d.replace("M", " ").replace("C", " ").replace("L", " ").split()]
    return numbers[0], numbers[-1]


def test_edges_and_documents(small):
    docs, edges = lineage_graph(small)
    names = {str(d).rsplit("/", 1)[-1] for d in docs}
    assert names == {"a", "b", "c", "a-2019", "a-2020", "alone"}  # the goal is not a document
    kinds = {(str(x).rsplit("/", 1)[-1], str(y).rsplit("/", 1)[-1], k) for x, y, k in edges}
    assert kinds == {
        ("c", "b", "builds-on"),
        ("b", "a", "builds-on"),
        ("a-2019", "a", "edition-of"),
        ("a-2020", "a", "edition-of"),
    }


def test_laid_out_by_graphviz_every_box_and_edge_in_place(small):
    _dot()
    drawn = lineage(small)
    assert drawn["layout"] == "graphviz"
    nodes = drawn["nodes"]
    assert {n["id"] for n in nodes} == {"a", "b", "c", "a-2019", "a-2020", "alone"}
    for n in nodes:  # inside the picture, no two boxes overlap
        assert 0 <= n["x"] and n["x"] + n["w"] <= drawn["width"] and 0 <= n["y"] and n["y"] + n["h"] <= drawn["height"]
    for i, n in enumerate(nodes):
        for m in nodes[i + 1 :]:
            apart = n["x"] + n["w"] <= m["x"] or m["x"] + m["w"] <= n["x"] or n["y"] + n["h"] <= m["y"]
            assert apart or m["y"] + m["h"] <= n["y"], (n["id"], m["id"])
    # each edge runs from the box of the document built on to the one building on it
    ends = {(_box_of(_ends(a["d"])[0], nodes), _box_of(_ends(a["d"])[1], nodes), a["kind"]) for a in drawn["arrows"]}
    assert ends == {
        ("b", "c", "builds-on"),
        ("a", "b", "builds-on"),
        ("a", "a-2019", "edition-of"),
        ("a", "a-2020", "edition-of"),
    }
    x = {n["id"]: n["x"] for n in nodes}
    assert x["a"] < x["b"] < x["c"]  # ranked: what is built on stands left


def test_without_graphviz_plain_columns_and_the_diagram_says_so(small, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no dot to be found
    drawn = lineage(small)
    assert drawn["layout"] == "columns" and len(drawn["nodes"]) == 6 and len(drawn["arrows"]) == 4
    x = {n["id"]: n["x"] for n in drawn["nodes"]}
    assert x["a"] < x["b"] < x["c"] and x["a-2019"] == x["b"]
