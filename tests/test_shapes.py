"""Every shape has a valid and an invalid example, and the invalid one is reported by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from plangraf.check.shacl import validate_graph
from plangraf.graph.inference import infer
from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import SH

PGSH = "https://w3id.org/plangraf/shapes#"
EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples"


def checked_shapes(shapes: Graph) -> set[str]:
    """Shapes that report something: property shapes and SPARQL constraints with a severity."""
    names = set()
    for s in shapes.subjects(SH.severity, None):
        if isinstance(s, URIRef) and str(s).startswith(PGSH):
            names.add(str(s)[len(PGSH) :])
    return names


def materialise(root: Path, example: Path) -> Graph:
    g = parse_file(root / "ontology" / "plangraf.ttl")
    parse_file(root / "data" / "reference" / "vocabularies.ttl", g)
    parse_file(example, g)
    return g + infer(g)


def test_every_shape_has_an_invalid_example(shapes):
    invalid = {p.stem for p in (EXAMPLES / "invalid").glob("*.ttl")}
    assert checked_shapes(shapes) - invalid == set()
    assert invalid - checked_shapes(shapes) == set()


def test_valid_example_has_no_issue(root, shapes):
    report = validate_graph(materialise(root, EXAMPLES / "valid.ttl"), shapes)
    assert report.issues == []
    assert report.conforms


@pytest.mark.parametrize("example", sorted((EXAMPLES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_example_is_reported_by_its_shape(root, shapes, example):
    report = validate_graph(materialise(root, example), shapes)
    reporting = {i.shape[len(PGSH) :] for i in report.issues if i.shape.startswith(PGSH)}
    assert example.stem in reporting, [(i.shape, i.message) for i in report.issues]
    severity = {i.severity for i in report.issues if i.shape == PGSH + example.stem}
    expected = shapes.value(URIRef(PGSH + example.stem), SH.severity)
    assert severity == {expected.split("#")[-1]}


def test_shapes_are_typed(shapes):
    for name in checked_shapes(shapes):
        types = set(shapes.objects(URIRef(PGSH + name), RDF.type))
        assert types & {SH.PropertyShape, SH.SPARQLConstraint, SH.NodeShape}, name


def test_the_shapes_that_rely_on_inference_say_so(root, shapes):
    """Exactly the shapes marked pg:reliesOnInference answer differently on the asserted
    examples alone than on the examples with their OWL RL inferences."""
    from plangraf.rdf.namespaces import PG

    def reporting(example: Path, inferred: bool) -> set[str]:
        g = parse_file(root / "ontology" / "plangraf.ttl")
        parse_file(root / "data" / "reference" / "vocabularies.ttl", g)
        parse_file(example, g)
        report = validate_graph(g + infer(g) if inferred else g, shapes)
        return {i.shape[len(PGSH) :] for i in report.issues if i.shape.startswith(PGSH)}

    differ: set[str] = set()
    for example in (EXAMPLES / "valid.ttl", EXAMPLES / "invalid" / "Finding-reflects.ttl"):
        differ |= reporting(example, False) ^ reporting(example, True)
    marked = {str(s)[len(PGSH) :] for s in shapes.subjects(PG.reliesOnInference, None)}
    assert marked == differ == {"Finding-document", "Finding-reflects", "GoverningDocument-owner"}
    assert all(shapes.value(URIRef(PGSH + name), PG.reliesOnInference).language == "en" for name in marked)
