"""pyoxigraph (the fast engine the library uses) and rdflib answer every query the same.

``run_query`` on a ``pyoxigraph.Store`` must give exactly what it gives on the rdflib
``Graph`` of the same triples: the same columns in the same order, the same rows with the
same Python values (ints, "yes"/"no", strings, None for unbound), in the same order where the
query has ORDER BY. Checked for every shipped query, without parameters and with the
``query_params`` sets (shared with test_remote.py), on the study data and on a synthetic
study (test_query_engines_synthetic.py, a file of its own so the two halves run on two
workers); and parameter values that look like SPARQL stay plain values on both engines.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

import plangraf.answers.query as query_module
from plangraf.answers.query import (
    NamedQuery,
    Param,
    QueryResult,
    as_store,
    check_query,
    resolve_query,
    run_query,
    shipped_queries,
)
from plangraf.core.errors import PlangrafError
from plangraf.rdf.bridge import graph_of

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted(shipped_queries(ROOT / "queries"))

INJECTIONS = [  # a superset of test_safety.py's INJECTIONS
    'Larvik"',
    'Larvik" ) } UNION { ?m ?p ?o } #',
    'x" } UNION { ?s ?p ?o } #',
    'Porsgrunn" ) } UNION { ?s ?p ?o } #',
    "Porsgrunn' } #",
    "Larvik' . ?x ?y ?z",
    "} UNION { ?s ?p ?o }",
    "}",
    "# comment",
    'x" . FILTER(true) #',
    "\\u0022 ) }",
    'a\\" } #',
    'triple """ quote',
    "line\nbreak } UNION { ?s ?p ?o }",
    "WHERE { ?s ?p ?o }",
]


def param_sets(query_params: dict[str, list[dict[str, str]]], name: str) -> list[dict[str, str]]:
    """No parameters, then the query's sets of the ``query_params`` fixture (shared with test_remote.py)."""
    return [{}] + [p for p in query_params.get(name, []) if p]


def order_columns(query: NamedQuery) -> list[str] | None:
    """The projected variables of the query's top-level ORDER BY, or None without one."""
    prepared, _ = check_query(query)
    node = prepared.algebra
    while node is not None and getattr(node, "name", None) != "OrderBy":
        node = node.get("p") if hasattr(node, "get") else None
    if node is None:
        return None
    projected = [str(v) for v in prepared.algebra["PV"]]
    return [str(c.expr) for c in node.expr if str(c.expr) in projected]


def assert_same_answer(expected: QueryResult, answer: QueryResult, query: NamedQuery, *, ties: bool = False) -> None:
    """Same columns and rows (values and their types); with ORDER BY the same order. With
    ``ties``, rows whose ORDER BY values are equal may come in either order."""
    assert answer.columns == expected.columns
    assert sorted(answer.rows, key=repr) == sorted(expected.rows, key=repr)
    keys = order_columns(query)
    if keys is None:
        return
    if ties:
        assert [[r[k] for k in keys] for r in answer.rows] == [[r[k] for k in keys] for r in expected.rows]
    else:
        assert answer.rows == expected.rows, "same rows, other order: give the ORDER BY a tiebreaker"


def both(graph: Graph, store: ox.Store, query: NamedQuery, params: dict[str, str]) -> tuple[QueryResult, QueryResult]:
    """(rdflib's answer, pyoxigraph's answer)."""
    return run_query(graph, query, params), run_query(store, query, params)


def test_the_store_holds_the_union(built, graph, store):
    assert len(store) == len(graph)
    assert len(as_store(graph)) == len(graph)
    assert as_store(store) is store


@pytest.mark.parametrize("name", QUERIES)
def test_engines_agree_on_the_study(paths, graph, store, query_params, name):
    query = resolve_query(name, paths.queries)
    for params in param_sets(query_params, name):
        expected, answer = both(graph, store, query, params)
        assert_same_answer(expected, answer, query)


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameters_are_plain_values_on_both_engines(paths, graph, store, value):
    evidence = resolve_query("evidence", paths.queries)
    expected, answer = both(graph, store, evidence, {"municipality": value})
    assert answer.rows == expected.rows == []
    for name in ("evidence", "explain-reflection"):  # rdflib's answers: test_safety.py
        for param in ("municipality", "guidance"):
            assert run_query(store, resolve_query(name, paths.queries), {param: value}).rows == [], (name, param)


