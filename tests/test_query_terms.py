"""Query parameters and answers on the store without rdflib: the terms a parameter is bound to
are the ones rdflib's ``Literal`` made for it (canonical forms), and every value read from
pyoxigraph's solutions is what rdflib's conversion (the reference, ``_python(from_ox(term))``)
gives, on every cell of every shipped query on the study and on odd literals."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from plangraf.answers.query import Param, _python, _term, _value, bind_into_text, shipped_queries
from plangraf.core.errors import PlangrafError
from plangraf.rdf.bridge import from_ox, to_ox
from plangraf.rdf.namespaces import PREFIXES
from plangraf.rdf.prefixes import PREFIX_IRIS

XSD_ = "http://www.w3.org/2001/XMLSchema#"
DATE, INTEGER = URIRef(f"{XSD_}date"), URIRef(f"{XSD_}integer")


def test_the_plain_prefixes_are_the_namespaces():
    assert PREFIX_IRIS == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


@pytest.mark.parametrize(
    ("ptype", "value", "rdflib_term"),
    [
        ("string", 'Larvik" ) } #', Literal('Larvik" ) } #')),
        ("string", "line\nbreak\t\\", Literal("line\nbreak\t\\")),
        ("string", "Tønsberg", Literal("Tønsberg")),
        ("date", "2020-09-01", Literal("2020-09-01", datatype=DATE)),
        ("integer", "+7", Literal(7, datatype=INTEGER)),
        ("integer", " -007 ", Literal(-7, datatype=INTEGER)),
        ("boolean", "True", Literal(True)),
        ("boolean", "false", Literal(False)),
        ("iri", "https://example.org/a?b=c#d", URIRef("https://example.org/a?b=c#d")),
    ],
)
def test_a_bound_value_is_the_term_rdflib_made(ptype, value, rdflib_term):
    term = _term(Param("v", ptype), value)
    assert from_ox(term) == rdflib_term
    assert term == to_ox(rdflib_term)
    # written into a VALUES block, pyoxigraph reads back the same term
    text = bind_into_text("SELECT ?v WHERE { BIND (?_v AS ?v) }", {"_v": term})
    assert next(iter(ox.Store().query(text)))["v"] == term


def test_a_date_in_another_iso_form_is_bound_in_its_canonical_form():
    """Python reads 20200901 as a date; rdflib kept that lexical form, a date no engine compares."""
    assert _term(Param("d", "date"), "20200901") == ox.Literal("2020-09-01", datatype=ox.NamedNode(f"{XSD_}date"))


@pytest.mark.parametrize(
    ("ptype", "value"), [("date", "2020-13-01"), ("integer", "7.5"), ("iri", "no iri"), ("boolean", "ja")]
)
def test_a_bad_value_is_refused(ptype, value):
    with pytest.raises(PlangrafError, match="is not"):
        _term(Param("v", ptype), value)


ODD = [
    ox.Literal("007", datatype=ox.NamedNode(f"{XSD_}integer")),
    ox.Literal("+7", datatype=ox.NamedNode(f"{XSD_}integer")),
    ox.Literal("-0", datatype=ox.NamedNode(f"{XSD_}int")),
    ox.Literal("12", datatype=ox.NamedNode(f"{XSD_}nonNegativeInteger")),
    ox.Literal("1", datatype=ox.NamedNode(f"{XSD_}boolean")),
    ox.Literal("0", datatype=ox.NamedNode(f"{XSD_}boolean")),
    ox.Literal("true", datatype=ox.NamedNode(f"{XSD_}boolean")),
    ox.Literal("1.50", datatype=ox.NamedNode(f"{XSD_}decimal")),
    ox.Literal("1.5E0", datatype=ox.NamedNode(f"{XSD_}double")),
    ox.Literal("2020-09-01", datatype=ox.NamedNode(f"{XSD_}date")),
    ox.Literal("2020", datatype=ox.NamedNode(f"{XSD_}gYear")),
    ox.Literal("nb", language="nb"),
    ox.Literal(""),
    ox.NamedNode("https://w3id.org/plangraf/id/x"),
    ox.BlankNode("b0"),
]


@pytest.mark.parametrize("term", ODD, ids=str)
def test_a_value_is_what_rdflib_gives(term):
    assert _value(term) == _python(from_ox(term))
    assert type(_value(term)) is type(_python(from_ox(term)))


def test_every_cell_of_every_shipped_query_is_what_rdflib_gives(paths, store):
    from plangraf.answers.query import bind_params

    cells = 0
    for query in shipped_queries(paths.queries).values():
        text = bind_into_text(query.text, bind_params(query, {}))
        for solution in store.query(text, prefixes=PREFIX_IRIS, use_default_graph_as_union=True):
            for term in solution:
                if term is not None:
                    assert _value(term) == _python(from_ox(term)), (query.name, term)
                    cells += 1
    assert cells > 1000
