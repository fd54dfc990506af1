"""Following the shapes' read steps (:mod:`plangraf.check.reach`) through a pyoxigraph store.

:func:`neighbourhood` goes forwards: from focus nodes, every quad their validation can read.
:func:`affected` goes backwards: from changed triples, every focus node whose validation can
read one of them. Both read the store through :class:`StoreView`, which asks the store once
per node (and, for a node that is the object of many triples, once per predicate). A store
may keep a literal in another spelling than the build's TriG (:mod:`plangraf.graph.changes`);
a lookup with either spelling finds it, so both walks find at least what they would on the
TriG's triples. Both stop with :class:`TooLarge` beyond ``limit`` nodes visited.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from itertools import islice

import pyoxigraph as ox

from plangraf.check.steps import ROOT, Reach

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
State = tuple[int, Term]
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_FEW = 64  # a node the object of at most this many quads has them read at once


class TooLarge(Exception):
    """The walk reached more than its limit: validating everything is cheaper."""


class StoreView:
    """The quads of a store around a node, each lookup asked once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._outgoing: dict[Term, dict[str | None, list[ox.Quad]]] = {}
        self._incoming: dict[Term, dict[str | None, list[ox.Quad]] | None] = {}  # None: a hub
        self._by_predicate: dict[tuple[Term, str | None], list[ox.Quad]] = {}

    def outgoing(self, node: Term, predicate: str | None) -> list[ox.Quad]:
        """The quads ``(node, predicate, ?)`` (any predicate for ``None``)."""
        if isinstance(node, ox.Literal):
            return []
        found = self._outgoing.get(node)
        if found is None:
            found = self._outgoing[node] = _grouped(self.store.quads_for_pattern(node, None, None))
        return found.get(predicate, [])

    def types(self, node: Term) -> list[Term]:
        return [quad.object for quad in self.outgoing(node, _TYPE)]

    def incoming(self, node: Term, predicate: str | None) -> list[ox.Quad]:
        """The quads ``(?, predicate, node)``."""
        if node not in self._incoming:
            first = list(islice(self.store.quads_for_pattern(None, None, node), _FEW + 1))
            self._incoming[node] = _grouped(first) if len(first) <= _FEW else None
        found = self._incoming[node]
        if found is not None:
            return found.get(predicate, [])
        key = (node, predicate)
        quads = self._by_predicate.get(key)
        if quads is None:
            named = None if predicate is None else ox.NamedNode(predicate)
            quads = self._by_predicate[key] = list(self.store.quads_for_pattern(None, named, node))
        return quads


def _grouped(quads: Iterable[ox.Quad]) -> dict[str | None, list[ox.Quad]]:
    groups: dict[str | None, list[ox.Quad]] = {None: list(quads)}
    for quad in groups[None]:
        groups.setdefault(quad.predicate.value, []).append(quad)
    return groups


class Targets:
    """The gated shapes (:data:`plangraf.check.reach.Gate`) that target a node, in the store."""

    def __init__(self, reach: Reach, view: StoreView) -> None:
        self.view = view
        self.other: list[tuple[str, str, str]] = []  # (gate, kind, value) not by class
        self.by_class: dict[Term, set[str]] = defaultdict(set)
        self.open: set[str] = set()  # gates that pass anything
        for name, gate in reach.gates.items():
            for kind, value in gate:
                if kind == "class":
                    for cls in self._subclasses(value):
                        self.by_class[cls].add(name)
                elif kind in ("subjects", "objects", "node"):
                    self.other.append((name, kind, value))
                else:
                    self.open.add(name)
        self._found: dict[Term, set[str]] = {}

    def _subclasses(self, cls: str) -> set[Term]:
        """``cls`` and its subclasses, transitively: a node of one of these types is a SHACL instance."""
        found: set[Term] = set()
        todo: list[Term] = [ox.NamedNode(cls)]
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(quad.subject for quad in self.view.incoming(node, _SUBCLASS))
        return found

    def of(self, node: Term) -> set[str]:
        """The gates ``node`` passes."""
        found = self._found.get(node)
        if found is None:
            found = set(self.open)
            for cls in self.view.types(node):
                found |= self.by_class.get(cls, set())
            for name, kind, value in self.other:
                if name in found:
                    continue
                if (
                    (kind == "subjects" and self.view.outgoing(node, value))
                    or (kind == "objects" and self.view.incoming(node, value))
                    or (kind == "node" and isinstance(node, ox.NamedNode) and node.value == value)
                ):
                    found.add(name)
            self._found[node] = found
        return found


