"""Checked study content as triples: the study, documents, findings, memberships, structures and
alternative readings.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import Literal, URIRef

from plangraf.rdf.namespaces import (
    ADMS,
    DCAT,
    DCTERMS,
    FOAF,
    OA,
    ORG,
    PG,
    PGID,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    concept_iri,
    cooperation_iri,
    document_iri,
    element_iri,
    finding_iri,
    municipality_iri,
    structure_iri,
)
from plangraf.study.chain import plan_levels
from plangraf.study.links import (
    Defaults,
    TripleSink,
    emit_links,
)
from plangraf.study.readings import Alternative


def _sections(source: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;,]", source) if s.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


class TripleBuilder:
    def __init__(self, graph: TripleSink, study_iri: URIRef, source_iri: URIRef) -> None:
        self.g = graph
        self.study = study_iri
        self.source = source_iri
        self._sections: set[str] = set()

    def section(self, subject: URIRef, source: str, prop: URIRef = PG.sourceSection) -> None:
        for sec in _sections(source):
            node = URIRef(f"{self.source}/section/{_slug(sec)}")
            self.g.add((subject, prop, node))
            if sec not in self._sections:
                self._sections.add(sec)
                self.g.add((node, RDF.type, PG.SectionOfSource))
                self.g.add((node, DCTERMS.identifier, Literal(sec)))
                self.g.add((node, DCTERMS.isPartOf, self.source))
                self.g.add((node, RDFS.label, Literal(sec)))


def emit_membership(graph: TripleSink, builder: TripleBuilder, slug: str, member: dict[str, Any]) -> None:
    municipality = municipality_iri(slug)
    coop = cooperation_iri(member["cooperation"])
    membership = PGID[f"membership/{slug}/{member['cooperation']}"]
    graph.add((coop, ORG.hasMember, municipality))
    graph.add((membership, RDF.type, ORG.Membership))
    graph.add((membership, ORG.member, municipality))
    graph.add((membership, ORG.organization, coop))
    builder.section(membership, member["source"])
    if "note" in member:
        graph.add((membership, PG.note, Literal(member["note"], lang="en")))


def emit_structure(graph: TripleSink, builder: TripleBuilder, structure: dict[str, Any], municipality: URIRef) -> None:
    s = structure_iri(structure["id"])
    graph.add((s, RDF.type, PG.CoordinationStructure))
    graph.add((s, SKOS.prefLabel, Literal(structure["name"], lang="nb")))
    graph.add((s, RDFS.label, Literal(structure["name"], lang="nb")))
    graph.add((s, PG.structureKind, concept_iri("structure-kind", structure["kind"])))
    graph.add((s, ORG.unitOf, municipality))
    for ref_doc in structure.get("documents", []):
        graph.add((s, PG.describedIn, document_iri(ref_doc)))
    builder.section(s, structure["source"])
    if "note" in structure:
        graph.add((s, PG.note, Literal(structure["note"], lang="en")))


def emit_alternative(graph: TripleSink, builder: TripleBuilder, alt: Alternative) -> None:
    node = PGID[f"reading/{alt.id}"]
    entity = {"document": document_iri, "finding": finding_iri, "structure": structure_iri}[alt.kind](alt.entity)
    graph.add((node, RDF.type, PG.AlternativeReading))
    graph.add((node, DCTERMS.identifier, Literal(alt.id)))
    graph.add((node, PG.alternativeOf, entity))
    graph.add((node, PG.field, Literal(alt.field)))
    value = alt.value if isinstance(alt.value, str) else json.dumps(alt.value, ensure_ascii=False)
    graph.add((node, PG.alternativeValue, Literal(value)))
    graph.add((node, PG.reason, Literal(alt.reason, lang="en")))
    if alt.quote:
        graph.add((node, PG.supportingQuote, Literal(alt.quote, lang="nb")))
    builder.section(node, alt.source)


def emit_study(graph: TripleSink, builder: TripleBuilder, study: dict[str, Any]) -> None:
    s = builder.study
    graph.add((s, RDF.type, PG.Study))
    graph.add((s, DCTERMS.identifier, Literal(study["id"])))
    graph.add((s, DCTERMS.title, Literal(study["title"], lang="nb")))
    graph.add((s, RDFS.label, Literal(study["title"], lang="nb")))
    graph.add((s, PG.researchQuestion, Literal(study["question"], lang="nb")))
    graph.add((s, PROV.used, builder.source))
    graph.add((s, DCTERMS.source, builder.source))
    for key, prop in (("method", PG.method), ("institution", DCTERMS.publisher)):
        if key in study:
            graph.add((s, prop, Literal(study[key], lang="nb")))
    if "year" in study:
        graph.add((s, DCTERMS.issued, Literal(str(study["year"]), datatype=XSD.gYear)))
    sample = study["sample"]
    if "criterion" in sample:
        graph.add((s, PG.sampleCriterion, Literal(sample["criterion"], lang="nb")))
    graph.add((s, PG.populationThreshold, Literal(sample["threshold"], datatype=XSD.integer)))
    graph.add((s, PG.populationDate, Literal(sample["population_date"], datatype=XSD.date)))
    for county in sample["counties"]:
        graph.add((s, PG.sampleCounty, PGID[f"county/{county}"]))
    graph.add((s, PG.askedCount, Literal(sample["asked"], datatype=XSD.integer)))
    graph.add((s, PG.answeredCount, Literal(sample["answered"], datatype=XSD.integer)))
    if "source" in sample:
        builder.section(s, sample["source"])
    study_date = study.get("study_date", study.get("requested"))
    if study_date:
        graph.add((s, PG.studyDate, Literal(study_date, datatype=XSD.date)))
    for key, prop in (("requested", PG.requestDate), ("reminder", PG.reminderDate)):
        if key in study:
            graph.add((s, prop, Literal(study[key], datatype=XSD.date)))
    for question in study.get("coding_questions", []):
        graph.add((s, PG.codingQuestion, Literal(question, lang="nb")))
    for coder in study["coders"]:
        agent = PGID[f"agent/{coder['id']}"]
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, FOAF.name, Literal(coder["name"])))
        graph.add((agent, RDFS.label, Literal(coder["name"])))
        if "orcid" in coder:
            graph.add((agent, PG.orcid, URIRef(coder["orcid"])))
        graph.add((s, PROV.wasAssociatedWith, agent))
    for response in study["responses"]:
        r = PGID[f"study/{study['id']}/response/{response['municipality']}"]
        graph.add((r, RDF.type, PG.Response))
        graph.add((r, PG.inStudy, s))
        graph.add((r, PG.respondent, municipality_iri(response["municipality"])))
        graph.add((r, DCTERMS.date, Literal(response["answered"], datatype=XSD.date)))
        for title in response.get("documents_received", []):
            graph.add((r, PG.documentReceived, Literal(title, lang="nb")))
        if "source" in response:
            builder.section(r, response["source"])
        if "note" in response:
            graph.add((r, PG.note, Literal(response["note"], lang="en")))
    if "note" in study:
        graph.add((s, PG.note, Literal(study["note"], lang="en")))


def _validity(doc: dict[str, Any]) -> Literal:
    """The period of validity as DCTERMS means it: dcterms:valid with a DCMI Period literal
    (dcterms:temporal keeps the same period as a dcterms:PeriodOfTime, as DCAT does)."""
    parts = [f"start={_date_literal(doc['valid_from'])}"] if "valid_from" in doc else []
    parts += [f"end={_date_literal(doc['valid_to'], end=True)}"] if "valid_to" in doc else []
    return Literal("; ".join([*parts, "scheme=W3C-DTF"]), datatype=DCTERMS.Period)


def _date_literal(value: Any, *, end: bool = False) -> Literal:
    if isinstance(value, int):
        return Literal(f"{value}-12-31" if end else f"{value}-01-01", datatype=XSD.date)
    return Literal(str(value), datatype=XSD.date)


def emit_document(graph: TripleSink, builder: TripleBuilder, doc: dict[str, Any], municipality: URIRef) -> URIRef:
    d = document_iri(doc["id"])
    graph.add((d, RDF.type, PG.GoverningDocument))
    graph.add((d, DCTERMS.identifier, Literal(doc["id"])))
    graph.add((d, DCTERMS.title, Literal(doc["title"], lang="nb")))
    graph.add((d, RDFS.label, Literal(doc["title"], lang="nb")))
    for level in plan_levels(doc):
        graph.add((d, PG.planLevel, concept_iri("plan-level", level)))
    graph.add((d, ADMS.status, concept_iri("status", doc["status"])))
    owner = municipality_iri(doc["owner"]) if "owner" in doc else municipality
    graph.add((d, PG.owner, owner))
    graph.add((d, PG.obtainedVia, Literal(doc["obtained"])))
    for topic in doc.get("topics", []):
        graph.add((d, PG.topic, concept_iri("topic", topic)))
    if "adopted" in doc:
        value = doc["adopted"]
        literal = (
            Literal(str(value), datatype=XSD.gYear) if isinstance(value, int) else Literal(value, datatype=XSD.date)
        )
        graph.add((d, DCTERMS.dateAccepted, literal))
    if "valid_from" in doc or "valid_to" in doc:
        period = URIRef(f"{d}#period")
        graph.add((d, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if "valid_from" in doc:
            graph.add((period, DCAT.startDate, _date_literal(doc["valid_from"])))
        if "valid_to" in doc:
            graph.add((period, DCAT.endDate, _date_literal(doc["valid_to"], end=True)))
        as_years = any(isinstance(doc.get(k), int) for k in ("valid_from", "valid_to"))
        graph.add((period, PG.periodStatedAsYears, Literal(as_years)))
        graph.add((d, DCTERMS.valid, _validity(doc)))
    if "responsible" in doc:
        graph.add((d, PG.responsibleUnit, Literal(doc["responsible"], lang="nb")))
    if "citation" in doc:
        graph.add((d, PG.citation, Literal(doc["citation"], lang="nb")))
    if "url" in doc:
        graph.add((d, RDFS.seeAlso, URIRef(doc["url"])))
    if "addresses_digitalisation" in doc:
        graph.add((d, PG.addressesDigitalisation, concept_iri("addresses", doc["addresses_digitalisation"])))
    if "replaces" in doc:
        graph.add((d, DCTERMS.replaces, document_iri(doc["replaces"])))
    if "part_of" in doc:
        graph.add((d, DCTERMS.isPartOf, document_iri(doc["part_of"])))
    if "note" in doc:
        graph.add((d, PG.note, Literal(doc["note"], lang="en")))
    builder.section(d, doc["source"])
    return d


def emit_finding(
    graph: TripleSink, builder: TripleBuilder, finding: dict[str, Any], document: URIRef, defaults: Defaults
) -> URIRef:
    """Write the passage a finding records, then its links (see :mod:`plangraf.study.links`).

    The finding is attributed to whoever recorded the passage (its coder or the study's
    default) and dated only where a real coding date is known; the thesis is its source
    (``prov:wasDerivedFrom`` and ``pg:sourceSection``), never its coder.
    """
    f = finding_iri(finding["id"])
    target = URIRef(f"{f}#target")
    graph.add((f, RDF.type, PG.Finding))
    graph.add((f, DCTERMS.identifier, Literal(finding["id"])))
    graph.add((f, OA.motivatedBy, OA.classifying))
    graph.add((f, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, document))
    graph.add((f, PG.evidenceKind, concept_iri("evidence", finding["evidence"])))
    if finding["evidence"] == "quote":
        selector = URIRef(f"{f}#selector")
        graph.add((target, OA.hasSelector, selector))
        graph.add((selector, RDF.type, OA.TextQuoteSelector))
        graph.add((selector, OA.exact, Literal(finding["text"], lang="nb")))
    else:
        graph.add((f, PG.summary, Literal(finding["text"], lang="nb")))
    if finding.get("location"):
        graph.add((f, PG.location, Literal(finding["location"], lang="nb")))
    emit_links(graph, finding, f, target, defaults, builder.section)
    for element in finding["elements"]:
        graph.add((f, PG.element, element_iri(element)))
    for element in finding.get("absent_elements", []):
        graph.add((f, PG.elementAbsent, element_iri(element)))
    recorder = finding.get("coder") or defaults.coder
    if recorder:
        graph.add((f, PROV.wasAttributedTo, PGID[f"agent/{recorder}"]))
    coded = finding.get("coded") or defaults.coded
    if coded:
        graph.add((f, DCTERMS.created, Literal(str(coded), datatype=XSD.date)))
    graph.add((f, PROV.wasDerivedFrom, builder.source))
    builder.section(f, finding["source"])
    if "note" in finding:
        graph.add((f, PG.note, Literal(finding["note"], lang="en")))
    return f
