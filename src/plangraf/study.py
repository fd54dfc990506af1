"""Load a study folder (YAML files and CSV coding sheets) into RDF.

Everything is read and checked first — JSON Schema, dates, periods, identifiers against the
reference graph, duplicates — and only then turned into triples, so a bad file never leaves
half a study behind. The public entry point is :func:`load_study`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import schema_check
from .chain import ChainCheck, check_chain, emit_document_chain, plan_levels
from .errors import PlangrafError
from .filecache import StudyCache, code_key, encode_triples, key_of, unpack_parsed, unpack_triples
from .limits import check_size
from .links import Defaults, Triple, TripleSink, check_coding_date, check_links, emit_links, link_coder, link_key
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
    municipality_iri,
    nb_label,
    structure_iri,
)
from .readings import Alternative, apply_reading, check_reading, collect_alternatives
from .yamlio import Path_, dotted, line_of, load_csv, load_yaml

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
    "basis",
    "cited",
    "confidence",
]
CSV_OPTIONAL = {"location", "coder", "coded", "basis", "cited", "confidence"}
RESERVED_FILES = {"study.yaml", "claims.yaml"}


@dataclass
class ReferenceIndex:
    """What the loader checks identifiers against, read from the reference graph."""

    municipalities: dict[str, dict[str, str]]  # slug -> {number on date: county}
    guidance: set[str]
    elements: set[str]
    cooperations: set[str]
    counties: set[str]
    provisions: set[str] = field(default_factory=set)  # ids under law/, e.g. LOV-2008-06-27-71/section/11-1

    @classmethod
    def from_graph(cls, graph: Graph, on_date: str = "2020-01-01") -> ReferenceIndex:
        # Graph walks rather than a SPARQL query: the same joins (every identifier x number x
        # county x period, start and end optional), ten times faster than rdflib's engine.
        municipalities: dict[str, dict[str, str]] = {}
        for m in graph.subjects(RDF.type, PG.Municipality):
            for slug, n in product(graph.objects(m, DCTERMS.identifier), graph.objects(m, PG.hasNumber)):
                for number, c, period in product(
                    graph.objects(n, SKOS.notation), graph.objects(n, PG.inCounty), graph.objects(n, DCTERMS.temporal)
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
            provisions={p for p in ids("law/") if "/section/" in p},
        )


@dataclass
class _Ctx:
    file: Path
    lines: dict[Path_, int]

    def fail(self, message: str, here: Path_) -> PlangrafError:
        return PlangrafError(message, file=str(self.file), line=line_of(self.lines, here), field=dotted(here))

    def where(self, here: Path_) -> list[str | int | None]:
        return [str(self.file), line_of(self.lines, here)]


@dataclass
class LoadReport:
    """What a load read, counted from the files, and what the graph holds, counted by a query
    over the written triples (:func:`graph_counts`) — two independent counts, so a finding or
    link lost in between shows as a difference."""

    files: list[str] = field(default_factory=list)
    municipalities: int = 0
    documents: int = 0
    findings_read: int = 0
    links_read: int = 0
    findings_in_graph: int = 0
    links_in_graph: int = 0
    per_file: dict[str, dict[str, int]] = field(default_factory=dict)
    structures: int = 0
    memberships: int = 0
    alternatives: int = 0
    reading: list[str] = field(default_factory=list)
    # node IRI -> [file, line] where the loader read it (documents, findings, links)
    locations: dict[str, list[str | int | None]] = field(default_factory=dict)

    @property
    def findings_written(self) -> int:
        """The findings the graph holds (counted by query, not by the loop that wrote them)."""
        return self.findings_in_graph


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


def _check_study(data: dict[str, Any], ctx: _Ctx, ref: ReferenceIndex) -> None:
    for i, response in enumerate(data.get("responses", [])):
        if response["municipality"] not in ref.municipalities:
            raise ctx.fail(f"unknown municipality '{response['municipality']}'", ("responses", i, "municipality"))
        _parse_date(response["answered"], ctx, ("responses", i, "answered"))
    for key in ("requested", "reminder", "study_date"):
        if key in data:
            _parse_date(data[key], ctx, (key,))
    if "coded" in data:
        check_coding_date(data["coded"], ctx, ("coded",))
    _parse_date(data["sample"]["population_date"], ctx, ("sample", "population_date"))
    for i, county in enumerate(data["sample"]["counties"]):
        if county not in ref.counties:
            raise ctx.fail(f"unknown county number '{county}'", ("sample", "counties", i))
    _check_coders(data, ctx)


def _check_coders(data: dict[str, Any], ctx: _Ctx) -> None:
    """Coder ids are unique, and no person is listed twice under different ids."""
    by_name: dict[str, str] = {}
    by_orcid: dict[str, str] = {}
    for i, coder in enumerate(data["coders"]):
        name = " ".join(coder["name"].casefold().split())
        for seen, key, label in ((by_name, name, "name"), (by_orcid, coder.get("orcid"), "ORCID")):
            if key and key in seen:
                if seen[key] == coder["id"]:
                    raise ctx.fail(f"coder id '{coder['id']}' is listed twice", ("coders", i, "id"))
                raise ctx.fail(
                    f"coder '{coder['id']}' has the same {label} as coder '{seen[key]}': one person, one id",
                    ("coders", i, "id"),
                )
            if key:
                seen[key] = coder["id"]
    coder_ids = [c["id"] for c in data["coders"]]
    if "coder" in data and data["coder"] not in coder_ids:
        raise ctx.fail(f"default coder '{data['coder']}' is not listed in coders: {coder_ids}", ("coder",))


def _check_finding(
    finding: dict[str, Any], ctx: _Ctx, here: Path_, ref: ReferenceIndex, coders: set[str], defaults: Defaults
) -> None:
    for j, item in enumerate(finding.get("reflects", [])):
        for key in ("guidance", "edition"):
            if key in item and item[key] not in ref.guidance:
                near = sorted(g for g in ref.guidance if g.split("/")[0] == item[key].split("/")[0])
                hint = f"; known in that document: {', '.join(near)}" if near else ""
                raise ctx.fail(f"unknown guidance id '{item[key]}'{hint}", here + ("reflects", j, key))
    for key in ("elements", "absent_elements"):
        for j, element in enumerate(finding.get(key, [])):
            if element not in ref.elements:
                raise ctx.fail(
                    f"unknown eGovWSF element '{element}'; allowed: {', '.join(sorted(ref.elements))}",
                    here + (key, j),
                )
    if "coder" in finding and finding["coder"] not in coders:
        raise ctx.fail(f"unknown coder '{finding['coder']}'; listed in study.yaml: {sorted(coders)}", here + ("coder",))
    if "coded" in finding:
        check_coding_date(finding["coded"], ctx, here + ("coded",))
    check_links(finding, ctx, here, coders, defaults)


@dataclass
class _Ids:
    """Identifiers seen so far in a study, each with where it was first read."""

    docs: dict[str, str] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)
    structures: dict[str, str] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)


@dataclass
class _StudyCheck:
    """What the per-file checks need: the reference index, coders and defaults."""

    ref: ReferenceIndex
    coders: set[str]
    defaults: Defaults
    on_date: str


def _check_number(data: dict[str, Any], ctx: _Ctx, check: _StudyCheck) -> None:
    slug = data["municipality"]
    ref = check.ref
    numbers = ref.municipalities[slug]
    if data["number"] in numbers:
        return
    owner = next((m for m, ns in ref.municipalities.items() if data["number"] in ns), None)
    belongs = f" ({data['number']} is {owner}, county {ref.municipalities[owner][data['number']]})" if owner else ""
    known = ", ".join(f"{n} (county {c})" for n, c in sorted(numbers.items())) or "none"
    raise ctx.fail(
        f"number {data['number']} is not {slug}'s municipality number on {check.on_date}{belongs}; "
        f"the reference data has {known}",
        ("number",),
    )


def _check_document(doc: dict[str, Any], ctx: _Ctx, here: Path_, check: _StudyCheck, ids: _Ids) -> None:
    start = _parse_date(doc["valid_from"], ctx, here + ("valid_from",)) if "valid_from" in doc else None
    end = _parse_date(doc["valid_to"], ctx, here + ("valid_to",), end=True) if "valid_to" in doc else None
    if "adopted" in doc:
        _parse_date(doc["adopted"], ctx, here + ("adopted",))
    if start and end and end[0] < start[0]:
        raise ctx.fail(
            f"period ends ({end[0]}) before it starts ({start[0]}); valid_to must not be before valid_from",
            here + ("valid_to",),
        )
    if "owner" in doc and doc["owner"] not in check.ref.municipalities:
        raise ctx.fail(f"unknown owner '{doc['owner']}'", here + ("owner",))
    for j, finding in enumerate(doc.get("findings", [])):
        fhere = here + ("findings", j)
        if finding["id"] in ids.findings:
            raise ctx.fail(
                f"duplicate finding id '{finding['id']}' (also in {ids.findings[finding['id']]})", fhere + ("id",)
            )
        ids.findings[finding["id"]] = f"{ctx.file}:{line_of(ctx.lines, fhere + ('id',))}"
        _check_finding(finding, ctx, fhere, check.ref, check.coders, check.defaults)


def _check_file(data: dict[str, Any], ctx: _Ctx, check: _StudyCheck, ids: _Ids) -> None:
    """Check one municipality file against the reference data and the ids seen so far."""
    slug = data["municipality"]
    if slug not in check.ref.municipalities:
        raise ctx.fail(f"unknown municipality '{slug}' (not in the reference data)", ("municipality",))
    if slug in ids.municipalities:
        raise ctx.fail(f"municipality '{slug}' already has a file: {ids.municipalities[slug]}", ("municipality",))
    ids.municipalities[slug] = str(ctx.file)
    _check_number(data, ctx, check)
    for i, member in enumerate(data.get("memberships", [])):
        if member["cooperation"] not in check.ref.cooperations:
            raise ctx.fail(
                f"unknown cooperation '{member['cooperation']}'; known: {', '.join(sorted(check.ref.cooperations))}",
                ("memberships", i, "cooperation"),
            )
    for i, doc in enumerate(data.get("documents", [])):
        here: Path_ = ("documents", i)
        if doc["id"] in ids.docs:
            raise ctx.fail(f"duplicate document id '{doc['id']}' (also in {ids.docs[doc['id']]})", here + ("id",))
        ids.docs[doc["id"]] = f"{ctx.file}:{line_of(ctx.lines, here + ('id',))}"
        ids.owner[doc["id"]] = doc.get("owner", slug)
        _check_document(doc, ctx, here, check, ids)
    for i, structure in enumerate(data.get("structures", [])):
        if structure["id"] in ids.structures:
            raise ctx.fail(f"duplicate structure id '{structure['id']}'", ("structures", i, "id"))
        ids.structures[structure["id"]] = str(ctx.file)


def _check_alternative_values(
    files: list[tuple[dict[str, Any], _Ctx]], alternatives: list[Alternative], check: _StudyCheck
) -> None:
    """Each alternative, applied alone, gives a file that passes the reference checks."""
    by_file: dict[str, list[Alternative]] = {}
    for alt in alternatives:
        by_file.setdefault(alt.file, []).append(alt)
    for data, ctx in files:
        for alt in by_file.get(str(ctx.file), []):
            try:
                _check_file(apply_reading(data, frozenset({alt.id})), ctx, check, _Ids())
            except PlangrafError as exc:
                raise PlangrafError(
                    f"under alternative '{alt.id}': {exc.message}", file=str(ctx.file), line=alt.line, field=exc.field
                ) from None


def _read_files(
    directory: Path, *, compiled: bool = True, cache: StudyCache | None = None
) -> tuple[list[tuple[dict[str, Any], _Ctx]], list[Alternative]]:
    """Parse and schema-check every municipality file; collect and check their alternatives.
    ``compiled`` false checks with the reference validator only (see :func:`schema_check.check`)."""
    files: list[tuple[dict[str, Any], _Ctx]] = []
    alternatives: list[Alternative] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name in RESERVED_FILES:
            continue
        data, lines = _read_checked(path, compiled, cache)
        alternatives += collect_alternatives(data, path, lines, seen)
        files.append((data, _Ctx(path, lines)))
    return files, alternatives


def _read_checked(path: Path, compiled: bool, cache: StudyCache | None) -> tuple[dict[str, Any], dict[Path_, int]]:
    """One municipality file parsed and schema-checked, from the cache when its content is there
    (the size limit is checked either way). The reference checks (``compiled`` false) never use
    the cache."""
    digest = cache.digest(path) if cache is not None and compiled else None
    key = key_of("parsed", code_key(), digest) if digest is not None else None
    if cache is not None and key is not None:
        check_size(path)
        hit = cache.get("parsed", key, unpack_parsed)
        if hit is not None:
            return cast(tuple[dict[str, Any], dict[Path_, int]], hit)
    data, lines = load_yaml(path, cache.read if cache is not None else None)
    if not isinstance(data, dict):
        raise _Ctx(path, lines).fail("expected a mapping at the top of the file", ())
    schema_check.check(data, lines, "municipality", path, compiled=compiled)
    if cache is not None and key is not None:
        cache.put("parsed", key, (data, lines))
    return data, lines


def _read_study_file(
    directory: Path, reference: Graph, digests: dict[str, str] | None = None
) -> tuple[dict[str, Any], _StudyCheck]:
    if not directory.is_dir():
        raise PlangrafError("study folder not found", file=str(directory))
    study_file = directory / "study.yaml"
    study, study_lines = load_yaml(study_file, digests)
    study_ctx = _Ctx(study_file, study_lines)
    if not isinstance(study, dict):
        raise study_ctx.fail("expected a mapping at the top of the study file", ())
    schema_check.check(study, study_lines, "study", study_file)
    on_date = str(study["sample"]["population_date"])
    ref = ReferenceIndex.from_graph(reference, on_date)
    _check_study(study, study_ctx, ref)
    coders = {c["id"] for c in study["coders"]}
    defaults = Defaults(coder=study.get("coder"), coded=study.get("coded"))
    return study, _StudyCheck(ref=ref, coders=coders, defaults=defaults, on_date=on_date)


def list_alternatives(directory: Path) -> list[Alternative]:
    """The alternative readings a study folder declares (checked against the schema only)."""
    return _read_files(Path(directory))[1]


def load_study(
    directory: Path, reference: Graph, *, readings: frozenset[str] = frozenset(), compiled_checks: bool = True
) -> tuple[Graph, LoadReport]:
    """Read and check a study folder, then return its triples and a load report.

    ``reference`` is the reference graph (municipalities, guidance, eGovWSF, cooperations);
    every identifier in the study must resolve in it. ``readings`` names alternatives (see
    :mod:`plangraf.readings`) to apply; by default the files are read as written.
    ``compiled_checks`` false checks the files with jsonschema alone (the reference path, for
    benchmarks); the result is the same.
    """
    triples, report = read_study(directory, reference, readings=readings, compiled_checks=compiled_checks)
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph, report


def read_study(
    directory: Path,
    reference: Graph,
    *,
    readings: frozenset[str] = frozenset(),
    compiled_checks: bool = True,
    cache: StudyCache | None = None,
) -> tuple[TripleList, LoadReport]:
    """:func:`load_study` with the triples as a list (duplicates possible): the build adds them to its graph directly,
    instead of building a second graph to copy. With a ``cache`` (:mod:`plangraf.filecache`), an unchanged
    municipality file is neither parsed nor turned into triples again; every check across files still runs."""
    directory = Path(directory)
    digests = cache.read if cache is not None else None  # the hashes of the bytes read, for the cache
    study, check = _read_study_file(directory, reference, digests)
    files, alternatives = _read_files(directory, compiled=compiled_checks, cache=cache)
    check_reading(frozenset(readings), alternatives)
    _check_alternative_values(files, alternatives, check)
    parsed = [(apply_reading(data, frozenset(readings)), ctx) for data, ctx in files]
    ids = _Ids()
    for data, ctx in parsed:
        _check_file(data, ctx, check, ids)
    _check_cross_references(parsed, ids)
    chain = check_chain(parsed, ChainCheck(check.ref.guidance, check.ref.provisions, check.coders, check.defaults))

    report = LoadReport(files=[str(directory / "study.yaml")] + [str(ctx.file) for _, ctx in parsed])
    report.alternatives = len(alternatives)
    report.reading = sorted(readings)
    # CSV coding sheets: findings for documents declared in the YAML files.
    csv_findings: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.csv")):
        report.files.append(str(path))
        _read_coding_sheet(path, check, ids, csv_findings, digests)
    _count_read(parsed, csv_findings, report)

    # Everything is checked: now write triples.
    triples = TripleList()
    study_iri = PGID[f"study/{study['id']}"]
    builder = _Builder(triples, study_iri, PGID[f"source/{study.get('source_id', study['id'])}"])
    _emit_study(triples, builder, study)
    for alt_id in sorted(readings):
        triples.add((study_iri, PG.underReading, PGID[f"reading/{alt_id}"]))
    for alt in alternatives:
        _emit_alternative(triples, builder, alt)
    goals = set(chain.goals)  # the study's municipal goal ids, to tell them from guidance ids
    emit = _FileEmitter(builder, csv_findings, check.defaults, goals)
    context = cache.context(readings=sorted(readings), goals=sorted(goals)) if cache is not None else None
    for data, ctx in parsed:
        emit.into(triples, report, data, ctx, cache, context)
    counted = graph_counts(triples)
    report.findings_in_graph, report.links_in_graph = counted["findings"], counted["links"]
    if (report.findings_in_graph, report.links_in_graph) != (report.findings_read, report.links_read):
        raise PlangrafError(
            f"read {report.findings_read} findings and {report.links_read} links, but the graph holds "
            f"{report.findings_in_graph} and {report.links_in_graph}",
            file=str(directory),
        )
    return triples, report


def _check_cross_references(parsed: list[tuple[dict[str, Any], _Ctx]], ids: _Ids) -> None:
    for data, ctx in parsed:
        for i, doc in enumerate(data.get("documents", [])):
            for key in ("replaces", "part_of"):
                if key in doc and doc[key] not in ids.docs:
                    raise ctx.fail(f"unknown document id '{doc[key]}'", ("documents", i, key))
        for i, structure in enumerate(data.get("structures", [])):
            for j, ref_doc in enumerate(structure.get("documents", [])):
                if ref_doc not in ids.docs:
                    raise ctx.fail(f"unknown document id '{ref_doc}'", ("structures", i, "documents", j))


def _count_read(
    parsed: list[tuple[dict[str, Any], _Ctx]], csv_findings: dict[str, list[dict[str, Any]]], report: LoadReport
) -> None:
    """Findings and links as the files hold them, per file (CSV rows under their sheet)."""
    for data, ctx in parsed:
        findings = [f for doc in data.get("documents", []) for f in doc.get("findings", [])]
        report.per_file[str(ctx.file)] = {
            "findings": len(findings),
            "links": sum(len(f.get("reflects", [])) for f in findings),
        }
    for found in csv_findings.values():
        for finding in found:
            counts = report.per_file.setdefault(finding["_sheet"], {"findings": 0, "links": 0})
            counts["findings"] += 1
            counts["links"] += len(finding["reflects"])
    report.findings_read = sum(c["findings"] for c in report.per_file.values())
    report.links_read = sum(c["links"] for c in report.per_file.values())


_TYPE, _FINDING, _LINK = str(RDF.type), str(PG.Finding), str(PG.Link)


def graph_counts(triples: Iterable[Triple]) -> dict[str, int]:
    """Distinct findings and links among ``triples`` (a graph or a list), counted over their
    ``rdf:type`` triples (not by the loops that wrote them). Compared as strings (``str.__eq__``
    runs in C; rdflib's ``__eq__`` does not), with the object's type checked."""
    findings: set[Node] = set()
    links: set[Node] = set()
    for s, p, o in cast(Iterable[tuple[Node, str, str]], triples):  # terms are str subclasses
        if str.__eq__(p, _TYPE) and type(o) is URIRef:
            if str.__eq__(o, _FINDING):
                findings.add(s)
            elif str.__eq__(o, _LINK):
                links.add(s)
    return {"findings": len(findings), "links": len(links)}


class TripleList(list[Triple]):
    """A list of triples with ``add``, so the loader can write to it as to a graph (no hashing
    of rdflib terms; the graph the triples go into removes duplicates)."""

    def add(self, triple: Triple, /) -> None:
        self.append(triple)


@dataclass
class _FileEmitter:
    """Turns one checked municipality file into triples, or takes them from the cache."""

    builder: _Builder
    csv_findings: dict[str, list[dict[str, Any]]]
    defaults: Defaults
    goals: set[str]

    def into(
        self,
        triples: TripleList,
        report: LoadReport,
        data: dict[str, Any],
        ctx: _Ctx,
        cache: StudyCache | None,
        context: str | None,
    ) -> None:
        digest = cache.digest(ctx.file) if cache is not None else None
        key = key_of("triples", digest, str(ctx.file), context) if digest is not None else None
        entry = cache.get("triples", key, unpack_triples) if cache is not None and key is not None else None
        if entry is not None:
            triples.extend(entry[0])
            locations, counters = entry[1], entry[2]
        else:
            part = LoadReport()
            mine = TripleList()
            builder = _Builder(mine, self.builder.study, self.builder.source)
            _emit_file(mine, builder, data, ctx, self.csv_findings, self.defaults, part, self.goals)
            locations, counters = part.locations, _counters(part)
            if cache is not None and key is not None:
                cache.put("triples", key, (encode_triples(mine), locations, counters))
            triples.extend(mine)
        report.locations.update(locations)
        for name, value in counters.items():
            setattr(report, name, getattr(report, name) + value)


def _counters(part: LoadReport) -> dict[str, int]:
    return {name: getattr(part, name) for name in ("municipalities", "memberships", "documents", "structures")}


def _emit_file(
    graph: TripleSink,
    builder: _Builder,
    data: dict[str, Any],
    ctx: _Ctx,
    csv_findings: dict[str, list[dict[str, Any]]],
    defaults: Defaults,
    report: LoadReport,
    goals: set[str],
) -> None:
    municipality = municipality_iri(data["municipality"])
    report.municipalities += 1
    graph.add((builder.study, PG.coversMunicipality, municipality))
    for member in data.get("memberships", []):
        _emit_membership(graph, builder, data["municipality"], member)
        report.memberships += 1
    for i, doc in enumerate(data.get("documents", [])):
        report.documents += 1
        d = _emit_document(graph, builder, doc, municipality)
        report.locations[str(d)] = ctx.where(("documents", i, "id"))
        emit_document_chain(graph, doc, d, goals, defaults, builder.section)
        for j, finding in enumerate(doc.get("findings", [])):
            f = _emit_finding(graph, builder, finding, d, defaults)
            report.locations[str(f)] = ctx.where(("documents", i, "findings", j, "id"))
            for k, item in enumerate(finding.get("reflects", [])):
                key = link_key(item, link_coder(item, finding, defaults))
                report.locations[f"{f}/link/{key}"] = ctx.where(("documents", i, "findings", j, "reflects", k))
        for finding in csv_findings.get(doc["id"], []):
            f = _emit_finding(graph, builder, finding, d, defaults)
            report.locations[str(f)] = [finding["_sheet"], finding["_line"]]
    for structure in data.get("structures", []):
        report.structures += 1
        _emit_structure(graph, builder, structure, municipality)


def _emit_membership(graph: TripleSink, builder: _Builder, slug: str, member: dict[str, Any]) -> None:
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


def _emit_structure(graph: TripleSink, builder: _Builder, structure: dict[str, Any], municipality: URIRef) -> None:
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


def _emit_alternative(graph: TripleSink, builder: _Builder, alt: Alternative) -> None:
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


def _row_finding(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as a finding in the YAML form (one link at most)."""
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
        link = {"guidance": row["guidance"], "how": row["how"]}
        for key in ("basis", "cited", "confidence"):
            if row.get(key):
                link[key] = row[key]
        finding["reflects"].append(link)
    return finding


def _check_sheet_header(rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
    if not rows:
        return
    header = list(rows[0][1])
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise PlangrafError(f"unknown column '{unknown[0]}'; allowed: {', '.join(CSV_COLUMNS)}", file=str(path), line=1)
    missing = [c for c in CSV_COLUMNS if c not in header and c not in CSV_OPTIONAL]
    if missing:
        raise PlangrafError(
            f"missing column(s) {', '.join(missing)}; expected: {', '.join(CSV_COLUMNS)}", file=str(path), line=1
        )


def _check_row(row: dict[str, str], finding: dict[str, Any], path: Path, line: int, check: _StudyCheck) -> None:
    """Check the row with the same schema and checks as a finding in a YAML file."""
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
        _check_finding(finding, _Ctx(path, {("row",): line}), ("row",), check.ref, check.coders, check.defaults)
    except PlangrafError as exc:
        raise PlangrafError(exc.message, file=str(path), line=line, field=_csv_column(exc.field)) from None


def _read_coding_sheet(
    path: Path,
    check: _StudyCheck,
    ids: _Ids,
    out: dict[str, list[dict[str, Any]]],
    digests: dict[str, str] | None = None,
) -> None:
    """Check a CSV coding sheet row by row; add its findings (merged by id) to ``out``."""
    rows = load_csv(path, digests)
    merged: dict[str, tuple[dict[str, Any], int]] = {}

    def error(message: str, line: int, column: str | None) -> PlangrafError:
        return PlangrafError(message, file=str(path), line=line, field=column)

    _check_sheet_header(rows, path)
    for line, row in rows:
        finding = _row_finding(row)
        _check_row(row, finding, path, line, check)
        if row["document"] not in ids.docs:
            raise error(
                f"unknown document id '{row['document']}'; declare the document in a YAML file first", line, "document"
            )
        if ids.owner[row["document"]] != row["municipality"]:
            raise error(
                f"document '{row['document']}' belongs to {ids.owner[row['document']]}, not {row['municipality']}",
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
        if key in ids.findings:
            raise error(f"duplicate finding id '{key}' (also in {ids.findings[key]})", line, "finding")
        ids.findings[key] = f"{path}:{line}"
        finding.update({"_document": row["document"], "_sheet": str(path), "_line": line})
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


def _emit_study(graph: TripleSink, builder: _Builder, study: dict[str, Any]) -> None:
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


def _emit_document(graph: TripleSink, builder: _Builder, doc: dict[str, Any], municipality: URIRef) -> URIRef:
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


def _emit_finding(
    graph: TripleSink, builder: _Builder, finding: dict[str, Any], document: URIRef, defaults: Defaults
) -> URIRef:
    """Write the passage a finding records, then its links (see :mod:`plangraf.links`).

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