class _Walk:
    """The steps indexed both ways, and the gates of the shapes' start variables."""

    def __init__(self, reach: Reach) -> None:
        self.forward: dict[int, list[tuple[str | None, str, int]]] = defaultdict(list)
        self.backward: dict[int, list[tuple[int, str | None, str]]] = defaultdict(list)
        self.reading: dict[str | None, list[tuple[int, str]]] = defaultdict(list)
        for source, predicate, direction, target in reach.steps:
            self.forward[source].append((predicate, direction, target))
            self.backward[target].append((source, predicate, direction))
            if direction in ("f", "b"):
                self.reading[predicate].append((source, direction))
        starts = {target for _, direction, target in self.forward.get(ROOT, ()) if direction == "e"}
        # a start variable whose shape has a gate: (start, gate); the others: always entered
        self.gated = {
            start: predicate
            for start in starts
            for predicate, direction, _ in self.forward.get(start, ())
            if direction == "g" and predicate is not None
        }
        self.open_starts = sorted(starts - set(self.gated))
        self.starts = starts


def _states(todo: deque[State], limit: int) -> Iterator[State]:
    """The states of ``todo`` (which grows while they are taken), each once."""
    seen: set[State] = set()
    while todo:
        state = todo.popleft()
        if state not in seen:
            seen.add(state)
            if len(seen) > limit:
                raise TooLarge(f"more than {limit} nodes to follow")
            yield state


def neighbourhood(reach: Reach, view: StoreView, focus: Iterable[Term], *, limit: int) -> set[ox.Quad]:
    """Every quad the validation of the ``focus`` nodes can read. A gated shape is entered only
    from the nodes it targets: its targets only grow with the data, so a node it does not
    target in the store is no target in any part of it, and needs nothing read."""
    walk, targets = _Walk(reach), Targets(reach, view)
    found: set[ox.Quad] = set()
    todo: deque[State] = deque()
    for node in focus:
        passing = targets.of(node)
        todo.extend((start, node) for start, gate in walk.gated.items() if gate in passing)
        todo.extend((start, node) for start in walk.open_starts)
    for variable, node in _states(todo, limit):
        for predicate, direction, target in walk.forward.get(variable, ()):
            if direction == "e" or (direction == "g" and predicate in targets.of(node)):
                todo.append((target, node))
            elif direction == "f":
                for quad in view.outgoing(node, predicate):
                    found.add(quad)
                    todo.append((target, quad.object))
            elif direction == "b":
                for quad in view.incoming(node, predicate):
                    found.add(quad)
                    todo.append((target, quad.subject))
    return found


def affected(reach: Reach, view: StoreView, changed: Iterable[ox.Triple], *, limit: int) -> set[Term]:
    """Every focus node whose validation can read one of the ``changed`` triples, in the
    store's data or in the data before the change (the triples may be gone from the store).

    A changed triple ``(s, p, o)`` is read by a step ``(u, p, "f", w)`` from ``(u, s)`` and by
    ``(u, p, "b", w)`` from ``(u, o)``; the focus nodes are those from which such a state is
    reached, found by following the steps backwards through the store (a shape's start
    variable is entered only from the root: a state there names a focus node). A gated step
    is followed back only from a node the shape targets in the store: a node it targets in
    neither data has no results from it, and one whose targeting changed is found through the
    changed triples its targets read (steps before the gate)."""
    walk, targets = _Walk(reach), Targets(reach, view)
    focus: set[Term] = set()
    todo: deque[State] = deque()
    for triple in changed:
        for source, direction in (*walk.reading.get(triple.predicate.value, ()), *walk.reading.get(None, ())):
            node = triple.subject if direction == "f" else triple.object
            if source in walk.starts:
                focus.add(node)
            else:
                todo.append((source, node))
    for variable, node in _states(todo, limit):
        for source, predicate, direction in walk.backward.get(variable, ()):
            if direction == "e" or (direction == "g" and predicate in targets.of(node)):
                before: Iterable[Term] = (node,)
            elif direction == "f":
                before = (quad.subject for quad in view.incoming(node, predicate))
            elif direction == "b":
                before = (quad.object for quad in view.outgoing(node, predicate))
            else:
                continue
            if source in walk.starts:
                focus.update(before)
            else:
                todo.extend((source, earlier) for earlier in before)
    return focus
