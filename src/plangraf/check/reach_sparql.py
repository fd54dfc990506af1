"""What a SHACL-SPARQL constraint or target can read: its query compiled into read steps.

A query is evaluated with ``$this`` bound to one focus node. Its result depends only on the
triples its solutions (and the solutions of its ``OPTIONAL``, ``UNION`` and ``EXISTS`` parts)
can match. If every variable of every triple pattern is *anchored* — its value, in any such
solution, is reachable from ``$this`` through triple patterns that solution matches — then
those triples are all found by following the patterns from ``$this`` through the data, and
the query gives the same answer on any part of the data that holds them.

Anchoring is decided on the query's algebra, scope by scope (SPARQL 1.1, 18.2):

- in a basic graph pattern a variable is anchored when a triple pattern (or property path)
  joins it to an anchored variable; ``$this`` is anchored, a constant anchors nothing;
- ``Join``: each side may use what the other anchors (iterated to a fixpoint);
- ``LeftJoin`` (``OPTIONAL``): the right side may use what the left anchors, never the
  reverse, and what only the right side anchors is *maybe* anchored (it may stay unbound);
- ``Union``: anchored when anchored in both branches; each branch is checked on its own;
- ``FILTER`` and ``BIND`` expressions: the pattern of an ``EXISTS`` / ``NOT EXISTS`` is
  checked with the variables of its scope anchored; ``BIND (COALESCE(?a, ?b) AS ?c)`` (or
  ``BIND (?a AS ?c)``) anchors ``?c`` when every argument is anchored or maybe anchored and
  one is anchored;
- a variable in predicate position stands for any predicate; where the same variable is also
  a node, it is anchored only as a node is (the predicates a step reads add no nodes).

Sub-queries, ``MINUS``, ``GRAPH``, ``VALUES``, ``SERVICE``, aggregates, ``FROM`` and the
pre-bound ``$PATH``, ``$currentShape`` and ``$shapesGraph`` are not analysed: a query with
any of them, or with a variable that is not anchored, is :class:`~plangraf.check.reach.Unbounded`.

The steps: each triple pattern is followed in the direction in which it anchored a variable
(every direction it did so in any pass), or from its subject when both ends were anchored
otherwise; never into ``$this`` (it is bound) and never out of a constant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.term import Node

from plangraf.check.steps import Reach, Unbounded
from plangraf.rdf.namespaces import SH

THIS = Variable("this")
_PREBOUND = {Variable("PATH"), Variable("currentShape"), Variable("shapesGraph")}
_PASS = ("Project", "Distinct", "Reduced", "Slice", "OrderBy")  # a sub-select is ToMultiSet: not analysed
Pattern = tuple[Node, Any, Node]


def sparql_steps(shapes: Graph, node: Node, this: int, reach: Reach) -> None:
    """Add to ``reach`` the steps of the SPARQL target or constraint ``node``, whose
    ``$this`` is the variable ``this``."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    text = "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(_prefixes(shapes, node))) + str(
        shapes.value(node, SH.select)
    )
    try:
        query = translateQuery(parseQuery(text))
    except Exception as exc:  # noqa: BLE001 - a query rdflib cannot read is one this module cannot bound
        raise Unbounded(f"the query of {node} does not parse ({exc})") from None
    algebra = query.algebra
    if algebra.name != "SelectQuery" or algebra.get("datasetClause"):
        raise Unbounded(f"the query of {node} is not a plain SELECT")
    analysis = _Analysis()
    analysis.anchored(algebra.p, frozenset(), strict=True)
    analysis.emit(reach, this)


def _prefixes(shapes: Graph, node: Node) -> Iterator[tuple[str, str]]:
    seen: set[Node] = set()
    todo = list(shapes.objects(node, SH.prefixes))
    while todo:
        holder = todo.pop()
        if holder in seen:
            continue
        seen.add(holder)
        todo.extend(shapes.objects(holder, OWL.imports))
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                yield str(prefix), str(namespace)


