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
_LAW_SHORT = {"LOV-2008-06-27-71": "pbl.", "LOV-2018-06-22-83": "koml."}
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def _node_id(concept: URIRef) -> str:
    return str(concept).rsplit("/", 1)[1].replace("-", "_")


def _tiers(ref: Graph) -> list[tuple[URIRef, list[URIRef]]]:
    """The tiers (a skos:Collection each, by pg:tierRank) with their member plan levels."""
    tiers = sorted(
        (c for c in ref.subjects(PG.tierRank, None) if isinstance(c, URIRef)),
        key=lambda c: int(str(ref.value(c, PG.tierRank))),
    )
    return [(tier, [m for m in ref.objects(tier, SKOS.member) if isinstance(m, URIRef)]) for tier in tiers]


def _links(ref: Graph) -> list[Node]:
    """The typed links between plan levels (pg:LevelLink), in a stable order."""

    def key(link: Node) -> tuple[str, str, str, str]:
        return tuple(str(ref.value(link, p)) for p in (PG.fromLevel, PG.toLevel, PG.linkProperty, PG.inProvision))  # type: ignore[return-value]

    return sorted(ref.subjects(RDF.type, PG.LevelLink), key=key)


def _levels(ref: Graph) -> list[URIRef]:
    """The plan levels tier by tier (national, regional, municipal); within a tier, each level
    after the levels that link to it, else by name."""
    out: list[URIRef] = []
    for _tier, members in _tiers(ref):
        pending = sorted(members, key=str)
        while pending:
            ready = [
                m for m in pending
                if not any(ref.value(link, PG.fromLevel) in pending and ref.value(link, PG.fromLevel) != m
                           for link in ref.subjects(PG.toLevel, m))
            ] or pending[:1]  # fmt: skip
            out.append(ready[0])
            pending.remove(ready[0])
    return out


def _law_of(ref: Graph, provision: Node | None) -> Node | None:
    """The act a provision is part of (not its chapter)."""
    return next((w for w in ref.objects(provision, ELI.is_part_of) if (w, RDF.type, PG.Law) in ref), None)


def _citation(ref: Graph, node: Node) -> str:
    """«Plan- og bygningsloven § 11-1, fourth paragraph, letter a» for a basis or a link."""
    provision = ref.value(node, PG.inProvision)
    law = _law_of(ref, provision)
    law_name = _text(ref, law, SKOS.prefLabel, "nb") if isinstance(law, URIRef) else ""
    paragraph = ref.value(node, PG.paragraphNumber)
    letter = ref.value(node, PG.letter)
    place = f", {_ORDINAL.get(int(str(paragraph)), str(paragraph))} paragraph" if paragraph is not None else ""
    place += f", letter {letter}" if letter is not None else ""
    return f"{law_name} § {ref.value(provision, ELI.number)}{place}"


