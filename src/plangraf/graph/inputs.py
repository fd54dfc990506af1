"""The graph's fixed inputs: the ontology, the imported vocabularies' axioms and the reference data,
parsed and checked (once per process for the same contents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths, import_files, reference_files
from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.files import check_ox_terms, check_terms, defined_terms, parse_file, read_ox_triples, read_triples
from plangraf.rdf.namespaces import bind_prefixes
from plangraf.rdf.termids import IdTriple, IdView, TermIds

if TYPE_CHECKING:
    from plangraf.graph.identity import Identity


def load_ontology(paths: Paths) -> Graph:
    return parse_file(paths.ontology)


def load_imports(paths: Paths, into: Graph | None = None) -> Graph:
    """Parse the vocabulary extracts of ``ontology/imports`` into ``into`` (a new graph if
    ``None``) and return that graph. They define no ``pg:`` term, so the term check does not
    concern them."""
    graph = into if into is not None else Graph()
    if into is None:
        bind_prefixes(graph)
    for path in import_files(paths.imports):
        for triple in read_triples(path):
            graph.add(triple)
    return graph


def load_reference(paths: Paths, ontology: Graph, into: Graph | None = None) -> Graph:
    """Parse every RDF file in ``data/reference``, check its terms, add it to ``into`` (a
    new graph if ``None``) and return that graph."""
    if not paths.reference.is_dir():
        raise PlangrafError("reference folder not found", file=str(paths.reference))
    terms = defined_terms(ontology)
    graph = into if into is not None else Graph()
    if into is None:
        bind_prefixes(graph)
    for path in reference_files(paths.reference):
        part = read_triples(path)
        check_terms(part, terms, path)
        for triple in part:
            graph.add(triple)
    return graph


@dataclass
class Base:
    """The ontology, the imported vocabularies' axioms and the reference data, parsed by
    pyoxigraph and checked, as pyoxigraph triples and as ids (:mod:`plangraf.rdf.termids`)."""

    ontology: list[tuple[Any, Any, Any]]
    triples: list[tuple[Any, Any, Any]]  # the ontology's, the imports' and the reference data's, in that order
    ids: TermIds
    encoded: frozenset[IdTriple]
    terms: set[URIRef]  # the pg: terms the ontology defines

    def reference_view(self) -> IdView:
        """What the study loader checks identifiers against (see :class:`plangraf.study.checks.ReferenceIndex`)."""
        return IdView(self.ids, self.encoded)


def _read_base(paths: Paths) -> Base:
    ontology = read_ox_triples(paths.ontology)
    ids = TermIds()
    terms = defined_terms(IdView(ids, ids.encode(ontology)))  # type: ignore[arg-type]
    triples = list(ontology)
    for path in import_files(paths.imports):
        triples += read_ox_triples(path)
    if not paths.reference.is_dir():
        raise PlangrafError("reference folder not found", file=str(paths.reference))
    for path in reference_files(paths.reference):
        part = read_ox_triples(path)
        check_ox_terms(part, terms, path)
        triples += part
    return Base(ontology, triples, ids, frozenset(ids.encode(triples)), terms)


# The ontology and the reference data, parsed and checked once per process for the same file
# contents (the claims check builds the study once per reading over the same base). One entry.
_BASE: dict[str, Base] = {}
# The same as rdflib terms, converted from the same parse (so blank nodes are the same), for
# the rdflib path: a list of triples, since adding a list to a graph is several times faster
# than copying another rdflib graph, whose memory store looks up each triple's contexts.
_RDFLIB_BASE: dict[str, tuple[Graph, list[tuple[Node, Node, Node]]]] = {}


def forget_bases() -> None:
    """Drop the bases kept for later builds in this process (a command that ends after its
    build frees them while the collector is paused, instead of having it walk them)."""
    _BASE.clear()
    _RDFLIB_BASE.clear()


def base(paths: Paths, identity: Identity) -> Base:
    """The ontology, imports and reference data for the contents ``identity`` hashed; read-only."""
    key = json.dumps({k: v for k, v in identity.inputs.items() if not k.startswith("study/")}, sort_keys=True)
    if key not in _BASE:
        _BASE.clear()
        _RDFLIB_BASE.clear()
        _BASE[key] = _read_base(paths)
    return _BASE[key]


def base_graphs(paths: Paths, identity: Identity) -> tuple[Graph, list[tuple[Node, Node, Node]]]:
    """The ontology, and the triples of the ontology with the imported vocabularies' axioms and
    the reference data, for the contents ``identity`` hashed, as rdflib terms; read-only."""
    found = base(paths, identity)
    key = next(iter(_BASE))
    if key not in _RDFLIB_BASE:
        from_ox = oxbridge.from_ox
        ontology = Graph()
        bind_prefixes(ontology)
        for s, p, o in found.ontology:
            ontology.add((from_ox(s), from_ox(p), from_ox(o)))
        triples = [(from_ox(s), from_ox(p), from_ox(o)) for s, p, o in found.triples]
        _RDFLIB_BASE[key] = (ontology, list(dict.fromkeys(triples)))
    return _RDFLIB_BASE[key]
