"""Issue 23: the changes of 2013–2019 that touch the studied municipalities, from SSB's
crosswalk of numbers, as org:ChangeEvents with their predecessors known by number only and
the bounds the registers give for the undated change."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from plangraf.check.shacl import validate_graph
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.rdf.namespaces import DCTERMS, ORG, PG, PGID

FIXTURES = Path(__file__).parent / "fixtures"
CROSSWALK = "ssb-kommuneinndeling_gardenberg-kommunekoder/kommunenummer_fra2013_til2020_long.csv"


@pytest.fixture(scope="module")
def reference(root) -> Graph:
    return Graph().parse(root / "data" / "reference" / "municipalities.ttl")


def _numbers(g: Graph, org: URIRef) -> set[str]:
    return {str(g.value(n, SKOS.notation)) for n in g.objects(org, PG.hasNumber)}


@pytest.mark.parametrize(("name", "number"), [("sandefjord", "3804"), ("larvik", "3805")])
def test_the_register_s_older_numbers_are_predecessors_of_an_undated_merger(reference, shared_reference, name, number):
    g = reference
    rows = csv.DictReader(io.StringIO((shared_reference / CROSSWALK).read_text("iso-8859-1")), delimiter=";")
    historic = {r["historisk_nummer"] for r in rows if r["kommunenummer_2020"] == number}
    org = PGID[f"municipality/{name}"]
    (number_2019,) = {n for n in _numbers(g, org) if n.startswith("07")}  # 0710, 0712
    (event,) = [e for e in g.objects(org, ORG.resultedFrom) if "before-2019" in str(e)]
    assert (event, RDF.type, ORG.ChangeEvent) in g
    assert set(g.objects(event, ORG.resultingOrganization)) == {org}
    originals = set(g.objects(event, ORG.originalOrganization))
    assert set().union(*(_numbers(g, o) for o in originals)) == historic - {number_2019}
    # no date the registers do not give: the bounds they do give
    assert g.value(event, DCTERMS.date) is None
    assert (str(g.value(event, PG.changedAfter)), str(g.value(event, PG.changedBy))) == ("2013-01-01", "2019-01-01")
    for o in originals:
        # a municipality's name is Norwegian (the Municipality-label shape); English as rdfs:label
        assert {label.language for label in g.objects(o, SKOS.prefLabel)} == {"nb"}
        assert {label.language for label in g.objects(o, RDFS.label)} == {"nb", "en"}
        (n,) = g.objects(o, PG.hasNumber)
        for fact in (event, o, n):
            assert str(g.value(fact, DCTERMS.source)).startswith("https://w3id.org/plangraf/id/source/")
        assert str(g.value(g.value(n, PG.inCounty), SKOS.notation)) == "07"


def test_no_other_studied_municipality_changed_before_2019(reference):
    events = {
        str(e).rsplit("/", 1)[1] for e in reference.subjects(RDF.type, ORG.ChangeEvent) if "before-2019" in str(e)
    }
    assert events == {"0710", "0712"}


@pytest.mark.parametrize(("adopted", "violation"), [("2014-05-20", False), ("2019-03-01", True)])
def test_a_document_adopted_by_a_municipality_merged_into_larvik_is_its_own(tmp_path, shapes, adopted, violation):
    """Owned by the municipality numbered 0728 (Larvik's predecessor): adopted in 2014 it may
    have existed; adopted after the latest day of the change it cannot have."""
    data = tmp_path / "data" / "study-2020"
    shutil.copytree(FIXTURES / "mini-study", data)
    larvik = data / "larvik.yaml"
    larvik.write_text(
        larvik.read_text()
        + f"""  - id: mini-kommune-0728-plan
    title: Kommuneplanens samfunnsdel
    plan_level: samfunnsdel
    owner: kommune-0728
    status: adopted
    adopted: {adopted}
    obtained: thesis
    source: "4.3.3"
"""
    )
    graph = build_graph(Paths(root=Path(__file__).resolve().parents[1], data=data, out=tmp_path / "b")).union()
    doc = PGID["document/mini-kommune-0728-plan"]
    assert graph.value(doc, PG.owner) == PGID["municipality/kommune-0728"]  # not today's Larvik
    report = validate_graph(graph, shapes)
    fired = [i.focus for i in report.issues if i.shape.endswith("#OwnerExistedAtAdoption")]
    assert fired == ([str(doc)] if violation else [])
    assert not [i for i in report.issues if "#ChangeEvent" in i.shape]
