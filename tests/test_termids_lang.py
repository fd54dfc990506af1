"""Why :meth:`plangraf.rdf.termids.TermIds.id` may skip rdflib's lexical normalisation for a
language-tagged literal: through rdflib and back it is the same literal, whatever its value and
however its tag is written."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.termids import TermIds

TAGS = st.sampled_from(["nb", "nn", "en", "se", "NB", "nb-NO", "en-GB", "sma", "de-1901", "x-private"])
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT, TAGS)
def test_a_language_tagged_literal_is_the_same_through_rdflib(value: str, tag: str) -> None:
    literal = ox.Literal(value, language=tag)
    assert oxbridge.to_ox(oxbridge.from_ox(literal)) == literal
    ids = TermIds()
    assert ids.terms[ids.id(literal)] == literal
    assert ids.of_rdflib(oxbridge.from_ox(literal)) == ids.id(literal)


def test_a_typed_literal_still_gets_the_id_of_its_normal_form() -> None:
    ids = TermIds()
    xsd_integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert ids.id(ox.Literal("007", datatype=xsd_integer)) == ids.id(ox.Literal("7", datatype=xsd_integer))
    assert len(ids.terms) == 1
