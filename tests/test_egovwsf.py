"""The eGovWSF model as the thesis has it (data/reference/egovwsf.ttl): twelve elements in the
scheme; the positions of the model's figure as SKOS collections of elements, not broader
concepts; plangraf's own "partly outside" grouping marked as such; Alter's strategies matched
to the internal policies and strategies; and a SHACL shape that takes only elements."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from plangraf.check.shacl import validate_graph
from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import PG, PGID

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "ontology" / "shapes" / "examples"
PGSH = "https://w3id.org/plangraf/shapes#"
SCHEME = URIRef(f"{PGID}egovwsf")
WSF = URIRef(f"{PGID}wsf")
PAPER = URIRef(f"{PGID}source/lindgren-melin-saebo-2021")
THESIS = URIRef(f"{PGID}source/thesis-2021")
RDFS_IS_DEFINED_BY = URIRef("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")
DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")
DCTERMS_IS_PART_OF = URIRef("http://purl.org/dc/terms/isPartOf")

# the headings of thesis section 2.3, in its order: the frame's four, then the eight inside it
FRAME = {
    "social-economic-political-environment": "Sosialt, økonomisk og politisk miljø",
    "policies-and-strategies": "Retningslinjer og strategier",
    "laws-and-regulations": "Lover og reguleringer",
    "digital-infrastructure": "Digital infrastruktur",
}
INSIDE = {
    "value-for-society": "Verdi for samfunnet",
    "external-stakeholders": "Eksterne interessenter",
    "public-e-services": "Offentlige elektroniske tjenester",
    "processes-and-activities": "Prosesser og aktiviteter",
    "internal-stakeholders": "Interne interessenter",
    "information": "Informasjon",
    "digital-technologies": "Digital teknologi",
    "internal-policies-and-strategies": "Interne retningslinjer og strategier",
}


def element(ident: str) -> URIRef:
    return URIRef(f"{PGID}egovwsf/{ident}")


def position(ident: str) -> URIRef:
    return URIRef(f"{PGID}egovwsf/group/{ident}")


@pytest.fixture(scope="module")
def egov() -> Graph:
    return parse_file(ROOT / "data" / "reference" / "egovwsf.ttl")


def elements_of(graph: Graph) -> set[URIRef]:
    return {
        e
        for e in graph.subjects(SKOS.inScheme, SCHEME)
        if isinstance(e, URIRef) and (e, RDF.type, SKOS.Collection) not in graph
    }


def label(graph: Graph, node: URIRef, lang: str, prop: URIRef = SKOS.prefLabel) -> str:
    return next(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang)


def test_twelve_elements_named_as_in_thesis_section_2_3(egov):
    elements = elements_of(egov)
    assert elements == {element(i) for i in {**FRAME, **INSIDE}}
    assert set(egov.objects(SCHEME, SKOS.hasTopConcept)) == elements
    for ident, name in {**FRAME, **INSIDE}.items():
        node = element(ident)
        assert (node, RDF.type, SKOS.Concept) in egov
        assert (node, SKOS.topConceptOf, SCHEME) in egov
        assert label(egov, node, "nb") == name
        assert label(egov, node, "en") and label(egov, node, "nb", SKOS.definition)
    # figure 3's wording for the English names where the thesis's figure is legible
    assert label(egov, element("laws-and-regulations"), "en") == "Law and regulations"
    assert label(egov, element("public-e-services"), "en") == "Public e-services"


def test_positions_are_collections_whose_members_are_elements(egov):
    elements = elements_of(egov)
    collections = {c for c in egov.subjects(RDF.type, SKOS.Collection) if str(c).startswith(f"{PGID}egovwsf/")}
    assert collections == {position(p) for p in ("outside", "inside", "partly-outside")}
    for collection in collections:
        assert (collection, RDF.type, SKOS.Concept) not in egov
        assert (collection, SKOS.inScheme, None) not in egov  # positions are not in the scheme
        members = set(egov.objects(collection, SKOS.member))
        assert members and members <= elements
        assert label(egov, collection, "nb") and label(egov, collection, "en")
    # the thesis's two positions: the frame (four elements) and inside it (eight)
    frame = set(egov.objects(position("outside"), SKOS.member))
    inside = set(egov.objects(position("inside"), SKOS.member))
    assert frame == {element(i) for i in FRAME} and inside == {element(i) for i in INSIDE}
    assert frame | inside == elements and not frame & inside


def test_no_element_has_a_broader_position(egov):
    for node in elements_of(egov):
        assert list(egov.objects(node, SKOS.broader)) == []
        assert list(egov.objects(node, SKOS.broaderTransitive)) == []
    for collection in egov.subjects(RDF.type, SKOS.Collection):
        assert list(egov.objects(collection, SKOS.narrower)) == []
        assert list(egov.subjects(SKOS.broader, collection)) == []


def test_alters_strategies_are_the_internal_policies_and_strategies(egov):
    strategies = URIRef(f"{PGID}wsf/strategies")
    assert (element("internal-policies-and-strategies"), SKOS.closeMatch, strategies) in egov
    mapped = {s for p in (SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
              for s in egov.subjects(p, strategies)}  # fmt: skip
    assert mapped == {element("internal-policies-and-strategies")}
    national = element("policies-and-strategies")
    assert not [o for p, o in egov.predicate_objects(national) if str(o).startswith(f"{PGID}wsf/")]
    assert (strategies, SKOS.inScheme, WSF) in egov


def test_partly_outside_is_marked_as_plangrafs_addition(egov):
    partly = position("partly-outside")
    assert "plangraf" in label(egov, partly, "nb") and "plangraf's addition" in label(egov, partly, "en")
    notes = {o.language: str(o) for o in egov.objects(partly, SKOS.editorialNote)}
    assert set(notes) >= {"nb", "en"}
    assert "plangrafs eget tillegg" in notes["nb"] and "plangraf's own addition" in notes["en"]
    members = set(egov.objects(partly, SKOS.member))
    assert members == {element(i) for i in ("value-for-society", "external-stakeholders", "public-e-services")}
    assert members <= set(egov.objects(position("inside"), SKOS.member))
    assert (partly, PG.sourceSection, None) not in egov  # not the thesis's


def test_text_from_the_thesis_credits_its_section_and_the_model_the_paper(egov):
    section_23 = URIRef(f"{THESIS}/section/2.3")
    for node in elements_of(egov) | {SCHEME}:
        assert section_23 in set(egov.objects(node, PG.sourceSection)), node
        assert (node, RDFS_IS_DEFINED_BY, PAPER) in egov
        assert (node, DCTERMS_SOURCE, PAPER) not in egov  # the paper's text is not used
    for section in set(egov.objects(None, PG.sourceSection)):
        assert (section, RDF.type, PG.SectionOfSource) in egov
        assert (section, DCTERMS_IS_PART_OF, THESIS) in egov
    assert URIRef(f"{THESIS}/section/5.5") in set(
        egov.objects(element("internal-policies-and-strategies"), PG.sourceSection)
    )


PREFIXES = """@prefix ex: <https://example.org/plangraf/> . @prefix pg: <https://w3id.org/plangraf/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix pgid: <https://w3id.org/plangraf/id/> .
"""


def materialised(*extra: str, reference: bool = False) -> Graph:
    """valid.ttl with ``extra`` Turtle (and the eGovWSF reference data), as validation sees it:
    with the OWL RL inferences (pg:element's range makes any value a skos:Concept)."""
    from plangraf.graph.inference import infer

    g = parse_file(ROOT / "ontology" / "plangraf.ttl")
    parse_file(ROOT / "data" / "reference" / "vocabularies.ttl", g)
    parse_file(EXAMPLES / "valid.ttl", g)
    if reference:
        parse_file(ROOT / "data" / "reference" / "egovwsf.ttl", g)
    for turtle in extra:
        g.parse(data=PREFIXES + turtle, format="turtle")
    return g + infer(g)


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize(
    "collection",
    [
        "ex:position",  # a position as the reference data has it: not in the scheme
        "ex:in-scheme",  # even a collection put in the scheme is not an element
    ],
)
def test_the_shape_rejects_a_collection_as_an_element(shapes, engine, collection):
    data = materialised(
        "ex:in-scheme a skos:Collection ; skos:inScheme pgid:egovwsf ; skos:member ex:element .",
        f"ex:finding-quote pg:element {collection} .",
    )
    found = {
        (i.shape, i.value) for i in validate_graph(data, shapes, engine=engine).issues if i.severity == "Violation"
    }
    value = collection.replace("ex:", "https://example.org/plangraf/")
    assert (PGSH + "Finding-element", value) in found


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_the_shape_rejects_the_real_positions_and_takes_the_real_elements(shapes, engine):
    inside = position("inside")
    data = materialised(
        f"ex:finding-quote pg:element <{element('information')}> ; pg:elementAbsent <{inside}> .", reference=True
    )
    issues = [i for i in validate_graph(data, shapes, engine=engine).issues if i.severity == "Violation"]
    assert {(i.shape, i.value) for i in issues if i.shape.startswith(PGSH + "Finding-")} == {
        (PGSH + "Finding-elementAbsent", str(inside))
    }


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_the_invalid_example_shows_a_position_rejected(root, shapes, engine):
    from test_shapes import materialise

    report = validate_graph(materialise(root, EXAMPLES / "invalid" / "Finding-element.ttl"), shapes, engine=engine)
    values = {i.value for i in report.issues if i.shape == PGSH + "Finding-element"}
    assert values == {"https://example.org/plangraf/position", "https://example.org/plangraf/not-an-element"}


def test_the_codebook_codes_every_element_once_under_the_thesiss_positions(root):
    from plangraf.qda.codebook import build_codebook

    (group,) = [top for top in build_codebook(root / "data" / "reference") if top.ident == "element"]
    assert [c.ident for c in group.children] == ["group/inside", "group/outside"]
    codes = [c for top in group.children for c in top.children]
    assert sorted(c.ident for c in codes) == sorted({**FRAME, **INSIDE})
    assert all(c.kind == "element" and c.codable for c in codes)
