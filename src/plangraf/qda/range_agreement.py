"""Agreement between coders over the character ranges of a REFI-QDA project.

Findings in a study hold text, not offsets, so two passages with the same words at different
places of a document look like one. A project still has the ranges: here a *unit* is a group of
coded ranges of one source, and two ranges belong to one unit when the characters they share are
at least ``threshold`` (default one half) of the shorter range; the relation is joined
transitively (single linkage). Offsets are compared in the exporting tool's own unit, which is
the same for every range of a source.

A *column* is a unit and a guidance item. A coder's value in a column is the relation kind they
coded (the strongest, where several of their ranges fall in the unit) or ``not-coded``; a coder
who coded nothing in the source is missing there. Statistics are given over all columns and over
the *applied* columns, where at least one coder applied the item: most columns of a long
document are not-coded by everyone, which inflates percent agreement.

Ordinal α ranks relation kinds thematic < paraphrase < verbatim < explicit-reference, with
not-coded and absent (examined, not there) both below thematic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from plangraf.core.errors import PlangrafError
from plangraf.qda.agreement import NOT_CODED, ORDINAL, STRENGTH, Measures, measures, rendered, table_lines
from plangraf.qda.codebook import Code
from plangraf.qda.importer import ImportContext, Passage, coded_ranges, codes_by_coder, fill_links
from plangraf.qda.mapping import Mapping
from plangraf.qda.refi_read import Project
from plangraf.qda.studyfiles import StudyFiles

DEFAULT_THRESHOLD = 0.5


def range_rule(threshold: float) -> str:
    return (
        f"coded ranges of one source are one unit when they share at least {threshold:g} of the shorter "
        "range (transitively); offsets in the exporting tool's unit"
    )


@dataclass(frozen=True)
class Reading:
    """One coder's links on one range: guidance id -> relation kind."""

    source: str
    start: int
    end: int
    coder: str
    links: tuple[tuple[str, str], ...]


@dataclass
class RangeAgreement:
    coders: list[str]
    threshold: float
    ordinal: bool
    units: int
    per_code: dict[str, tuple[Measures, Measures]] = field(default_factory=dict)  # code -> (all, applied)
    overall: tuple[Measures, Measures] | None = None


def readings(project: Project, files: StudyFiles, codebook: dict[str, Code], mapping: Mapping) -> list[Reading]:
    """Every coder's reading of every coded range, resolved as the import resolves it."""
    ctx = ImportContext(project, files, codebook, mapping)
    out = []
    for source in project.sources:
        for group in coded_ranges(source):
            first = group[0]
            if first.start > first.end:
                raise ctx.fail("PlainTextSelection", first.guid, f"startPosition {first.start} is after endPosition")
            passage = Passage("", "", [])
            fill_links(ctx, passage, (source, first, group[-1]), codes_by_coder(ctx, group))
            by_coder: dict[str, dict[str, str]] = defaultdict(dict)
            for (gid, coder), (how, _) in passage.links.items():
                by_coder[coder][gid] = how
            for coder, links in sorted(by_coder.items()):
                out.append(Reading(source.guid, first.start, first.end, coder, tuple(sorted(links.items()))))
    return out


def shared(a: Reading, b: Reading) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def same_unit(a: Reading, b: Reading, threshold: float) -> bool:
    """The overlap rule: the shared characters are at least ``threshold`` of the shorter range."""
    common = shared(a, b)
    return common > 0 and common >= threshold * min(a.end - a.start, b.end - b.start)


def units(found: list[Reading], threshold: float) -> list[list[Reading]]:
    """Readings grouped into units, source by source, in document order."""
    if not 0 < threshold <= 1:
        raise PlangrafError(f"the overlap threshold must be above 0 and at most 1, not {threshold:g}")
    out = []
    by_source: dict[str, list[Reading]] = defaultdict(list)
    for reading in found:
        by_source[reading.source].append(reading)
    for source in sorted(by_source):
        out += _clusters(sorted(by_source[source], key=lambda r: (r.start, r.end, r.coder)), threshold)
    return out


