"""The graph's fixed inputs: the ontology, the imported vocabularies' axioms and the reference data,
parsed and checked (once per process for the same contents).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths, import_files, reference_files
from plangraf.rdf.files import check_terms, defined_terms, parse_file, read_triples
from plangraf.rdf.namespaces import bind_prefixes

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


# The ontology and the reference data, parsed and checked once per process for the same file
# contents (the claims check builds the study once per reading over the same base). One entry.
# The base is kept as a list of triples: adding a list to a graph is several times faster than
# copying another rdflib graph, whose memory store looks up each triple's contexts.
_BASE: dict[str, tuple[Graph, list[tuple[Node, Node, Node]]]] = {}


def base_graphs(paths: Paths, identity: Identity) -> tuple[Graph, list[tuple[Node, Node, Node]]]:
    """The ontology, and the triples of the ontology with the imported vocabularies' axioms and
    the reference data, for the contents ``identity`` hashed; read-only."""
    key = json.dumps({k: v for k, v in identity.inputs.items() if not k.startswith("study/")}, sort_keys=True)
    if key not in _BASE:
        ontology = load_ontology(paths)
        base = Graph()
        base += ontology
        load_imports(paths, into=base)
        load_reference(paths, ontology, into=base)
        _BASE.clear()
        _BASE[key] = (ontology, list(base))
    return _BASE[key]
