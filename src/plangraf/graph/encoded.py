"""Inference and reflections of a build on integer ids (:mod:`plangraf.rdf.termids`).

The same rules as the rdflib path (:func:`plangraf.graph.inference.infer` and
:func:`plangraf.graph.reflections.reflection_triples`), run on triples of ids: the targeted
reasoner with its vocabulary encoded (:class:`plangraf.graph.reasoner.Vocabulary`), the filter of
closure noise on the ids' terms, and the reflections derived by the same function from the
few triples they read. ``tests/test_encoded_build.py`` checks whole builds against the rdflib
path, triple for triple.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from plangraf.graph.inference import _DROPPED_TYPES, _REFLEXIVE, _VOCAB_NAMESPACES
from plangraf.graph.reasoner import Vocabulary, closure, unsupported
from plangraf.graph.reflections import HOP_LEVEL, TripleIndex, reflection_triples
from plangraf.rdf.namespaces import OA, PG
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
    vocab = Vocabulary(cast(Callable[[Node], Node], ids.of_rdflib))
    facts: Any = asserted  # the reasoner's terms are ids here
    if unsupported(facts, vocab):
        return None
    keep = _kept(ids, vocab)
    found: Any = closed(vocab) if closed is not None else None
    if found is None:
        found = closure(facts, vocab)
    return set(filter(keep, found - asserted))


def _kept(ids: TermIds, vocab: Vocabulary) -> Callable[[IdTriple], bool]:
    """:func:`plangraf.graph.inference.kept` on ids."""
    terms = ids.terms
    same_as = vocab.same_as
    reflexive = {ids.of_rdflib(p) for p in _REFLEXIVE}
    rdf_type = vocab.type
    dropped_types = {ids.of_rdflib(URIRef(t)) for t in _DROPPED_TYPES}
    noise_subject: dict[int, bool] = {}

    def is_noise_subject(s: int) -> bool:
        found = noise_subject.get(s)
        if found is None:
            term = terms[s]
            found = noise_subject[s] = type(term) is ox.Literal or term.value.startswith(_VOCAB_NAMESPACES)
        return found

    def keep(t: IdTriple) -> bool:
        s, p, o = t
        if is_noise_subject(s):
            return False
        if type(terms[p]) is not ox.NamedNode:
            return True
        if p == same_as or (p in reflexive and s == o):
            return False
        return not (p == rdf_type and o in dropped_types)

    return keep


def reflections_ids(
    ids: TermIds, asserted: Iterable[IdTriple], inferred: Iterable[IdTriple], *, include_suggested: bool = False
) -> list[IdTriple]:
    """:func:`plangraf.graph.reflections.reflection_triples` of the build, on ids: the function
    itself, given only the triples it reads (the hops and the links), as rdflib terms."""
    hops = {ids.of_rdflib(p) for p in HOP_LEVEL}
    link_predicates = {ids.of_rdflib(p) for p in _LINK_PREDICATES}
    rdf_type, link = ids.of_rdflib(RDF.type), ids.of_rdflib(PG.Link)
    read = hops | link_predicates
    read_asserted = [t for t in asserted if t[1] in read or (t[1] == rdf_type and t[2] == link)]
    read_inferred = [t for t in inferred if t[1] in hops]
    found = reflection_triples(
        TripleIndex(ids.decode_rdflib(read_asserted)),  # type: ignore[arg-type]
        TripleIndex(ids.decode_rdflib(read_inferred)),  # type: ignore[arg-type]
        include_suggested=include_suggested,
    )
    return ids.encode_rdflib(found)
