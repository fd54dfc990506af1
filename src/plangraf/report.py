"""A static, self-contained HTML report of a study, rendered from the graph with Jinja2.

Jinja2 (the templating library of Flask and Sphinx, well kept and already a dependency of
much of the Python ecosystem) turns plain data into HTML with autoescaping; the charts are
HTML tables and inline SVG computed here, so the report needs no JavaScript, no network and
works from ``file://``. :func:`write_report` replaces an existing report folder atomically.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import RDF, Graph, URIRef

from .claims import ClaimResult
from .matrix import ABSENT, NOTATION_KEY, RELATION_LETTERS, cell_notation, guidance_goals
from .namespaces import PG, PGID, SKOS, guidance_iri, nb_label, slugify
from .qda.report_part import add_coders, agreement_block
from .query import as_store, resolve_query, run_query, select_terms
from .validate import ValidationReport, _short

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

_DOCUMENTS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX adms: <http://www.w3.org/ns/adms#>
SELECT ?mslug ?doc ?id ?title ?level ?levelCode ?status ?from ?to ?adopted ?section WHERE {
  ?doc a pg:GoverningDocument ; dcterms:identifier ?id ; dcterms:title ?title ; pg:owner ?m ;
       pg:planLevel ?lv ; adms:status/skos:notation ?status .
  ?lv skos:prefLabel ?level ; skos:notation ?levelCode . FILTER (LANG(?level) = "nb")
  ?m dcterms:identifier ?mslug .
  OPTIONAL { ?doc dcterms:temporal/dcat:startDate ?from }
  OPTIONAL { ?doc dcterms:temporal/dcat:endDate ?to }
  OPTIONAL { ?doc dcterms:dateAccepted ?adopted }
  OPTIONAL { ?doc pg:sourceSection/dcterms:identifier ?section }
}"""

STATUS_TEXT = {
    "reflected": "gjenspeilet",
    "present": "til stede",
    "no": "undersøkt, ikke funnet",
    "not-examined": "ikke undersøkt",
}


class _Row(dict[str, Any]):
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
    label: str = ""


def guidance_cell(place: str, goal: str, coverage: dict[str, str], findings: list[str], anchor: str) -> Cell:
    """A cell of a guidance heatmap from a guidance-coverage row (empty dict: not examined)."""
    status = coverage.get("status", "not-examined")
    relation, path, basis = (coverage.get(k, "") for k in ("strongest_relation", "path", "basis"))
    notation = cell_notation(status, relation, path, basis)
    classes = ["cell", f"status-{status}"]
    if status == "reflected":
        classes += [f"rel-{RELATION_LETTERS.get(relation, 'X')}", f"path-{path}", f"basis-{basis}"]
    label = f"{place} – {goal}: {STATUS_TEXT.get(status, status)}"
    if status == "reflected":
        label += f"; sterkeste relasjon {relation}; vei {path}; grunnlag {basis}"
    if findings:
        label += f"; {len(findings)} funn"
    return Cell(len(findings), anchor, findings, status, relation, path, basis, notation, " ".join(classes), label)


