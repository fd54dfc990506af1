"""The report's lineage diagram: which guidance documents build on which, laid out by Graphviz.

Graphviz's ``dot`` (the Debian package ``graphviz``) ranks the documents, orders each rank to
cross as few edges as it can and routes every edge as a spline around the boxes; plangraf
reads the layout back (``-Tplain``) and draws the SVG itself, so the labels are escaped by the
report's templates and the page stays self-contained. Without ``dot`` the documents are set in
plain columns by depth, and the diagram says so.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections import defaultdict
from typing import Any

from rdflib import Graph
from rdflib.namespace import DCTERMS

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import PG, PGID, SKOS, nb_label

BOX_W, BOX_H = 250, 44
_POINTS = 72  # dot's unit is the inch; the SVG's the point
_DOT_TIMEOUT = 60


def lineage_graph(graph: Graph) -> tuple[list[Any], list[tuple[Any, Any, str]]]:
    """The guidance documents (sorted) and the edges between them: (document, the document it
    builds on, ``builds-on``) by pg:buildsOn, direct links only (a->c dropped when a->b->c),
    and (edition, the work, ``edition-of``) by dcterms:isVersionOf."""
    prefix = str(PGID) + "guidance/"
    labelled = set(graph.subjects(SKOS.prefLabel, None))
    docs = sorted((d for d in labelled if str(d).startswith(prefix) and "/" not in str(d)[len(prefix) :]), key=str)
    members = set(docs)
    direct = {(a, b) for a, b in graph.subject_objects(PG.buildsOn) if a in members and b in members and a != b}
    transitive = {(a, c) for a, b in direct for b2, c in direct if b == b2}
    edges = [(a, b, "builds-on") for a, b in sorted(direct - transitive, key=str)]
    editions = {(a, b) for a, b in graph.subject_objects(DCTERMS.isVersionOf) if a in members and b in members}
    edges += [(a, b, "edition-of") for a, b in sorted(editions, key=str)]
    return docs, edges


def dot_source(count: int, edges: list[tuple[int, int, str]]) -> str:
    """The graph for ``dot``: nodes ``n0``… as fixed boxes the size the report draws, each edge
    from the document built on to the one building on it (so the older stands left), with its
    arrow at the start (``dir=back``) pointing at the document built on."""
    lines = [
        "digraph lineage {",
        "  rankdir=LR; nodesep=0.18; ranksep=0.6; splines=true;",
        f'  node [shape=box, fixedsize=true, width={BOX_W / _POINTS:.3f}, height={BOX_H / _POINTS:.3f}, label=""];',
    ]
    lines += [f"  n{i};" for i in range(count)]
    for a, b, kind in edges:
        lines.append(f"  n{b} -> n{a} [dir=back{', style=dashed' if kind == 'edition-of' else ''}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


Points = list[tuple[float, float]]


def parse_plain(text: str) -> tuple[float, float, dict[str, tuple[float, float]], dict[tuple[str, str], list[Points]]]:
    """``dot -Tplain``'s output: (width, height, node centre by name, the spline control
    points of the edges from tail to head by (tail, head)), in points with y downwards as in
    SVG. dot writes edges in an order of its own, not the source's."""
    width = height = 0.0
    centres: dict[str, tuple[float, float]] = {}
    splines: dict[tuple[str, str], list[Points]] = defaultdict(list)
    for line in text.splitlines():
        fields = shlex.split(line)
        if not fields:
            continue
        if fields[0] == "graph":
            width, height = float(fields[2]) * _POINTS, float(fields[3]) * _POINTS
        elif fields[0] == "node":
            centres[fields[1]] = (float(fields[2]) * _POINTS, height - float(fields[3]) * _POINTS)
        elif fields[0] == "edge":
            count = int(fields[3])
            numbers = [float(v) for v in fields[4 : 4 + 2 * count]]
            pairs = zip(numbers[::2], numbers[1::2], strict=True)
            splines[fields[1], fields[2]].append([(x * _POINTS, height - y * _POINTS) for x, y in pairs])
    return width, height, centres, splines