def _clusters(items: list[Reading], threshold: float) -> list[list[Reading]]:
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, item in enumerate(items):  # sorted by start: later ranges that start past this end cannot overlap it
        for j in range(i + 1, len(items)):
            if items[j].start >= item.end:
                break
            if same_unit(item, items[j], threshold):
                parent[root(i)] = root(j)
    groups: dict[int, list[Reading]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[root(i)].append(item)
    return sorted(groups.values(), key=lambda g: (g[0].start, g[0].end))


def _strongest(values: list[str]) -> str:
    return min(values, key=STRENGTH.index) if values else NOT_CODED


def columns(grouped: list[list[Reading]], coders: list[str]) -> dict[str, list[list[str | None]]]:
    """code -> one column per unit: each coder's value, None where the coder did not code the source."""
    codes = sorted({gid for group in grouped for r in group for gid, _ in r.links})
    taking_part: dict[str, set[str]] = defaultdict(set)
    for group in grouped:
        for r in group:
            taking_part[r.source].add(r.coder)
    out: dict[str, list[list[str | None]]] = {code: [] for code in codes}
    for group in grouped:
        present = taking_part[group[0].source]
        for code in codes:
            column: list[str | None] = []
            for coder in coders:
                values = [how for r in group if r.coder == coder for gid, how in r.links if gid == code]
                column.append(_strongest(values) if coder in present else None)
            out[code].append(column)
    return out


def _both(cols: list[list[str | None]], coders: list[str], ordinal: bool) -> tuple[Measures, Measures]:
    applied = [c for c in cols if any(v not in (None, NOT_CODED) for v in c)]
    ranks = ORDINAL if ordinal else None

    def rows(chosen: list[list[str | None]]) -> list[list[Any]]:
        return [[col[i] for col in chosen] for i in range(len(coders))]

    return measures(rows(cols), coders, ranks), measures(rows(applied), coders, ranks)


def range_agreement(
    found: list[Reading], threshold: float = DEFAULT_THRESHOLD, ordinal: bool = False
) -> RangeAgreement:
    """Per guidance item and overall: percent agreement, κ per pair and α, over all and applied columns."""
    grouped = units(found, threshold)
    coders = sorted({r.coder for r in found})
    table = columns(grouped, coders)
    result = RangeAgreement(coders, threshold, ordinal, len(grouped))
    every: list[list[str | None]] = []
    for code, cols in table.items():
        result.per_code[code] = _both(cols, coders, ordinal)
        every += cols
    result.overall = _both(every, coders, ordinal)
    return result


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}" if percent else f"{value:.3f}"


def _rows(result: RangeAgreement) -> list[list[str]]:
    pairs = list(combinations(result.coders, 2))
    alpha = "alpha ordinal" if result.ordinal else "alpha"
    half = ["agreement %", alpha, *(f"kappa {a}|{b}" for a, b in pairs)]
    rows = [["code", "columns", *half, "applied", *(f"applied {h}" for h in half)]]
    assert result.overall is not None
    for name, (every, applied) in [*result.per_code.items(), ("(all codes)", result.overall)]:
        row = [name]
        for m in (every, applied):
            row += [str(m.units), _fmt(m.percent, True), _fmt(m.alpha), *(_fmt(m.kappa.get(p)) for p in pairs)]
        rows.append(row)
    return rows


def to_json(result: RangeAgreement) -> dict[str, Any]:
    def one(m: Measures) -> dict[str, Any]:
        kappa = [{"coders": list(pair), "kappa": value} for pair, value in m.kappa.items()]
        key = "alpha_ordinal" if result.ordinal else "alpha_nominal"
        return {"columns": m.units, "percent_agreement": m.percent, key: m.alpha, "cohen_kappa": kappa}

    def both(pair: tuple[Measures, Measures]) -> dict[str, Any]:
        return {"all_columns": one(pair[0]), "applied_columns": one(pair[1])}

    assert result.overall is not None
    return {
        "unit": "range",
        "overlap_rule": range_rule(result.threshold),
        "threshold": result.threshold,
        "units": result.units,
        "coders": result.coders,
        "codes": {code: both(pair) for code, pair in result.per_code.items()},
        "overall": both(result.overall),
    }


def render(result: RangeAgreement, fmt: str) -> str:
    """The result as an aligned table, CSV or JSON."""
    if fmt != "table":
        return rendered(to_json(result), _rows(result), fmt)
    lines = table_lines(_rows(result))
    head = [
        f"Units: {result.units} character ranges ({range_rule(result.threshold)}).",
        "Columns: unit x guidance item; applied: columns where at least one coder applied the item.",
        f"Coders: {', '.join(result.coders)}.",
    ]
    return "\n".join([*head, "", *lines]) + "\n"