def hierarchy_diagram(ref: Graph, onto: Graph) -> list[str]:
    """A Mermaid flowchart of the plan levels: one box per tier (its skos:Collection) and one
    edge per typed link (pg:LevelLink), labelled with the law's words and the provision."""
    out = ["```mermaid", "flowchart TD"]
    for tier, members in _tiers(ref):
        names = f"{_text(ref, tier, SKOS.prefLabel, 'nb')} / {_text(ref, tier, SKOS.prefLabel, 'en')}"
        out.append(f'    subgraph {_node_id(tier)}_tier["{names}"]')
        for concept in (c for c in _levels(ref) if c in members):
            label = (
                f"{_text(ref, concept, SKOS.prefLabel, 'nb')}<br/><i>{_text(ref, concept, SKOS.prefLabel, 'en')}</i>"
            )
            out.append(f'        {_node_id(concept)}["{label}"]')
        out.append("    end")
    for link in _links(ref):
        source, target = ref.value(link, PG.fromLevel), ref.value(link, PG.toLevel)
        prop = ref.value(link, PG.linkProperty)
        assert isinstance(source, URIRef) and isinstance(target, URIRef) and isinstance(prop, URIRef), link
        provision = ref.value(link, PG.inProvision)
        law = str(_law_of(ref, provision)).rsplit("/", 1)[-1]
        where = f"{_LAW_SHORT.get(law, law)} § {ref.value(provision, ELI.number)}"
        out.append(f'    {_node_id(source)} -->|"{_text(onto, prop, RDFS.label, "nb")} ({where})"| {_node_id(target)}')
    linked = {ref.value(link, p) for link in _links(ref) for p in (PG.fromLevel, PG.toLevel)}
    municipal = _tiers(ref)[-1][0]
    for concept in (c for c in _levels(ref) if c not in linked):
        forces = sorted({_text(ref, f, SKOS.prefLabel, "nb") for d in ref.subjects(PG.planLevel, concept)
                         for f in ref.objects(d, PG.forceForMunicipalities) if isinstance(f, URIRef)})  # fmt: skip
        if forces:  # no provision links the level: the force its guidance has, from guidance.ttl
            out.append(f'    {_node_id(concept)} -.->|"{" / ".join(forces)}"| {_node_id(municipal)}_tier')
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
    where = (
        _citation(ref, basis)
        if ref.value(basis, PG.paragraphNumber) is not None
        else (_text(ref, provision, SKOS.prefLabel, "nb") or str(provision))
    )
    text = ref.value(basis, PG.provisionText)
    quote = f": «{text}»" if text is not None else " (text not in the reference collection)"
    return _KIND_ORDER.get(kind, 9), f"- *{kind}* — {where}{_in_force(ref, provision)}{quote}"


def _link_lines(ref: Graph, onto: Graph, concept: URIRef) -> list[str]:
    lines = []
    for link in _links(ref):
        if ref.value(link, PG.fromLevel) != concept:
            continue
        target, prop = ref.value(link, PG.toLevel), ref.value(link, PG.linkProperty)
        assert isinstance(target, URIRef) and isinstance(prop, URIRef), link
        note = ref.value(link, PG.note)
        lines.append(
            f"- *{_text(onto, prop, RDFS.label, 'nb')}* → {_text(ref, target, SKOS.prefLabel, 'nb')} — "
            f"{_citation(ref, link)}: «{ref.value(link, PG.provisionText)}»" + (f" ({note})" if note else "")
        )
    return lines


def hierarchy_section(ref: Graph, onto: Graph) -> list[str]:
    """The plan levels, tier by tier, with the provisions that put each there and the typed
    links that run from it."""
    out = ["## The planning hierarchy", "", "Generated from `data/reference/vocabularies.ttl` and",
           "`data/reference/laws.ttl` (the statutory bases and the typed links between the levels,",
           "quoted from the law texts). The boxes are the tiers (a `skos:Collection` each); every",
           "solid arrow is one `pg:LevelLink`, in the law's words, with the section that creates it.",
           "A dotted arrow is drawn where no provision links a level: it carries the force for the",
           "municipalities (`pg:forceForMunicipalities`, `data/reference/guidance.ttl`) of the guidance",
           "documents at that level.", ""]  # fmt: skip
    out += hierarchy_diagram(ref, onto) + [""]
    for concept in _levels(ref):
        out.append(f"### {_text(ref, concept, SKOS.prefLabel, 'nb')} / {_text(ref, concept, SKOS.prefLabel, 'en')}")
        out += ["", _text(ref, concept, SKOS.definition, "en"), ""]
        if (concept, SKOS.editorialNote, None) in ref:  # e.g. instances not recorded for want of a source
            out += [f"*Note:* {_text(ref, concept, SKOS.editorialNote, 'en')}", ""]
        lines = sorted(_basis_line(ref, b) for b in ref.subjects(PG.basisOfLevel, concept))
        out += [line for _, line in lines] or ["- No provision puts this level in the planning system."]
        out += _link_lines(ref, onto, concept)
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
        for name in ("vocabularies.ttl", "laws.ttl", "guidance.ttl"):
            parse_file(Path(reference) / name, ref)
        out += hierarchy_section(ref, g)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # python -m plangraf.outputs.vocabdoc: rewrite docs/ontology.md in a checkout
    from plangraf.core.resources import source_root

    root = source_root() or Path.cwd()
    (root / "docs" / "ontology.md").write_text(
        render(root / "ontology" / "plangraf.ttl", root / "data" / "reference"), encoding="utf-8"
    )
