"""The checks a study's files pass before any triple is written: identifiers against the reference
data, dates and periods, duplicates, cross references.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_, dotted, line_of
from plangraf.rdf.namespaces import (
    DCAT,
    DCTERMS,
    PG,
    PGID,
    RDF,
    SKOS,
)
from plangraf.study.links import (
    Defaults,
    check_coding_date,
    check_links,
)
from plangraf.study.passages import check_document_passages
from plangraf.study.readings import Alternative, apply_reading


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
class FileContext:
    file: Path
    lines: dict[Path_, int]

    def fail(self, message: str, here: Path_) -> PlangrafError:
        return PlangrafError(message, file=str(self.file), line=line_of(self.lines, here), field=dotted(here))

    def where(self, here: Path_) -> list[str | int | None]:
        return [str(self.file), line_of(self.lines, here)]


def _parse_date(value: Any, ctx: FileContext, here: Path_, *, end: bool = False) -> tuple[dt.date, bool]:
    """Return (date, given_as_year). Years become 1 January, or 31 December for an end."""
    if isinstance(value, int):
        return (dt.date(value, 12, 31) if end else dt.date(value, 1, 1)), True
    try:
        return dt.date.fromisoformat(str(value)), False
    except ValueError:
        raise ctx.fail(f"{value!r} is not a real date (YYYY-MM-DD)", here) from None


def check_study(data: dict[str, Any], ctx: FileContext, ref: ReferenceIndex) -> None:
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


def _check_coders(data: dict[str, Any], ctx: FileContext) -> None:
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


def check_finding(
    finding: dict[str, Any], ctx: FileContext, here: Path_, ref: ReferenceIndex, coders: set[str], defaults: Defaults
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
class SeenIds:
    """Identifiers seen so far in a study, each with where it was first read."""

    docs: dict[str, str] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)
    structures: dict[str, str] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)


@dataclass
class StudyCheck:
    """What the per-file checks need: the reference index, coders and defaults."""

    ref: ReferenceIndex
    coders: set[str]
    defaults: Defaults
    on_date: str


def _check_number(data: dict[str, Any], ctx: FileContext, check: StudyCheck) -> None:
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


def _check_document(doc: dict[str, Any], ctx: FileContext, here: Path_, check: StudyCheck, ids: SeenIds) -> None:
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
        check_finding(finding, ctx, fhere, check.ref, check.coders, check.defaults)
        if j == 0:  # the passages of the whole document: once, where its first finding is checked
            check_document_passages(doc, ctx, here)


def check_file(data: dict[str, Any], ctx: FileContext, check: StudyCheck, ids: SeenIds) -> None:
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


def check_alternative_values(
    files: list[tuple[dict[str, Any], FileContext]], alternatives: list[Alternative], check: StudyCheck
) -> None:
    """Each alternative, applied alone, gives a file that passes the reference checks."""
    by_file: dict[str, list[Alternative]] = {}
    for alt in alternatives:
        by_file.setdefault(alt.file, []).append(alt)
    for data, ctx in files:
        for alt in by_file.get(str(ctx.file), []):
            try:
                check_file(apply_reading(data, frozenset({alt.id})), ctx, check, SeenIds())
            except PlangrafError as exc:
                raise PlangrafError(
                    f"under alternative '{alt.id}': {exc.message}", file=str(ctx.file), line=alt.line, field=exc.field
                ) from None


def check_cross_references(parsed: list[tuple[dict[str, Any], FileContext]], ids: SeenIds) -> None:
    for data, ctx in parsed:
        for i, doc in enumerate(data.get("documents", [])):
            for key in ("replaces", "part_of"):
                if key in doc and doc[key] not in ids.docs:
                    raise ctx.fail(f"unknown document id '{doc[key]}'", ("documents", i, key))
        for i, structure in enumerate(data.get("structures", [])):
            for j, ref_doc in enumerate(structure.get("documents", [])):
                if ref_doc not in ids.docs:
                    raise ctx.fail(f"unknown document id '{ref_doc}'", ("structures", i, "documents", j))
