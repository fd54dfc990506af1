"""Issue 23: instances of statlige planretningslinjer and a regional planstrategi or regional
plan for Rogaland and Vestfold og Telemark have no source in shared/reference, so none is
recorded, and the plan levels say so in nb and en (docs/ontology.md shows it)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import PG

LEVEL = "https://w3id.org/plangraf/id/plan-level/"
UNRECORDED = ("statlige-planretningslinjer", "regional-planstrategi", "regional-plan")


def _reference(root) -> Graph:
    g = Graph()
    for path in sorted((root / "data" / "reference").glob("*.ttl")):
        parse_file(path, g)
    return g


def test_no_instance_without_a_source_and_the_levels_say_why(root, shared_reference):
    g = _reference(root)
    for name in UNRECORDED:
        level = URIRef(LEVEL + name)
        assert not list(g.subjects(PG.planLevel, level)), name  # nothing made up
        notes = {n.language: str(n) for n in g.objects(level, SKOS.editorialNote)}
        assert set(notes) == {"nb", "en"}, name
        assert "for want of a source" in notes["en"] and "i mangel av kilde" in notes["nb"]
    # the one sentence quoted from the reference is the source's own words
    resolution = (shared_reference / "guidance-texts" / "nasjonale-forventninger-2019-2023.txt").read_text("utf-8")
    quoted = "inneholder et eget kapittel om status for statlige planretningslinjer"
    assert quoted in resolution
    assert all(quoted in str(n) for n in g.objects(URIRef(LEVEL + "statlige-planretningslinjer"), SKOS.editorialNote))


def test_the_ontology_docs_show_the_notes(root):
    text = (root / "docs" / "ontology.md").read_text("utf-8")
    assert text.count("*Note:* No ") == len(UNRECORDED)
