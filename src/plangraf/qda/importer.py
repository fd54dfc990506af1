"""Coded text selections of a REFI-QDA project into a study's findings (all or nothing, idempotent).

A finding is one passage of one governing document: selections with the same text in the same
document become one finding, and an existing finding with that text (or the finding an exported
selection names) is updated rather than duplicated. Per selection and coder, guidance codes
become links whose ``how`` is the relation code the same coder applied to the same selection;
eGovWSF codes become the finding's elements (``absent_elements`` under the relation "absent").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from plangraf.core.errors import PlangrafError
from plangraf.qda.codebook import RELATION_KINDS, Code
from plangraf.qda.mapping import Mapping
from plangraf.qda.nvivo import nvivo_dates
from plangraf.qda.offsets import convention_for, cut
from plangraf.qda.refi_read import Coding, Project, Selection, Source
from plangraf.qda.roundtrip import marker_of, restore_links, restore_own
from plangraf.qda.studyfiles import StudyFiles, append_item, write_all
from plangraf.rdf.namespaces import slugify


def normalise(text: str) -> str:
    """Whitespace runs (line ends included) as one space: how quotes are kept in the study files."""
    return " ".join(text.split())


@dataclass
class Passage:
    """One finding to write: a document's passage and what the coders said about it."""

    doc: str
    text: str
    guids: list[str]
    page: int | None = None
    marker: dict[str, Any] = field(default_factory=dict)
    links: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (guidance, coder) -> (how, date)
    elements: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What an import would write, and what it could not map."""

    passages: list[Passage] = field(default_factory=list)
    new_coders: list[tuple[str, str]] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    changed: dict[Path, str] = field(default_factory=dict)


class ImportContext:
    def __init__(self, project: Project, files: StudyFiles, codebook: dict[str, Code], mapping: Mapping) -> None:
        self.project = project
        self.files = files
        self.codebook = codebook
        self.mapping = mapping
        self.docs = files.documents()
        self.convention = mapping.offsets or convention_for(project.origin)
        # NVivo writes the project's modifying user on every Coding; the selection's user is the coder (FACTS.md)
        self.coder_from = mapping.coder_from or ("selection" if self.convention == "utf16" else "coding")
        self.coders = {str(c["id"]): str(c.get("name", "")) for c in files.plain_study.get("coders") or []}
        # NVivo stamps every Coding with the export time (FACTS.md): dates from the selections, if any
        nvivo = project.origin.lower().startswith("nvivo")
        self.dates_from = mapping.dates or (nvivo_dates(project) if nvivo else "coding")
        self.plan = Plan()
        self.today = dt.date.today()
        self.defaulted = 0  # links given the mapping's default_relation
        self.names: dict[tuple[str, str], str] = {}  # plangraf target -> the project's code name

    def name_of(self, kind: str, ident: str) -> str:
        """The project's name of the code last read for a plangraf target, for messages."""
        return repr(self.names.get((kind, ident), ident))

    def fail(self, element: str, guid: str, message: str) -> PlangrafError:
        member = "" if Path(self.project.archive).name == self.project.member else f"{self.project.member}: "
        return PlangrafError(f"{member}{element} {guid}: {message}", file=self.project.archive)

    def lookup(self, code_guid: str) -> tuple[str, str] | None:
        """('guidance'|'element'|'relation', id) for a code by the mapping or the codebook, else None."""
        name, _ = self.project.codes.get(code_guid, ("", ""))
        mapped = self.mapping.codes.get(code_guid) or self.mapping.codes.get(name)
        if mapped == "ignore":
            return None
        if mapped:
            prefix, ident = mapped.split("/", 1)
            return {"guidance": "guidance", "egovwsf": "element", "relation": "relation"}[prefix], ident
        code = self.codebook.get(code_guid)
        if code is not None and code.kind in ("guidance", "element", "relation"):
            return code.kind, code.ident
        return None

    def target(self, code_guid: str) -> tuple[str, str] | None:
        """The code's plangraf target; an unmapped code (not ignored) is counted for the report."""
        found = self.lookup(code_guid)
        name, _ = self.project.codes[code_guid]
        ignored = (self.mapping.codes.get(code_guid) or self.mapping.codes.get(name)) == "ignore"
        if found is None and not ignored:
            self.plan.unmapped[f"{name} ({code_guid})"] += 1
        return found

    def implied_relation(self, code_guid: str) -> str:
        """The relation kind of the nearest code this one is nested in that stands for one ("" if none)."""
        seen = {code_guid}
        parent = self.project.parents.get(code_guid, "")
        while parent and parent not in seen:
            found = self.lookup(parent)
            if found is not None and found[0] == "relation":
                return found[1]
            seen.add(parent)
            parent = self.project.parents.get(parent, "")
        return ""

    def coder(self, user_guid: str, element: str, guid: str) -> str:
        """The study coder for a REFI user: mapped, matched by name, or added."""
        name = self.project.users.get(user_guid, "")
        mapped = self.mapping.coders.get(user_guid) or self.mapping.coders.get(name)
        if mapped:
            if mapped not in self.coders:
                raise self.fail(element, guid, f"the mapping names coder {mapped!r}, not listed in study.yaml")
            return mapped
        if not name:
            raise self.fail(element, guid, f"no coder: user {user_guid or '(none)'} has no name in <Users>")
        for cid, cname in self.coders.items():
            if cname.casefold() == name.casefold():
                return cid
        given = self.project.user_ids.get(user_guid, "")
        cid = given if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", given) and len(given) > 3 else slugify(name) or "coder"
        while cid in self.coders:
            cid += "-qda"
        self.coders[cid] = name
        self.plan.new_coders.append((cid, name))
        return cid

    def day(self, stamp: str, element: str, guid: str) -> str:
        try:
            day = dt.date.fromisoformat(stamp[:10])
        except ValueError:
            raise self.fail(element, guid, f"creationDateTime {stamp!r} is not a date") from None
        if day > self.today:
            raise self.fail(element, guid, f"creationDateTime {stamp!r} is in the future")
        return day.isoformat()


