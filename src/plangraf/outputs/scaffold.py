"""Scaffold a findings file for a municipality from the reference data."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from rdflib import Graph
from rdflib.query import ResultRow

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.core.yamlio import load_yaml
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.rdf.namespaces import DCTERMS, PG, SKOS, slugify

TEMPLATE = """\
# Findings for {name} kommune. Format: plangraf docs findings-format
# Kommunenummer {number} ({county}) on the study date; Wikidata {qid}.
municipality: {slug}
number: "{number}"
source: "TODO: section"   # placeholder: the section of your study this file is drawn from

memberships: []
#  - cooperation: digi-rogaland
#    source: ""

documents: []
#  - id: {slug}-digitaliseringsstrategi
#    title: Digitaliseringsstrategi
#    plan_level: sector-strategy
#    topics: [digitalisation]
#    status: adopted
#    valid_from: 2020
#    valid_to: 2023
#    obtained: sent
#    source: ""
#    findings:
#      - id: {slug}-digitaliseringsstrategi-visjon
#        evidence: quote
#        text: >-
#          The document's exact words.
#        location: visjon
#        reflects:
#          - guidance: meld-st-27/brukeren-i-sentrum
#            how: thematic
#        elements: [public-e-services]
#        source: ""

structures: []
"""


def find_municipality(reference: Graph, name: str, on_date: str = "2020-01-01") -> dict[str, str]:
    """Look a municipality up by Norwegian name or id; return slug, name, number, county, qid."""
    wanted = name.strip().lower()
    query = """
    SELECT ?slug ?name ?number ?countyName ?qid ?start ?end WHERE {
      ?m a pg:Municipality ; dcterms:identifier ?slug ; skos:prefLabel ?name ; pg:hasNumber ?n .
      ?n skos:notation ?number ; pg:inCounty/skos:prefLabel ?countyName ; dcterms:temporal ?p .
      OPTIONAL { ?p <http://www.w3.org/ns/dcat#startDate> ?start }
      OPTIONAL { ?p <http://www.w3.org/ns/dcat#endDate> ?end }
      OPTIONAL { ?m pg:jurisdiction/pg:wikidataEntity ?qid }
    }"""
    matches: dict[str, dict[str, str]] = {}
    names: set[str] = set()
    rows = reference.query(query, initNs={"pg": PG, "dcterms": DCTERMS, "skos": SKOS})
    for row in cast(Iterable[ResultRow], rows):
        names.add(str(row.name))
        if wanted not in (str(row.name).lower(), str(row.slug), slugify(str(row.name))):
            continue
        start = str(row.start) if row.start else "0000-01-01"
        end = str(row.end) if row.end else "9999-12-31"
        if not start <= on_date <= end:
            continue
        matches[str(row.slug)] = {
            "slug": str(row.slug),
            "name": str(row.name),
            "number": str(row.number),
            "county": str(row.countyName),
            "qid": str(row.qid).rsplit("/", 1)[-1] if row.qid else "unknown",
        }
    if not matches:
        close = difflib.get_close_matches(name.strip(), sorted(names), n=2, cutoff=0.7)
        hint = ("; did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else ""
        raise PlangrafError(f"no municipality named '{name}' on {on_date} in the reference data{hint}", field="NAME")
    if len(matches) > 1:
        raise PlangrafError(f"'{name}' is ambiguous: {', '.join(sorted(matches))}", field="NAME")
    return next(iter(matches.values()))


def _study_date(study: Path) -> str:
    """The study's ``study_date`` (the borders and numbers it is coded on), else 2020-01-01."""
    path = study / "study.yaml"
    if not path.is_file():
        return "2020-01-01"
    data, _ = load_yaml(path)
    value = data.get("study_date") if isinstance(data, dict) else None
    return str(value) if value else "2020-01-01"


def new_municipality_file(name: str, paths: Paths, *, force: bool = False) -> Path:
    """Write ``<study>/<slug>.yaml`` for ``name``; refuse to overwrite unless ``force``."""
    reference = load_reference(paths, load_ontology(paths))
    info = find_municipality(reference, name, _study_date(paths.study))
    target = paths.study / f"{info['slug']}.yaml"
    if target.exists() and not force:
        raise PlangrafError("file exists; use --force to overwrite", file=str(target))
    return write_atomic(target, TEMPLATE.format(**info))
