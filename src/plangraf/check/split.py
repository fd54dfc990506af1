"""Validate with two processes: the shapes split in two, one half in a forked child.

pyshacl is pure Python and single-threaded; on a national-scale graph validation is most of
the pipeline's time. A shape reports only on the focus nodes of its own targets, so the
shapes graph is split by *top-level* shape (a shape with a target): each part is the whole
shapes graph with the targets of the other part's top-level shapes removed. Shapes that are
only reached through others (``sh:property``, ``sh:node``, ``sh:or`` …) are in both parts and
evaluated exactly as before, and every validation result comes from exactly one part. The
union of the two reports is the report of the whole (tested against a single run).

The child is forked, so it shares the data graph without copying or pickling it; it sends
back the :class:`~plangraf.check.results.ValidationReport` of its part. If the child dies, the
parent validates that part itself.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import SH

if TYPE_CHECKING:
    from plangraf.check.results import ValidationReport

TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target)

Runner = Callable[[Graph, Graph], "ValidationReport"]


def top_level_shapes(shapes: Graph) -> list[Node]:
    """Shapes with at least one target, in a stable order."""
    return sorted({s for p in TARGETS for s in shapes.subjects(p, None)}, key=str)


def _weight(shape: Node, shapes: Graph, data: Graph) -> int:
    """A rough cost: estimated focus nodes x the shape's description (every triple reachable
    through blank nodes, so sh:or branches and property shapes count). A SPARQL constraint
    counts 400: rdflib evaluates one query per focus node, measured at about 400 times the
    cost of one core constraint triple."""
    focus = 0
    for cls in shapes.objects(shape, SH.targetClass):
        focus += sum(1 for _ in data.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        focus += sum(1 for _ in data.triples((None, prop, None)))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        focus += sum(1 for _ in data.triples((None, prop, None)))
    focus += sum(1 for _ in shapes.objects(shape, SH.targetNode))
    focus += 100 * sum(1 for _ in shapes.objects(shape, SH.target))  # SPARQL targets: unknown
    size, seen, todo = 0, {shape}, [shape]
    while todo:
        node = todo.pop()
        for _s, p, o in shapes.triples((node, None, None)):
            size += 400 if p == SH.sparql else 1
            if p in TARGETS:
                continue
            if (isinstance(o, BNode) or p in (SH.property, SH.node)) and o not in seen:
                seen.add(o)
                todo.append(o)
    return max(focus, 1) * size


def split_shapes(shapes: Graph, data: Graph, parts: int = 2) -> list[Graph]:
    """``parts`` shapes graphs whose reports together are the report of ``shapes``.

    Top-level shapes go to the part with the least estimated cost so far (largest first).
    """
    top = top_level_shapes(shapes)
    weights = {shape: _weight(shape, shapes, data) for shape in top}
    owner: dict[Node, int] = {}
    loads = [0] * parts
    for shape in sorted(top, key=lambda s: (-weights[s], str(s))):
        part = loads.index(min(loads))
        owner[shape] = part
        loads[part] += weights[shape]
    graphs = []
    for part in range(parts):
        graph = Graph()
        for prefix, namespace in shapes.namespaces():
            graph.bind(prefix, namespace, override=True)
        for s, p, o in shapes:
            if p in TARGETS and owner.get(s, part) != part:
                continue
            graph.add((s, p, o))
        graphs.append(graph)
    return graphs


def _child(run: Runner, data: Graph, shapes: Graph, conn: multiprocessing.connection.Connection) -> None:
    try:
        conn.send(("ok", run(data, shapes)))
    except PlangrafError as exc:
        conn.send(("error", (exc.message, exc.file, exc.line, exc.field)))
    finally:
        conn.close()


def validate_split(data: Graph, shapes: Graph, run: Runner) -> ValidationReport:
    """Validate ``data`` against ``shapes`` in two halves, one in a forked child process."""
    from plangraf.check.results import ValidationReport

    mine, theirs = split_shapes(shapes, data, 2)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(run, data, theirs, sender), daemon=True)
    child.start()
    sender.close()
    try:
        first = run(data, mine)
        try:
            status, payload = receiver.recv()
        except EOFError:  # the child died (killed, out of memory): do its part here
            status, payload = "ok", run(data, theirs)
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
    if status == "error":
        message, file, line, field = payload
        raise PlangrafError(message, file=file, line=line, field=field)
    second: ValidationReport = payload
    return ValidationReport(
        conforms=first.conforms and second.conforms, issues=first.issues + second.issues, engine="pyshacl"
    )


def default_workers(data: Graph) -> int:
    """1, unless ``PLANGRAF_VALIDATE_WORKERS`` is 2.

    Two processes are opt-in: measured on 356 synthetic municipalities (404k triples) they
    took 77 s against 82 s for one, while the forked child's copy-on-write pages nearly
    double the memory used (docs/performance.md).
    """
    chosen = os.environ.get("PLANGRAF_VALIDATE_WORKERS")
    if chosen:
        if chosen not in ("1", "2"):
            raise PlangrafError(f"must be 1 or 2, not {chosen!r}", field="PLANGRAF_VALIDATE_WORKERS")
        return int(chosen)
    return 1
