"""The query command's pre-check (pyoxigraph's parser first) refuses exactly what
``check_query`` (rdflib's parser, the oracle) refuses, with the same message."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraf.answers.query import NamedQuery, Param, check_query, precheck_query, resolve_query, shipped_queries
from plangraf.core.errors import PlangrafError

ROOT = Path(__file__).resolve().parents[1]

BAD = [
    "SELECT ?s WHERE { ?s ?p }",
    "SELECT ?s WHERE { ?s ?p ?o ",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
    "DESCRIBE <urn:a>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT ?s FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s unknown:p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
]
GOOD = [
    "SELECT ?s WHERE { ?s ?p ?_thing }",
    "SELECT * WHERE { ?s ?p ?o }",
    "PREFIX pg: <https://w3id.org/plangraf/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Finding }",
    "SELECT ?s WHERE { ?s skos:prefLabel ?l }",
]


def _query(text: str) -> NamedQuery:
    return NamedQuery(name="t", path=Path("t.rq"), text=text, summary="t", params=[Param("thing", "string")])


def _outcome(check, query: NamedQuery, params: dict[str, str]) -> str | None:
    try:
        check(query, params)
    except PlangrafError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("text", BAD + GOOD)
def test_the_precheck_refuses_what_rdflib_refuses(text):
    query = _query(text)
    expected = _outcome(check_query, query, {})
    assert _outcome(precheck_query, query, {}) == expected
    assert (expected is None) == (text in GOOD)


def test_every_shipped_query_passes_and_bad_parameters_are_refused_alike():
    for name in shipped_queries(ROOT / "queries"):
        query = resolve_query(name, ROOT / "queries")
        assert _outcome(precheck_query, query, {}) is None, name
        bad = {"no_such_parameter": "x"}
        assert _outcome(precheck_query, query, bad) == _outcome(check_query, query, bad) is not None, name
