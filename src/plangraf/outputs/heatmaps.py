"""The report's heatmaps and evidence: cells with their notation, findings per municipality and goal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from plangraf.answers.matrix import ABSENT, RELATION_LETTERS, cell_notation, guidance_goals
from plangraf.answers.query import resolve_query, run_query, select_terms
from plangraf.outputs.language import word
from plangraf.qda.report_part import add_coders
from plangraf.rdf.namespaces import PG, PGID, SKOS, guidance_iri, item_label, nb_label, slugify

HEATMAP_DOCUMENTS = ["meld-st-27", "ks-digitaliseringsstrategi", "en-digital-offentlig-sektor"]


_FINDINGS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?m ?mslug ?municipality ?f ?finding ?document ?kind ?text ?location ?section ?coder WHERE {
  ?f a pg:Finding ; dcterms:identifier ?finding ; pg:inDocument ?doc ; pg:evidenceKind/skos:notation ?kind .
  ?doc pg:owner ?m ; dcterms:title ?document .
  ?m skos:prefLabel ?municipality ; dcterms:identifier ?mslug .
  OPTIONAL { ?f oa:hasTarget/oa:hasSelector/oa:exact ?exact }
  OPTIONAL { ?f pg:summary ?summary }
  BIND (COALESCE(?exact, ?summary) AS ?text)
  OPTIONAL { ?f pg:location ?location }
  OPTIONAL { ?f pg:sourceSection/dcterms:identifier ?section }
  OPTIONAL { ?f prov:wasAttributedTo/foaf:name ?coder }
}"""


# every link of a finding, as written: stated, coded, suggested and absent alike
_LINKS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?finding ?link ?item ?relation ?basis ?coder ?cited ?method ?score WHERE {
  ?link a pg:Link ; pg:linkOf/dcterms:identifier ?finding ; oa:hasBody ?item ;
        pg:relation/skos:notation ?relation ; pg:basis/skos:notation ?basis .
  OPTIONAL { ?link prov:wasAttributedTo/foaf:name ?coder }
  OPTIONAL { ?link pg:citedSection/dcterms:identifier ?cited }
  OPTIONAL { ?link pg:suggestedBy ?method }
  OPTIONAL { ?link pg:score ?score }
}"""


STATUS_TEXT = {
    "nb": {
        "reflected": "gjenspeilet",
        "present": "til stede",
        "no": "undersøkt, ikke funnet",
        "not-examined": "ikke undersøkt",
    },
    "en": {
        "reflected": "reflected",
        "present": "present",
        "no": "examined, not found",
        "not-examined": "not examined",
    },
}
# a cell's title: its strongest relation, path and basis, and how many findings lie behind it
_CELL_WORDS = {
    "nb": ("sterkeste relasjon", "vei", "grunnlag", ("funn", "funn")),
    "en": ("strongest relation", "path", "basis", ("finding", "findings")),
}


class Row(dict[str, Any]):
    """A result row read like an rdflib row: ``row.name`` or ``row["name"]``."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


@dataclass
class Cell:
    """One heatmap cell: its status (as in guidance-coverage or egovwsf-coverage), the
    strongest relation, path and basis behind it, and the findings it links to."""

    count: int
    anchor: str
    findings: list[str]
    status: str = "not-examined"
    relation: str = ""
    path: str = ""
    basis: str = ""
    notation: str = ""
    classes: str = ""
    place: str = ""
    target: str = ""
    counted: bool = False  # an eGovWSF cell names its number of findings even when it is 0

    def label_in(self, lang: str) -> str:
        """What the cell says in ``lang`` (its title and aria-label): municipality, goal or
        element, status, and for a reflected goal relation, path and basis; the findings."""
        strongest, path, basis, findings = _CELL_WORDS[lang]
        label = f"{self.place} – {self.target}: {STATUS_TEXT[lang].get(self.status, self.status)}"
        if self.status == "reflected":
            label += f"; {strongest} {word(self.relation, lang)}; {path} {word(self.path, lang)}"
            label += f"; {basis} {word(self.basis, lang)}"
        if self.findings or self.counted:
            label += f"; {len(self.findings)} {findings[len(self.findings) != 1]}"
        return label


