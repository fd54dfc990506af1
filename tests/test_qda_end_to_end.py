"""REFI-QDA through the command line with the real study loader: import checked by the loader
before it writes, then build, validate and the report (agreement section, coders on findings)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.outputs.report import collect, render
from plangraf.qda.studyfiles import StudyFiles, write_all
from qda_projects import two_coder_project

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "reference" / "refi-qda" / "xsd"

pytestmark = pytest.mark.skipif(not XSD.is_dir(), reason="shared REFI-QDA reference folder not present")


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def two_coders(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("e2e")
    folder = tmp / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    result = cli("import-qdpx", str(two_coder_project(tmp / "two.qdpx")), "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "coder added: coder-a (Coder A)" in result.output
    return folder


def test_imported_study_builds_and_validates(two_coders, tmp_path):
    result = cli("build", "--data", str(two_coders), "--build-dir", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    result = cli("validate", "--data", str(two_coders), "--build-dir", str(tmp_path / "build"), "-q")
    assert result.exit_code == 0, result.output


def test_second_import_changes_nothing(two_coders, tmp_path):
    before = {p.name: p.read_bytes() for p in two_coders.glob("*.yaml")}
    result = cli("import-qdpx", str(two_coder_project(tmp_path / "two.qdpx")), "--data", str(two_coders))
    assert result.exit_code == 0 and "Changed: nothing (already imported)" in result.output
    assert {p.name: p.read_bytes() for p in two_coders.glob("*.yaml")} == before


def test_report_has_agreement_and_coders(two_coders):
    result = build_graph(Paths(root=ROOT, data=two_coders))
    data = collect(result.union(), ROOT / "queries")
    assert data["agreement"] is not None
    assert {"coder-a", "coder-b"} <= set(data["agreement"]["coders"])
    pages = render(data)
    assert "Samsvar mellom kodere" in pages["index.html"]
    assert "kodet av Coder A, Coder B" in pages["evidence.html"] or "kodet av Coder A" in "".join(pages.values())


def test_report_without_second_coder_has_no_agreement_section(built):
    data = collect(built.union(), ROOT / "queries")
    assert data["agreement"] is None
    assert "Samsvar mellom kodere" not in render(data)["index.html"]


def test_export_then_import_into_an_empty_study_through_the_cli(tmp_path):
    archive = tmp_path / "study.qdpx"
    assert cli("export-qdpx", "--out", str(archive)).exit_code == 0
    empty = tmp_path / "empty"
    shutil.copytree(ROOT / "data" / "study-2020", empty)
    files = StudyFiles.read(empty)
    for doc_id in files.documents():
        files.editable_document(doc_id)["findings"] = []
    write_all(files.rendered())
    result = cli("import-qdpx", str(archive), "--data", str(empty))
    assert result.exit_code == 0, result.output
    count = sum(len(doc.get("findings") or []) for _, doc in StudyFiles.read(empty).documents().values())
    original = sum(
        len(doc.get("findings") or []) for _, doc in StudyFiles.read(ROOT / "data" / "study-2020").documents().values()
    )
    assert count == original


def test_a_study_the_loader_refuses_is_not_written(tmp_path):
    from qda_projects import Sel, Src, code_guid, guid, qde, write_qdpx

    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    unknown = guid("unknown-goal")
    src = Src("sandnes-helt-enkelt", "En setning.", [Sel(0, 11, guid("k"), [unknown, code_guid("relation/thematic")])])
    codes = {unknown: "Ukjent", code_guid("relation/thematic"): "Tematisk"}
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", {guid("k"): "Kari"}, codes, [src]), [src])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("codes:\n  Ukjent: guidance/no-such-goal\ndefault_elements: [information]\n")
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    result = cli("import-qdpx", str(archive), "--data", str(folder), "--map", str(mapping))
    assert result.exit_code == 2
    assert "the imported study would not load" in result.output and "no-such-goal" in result.output
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
