"""Laws and provisions (ELI), with in-force dates and the statutory bases of the plan levels."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import (
    DCTERMS,
    ELI,
    PG,
    PGID,
    RDF,
    RDFS,
    SKOS,
    XSD,
    bind_prefixes,
)
from plangraf.reference.lawtext import quote_in, read_section
from plangraf.reference.legal_bases import BASES, KOML_1992, KOML_1992_SECTIONS, KOML_1992_TITLE, Basis, in_force
from plangraf.reference.level_links import LINKS, LevelLink
from plangraf.reference.sources import LAWS_FILE, PROVISIONS, read_shared, source_node
from plangraf.reference.wording import add_amendments, add_wording


def law_iri(lovdata_id: str) -> URIRef:
    return PGID[f"law/{lovdata_id}"]


def provision_iri(lovdata_id: str, kind: str, number: str) -> URIRef:
    return PGID[f"law/{lovdata_id}/{kind}/{number}"]


def _provision_heading(text: str, kind: str, number: str) -> str:
    if kind == "chapter":
        pattern = rf"^#+\s+(Kapittel {re.escape(number)}\.\s.*)$"
    else:
        pattern = rf"^#+\s+(§ {re.escape(number)}\.\s.*)$"
    match = re.search(pattern, text, flags=re.MULTILINE)
    if not match:
        raise PlangrafError(f"heading for {kind} {number} not found", field="provision")
    return match.group(1).strip()


# Laws whose Lovdata text is in Nynorsk (Offentleglova: «Lov om rett til innsyn i dokument i
# offentleg verksemd»); the others are in Bokmål.
NYNORSK = {"LOV-2006-05-19-16"}


EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


def _add_expression(g: Graph, work: URIRef, lang: str, title: str, short: str | None = None) -> None:
    """ELI puts titles on the expression (the text in one language), not on the work."""
    expression = URIRef(f"{work}/{lang}")
    g.add((work, ELI.is_realized_by, expression))
    g.add((expression, RDF.type, ELI.LegalExpression))
    g.add((expression, ELI.realizes, work))
    g.add((expression, ELI.language, URIRef(EU_LANGUAGE + ("NNO" if lang == "nn" else "NOB"))))
    g.add((expression, ELI.title, Literal(title, lang=lang)))
    if short:
        g.add((expression, ELI.title_short, Literal(short, lang=lang)))


def _add_in_force(g: Graph, p: URIRef, lovdata_id: str, number: str) -> None:
    period = in_force(lovdata_id, number)
    if period is None:
        return
    start, until, evidence = period
    if start:
        g.add((p, ELI.first_date_entry_in_force, Literal(start, datatype=XSD.date)))
    if until:
        g.add((p, ELI.date_no_longer_in_force, Literal(until, datatype=XSD.date)))
    g.add((p, PG.inForceEvidence, Literal(evidence, lang="nb")))


def _add_law(g: Graph, row: dict[str, str], src: URIRef) -> None:
    law = law_iri(row["lovdata_id"])
    lang = "nn" if row["lovdata_id"] in NYNORSK else "nb"
    name = row["korttittel"].split(" – ")[0]
    g.add((law, RDF.type, PG.Law))
    g.add((law, ELI.id_local, Literal(row["lovdata_id"])))
    _add_expression(g, law, lang, row["tittel"], row["korttittel"])
    g.add((law, SKOS.prefLabel, Literal(name, lang=lang)))
    g.add((law, RDFS.label, Literal(name, lang=lang)))
    g.add((law, RDFS.seeAlso, URIRef(row["eli_uri"])))
    g.add((law, RDFS.seeAlso, URIRef(row["lovdata_dokument_url"])))
    g.add((law, DCTERMS.source, src))
    note = "Headings and quotes are from the consolidated text as of 2026, not 2020."
    g.add((law, PG.note, Literal(note, lang="en")))


def _add_provision(g: Graph, lovdata_id: str, kind: str, number: str, heading: str, src: URIRef) -> URIRef:
    p = provision_iri(lovdata_id, kind, number)
    lang = "nn" if lovdata_id in NYNORSK else "nb"
    g.add((p, RDF.type, PG.Provision))
    g.add((p, ELI.is_part_of, law_iri(lovdata_id)))
    g.add((law_iri(lovdata_id), ELI.has_part, p))
    g.add((p, ELI.number, Literal(number)))
    _add_expression(g, p, lang, heading)
    g.add((p, SKOS.prefLabel, Literal(heading, lang=lang)))
    g.add((p, RDFS.label, Literal(heading, lang=lang)))
    g.add((p, DCTERMS.source, src))
    if kind == "section":
        _add_in_force(g, p, lovdata_id, number)
        chapter = (lovdata_id, "chapter", number.split("-")[0])
        if chapter in PROVISIONS:
            g.add((p, ELI.is_part_of, provision_iri(*chapter)))
    return p


def _add_koml_1992(g: Graph, src: URIRef) -> None:
    """The repealed kommuneloven of 1992: named by the 2018 act, its text not in the reference."""
    law = law_iri(KOML_1992)
    g.add((law, RDF.type, PG.Law))
    g.add((law, ELI.id_local, Literal(KOML_1992)))
    g.add((law, SKOS.prefLabel, Literal("Kommuneloven (1992)", lang="nb")))
    g.add((law, RDFS.label, Literal("Kommuneloven (1992)", lang="nb")))
    _add_expression(g, law, "nb", KOML_1992_TITLE)
    g.add((law, RDFS.seeAlso, URIRef("https://lovdata.no/eli/lov/1992/09/25/107")))
    g.add((law, DCTERMS.source, src))
    note = (
        "Repealed; its text is not among the reference texts, so no provision of it is quoted. "
        "The title is the one the 2018 act gives it (LOV-2018-06-22-83 § 31-1)."
    )
    g.add((law, PG.note, Literal(note, lang="en")))
    for number, heading in KOML_1992_SECTIONS.items():
        _add_provision(g, KOML_1992, "section", number, heading, src)


def _basis_iri(basis: Basis) -> URIRef:
    where = basis.section + (f"-{basis.paragraph}" if basis.paragraph else "") + (basis.letter or "")
    return PGID[f"statutory-basis/{basis.level}/{basis.law}-{where}-{basis.kind}"]


def _add_basis(g: Graph, basis: Basis, texts: dict[str, str], src: URIRef) -> None:
    node = _basis_iri(basis)
    level = PGID[f"plan-level/{basis.level}"]
    provision = provision_iri(basis.law, "section", basis.section)
    g.add((node, RDF.type, PG.StatutoryBasis))
    g.add((node, PG.basisOfLevel, level))
    g.add((node, PG.inProvision, provision))
    g.add((node, PG.basisKind, PGID[f"basis-kind/{basis.kind}"]))
    g.add((node, DCTERMS.source, src))
    g.add((provision, _KIND_PROPERTY[basis.kind], level))
    if basis.paragraph is not None and basis.quote is not None:
        _add_quote(g, node, texts, basis.law, basis.section, basis.paragraph, basis.letter, basis.quote)
    if basis.letter:
        g.add((node, PG.letter, Literal(basis.letter)))


# one sub-property of pg:concernsPlanLevel per kind of basis
_KIND_PROPERTY = {
    "requires": PG.requiresPlanLevel,
    "permits": PG.permitsPlanLevel,
    "governs": PG.governsPlanLevel,
    "binds": PG.givesEffectToPlanLevel,
}


def _add_quote(
    g: Graph, node: URIRef, texts: dict[str, str], law: str, number: str, paragraph: int, letter: str | None, quote: str
) -> None:
    """The law's words in that paragraph (a quote that is not there stops the conversion), and
    how far the source dates them (:mod:`plangraf.reference.wording`)."""
    words = quote_in(read_section(texts[law], number), paragraph, letter, quote)
    g.add((node, PG.paragraphNumber, Literal(paragraph, datatype=XSD.positiveInteger)))
    g.add((node, PG.provisionText, Literal(words, lang="nn" if law in NYNORSK else "nb")))
    add_wording(g, node, texts, law, number, paragraph, words)


def _add_level_link(g: Graph, link: LevelLink, texts: dict[str, str], src: URIRef) -> None:
    """The direct triple between the two plan levels, and a pg:LevelLink naming its provision."""
    source, target = PGID[f"plan-level/{link.source}"], PGID[f"plan-level/{link.target}"]
    prop = PG[link.prop]
    where = f"{link.section}-{link.paragraph}" + (link.letter or "")
    node = PGID[f"level-link/{link.source}/{link.prop}/{link.target}/{link.law}-{where}"]
    g.add((source, prop, target))
    g.add((node, RDF.type, PG.LevelLink))
    g.add((node, PG.fromLevel, source))
    g.add((node, PG.toLevel, target))
    g.add((node, PG.linkProperty, prop))
    g.add((node, PG.inProvision, provision_iri(link.law, "section", link.section)))
    g.add((node, DCTERMS.source, src))
    _add_quote(g, node, texts, link.law, link.section, link.paragraph, link.letter, link.quote)
    if link.letter:
        g.add((node, PG.letter, Literal(link.letter)))
    if link.note:
        g.add((node, PG.note, Literal(link.note, lang="en")))


def law_texts(shared: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The rows of the laws' identifier file and each law's Lovdata text, by Lovdata id."""
    rows = list(csv.DictReader(io.StringIO(read_shared(shared, LAWS_FILE))))
    return rows, {row["lovdata_id"]: read_shared(shared, row["source_file"]) for row in rows}


def build_laws(shared: Path) -> Graph:
    g = Graph()
    bind_prefixes(g)
    src = source_node(g, LAWS_FILE)
    rows, texts = law_texts(shared)
    for row in rows:
        _add_law(g, row, src)
    for lovdata_id, kind, number in PROVISIONS:
        heading = _provision_heading(texts[lovdata_id], kind, number)
        provision = _add_provision(g, lovdata_id, kind, number, heading, src)
        if kind == "section":
            add_amendments(g, provision, texts[lovdata_id], number)
    _add_koml_1992(g, src)
    for basis in BASES:
        _add_basis(g, basis, texts, src)
    for link in LINKS:
        _add_level_link(g, link, texts, src)
    return g
