"""A bridge to pyoxigraph, the Rust RDF parser, serializer and SPARQL engine.

plangraf keeps rdflib graphs as its working model (the loader, the reasoner and pyshacl use
them); pyoxigraph does the bulk work where rdflib's pure-Python code is slow: parsing Turtle,
N-Triples and TriG, serialising the build files, and answering SPARQL queries. Terms are
converted so that a graph parsed here is the graph rdflib's own parser gives (tested on every
shipped file): literals go through rdflib's ``Literal`` constructor, so lexical forms are
normalised the same way, and ``xsd:string`` literals become plain literals as in rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.rdf.memindex import triples_of
from plangraf.rdf.stores import open_store as open_store  # its callers' name; defined without rdflib

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


class TermError(ValueError):
    """An rdflib term pyoxigraph cannot hold (for example an IRI with a space)."""


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(_bnode_id(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise TermError(f"{term!r}: {exc}") from None
    raise TermError(f"{term!r} is not an RDF term")


def _bnode_id(node: BNode) -> str:
    text = str(node)
    return text if text.isalnum() else "b" + "".join(c if c.isalnum() else f"_{ord(c):x}_" for c in text)


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term for a pyoxigraph term, as rdflib's own parser would create it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TermError(f"{term!r} is not supported (RDF-star triples are not used by plangraf)")


def parse_triples(data: bytes | str, fmt: str, base_iri: str | None = None) -> Iterator[tuple[Node, Node, Node]]:
    """Parse Turtle or N-Triples with pyoxigraph; raises ``SyntaxError`` on a bad file."""
    for quad in ox.parse(data, format=FORMATS[fmt], base_iri=base_iri, without_named_graphs=True):
        yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)


def parse_graphs(path: Path, graphs: dict[str, Graph]) -> None:
    """Parse a TriG file, adding the triples of each named graph in ``graphs`` (by IRI) to it;
    triples of other graphs are ignored."""
    converted: dict[object, Node] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        node = converted.get(term)
        if node is None:
            node = converted[term] = from_ox(term)
        return node

    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        name = quad.graph_name
        target = graphs.get(name.value) if isinstance(name, ox.NamedNode) else None
        if target is not None:
            target.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))


def serialize(graphs: Iterable[tuple[URIRef | None, Graph]], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise graphs (``None`` as the name means the default graph) as Turtle, TriG,
    N-Triples or N-Quads."""
    return ox.serialize(_quads(graphs), format=FORMATS[fmt], prefixes=prefixes or {}) or b""


def quads_of(name: URIRef, graph: Graph) -> list[ox.Quad]:
    """A graph's triples as pyoxigraph quads in the named graph ``name``, converted once, to be
    written in several files (:func:`serialize_quads`): the conversion, not the writing, is the
    slow part."""
    return list(_quads([(name, graph)]))


def serialize_quads(quads: list[ox.Quad], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise quads as TriG or N-Quads; as Turtle or N-Triples, their triples (graph names dropped)."""
    if fmt in ("turtle", "nt"):
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(triples, format=FORMATS[fmt], prefixes=prefixes or {}) or b""
    return ox.serialize(quads, format=FORMATS[fmt], prefixes=prefixes or {}) or b""


def _quads(graphs: Iterable[tuple[URIRef | None, Graph]]) -> Iterator[ox.Quad]:
    cache: dict[Node, Any] = {}

    def convert(term: Node) -> Any:
        node = cache.get(term)
        if node is None:
            node = cache[term] = to_ox(term)
        return node

    for name, graph in graphs:
        graph_name = ox.DefaultGraph() if name is None else ox.NamedNode(str(name))
        # triples_of gives a subject's triples together: convert it (and a repeated predicate)
        # once, found by identity (rdflib's term hashing runs in Python)
        last_s: Node | None = None
        last_p: Node | None = None
        subject: Any = None
        predicate: Any = None
        for s, p, o in triples_of(graph):
            if s is not last_s:
                last_s, subject = s, convert(s)
            if p is not last_p:
                last_p, predicate = p, convert(p)
            yield ox.Quad(subject, predicate, convert(o), graph_name)


@dataclass(frozen=True)
class DatasetText:
    """A build's named graphs as TriG text: what the compiled SHACL engine reads fastest (its
    parser is native; a store would be dumped to N-Quads text first)."""

    text: str


def graph_of_text(data: DatasetText) -> Graph:
    """An rdflib graph of every triple of a dataset's text, whatever its graph."""
    graph = Graph()
    for quad in ox.parse(data.text, format=ox.RdfFormat.TRIG):
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def store_of(graphs: Iterable[tuple[URIRef | None, Graph]]) -> ox.Store:
    """An in-memory pyoxigraph store holding the graphs."""
    store = ox.Store()
    store.bulk_extend(_quads(graphs))
    return store


def graph_of(store: ox.Store) -> Graph:
    """An rdflib graph of every triple of the store, whatever its graph."""
    graph = Graph()
    for quad in store:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def write_store(folder: Path, quads: Iterable[ox.Quad]) -> None:
    """Write ``quads`` into a new on-disk pyoxigraph store at ``folder``, compacted, and close it.

    The bulk loader leaves a large store's tables uncompacted (at 1,000 municipalities a lookup
    then reads through more of them), and a store opened read-only is never compacted later:
    ``optimize`` compacts it once here (about 3 s CPU at 1,000 municipalities, nothing at 356),
    which made the shipped queries there about 1.7 times faster.
    """
    store = ox.Store(str(folder))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store  # the last reference: the store is closed and its lock released here


def load_dataset_store(path: Path) -> ox.Store:
    """A store holding a TriG file's named graphs, loaded by pyoxigraph's bulk loader.

    Queries see them together (``use_default_graph_as_union``); a triple in two named graphs
    would be seen twice, which a plangraf build never has (inferred triples are only the
    new ones).
    """
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def query_store(*graphs: Graph) -> ox.Store:
    """An in-memory store holding the graphs together, e.g. ``query_store(asserted, inferred)``.

    Everything goes into the default graph, so a triple in two of the graphs is one triple,
    as in ``asserted + inferred``.
    """
    try:
        return store_of((None, graph) for graph in graphs)
    except TermError as exc:
        raise PlangrafError(f"the graph cannot be queried with pyoxigraph: {exc}") from None
