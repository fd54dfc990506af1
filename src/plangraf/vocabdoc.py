"""Render the ontology's own terms as Markdown (docs/ontology.md), from the Turtle itself."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .namespaces import ONTOLOGY_IRI, PG
from .rdfio import parse_file

_KINDS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
]


def _text(graph: Graph, term: URIRef, prop: URIRef, lang: str) -> str:
    for value in graph.objects(term, prop):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def _curie(term: Node, graph: Graph) -> str:
    return graph.namespace_manager.normalizeUri(str(term))


def render(ontology_path: Path) -> str:
    """Markdown for every class and property in the ``pg:`` namespace."""
    g = parse_file(ontology_path)
    version = g.value(ONTOLOGY_IRI, OWL.versionIRI)
    out = [
        "# The plangraf ontology",
        "",
        "Generated from `ontology/plangraf.ttl` by `plangraf.vocabdoc`; do not edit by hand.",
        "",
        f"Namespace `{PG}`, version IRI `{version}`.",
        "",
    ]
    for kind, heading in _KINDS:
        terms = sorted(t for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef) and t in PG)
        out += [f"## {heading}", ""]
        for term in terms:
            out.append(
                f"### `{_curie(term, g)}` — {_text(g, term, RDFS.label, 'en')} / {_text(g, term, RDFS.label, 'nb')}"
            )
            out.append("")
            out.append(_text(g, term, SKOS.definition, "en"))
            out.append("")
            out.append(f"*nb:* {_text(g, term, SKOS.definition, 'nb')}")
            out.append("")
            facts = []
            for prop, name in (
                (RDFS.subClassOf, "sub-class of"),
                (RDFS.subPropertyOf, "sub-property of"),
                (OWL.inverseOf, "inverse of"),
                (RDFS.domain, "domain"),
                (RDFS.range, "range"),
            ):
                values = sorted(_curie(v, g) for v in g.objects(term, prop) if isinstance(v, URIRef))
                if values:
                    facts.append(f"{name} {', '.join(f'`{v}`' for v in values)}")
            chain = g.value(term, OWL.propertyChainAxiom)
            if chain is not None:
                from rdflib.collection import Collection

                facts.append("chain " + " ∘ ".join(f"`{_curie(v, g)}`" for v in Collection(g, chain)))
            if (term, RDF.type, OWL.TransitiveProperty) in g:
                facts.append("transitive")
            if facts:
                out.append("- " + "; ".join(facts))
            example = _text(g, term, SKOS.example, "en")
            if example:
                out.append(f"- Example: {example}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
