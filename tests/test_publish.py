"""`plangraf publish OUT`: a release with the graph in four formats, a JSON-LD context, the
ontology, shapes and their HTML docs, CITATION.cff and a DCAT-AP-NO description that Digdir's
shapes accept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH

from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.outputs.publish import Release, publish

FIXTURES = Path(__file__).parent / "fixtures"
RELEASE_ARGS = [
    "--contact-email",
    "data@example.org",
    "--publisher",
    "Universitetet i Agder",
    "--publisher-url",
    "https://data.brreg.no/enhetsregisteret/api/enheter/970546200",
    "--base-url",
    "https://example.org/plangraf/mini/2.1.0/",
    "--licence",
    "CC-BY-4.0",
]
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # a plain Namespace: pytest's collection probes module names


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("publish")
    study = base / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    out = base / "release"
    args = ["publish", str(out), "--data", str(study), "--version", "2.1.0", *RELEASE_ARGS]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def test_release_files(release):
    names = sorted(str(p.relative_to(release)) for p in release.rglob("*") if p.is_file())
    assert names == [
        "CITATION.cff",
        "context.jsonld",
        "dcat.ttl",
        "graph.jsonld",
        "graph.nt",
        "graph.trig",
        "graph.ttl",
        "ontology/index.html",
        "ontology/plangraf.ttl",
        "shapes/plangraf-hierarchy-shapes.ttl",
        "shapes/plangraf-shapes.ttl",
    ]
    assert not [p for p in release.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_the_four_graph_files_hold_the_same_triples(release):
    turtle = Graph().parse(release / "graph.ttl")
    assert len(turtle) > 1000
    assert len(Graph().parse(release / "graph.nt")) == len(turtle)
    assert len(Graph().parse(release / "graph.jsonld")) == len(turtle)
    dataset = Dataset()
    dataset.parse(release / "graph.trig")
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert set(graphs) == {"https://w3id.org/plangraf/graph/asserted", "https://w3id.org/plangraf/graph/inferred"}


def test_jsonld_context_names_the_vocabulary(release):
    context = json.loads((release / "context.jsonld").read_text("utf-8"))["@context"]
    assert context["Finding"] == "https://w3id.org/plangraf/ontology#Finding"
    assert context["reflects"] == {"@id": "https://w3id.org/plangraf/ontology#reflects", "@type": "@id"}
    # a document that uses the context file reads as plangraf terms
    doc = {"@context": context, "@id": "https://example.org/f", "@type": "Finding"}
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (URIRef("https://example.org/f"), None, URIRef(context["Finding"])) in g


def test_citation_and_ontology_docs(release):
    cff = yaml.safe_load((release / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == "2.1.0" and cff["type"] == "dataset"
    assert cff["authors"] and all(a["name"] for a in cff["authors"])
    html = (release / "ontology" / "index.html").read_text("utf-8")
    assert "<title>The plangraf ontology" in html and "Finding" in html


def _dcat_violations(data: Graph, shared_reference: Path) -> list[str]:
    folder = shared_reference / "dcat-ap-no_informasjonsforvaltning"
    shapes = Graph().parse(folder / "DCAT-AP-NO-shacl_shapes_2.00.ttl")
    ontologies = Graph().parse(folder / "ontologies.ttl")
    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontologies, inference="rdfs", allow_warnings=True
    )
    return [
        str(m) for r in results.subjects(SH.resultSeverity, SH.Violation) for m in results.objects(r, SH.resultMessage)
    ]


def test_dcat_ap_no_description_has_zero_violations(release, shared_reference):
    dcat = Graph().parse(release / "dcat.ttl")
    dataset = next(dcat.subjects(None, DCAT.Dataset))
    assert len(list(dcat.objects(dataset, DCAT.distribution))) == 4
    for prop in (DCTERMS.publisher, DCTERMS.license, DCAT.theme, DCTERMS.spatial, DCTERMS.temporal, DCAT.contactPoint):
        assert (dataset, prop, None) in dcat, prop
    assert (dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/plangraf/ontology")) in dcat
    assert _dcat_violations(dcat, shared_reference) == []
    dcat.remove((dataset, DCTERMS.publisher, None))  # the check can fail: the publisher is required
    assert _dcat_violations(dcat, shared_reference)


def test_existing_release_is_refused_then_replaced_with_force(release, tmp_path):
    copy = tmp_path / "release"
    shutil.copytree(release, copy)
    (copy / "stale.txt").write_text("old", encoding="utf-8")
    study = FIXTURES / "mini-study"
    refused = CliRunner().invoke(main, ["publish", str(copy), "--data", str(study), *RELEASE_ARGS])
    assert refused.exit_code == 2 and "release folder exists" in refused.output
    assert (copy / "stale.txt").exists()
    forced = CliRunner().invoke(main, ["publish", str(copy), "--data", str(study), "--force", *RELEASE_ARGS])
    assert forced.exit_code == 0, forced.output
    assert not (copy / "stale.txt").exists() and (copy / "dcat.ttl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]  # no staging or old folder left


def test_a_study_with_violations_is_not_published(tmp_path, root):
    strict_root = tmp_path / "root"  # the real ontology and reference data, and a stricter shape
    (strict_root / "ontology" / "shapes").mkdir(parents=True)
    shutil.copy2(root / "ontology" / "plangraf.ttl", strict_root / "ontology")
    shutil.copy2(FIXTURES / "strict-shapes" / "strict.ttl", strict_root / "ontology" / "shapes")
    shutil.copytree(root / "data" / "reference", strict_root / "data" / "reference")
    out = tmp_path / "out" / "release"
    paths = Paths(root=strict_root, data=FIXTURES / "mini-study")
    with pytest.raises(PlangrafError, match=r"does not conform, nothing published: Does not conform\. 2 violation"):
        publish(paths, out, Release("1.0.0", "Someone", "https://example.org/someone"))
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_a_release_without_publisher_contact_or_landing_page_is_refused(tmp_path):
    """Issue 26: 'plangraf developers' and a w3id.org landing page were used unasked."""
    out = tmp_path / "release"
    result = CliRunner().invoke(main, ["publish", str(out), "--data", str(FIXTURES / "mini-study")])
    assert result.exit_code == 2
    assert "--publisher, --publisher-url, --contact-email, --base-url, --licence" in result.output
    assert not out.exists()


def test_a_study_with_placeholders_is_refused_naming_each(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    text = (study / "larvik.yaml").read_text("utf-8")
    (study / "larvik.yaml").write_text(text.replace("source:", 'source: "TODO: section" #', 1), "utf-8")
    line = text[: text.index("source:")].count("\n") + 1
    out = tmp_path / "release"
    result = CliRunner().invoke(main, ["publish", str(out), "--data", str(study), *RELEASE_ARGS])
    assert result.exit_code == 2
    assert (
        f"1 placeholder(s) to replace first, nothing published: {study / 'larvik.yaml'}:{line} source" in result.output
    )
    assert not out.exists()
