"""plangraf's REFI-QDA codebook and project export: schema-valid, stable GUIDs, round trip."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from rdflib import Graph, Literal, URIRef

from plangraf.cli.main import main
from plangraf.qda.codebook import build_codebook, code_index
from plangraf.qda.importer import normalise, run_import
from plangraf.qda.mapping import Mapping
from plangraf.qda.refi_read import read_project
from plangraf.qda.refi_write import effective_links
from plangraf.qda.studyfiles import StudyFiles, write_all

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "reference" / "refi-qda" / "xsd"
PGID = "https://w3id.org/plangraf/id/"
NS = {"c": "urn:QDA-XML:codebook:1.0", "p": "urn:QDA-XML:project:1.0"}

pytestmark = pytest.mark.skipif(not XSD.is_dir(), reason="shared REFI-QDA reference folder not present")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


@pytest.fixture(scope="module")
def qdc(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("codebook") / "plangraf.qdc"
    result = CliRunner().invoke(main, ["codebook", "--format", "qdc", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_codebook_validates_and_is_the_same_every_time(qdc):
    tree = etree.fromstring(qdc)
    schema("Codebook-mrt2019.xsd").assertValid(tree)
    again = CliRunner().invoke(main, ["codebook"])
    assert again.exit_code == 0 and again.output.encode("utf-8") == qdc


def code(tree, iri_tail: str):
    guid = str(uuid.uuid5(uuid.NAMESPACE_URL, PGID + iri_tail)).upper()
    found = tree.xpath("//c:Code[@guid=$g]", namespaces=NS, g=guid)
    assert len(found) == 1, iri_tail
    return found[0]


def test_codebook_hierarchy_labels_and_descriptions(qdc):
    tree = etree.fromstring(qdc)
    guidance = Graph().parse(ROOT / "data" / "reference" / "guidance.ttl")
    goal = URIRef(PGID + "guidance/meld-st-27/brukeren-i-sentrum")
    definition = next(str(d) for d in guidance.objects(goal, URIRef("http://www.w3.org/2004/02/skos/core#definition")))
    node = code(tree, "guidance/meld-st-27/brukeren-i-sentrum")
    assert node.get("name").endswith("Brukeren i sentrum")  # the nb label
    assert node.find("c:Description", NS).text.startswith(" ".join(definition.split()))
    assert node.getparent() is code(tree, "guidance/meld-st-27")  # document -> goal
    sub = code(tree, "guidance/meld-st-27/sammenhengende-helhetlige-tjenester")
    assert sub.getparent() is node  # goal -> sub-goal
    label = Literal("Verdi for samfunnet", lang="nb")
    assert code(tree, "egovwsf/value-for-society").get("name") == str(label)
    relations = [code(tree, f"relation/{how}") for how in ("explicit-reference", "verbatim", "paraphrase")]
    relations += [code(tree, f"relation/{how}") for how in ("thematic", "absent")]
    assert all(r.get("isCodable") == "true" for r in relations)
    vocabularies = Graph().parse(ROOT / "data" / "reference" / "vocabularies.ttl")
    thematic = URIRef(PGID + "relation/thematic")
    skos = "http://www.w3.org/2004/02/skos/core#"
    nb = {
        p: next(str(o) for o in vocabularies.objects(thematic, URIRef(skos + p)) if o.language == "nb")
        for p in ("prefLabel", "definition")
    }
    assert relations[3].get("name").lower() == nb["prefLabel"]
    assert relations[3].find("c:Description", NS).text.startswith(nb["definition"])


def summary(folder: Path) -> dict:
    files = StudyFiles.read(folder)
    out = {}
    for _, doc in files.documents().values():
        for f in doc.get("findings") or []:
            links = sorted((x.guidance, x.how, x.coder, x.day) for x in effective_links(f, files.plain_study))
            out[f["id"]] = (doc["id"], f["evidence"], normalise(f["text"]), f.get("location"), f["source"])
            out[f["id"]] += (sorted(f["elements"]), sorted(f.get("absent_elements") or []), links)
    return out


def test_export_is_schema_valid_and_round_trips_into_an_empty_study(tmp_path):
    archive = tmp_path / "study.qdpx"
    result = CliRunner().invoke(main, ["export-qdpx", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(archive) as zf:
        schema("Project-mrt2019.xsd").assertValid(etree.fromstring(zf.read("project.qde")))
        assert all(name == "project.qde" or name.startswith("sources/") for name in zf.namelist())
    empty = tmp_path / "empty"
    shutil.copytree(ROOT / "data" / "study-2020", empty)
    files = StudyFiles.read(empty)
    for doc_id in files.documents():
        files.editable_document(doc_id)["findings"] = []
    write_all(files.rendered())
    codebook = code_index(build_codebook(ROOT / "data" / "reference"))
    run_import(read_project(archive, XSD), empty, codebook, Mapping())
    before, after = summary(ROOT / "data" / "study-2020"), summary(empty)
    assert len(after) == len(before) > 50
    assert after == before
    # and importing the export into the study it came from changes nothing
    again = run_import(read_project(archive, XSD), empty, codebook, Mapping())
    assert not again.changed
