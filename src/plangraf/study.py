"""Load a study folder (YAML files and CSV coding sheets) into RDF.

Everything is read and checked first — JSON Schema, dates, periods, identifiers against the
reference graph, duplicates — and only then turned into triples, so a bad file never leaves
half a study behind. The public entry point is :func:`load_study`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import schema_check
from .errors import PlangrafError
from .namespaces import (
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
    bind_prefixes,
    concept_iri,
    cooperation_iri,
    document_iri,
    element_iri,
    finding_iri,
    guidance_iri,
    municipality_iri,
    nb_label,
    structure_iri,
)
from .yamlio import Path_, dotted, line_of, load_csv, load_yaml

HOW_PROPERTY = {
    "explicit-reference": PG.refersExplicitly,
    "verbatim": PG.reusesVerbatim,
    "paraphrase": PG.paraphrases,
    "thematic": PG.reflectsThematically,
}
CSV_COLUMNS = [
    "municipality",
    "document",
    "finding",
    "evidence",
    "text",
    "location",
    "guidance",
    "how",
    "elements",
    "source",
    "coder",
    "coded",
]
RESERVED_FILES = {"study.yaml", "claims.yaml"}


@dataclass
class ReferenceIndex:
    """What the loader checks identifiers against, read from the reference graph."""

    municipalities: dict[str, dict[str, str]]  # slug -> {number on date: county}
    guidance: set[str]
    elements: set[str]
    cooperations: set[str]
    counties: set[str]

    @classmethod
    def from_graph(cls, graph: Graph, on_date: str = "2020-01-01") -> ReferenceIndex:
        # Graph walks rather than a SPARQL query: the same joins (every identifier x number x
        # county x period, start and end optional), ten times faster than rdflib's engine.
        municipalities: dict[str, dict[str, str]] = {}
        for m in graph.subjects(RDF.type, PG.Municipality):
            for slug, n in product(graph.objects(m, DCTERMS.identifier), graph.objects(m, PG.hasNumber)):
                for number, c, period in product(
                    graph.objects(n, SKOS.notation), graph.objects(n, PG.county), graph.objects(n, DCTERMS.temporal)
                ):
                    for county in graph.objects(c, SKOS.notation):
                        starts: list[Node | None] = list(graph.objects(period, DCAT.startDate)) or [None]
                        ends: list[Node | None] = list(graph.objects(period, DCAT.endDate)) or [None]
                        numbers = municipalities.setdefault(str(slug), {})
                        for start_date, end_date in product(starts, ends):
                            start = str(start_date) if start_date else "0000-01-01"
                            end = str(end_date) if end_date else "9999-12-31"
                            if start <= on_date <= end:
                                numbers[str(number)] = str(county)

        typed = {str(s) for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(PGID))}

        def ids(prefix: str) -> set[str]:
            base = str(PGID) + prefix
            return {s[len(base) :] for s in typed if s.startswith(base)}

        return cls(
            municipalities=municipalities,
            guidance={g for g in ids("guidance/") if not g.endswith("/goals")},
            elements={e for e in ids("egovwsf/") if not e.startswith("group/")},
            cooperations=ids("cooperation/"),
            counties=ids("county/"),
        )


@dataclass
class _Ctx:
    file: Path
    lines: dict[Path_, int]

    def fail(self, message: str, here: Path_) -> PlangrafError:
        return PlangrafError(message, file=str(self.file), line=line_of(self.lines, here), field=dotted(here))


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    municipalities: int = 0
    documents: int = 0
    findings_read: int = 0
    findings_written: int = 0
    structures: int = 0
    memberships: int = 0


def _parse_date(value: Any, ctx: _Ctx, here: Path_, *, end: bool = False) -> tuple[dt.date, bool]:
    """Return (date, given_as_year). Years become 1 January, or 31 December for an end."""
    if isinstance(value, int):
        return (dt.date(value, 12, 31) if end else dt.date(value, 1, 1)), True
    try:
        return dt.date.fromisoformat(str(value)), False
    except ValueError:
        raise ctx.fail(f"{value!r} is not a real date (YYYY-MM-DD)", here) from None


def _sections(source: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;,]", source) if s.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


class _Builder:
    def __init__(self, graph: Graph, study_iri: URIRef, source_iri: URIRef) -> None:
        self.g = graph
        self.study = study_iri
        self.source = source_iri
        self._sections: set[str] = set()

    def section(self, subject: URIRef, source: str) -> None:
        for sec in _sections(source):
            node = URIRef(f"{self.source}/section/{_slug(sec)}")
            self.g.add((subject, PG.sourceSection, node))
            if sec not in self._sections:
                self._sections.add(sec)
                self.g.add((node, RDF.type, PG.SourceSection))
                self.g.add((node, DCTERMS.identifier, Literal(sec)))
                self.g.add((node, DCTERMS.isPartOf, self.source))
                self.g.add((node, RDFS.label, Literal(sec)))


def _check_study(data: dict[str, Any], ctx: _Ctx, ref: ReferenceIndex) -> None:
    for i, response in enumerate(data.get("responses", [])):
        if response["municipality"] not in ref.municipalities:
            raise ctx.fail(f"unknown municipality '{response['municipality']}'", ("responses", i, "municipality"))
        _parse_date(response["answered"], ctx, ("responses", i, "answered"))
    for key in ("requested", "reminder", "coded", "study_date"):
        if key in data:
            _parse_date(data[key], ctx, (key,))
    _parse_date(data["sample"]["population_date"], ctx, ("sample", "population_date"))
    for i, county in enumerate(data["sample"]["counties"]):
        if county not in ref.counties:
            raise ctx.fail(f"unknown county number '{county}'", ("sample", "counties", i))
    coder_ids = [c["id"] for c in data["coders"]]
    if data["coder"] not in coder_ids:
        raise ctx.fail(f"default coder '{data['coder']}' is not listed in coders: {coder_ids}", ("coder",))


def _check_finding(finding: dict[str, Any], ctx: _Ctx, here: Path_, ref: ReferenceIndex, coders: set[str]) -> None:
    for j, item in enumerate(finding.get("reflects", [])):
        if item["guidance"] not in ref.guidance:
            near = sorted(g for g in ref.guidance if g.split("/")[0] == item["guidance"].split("/")[0])
            hint = f"; known in that document: {', '.join(near)}" if near else ""
            raise ctx.fail(f"unknown guidance id '{item['guidance']}'{hint}", here + ("reflects", j, "guidance"))
    for j, element in enumerate(finding.get("elements", [])):
        if element not in ref.elements:
            raise ctx.fail(
                f"unknown eGovWSF element '{element}'; allowed: {', '.join(sorted(ref.elements))}",
                here + ("elements", j),
            )
    if "coder" in finding and finding["coder"] not in coders:
        raise ctx.fail(f"unknown coder '{finding['coder']}'; listed in study.yaml: {sorted(coders)}", here + ("coder",))
    if "coded" in finding:
        _parse_date(finding["coded"], ctx, here + ("coded",))


def load_study(directory: Path, reference: Graph) -> tuple[Graph, LoadReport]:
    """Read and check a study folder, then return its triples and a load report.

    ``reference`` is the reference graph (municipalities, guidance, eGovWSF, cooperations);
    every identifier in the study must resolve in it.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise PlangrafError("study folder not found", file=str(directory))
    study_file = directory / "study.yaml"
    study, study_lines = load_yaml(study_file)
    study_ctx = _Ctx(study_file, study_lines)
    if not isinstance(study, dict):
        raise study_ctx.fail("expected a mapping at the top of the study file", ())
    schema_check.check(study, study_lines, "study", study_file)
    on_date = str(study["sample"]["population_date"])
    ref = ReferenceIndex.from_graph(reference, on_date)
    _check_study(study, study_ctx, ref)
    coders = {c["id"] for c in study["coders"]}

    report = LoadReport(files=[str(study_file)])
    parsed: list[tuple[dict[str, Any], _Ctx]] = []
    doc_ids: dict[str, str] = {}
    doc_owner: dict[str, str] = {}
    finding_ids: dict[str, str] = {}
    structure_ids: dict[str, str] = {}
    seen_municipalities: dict[str, str] = {}

    for path in sorted(directory.glob("*.yaml")):
        if path.name in RESERVED_FILES:
            continue
        data, lines = load_yaml(path)
        ctx = _Ctx(path, lines)
        if not isinstance(data, dict):
            raise ctx.fail("expected a mapping at the top of the file", ())
        schema_check.check(data, lines, "municipality", path)
        slug = data["municipality"]
        if slug not in ref.municipalities:
            raise ctx.fail(f"unknown municipality '{slug}' (not in the reference data)", ("municipality",))
        if slug in seen_municipalities:
            raise ctx.fail(f"municipality '{slug}' already has a file: {seen_municipalities[slug]}", ("municipality",))
        seen_municipalities[slug] = str(path)
        numbers = ref.municipalities[slug]
        if data["number"] not in numbers:
            owner = next((m for m, ns in ref.municipalities.items() if data["number"] in ns), None)
            belongs = (
                f" ({data['number']} is {owner}, county {ref.municipalities[owner][data['number']]})" if owner else ""
            )
            known = ", ".join(f"{n} (county {c})" for n, c in sorted(numbers.items())) or "none"
            raise ctx.fail(
                f"number {data['number']} is not {slug}'s municipality number on {on_date}{belongs}; "
                f"the reference data has {known}",
                ("number",),
            )
        for i, member in enumerate(data.get("memberships", [])):
            if member["cooperation"] not in ref.cooperations:
                raise ctx.fail(
                    f"unknown cooperation '{member['cooperation']}'; known: {', '.join(sorted(ref.cooperations))}",
                    ("memberships", i, "cooperation"),
                )
        for i, doc in enumerate(data.get("documents", [])):
            here: Path_ = ("documents", i)
            if doc["id"] in doc_ids:
                raise ctx.fail(f"duplicate document id '{doc['id']}' (also in {doc_ids[doc['id']]})", here + ("id",))
            doc_ids[doc["id"]] = f"{path}:{line_of(lines, here + ('id',))}"
            doc_owner[doc["id"]] = doc.get("owner", slug)
            start = _parse_date(doc["valid_from"], ctx, here + ("valid_from",)) if "valid_from" in doc else None
            end = _parse_date(doc["valid_to"], ctx, here + ("valid_to",), end=True) if "valid_to" in doc else None
            if "adopted" in doc:
                _parse_date(doc["adopted"], ctx, here + ("adopted",))
            if start and end and end[0] < start[0]:
                raise ctx.fail(
                    f"period ends ({end[0]}) before it starts ({start[0]}); valid_to must not be before valid_from",
                    here + ("valid_to",),
                )
            if "owner" in doc and doc["owner"] not in ref.municipalities:
                raise ctx.fail(f"unknown owner '{doc['owner']}'", here + ("owner",))
            for j, finding in enumerate(doc.get("findings", [])):
                fhere = here + ("findings", j)
                if finding["id"] in finding_ids:
                    raise ctx.fail(
                        f"duplicate finding id '{finding['id']}' (also in {finding_ids[finding['id']]})",
                        fhere + ("id",),
                    )
                finding_ids[finding["id"]] = f"{path}:{line_of(lines, fhere + ('id',))}"
                _check_finding(finding, ctx, fhere, ref, coders)
        for i, structure in enumerate(data.get("structures", [])):
            if structure["id"] in structure_ids:
                raise ctx.fail(f"duplicate structure id '{structure['id']}'", ("structures", i, "id"))
            structure_ids[structure["id"]] = str(path)
        parsed.append((data, ctx))
        report.files.append(str(path))

    # Cross-file references among documents.
    for data, ctx in parsed:
        for i, doc in enumerate(data.get("documents", [])):
            for key in ("replaces", "part_of"):
                if key in doc and doc[key] not in doc_ids:
                    raise ctx.fail(f"unknown document id '{doc[key]}'", ("documents", i, key))
        for i, structure in enumerate(data.get("structures", [])):
            for j, ref_doc in enumerate(structure.get("documents", [])):
                if ref_doc not in doc_ids:
                    raise ctx.fail(f"unknown document id '{ref_doc}'", ("structures", i, "documents", j))

    # CSV coding sheets: findings for documents declared in the YAML files.
    csv_findings: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.csv")):
        report.files.append(str(path))
        _read_coding_sheet(path, ref, coders, doc_ids, doc_owner, finding_ids, csv_findings)

    # Everything is checked: now write triples.
    graph = Graph()
    bind_prefixes(graph)
    study_iri = PGID[f"study/{study['id']}"]
    source_iri = PGID[f"source/{study.get('source_id', study['id'])}"]
    builder = _Builder(graph, study_iri, source_iri)
    _emit_study(graph, builder, study)
    default_coder = PGID[f"agent/{study['coder']}"]
    default_coded = Literal(study["coded"], datatype=XSD.date)

    for data, _ctx in parsed:
        municipality = municipality_iri(data["municipality"])
        report.municipalities += 1
        graph.add((study_iri, PG.coversMunicipality, municipality))
        for member in data.get("memberships", []):
            coop = cooperation_iri(member["cooperation"])
            membership = PGID[f"membership/{data['municipality']}/{member['cooperation']}"]
            graph.add((coop, ORG.hasMember, municipality))
            graph.add((membership, RDF.type, ORG.Membership))
            graph.add((membership, ORG.member, municipality))
            graph.add((membership, ORG.organization, coop))
            builder.section(membership, member["source"])
            if "note" in member:
                graph.add((membership, PG.note, Literal(member["note"], lang="en")))
            report.memberships += 1
        for doc in data.get("documents", []):
            report.documents += 1
            d = _emit_document(graph, builder, doc, municipality)
            findings: list[tuple[dict[str, Any], str | None]] = [(f, None) for f in doc.get("findings", [])]
            findings += [(f, "csv") for f in csv_findings.get(doc["id"], [])]
            for finding, _origin in findings:
                report.findings_read += 1
                _emit_finding(graph, builder, finding, d, default_coder, default_coded)
                report.findings_written += 1
        for structure in data.get("structures", []):
            report.structures += 1
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

    # CSV findings for documents in files not yet emitted are impossible (checked above).
    written = len(set(graph.subjects(RDF.type, PG.Finding)))
    if written != report.findings_read:
        raise PlangrafError(f"read {report.findings_read} findings but wrote {written}", file=str(directory))
    return graph, report