def _document_for(ctx: ImportContext, source: Source) -> str | None:
    """The governing document a source stands for: mapping, variable, case, or its own name."""
    m = ctx.mapping.sources
    candidates = [m.get(source.guid), m.get(source.name)]
    candidates += [v for k, v in source.variables.items() if k.lower() in ("plangraf", "plangraf-document", "document")]
    candidates += [c.name for c in ctx.project.cases if source.guid in c.sources and c.name in ctx.docs]
    stem = re.sub(r"\.[A-Za-z0-9]{1,4}$", "", source.name)
    candidates += [source.name, stem]
    for candidate in candidates:
        if candidate:
            if candidate in ctx.docs:
                return candidate
            if candidate in (m.get(source.guid), m.get(source.name)):
                raise ctx.fail(source.element, source.guid, f"mapped to document {candidate!r}, not in the study")
    return None


def _check_name(ctx: ImportContext, sel: Selection, quote: str) -> None:
    name = normalise(sel.name)
    if not ctx.mapping.check_names or not name:
        return
    text = normalise(quote)
    if name == text:
        return
    if name.endswith(("…", "...")) and text.startswith(name.rstrip("….").rstrip()):
        return
    raise ctx.fail(
        "PlainTextSelection",
        sel.guid,
        f"its name {name[:40]!r} does not match the text at {sel.start}–{sel.end} ({text[:40]!r}) counted as "
        f"{ctx.convention}; if the names are titles, set check_names: false in the mapping file",
    )


Kinds = dict[str, list[tuple[str, str, str]]]  # kind -> [(id, date, relation implied by the code hierarchy)]
Coded = dict[str, list[Kinds]]  # coder -> one Kinds per selection of the range
ELEMENTS_PART = "elements"  # a selection's marker "part": its element codes are elements, never absent


def _date(ctx: ImportContext, sel: Selection, coding: Coding) -> str:
    if ctx.dates_from == "none":
        return ""
    stamp = coding.created or sel.created if ctx.dates_from == "coding" else sel.created
    return ctx.day(stamp, "Coding", coding.guid) if stamp else ""


