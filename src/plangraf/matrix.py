"""The main answer as a matrix: municipalities × the goals of one guidance document."""

from __future__ import annotations

from rdflib import Graph, URIRef

from .namespaces import PG, SKOS, guidance_iri, nb_label
from .query import QueryResult, render_table


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


def reflected_matrix(
    answer: QueryResult, goals: list[tuple[URIRef, str]], municipalities: list[str]
) -> tuple[list[str], list[list[str]]]:
    """Cells "documents/findings" from a ``reflected-guidance`` answer; "·" where none."""
    cells: dict[tuple[str, str], str] = {}
    for row in answer.rows:
        cells[(row["municipality"], row["guidance"])] = f"{row['documents']}/{row['findings']}"
    columns = ["municipality"] + [f"[{i}]" for i, _goal in enumerate(goals, start=1)]
    rows = [[m] + [cells.get((m, label), "·") for _iri, label in goals] for m in municipalities]
    return columns, rows


def render_matrix(columns: list[str], rows: list[list[str]], goals: list[tuple[URIRef, str]]) -> str:
    """The table, then a legend naming each numbered column."""
    legend = "\n".join(f"[{i}] {label}" for i, (_iri, label) in enumerate(goals, start=1))
    return render_table(columns, rows, max_width=40) + legend + "\n"
