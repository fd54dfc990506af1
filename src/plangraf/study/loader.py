"""Load a study folder (YAML files and CSV coding sheets) into RDF.

Everything is read and checked first — JSON Schema, dates, periods, identifiers against the
reference graph, duplicates — and only then turned into triples, so a bad file never leaves
half a study behind. The public entry point is :func:`load_study`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import check_size
from plangraf.core.yamlio import Path_, load_yaml
from plangraf.rdf.namespaces import (
    PG,
    PGID,
    RDF,
    bind_prefixes,
    municipality_iri,
    nb_label,
)
from plangraf.study import schema as schema_check
from plangraf.study.cache import (
    CachedTriples,
    StudyCache,
    code_key,
    encode_triples,
    key_of,
    unpack_parsed,
    unpack_triples,
)
from plangraf.study.chain import ChainCheck, check_chain, emit_document_chain
from plangraf.study.checks import (
    FileContext,
    ReferenceIndex,
    SeenIds,
    StudyCheck,
    check_alternative_values,
    check_cross_references,
    check_file,
    check_study,
)
from plangraf.study.emit import (
    TripleBuilder,
    emit_alternative,
    emit_document,
    emit_finding,
    emit_membership,
    emit_structure,
    emit_study,
)
from plangraf.study.links import (
    Defaults,
    Triple,
    TripleSink,
    link_coder,
    link_key,
)
from plangraf.study.readings import (
    Alternative,
    apply_reading,
    check_reading,
    collect_alternatives,
    stated_links_only,
)
from plangraf.study.sheets import read_coding_sheet

RESERVED_FILES = {"study.yaml", "claims.yaml"}


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


def _read_files(
    directory: Path, *, compiled: bool = True, cache: StudyCache | None = None
) -> tuple[list[tuple[dict[str, Any], FileContext]], list[Alternative]]:
    """Parse and schema-check every municipality file; collect and check their alternatives.
    ``compiled`` false checks with the reference validator only (see :func:`schema_check.check`)."""
    files: list[tuple[dict[str, Any], FileContext]] = []
    alternatives: list[Alternative] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name in RESERVED_FILES:
            continue
        data, lines = _read_checked(path, compiled, cache)
        alternatives += collect_alternatives(data, path, lines, seen)
        files.append((data, FileContext(path, lines)))
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
        raise FileContext(path, lines).fail("expected a mapping at the top of the file", ())
    schema_check.check(data, lines, "municipality", path, compiled=compiled)
    if cache is not None and key is not None:
        cache.put("parsed", key, (data, lines))
    return data, lines


def _read_study_file(
    directory: Path,
    reference: Graph,
    digests: dict[str, str] | None = None,
    indexes: dict[str, ReferenceIndex] | None = None,
) -> tuple[dict[str, Any], StudyCheck]:
    if not directory.is_dir():
        raise PlangrafError("study folder not found", file=str(directory))
    study_file = directory / "study.yaml"
    study, study_lines = load_yaml(study_file, digests)
    study_ctx = FileContext(study_file, study_lines)
    if not isinstance(study, dict):
        raise study_ctx.fail("expected a mapping at the top of the study file", ())
    schema_check.check(study, study_lines, "study", study_file)
    on_date = str(study["sample"]["population_date"])
    if indexes is None:
        ref = ReferenceIndex.from_graph(reference, on_date)
    elif on_date in indexes:
        ref = indexes[on_date]
    else:
        ref = indexes[on_date] = ReferenceIndex.from_graph(reference, on_date)
    check_study(study, study_ctx, ref)
    coders = {c["id"] for c in study["coders"]}
    defaults = Defaults(coder=study.get("coder"), coded=study.get("coded"))
    return study, StudyCheck(ref=ref, coders=coders, defaults=defaults, on_date=on_date)


def list_alternatives(directory: Path) -> list[Alternative]:
    """The alternative readings a study folder declares (checked against the schema only)."""
    return _read_files(Path(directory))[1]


def load_study(
    directory: Path, reference: Graph, *, readings: frozenset[str] = frozenset(), compiled_checks: bool = True
) -> tuple[Graph, LoadReport]:
    """Read and check a study folder, then return its triples and a load report.

    ``reference`` is the reference graph (municipalities, guidance, eGovWSF, cooperations);
    every identifier in the study must resolve in it. ``readings`` names alternatives (see
    :mod:`plangraf.study.readings`) to apply; by default the files are read as written.
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
    indexes: dict[str, ReferenceIndex] | None = None,
    stated_only: bool = False,
    segments: list[FileSegment] | None = None,
) -> tuple[TripleList, LoadReport]:
    """:func:`load_study` with the triples as a list (duplicates possible): the build adds them to its graph directly,
    instead of building a second graph to copy. With a ``cache`` (:mod:`plangraf.study.cache`), an unchanged
    municipality file is neither parsed nor turned into triples again; every check across files still runs.
    ``indexes`` keeps the reference index of ``reference`` by date for the next call with the same
    reference graph (the readings of a study are loaded against one unchanging reference).
    ``stated_only`` keeps only the links the source states (:func:`stated_links_only`).
    ``segments`` receives where each municipality file's triples are in the list
    (:class:`FileSegment`); the others are the study's own (``study.yaml``, readings, alternatives)."""
    directory = Path(directory)
    digests = cache.read if cache is not None else None  # the hashes of the bytes read, for the cache
    study, check = _read_study_file(directory, reference, digests, indexes)
    files, alternatives = _read_files(directory, compiled=compiled_checks, cache=cache)
    check_reading(frozenset(readings), alternatives)
    check_alternative_values(files, alternatives, check)
    parsed = [(apply_reading(data, frozenset(readings)), ctx) for data, ctx in files]
    if stated_only:
        parsed = [(stated_links_only(data), ctx) for data, ctx in parsed]
    ids = SeenIds()
    for data, ctx in parsed:
        check_file(data, ctx, check, ids)
    check_cross_references(parsed, ids)
    chain = check_chain(parsed, ChainCheck(check.ref.guidance, check.ref.provisions, check.coders, check.defaults))

    report = LoadReport(files=[str(directory / "study.yaml")] + [str(ctx.file) for _, ctx in parsed])
    report.alternatives = len(alternatives)
    report.reading = sorted(readings)
    # CSV coding sheets: findings for documents declared in the YAML files.
    csv_findings: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.csv")):
        report.files.append(str(path))
        read_coding_sheet(path, check, ids, csv_findings, digests)
    if stated_only:
        csv_findings = {
            doc: stated_links_only({"documents": [{"findings": found}]})["documents"][0]["findings"]
            for doc, found in csv_findings.items()
        }
    _count_read(parsed, csv_findings, report)

    # Everything is checked: now write triples.
    triples = TripleList()
    study_iri = PGID[f"study/{study['id']}"]
    builder = TripleBuilder(triples, study_iri, PGID[f"source/{study.get('source_id', study['id'])}"])
    emit_study(triples, builder, study)
    for alt_id in sorted(readings):
        triples.add((study_iri, PG.underReading, PGID[f"reading/{alt_id}"]))
    for alt in alternatives:
        emit_alternative(triples, builder, alt)
    goals = set(chain.goals)  # the study's municipal goal ids, to tell them from guidance ids
    emit = _FileEmitter(builder, csv_findings, check.defaults, goals, segments)
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