def codes_by_coder(ctx: ImportContext, selections: list[Selection]) -> Coded:
    """coder -> kind -> [(id, date, implied relation)] for the selections of one range.

    NVivo writes one selection per code with the same range (FACTS.md); other tools put several
    codings in one selection. Either way the codings of a range are read together.
    """
    out: Coded = {}
    for sel in selections:
        mine: dict[str, Kinds] = {}
        for coding in sel.codings:
            if coding.code not in ctx.project.codes:
                raise ctx.fail("Coding", coding.guid, f"CodeRef to no code (targetGUID {coding.code or '(none)'})")
            target = ctx.target(coding.code)
            if target is None:
                continue
            ctx.names[target] = ctx.project.codes[coding.code][0]
            user = (sel.user or coding.user) if ctx.coder_from == "selection" else (coding.user or sel.user)
            coder = ctx.coder(user, "Coding", coding.guid)
            implied = ctx.implied_relation(coding.code) if target[0] == "guidance" else ""
            mine.setdefault(coder, {}).setdefault(target[0], []).append((target[1], _date(ctx, sel, coding), implied))
        for coder, kinds in mine.items():
            if marker_of(sel.description).get("part") == ELEMENTS_PART:
                kinds["part"] = [(ELEMENTS_PART, "", "")]
            out.setdefault(coder, []).append(kinds)
    return out


def _no_relation(ctx: ImportContext, where: tuple[Source, Selection, Selection], coder: str, names: list[str]) -> None:
    source, first, last = where
    raise ctx.fail(
        "PlainTextSelection",
        first.guid,
        f"coder {coder!r} applied guidance code(s) {', '.join(names)} to {first.start}–{last.end} of source "
        f"{source.name!r} with no relation kind: code the same range with a relation code "
        f"({', '.join(RELATION_KINDS)}), nest the guidance code under one, or map a code to relation/<kind> "
        "under codes: (or set default_relation) in the mapping file",
    )


def _relations(kinds: Kinds) -> list[str]:
    return sorted({r for r, _, _ in kinds.get("relation", [])})


def fill_links(ctx: ImportContext, passage: Passage, where: tuple[Source, Selection, Selection], coded: Coded) -> None:
    """Links and elements of one range, coder by coder.

    A guidance code's relation kind is, in this order: the relation code it is nested in (code
    hierarchy), the relation code in its own selection (several codes in one selection), or the
    one relation code the coder applied to the same range in another selection (NVivo's layout).
    """
    for coder, selections in coded.items():
        on_range = sorted({r for kinds in selections for r in _relations(kinds)})
        for kinds in selections:
            own = _relations(kinds)
            if len(own) > 1 or (not own and len(on_range) > 1 and kinds.get("guidance")):
                found = own if len(own) > 1 else on_range
                raise ctx.fail(
                    "PlainTextSelection",
                    where[1].guid,
                    f"coder {coder!r} applied {len(found)} relation codes ({', '.join(found)}) to "
                    f"{where[1].start}–{where[2].end}; one relation per passage: split the passage",
                )
            relation = own[0] if own else on_range[0] if on_range else None
            guidance = kinds.get("guidance", [])
            missing = [gid for gid, _, implied in guidance if not implied and relation is None]
            if missing and ctx.mapping.default_relation is None:
                _no_relation(ctx, where, coder, sorted({ctx.name_of("guidance", gid) for gid in missing}))
            for gid, day, implied in guidance:
                if implied and relation and implied != relation:
                    raise ctx.fail(
                        "PlainTextSelection",
                        where[1].guid,
                        f"coder {coder!r}: code {ctx.name_of('guidance', gid)} is nested under relation kind "
                        f"{implied}, but the range {where[1].start}–{where[2].end} has relation code {relation}",
                    )
                ctx.defaulted += not implied and relation is None
                passage.links[(gid, coder)] = (implied or relation or str(ctx.mapping.default_relation), day)
            absent = relation == "absent" and "part" not in kinds
            bucket = passage.absent if absent else passage.elements
            bucket.extend(eid for eid, _, _ in kinds.get("element", []) if eid not in bucket)


def coded_ranges(source: Source) -> list[list[Selection]]:
    """The source's coded selections grouped by range (start, end), in document order."""
    groups: dict[tuple[int, int], list[Selection]] = {}
    for sel in source.selections:
        if sel.codings or marker_of(sel.description):
            groups.setdefault((sel.start, sel.end), []).append(sel)
    return [groups[key] for key in sorted(groups)]


