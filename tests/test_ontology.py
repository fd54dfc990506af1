"""The ontology parses, is versioned and documents every own term in nb and en."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from plangraf.rdf.files import defined_terms, parse_file
from plangraf.rdf.namespaces import ONTOLOGY_IRI, PG


def load(root) -> Graph:
    return parse_file(root / "ontology" / "plangraf.ttl")


def test_ontology_has_version_iri_and_licence(root):
    g = load(root)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    version = g.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert str(version).startswith("https://w3id.org/plangraf/ontology/")
    assert g.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")) is not None


def test_every_own_term_has_nb_and_en_label_and_definition(root):
    g = load(root)
    terms = defined_terms(g)
    assert len(terms) > 60
    missing = []
    for term in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            langs = {lit.language for lit in g.objects(term, prop)}
            for lang in ("nb", "en"):
                if lang not in langs:
                    missing.append(f"{term} {prop} @{lang}")
    assert missing == []


def test_every_pg_term_used_in_the_ontology_is_declared(root):
    g = load(root)
    terms = defined_terms(g)
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and t in PG}
    assert used - terms == set()


def test_shortcut_is_a_property_chain(root):
    g = load(root)
    chain = g.value(PG.municipalityReflects, OWL.propertyChainAxiom)
    assert chain is not None
    from rdflib.collection import Collection

    assert list(Collection(g, chain)) == [PG.ownsDocument, PG.documentReflects]


def test_ontology_doc_is_generated_from_the_turtle(root):
    from plangraf.outputs.vocabdoc import render

    expected = render(root / "ontology" / "plangraf.ttl", root / "data" / "reference")
    assert (root / "docs" / "ontology.md").read_text(encoding="utf-8") == expected
    assert "```mermaid" in expected and 'kommuneplan -->|"omfatter (pbl. § 11-1)"| samfunnsdel' in expected
    assert "«Økonomiplanen etter kommuneloven § 14-2 bokstav a kan inngå i eller utgjøre handlingsdelen.»" in expected


def test_the_hierarchy_diagram_is_one_connected_graph(root):
    """Every plan level has an arrow (a typed link or, where no provision links it, the force of
    its guidance), and levels, tier boxes and arrows form one connected graph."""
    import re

    from plangraf.outputs.vocabdoc import render

    text = render(root / "ontology" / "plangraf.ttl", root / "data" / "reference")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    membership: set[tuple[str, str]] = set()
    arrows: set[tuple[str, str]] = set()
    tier = ""
    for line in diagram.splitlines():
        if m := re.match(r"\s*subgraph (\w+)\[", line):
            tier = m.group(1)
        elif m := re.match(r"\s+(\w+)\[\"", line):
            membership.add((m.group(1), tier))
        elif m := re.match(r"\s+(\w+) -\.?->\|\"[^\"]+\"\| (\w+)$", line):
            arrows.add((m.group(1), m.group(2)))
    levels = {level for level, _ in membership}
    assert len(levels) == 23 and len({t for _, t in membership}) == 3
    assert levels - {node for arrow in arrows for node in arrow} == set()
    edges = membership | arrows
    seen, todo = set(), [next(iter(levels))]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += [b for a, b in edges if a == node] + [a for a, b in edges if b == node]
    assert levels <= seen, levels - seen
    # without the tier boxes, the levels that a provision links are connected too
    linked = {node for a, b in arrows if not b.endswith("_tier") for node in (a, b)}
    seen, todo = set(), ["kommuneplan"]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += [b for a, b in arrows if a == node] + [
                a for a, b in arrows if b == node and not b.endswith("_tier")
            ]
    assert linked <= seen, linked - seen