def _is_var(term: Any) -> bool:
    return isinstance(term, Variable | BNode)


class _Analysis:
    def __init__(self) -> None:
        self.patterns: dict[int, Pattern] = {}  # by id of the pattern tuple in the algebra
        self.oriented: set[tuple[int, bool]] = set()  # (pattern, from its subject)
        self.aliases: set[tuple[Node, Node]] = set()  # BIND: (argument, variable)

    # -- anchoring

    def anchored(self, node: Any, ctx: frozenset[Node], *, strict: bool) -> tuple[set[Node], set[Node]]:
        """The variables ``node``'s solutions certainly bind to anchored values, and those they
        maybe bind so; with ``strict``, :class:`Unbounded` for a triple pattern left unanchored."""
        name = node.name
        if name == "BGP":
            return self._bgp(node.triples, ctx, strict), set()
        if name == "Join":
            return self._join(node.p1, node.p2, ctx, strict)
        if name == "LeftJoin":
            left, maybe_left = self.anchored(node.p1, ctx, strict=strict)
            right, maybe_right = self.anchored(node.p2, ctx | left, strict=strict)
            self._exists(node.expr, ctx | left | right, strict)
            return left, maybe_left | maybe_right | (right - left)
        if name == "Filter":
            found, maybe = self.anchored(node.p, ctx, strict=strict)
            self._exists(node.expr, ctx | found, strict)
            return found, maybe
        if name == "Extend":
            found, maybe = self.anchored(node.p, ctx, strict=strict)
            self._exists(node.expr, ctx | found, strict)
            return self._bind(node.var, node.expr, found, maybe)
        if name == "Union":
            a1, m1 = self.anchored(node.p1, ctx, strict=strict)
            a2, m2 = self.anchored(node.p2, ctx, strict=strict)
            both = a1 & a2
            return both, (a1 | a2 | m1 | m2) - both
        if name in _PASS:
            if name == "OrderBy":
                self._exists(node.expr, ctx, strict)
            return self.anchored(node.p, ctx, strict=strict)
        raise Unbounded(f"a query with {name} is not analysed")

    def _bgp(self, triples: list[Pattern], ctx: frozenset[Node], strict: bool) -> set[Node]:
        known = set(ctx) | {THIS}
        for pattern in triples:
            self._register(pattern)
        changed = True
        while changed:
            changed = False
            for pattern in triples:
                s, _, o = pattern
                if _is_var(s) and s in known and _is_var(o) and o not in known:
                    known.add(o)
                    self.oriented.add((id(pattern), True))
                    changed = True
                elif _is_var(o) and o in known and _is_var(s) and s not in known:
                    known.add(s)
                    self.oriented.add((id(pattern), False))
                    changed = True
        if strict:
            for s, _, o in triples:
                loose = [term for term in (s, o) if _is_var(term) and term not in known]
                if loose:
                    raise Unbounded(f"?{loose[0]} is not joined to $this")
        return known

    def _register(self, pattern: Pattern) -> None:
        s, p, o = pattern
        self.patterns[id(pattern)] = pattern
        for term in (s, p, o):
            if term in _PREBOUND:
                raise Unbounded(f"${term} is not analysed")
        if not _is_var(s) and not _is_var(o):
            raise Unbounded("a triple pattern without a variable node")

    def _join(self, p1: Any, p2: Any, ctx: frozenset[Node], strict: bool) -> tuple[set[Node], set[Node]]:
        a1, _ = self.anchored(p1, ctx, strict=False)
        a2, _ = self.anchored(p2, ctx | a1, strict=False)
        while True:
            n1, _ = self.anchored(p1, ctx | a2, strict=False)
            n2, _ = self.anchored(p2, ctx | n1, strict=False)
            if n1 == a1 and n2 == a2:
                break
            a1, a2 = n1, n2
        a1, m1 = self.anchored(p1, ctx | a2, strict=strict)
        a2, m2 = self.anchored(p2, ctx | a1, strict=strict)
        return a1 | a2, (m1 | m2) - (a1 | a2)

    def _bind(self, var: Node, expr: Any, found: set[Node], maybe: set[Node]) -> tuple[set[Node], set[Node]]:
        if isinstance(expr, Variable):
            arguments = [expr]
        elif getattr(expr, "name", None) == "Builtin_COALESCE" and all(isinstance(a, Variable) for a in expr.arg):
            arguments = list(expr.arg)
        else:
            return found, maybe  # a computed value: never a node a pattern may start from
        if not all(a in found or a in maybe for a in arguments):
            return found, maybe
        for argument in arguments:
            self.aliases.add((argument, var))
        if any(a in found for a in arguments):
            return found | {var}, maybe
        return found, maybe | {var}

    def _exists(self, expr: Any, ctx: frozenset[Node], strict: bool) -> None:
        from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

        for node in _expressions(expr):
            if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                graph = node.graph
                if graph.name == "GroupGraphPatternSub":
                    graph = node.graph = translateGroupGraphPattern(graph)
                self.anchored(graph, ctx, strict=strict)

    # -- steps

    def emit(self, reach: Reach, this: int) -> None:
        ids: dict[Node, int] = {THIS: this}

        def var(term: Node) -> int:
            if not _is_var(term):
                return reach.new()  # a constant: a step may end there, never start
            if term not in ids:
                ids[term] = reach.new()
            return ids[term]

        for key, (s, p, o) in sorted(self.patterns.items()):
            directions = {forward for pid, forward in self.oriented if pid == key}
            if not directions:
                directions = {_is_var(s)}  # both ends anchored otherwise: from the subject
            for forward in directions:
                start, end = (s, o) if forward else (o, s)
                # $this is bound: a step ending there reads what it must, but adds no node to it
                _path(reach, p, var(start), reach.new() if end == THIS else var(end), inverted=not forward)
        for argument, variable in sorted(self.aliases, key=str):
            reach.step(var(argument), None, "e", var(variable))


