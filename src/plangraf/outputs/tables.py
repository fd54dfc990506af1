"""Tables for papers: coverage matrices and the strategy-status table as CSV, Markdown or LaTeX."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from plangraf.answers.matrix import ABSENT, NOTATION_KEY
from plangraf.answers.query import as_store, resolve_query, run_query
from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.outputs.report import collect

TABLE_FORMATS = {"csv": ".csv", "markdown": ".md", "latex": ".tex"}
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


def format_table(caption: str, columns: list[str], rows: list[list[Any]], fmt: str) -> str:
    if fmt not in TABLE_FORMATS:
        raise PlangrafError(f"unknown format '{fmt}'; allowed: {', '.join(TABLE_FORMATS)}", field="--format")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
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


def write_tables(graph: Graph, queries_dir: Path, out: Path, fmt: str, *, store: ox.Store | None = None) -> list[Path]:
    """Write every table as ``out/<name><suffix>``, atomically (``store`` as for :func:`study_tables`)."""
    written = []
    for name, (caption, columns, rows) in study_tables(graph, queries_dir, store=store).items():
        written.append(
            write_atomic(Path(out) / f"{name}{TABLE_FORMATS[fmt]}", format_table(caption, columns, rows, fmt))
        )
    return written