def guidance_cell(place: str, goal: str, coverage: dict[str, str], findings: list[str], anchor: str) -> Cell:
    """A cell of a guidance heatmap from a guidance-coverage row (empty dict: not examined)."""
    status = coverage.get("status", "not-examined")
    relation, path, basis = (coverage.get(k, "") for k in ("strongest_relation", "path", "basis"))
    notation = cell_notation(status, relation, path, basis)
    classes = ["cell", f"status-{status}"]
    if status == "reflected":
        classes += [f"rel-{RELATION_LETTERS.get(relation, 'X')}", f"path-{path}", f"basis-{basis}"]
    return Cell(
        len(findings), anchor, findings, status, relation, path, basis, notation, " ".join(classes), place, goal
    )


def element_cell(place: str, element: str, coverage: dict[str, Any], findings: list[str], anchor: str) -> Cell:
    """A cell of the eGovWSF heatmap from an egovwsf-coverage row."""
    status = coverage.get("status", "not-examined")
    notation = {"present": str(len(findings)), "no": ABSENT}.get(status, "")
    shade = min(4, 1 + len(findings) // 2) if status == "present" else 0
    classes = f"cell status-{status}" + (f" count-{shade}" if shade else "")
    return Cell(
        len(findings),
        anchor,
        findings,
        status,
        notation=notation,
        classes=classes,
        place=place,
        target=element,
        counted=True,
    )


def local_id(iri: Any, base: str) -> str:
    return str(iri)[len(base) :] if str(iri).startswith(base) else str(iri)


def _anchor(*parts: str) -> str:
    return "cell-" + "-".join(p.replace("/", "--") for p in parts)


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def read_findings(graph: Graph, store: ox.Store) -> dict[str, dict[str, Any]]:
    """Finding id -> its passage, coder, source sections, eGovWSF elements and links."""
    findings: dict[str, dict[str, Any]] = {}
    for row in map(Row, select_terms(store, _FINDINGS)):
        record = findings.setdefault(
            str(row.finding),
            {
                "id": str(row.finding),
                "municipality": str(row.municipality),
                "mslug": str(row.mslug),
                "document": str(row.document),
                "kind": str(row.kind),
                "text": as_text(row.text),
                "location": as_text(row.location),
                "coder": as_text(row.coder),
                "sections": set(),
                "links": [],
                "elements": [],
            },
        )
        if row.section is not None:
            record["sections"].add(str(row.section))
    links: dict[str, dict[str, Any]] = {}
    for row in map(Row, select_terms(store, _LINKS)):
        link = links.get(str(row.link))
        if link is None:
            link = links[str(row.link)] = {
                "item": str(row.item),
                "label": item_label(graph, URIRef(str(row.item))),
                "relation": str(row.relation),
                "basis": str(row.basis),
                "coder": as_text(row.coder),
                "cited": set(),
                "method": as_text(row.method),
                "score": as_text(row.score),
            }
            if str(row.finding) in findings:
                findings[str(row.finding)]["links"].append(link)
        if row.cited is not None:
            link["cited"].add(str(row.cited))
    for link in links.values():
        link["cited"] = "; ".join(sorted(link["cited"]))
    add_coders(graph, findings)  # issue 13: findings show their coders
    for fid, record in findings.items():
        record["sections"] = ", ".join(sorted(record["sections"]))
        iri = PGID["finding/" + fid]
        record["elements"] = sorted(nb_label(graph, e) for e in graph.objects(iri, PG.element))
        record["absent_elements"] = sorted(nb_label(graph, e) for e in graph.objects(iri, PG.elementAbsent))
        record["links"].sort(key=lambda link: (link["label"], link["basis"], link["coder"], link["relation"]))
    return findings


def guidance_heatmap(
    graph: Graph,
    store: ox.Store,
    queries_dir: Path,
    doc_id: str,
    municipalities: list[tuple[str, str]],
    findings: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """One heatmap (municipalities × top goals of a guidance document) and its evidence
    sections, from the guidance-coverage and goal-evidence answers."""
    goals = guidance_goals(graph, doc_id)
    if not goals:
        return None
    params = {"guidance": doc_id}
    coverage = {
        (r["municipality"], r["guidance"]): r
        for r in run_query(store, resolve_query("guidance-coverage", queries_dir), params).rows
    }
    links: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in run_query(store, resolve_query("goal-evidence", queries_dir), params).rows:
        label = item_label(graph, guidance_iri(r["direct_guidance"]))
        links[(r["municipality"], r["goal"])].append(dict(r, label=label))
    title = str(nb_label(graph, guidance_iri(doc_id), doc_id))
    rows, sections = [], []
    for name, ms in municipalities:
        cells = []
        for goal, label in goals:
            goal_id = local_id(goal, str(PGID) + "guidance/")
            row = coverage.get((name, label), {})
            behind = links.get((name, goal_id), [])
            if row.get("status") == "no":
                behind = absence_rows(findings, ms, {str(goal), str(guidance_iri(doc_id))})
            ids = sorted({r["finding"] for r in behind})
            anchor = _anchor(doc_id, ms, goal_id)
            cells.append(guidance_cell(name, label, row, ids, anchor))
            if ids:
                sections.append(evidence_section(anchor, f"{name} — {label} ({title})", ids, behind, findings))
        rows.append({"name": name, "slug": ms, "cells": cells})
    return {"id": doc_id, "title": title, "columns": [label for _g, label in goals], "rows": rows}, sections


def absence_rows(findings: dict[str, dict[str, Any]], mslug: str, items: set[str]) -> list[dict[str, Any]]:
    """The absent links of a municipality's findings to any of ``items``, as evidence rows."""
    return [
        dict(link, finding=fid, path="")
        for fid, record in findings.items()
        if record["mslug"] == mslug
        for link in record["links"]
        if link["relation"] == "absent" and link["item"] in items
    ]


def evidence_section(
    anchor: str, title: str, ids: list[str], behind: list[dict[str, Any]], findings: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The findings behind a cell, each with the links that reach the cell's goal (or record
    its absence)."""
    entries = [{"finding": findings[fid], "links": [r for r in behind if r["finding"] == fid]} for fid in ids]
    return {"anchor": anchor, "title": title, "ids": ids, "entries": entries}


def egovwsf_heatmap(
    graph: Graph,
    store: ox.Store,
    queries_dir: Path,
    municipalities: list[tuple[str, str]],
    findings: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Municipalities × eGovWSF elements from the egovwsf-coverage answer, and the evidence."""
    answer = run_query(store, resolve_query("egovwsf-coverage", queries_dir)).rows
    coverage = {(r["municipality"], r["element"]): r for r in answer}
    # the scheme's concepts; the figure's positions are skos:Collections, never columns
    elements = sorted(
        {
            nb_label(graph, e)
            for e in graph.subjects(SKOS.inScheme, PGID.egovwsf)
            if (e, RDF.type, SKOS.Collection) not in graph
        }
        | {r["element"] for r in answer}
    )
    element_findings: dict[tuple[str, str], list[str]] = defaultdict(list)
    absent_findings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fid, record in findings.items():
        for element in record["elements"]:
            element_findings[(record["mslug"], element)].append(fid)
        for element in record["absent_elements"]:
            absent_findings[(record["mslug"], element)].append(fid)
    rows, sections = [], []
    for name, ms in municipalities:
        cells = []
        for element in elements:
            row = coverage.get((name, element), {})
            source = absent_findings if row.get("status") == "no" else element_findings
            ids = sorted(source.get((ms, element), []))
            anchor = _anchor("egovwsf", ms, slugify(element))
            cells.append(element_cell(name, element, row, ids, anchor))
            if ids:
                entries = [{"finding": findings[i], "links": []} for i in ids]
                sections.append({"anchor": anchor, "title": f"{name} — {element}", "ids": ids, "entries": entries})
        rows.append({"name": name, "slug": ms, "cells": cells})
    return {"columns": elements, "rows": rows}, sections