def element_cell(place: str, element: str, coverage: dict[str, Any], findings: list[str], anchor: str) -> Cell:
    """A cell of the eGovWSF heatmap from an egovwsf-coverage row."""
    status = coverage.get("status", "not-examined")
    notation = {"present": str(len(findings)), "no": ABSENT}.get(status, "")
    label = f"{place} – {element}: {STATUS_TEXT.get(status, status)}; {len(findings)} funn"
    shade = min(4, 1 + len(findings) // 2) if status == "present" else 0
    classes = f"cell status-{status}" + (f" count-{shade}" if shade else "")
    return Cell(len(findings), anchor, findings, status, notation=notation, classes=classes, label=label)


def _local(iri: Any, base: str) -> str:
    return str(iri)[len(base) :] if str(iri).startswith(base) else str(iri)


def _anchor(*parts: str) -> str:
    return "cell-" + "-".join(p.replace("/", "--") for p in parts)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def read_findings(graph: Graph, store: ox.Store) -> dict[str, dict[str, Any]]:
    """Finding id -> its passage, coder, source sections, eGovWSF elements and links."""
    findings: dict[str, dict[str, Any]] = {}
    for row in map(_Row, select_terms(store, _FINDINGS)):
        record = findings.setdefault(
            str(row.finding),
            {
                "id": str(row.finding),
                "municipality": str(row.municipality),
                "mslug": str(row.mslug),
                "document": str(row.document),
                "kind": str(row.kind),
                "text": _text(row.text),
                "location": _text(row.location),
                "coder": _text(row.coder),
                "sections": set(),
                "links": [],
                "elements": [],
            },
        )
        if row.section is not None:
            record["sections"].add(str(row.section))
    links: dict[str, dict[str, Any]] = {}
    for row in map(_Row, select_terms(store, _LINKS)):
        link = links.get(str(row.link))
        if link is None:
            link = links[str(row.link)] = {
                "item": str(row.item),
                "label": nb_label(graph, URIRef(str(row.item))),
                "relation": str(row.relation),
                "basis": str(row.basis),
                "coder": _text(row.coder),
                "cited": set(),
                "method": _text(row.method),
                "score": _text(row.score),
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
        label = nb_label(graph, guidance_iri(r["direct_guidance"]))
        links[(r["municipality"], r["goal"])].append(dict(r, label=label))
    rows, sections = [], []
    for name, ms in municipalities:
        cells = []
        for goal, label in goals:
            goal_id = _local(goal, str(PGID) + "guidance/")
            row = coverage.get((name, label), {})
            behind = links.get((name, goal_id), [])
            if row.get("status") == "no":
                behind = absence_rows(findings, ms, {str(goal), str(guidance_iri(doc_id))})
            ids = sorted({r["finding"] for r in behind})
            anchor = _anchor(doc_id, ms, goal_id)
            cells.append(guidance_cell(name, label, row, ids, anchor))
            if ids:
                sections.append(evidence_section(anchor, f"{name} — {label}", ids, behind, findings))
        rows.append({"name": name, "slug": ms, "cells": cells})
    title = str(nb_label(graph, guidance_iri(doc_id), doc_id))
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


def _merge_into(record: dict[str, Any], key: str, value: str | None, separator: str) -> None:
    """Add ``value`` to the ``separator``-joined list in ``record[key]``, once, sorted."""
    if value is None:
        return
    values = [v for v in record[key].split(separator) if v]
    if value not in values:
        record[key] = separator.join(sorted([*values, value]))


def read_documents(store: ox.Store) -> dict[str, list[dict[str, Any]]]:
    """Municipality id -> its governing documents (one record per document).

    The query gives one row per source section and plan level; they are merged, so a
    handlings- og økonomiplan shows both its levels.
    """
    documents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: dict[str, dict[str, Any]] = {}
    for row in map(_Row, select_terms(store, _DOCUMENTS)):
        doc_id = str(row.id)
        if doc_id in seen:
            _merge_into(seen[doc_id], "section", _text(row.section) or None, ", ")
            _merge_into(seen[doc_id], "level", str(row.level), " / ")
            _merge_into(seen[doc_id], "level_code", str(row.levelCode), " ")
            continue
        record = {
            "id": doc_id,
            "title": str(row.title),
            "level": str(row.level),
            "level_code": str(row.levelCode),
            "status": str(row.status),
            "from": _text(row["from"]),
            "to": _text(row.to),
            "adopted": _text(row.adopted),
            "section": _text(row.section),
        }
        seen[doc_id] = record
        documents[str(row.mslug)].append(record)
    return documents


def municipality_pages(
    store: ox.Store,
    queries_dir: Path,
    municipalities: list[tuple[str, str]],
    findings: dict[str, dict[str, Any]],
    study_date: str,
) -> list[dict[str, Any]]:
    """One page record per municipality: documents, strategies, cooperation, findings."""
    documents = read_documents(store)
    strategy_rows = run_query(store, resolve_query("strategy-status", queries_dir), {"date": study_date}).rows
    memberships = defaultdict(list)
    for membership in run_query(store, resolve_query("cooperation", queries_dir)).rows:
        memberships[membership["municipality"]].append(membership["cooperation"])
    structures = defaultdict(list)
    for row in run_query(store, resolve_query("coordination-structures", queries_dir)).rows:
        structures[row["municipality"]].append(row)
    pages = []
    for name, ms in municipalities:
        docs = sorted(documents.get(ms, []), key=lambda d: (d["from"] or d["adopted"] or "9999", d["title"]))
        by_doc = defaultdict(list)
        for record in findings.values():
            if record["mslug"] == ms:
                by_doc[record["document"]].append(record)
        pages.append(
            {
                "name": name,
                "slug": ms,
                "documents": docs,
                "findings": {title: sorted(v, key=lambda r: r["id"]) for title, v in sorted(by_doc.items())},
                "memberships": sorted(memberships.get(name, [])),
                "structures": structures.get(name, []),
                "strategies": [r for r in strategy_rows if r["municipality"] == name],
            }
        )
    return pages


def collect(
    graph: Graph,
    queries_dir: Path,
    validation: ValidationReport | None = None,
    claims: list[ClaimResult] | None = None,
    *,
    store: ox.Store | None = None,
) -> dict[str, Any]:
    """Everything the templates show, computed from the graph. The shipped queries run on
    ``store``, the same triples in pyoxigraph (built from ``graph`` if not given). A new
    report section adds its data here under its own key and its template block in index.html."""
    store = as_store(graph) if store is None else store
    study = next(graph.subjects(PG.coversMunicipality, None), None)
    municipalities = sorted(
        (
            (nb_label(graph, m), _local(m, str(PGID) + "municipality/"))
            for m in graph.objects(study, PG.coversMunicipality)
        ),
        key=lambda pair: pair[0],
    )
    findings = read_findings(graph, store)
    heatmaps, evidence_sections = [], []
    for doc_id in HEATMAP_DOCUMENTS:
        made = guidance_heatmap(graph, store, queries_dir, doc_id, municipalities, findings)
        if made is not None:
            heatmaps.append(made[0])
            evidence_sections += made[1]
    egovwsf, egov_sections = egovwsf_heatmap(graph, store, queries_dir, municipalities, findings)
    evidence_sections += egov_sections
    study_date = str(graph.value(study, PG.studyDate) or "2020-09-01")
    pages = municipality_pages(store, queries_dir, municipalities, findings, study_date)
    return {
        "study": {
            "title": str(graph.value(study, PG.researchQuestion) or ""),
            "method": str(graph.value(study, PG.method) or ""),
            "requested": str(graph.value(study, PG.requestDate) or ""),
            "reminder": str(graph.value(study, PG.reminderDate) or ""),
            "asked": str(graph.value(study, PG.askedCount) or ""),
            "answered": str(graph.value(study, PG.answeredCount) or ""),
            "date": study_date,
        },
        "sample": run_query(store, resolve_query("sample-frame", queries_dir)).rows,
        "responses": run_query(store, resolve_query("study-responses", queries_dir)).rows,
        "municipalities": municipalities,
        "heatmaps": heatmaps,
        "notation_key": NOTATION_KEY,
        "egovwsf": egovwsf,
        "evidence": evidence_sections,
        "timeline": timeline(pages, study_date),
        "lineage": lineage(graph),
        "pages": pages,
        "validation": validation,
        "claims": claims or [],
        "agreement": agreement_block(graph),  # issue 13: None with fewer than two coders
        "reuse": _reuse_section(store, queries_dir),  # issue 14
        "short": _short,
    }


def _reuse_section(store: ox.Store, queries_dir: Path) -> list[dict[str, Any]]:
    from .reuse.highlight import reuse_section

    return reuse_section(store, queries_dir)


def timeline(pages: list[dict[str, Any]], study_date: str) -> dict[str, Any]:
    """Rows of bars (one per governing document) for an SVG timeline."""
    years = [int(d[k][:4]) for p in pages for d in p["documents"] for k in ("from", "to", "adopted") if d[k]]
    first, last = min(years + [2014]), max(years + [2026])
    width, left, row_h = 980, 230, 18
    scale = (width - left - 20) / (last - first + 1)

    def x(date: str, end: bool = False) -> float:
        year = int(date[:4]) + (1 if end else 0)
        return left + (year - first) * scale

    rows, y = [], 30
    for page in pages:
        rows.append({"kind": "heading", "y": y, "label": page["name"], "slug": page["slug"]})
        y += row_h
        for doc in page["documents"]:
            strategy = doc["level_code"] == "sector-strategy"
            if doc["status"] in ("draft", "under-development"):
                state = doc["status"]
            elif doc["to"] and doc["to"] < study_date:
                state = "expired"
            elif doc["from"] or doc["to"]:
                state = "in-force"
            else:
                state = "no-period"
            start = doc["from"] or doc["adopted"] or study_date
            end = doc["to"] or (study_date if not doc["from"] else f"{last}-12-31")
            bar_x = x(start)
            bar_w = max(x(end, end=True) - bar_x, 6)
            if state in ("draft", "under-development", "no-period"):
                bar_x, bar_w = x(study_date) - 3, 6
            label = doc["title"] if len(doc["title"]) < 34 else doc["title"][:33] + "…"
            rows.append(
                {
                    "kind": "document",
                    "y": y,
                    "label": label,
                    "title": f"{doc['title']} ({doc['level']}, {doc['status']}"
                    + (f", {doc['from'][:4]}–{doc['to'][:4]}" if doc["from"] or doc["to"] else "")
                    + ")",
                    "x": round(bar_x, 1),
                    "w": round(bar_w, 1),
                    "state": state,
                    "strategy": strategy,
                }
            )
            y += row_h
        y += 6
    ticks = [{"x": round(x(f"{year}-01-01"), 1), "year": year} for year in range(first, last + 1, 2)]
    return {
        "width": width,
        "height": y + 10,
        "left": left,
        "rows": rows,
        "ticks": ticks,
        "study_x": round(x(study_date) + scale * (int(study_date[5:7]) - 1) / 12, 1),
        "study_date": study_date,
    }


def lineage(graph: Graph) -> dict[str, Any]:
    """Guidance documents in layers by pg:buildsOn (direct links), for an SVG diagram."""
    docs = sorted(
        {
            d
            for d in graph.subjects(None, None)
            if str(d).startswith(str(PGID) + "guidance/") and "/" not in str(d)[len(str(PGID) + "guidance/") :]
        }
        & {d for d in graph.subjects(SKOS.prefLabel, None)},
        key=str,
    )
    direct = {(a, b) for a, b in graph.subject_objects(PG.buildsOn) if a in docs and b in docs}
    # keep only direct links: drop a->c when a->b->c exists
    transitive = {(a, c) for a, b in direct for b2, c in direct if b == b2}
    edges = sorted(direct - transitive, key=str)
    depth: dict[Any, int] = {}

    def level(doc: Any, seen: frozenset = frozenset()) -> int:
        if doc in depth:
            return depth[doc]
        parents = [b for a, b in edges if a == doc and b not in seen]
        depth[doc] = 0 if not parents else 1 + max(level(p, seen | {doc}) for p in parents)
        return depth[doc]

    for doc in docs:
        level(doc)
    columns: dict[int, list[Any]] = defaultdict(list)
    for doc in docs:
        columns[depth[doc]].append(doc)
    box_w, box_h, gap_x, gap_y = 250, 44, 70, 16
    nodes, position = [], {}
    for col, members in sorted(columns.items()):
        for row, doc in enumerate(members):
            x, y = 10 + col * (box_w + gap_x), 10 + row * (box_h + gap_y)
            position[doc] = (x, y)
            label = nb_label(graph, doc)
            lines = _wrap(label, 38)[:2]
            nodes.append({"x": x, "y": y, "w": box_w, "h": box_h, "lines": lines, "title": label})
    arrows = []
    for a, b in edges:
        (ax, ay), (bx, by) = position[a], position[b]
        arrows.append({"x1": ax, "y1": ay + box_h / 2, "x2": bx + box_w, "y2": by + box_h / 2})
    height = 20 + max(len(m) for m in columns.values()) * (box_h + gap_y) if columns else 40
    width = 20 + len(columns) * (box_w + gap_x)
    return {"nodes": nodes, "arrows": arrows, "width": width, "height": height}


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: width - 1] + "…"]
    return lines


def render(data: dict[str, Any]) -> dict[str, str]:
    """HTML for every page: index.html, evidence.html and one page per municipality."""
    env = Environment(loader=PackageLoader("plangraf", "templates"), autoescape=select_autoescape(["html"]))
    pages = {
        "index.html": env.get_template("index.html").render(**data),
        "evidence.html": env.get_template("evidence.html").render(**data),
    }
    for page in data["pages"]:
        pages[f"municipality-{page['slug']}.html"] = env.get_template("municipality.html").render(page=page, **data)
    return pages


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def write_report(pages: dict[str, str], out: Path) -> Path:
    """Write the pages into a new folder beside ``out``, then swap it in atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, html in pages.items():
            (staging / name).write_text(html, encoding="utf-8")
        os.chmod(staging, 0o755)
        if out.exists():
            if not _exchange(staging, out):
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
                os.replace(out, old / "report")
                os.replace(staging, out)
                shutil.rmtree(old)
                return out
            shutil.rmtree(staging)  # staging now holds the previous report
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