def _passages(ctx: ImportContext) -> list[Passage]:
    found: dict[tuple[str, str], Passage] = {}
    for source in ctx.project.sources:
        ranges = coded_ranges(source)
        if not ranges:
            continue
        text = ctx.project.text_of(source)  # a missing source file is the first thing to report
        doc = _document_for(ctx, source)
        if doc is None:
            raise ctx.fail(
                source.element,
                source.guid,
                f"source {source.name!r} maps to no document of the study; "
                "name it under sources: in the mapping file, or give it a variable 'plangraf-document'",
            )
        for group in ranges:
            first = group[0]
            try:
                raw = cut(text, first.start, first.end, ctx.convention)
            except ValueError as exc:
                raise ctx.fail("PlainTextSelection", first.guid, f"selection outside its source text: {exc}") from None
            for sel in group:
                _check_name(ctx, sel, raw)
            quote = normalise(raw)
            if not quote:
                ctx.plan.warnings.append(f"PlainTextSelection {first.guid}: only white space, skipped")
                continue
            coded = codes_by_coder(ctx, group)
            marker = next((m for m in (marker_of(s.description) for s in group) if m), {})
            if not coded and not marker:
                ctx.plan.warnings.append(f"PlainTextSelection {first.guid}: no mapped code, not imported")
                continue
            passage = found.setdefault((doc, quote), Passage(doc, quote, []))
            passage.guids.extend(s.guid for s in group)
            passage.marker = passage.marker or marker
            if "\f" in text:
                passage.page = cut(text, 0, first.start, ctx.convention).count("\f") + 1
            fill_links(ctx, passage, (source, first, group[-1]), coded)
    return list(found.values())


def plan_import(project: Project, files: StudyFiles, codebook: dict[str, Code], mapping: Mapping) -> Plan:
    """Work out every change an import makes, in memory; nothing is written."""
    ctx = ImportContext(project, files, codebook, mapping)
    passages = _passages(ctx)
    if not passages and not any(s.selections for s in project.sources):
        raise PlangrafError(
            f"{project.member}: the project holds no text codings (no PlainTextSelection in any text or PDF source)",
            file=project.archive,
        )
    ctx.plan.passages = passages
    ctx.plan.warnings += project.warnings
    if ctx.defaulted:
        ctx.plan.warnings.append(
            f"{ctx.defaulted} link(s) had no relation code and were given default_relation "
            f"{ctx.mapping.default_relation!r} from the mapping file"
        )
    if project.origin.lower().startswith("nvivo") and not mapping.dates:
        ctx.plan.warnings.append(
            "NVivo writes the export time on every Coding, so coding dates were taken from the selections"
            if ctx.dates_from == "selection"
            else "NVivo writes the export time on every Coding, and the selections carry no dates or only "
            "export-time ones (all within one hour), so no coding dates were imported "
            "(set dates: coding or dates: selection in the mapping file if yours are real)"
        )
    whole = sum(s.whole for s in project.sources)
    if whole:
        ctx.plan.warnings.append(f"{whole} codings of whole sources have no passage and are not imported")
    skipped = sum(s.skipped for s in project.sources)
    if skipped:
        ctx.plan.warnings.append(f"{skipped} region or media selections have no text and are not imported")
    for cid, name in ctx.plan.new_coders:
        append_item(files.study.setdefault("coders", []), CommentedMap([("id", cid), ("name", name)]))
        ctx.plan.actions.append(f"coder added: {cid} ({name})")
    used = files.finding_ids()
    for passage in passages:
        _apply(ctx, passage, used)
    ctx.plan.changed = files.rendered()
    return ctx.plan


def _find(doc: Any, passage: Passage) -> Any | None:
    wanted = passage.marker.get("finding")
    for finding in doc.get("findings") or []:
        if wanted and finding.get("id") == wanted:
            return finding
    for finding in doc.get("findings") or []:
        if normalise(str(finding.get("text", ""))) == passage.text:
            return finding
    return None


