"""OWL RL inference for a build: the targeted reasoner (:mod:`plangraf.graph.reasoner`), owlrl as the
fallback and oracle, and the filter that drops closure noise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from plangraf.rdf.memindex import triples_of
from plangraf.rdf.namespaces import bind_prefixes

if TYPE_CHECKING:
    pass


_VOCAB_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}


# What filter_inferred drops, as plain strings: str comparisons run in C, rdflib's __eq__ does not.
_TYPE = str(RDF.type)


_SAME_AS = str(OWL.sameAs)


_REFLEXIVE_STR = frozenset(map(str, _REFLEXIVE))


# trivial types, and owlrl's re-typing of every property (the ontology states what matters)
_DROPPED_TYPES = frozenset(
    map(str, _TRIVIAL_TYPES | {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, RDFS.Datatype})
)


def kept(s: Node, p: Node, o: Node) -> bool:
    """False for closure noise: literal subjects, self-links, vocabulary axioms, trivial types,
    and owl:sameAs (only explicit owl:sameAs in the data is meaningful; the reasoner's are not
    exported)."""
    if isinstance(s, Literal) or str(s).startswith(_VOCAB_NAMESPACES):
        return False
    if type(p) is not URIRef:
        return True
    predicate = str(p)
    if predicate == _SAME_AS or (predicate in _REFLEXIVE_STR and s == o):
        return False
    return not (predicate == _TYPE and type(o) is URIRef and str(o) in _DROPPED_TYPES)


def filter_inferred(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Drop closure noise: literal subjects, self-links, vocabulary axioms, trivial types."""
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples if kept(s, p, o))
    return graph


def infer(asserted: Graph) -> Graph:
    """The OWL 2 RL entailments of ``asserted`` that matter, as new triples (filtered).

    Computed by the targeted reasoner in :mod:`plangraf.graph.reasoner`, which gives exactly the
    triples :func:`infer_owlrl` gives for the constructs the ontology uses (tested on the study
    data) in a fraction of the time; with any construct it does not implement in the graph,
    owlrl is used instead. The asserted graph is read once (iterating rdflib's store is slow).
    """
    from plangraf.graph.reasoner import infer_targeted, unsupported

    base = set(triples_of(asserted))
    if unsupported(base):
        return infer_owlrl(asserted)
    return filter_inferred(infer_targeted(base))


def infer_owlrl(asserted: Graph) -> Graph:
    """Run the full OWL 2 RL closure (owlrl) and return only the useful new triples."""
    import owlrl  # only needed as the fallback (and in tests): keeps owlrl's import off start-up

    closure = Graph()
    for t in asserted:
        closure.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    new = Graph()
    for t in closure:
        if t not in asserted:
            new.add(t)
    return filter_inferred(new)
