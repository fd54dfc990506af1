"""A whole validation on the quads the shapes can read, not on every quad of the build.

Most of a compiled whole validation is the engine reading the build's TriG (about 6 s of
11 at 356 municipalities), and half the build's quads have a predicate no shape reads
(provenance, the reflection paths, ``dct:subject``...). From the shapes' read steps
(:mod:`plangraf.check.reach`) this module keeps a quad when

- its predicate is one a step reads, a gate names (``sh:targetSubjectsOf``/``ObjectsOf``),
  ``rdf:type`` or ``rdfs:subClassOf`` (class targets and ``sh:class``); or
- a step that reads any predicate (``sh:closed``, a SPARQL ``?s ?p ?o``) can start at its
  subject (forwards) or object (backwards): such a step's variable must be reached from the
  focus through gates only, and its nodes are then the gates' targets in the data.

Why the report is the whole graph's (``docs/performance.md``, "Incremental validation"):
validating any ``G'`` with ``N(f) ⊆ G' ⊆ G`` gives focus node ``f`` the results ``G`` gives,
and ``G'`` has the same targets. Every triple of a neighbourhood ``N(f)`` is read by a step:
one with a predicate is kept by the first rule, one of an any-predicate step by the second
(its start node is a target of the gate the step is reached through). Targets are witnessed
by ``rdf:type``, ``rdfs:subClassOf`` and the gates' predicates, all kept. Shapes the steps
cannot bound, or an any-predicate step reached otherwise, give ``None``: validate everything.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from plangraf.check.steps import ROOT, Reach

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def readable_text(reach: Reach, text: str) -> str | None:
    """The quads of the TriG ``text`` the shapes can read, as TriG (``None``: all of them, or
    the steps do not bound them)."""
    starts = _any_predicate_gates(reach)
    if starts is None:
        return None
    predicates = {p for _, p, d, _ in reach.steps if p is not None and d in "fb"} | {_TYPE, _SUBCLASS}
    predicates |= {value for gate in reach.gates.values() for kind, value in gate if kind in ("subjects", "objects")}
    parser = ox.parse(text, format=ox.RdfFormat.TRIG)
    quads = list(parser)
    forward = _targets([g for d, g in starts if d == "f"], reach, quads)
    backward = _targets([g for d, g in starts if d == "b"], reach, quads)
    named = {ox.NamedNode(p) for p in predicates}  # compared as terms: no string made per quad
    kept = [q for q in quads if q.predicate in named or q.subject in forward or q.object in backward]
    if len(kept) == len(quads):
        return None
    return (ox.serialize(kept, format=ox.RdfFormat.TRIG, prefixes=parser.prefixes) or b"").decode("utf-8")


def _any_predicate_gates(reach: Reach) -> set[tuple[str, str]] | None:
    """(direction, gate) for each any-predicate step's start variable's gates; ``None`` when
    such a variable is reached other than through gates."""
    incoming: dict[int, list[tuple[int, str | None, str]]] = {}
    for source, predicate, direction, target in reach.steps:
        incoming.setdefault(target, []).append((source, predicate, direction))
    found: set[tuple[str, str]] = set()
    for source, predicate, direction, _ in reach.steps:
        if predicate is None and direction in "fb":
            gates = _gates_of(source, incoming, set())
            if gates is None:
                return None
            found |= {(direction, gate) for gate in gates}
    return found


def _gates_of(variable: int, incoming: dict[int, list[tuple[int, str | None, str]]], seen: set[int]) -> set[str] | None:
    """The gates every node ``variable`` can take is a target of one of (``None``: unbounded)."""
    if variable == ROOT:
        return None
    if variable in seen:
        return set()
    seen.add(variable)
    gates: set[str] = set()
    for source, predicate, direction in incoming.get(variable, []):
        if direction == "g" and predicate is not None:
            gates.add(predicate)
        elif direction == "e":
            inner = _gates_of(source, incoming, seen)
            if inner is None:
                return None
            gates |= inner
        else:
            return None
    return gates


def _targets(names: Iterable[str], reach: Reach, quads: list[ox.Quad]) -> set[Node]:
    """The nodes of ``quads`` that are targets of any of the gates ``names`` (a superset: a
    class's instances include those of its subclasses in the data)."""
    conditions = [condition for name in set(names) for condition in reach.gates.get(name, [])]
    if not conditions:
        return set()
    subclass, rdf_type = ox.NamedNode(_SUBCLASS), ox.NamedNode(_TYPE)
    subclasses: dict[Node, set[Node]] = {}
    for q in quads:
        if q.predicate == subclass:
            subclasses.setdefault(q.object, set()).add(q.subject)
    classes = _closure({ox.NamedNode(v) for kind, v in conditions if kind == "class"}, subclasses)
    subjects = {ox.NamedNode(v) for kind, v in conditions if kind == "subjects"}
    objects = {ox.NamedNode(v) for kind, v in conditions if kind == "objects"}
    found: set[Node] = {ox.NamedNode(v) for kind, v in conditions if kind == "node"}
    for q in quads:
        p = q.predicate
        if p in subjects or (p == rdf_type and q.object in classes):
            found.add(q.subject)
        if p in objects:
            found.add(q.object)
    return found


def _closure(classes: set[Node], subclasses: dict[Node, set[Node]]) -> set[Node]:
    todo, seen = list(classes), set(classes)
    while todo:
        for sub in subclasses.get(todo.pop(), ()):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen
