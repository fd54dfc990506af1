"""Record, at build time, how each link reaches each guidance item it counts for.

OWL RL entails ``finding pg:reflects item`` through chains of ``skos:broader``,
``pg:implements`` and ``pg:statedIn``, but not *how*: an answer must say whether a
municipality reflects a Meld. St. 27 priority because a passage speaks to it (direct), to a
narrower goal (via a broader goal), or only to a KS goal that implements it (via
implementation). :func:`derive_reflections` walks the same chains from each link's item and
writes one ``pg:Reflection`` per link and reached item, with the closest path: the path whose
weakest hop is strongest (``pg:statedIn`` keeps a path direct, ``skos:broader`` makes it via a
broader goal, ``pg:implements`` via implementation), and its number of hops. Queries then
look these up instead of recomputing chains.

Only links that entail ``pg:reflects`` get reflections: stated and coded links that are not
``absent``. ``tests/test_derive.py`` checks that the (finding, item) pairs equal the reasoner's
``pg:reflects`` on the study and on a synthetic study.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.term import Node

from plangraf.rdf.namespaces import ELI, OA, PG, PGID, bind_prefixes, concept_iri

T = TypeVar("T")

# Path levels: a path is as far as its farthest hop.
DIRECT, VIA_BROADER, VIA_IMPLEMENTATION = 0, 1, 2
PATH_NAMES = {DIRECT: "direct", VIA_BROADER: "via-broader-goal", VIA_IMPLEMENTATION: "via-implementation"}
HOP_LEVEL = {PG.statedIn: DIRECT, ELI.is_part_of: DIRECT, SKOS.broader: VIA_BROADER, PG.implements: VIA_IMPLEMENTATION}
_COUNTED_BASES = {concept_iri("basis", "stated"), concept_iri("basis", "coded")}
ABSENT = concept_iri("relation", "absent")


def _edges(graphs: tuple[Graph, ...]) -> dict[Node, list[tuple[Node, int]]]:
    edges: dict[Node, list[tuple[Node, int]]] = defaultdict(list)
    for graph in graphs:
        for prop, level in HOP_LEVEL.items():
            for s, o in graph.subject_objects(prop):
                if s != o and (o, level) not in edges[s]:
                    edges[s].append((o, level))
    return edges


def closest_paths(start: Node, edges: dict[Node, list[tuple[Node, int]]]) -> dict[Node, tuple[int, int]]:
    """Every item reachable from ``start`` -> (path level, hops) of its closest path: the lowest
    level (farthest hop) first, then the fewest hops. ``start`` itself is (DIRECT, 0)."""
    best: dict[Node, tuple[int, int]] = {start: (DIRECT, 0)}
    # The levels are few: a breadth-first walk per level limit gives the lowest level first
    # and, within it, the fewest hops.
    for limit in (DIRECT, VIA_BROADER, VIA_IMPLEMENTATION):
        queue: deque[tuple[Node, int]] = deque([(start, 0)])
        seen = {start}
        while queue:
            node, hops = queue.popleft()
            for target, level in edges.get(node, ()):
                if level > limit or target in seen:
                    continue
                seen.add(target)
                best.setdefault(target, (limit, hops + 1))
                queue.append((target, hops + 1))
    return best


def counted_bases(include_suggested: bool = False) -> set[URIRef]:
    """The link bases whose links entail pg:reflects (suggested ones only when they count)."""
    return _COUNTED_BASES | ({concept_iri("basis", "suggested")} if include_suggested else set())


def _counted_links(graph: Graph, include_suggested: bool = False) -> list[tuple[URIRef, Node, Node]]:
    """(link, finding, item) for every link that entails pg:reflects."""
    found = []
    bases = counted_bases(include_suggested)
    for link in graph.subjects(RDF.type, PG.Link):
        if graph.value(link, PG.basis) not in bases or graph.value(link, PG.relation) == ABSENT:
            continue
        finding = graph.value(link, PG.linkOf)
        item = graph.value(link, OA.hasBody)
        if finding is not None and item is not None and isinstance(link, URIRef):
            found.append((link, finding, item))
    return found


def derive_reflections(asserted: Graph, *more: Graph, include_suggested: bool = False) -> Graph:
    """The pg:Reflection nodes for the links in ``asserted``, following chains in ``asserted``
    and ``more`` (the inferred triples), as a new graph. Suggested links count only with
    ``include_suggested`` (then the build adds their shortcut triples too)."""
    out = Graph()
    bind_prefixes(out)
    out.addN((s, p, o, out) for s, p, o in reflection_triples(asserted, *more, include_suggested=include_suggested))
    return out


def reflection_triples(asserted: Graph, *more: Graph, include_suggested: bool = False) -> list[tuple[Node, Node, Node]]:
    """:func:`derive_reflections` as a list of triples, for the build to add to its inferred
    graph directly (building a graph to copy costs more than deriving)."""
    out: list[tuple[Node, Node, Node]] = []
    edges = _edges((asserted, *more))
    cache: dict[Node, dict[Node, tuple[int, int]]] = {}
    vocabulary = REFLECTION_TERMS  # looked up once, not per triple
    paths = {level: concept_iri("path", name) for level, name in PATH_NAMES.items()}
    for link, finding, item in _counted_links(asserted, include_suggested):
        if item not in cache:
            cache[item] = closest_paths(item, edges)
        for reached, (level, hops) in cache[item].items():
            digest = hashlib.sha1(f"{link} {reached}".encode()).hexdigest()[:16]
            node = PGID[f"reflection/{digest}"]
            out += reflection_of(
                node, vocabulary, (link, finding, reached, paths[level]), Literal(hops, datatype=XSD.integer)
            )
    return out


# what a reflection's triples say: its type, and its link, finding, item, path and hop count
REFLECTION_TERMS = (RDF.type, PG.Reflection, PG.viaLink, PG.reflectingFinding, PG.reflectedItem, PG.path, PG.hopCount)


def reflection_of(node: T, vocabulary: tuple[T, ...], values: tuple[T, T, T, T], hops: T) -> list[tuple[T, T, T]]:
    """The six triples of reflection ``node`` (``vocabulary``: :data:`REFLECTION_TERMS` as the
    caller's terms; ``values``: its link, finding, reached item and path)."""
    rtype, reflection, via, reflecting, reflected, path_of, hop_count = vocabulary
    link, finding, reached, path = values
    return [
        (node, rtype, reflection),
        (node, via, link),
        (node, reflecting, finding),
        (node, reflected, reached),
        (node, path_of, path),
        (node, hop_count, hops),
    ]


Triple = tuple[Node, Node, Node]


class TripleIndex:
    """The few read-only graph look-ups :func:`plangraf.graph.reflections.reflection_triples`
    makes, over a set of triples (building an rdflib graph for them costs more than deriving)."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self._values: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        for s, p, o in triples:
            self._by_predicate[p].append((s, o))
            self._values[(s, p)].append(o)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        return iter(self._by_predicate.get(predicate, ()))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, o in self._by_predicate.get(predicate, ()) if o == obj)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        values = self._values.get((subject, predicate))
        return values[0] if values else None