def _run_dot(dot: str, source: str) -> str:
    try:
        done = subprocess.run(
            [dot, "-Tplain"], input=source, capture_output=True, text=True, timeout=_DOT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PlangrafError(f"Graphviz's dot could not lay out the lineage diagram: {error}") from None
    if done.returncode != 0:
        raise PlangrafError(f"Graphviz's dot could not lay out the lineage diagram: {done.stderr.strip()}")
    return done.stdout


def _path(points: Points) -> str:
    """An SVG path through a B-spline's control points: a start, then cubic Bézier triples."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    for i in range(0, len(rest) - len(rest) % 3, 3):
        parts.append("C" + " ".join(f"{x:.1f},{y:.1f}" for x, y in rest[i : i + 3]))
    return " ".join(parts)


def lineage(graph: Graph) -> dict[str, Any]:
    """Boxes and edges for the report's SVG, laid out by ``dot`` (by columns when Graphviz is
    not installed: ``layout`` says which)."""
    docs, edges = lineage_graph(graph)
    index = {doc: i for i, doc in enumerate(docs)}
    numbered = [(index[a], index[b], kind) for a, b, kind in edges]
    dot = shutil.which("dot")
    if dot is None:
        return _columns(graph, docs, numbered)
    margin = 10
    width, height, centres, splines = parse_plain(_run_dot(dot, dot_source(len(docs), numbered)))
    nodes = []
    for i, doc in enumerate(docs):
        x, y = centres[f"n{i}"]
        nodes.append(_node(graph, doc, x - BOX_W / 2 + margin, y - BOX_H / 2 + margin))
    arrows = []
    for a, b, kind in numbered:  # drawn from the document built on (b) to the one building on it (a)
        points = splines[f"n{b}", f"n{a}"].pop(0)
        arrows.append({"d": _path([(x + margin, y + margin) for x, y in points]), "kind": kind})
    return {
        "nodes": nodes,
        "arrows": arrows,
        "width": round(width + 2 * margin),
        "height": round(height + 2 * margin),
        "layout": "graphviz",
    }


def _node(graph: Graph, doc: Any, x: float, y: float) -> dict[str, Any]:
    label = nb_label(graph, doc)
    return {
        "id": str(doc)[len(str(PGID) + "guidance/") :],
        "x": round(x, 1),
        "y": round(y, 1),
        "w": BOX_W,
        "h": BOX_H,
        "lines": _wrap(label, 38),
        "title": label,
    }


def _columns(graph: Graph, docs: list[Any], edges: list[tuple[int, int, str]]) -> dict[str, Any]:
    """Without Graphviz: a column per depth (a document right of what it builds on), straight
    edges."""
    parents = defaultdict(list)
    for a, b, _ in edges:
        parents[a].append(b)
    depth: dict[int, int] = {}

    def level(i: int, seen: frozenset[int] = frozenset()) -> int:
        if i not in depth:
            depth[i] = 1 + max((level(p, seen | {i}) for p in parents[i] if p not in seen), default=-1)
        return depth[i]

    columns: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        columns[level(i)].append(i)
    gap_x, gap_y, position = 70, 16, {}
    for col, members in columns.items():
        for row, i in enumerate(members):
            position[i] = (10 + col * (BOX_W + gap_x), 10 + row * (BOX_H + gap_y))
    nodes = [_node(graph, doc, *position[i]) for i, doc in enumerate(docs)]
    arrows = []
    for a, b, kind in edges:
        (ax, ay), (bx, by) = position[a], position[b]
        start, end = (bx + BOX_W, by + BOX_H / 2), (ax, ay + BOX_H / 2)
        arrows.append({"d": f"M{start[0]},{start[1]} L{end[0]},{end[1]}", "kind": kind})
    tallest = max((len(m) for m in columns.values()), default=0)
    return {
        "nodes": nodes,
        "arrows": arrows,
        "width": 20 + len(columns) * (BOX_W + gap_x),
        "height": 20 + tallest * (BOX_H + gap_y),
        "layout": "columns",
    }


def _wrap(text: str, width: int) -> list[str]:
    """Up to two lines of at most ``width`` characters, the second cut with an ellipsis."""
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