def _read_coding_sheet(
    path: Path,
    ref: ReferenceIndex,
    coders: set[str],
    doc_ids: dict[str, str],
    doc_owner: dict[str, str],
    finding_ids: dict[str, str],
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """Check a CSV coding sheet row by row; add its findings (merged by id) to ``out``."""
    rows = load_csv(path)
    merged: dict[str, tuple[dict[str, Any], int]] = {}

    def error(message: str, line: int, column: str | None) -> PlangrafError:
        return PlangrafError(message, file=str(path), line=line, field=column)

    if rows:
        header = list(rows[0][1])
        unknown = [c for c in header if c not in CSV_COLUMNS]
        if unknown:
            raise error(f"unknown column '{unknown[0]}'; allowed: {', '.join(CSV_COLUMNS)}", 1, None)
        missing = [c for c in CSV_COLUMNS if c not in header and c not in ("location", "coder", "coded")]
        if missing:
            raise error(f"missing column(s) {', '.join(missing)}; expected: {', '.join(CSV_COLUMNS)}", 1, None)
    for line, row in rows:
        finding: dict[str, Any] = {
            "id": row["finding"],
            "evidence": row["evidence"],
            "text": row["text"],
            "reflects": [],
            "elements": [e.strip() for e in row["elements"].split(";") if e.strip()],
            "source": row["source"],
        }
        for key in ("location", "coder", "coded"):
            if row.get(key):
                finding[key] = row[key]
        if row["guidance"] or row["how"]:
            finding["reflects"].append({"guidance": row["guidance"], "how": row["how"]})
        # Check the row with the same schema as a finding in a YAML file.
        wrapped = {
            "municipality": row["municipality"],
            "number": "0000",
            "source": "-",
            "documents": [
                {
                    "id": row["document"] or "-",
                    "title": "-",
                    "plan_level": "other-decision",
                    "status": "adopted",
                    "obtained": "thesis",
                    "source": "-",
                    "findings": [finding],
                }
            ],
        }
        try:
            schema_check.check(wrapped, {(): line}, "municipality", path)
            _check_finding(finding, _Ctx(path, {("row",): line}), ("row",), ref, coders)
        except PlangrafError as exc:
            raise error(exc.message, line, _csv_column(exc.field)) from None
        if row["document"] not in doc_ids:
            raise error(
                f"unknown document id '{row['document']}'; declare the document in a YAML file first", line, "document"
            )
        if doc_owner[row["document"]] != row["municipality"]:
            raise error(
                f"document '{row['document']}' belongs to {doc_owner[row['document']]}, not {row['municipality']}",
                line,
                "municipality",
            )
        key = finding["id"]
        if key in merged:
            earlier, first_line = merged[key]
            if earlier["text"] != finding["text"] or earlier["_document"] != row["document"]:
                raise error(
                    f"finding '{key}' repeats with another text or document than on line {first_line}", line, "finding"
                )
            earlier["reflects"].extend(finding["reflects"])
            continue
        if key in finding_ids:
            raise error(f"duplicate finding id '{key}' (also in {finding_ids[key]})", line, "finding")
        finding_ids[key] = f"{path}:{line}"
        finding["_document"] = row["document"]
        merged[key] = (finding, line)
        out.setdefault(row["document"], []).append(finding)


def studied_municipalities(graph: Graph) -> list[str]:
    """Norwegian names of the municipalities a study in ``graph`` covers, sorted."""
    return sorted(nb_label(graph, m) for m in set(graph.objects(None, PG.coversMunicipality)))


def _csv_column(field_path: str | None) -> str | None:
    if not field_path:
        return None
    last = field_path.split(".")[-1]
    last = re.sub(r"\[\d+\]", "", last)
    return {"reflects": "guidance", "id": "finding"}.get(last, last)


def _emit_study(graph: Graph, builder: _Builder, study: dict[str, Any]) -> None:
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


def _date_literal(value: Any, *, end: bool = False) -> Literal:
    if isinstance(value, int):
        return Literal(f"{value}-12-31" if end else f"{value}-01-01", datatype=XSD.date)
    return Literal(str(value), datatype=XSD.date)


def _emit_document(graph: Graph, builder: _Builder, doc: dict[str, Any], municipality: URIRef) -> URIRef:
    d = document_iri(doc["id"])
    graph.add((d, RDF.type, PG.GoverningDocument))
    graph.add((d, DCTERMS.identifier, Literal(doc["id"])))
    graph.add((d, DCTERMS.title, Literal(doc["title"], lang="nb")))
    graph.add((d, RDFS.label, Literal(doc["title"], lang="nb")))
    graph.add((d, PG.planLevel, concept_iri("plan-level", doc["plan_level"])))
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


def _emit_finding(
    graph: Graph,
    builder: _Builder,
    finding: dict[str, Any],
    document: URIRef,
    default_coder: URIRef,
    default_coded: Literal,
) -> None:
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
    for item in finding.get("reflects", []):
        graph.add((f, HOW_PROPERTY[item["how"]], guidance_iri(item["guidance"])))
    for element in finding["elements"]:
        graph.add((f, PG.element, element_iri(element)))
    coder = PGID[f"agent/{finding['coder']}"] if "coder" in finding else default_coder
    graph.add((f, PROV.wasAttributedTo, coder))
    coded = Literal(finding["coded"], datatype=XSD.date) if "coded" in finding else default_coded
    graph.add((f, DCTERMS.created, coded))
    builder.section(f, finding["source"])
    if "note" in finding:
        graph.add((f, PG.note, Literal(finding["note"], lang="en")))