def test_parameter_values_are_matched_as_values():
    """Values that look like SPARQL find exactly the literal (or IRI, or number) that has them."""
    values = [*INJECTIONS, "Tønsberg", "back\\slash", "tab\tand\rreturn", ""]
    graph = Graph()
    for i, value in enumerate(values):
        graph.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(value)))
    graph.add((URIRef("urn:s-iri"), URIRef("urn:p"), URIRef("https://example.org/a?b=c#d")))
    graph.add((URIRef("urn:s-int"), URIRef("urn:p"), Literal(7)))
    store = as_store(graph)

    def query(ptype: str) -> NamedQuery:
        text = "SELECT ?s WHERE { ?s <urn:p> ?_v }"
        return NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t", params=[Param("v", ptype)])

    for i, value in enumerate(values):
        expected, answer = both(graph, store, query("string"), {"v": value})
        assert answer.rows == expected.rows == [{"s": f"urn:s{i}"}], value
    for ptype, value, subject in (("iri", "https://example.org/a?b=c#d", "urn:s-iri"), ("integer", "+7", "urn:s-int")):
        expected, answer = both(graph, store, query(ptype), {"v": value})
        assert answer.rows == expected.rows == [{"s": subject}], value


def test_select_star_and_unbound_columns_match():
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal(True)))
    date = URIRef("http://www.w3.org/2001/XMLSchema#date")
    graph.add((URIRef("urn:b"), URIRef("urn:p"), Literal("2020-09-01", datatype=date)))
    graph.add((URIRef("urn:c"), URIRef("urn:p"), Literal("nb", lang="nb")))
    text = "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o <urn:none> ?missing } }"
    query = NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t")
    expected, answer = both(graph, as_store(graph), query, {})
    assert answer.columns == expected.columns
    assert sorted(answer.rows, key=repr) == sorted(expected.rows, key=repr)
    assert {r["o"] for r in answer.rows} == {"yes", "2020-09-01", "nb"}
    assert all(r["missing"] is None for r in answer.rows)


def test_network_features_are_refused_on_the_store_too(store):
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    query = NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t")
    with pytest.raises(PlangrafError, match="would reach the network"):
        run_query(store, query)


def test_allow_network_runs_on_rdflib(tmp_path, monkeypatch):
    """With --allow-network a query with FROM, LOAD or SERVICE runs on rdflib's engine, which
    fetches them: a store is copied into an rdflib graph for it."""
    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:label"), Literal("here")))
    extra = tmp_path / "extra.ttl"
    extra.write_text('<urn:x> <urn:label> "from a file" .\n', encoding="utf-8")
    text = f"SELECT ?label FROM <{extra.as_uri()}> WHERE {{ ?s <urn:label> ?label }}"
    query = NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t")
    copies = []
    monkeypatch.setattr(query_module, "graph_of", lambda store: copies.append(store) or graph_of(store))
    store = as_store(graph)
    assert run_query(store, query, allow_network=True) == run_query(graph, query, allow_network=True)
    assert copies == [store]


def test_store_errors_become_plangraf_errors():
    """pyoxigraph refuses an unknown function (rdflib silently gives no rows)."""
    text = "SELECT ?x WHERE { BIND (<urn:no-such-function>(1) AS ?x) }"
    query = NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t")
    with pytest.raises(PlangrafError, match="urn:no-such-function") as info:
        run_query(ox.Store(), query)
    assert info.value.message.startswith("query failed: ")
    assert info.value.file == "t.rq"


def test_the_injections_cover_those_of_test_safety():
    """test_safety.py checks its values as ``guidance`` on rdflib only, relying on this file for
    ``municipality`` on both engines."""
    from test_safety import INJECTIONS as SAFETY_INJECTIONS

    assert set(SAFETY_INJECTIONS) <= set(INJECTIONS)
