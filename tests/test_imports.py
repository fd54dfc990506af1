"""The vendored extracts of the reused vocabularies (ontology/imports): what they are, that the
build loads them, what they entail, and that they do not undo plangraf's own checks (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from plangraf.check.shacl import validate_graph
from plangraf.core import paths as core_paths
from plangraf.core.paths import Paths, import_files
from plangraf.graph import inputs as build_inputs
from plangraf.graph.build import build_graph
from plangraf.graph.identity import MANIFEST_FORMAT, Identity
from plangraf.graph.inference import filter_inferred, infer, infer_owlrl
from plangraf.graph.inputs import load_imports
from plangraf.graph.reasoner import infer_targeted, unsupported
from plangraf.rdf.files import parse_file, read_triples
from plangraf.rdf.namespaces import PG, PGID

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples"
PGSH = "https://w3id.org/plangraf/shapes#"
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
EX = Namespace("https://example.org/imports/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # plain: rdflib's closed XSD namespace warns under pytest
VOCABULARIES = ("dcat", "dcterms", "eli", "org", "prov")
BERGEN = PGID["municipality/bergen"]
BERGEN_FILE = """municipality: bergen
number: "4601"
source: "4.3.10"
documents:
  - id: bergen-digitaliseringsstrategi
    title: Digitaliseringsstrategi for Bergen kommune
    plan_level: sector-strategy
    topics: [digitalisation]
    status: adopted
    obtained: sent
    source: "4.3.10"
