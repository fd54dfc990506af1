"""Tables for papers: coverage matrices and the strategy-status table as CSV, Markdown, LaTeX
or one Excel workbook."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from plangraf.answers.matrix import ABSENT, NOTATION_KEY
from plangraf.answers.query import as_store, resolve_query, run_query, select_terms
from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.formats import check_delimiter
from plangraf.outputs.report import collect

TABLE_FORMATS = {"csv": ".csv", "markdown": ".md", "latex": ".tex"}
#: every table in one workbook, a sheet each (:mod:`plangraf.outputs.spreadsheet`)
WORKBOOK = "tables.xlsx"
_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "†": r"\dag{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


GUIDANCE_KEY = "Key: " + "; ".join(NOTATION_KEY) + "."


def study_tables(
    graph: Graph, queries_dir: Path, *, store: ox.Store | None = None
) -> dict[str, tuple[str, list[str], list[list[Any]]]]:
    """name -> (caption, columns, rows): one coverage matrix per guidance document (cells in the
    notation of :func:`plangraf.answers.matrix.cell_notation`: "P†*", "no" or blank), one for eGovWSF
    (cells: number of findings, "no" or blank), and the strategy status on the study date. The
    shipped queries run on ``store`` (built from ``graph`` if not given)."""
    store = as_store(graph) if store is None else store
    data = collect(graph, queries_dir, store=store)
    tables: dict[str, tuple[str, list[str], list[list[Any]]]] = {}
    for heatmap in data["heatmaps"]:
        rows = [[row["name"]] + [cell.notation for cell in row["cells"]] for row in heatmap["rows"]]
        tables[f"coverage-{heatmap['id']}"] = (
            f"How each municipality's documents reflect the goals of {heatmap['title']}. {GUIDANCE_KEY}",
            ["municipality", *heatmap["columns"]],
            rows,
        )
    egov = data["egovwsf"]
    tables["coverage-egovwsf"] = (
        f"Findings per municipality and eGovWSF element; {ABSENT}: examined and absent; blank: not examined.",
        ["municipality", *egov["columns"]],
        [[row["name"]] + [cell.notation for cell in row["cells"]] for row in egov["rows"]],
    )
    status = run_query(store, resolve_query("strategy-status", queries_dir), {"date": data["study"]["date"]})
    tables["strategy-status"] = (
        f"Digitalisation and IKT strategies on {data['study']['date']}",
        status.columns,
        [[row[c] if row[c] is not None else "" for c in status.columns] for row in status.rows],
    )
    return tables


def _latex_escape(value: Any) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in str(value))


def format_table(
    caption: str, columns: list[str], rows: list[list[Any]], fmt: str, *, delimiter: str = ",", bom: bool = False
) -> str:
    """The table as ``fmt``; CSV with ``delimiter`` and, with ``bom``, a UTF-8 byte-order mark
    (Excel then reads æøå right; Norwegian Excel splits on ``;``)."""
    if fmt not in TABLE_FORMATS:
        raise PlangrafError(f"unknown format '{fmt}'; allowed: {', '.join(TABLE_FORMATS)}", field="--format")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=check_delimiter(delimiter), lineterminator="\r\n" if bom else "\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return ("\ufeff" if bom else "") + buffer.getvalue()
    if fmt == "markdown":

        def cell(value: Any) -> str:
            return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")

        lines = [f"Table: {cell(caption)}", "", "| " + " | ".join(cell(c) for c in columns) + " |"]
        lines.append("|" + "|".join(":---:" if i else "---" for i in range(len(columns))) + "|")
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    spec = "l" + "c" * (len(columns) - 1)
    lines = [
        "\\begin{table}[htbp]",
        "\\centering",
        f"\\caption{{{_latex_escape(caption)}}}",
        f"\\begin{{tabular}}{{{spec}}}",
        "\\hline",
        " & ".join(_latex_escape(c) for c in columns) + " \\\\",
        "\\hline",
    ]
    lines += [" & ".join(_latex_escape(v) for v in row) + " \\\\" for row in rows]
    lines += ["\\hline", "\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def write_tables(
    graph: Graph,
    queries_dir: Path,
    out: Path,
    fmt: str,
    *,
    store: ox.Store | None = None,
    delimiter: str = ",",
    bom: bool = False,
) -> list[Path]:
    """Write every table as ``out/<name><suffix>``, atomically (``store`` as for
    :func:`study_tables`); as CSV also ``links.csv``, one row per link (:func:`long_links`);
    as ``xlsx`` one workbook, ``out/tables.xlsx``, with a sheet per table and ``links``."""
    if fmt not in (*TABLE_FORMATS, "xlsx"):
        raise PlangrafError(f"unknown format '{fmt}'; allowed: {', '.join(TABLE_FORMATS)}, xlsx", field="--format")
    store = as_store(graph) if store is None else store
    tables = study_tables(graph, queries_dir, store=store)
    if fmt in ("csv", "xlsx"):
        tables["links"] = ("One row per link: the findings x links long format, ids not labels.", *long_links(store))
    if fmt == "xlsx":
        from plangraf.outputs.spreadsheet import workbook_bytes

        sheets = [(name, *table) for name, table in tables.items()]
        return [write_atomic(Path(out) / WORKBOOK, workbook_bytes(sheets))]
    written = []
    for name, (caption, columns, rows) in tables.items():
        text = format_table(caption, columns, rows, fmt, delimiter=delimiter, bom=bom)
        written.append(write_atomic(Path(out) / f"{name}{TABLE_FORMATS[fmt]}", text))
    return written


LONG_COLUMNS = [
    "municipality",
    "municipality_name",
    "document",
    "plan_level",
    "finding",
    "evidence",
    "guidance",
    "guidance_label",
    "guidance_document",
    "relation",
    "basis",
    "coder",
    "coded",
]

_LONG = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?municipality ?municipality_name ?document ?plan_level ?finding ?evidence ?guidance ?guidance_label
       ?guidance_document ?relation ?basis ?coder ?coded WHERE {
  ?link a pg:Link ; pg:linkOf ?f ; oa:hasBody ?g ; pg:relation/skos:notation ?relation ;
        pg:basis/skos:notation ?basis .
  ?f dcterms:identifier ?finding ; pg:inDocument ?d .
  ?d dcterms:identifier ?document ; pg:owner ?m .
  ?m dcterms:identifier ?municipality ; skos:prefLabel ?municipality_name .
  OPTIONAL {
    SELECT ?d (GROUP_CONCAT(DISTINCT STR(?level); separator="; ") AS ?plan_level)
    WHERE { ?d pg:planLevel/skos:notation ?level } GROUP BY ?d
  }
  OPTIONAL { ?f pg:evidenceKind/skos:notation ?evidence }
  ?g dcterms:identifier ?guidance .
  OPTIONAL { ?g skos:prefLabel ?guidance_label . FILTER (LANG(?guidance_label) = "nb") }
  OPTIONAL { ?g pg:statedIn/dcterms:identifier ?statingDocument }
  BIND (COALESCE(?statingDocument, ?guidance) AS ?guidance_document)
  OPTIONAL { ?link prov:wasAttributedTo ?agent . BIND (STRAFTER(STR(?agent), "/agent/") AS ?coder) }
  OPTIONAL { ?link dcterms:created ?coded }
}"""


def long_links(store: ox.Store) -> tuple[list[str], list[list[Any]]]:
    """The findings × links long format for R and pandas: one row per link, with ids (not
    labels) for municipality, document, finding and guidance (with guidance_document, the id of
    the document a goal is stated in: goals of two documents can share a label), and the link's relation kind,
    basis, coder and coding date; a document of several plan levels names them all."""
    rows = select_terms(store, _LONG)
    table = [["" if row.get(c) is None else str(row[c]) for c in LONG_COLUMNS] for row in rows]
    return LONG_COLUMNS, sorted(table)
