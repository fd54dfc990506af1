"""Agreement between coders, checked against published worked examples and on a generated
two-coder project whose passages reproduce one of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.qda.agreement import agreement_for_study, measures, overlaps, shared_length
from plangraf.qda.codebook import build_codebook, code_index
from plangraf.qda.importer import run_import
from plangraf.qda.mapping import Mapping
from plangraf.qda.refi_read import read_project
from plangraf.qda.studyfiles import StudyFiles, write_all
from qda_projects import two_coder_project

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "reference" / "refi-qda" / "xsd"

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43
# Section A: binary data, two observers, no missing data: alpha = 0.095.
BINARY_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
BINARY_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
# Section C: nominal data, four observers, twelve units, missing data: alpha (nominal) = 0.743.
N = None
NOMINAL = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_krippendorff_binary_example():
    result = measures([BINARY_A, BINARY_B], ["a", "b"])
    assert result.units == 10
    assert round(result.alpha, 3) == 0.095
    assert result.percent == pytest.approx(0.6)


def test_krippendorff_nominal_example_with_missing_data():
    result = measures(NOMINAL, ["a", "b", "c", "d"])
    assert round(result.alpha, 3) == 0.743
    assert result.units == 11  # unit 12 has one value only: not pairable


def test_cohen_kappa_textbook_example():
    # Fleiss, J. L., Levin, B. & Paik, M. C. (2003). Statistical Methods for Rates and
    # Proportions, 3rd ed., Wiley, ch. 18 (The measurement of interrater agreement): two raters
    # diagnose 100 subjects as psychotic / neurotic / organic; cells (75, 1, 4 / 5, 4, 1 / 0, 0, 10);
    # p_o = 0.89, p_e = 0.66, kappa = 0.68 (0.676).
    cells = {("P", "P"): 75, ("P", "N"): 1, ("P", "O"): 4, ("N", "P"): 5, ("N", "N"): 4, ("N", "O"): 1}
    cells[("O", "O")] = 10
    a = [x for (x, _), n in cells.items() for _ in range(n)]
    b = [y for (_, y), n in cells.items() for _ in range(n)]
    result = measures([a, b], ["a", "b"])
    assert result.percent == pytest.approx(0.89)
    assert round(result.kappa[("a", "b")], 3) == 0.676


def test_undefined_statistics_are_none_not_a_crash():
    result = measures([["x", "x"], ["x", "x"]], ["a", "b"])
    assert result.percent == 1.0 and result.alpha is None and result.kappa[("a", "b")] is None


def test_overlap_rule_on_text():
    assert shared_length("abcdef", "cd") == 2 and overlaps("abcdef", "cd")
    assert shared_length("abcdef", "efgh") == 2 and overlaps("abcdef", "efgh")
    assert not overlaps("abcdef", "efghijklmn")  # shares 2 of the shorter's 6
    assert not overlaps("one sentence.", "another one.")


def empty_findings(folder: Path) -> None:
    """The study with its documents but none of the thesis's findings."""
    files = StudyFiles.read(folder)
    for doc_id in files.documents():
        files.editable_document(doc_id)["findings"] = []
    write_all(files.rendered())


@pytest.fixture(scope="module")
def coded_study(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("agreement")
    folder = tmp / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    empty_findings(folder)
    archive = two_coder_project(tmp / "two.qdpx")
    codebook = code_index(build_codebook(ROOT / "data" / "reference"))
    run_import(read_project(archive, XSD), folder, codebook, Mapping())
    return folder


def test_passage_agreement_reproduces_the_binary_example(coded_study):
    result = agreement_for_study(coded_study, "passage")
    assert result.coders == ["coder-a", "coder-b"]
    g1 = result.per_code["meld-st-27/brukeren-i-sentrum"]
    assert g1.units == 10
    assert round(g1.alpha, 3) == 0.095
    assert g1.percent == pytest.approx(0.6)
    # kappa for A|B on the same data: p_o = 0.6, p_e = 0.2*0.4 + 0.8*0.6 = 0.56 -> 0.04 / 0.44
    assert g1.kappa[("coder-a", "coder-b")] == pytest.approx(0.04 / 0.44)
    g2 = result.per_code["meld-st-27/digital-kompetanse-deltakelse"]
    assert g2.percent == 1.0 and g2.alpha is None


def test_applied_columns_leave_out_the_units_nobody_coded(coded_study):
    applied = agreement_for_study(coded_study, "passage").applied["meld-st-27/brukeren-i-sentrum"]
    # Of the 10 passages, A or B applied G1 to 5 (1, 2, 3, 6, 9); they agree on one (2).
    # A: nc th nc nc th; B: th th th th nc. p_o = 0.2, p_e = 0.4*0.8 + 0.6*0.2 = 0.44
    # -> kappa = -0.24/0.56 = -3/7; both coders' binary alpha over the same 5 units:
    # n = 10 values (6 th, 4 nc), 4 disagreeing units: D_o = 8/10, D_e = 2*6*4/90 -> 1 - 0.8/(48/90) = -0.5
    assert applied.units == 5 and applied.percent == pytest.approx(0.2)
    assert applied.kappa[("coder-a", "coder-b")] == pytest.approx(-3 / 7)
    assert applied.alpha == pytest.approx(-0.5)


def test_document_agreement_counts_documents(coded_study):
    result = agreement_for_study(coded_study, "document")
    g1 = result.per_code["meld-st-27/brukeren-i-sentrum"]
    # document 1: both coded G1; document 2: only B (passage 5); document 3: only A (passage 8)
    assert g1.units == 3 and g1.percent == pytest.approx(1 / 3)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_agreement_command_formats(coded_study, fmt):
    result = CliRunner().invoke(main, ["agreement", "--data", str(coded_study), "--unit", "passage", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert round(data["codes"]["meld-st-27/brukeren-i-sentrum"]["alpha_nominal"], 3) == 0.095
        assert "half of the shorter" in data["overlap_rule"]
    elif fmt == "csv":
        assert result.output.splitlines()[0].startswith("code,units,agreement %,alpha,kappa coder-a|coder-b")
    else:
        assert "0.095" in result.output and "Units: passage" in result.output


def test_agreement_needs_two_coders():
    result = CliRunner().invoke(main, ["agreement", "--data", str(ROOT / "data" / "study-2020")])
    assert result.exit_code == 2 and "fewer than two coders" in result.output
