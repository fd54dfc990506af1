"""Agreement between coders: percent agreement, Cohen's κ for each pair, Krippendorff's α (nominal; ordinal on request).

The statistics come from well-kept libraries (scikit-learn's ``cohen_kappa_score``, the
``krippendorff`` package); this module only builds their reliability data from a study.

Codes are the guidance items of coded links. A coder's value for a (unit, code) is the relation
kind they coded (explicit-reference, verbatim, paraphrase, thematic, absent) or ``not-coded``;
where a coder has several links to one item in a unit, the strongest counts (in that order).
A coder takes part in a unit when they coded any link in its document; otherwise their value is
missing. Units:

* ``document``: each governing document is one unit.
* ``passage``: passages of one document are one unit when they overlap: the text the two share
  (one inside the other, or the end of one equal to the start of the other) is at least half of
  the shorter passage. Findings hold text, not offsets, so overlap is measured on the text.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from plangraf.qda.importer import normalise
from plangraf.qda.refi_write import effective_links

STRENGTH = ["explicit-reference", "verbatim", "paraphrase", "thematic", "absent"]
NOT_CODED = "not-coded"
# ranks for ordinal α: not coded and absent (examined, not there) below the relation kinds
ORDINAL = {NOT_CODED: 0, "absent": 0, "thematic": 1, "paraphrase": 2, "verbatim": 3, "explicit-reference": 4}
OVERLAP_RULE = "passages of one document are one unit when their shared text is at least half of the shorter one"


@dataclass
class Measures:
    units: int
    percent: float | None
    alpha: float | None
    kappa: dict[tuple[str, str], float | None] = field(default_factory=dict)


@dataclass
class Agreement:
    unit: str
    coders: list[str]
    per_code: dict[str, Measures]
    overall: Measures
    # the same over the applied columns only: units where at least one coder applied the code
    applied: dict[str, Measures] = field(default_factory=dict)
    overall_applied: Measures | None = None
    ordinal: bool = False


def shared_length(a: str, b: str) -> int:
    """How many characters two passages of one text share, judged from their text alone."""
    if a in b:
        return len(a)
    if b in a:
        return len(b)
    best = 0
    for first, second in ((a, b), (b, a)):
        for k in range(min(len(first), len(second)) - 1, 0, -1):
            if first.endswith(second[:k]):
                best = max(best, k)
                break
    return best


def overlaps(a: str, b: str) -> bool:
    return 2 * shared_length(a, b) >= min(len(a), len(b)) > 0


def _clusters(texts: list[str]) -> list[list[int]]:
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in combinations(range(len(texts)), 2):
        if overlaps(texts[i], texts[j]):
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _strongest(current: str | None, how: str) -> str:
    if current is None or STRENGTH.index(how) < STRENGTH.index(current):
        return how
    return current


def collect(documents: list[dict[str, Any]], study: dict[str, Any], unit: str) -> tuple[list[str], list[dict]]:
    """(coders, units); a unit maps coder -> {code: value} for the coders who took part."""
    coders: set[str] = set()
    units: list[dict[str, dict[str, str]]] = []
    for doc in documents:
        findings = list(doc.get("findings") or [])
        links = [effective_links(f, study) for f in findings]
        present = sorted({link.coder for group in links for link in group})
        coders.update(present)
        if unit == "document":
            groups = [list(range(len(findings)))]
        else:
            groups = _clusters([normalise(str(f["text"])) for f in findings])
        for group in groups:
            values: dict[str, dict[str, str]] = {coder: {} for coder in present}
            for index in group:
                for link in links[index]:
                    values[link.coder][link.guidance] = _strongest(values[link.coder].get(link.guidance), link.how)
            units.append(values)
    return sorted(coders), units


def measures(data: list[list[Any]], coders: list[str], ranks: dict[Any, int] | None = None) -> Measures:
    """Agreement on reliability data: one row per coder, one column per unit, None = missing.

    With ``ranks`` (value -> rank) α is ordinal over those ranks, else nominal. κ and α need at
    least two pairable units: with fewer they are undefined (None, shown "n/a"), never 0.
    """
    import numpy as np

    columns = [col for col in zip(*data, strict=True) if sum(v is not None for v in col) >= 2]
    if not columns:
        return Measures(0, None, None, {pair: None for pair in combinations(coders, 2)})
    agree = sum(len({v for v in col if v is not None}) == 1 for col in columns)
    categories = sorted({v for col in columns for v in col if v is not None}, key=str)
    code = ranks or {c: i for i, c in enumerate(categories)}
    matrix = np.array([[np.nan if v is None else code[v] for v in row] for row in zip(*columns, strict=True)])
    level = "ordinal" if ranks else "nominal"
    result = Measures(len(columns), agree / len(columns), _alpha(matrix, level) if len(columns) > 1 else None)
    for (i, a), (j, b) in combinations(enumerate(coders), 2):
        result.kappa[(a, b)] = _kappa(matrix[i], matrix[j])
    return result


def _alpha(matrix: Any, level: str = "nominal") -> float | None:
    import krippendorff

    try:
        kind: Any = level  # "nominal" | "ordinal"
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=kind))
    except ValueError:  # one value only: α is undefined
        return None
    return None if math.isnan(value) else value


def _kappa(a: Any, b: Any) -> float | None:
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    both = ~(np.isnan(a) | np.isnan(b))
    if both.sum() < 2 or len(set(a[both]) | set(b[both])) < 2:
        return None  # under two shared units, or both coders used one category only: κ is undefined
    return float(cohen_kappa_score(a[both].astype(int), b[both].astype(int)))


def applied_only(data: list[list[Any]]) -> list[list[Any]]:
    """The reliability data (a row per coder) cut to the columns where some coder applied the code."""
    keep = [j for j, col in enumerate(zip(*data, strict=True)) if any(v not in (None, NOT_CODED) for v in col)]
    return [[row[j] for j in keep] for row in data]


def agreement(documents: list[dict[str, Any]], study: dict[str, Any], unit: str, ordinal: bool = False) -> Agreement:
    """Per code and overall agreement between all coders of coded links, over all and applied columns."""
    coders, units = collect(documents, study, unit)
    codes = sorted({code for u in units for values in u.values() for code in values})
    ranks = ORDINAL if ordinal else None

    def row(coder: str, code: str, u: dict[str, dict[str, str]]) -> str | None:
        return u[coder].get(code, NOT_CODED) if coder in u else None

    per_code, applied = {}, {}
    overall_rows: list[list[str | None]] = [[] for _ in coders]
    for code in codes:
        data = [[row(coder, code, u) for u in units] for coder in coders]
        per_code[code] = measures(data, coders, ranks)
        applied[code] = measures(applied_only(data), coders, ranks)
        for i, values in enumerate(data):
            overall_rows[i].extend(values)
    result = Agreement(unit, coders, per_code, measures(overall_rows, coders, ranks), applied, ordinal=ordinal)
    result.overall_applied = measures(applied_only(overall_rows), coders, ranks)
    return result


def agreement_for_study(folder: Path, unit: str, ordinal: bool = False) -> Agreement:
    from plangraf.qda.studyfiles import StudyFiles

    files = StudyFiles.read(folder)
    documents = [doc for _, doc in files.documents().values()]
    return agreement(documents, files.plain_study, unit, ordinal)


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}" if percent else f"{value:.3f}"


def _cells(m: Measures, pairs: list[tuple[str, str]]) -> list[str]:
    return [str(m.units), _fmt(m.percent, True), _fmt(m.alpha)] + [_fmt(m.kappa.get(p)) for p in pairs]


def _rows(result: Agreement) -> list[list[str]]:
    pairs = list(combinations(result.coders, 2))
    half = ["agreement %", "alpha ordinal" if result.ordinal else "alpha"] + [f"kappa {a}|{b}" for a, b in pairs]
    rows = [["code", "units", *half, "applied", *(f"applied {h}" for h in half)]]
    applied = {**result.applied, "(all codes)": result.overall_applied}
    for name, m in [*result.per_code.items(), ("(all codes)", result.overall)]:
        rows.append([name, *_cells(m, pairs), *_cells(applied[name] or m, pairs)])
    return rows


def to_json(result: Agreement) -> dict[str, Any]:
    def one(m: Measures | None) -> dict[str, Any] | None:
        if m is None:
            return None
        kappa = [{"coders": list(pair), "kappa": value} for pair, value in m.kappa.items()]
        key = "alpha_ordinal" if result.ordinal else "alpha_nominal"
        return {"units": m.units, "percent_agreement": m.percent, key: m.alpha, "cohen_kappa": kappa}

    def both(m: Measures, applied: Measures | None) -> dict[str, Any]:
        return {**(one(m) or {}), "applied_columns": one(applied)}

    return {
        "unit": result.unit,
        "overlap_rule": OVERLAP_RULE if result.unit == "passage" else None,
        "coders": result.coders,
        "codes": {code: both(m, result.applied.get(code)) for code, m in result.per_code.items()},
        "overall": both(result.overall, result.overall_applied),
    }


def rendered(data: dict[str, Any], rows: list[list[str]], fmt: str) -> str:
    """An agreement result as JSON (``data``) or CSV (``rows``, the header first)."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def table_lines(rows: list[list[str]]) -> list[str]:
    """``rows`` (the header first) as lines of an aligned text table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def render(result: Agreement, fmt: str) -> str:
    """The result as an aligned table, CSV or JSON."""
    if fmt != "table":
        return rendered(to_json(result), _rows(result), fmt)
    lines = table_lines(_rows(result))
    note = f"Units: {result.unit}" + (f" ({OVERLAP_RULE})" if result.unit == "passage" else "") + "."
    applied = "Applied: the units where at least one coder applied the code."
    return "\n".join([note, applied, f"Coders: {', '.join(result.coders)}.", "", *lines]) + "\n"
