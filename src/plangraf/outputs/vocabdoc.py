"""Render the ontology's own terms as Markdown (docs/ontology.md), from the Turtle itself."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import ELI, ONTOLOGY_IRI, PG

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


PLAN_LEVEL = "https://w3id.org/plangraf/id/plan-level"
_KIND_ORDER = {"requires": 0, "binds": 1, "governs": 2, "permits": 3}
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def _node_id(concept: URIRef) -> str:
    return str(concept).rsplit("/", 1)[1].replace("-", "_")


def _levels(ref: Graph) -> list[URIRef]:
    """The plan levels depth first: the national, regional and municipal tiers in turn, each
    followed by the levels under it."""
    scheme = URIRef(PLAN_LEVEL)
    concepts = {c for c in ref.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
    order = {f"{PLAN_LEVEL}/{tier}": i for i, tier in enumerate(("national", "regional", "municipal"))}
    out: list[URIRef] = []

    def visit(concept: URIRef) -> None:
        out.append(concept)
        for child in sorted((c for c in concepts if (c, SKOS.broader, concept) in ref), key=str):
            visit(child)

    for top in sorted((c for c in concepts if (c, SKOS.broader, None) not in ref), key=lambda c: order.get(str(c), 9)):
        visit(top)
    return out


def hierarchy_diagram(ref: Graph) -> list[str]:
    """A Mermaid flowchart of the plan levels, one edge per skos:broader (broader above)."""
    out = ["```mermaid", "flowchart TD"]
    for concept in _levels(ref):
        label = f"{_text(ref, concept, SKOS.prefLabel, 'nb')}<br/><i>{_text(ref, concept, SKOS.prefLabel, 'en')}</i>"
        out.append(f'    {_node_id(concept)}["{label}"]')
    for concept in _levels(ref):
        for broader in sorted((b for b in ref.objects(concept, SKOS.broader) if isinstance(b, URIRef)), key=str):
            out.append(f"    {_node_id(broader)} --> {_node_id(concept)}")
    return out + ["```"]


def _in_force(ref: Graph, provision: Node) -> str:
    start = ref.value(provision, ELI.first_date_entry_in_force)
    until = ref.value(provision, ELI.date_no_longer_in_force)
    if start is None and until is None:
        return ""
    return f" [in force {start or 'unknown'} to {until or 'now'}]"


def _basis_line(ref: Graph, basis: Node) -> tuple[int, str]:
    provision = ref.value(basis, PG.inProvision)
    assert isinstance(provision, URIRef), basis
    kind = str(ref.value(basis, PG.basisKind)).rsplit("/", 1)[1]
    where = _text(ref, provision, SKOS.prefLabel, "nb") or str(provision)
    law = next((w for w in ref.objects(provision, ELI.is_part_of) if (w, RDF.type, PG.Law) in ref), None)
    law_name = _text(ref, law, SKOS.prefLabel, "nb") if isinstance(law, URIRef) else ""
    paragraph = ref.value(basis, PG.paragraphNumber)
    letter = ref.value(basis, PG.letter)
    place = f", {_ORDINAL.get(int(str(paragraph)), str(paragraph))} paragraph" if paragraph is not None else ""
    place += f", letter {letter}" if letter is not None else ""
    text = ref.value(basis, PG.provisionText)
    quote = f": «{text}»" if text is not None else " (text not in the reference collection)"
    return _KIND_ORDER.get(kind, 9), f"- *{kind}* — {law_name} {where}{place}{_in_force(ref, provision)}{quote}"


def hierarchy_section(ref: Graph) -> list[str]:
    """The plan levels, level by level, with the provisions that put each there."""
    out = ["## The planning hierarchy", "", "Generated from `data/reference/vocabularies.ttl` and",
           "`data/reference/laws.ttl` (the statutory bases, quoted from the law texts).", ""]  # fmt: skip
    out += hierarchy_diagram(ref) + [""]
    for concept in _levels(ref):
        out.append(f"### {_text(ref, concept, SKOS.prefLabel, 'nb')} / {_text(ref, concept, SKOS.prefLabel, 'en')}")
        out += ["", _text(ref, concept, SKOS.definition, "en"), ""]
        lines = sorted(_basis_line(ref, b) for b in ref.subjects(PG.basisOfLevel, concept))
        out += [line for _, line in lines] or ["- No provision puts this level in the planning system."]
        out.append("")
    return out


def render(ontology_path: Path, reference: Path | None = None) -> str:
    """Markdown for every class and property in the ``pg:`` namespace, and (given the
    reference folder) the planning hierarchy with its statutory bases."""
    g = parse_file(ontology_path)
    version = g.value(ONTOLOGY_IRI, OWL.versionIRI)
    out = [
        "# The plangraf ontology",
        "",
        "Generated from `ontology/plangraf.ttl` by `plangraf.outputs.vocabdoc`; do not edit by hand.",
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
    if reference is not None:
        ref = Graph()
        for name in ("vocabularies.ttl", "laws.ttl"):
            parse_file(Path(reference) / name, ref)
        out += hierarchy_section(ref)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # python -m plangraf.outputs.vocabdoc: rewrite docs/ontology.md in a checkout
    from plangraf.core.resources import source_root

    root = source_root() or Path.cwd()
    (root / "docs" / "ontology.md").write_text(
        render(root / "ontology" / "plangraf.ttl", root / "data" / "reference"), encoding="utf-8"
    )
