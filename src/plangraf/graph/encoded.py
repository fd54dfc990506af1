"""Inference and reflections of a build on integer ids (:mod:`plangraf.rdf.termids`).

The same rules as the rdflib path (:func:`plangraf.graph.inference.infer` and
:func:`plangraf.graph.reflections.reflection_triples`), run on triples of ids: the targeted
reasoner with its vocabulary encoded (:class:`plangraf.graph.reasoner.Vocabulary`), the filter of
closure noise on the ids' terms, and the reflections derived by the same function from the
few triples they read. ``tests/test_encoded_build.py`` checks whole builds against the rdflib
path, triple for triple.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from plangraf.graph.inference import _DROPPED_TYPES, _REFLEXIVE, _VOCAB_NAMESPACES
from plangraf.graph.reasoner import (
    _SCHEMA_PREDICATES,
    _SCHEMA_TYPES,
    _UNSUPPORTED_PREDICATES,
    _UNSUPPORTED_TYPES,
    Vocabulary,
    closure,
    unsupported,
)
from plangraf.graph.reflections import (
    ABSENT,
    HOP_LEVEL,
    PATH_NAMES,
    REFLECTION_TERMS,
    closest_paths,
    counted_bases,
    reflection_of,
)
from plangraf.rdf.namespaces import OA, PG, PGID, concept_iri
from plangraf.rdf.termids import IdTriple, TermIds

# What reflection_triples reads of the asserted triples besides the hops: the links.
_LINK_PREDICATES = (PG.basis, PG.relation, PG.linkOf, OA.hasBody)


def infer_ids(
    ids: TermIds,
    asserted: set[IdTriple],
    closed: Callable[[Vocabulary], set[IdTriple] | None] | None = None,
) -> set[IdTriple] | None:
    """The filtered entailments of ``asserted`` (as :func:`plangraf.graph.inference.infer` gives
    them), or ``None`` when the triples use a construct the targeted reasoner does not implement
    (then the rdflib path, which falls back to owlrl, must build). ``closed`` gives the closure
    of ``asserted`` another way (:func:`plangraf.graph.shares.closure_by_files`), or ``None``
    where it cannot; then the reasoner computes it."""
    vocab = vocabulary_ids(ids)
    facts: Any = asserted  # the reasoner's terms are ids here
    if _any_unsupported(asserted, vocab):
        return None
    kept = _kept(ids, vocab)
    found: Any = closed(vocab) if closed is not None else None
    if found is None:
        found = closure(facts, vocab)
    return kept(found - asserted)


def _any_unsupported(asserted: set[IdTriple], vocab: Vocabulary) -> bool:
    """Whether :func:`plangraf.graph.reasoner.unsupported` finds a construct in ``asserted``:
    asked only when a predicate or an object of the triples is one of the constructs' terms
    (two sets made in C, where the exact test is a Python loop over every triple)."""
    predicates: set[Any] = set(vocab.unsupported_predicates)
    types: set[Any] = set(vocab.unsupported_types)
    if predicates.isdisjoint(map(itemgetter(1), asserted)) and types.isdisjoint(map(itemgetter(2), asserted)):
        return False
    facts: Any = asserted  # the reasoner's terms are ids here
    return bool(unsupported(facts, vocab))


def vocabulary_ids(ids: TermIds) -> Vocabulary:
    """The reasoner's vocabulary in ``ids``. Its sets of terms would be given ids in the order
    of a set of rdflib terms, which changes with each process's string hashes; the terms of those
    sets that the build has not met are given ids first, in the order of their IRIs, so the same
    inputs give the same term table in every process (and the next build's saved rows map to
    this one's ids unchanged: :func:`plangraf.graph.delta.delta_of`)."""
    sets = (_SCHEMA_PREDICATES, _SCHEMA_TYPES, _UNSUPPORTED_PREDICATES, _UNSUPPORTED_TYPES)
    for term in sorted({t for terms in sets for t in terms if ids.find_rdflib(t) is None}, key=str):
        ids.of_rdflib(term)
    return Vocabulary(cast(Callable[[Node], Node], ids.of_rdflib))


def _kept(ids: TermIds, vocab: Vocabulary) -> Callable[[set[IdTriple]], set[IdTriple]]:
    """:func:`plangraf.graph.inference.kept` on ids, as a filter of a set of triples."""
    terms = ids.terms
    same_as = vocab.same_as
    reflexive = {ids.of_rdflib(p) for p in sorted(_REFLEXIVE, key=str)}  # ids in a fixed order
    rdf_type = vocab.type
    dropped_types = {ids.of_rdflib(URIRef(t)) for t in sorted(_DROPPED_TYPES)}

    def is_noise_subject(s: int) -> bool:
        term = terms[s]
        return type(term) is ox.Literal or term.value.startswith(_VOCAB_NAMESPACES)

    def keep(t: IdTriple) -> bool:  # for a subject that is not noise, with a predicate of ``checked``
        s, p, o = t
        if p == same_as or (p in reflexive and s == o):
            return False
        return not (p == rdf_type and o in dropped_types)

    checked = {same_as, rdf_type, *reflexive}  # IRIs: any other predicate keeps a triple

    def kept(triples: set[IdTriple]) -> set[IdTriple]:
        noise = set(filter(is_noise_subject, set(map(itemgetter(0), triples))))  # each subject checked once
        return {t for t in triples if t[0] not in noise and (t[1] not in checked or keep(t))}

    return kept


def reflections_ids(
    ids: TermIds, asserted: Iterable[IdTriple], inferred: Iterable[IdTriple], *, include_suggested: bool = False
) -> list[IdTriple]:
    """:func:`plangraf.graph.reflections.reflection_triples` of the build, on ids: the same
    edges, counted links, closest paths (the function's own :func:`closest_paths`) and
    reflection nodes, without turning the triples it reads or makes into rdflib terms."""
    hop_ids = [(ids.of_rdflib(p), level) for p, level in HOP_LEVEL.items()]
    link_predicates = {ids.of_rdflib(p) for p in _LINK_PREDICATES}
    rdf_type, link_type = ids.of_rdflib(RDF.type), ids.of_rdflib(PG.Link)
    values: dict[tuple[int, int], int] = {}  # the first value, as the graph's value() gives
    links: list[int] = []
    # each graph's hops by predicate, in the order reflection_triples reads them: the edges'
    # order decides the order paths are found in, and with it the order of new ids
    hops: list[dict[int, list[tuple[int, int]]]] = []
    for triples, with_links in ((asserted, True), (inferred, False)):
        found: dict[int, list[tuple[int, int]]] = {p: [] for p, _level in hop_ids}
        hops.append(found)
        for s, p, o in triples:
            if p in found:
                found[p].append((s, o))
            elif not with_links:
                continue
            elif p in link_predicates:
                values.setdefault((s, p), o)
            elif p == rdf_type and o == link_type:
                links.append(s)
    edges: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for found in hops:
        for p, level in hop_ids:
            for s, o in found[p]:
                if s != o and (o, level) not in edges[s]:
                    edges[s].append((o, level))
    return _reflection_rows(ids, links, values, edges, include_suggested)


def _reflection_rows(
    ids: TermIds,
    links: list[int],
    values: dict[tuple[int, int], int],
    edges: dict[int, list[tuple[int, int]]],
    include_suggested: bool,
) -> list[IdTriple]:
    of = ids.of_rdflib
    basis, relation, link_of, body = (of(p) for p in _LINK_PREDICATES)
    # compared only: a term the build lacks gets no id (-1 matches none)
    bases = {ids.find_rdflib(b) for b in counted_bases(include_suggested)} - {None}
    absent = ids.find_rdflib(ABSENT)
    absent = -1 if absent is None else absent
    vocabulary = tuple(of(term) for term in REFLECTION_TERMS)
    paths = {level: of(concept_iri("path", name)) for level, name in PATH_NAMES.items()}
    hop_literals: dict[int, int] = {}
    terms = ids.terms
    cache: dict[int, dict[Any, tuple[int, int]]] = {}
    out: list[IdTriple] = []
    for link in links:
        if values.get((link, basis)) not in bases or values.get((link, relation)) == absent:
            continue
        finding, item = values.get((link, link_of)), values.get((link, body))
        if finding is None or item is None or type(terms[link]) is not ox.NamedNode:
            continue
        if item not in cache:
            cache[item] = closest_paths(item, edges)  # type: ignore[arg-type]
        name = terms[link].value
        for reached, (level, hops) in cache[item].items():
            digest = hashlib.sha1(f"{name} {_text(ids, reached)}".encode()).hexdigest()[:16]
            node = ids.id(ox.NamedNode(f"{PGID}reflection/{digest}"))
            if hops not in hop_literals:
                hop_literals[hops] = of(Literal(hops, datatype=XSD.integer))
            out += reflection_of(node, vocabulary, (link, finding, reached, paths[level]), hop_literals[hops])
    return out


def _text(ids: TermIds, term_id: int) -> str:
    """``str()`` of the term's rdflib form (an IRI's text without building the rdflib term)."""
    term = ids.terms[term_id]
    return term.value if type(term) is ox.NamedNode else str(ids.rdflib(term_id))
