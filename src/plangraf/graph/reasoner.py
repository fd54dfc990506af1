"""A targeted forward-chaining reasoner: the OWL 2 RL entailments plangraf's ontology needs.

owlrl computes the full OWL 2 RL closure by re-running every rule over the whole graph until
nothing changes; on a national-scale study that takes minutes. This module computes the same
entailments for the constructs the graph actually uses, read generically from the graph itself
(no plangraf term is hard-coded):

- schema rules (``scm-cls``, ``scm-sco``, ``scm-op``, ``scm-dp``, ``scm-spo``, ``scm-eqc1/2``,
  ``scm-eqp1/2``, ``scm-dom1/2``, ``scm-rng1/2``): class and property hierarchies with their
  reflexive and transitive closure, equivalences, domains and ranges inherited along them;
- instance rules (``cax-sco``, ``cax-eqc1/2``, ``prp-dom``, ``prp-rng``, ``prp-spo1``,
  ``prp-spo2`` for property chains of any length, ``prp-eqp1/2``, ``prp-inv1/2``, ``prp-symp``,
  ``prp-trp``), evaluated with a work list so every triple is joined once against what is known
  (semi-naive evaluation) until a fixpoint.

Generalised triples (a literal as subject) are kept while reasoning, as owlrl does, and removed
by :func:`plangraf.graph.inference.filter_inferred` afterwards. Constructs outside this set (``owl:sameAs``,
functional properties, restrictions, class expressions, keys, disjointness …) are reported by
:func:`unsupported`; :func:`plangraf.graph.inference.infer` then falls back to owlrl, so the answer never
changes. ``tests/test_reasoner.py`` checks the result is identical to owlrl's on the study data
and on the reasoning fixture.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable

from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# Vocabulary whose semantics this reasoner does not implement; with any of it present, use owlrl.
_UNSUPPORTED_PREDICATES = {
    OWL.sameAs,
    OWL.differentFrom,
    OWL.hasKey,
    OWL.onProperty,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.cardinality,
    OWL.minCardinality,
    OWL.qualifiedCardinality,
    OWL.minQualifiedCardinality,
    OWL.disjointWith,
    OWL.propertyDisjointWith,
    OWL.members,
    OWL.distinctMembers,
    OWL.disjointUnionOf,
    OWL.sourceIndividual,
    OWL.withRestrictions,
    OWL.onDatatype,
    OWL.datatypeComplementOf,
}
_UNSUPPORTED_TYPES = {
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.AsymmetricProperty,
    OWL.IrreflexiveProperty,
    OWL.AllDisjointClasses,
    OWL.AllDisjointProperties,
    OWL.AllDifferent,
    OWL.NegativePropertyAssertion,
    OWL.Restriction,
}
# Predicates and types that are schema: if the instance rules derive one, the schema is recomputed.
_SCHEMA_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    RDF.first,
    RDF.rest,
}
_SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.TransitiveProperty, OWL.SymmetricProperty}


class Vocabulary:
    """The RDF, RDFS and OWL terms the rules name, in the representation the facts use: rdflib
    terms by default, or any other (such as the integer ids of :mod:`plangraf.rdf.termids`)
    through ``encode``, which maps each rdflib term to it. The rules compare terms only for
    equality, so the closure is the same in any one-to-one representation."""

    def __init__(self, encode: Callable[[Node], Node] = lambda term: term) -> None:
        self.type = encode(RDF.type)
        self.first, self.rest, self.nil = encode(RDF.first), encode(RDF.rest), encode(RDF.nil)
        self.sub_class, self.sub_property = encode(RDFS.subClassOf), encode(RDFS.subPropertyOf)
        self.domain, self.range = encode(RDFS.domain), encode(RDFS.range)
        self.equivalent_class, self.equivalent_property = encode(OWL.equivalentClass), encode(OWL.equivalentProperty)
        self.inverse_of, self.chain_axiom = encode(OWL.inverseOf), encode(OWL.propertyChainAxiom)
        self.owl_class, self.thing, self.nothing = encode(OWL.Class), encode(OWL.Thing), encode(OWL.Nothing)
        self.object_property, self.datatype_property = encode(OWL.ObjectProperty), encode(OWL.DatatypeProperty)
        self.symmetric, self.transitive = encode(OWL.SymmetricProperty), encode(OWL.TransitiveProperty)
        self.same_as = encode(OWL.sameAs)
        self.schema_predicates = {encode(t) for t in _SCHEMA_PREDICATES}
        self.schema_types = {encode(t) for t in _SCHEMA_TYPES}
        self.unsupported_predicates = {encode(t): str(t) for t in _UNSUPPORTED_PREDICATES}
        self.unsupported_types = {encode(t): str(t) for t in _UNSUPPORTED_TYPES}


RDFLIB = Vocabulary()


def unsupported(triples: Iterable[Triple], vocab: Vocabulary = RDFLIB) -> list[str]:
    """The OWL constructs in ``triples`` this reasoner does not implement (empty: it is exact)."""
    found: set[str] = set()
    predicates, types = vocab.unsupported_predicates, vocab.unsupported_types
    rdf_type, same_as = vocab.type, vocab.same_as
    for s, p, o in triples:
        if p in predicates and not (p == same_as and s == o):
            found.add(predicates[p])
        elif p == rdf_type and o in types:
            found.add(types[o])
    return sorted(found)


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    """Transitive closure of a small relation (schema size): node -> every node reachable."""
    result: dict[Node, set[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        result[start] = seen
    return result


def _rdf_list(facts: dict[Node, dict[Node, set[Node]]], head: Node, vocab: Vocabulary) -> list[Node] | None:
    items: list[Node] = []
    seen: set[Node] = set()
    while head != vocab.nil:
        if head in seen:
            return None
        seen.add(head)
        firsts = facts[vocab.first].get(head, set())
        rests = facts[vocab.rest].get(head, set())
        if len(firsts) != 1 or len(rests) != 1:
            return None
        items.append(next(iter(firsts)))
        head = next(iter(rests))
    return items


class _Schema:
    """The schema closure of a set of facts and the lookup tables the instance rules use."""

    def __init__(
        self, by_pred: dict[Node, dict[Node, set[Node]]], typed: dict[Node, set[Node]], vocab: Vocabulary = RDFLIB
    ) -> None:
        """``by_pred`` indexes (at least) the schema predicates' facts by subject, ``typed`` the
        subjects of each schema type (:attr:`Vocabulary.schema_types`)."""
        v = self.vocab = vocab

        def pairs(p: Node) -> Iterable[tuple[Node, Node]]:
            for s, objects in by_pred.get(p, {}).items():
                for o in objects:
                    yield s, o

        def typed_as(cls: Node) -> set[Node]:
            return set(typed.get(cls, ()))

        self.triples: set[Triple] = set()
        # Classes: scm-cls, scm-sco, scm-eqc1, scm-eqc2.
        self.superclasses = self._hierarchy(
            pairs, v.sub_class, v.equivalent_class, typed_as(v.owl_class), top=v.thing, bottom=v.nothing
        )
        # Properties: scm-op, scm-dp, scm-spo, scm-eqp1, scm-eqp2.
        properties = typed_as(v.object_property) | typed_as(v.datatype_property)
        self.superproperties = self._hierarchy(pairs, v.sub_property, v.equivalent_property, properties)
        # Domains and ranges: scm-dom1/2, scm-rng1/2 (closed along both hierarchies).
        self.domains = self._inherit(pairs(v.domain), v.domain)
        self.ranges = self._inherit(pairs(v.range), v.range)
        # prp-inv1/2, prp-symp, prp-trp, prp-spo2.
        self.inverses: dict[Node, set[Node]] = defaultdict(set)
        for p1, p2 in pairs(v.inverse_of):
            self.inverses[p1].add(p2)
            self.inverses[p2].add(p1)
        self.symmetric = typed_as(v.symmetric)
        self.transitive = typed_as(v.transitive)
        self.chains: dict[Node, list[tuple[Node, tuple[Node, ...], int]]] = defaultdict(list)
        for prop, head in pairs(v.chain_axiom):
            chain = _rdf_list(by_pred, head, v)
            if not chain:
                continue
            for i, link in enumerate(chain):
                self.chains[link].append((prop, tuple(chain), i))
        # Predicates whose facts must be indexed for joins.
        self.joined = set(self.transitive) | set(self.chains)

    def _hierarchy(
        self,
        pairs: Callable[[Node], Iterable[tuple[Node, Node]]],
        sub: Node,
        equivalent: Node,
        members: set[Node],
        top: Node | None = None,
        bottom: Node | None = None,
    ) -> dict[Node, set[Node]]:
        """A class or property hierarchy closed reflexively and transitively: ``sub`` edges,
        ``equivalent`` both ways, each member its own equivalent (and under ``top``, over
        ``bottom`` for classes); the entailed ``sub`` and ``equivalent`` triples are recorded."""
        edges: dict[Node, set[Node]] = defaultdict(set)
        for a, b in pairs(sub):
            edges[a].add(b)
        for a, b in pairs(equivalent):
            edges[a].add(b)
            edges[b].add(a)
            self.triples.add((a, sub, b))
            self.triples.add((b, sub, a))
        for member in members:
            edges[member].add(member)
            if top is not None:
                edges[member].add(top)
            if bottom is not None:
                edges[bottom].add(member)
            self.triples.add((member, equivalent, member))
        closed = _closure(edges)
        for a, supers in closed.items():
            for b in supers:
                self.triples.add((a, sub, b))
                if a in closed.get(b, ()):
                    self.triples.add((a, equivalent, b))
        return closed

    def _inherit(self, direct: Iterable[tuple[Node, Node]], predicate: Node) -> dict[Node, set[Node]]:
        by_prop: dict[Node, set[Node]] = defaultdict(set)
        for p, c in direct:
            by_prop[p].add(c)
        result: dict[Node, set[Node]] = defaultdict(set)
        props = set(by_prop) | set(self.superproperties)
        for p in props:
            for q in {p} | self.superproperties.get(p, set()):
                for c in by_prop.get(q, ()):
                    result[p].add(c)
                    result[p].update(self.superclasses.get(c, ()))
        for p, classes in result.items():
            for c in classes:
                self.triples.add((p, predicate, c))
        return result


class _Reasoner:
    """The facts, and the indexes the rules look up: only the schema predicates (by subject),
    the subjects of each schema type, and the joined predicates (:attr:`_Schema.joined`, both
    ways) are indexed; the other facts, most of a study, are only kept in :attr:`facts`."""

    def __init__(self, triples: Iterable[Triple], vocab: Vocabulary = RDFLIB) -> None:
        self.vocab = vocab
        self.facts: set[Triple] = set()
        self.by_pred: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.inv_index: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.typed: dict[Node, set[Node]] = defaultdict(set)
        self.joined: set[Node] = set()
        self.queue: deque[Triple] = deque()
        self.add_all(triples)

    def add_all(self, triples: Iterable[Triple]) -> None:
        """Add facts without queueing them (:meth:`run` joins every fact)."""
        new = set(triples) - self.facts
        self.facts |= new
        self._index(new)

    def _index(self, triples: Iterable[Triple]) -> None:
        vocab = self.vocab
        schema_predicates, schema_types, rdf_type = vocab.schema_predicates, vocab.schema_types, vocab.type
        joined, by_pred, inv_index = self.joined, self.by_pred, self.inv_index
        for s, p, o in triples:
            if p in joined:
                by_pred[p][s].add(o)
                inv_index[p][o].add(s)
            elif p in schema_predicates:
                by_pred[p][s].add(o)
            if p == rdf_type and o in schema_types:
                self.typed[o].add(s)

    def _join_on(self, predicates: set[Node]) -> None:
        """Index the facts of ``predicates`` both ways from now on (a schema that grew)."""
        new = predicates - self.joined
        if not new:
            return
        self.joined |= new
        by_pred, inv_index = self.by_pred, self.inv_index
        for s, p, o in self.facts:
            if p in new:
                by_pred[p][s].add(o)
                inv_index[p][o].add(s)

    def _add(self, t: Triple) -> None:
        if t in self.facts:
            return
        self.facts.add(t)
        s, p, o = t
        vocab = self.vocab
        if p in self.joined:
            self.by_pred[p][s].add(o)
            self.inv_index[p][o].add(s)
        elif p in vocab.schema_predicates:
            self.by_pred[p][s].add(o)
        if p == vocab.type and o in vocab.schema_types:
            self.typed[o].add(s)
        self.queue.append(t)

    def schema(self) -> _Schema:
        """The schema of the facts now, with its joined predicates indexed."""
        schema = _Schema(self.by_pred, self.typed, self.vocab)
        self._join_on(schema.joined)
        return schema

    def run(self) -> set[Triple]:
        while True:
            schema = self.schema()
            for t in schema.triples:
                self._add(t)
            # Every fact is (re)joined against the schema: a changed schema can apply to old facts.
            self.queue = deque(self.facts)
            schema_size = self._schema_size()
            self._fixpoint(schema)
            if self._schema_size() == schema_size:
                return self.facts

    def _schema_size(self) -> int:
        vocab = self.vocab
        size = sum(len(objs) for p in vocab.schema_predicates for objs in self.by_pred.get(p, {}).values())
        return size + sum(len(subjects) for subjects in self.typed.values())

    def _fixpoint(self, schema: _Schema) -> None:
        add = self._add
        superclasses = schema.superclasses
        superproperties = schema.superproperties
        domains = schema.domains
        ranges = schema.ranges
        inverses = schema.inverses
        symmetric = schema.symmetric
        transitive = schema.transitive
        chains = schema.chains
        by_pred = self.by_pred
        inv_index = self.inv_index
        queue = self.queue
        rdf_type = self.vocab.type
        while queue:
            s, p, o = queue.popleft()
            if p == rdf_type:
                for c in superclasses.get(o, ()):  # cax-sco, cax-eqc
                    add((s, rdf_type, c))
            for q in superproperties.get(p, ()):  # prp-spo1, prp-eqp
                add((s, q, o))
            for c in domains.get(p, ()):  # prp-dom
                add((s, rdf_type, c))
            for c in ranges.get(p, ()):  # prp-rng
                add((o, rdf_type, c))
            for q in inverses.get(p, ()):  # prp-inv1/2
                add((o, q, s))
            if p in symmetric:  # prp-symp
                add((o, p, s))
            if p in transitive:  # prp-trp
                for x in list(inv_index[p].get(s, ())):
                    add((x, p, o))
                for y in list(by_pred[p].get(o, ())):
                    add((s, p, y))
            for prop, chain, i in chains.get(p, ()):  # prp-spo2
                lefts = {s}
                for link in reversed(chain[:i]):
                    lefts = {x for node in lefts for x in inv_index[link].get(node, ())}
                    if not lefts:
                        break
                if not lefts:
                    continue
                rights = {o}
                for link in chain[i + 1 :]:
                    rights = {y for node in rights for y in by_pred[link].get(node, ())}
                    if not rights:
                        break
                for x in lefts:
                    for y in rights:
                        add((x, prop, y))


class Saturated:
    """The closure of a fixed set of triples, kept with its indexes so that the closure of
    those triples plus a few more is computed from it rather than from scratch
    (:meth:`extended`). Used for the readings of a study, which share the ontology and the
    reference data and differ in some study triples."""

    def __init__(self, triples: Iterable[Triple], vocab: Vocabulary = RDFLIB) -> None:
        self._reasoner = _Reasoner(triples, vocab)
        self._reasoner.run()
        self.facts: frozenset[Triple] = frozenset(self._reasoner.facts)
        self.schema = self._reasoner.schema()

    def extended(self, new: Iterable[Triple]) -> set[Triple]:
        """``closure(self.facts | new)``, equal to :func:`closure` of the same triples.

        The new triples are joined semi-naively against the saturated facts under the same
        schema: every rule application that needs a new triple runs when that triple is taken
        from the work list, and every one that needs only saturated facts has already run.
        When the new triples add to the schema (a class or property axiom, or a type that
        makes one), the schema differs and the closure is recomputed in full."""
        reasoner, same_schema = self._extension(new)
        return reasoner.facts if same_schema else reasoner.run()

    def share(self, new: Iterable[Triple]) -> set[Triple] | None:
        """``closure(self.facts | new) - self.facts`` when ``new`` leaves the schema as it is
        (:meth:`extended`), else ``None``."""
        reasoner, same_schema = self._extension(new)
        return reasoner.facts - self.facts if same_schema else None

    def _extension(self, new: Iterable[Triple]) -> tuple[_Reasoner, bool]:
        """A reasoner of the saturated facts and ``new`` at the fixpoint under the saturated
        schema, and whether that schema still holds (else the fixpoint is not the closure)."""
        base = self._reasoner
        reasoner = _Reasoner((), base.vocab)
        reasoner.facts = set(base.facts)
        reasoner.joined = set(base.joined)
        for index, source in ((reasoner.by_pred, base.by_pred), (reasoner.inv_index, base.inv_index)):
            for p, by_node in source.items():
                copy = index[p]
                for node, values in by_node.items():
                    copy[node] = set(values)
        for cls, subjects in base.typed.items():
            reasoner.typed[cls] = set(subjects)
        schema_size = reasoner._schema_size()
        for t in new:
            reasoner._add(t)
        if reasoner._schema_size() != schema_size:
            return reasoner, False
        reasoner._fixpoint(self.schema)
        return reasoner, reasoner._schema_size() == schema_size


def closure(asserted: Iterable[Triple], vocab: Vocabulary = RDFLIB) -> set[Triple]:
    """Every triple of the targeted closure of ``asserted`` (asserted ones included), its terms
    in the representation of ``vocab``."""
    return _Reasoner(asserted, vocab).run()


def infer_targeted(asserted: Iterable[Triple]) -> set[Triple]:
    """The triples the targeted rules add to ``asserted`` (a graph, or a set of its triples, which
    is used as it is; unfiltered, see ``filter_inferred``)."""
    base = asserted if isinstance(asserted, set) else set(asserted)
    return {t for t in closure(base) if t not in base}


__all__ = ["RDFLIB", "Saturated", "Vocabulary", "closure", "infer_targeted", "unsupported"]
