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
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph

from plangraf.answers.claims import ClaimResult, ClaimsReport
from plangraf.answers.matrix import NOTATION_KEY
from plangraf.answers.query import as_store, resolve_query, run_query, select_terms
from plangraf.check.results import ValidationReport, short_name
from plangraf.core.paths import Paths
from plangraf.outputs.figures import timeline
from plangraf.outputs.heatmaps import (
    HEATMAP_DOCUMENTS,
    Row,
    as_text,
    egovwsf_heatmap,
    guidance_heatmap,
    local_id,
    read_findings,
)
from plangraf.outputs.language import check_language, word
from plangraf.outputs.lineage import lineage
from plangraf.outputs.maps import municipality_map
from plangraf.qda.report_part import agreement_block
from plangraf.rdf.namespaces import PG, PGID, nb_label

_DOCUMENTS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX adms: <http://www.w3.org/ns/adms#>
SELECT ?mslug ?doc ?id ?title ?level ?levelEn ?levelCode ?status ?from ?to ?adopted ?section WHERE {
  ?doc a pg:GoverningDocument ; dcterms:identifier ?id ; dcterms:title ?title ; pg:owner ?m ;
       pg:planLevel ?lv ; adms:status/skos:notation ?status .
  ?lv skos:prefLabel ?level ; skos:notation ?levelCode . FILTER (LANG(?level) = "nb")
  OPTIONAL { ?lv skos:prefLabel ?levelEn . FILTER (LANG(?levelEn) = "en") }
  ?m dcterms:identifier ?mslug .
  OPTIONAL { ?doc dcterms:temporal/dcat:startDate ?from }
  OPTIONAL { ?doc dcterms:temporal/dcat:endDate ?to }
  OPTIONAL { ?doc dcterms:dateAccepted ?adopted }
  OPTIONAL { ?doc pg:sourceSection/dcterms:identifier ?section }
}"""


MAP_GUIDANCE = "meld-st-27"
"""The guidance document the map colours municipalities by."""


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
    for row in map(Row, select_terms(store, _DOCUMENTS)):
        doc_id = str(row.id)
        if doc_id in seen:
            _merge_into(seen[doc_id], "section", as_text(row.section) or None, ", ")
            _merge_into(seen[doc_id], "level", str(row.level), " / ")
            _merge_into(seen[doc_id], "level_en", str(row.levelEn or row.level), " / ")
            _merge_into(seen[doc_id], "level_code", str(row.levelCode), " ")
            continue
        record = {
            "id": doc_id,
            "title": str(row.title),
            "level": str(row.level),
            "level_en": str(row.levelEn or row.level),
            "level_code": str(row.levelCode),
            "status": str(row.status),
            "from": as_text(row["from"]),
            "to": as_text(row.to),
            "adopted": as_text(row.adopted),
            "section": as_text(row.section),
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
    claims: list[ClaimResult] | ClaimsReport | None = None,
    *,
    store: ox.Store | None = None,
) -> dict[str, Any]:
    """Everything the templates show, computed from the graph. The shipped queries run on
    ``store``, the same triples in pyoxigraph (built from ``graph`` if not given). A new
    report section adds its data here under its own key and its template block in index.html."""
    store = as_store(graph) if store is None else store
    search = claims if isinstance(claims, ClaimsReport) else None
    study = next(graph.subjects(PG.coversMunicipality, None), None)
    municipalities = sorted(
        (
            (nb_label(graph, m), local_id(m, str(PGID) + "municipality/"))
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
            "population_date": str(next(graph.objects(None, PG.populationDate), "") or ""),
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
        "map": municipality_map(store, queries_dir, study_date, MAP_GUIDANCE),  # issue 26
        "pages": pages,
        "validation": validation,
        "claims": search.claims if search else (claims or []),
        "inconsistent": search.inconsistent_sets if search else [],
        "readings": search.readings if search else 1,
        "agreement": agreement_block(graph),  # issue 13: None with fewer than two coders
        "reuse": _reuse_section(store, queries_dir),  # issue 14
        "short": short_name,
    }


def _reuse_section(store: ox.Store, queries_dir: Path) -> list[dict[str, Any]]:
    from plangraf.outputs.report_reuse import reuse_section

    return reuse_section(store, queries_dir)


def render(data: dict[str, Any], lang: str = "nb") -> dict[str, str]:
    """HTML for every page: index.html, evidence.html and one page per municipality, every
    page in ``lang`` (nb or en), the sentences and the words for stored values alike."""
    from plangraf.outputs.report_text import translator

    env = Environment(loader=PackageLoader("plangraf.outputs", "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(lang=check_language(lang), t=translator(lang))  # globals: imported macros see them too
    env.filters["word"] = lambda value: word(value, lang)  # stored ids (yes, in-force, …) in the page's language
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


def study_report(paths: Paths, out: Path, *, rebuild: bool = True, lang: str = "nb") -> Path:
    """The report of a project's current build (rebuilt when stale, or an error with
    ``rebuild=False``), with the study's claims under every reading when it has
    ``claims.yaml``, written to ``out`` in ``lang``; progress on standard error step by step."""
    check_language(lang)  # before any work
    from plangraf.answers.claims import study_claims
    from plangraf.check.shacl import load_shapes, validate_graph
    from plangraf.core.progress import steps
    from plangraf.graph.current import current_union_and_store

    names = ["read the build", "validate", "claims", "queries", "write"]
    with steps("report", names) as advance:
        advance("read the build")
        graph, store = current_union_and_store(paths, rebuild=rebuild)
        advance("validate")
        validation = validate_graph(graph, load_shapes(paths.shapes))
        advance("claims")
        claims_file = paths.study / "claims.yaml"
        claims = study_claims(paths, claims_file, rebuild=rebuild) if claims_file.exists() else None
        advance("queries")
        contents = collect(graph, paths.queries, validation, claims, store=store)
        advance("write")
        return write_report(render(contents, lang), out)
