"""The shapes' read steps (:mod:`plangraf.check.reach`, :mod:`plangraf.check.reach_sparql`):
plangraf's shapes are bounded; shapes and queries whose reads cannot be bounded are refused,
so incremental validation falls back to a whole validation for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from plangraf.check.reach import compile_shapes
from plangraf.check.shacl import load_shapes
from plangraf.check.steps import ROOT, Reach, Unbounded
from plangraf.rdf.namespaces import SH

ROOT_DIR = Path(__file__).resolve().parents[1]
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "urn:ex:"^^xsd:anyURI ] .
"""


def _sparql_shape(select: str) -> Graph:
    text = (
        PREFIXES
        + '''
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:sparql [ sh:prefixes ex:prefixes ; sh:select """'''
        + select
        + '''""" ] .'''
    )
    return Graph().parse(data=text, format="turtle")


def test_plangrafs_shapes_are_bounded_and_survive_a_round_trip():
    shapes = load_shapes(ROOT_DIR / "ontology" / "shapes")
    reach = compile_shapes(shapes)
    targets = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
    targeted = {s for name in targets for s in shapes.subjects(SH[name], None)}
    assert reach.steps and reach.gates
    assert Reach.from_json(reach.to_json()) == reach
    starts = [target for source, _, direction, target in reach.steps if source == ROOT]
    assert len(starts) == len(set(starts)) == len(targeted)  # one start per shape with a target


UNBOUNDED = [
    "SELECT $this WHERE { $this ex:p ?x . ?y ex:q ?z }",  # ?y, ?z joined to nothing
    "SELECT $this WHERE { { $this ex:p ?x } UNION { ?x ex:q ?w } }",  # a branch on its own
    "SELECT $this WHERE { $this ex:p ?x . OPTIONAL { $this ex:q ?y } ?y ex:r ?z }",  # ?y may be unbound
    "SELECT $this WHERE { $this ex:p ?x . MINUS { ?x ex:q ?y } }",
    "SELECT $this WHERE { $this ex:p ?x . { SELECT ?x WHERE { ?x ex:q ?y } } }",
    "SELECT $this WHERE { $this ex:p ?x . VALUES ?y { ex:a } ?y ex:q ?x }",
    "SELECT $this WHERE { GRAPH ?g { $this ex:p ?x } }",
    "SELECT $this WHERE { $this $PATH ?x }",
    "SELECT $this WHERE { $this ex:p ?x . BIND (IRI(CONCAT(STR(?x), '/a')) AS ?y) ?y ex:q ?z }",
    "SELECT $this WHERE { $this ex:p ?x . FILTER NOT EXISTS { ?a ex:q ?b } }",
    "SELECT $this (COUNT(?x) AS ?n) WHERE { $this ex:p ?x } GROUP BY $this",
    "SELECT $this WHERE { ex:a ex:p ex:b }",
    "this is not SPARQL",
]
BOUNDED = [
    "SELECT $this WHERE { $this ex:p ?x . ?y ex:q ?x . FILTER NOT EXISTS { ?y ex:r ?z } }",
    "SELECT $this WHERE { { $this ex:p ?x } UNION { ?x ex:q $this } ?x ex:r ?w }",
    "SELECT $this WHERE { $this ex:p ?x . OPTIONAL { ?x ex:q ?y } BIND (COALESCE(?y, ?x) AS ?g) ?g ex:r ?z }",
    "SELECT $this WHERE { ?x ex:p* $this . ?x ^ex:q/ex:r ?y . ?y !ex:s ?z }",
    "SELECT $this WHERE { $this ?p ?x . FILTER EXISTS { ?l ex:from $this ; ex:property ?p } }",
]


@pytest.mark.parametrize("select, bounded", [(q, False) for q in UNBOUNDED] + [(q, True) for q in BOUNDED])
def test_a_query_is_bounded_when_every_variable_is_joined_to_this(select: str, bounded: bool):
    if not bounded:
        with pytest.raises(Unbounded):
            compile_shapes(_sparql_shape(select))
        return
    reach = compile_shapes(_sparql_shape(select))
    read = {predicate for _, predicate, direction, _ in reach.steps if direction in ("f", "b")}
    assert "urn:ex:p" in read or (None in read and "urn:ex:property" in read)


@pytest.mark.parametrize(
    "extra",
    [
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:rule [ a sh:TripleRule ] .",
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:expression [ ex:f ex:g ] .",
        "ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:max ] .",
        "ex:S a sh:NodeShape ; sh:target [ a ex:CustomTarget ] .",
    ],
)
def test_shapes_beyond_core_and_sparql_are_refused(extra: str):
    with pytest.raises(Unbounded):
        compile_shapes(Graph().parse(data=PREFIXES + extra, format="turtle"))


def test_core_paths_and_nested_shapes_read_what_they_name():
    shapes = Graph().parse(
        data=PREFIXES
        + """
ex:S a sh:NodeShape ; sh:targetObjectsOf ex:t ;
    sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] [ sh:zeroOrMorePath ex:c ] ) ; sh:class ex:K ;
                  sh:node ex:N ] ;
    sh:or ( [ sh:path [ sh:alternativePath ( ex:d ex:e ) ] ; sh:minCount 1 ] [ sh:lessThan ex:f ] ) .
ex:N a sh:NodeShape ; sh:property [ sh:path [ sh:oneOrMorePath ex:g ] ; sh:maxCount 2 ] ; sh:closed true .
""",
        format="turtle",
    )
    reach = compile_shapes(shapes)
    read = {(predicate, direction) for _, predicate, direction, _ in reach.steps}
    for name, direction in [("t", "b"), ("a", "f"), ("b", "b"), ("c", "f"), ("d", "f"), ("e", "f"), ("f", "f")]:
        assert (f"urn:ex:{name}", direction) in read
    assert ("urn:ex:g", "f") in read
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "f") in read
    assert ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "f") in read
    assert (None, "f") in read  # sh:closed reads every triple of the node
    assert reach.gates and list(reach.gates.values())[0] == [("objects", "urn:ex:t")]
