"""What validating a focus node can read: the shapes compiled into a graph of read steps.

Incremental validation (:mod:`plangraf.check.incremental`) needs, for any focus node, a set of
triples that holds everything its validation depends on, and for any changed triple, the
focus nodes whose validation it can change. Both come from one structure derived from the
shapes: a set of *read steps* between variables. Variable 0 stands for the focus nodes; a
step ``(u, p, "f", w)`` says "for a node ``x`` that ``u`` can take, every triple
``(x, p, y)`` may be read, and ``w`` can take ``y``" (``"b"``: triples ``(y, p, x)``; ``p``
``None``: any predicate; ``"e"``: ``w`` can take ``x`` itself, nothing read; ``"g"``: so can
it, if ``x`` is a target of the shape whose gate ``p`` names). Following the
steps from a focus node through the data (:mod:`plangraf.check.neighbourhood`) gives its
*neighbourhood*: every triple its validation can look at.

SHACL Core is compiled exactly as the specification evaluates it, from the focus node
forwards: a target (``sh:targetClass`` reads the node's types and their superclasses,
``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` the node's triples with that predicate),
a property shape's path (sequences, inverse, alternative and repeated paths), ``sh:class``
(the value's types and their ``rdfs:subClassOf`` chains), the nested shapes of ``sh:node``,
``sh:property``, ``sh:and``, ``sh:or``, ``sh:xone``, ``sh:not`` and
``sh:qualifiedValueShape``, the other property of ``sh:equals``, ``sh:disjoint``,
``sh:lessThan`` and ``sh:lessThanOrEquals``, and every triple of the value for
``sh:closed``. The other Core constraints look at the value node alone. SHACL-SPARQL
constraints and targets are analysed by :mod:`plangraf.check.reach_sparql`.

Anything else (a constraint component of its own, SHACL rules, a parameter this module does
not know, a SPARQL query it cannot bound) raises :class:`Unbounded`: validation is then
always done in full.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from plangraf.check.steps import ROOT, Gate, Reach, Unbounded
from plangraf.rdf.namespaces import SH

# Parameters and properties of a shape that read nothing but the value node itself, or name it.
_LOCAL = {
    SH[name]
    for name in (
        "datatype nodeKind minCount maxCount minInclusive maxInclusive minExclusive maxExclusive minLength "
        "maxLength pattern flags languageIn uniqueLang in hasValue ignoredProperties qualifiedMinCount "
        "qualifiedMaxCount severity message deactivated name description order group defaultValue"
    ).split()
}
_STRUCTURE = {
    SH[name]
    for name in (
        "path property node and or xone not class equals disjoint lessThan lessThanOrEquals closed "
        "qualifiedValueShape qualifiedValueShapesDisjoint sparql targetClass targetNode targetSubjectsOf "
        "targetObjectsOf target"
    ).split()
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)


def compile_shapes(shapes: Graph) -> Reach:
    """The read steps of every shape with a target (:class:`Unbounded` if some cannot be bounded)."""
    if (None, RDF.type, SH.ConstraintComponent) in shapes or (None, RDF.type, SH.SPARQLConstraintComponent) in shapes:
        raise Unbounded("the shapes declare constraint components of their own")
    compiler = _Compiler(shapes)
    for shape in sorted(_targeted(shapes), key=str):
        compiler.top(shape)
    return compiler.reach


def _targeted(shapes: Graph) -> set[Node]:
    found = {s for target in _TARGETS for s in shapes.subjects(target, None)}
    for kind in _SHAPE_TYPES:
        for shape in shapes.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
                found.add(shape)  # an implicit class target
    return found


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.reach = Reach()
        self.focus: dict[Node, int] = {}

    def top(self, shape: Node) -> None:
        """A shape with targets: its targets' reads, then, for a node it targets, its
        constraints' reads. The targets of SHACL Core only grow with the data, so a node the
        shape does not target in the data is not a target in any part of it either: its
        constraints need nothing read (the gate). A SPARQL-based target has no gate."""
        s, reach = self.shapes, self.reach
        start = reach.new()
        reach.step(ROOT, None, "e", start)
        gate: Gate = []
        classes = [_iri(c) for c in s.objects(shape, SH.targetClass)]
        if (shape, RDF.type, RDFS.Class) in s or (shape, RDF.type, OWL.Class) in s:
            classes.append(_iri(shape))
        if classes:
            self._instance_of(start)  # one read of the node's types serves every class
            gate.extend(("class", c) for c in classes)
        for predicate in s.objects(shape, SH.targetSubjectsOf):
            reach.step(start, _iri(predicate), "f", reach.new())
            gate.append(("subjects", _iri(predicate)))
        for predicate in s.objects(shape, SH.targetObjectsOf):
            reach.step(start, _iri(predicate), "b", reach.new())
            gate.append(("objects", _iri(predicate)))
        for node in s.objects(shape, SH.targetNode):
            gate.append(("node", str(node)) if isinstance(node, URIRef) else ("any", ""))
        sparql = list(s.objects(shape, SH.target))
        for target in sparql:
            self._sparql(target, start)
        if sparql or ("any", "") in gate:
            reach.step(start, None, "e", self.shape(shape))
        else:
            name = str(len(reach.gates))
            reach.gates[name] = gate
            reach.step(start, name, "g", self.shape(shape))

    def shape(self, shape: Node) -> int:
        """The variable of ``shape``'s focus nodes, its constraints compiled once (shapes may recur)."""
        if shape in self.focus:
            return self.focus[shape]
        focus = self.focus[shape] = self.reach.new()
        unknown = {p for p in self.shapes.predicates(shape, None) if str(p).startswith(str(SH))} - _LOCAL - _STRUCTURE
        if unknown:
            raise Unbounded(f"{shape} uses {', '.join(sorted(map(str, unknown)))}")
        path = self.shapes.value(shape, SH.path)
        value = focus
        if path is not None:
            value = self.reach.new()
            self._path(path, focus, value)
        self._constraints(shape, focus, value)
        return focus

    def _constraints(self, shape: Node, focus: int, value: int) -> None:
        s, reach = self.shapes, self.reach
        for _ in s.objects(shape, SH["class"]):
            self._instance_of(value)
        for nested in (*s.objects(shape, SH.node), *s.objects(shape, SH.property), *s.objects(shape, SH["not"])):
            reach.step(value, None, "e", self.shape(nested))
        for combination in (SH["and"], SH["or"], SH.xone):
            for members in s.objects(shape, combination):
                for member in self._list(members):
                    reach.step(value, None, "e", self.shape(member))
        for qualified in s.objects(shape, SH.qualifiedValueShape):
            reach.step(value, None, "e", self.shape(qualified))
            if (shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in s:
                for sibling in self._siblings(shape):
                    reach.step(value, None, "e", self.shape(sibling))
        for compared in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
            for predicate in s.objects(shape, compared):
                reach.step(focus, _iri(predicate), "f", reach.new())
        if (shape, SH.closed, Literal(True)) in s:
            reach.step(value, None, "f", reach.new())
        for constraint in s.objects(shape, SH.sparql):
            self._sparql(constraint, focus)

    def _siblings(self, shape: Node) -> Iterator[Node]:
        for parent in self.shapes.subjects(SH.property, shape):
            for other in self.shapes.objects(parent, SH.property):
                yield from self.shapes.objects(other, SH.qualifiedValueShape)

    def _instance_of(self, variable: int) -> None:
        """A SHACL instance check: the node's types, then each type's superclasses."""
        types = self.reach.new()
        self.reach.step(variable, str(RDF.type), "f", types)
        self.reach.step(types, str(RDFS.subClassOf), "f", types)

    def _path(self, path: Node, source: int, target: int) -> None:
        """Steps from ``source`` to ``target`` along a SHACL property path."""
        s, reach = self.shapes, self.reach
        if isinstance(path, URIRef):
            reach.step(source, str(path), "f", target)
        elif (path, RDF.first, None) in s:  # a sequence
            members = self._list(path)
            here = source
            for n, member in enumerate(members):
                there = target if n == len(members) - 1 else reach.new()
                self._path(member, here, there)
                here = there
            if not members:
                raise Unbounded("an empty sequence path")
        elif (inverse := s.value(path, SH.inversePath)) is not None:
            if not isinstance(inverse, URIRef):
                raise Unbounded("an inverse of a complex path")
            reach.step(source, str(inverse), "b", target)
        elif (alternatives := s.value(path, SH.alternativePath)) is not None:
            for member in self._list(alternatives):
                self._path(member, source, target)
        else:
            self._repeated(path, source, target)

    def _repeated(self, path: Node, source: int, target: int) -> None:
        s, reach = self.shapes, self.reach
        for kind, zero in ((SH.zeroOrMorePath, True), (SH.oneOrMorePath, False), (SH.zeroOrOnePath, True)):
            inner = s.value(path, kind)
            if inner is None:
                continue
            middle = reach.new()
            reach.step(source, None, "e", middle)
            after = reach.new()
            self._path(inner, middle, after)
            if kind != SH.zeroOrOnePath:
                reach.step(after, None, "e", middle)  # around again
            reach.step(after, None, "e", target)
            if zero:
                reach.step(source, None, "e", target)
            return
        raise Unbounded(f"a property path this module does not know: {path}")

    def _list(self, node: Node) -> list[Node]:
        if node == RDF.nil:
            return []
        if not isinstance(node, BNode | URIRef) or (node, RDF.first, None) not in self.shapes:
            raise Unbounded(f"not a list: {node}")
        return list(Collection(self.shapes, node))

    def _sparql(self, node: Node, this: int) -> None:
        from plangraf.check.reach_sparql import sparql_steps

        if (node, SH.select, None) not in self.shapes:
            raise Unbounded(f"a SPARQL-based target or constraint without sh:select: {node}")
        sparql_steps(self.shapes, node, this, self.reach)


def _iri(term: Node) -> str:
    if not isinstance(term, URIRef):
        raise Unbounded(f"expected an IRI, found {term}")
    return str(term)