def _count_read(
    parsed: list[tuple[dict[str, Any], FileContext]], csv_findings: dict[str, list[dict[str, Any]]], report: LoadReport
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
class FileSegment:
    """Where one municipality file's triples are in :func:`read_study`'s list (``start`` to
    ``end``), and the key of its ``triples`` entry in the per-file cache (``None`` without a
    cache): one key, one list of triples."""

    file: str
    key: str | None
    start: int
    end: int
    # from the cache: its triples as a table of terms and rows (the list holds the same triples)
    cached: CachedTriples | None = None


@dataclass
class _FileEmitter:
    """Turns one checked municipality file into triples, or takes them from the cache."""

    builder: TripleBuilder
    csv_findings: dict[str, list[dict[str, Any]]]
    defaults: Defaults
    goals: set[str]
    segments: list[FileSegment] | None = None

    def into(
        self,
        triples: TripleList,
        report: LoadReport,
        data: dict[str, Any],
        ctx: FileContext,
        cache: StudyCache | None,
        context: str | None,
    ) -> None:
        digest = cache.digest(ctx.file) if cache is not None else None
        key = key_of("triples", digest, str(ctx.file), context) if digest is not None else None
        entry = cache.get("triples", key, unpack_triples) if cache is not None and key is not None else None
        if self.segments is not None:
            self.segments.append(FileSegment(str(ctx.file), key, len(triples), 0))
        if entry is not None:
            triples.extend(entry.triples)
            locations, counters = entry.locations, entry.counters
            if self.segments is not None:
                self.segments[-1].cached = entry
        else:
            part = LoadReport()
            mine = TripleList()
            builder = TripleBuilder(mine, self.builder.study, self.builder.source)
            _emit_file(mine, builder, data, ctx, self.csv_findings, self.defaults, part, self.goals)
            locations, counters = part.locations, _counters(part)
            if cache is not None and key is not None:
                cache.put("triples", key, (encode_triples(mine), locations, counters))
            triples.extend(mine)
        if self.segments is not None:
            self.segments[-1].end = len(triples)
        report.locations.update(locations)
        for name, value in counters.items():
            setattr(report, name, getattr(report, name) + value)


def _counters(part: LoadReport) -> dict[str, int]:
    return {name: getattr(part, name) for name in ("municipalities", "memberships", "documents", "structures")}


def _emit_file(
    graph: TripleSink,
    builder: TripleBuilder,
    data: dict[str, Any],
    ctx: FileContext,
    csv_findings: dict[str, list[dict[str, Any]]],
    defaults: Defaults,
    report: LoadReport,
    goals: set[str],
) -> None:
    municipality = municipality_iri(data["municipality"])
    report.municipalities += 1
    graph.add((builder.study, PG.coversMunicipality, municipality))
    for member in data.get("memberships", []):
        emit_membership(graph, builder, data["municipality"], member)
        report.memberships += 1
    for i, doc in enumerate(data.get("documents", [])):
        report.documents += 1
        d = emit_document(graph, builder, doc, municipality)
        report.locations[str(d)] = ctx.where(("documents", i, "id"))
        emit_document_chain(graph, doc, d, goals, defaults, builder.section)
        for j, finding in enumerate(doc.get("findings", [])):
            f = emit_finding(graph, builder, finding, d, defaults)
            report.locations[str(f)] = ctx.where(("documents", i, "findings", j, "id"))
            for k, item in enumerate(finding.get("reflects", [])):
                key = link_key(item, link_coder(item, finding, defaults))
                report.locations[f"{f}/link/{key}"] = ctx.where(("documents", i, "findings", j, "reflects", k))
        for finding in csv_findings.get(doc["id"], []):
            f = emit_finding(graph, builder, finding, d, defaults)
            report.locations[str(f)] = [finding["_sheet"], finding["_line"]]
    for structure in data.get("structures", []):
        report.structures += 1
        emit_structure(graph, builder, structure, municipality)


def studied_municipalities(graph: Graph) -> list[str]:
    """Norwegian names of the municipalities a study in ``graph`` covers, sorted."""
    return sorted(nb_label(graph, m) for m in set(graph.objects(None, PG.coversMunicipality)))