"""
# What an extract may say: the ontology node's metadata, declarations, and the five kinds of axiom.
AXIOMS = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf}
METADATA = {RDFS.label, RDFS.comment, DCTERMS.source, DCTERMS.license, OWL.versionInfo}
DECLARATIONS = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.Ontology}


def _extract(path: Path) -> Graph:
    graph = Graph()
    for triple in read_triples(path):
        graph.add(triple)
    return graph


def _with_imports(root: Path, *files: Path) -> Graph:
    graph = parse_file(root / "ontology" / "plangraf.ttl")
    load_imports(Paths(root=root), into=graph)
    for path in files:
        parse_file(path, graph)
    return graph


@pytest.fixture
def bergen_study(tmp_path) -> Path:
    """The mini study plus a governing document owned by Bergen, which has no findings."""
    folder = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", folder)
    (folder / "bergen.yaml").write_text(BERGEN_FILE, encoding="utf-8")
    return folder


def _owner_issues(report) -> list:
    return [i for i in report.issues if i.shape == PGSH + "GoverningDocument-owner"]


# --- (a) the files -------------------------------------------------------------


def test_there_is_one_extract_per_reused_vocabulary(paths):
    assert [p.stem for p in import_files(paths.imports)] == list(VOCABULARIES)
    assert paths.imports == paths.root / "ontology" / "imports"


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_extract_parses_and_states_its_source_and_licence(paths, vocabulary):
    path = paths.imports / f"{vocabulary}.ttl"
    graph = _extract(path)
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [URIRef(f"https://w3id.org/plangraf/ontology/imports/{vocabulary}")]
    node = ontologies[0]
    sources = set(graph.objects(node, DCTERMS.source))
    assert len(sources) >= 2 and all(isinstance(s, URIRef) for s in sources)  # the document and the namespace
    licences = list(graph.objects(node, DCTERMS.license))
    assert len(licences) == 1 and isinstance(licences[0], URIRef)
    assert "extract" in str(graph.value(node, RDFS.comment)).lower()
    assert graph.value(node, OWL.versionInfo) is not None
    text = path.read_text("utf-8")
    assert text.startswith("# Extract of ") and "Left out" in text  # the header says what is missing and why


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_extracts_hold_only_the_five_kinds_of_axiom(paths, vocabulary):
    graph = _extract(paths.imports / f"{vocabulary}.ttl")
    node = URIRef(f"https://w3id.org/plangraf/ontology/imports/{vocabulary}")
    for s, p, o in graph:
        assert not isinstance(s, BNode) and not isinstance(o, BNode), (s, p, o)  # no class expressions
        assert not str(s).startswith(str(PG)), s  # plangraf's own terms live in ontology/plangraf.ttl
        if s == node:
            assert p in METADATA | {RDF.type}, p
        elif p == RDF.type:
            assert o in DECLARATIONS, (s, o)
        else:
            assert p in AXIOMS, (s, p, o)
    # nothing the targeted reasoner leaves to owlrl: the build keeps its fast path
    assert unsupported(graph) == []


def test_the_left_out_axioms_are_not_there(paths):
    graph = load_imports(paths)
    assert (PROV.wasAttributedTo, RDFS.range, PROV.Agent) not in graph
    assert (DCTERMS.bibliographicCitation, RDFS.subPropertyOf, DCTERMS.identifier) not in graph
    assert not any(str(o).startswith("http://purl.org/dc/elements/1.1/") for o in graph.objects())
    assert (ORG.FormalOrganization, RDFS.subClassOf, ORG.Organization) in graph
    assert (ELI.LegalResourceSubdivision, RDFS.subClassOf, ELI.LegalResource) in graph


# --- (b) what they entail ---------------------------------------------------------


def test_a_document_owned_by_a_municipality_without_findings_conforms(bergen_study, root, shapes, tmp_path):
    result = build_graph(Paths(root=root, data=bergen_study, out=tmp_path / "build"))
    assert (BERGEN, RDF.type, ORG.Organization) in result.inferred  # from org:FormalOrganization
    assert not any(result.union().objects(BERGEN, PG.municipalityReflects))  # no findings of its own
    report = validate_graph(result.union(), shapes)
    assert _owner_issues(report) == []
    assert not report.has_violations, [(i.shape, i.focus) for i in report.issues if i.severity == "Violation"]


def test_without_the_imports_the_same_study_had_the_false_violation(bergen_study, root, shapes, tmp_path, monkeypatch):
    # both the loader and the build's identity (whose key keeps the parsed base apart) see no imports
    monkeypatch.setattr(build_inputs, "import_files", lambda folder: [])
    monkeypatch.setattr(core_paths, "import_files", lambda folder: [])
    result = build_graph(Paths(root=root, data=bergen_study, out=tmp_path / "build"))
    assert (BERGEN, RDF.type, ORG.Organization) not in result.inferred
    issues = _owner_issues(validate_graph(result.union(), shapes))
    assert [i.focus for i in issues] == [str(PGID["document/bergen-digitaliseringsstrategi"])], issues
    assert {i.severity for i in issues} == {"Violation"}


def test_provisions_are_legal_resources(built):
    union = built.union()
    provisions = set(union.subjects(RDF.type, PG.Provision))
    assert provisions
    assert all((p, RDF.type, ELI.LegalResource) in union for p in provisions)


def test_no_node_is_both_a_legal_resource_and_a_legal_expression(built):
    # eli:title and eli:title_short have rdfs:domain eli:LegalExpression: on a law they would
    # make it an expression too (ontology/imports/eli.ttl)
    union = built.union()
    resources = set(union.subjects(RDF.type, ELI.LegalResource))
    expressions = set(union.subjects(RDF.type, ELI.LegalExpression))
    assert resources and resources.isdisjoint(expressions)


def test_ranges_type_no_resource_as_a_literal(built):
    literal_types = {RDFS.Literal, XSD.string, XSD.date}
    assert not [s for s, o in built.inferred.subject_objects(RDF.type) if o in literal_types]


@pytest.mark.parametrize("example", sorted((EXAMPLES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_every_invalid_shape_example_is_still_reported_with_the_imports(root, shapes, example):
    # e.g. prov:wasAttributedTo rdfs:range prov:Agent would hide pgsh:Finding-coder
    graph = _with_imports(root, root / "data" / "reference" / "vocabularies.ttl", example)
    report = validate_graph(graph + infer(graph), shapes)
    assert example.stem in {i.shape[len(PGSH) :] for i in report.issues}


def test_the_valid_shape_example_still_conforms_with_the_imports(root, shapes):
    graph = _with_imports(root, root / "data" / "reference" / "vocabularies.ttl", EXAMPLES / "valid.ttl")
    assert validate_graph(graph + infer(graph), shapes).issues == []


# --- (c) the targeted reasoner and owlrl agree with the imports loaded ------------------


def _instances() -> Graph:
    """A little of everything the extracts say something about."""
    g = Graph()
    g.add((EX.bergen, RDF.type, PG.Municipality))
    g.add((EX.doc, PG.owner, EX.bergen))
    g.add((EX.coop, RDF.type, PG.Cooperation))
    g.add((EX.coop, ORG.hasMember, EX.bergen))
    g.add((EX.membership, ORG.member, EX.bergen))
    g.add((EX.membership, ORG.organization, EX.coop))
    g.add((EX.unit, ORG.unitOf, EX.bergen))
    g.add((EX.section, RDF.type, PG.Provision))
    g.add((EX.section, ELI.is_part_of, EX.law))
    g.add((EX.law_nb, ELI.realizes, EX.law))
    g.add((EX.law_nb, ELI.title, Literal("Lov om kommuner", lang="nb")))
    g.add((EX.law_nb, ELI.language, EX.nob))
    g.add((EX.period, DCAT.startDate, Literal("2020-01-01", datatype=XSD.date)))
    g.add((EX.doc, DCTERMS.temporal, EX.period))
    g.add((EX.doc, DCTERMS.source, EX.thesis))
    g.add((EX.doc, DCTERMS.alternative, Literal("Strategien", lang="nb")))
    g.add((EX.finding, PROV.wasAttributedTo, EX.coder))
    g.add((EX.finding, PROV.wasDerivedFrom, EX.thesis))
    g.add((EX.study, PROV.used, EX.thesis))
    g.add((EX.response, PROV.wasAssociatedWith, EX.bergen))
    g.add((EX.concept, RDF.type, SKOS.Concept))
    return g


def test_the_targeted_reasoner_gives_owlrls_entailments_with_the_imports(root):
    asserted = _with_imports(root)
    asserted += _instances()
    assert unsupported(asserted) == []
    expected = set(infer_owlrl(asserted))
    got = set(filter_inferred(infer_targeted(asserted)))
    assert got - expected == set(), sorted(got - expected)[:10]
    assert expected - got == set(), sorted(expected - got)[:10]
    for triple in [
        (EX.bergen, RDF.type, ORG.Organization),
        (EX.bergen, RDF.type, FOAF.Agent),
        (EX.bergen, ORG.memberOf, EX.coop),
        (EX.bergen, ORG.hasUnit, EX.unit),
        (EX.bergen, RDF.type, PROV.Agent),
        (EX.section, RDF.type, ELI.LegalResource),
        (EX.law, ELI.has_part, EX.section),
        (EX.law, ELI.is_realized_by, EX.law_nb),
        (EX.law_nb, RDF.type, ELI.LegalExpression),
        (EX.period, RDF.type, DCTERMS.PeriodOfTime),
        (EX.doc, DCTERMS.relation, EX.thesis),
        (EX.doc, DCTERMS.title, Literal("Strategien", lang="nb")),
        (EX.finding, PROV.wasInfluencedBy, EX.thesis),
        (EX.study, RDF.type, PROV.Activity),
    ]:
        assert triple in expected, triple
    assert (EX.coder, RDF.type, PROV.Agent) not in expected  # the range left out (prov.ttl)
    assert (EX.thesis, PROV.influenced, EX.finding) not in expected  # the inverse left out (prov.ttl)


# --- (d) the build's identity ------------------------------------------------------------


def test_editing_an_import_changes_the_build_identity_and_is_read_anew(bergen_study, root, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(root / "ontology", project / "ontology")
    shutil.copytree(root / "data" / "reference", project / "data" / "reference")
    paths = Paths(root=project, data=bergen_study, out=tmp_path / "build")
    before = Identity.of(paths)
    assert "ontology/imports/org.ttl" in before.inputs
    assert (BERGEN, RDF.type, ORG.Organization) in build_graph(paths).inferred

    org = project / "ontology" / "imports" / "org.ttl"
    axiom = "rdfs:subClassOf org:Organization , foaf:Organization ."  # of org:FormalOrganization
    text = org.read_text("utf-8")
    assert text.count(axiom) == 1
    org.write_text(text.replace(axiom, "rdfs:subClassOf foaf:Organization ."), "utf-8")
    after = Identity.of(paths)
    assert after.key != before.key
    assert after.changes_since({"format": MANIFEST_FORMAT, **before.to_json()}) == ["ontology/imports/org.ttl changed"]
    # the parsed base graph is not reused for the new contents
    assert (BERGEN, RDF.type, ORG.Organization) not in build_graph(paths).inferred
