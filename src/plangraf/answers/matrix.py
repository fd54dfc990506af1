"""The main answer as a matrix: municipalities × the goals of one guidance document.

A cell says how a municipality's documents reach a goal, in a notation shared by the
terminal matrix, the tables for papers and the HTML heatmaps (:func:`cell_notation`): the
strongest relation's letter, a mark when the goal is reached only through a goal that
implements it, and a mark when no link behind the cell is stated by the source.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from plangraf.answers.query import QueryResult, render_table
from plangraf.rdf.namespaces import PG, SKOS, guidance_iri, nb_label

RELATION_LETTERS = {"explicit-reference": "E", "verbatim": "V", "paraphrase": "P", "thematic": "T"}
VIA_IMPLEMENTATION_MARK = "†"
CODED_MARK = "*"
ABSENT = "no"
NOTATION_KEY = [
    "E explicit reference > V verbatim reuse > P paraphrase > T thematic (the strongest relation behind the cell)",
    f"{VIA_IMPLEMENTATION_MARK} reached only through a goal that implements it (path via-implementation)",
    f"{CODED_MARK} rests only on coders' readings (basis coded): the source states none of its links",
    f"{ABSENT} examined and absent; blank not examined",
]


def cell_notation(status: str, relation: str = "", path: str = "", basis: str = "") -> str:
    """ "P†*" for a reflected cell, "no" for examined and absent, "" for not examined
    (``status`` as in guidance-coverage: reflected, no, not-examined)."""
    if status == "no":
        return ABSENT
    if status != "reflected":
        return ""
    marks = VIA_IMPLEMENTATION_MARK if path == "via-implementation" else ""
    marks += CODED_MARK if basis == "coded" else ""
    return RELATION_LETTERS.get(relation, "?") + marks


def guidance_goals(graph: Graph, document_id: str) -> list[tuple[URIRef, str]]:
    """Top goals of a guidance document, in label order: (IRI, Norwegian label)."""
    doc = guidance_iri(document_id)
    goals: list[tuple[URIRef, str]] = []
    for goal in graph.subjects(PG.statedIn, doc):
        if not isinstance(goal, URIRef) or (goal, SKOS.broader, None) in graph:
            continue
        goals.append((goal, nb_label(graph, goal)))

    def order(pair: tuple[URIRef, str]) -> tuple[int, str]:
        notation = graph.value(pair[0], SKOS.notation)
        return (int(str(notation)) if notation is not None and str(notation).isdigit() else 999, str(pair[0]))

    return sorted(goals, key=order)


PATH_ORDER = ["direct", "via-broader-goal", "via-implementation"]  # closest first
BASIS_ORDER = ["stated", "coded"]  # the source's own links first


def strongest_link(rows: list[dict[str, str]]) -> tuple[str, str, str]:
    """(strongest relation, closest path, best basis) of the links behind one cell: the cell's
    notation summarises all of them (the key says so), each from its own link."""
    relations = list(RELATION_LETTERS)
    relation = min((r["relation"] for r in rows), key=lambda v: relations.index(v) if v in relations else 99)
    path = min((r["path"] for r in rows), key=lambda v: PATH_ORDER.index(v) if v in PATH_ORDER else 99)
    basis = min((r["basis"] for r in rows), key=lambda v: BASIS_ORDER.index(v) if v in BASIS_ORDER else 99)
    return relation, path, basis


def reflected_matrix(
    answer: QueryResult,
    goals: list[tuple[URIRef, str]],
    municipalities: list[str],
    coverage: QueryResult | None = None,
    *,
    document: str,
) -> tuple[list[str], list[list[str]]]:
    """Cells "P†* documents/findings" from a ``reflected-guidance`` answer (one row per link;
    only the goals of the guidance document titled ``document``, since goals of two documents
    can share a label), with the status of a ``guidance-coverage`` answer for the same
    document: "no" where examined and absent, "·" where not examined. Without ``coverage``
    the notation comes from ``answer`` alone."""
    labels = {label for _iri, label in goals}
    links: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in answer.rows:
        if row["guidance"] in labels and row["guidance_document"] == document:
            links.setdefault((row["municipality"], row["guidance"]), []).append(row)
    counts = {
        key: f"{len({r['document'] for r in rows})}/{len({r['finding'] for r in rows})}" for key, rows in links.items()
    }
    status: dict[tuple[str, str], str] = {}
    if coverage is None:
        status = {key: cell_notation("reflected", *strongest_link(rows)) for key, rows in links.items()}
    for row in coverage.rows if coverage is not None else []:
        key = (row["municipality"], row["guidance"])
        status[key] = cell_notation(row["status"], row["strongest_relation"], row["path"], row["basis"])

    def cell(key: tuple[str, str]) -> str:
        notation = status.get(key, "")
        if notation and notation != ABSENT:
            return f"{notation} {counts.get(key, '')}".strip()
        return notation or "·"

    columns = ["municipality"] + [f"[{i}]" for i, _goal in enumerate(goals, start=1)]
    rows = [[m] + [cell((m, label)) for _iri, label in goals] for m in municipalities]
    return columns, rows


def matrix_heading(title: str) -> str:
    """The lines printed above the matrix."""
    return (
        f"Which goals of «{title}» each municipality reflects,\n"
        "directly or through a narrower or implementing goal: strongest relation, marks (key below),\n"
        "documents/findings. Evidence: plangraf query evidence\n"
    )


def render_matrix(columns: list[str], rows: list[list[str]], goals: list[tuple[URIRef, str]]) -> str:
    """The table, then a legend naming each numbered column and the key to the cells."""
    legend = "\n".join(f"[{i}] {label}" for i, (_iri, label) in enumerate(goals, start=1))
    key = "\n".join(["Key: " + NOTATION_KEY[0], *("     " + line for line in NOTATION_KEY[1:-1])])
    key += "\n     no examined and absent; · not examined"
    return render_table(columns, rows, max_width=40) + legend + "\n" + key + "\n"