def _new_finding(ctx: ImportContext, passage: Passage, used: set[str]) -> CommentedMap:
    ident = passage.marker.get("finding") or ""
    if not ident or ident in used:
        guid = min(passage.guids).lower().replace("-", "")
        ident = f"{passage.doc}-qda-{guid[:8]}"
        size = 8
        while ident in used:
            size += 4
            ident = f"{passage.doc}-qda-{guid[:size]}"
    used.add(ident)
    finding = CommentedMap(
        [("id", ident), ("evidence", passage.marker.get("evidence", "quote")), ("text", passage.text)]
    )
    location = passage.marker.get("location") or (f"s. {passage.page}" if passage.page else "")
    if location:
        finding["location"] = location
    default_source = ctx.mapping.source or f"{ctx.project.name or Path(ctx.project.archive).name} (REFI-QDA)"
    finding["source"] = passage.marker.get("source") or default_source
    finding["reflects"] = []
    if not _present_elements(ctx, passage) and not passage.absent:
        raise ctx.fail(
            "PlainTextSelection",
            min(passage.guids),
            "no eGovWSF element code on this passage; the study format needs at least one, present "
            "or absent (code one, or set default_elements in the mapping file)",
        )
    finding["elements"] = _flow([])
    return finding


def _present_elements(ctx: ImportContext, passage: Passage) -> list[str]:
    """The passage's present elements; the mapping's defaults only where it has no element code at all
    (a passage that records only absence has none present)."""
    if passage.elements or passage.absent:
        return list(passage.elements)
    return list(ctx.mapping.default_elements)


def _flow(items: list[str]) -> CommentedSeq:
    """A list written on one line, as the study files write element lists."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _apply(ctx: ImportContext, passage: Passage, used: set[str]) -> None:
    doc = ctx.files.editable_document(passage.doc)
    finding = _find(doc, passage)
    created = finding is None
    if finding is None:
        finding = _new_finding(ctx, passage, used)
        if "findings" not in doc or doc["findings"] is None:
            doc["findings"] = []
        append_item(doc["findings"], finding)
        ctx.plan.actions.append(f"finding added: {passage.doc} / {finding['id']}: {passage.text[:60]!r}")
        elements = _present_elements(ctx, passage)
        restore_own(finding, passage.marker)
    else:
        elements = passage.elements
    for eid in elements:
        if eid not in finding["elements"]:
            finding["elements"].append(eid)
    if passage.absent:
        finding.setdefault("absent_elements", _flow([]))
        finding["absent_elements"].extend(e for e in passage.absent if e not in finding["absent_elements"])
    for (gid, coder), (how, day) in sorted(passage.links.items()):
        _merge_link(ctx, finding, gid, coder, how, day)
    if created:
        restore_links(finding, passage.marker, ctx.files.plain_study)


def _merge_link(ctx: ImportContext, finding: Any, gid: str, coder: str, how: str, day: str) -> None:
    default_coder = ctx.files.plain_study.get("coder")
    for link in finding["reflects"]:
        same_coder = link.get("coder", finding.get("coder", default_coder)) == coder
        if link.get("guidance") == gid and link.get("basis", "coded") == "coded" and same_coder:
            known = link.get("coded") or finding.get("coded") or ctx.files.plain_study.get("coded")
            if link.get("how") != how or (day and str(known) != day):
                link["how"] = how
                if day:
                    link["coded"] = dt.date.fromisoformat(day)  # unquoted, as hand-written files have it
                ctx.plan.actions.append(f"link updated: {finding['id']} -> {gid} ({how}, {coder})")
            return
    link = CommentedMap([("guidance", gid), ("how", how), ("basis", "coded"), ("coder", coder)])
    if day:
        link["coded"] = dt.date.fromisoformat(day)  # unquoted, as hand-written files have it
    finding["reflects"].append(link)
    ctx.plan.actions.append(f"link added: {finding['id']} -> {gid} ({how}, {coder})")


def run_import(
    project: Project,
    folder: Path,
    codebook: dict[str, Code],
    mapping: Mapping,
    *,
    dry_run: bool = False,
    check: Callable[[dict[Path, str]], None] | None = None,
) -> Plan:
    """Plan an import and, unless ``dry_run``, write it: ``check`` sees the new file texts first and
    raises to stop; then every changed file is written, or none."""
    files = StudyFiles.read(folder)
    plan = plan_import(project, files, codebook, mapping)
    if plan.changed and check is not None:
        check(plan.changed)
    if plan.changed and not dry_run:
        write_all(plan.changed)
    return plan
