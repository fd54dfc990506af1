"""A whole validation on the quads the shapes can read, not on every quad of the build.

Half a build's quads have a predicate no shape reads (provenance, the reflection paths,
``dct:subject``...). The build's id rows (:mod:`plangraf.graph.saved`: its TriG's quads as
integer rows into one term table) are cut here without making a term object per quad, and the
quads kept go to the compiled engine as its typed term input (:class:`TermRows`), so no text is
written or parsed: at 356 municipalities about 0.5 s CPU instead of about 6 s for parsing the
TriG, writing the cut as TriG and the engine parsing that again. From the shapes' read steps
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

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from plangraf.check.steps import ROOT, Reach

_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Record = tuple[int, str, str | None, str | None]


@dataclass
class TermRows:
    """Quads as pyshacl-turbo's typed term input: ``records[i]`` is term ``i`` as (0, IRI),
    (1, blank node label), or (2, lexical form, datatype IRI or ``None`` with a language,
    language); ``quads`` are (subject, predicate, object, graph) ids into ``records``. The
    compiled engine reads them without parsing any text."""

    records: list[Record]
    quads: list[tuple[int, int, int, int | None]]


def readable_rows(reach: Reach, terms: Sequence[str], graphs: Iterable[tuple[str, array[int]]]) -> TermRows | None:
    """Of a build's id rows (``terms``: N-Triples forms by id; ``graphs``: each named graph's
    rows as a flat array s, p, o, s, p, o, …), the quads the shapes can read (``None``: the
    steps do not bound them, or a term is not an IRI, blank node or literal)."""
    starts = _any_predicate_gates(reach)
    if starts is None:
        return None
    names = {p for _, p, d, _ in reach.steps if p is not None and d in "fb"}
    names |= {value for gate in reach.gates.values() for kind, value in gate if kind in ("subjects", "objects")}
    index = {text: n for n, text in enumerate(terms)}
    kept = {index[text] for text in [_TYPE, _SUBCLASS, *(f"<{p}>" for p in names)] if text in index}
    graphs = [(name, flat) for name, flat in graphs]
    forward = _targets([g for d, g in starts if d == "f"], reach, index, graphs)
    backward = _targets([g for d, g in starts if d == "b"], reach, index, graphs)
    extra = list(terms)
    quads: list[tuple[int, int, int, int | None]] = []
    for name, flat in graphs:
        graph = index.get(f"<{name}>")
        if graph is None:
            graph = index[f"<{name}>"] = len(extra)
            extra.append(f"<{name}>")
        quads.extend((s, p, o, graph) for s, p, o in triples(flat) if p in kept or s in forward or o in backward)
    records = term_records(extra)
    return None if records is None else TermRows(records, quads)


def triples(flat: array[int]) -> Iterator[tuple[int, int, int]]:
    """A flat array s, p, o, s, p, o, … as (s, p, o) rows."""
    return zip(flat[0::3], flat[1::3], flat[2::3], strict=True)


def term_records(terms: Sequence[str]) -> list[Record] | None:
    """Terms in their N-Triples forms as term records (``None`` for any other kind of term).
    Literals are read by pyoxigraph's parser, so their escapes are undone as a parser would."""
    records: list[Record | None] = []
    literals: list[str] = []
    for n, text in enumerate(terms):
        if text.startswith("<") and not text.startswith("<<"):
            records.append((0, text[1:-1], None, None))
        elif text.startswith("_:"):
            records.append((1, text[2:], None, None))
        elif text.startswith('"'):
            records.append(None)
            literals.append(f"<urn:plangraf:{n}> <urn:plangraf:o> {text} .\n")
        else:
            return None
    for quad in ox.parse("".join(literals), format=ox.RdfFormat.N_TRIPLES):
        literal = quad.object
        assert isinstance(literal, ox.Literal) and isinstance(quad.subject, ox.NamedNode)
        language = literal.language
        datatype = None if language else literal.datatype.value
        records[int(quad.subject.value[13:])] = (2, literal.value, datatype, language)
    done = [record for record in records if record is not None]
    return done if len(done) == len(records) else None


def graph_of_rows(rows: TermRows) -> Graph:
    """An rdflib graph of every triple of ``rows``, whatever its graph (for pyshacl), its
    terms as rdflib's own parsers make them."""
    from rdflib import BNode, Literal, URIRef

    terms: list[Node] = []
    for kind, value, datatype, language in rows.records:
        if kind == 0:
            terms.append(URIRef(value))
        elif kind == 1:
            terms.append(BNode(value))
        elif language or datatype == _XSD_STRING:
            terms.append(Literal(value, lang=language))
        else:
            terms.append(Literal(value, datatype=URIRef(datatype) if datatype else None))
    graph = Graph()
    for s, p, o, _ in rows.quads:
        graph.add((terms[s], terms[p], terms[o]))
    return graph


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


def _targets(
    names: Iterable[str], reach: Reach, index: dict[str, int], graphs: list[tuple[str, array[int]]]
) -> set[int]:
    """The ids of the nodes that are targets of any of the gates ``names`` (a superset: a
    class's instances include those of its subclasses in the data)."""
    conditions = [condition for name in set(names) for condition in reach.gates.get(name, [])]
    if not conditions:
        return set()

    def ids(kind: str) -> set[int]:
        return {index[f"<{v}>"] for k, v in conditions if k == kind and f"<{v}>" in index}

    subclass, rdf_type = index.get(_SUBCLASS), index.get(_TYPE)
    subclasses: dict[int, set[int]] = {}
    for _, flat in graphs:
        for s, p, o in triples(flat):
            if p == subclass:
                subclasses.setdefault(o, set()).add(s)
    classes = _closure(ids("class"), subclasses)
    subjects, objects, found = ids("subjects"), ids("objects"), ids("node")
    for _, flat in graphs:
        for s, p, o in triples(flat):
            if p in subjects or (p == rdf_type and o in classes):
                found.add(s)
            if p in objects:
                found.add(o)
    return found


def _closure(classes: set[int], subclasses: dict[int, set[int]]) -> set[int]:
    todo, seen = list(classes), set(classes)
    while todo:
        for sub in subclasses.get(todo.pop(), ()):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen
