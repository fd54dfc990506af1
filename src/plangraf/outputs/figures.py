"""The report's figures: the timeline of governing documents and the guidance lineage diagram."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Graph

from plangraf.rdf.namespaces import PG, PGID, SKOS, nb_label


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