def _expressions(expr: Any) -> Iterator[Any]:
    """Every expression node inside ``expr`` (EXISTS patterns are not entered)."""
    if isinstance(expr, list | tuple):
        for item in expr:
            yield from _expressions(item)
        return
    if not hasattr(expr, "name") or isinstance(expr, URIRef | Literal | Variable | BNode):
        return
    yield expr
    if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return
    for key, value in expr.items():
        if key != "_vars":
            yield from _expressions(value)


def _path(reach: Reach, path: Any, source: int, target: int, *, inverted: bool) -> None:
    """Steps from ``source`` to ``target`` along ``path``, read backwards when ``inverted``."""
    if isinstance(path, URIRef):
        reach.step(source, str(path), "b" if inverted else "f", target)
    elif isinstance(path, Variable):
        reach.step(source, None, "b" if inverted else "f", target)
    elif isinstance(path, InvPath):
        _path(reach, path.arg, source, target, inverted=not inverted)
    elif isinstance(path, SequencePath):
        parts = list(reversed(path.args)) if inverted else list(path.args)
        here = source
        for n, part in enumerate(parts):
            there = target if n == len(parts) - 1 else reach.new()
            _path(reach, part, here, there, inverted=inverted)
            here = there
    elif isinstance(path, AlternativePath):
        for part in path.args:
            _path(reach, part, source, target, inverted=inverted)
    elif isinstance(path, MulPath):
        middle, after = reach.new(), reach.new()
        reach.step(source, None, "e", middle)
        _path(reach, path.path, middle, after, inverted=inverted)
        if path.more:
            reach.step(after, None, "e", middle)
        reach.step(after, None, "e", target)
        if path.zero:
            reach.step(source, None, "e", target)
    elif isinstance(path, NegatedPath):
        reach.step(source, None, "f", target)
        reach.step(source, None, "b", target)
    else:
        raise Unbounded(f"a property path this module does not know: {path}")
