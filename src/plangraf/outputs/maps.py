"""A map of Norway's municipalities for the report, as inline SVG (no tiles, no network).

The shapes are Kartverket's boundaries (CC BY 4.0) as simplified by robhop/fylker-og-kommuner,
projected and simplified once more by ``scripts/dev/make_map_shapes.py`` into
``outputs/maps/kommuner-2020.json`` and ``kommuner-2024.json``. The report draws the borders of
the study's date (2024 from 1 January 2024, else 2020), the study's municipalities found by
their number on that date, coloured two ways: by the highest plan level that anchors the
guidance document's priorities (the ``anchoring`` query) and by how many of its goals their
documents reflect (``guidance-coverage``). The attribution is shown on the map.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from plangraf.answers.query import resolve_query, run_query, select_terms

# the anchoring query's levels, lowest first, with the Norwegian words the legend shows
ANCHORS = [
    ("none", "ingen forankring"),
    ("budget", "budsjett"),
    ("handlingsdel-okonomiplan", "handlingsdel / økonomiplan"),
    ("strategy", "strategi eller plan"),
    ("samfunnsdel", "kommuneplanens samfunnsdel"),
]
_NUMBERS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?name ?number ?start ?end WHERE {
  ?study pg:coversMunicipality ?m .
  ?m skos:prefLabel ?name ; pg:hasNumber ?n .
  ?n skos:notation ?number .
  OPTIONAL { ?n dcterms:temporal/dcat:startDate ?start }
  OPTIONAL { ?n dcterms:temporal/dcat:endDate ?end }
}"""


def borders_year(study_date: str) -> str:
    return "2024" if study_date >= "2024-01-01" else "2020"


def load_shapes(year: str) -> dict[str, Any]:
    """The shapes of ``year``'s borders (the package's copy)."""
    source = resources.files("plangraf.outputs") / "maps" / f"kommuner-{year}.json"
    return dict(json.loads(Path(str(source)).read_text(encoding="utf-8")))


def study_numbers(store: ox.Store, study_date: str) -> dict[str, str]:
    """The study's municipalities (Norwegian name) -> their number on ``study_date``."""
    numbers: dict[str, str] = {}
    for row in select_terms(store, _NUMBERS):
        start = str(row["start"]) if row["start"] is not None else "0000"
        end = str(row["end"]) if row["end"] is not None else "9999"
        if start[:10] <= study_date <= end[:10]:
            numbers[str(row["name"])] = str(row["number"]).zfill(4)
    return numbers


def municipality_map(store: ox.Store, queries_dir: Path, study_date: str, guidance: str) -> dict[str, Any]:
    """What the template draws: every municipality's path, the study's coloured by anchoring
    level and by coverage of ``guidance``; the attribution; the legend."""
    year = borders_year(study_date)
    shapes = load_shapes(year)
    rank = {level: i for i, (level, _) in enumerate(ANCHORS)}
    anchor: dict[str, int] = {}
    for row in run_query(store, resolve_query("anchoring", queries_dir), {"guidance": guidance}).rows:
        level = rank.get(str(row["anchor"]), 0)
        anchor[row["municipality"]] = max(anchor.get(row["municipality"], 0), level)
    covered: dict[str, int] = {}
    goals: set[str] = set()
    for row in run_query(store, resolve_query("guidance-coverage", queries_dir), {"guidance": guidance}).rows:
        goals.add(row["guidance"])
        covered[row["municipality"]] = covered.get(row["municipality"], 0) + (row["status"] == "reflected")
    study = {number: name for name, number in study_numbers(store, study_date).items()}
    paths = []
    for number, shape in sorted(shapes["municipalities"].items()):
        name = study.get(number)
        entry = {"number": number, "name": shape["name"], "d": shape["d"], "in_study": name is not None}
        if name is not None:
            level = anchor.get(name, 0)
            entry.update(name=name, anchor=level, anchor_label=ANCHORS[level][1], covered=covered.get(name, 0))
        paths.append(entry)
    detail = _detail([p["d"] for p in paths if p["in_study"]], float(shapes["width"]), float(shapes["height"]))
    missing = sorted(
        name for name, number in study_numbers(store, study_date).items() if number not in shapes["municipalities"]
    )
    return {
        "year": year,
        "width": shapes["width"],
        "height": shapes["height"],
        "attribution": shapes["attribution"],
        "paths": paths,
        "anchors": [label for _, label in ANCHORS],
        "goals": len(goals),
        "guidance": guidance,
        "missing": missing,
        "detail": detail,
        "overview_scale": OVERVIEW,
    }


OVERVIEW = 0.3  # the whole country beside the detail, at this scale
DETAIL = 410.0  # the side of the square the study's region is fitted into


def _detail(ds: list[str], width: float, height: float) -> dict[str, float]:
    """Where the study's municipalities lie (with a margin) and the scale that fits them into
    the detail square; the whole country when there are none."""
    numbers = [float(n) for d in ds for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs:
        x0, y0, x1, y1 = 0.0, 0.0, width, height
    else:
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        margin = max(x1 - x0, y1 - y0, 20.0) * 0.15
        x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    scale = DETAIL / max(x1 - x0, y1 - y0)
    return {
        "x": round(x0, 1),
        "y": round(y0, 1),
        "w": round(x1 - x0, 1),
        "h": round(y1 - y0, 1),
        "scale": round(scale, 3),
    }
