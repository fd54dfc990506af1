"""Agreement over character ranges: the overlap rule, all and applied columns, ordinal α, n/a for
undefined statistics; pinned on a fixture where matching on text would merge two passages, and on
Krippendorff's published ordinal example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.qda.agreement import measures
from plangraf.qda.range_agreement import Reading, range_agreement, render, same_unit, units
from qda_projects import Sel, Src, code_guid, guid, qde, write_qdpx

ROOT = Path(__file__).resolve().parents[1]
DOC = "karmoy-ikt-digitaliseringsstrategi"
G1, G2 = "meld-st-27/brukeren-i-sentrum", "meld-st-27/digital-kompetanse-deltakelse"
A, B = guid("range-a"), guid("range-b")
S = "Kommunen skal gi alle innbyggere gode digitale tjenester."
T = "Vi bygger digital kompetanse i alle virksomheter."
U = "Innbyggerne skal delta i utviklingen av tjenestene."
FILLER = "x" * (197 - len(S))
TEXT = f"{S}{FILLER}{S}\n{T}\n{U}\n"  # S twice: the second starts 197 characters after the first


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def codes_for(guidance: str, how: str) -> list[str]:
    return [code_guid(f"guidance/{guidance}"), code_guid(f"relation/{how}"), code_guid("egovwsf/information")]


# A codes S at its first place, B the same words at the second; both code T (G1) and U (G2) alike.
SELECTIONS = [
    (at(TEXT, S, 0), A, codes_for(G1, "thematic")),
    (at(TEXT, S, 1), B, codes_for(G1, "thematic")),
    (at(TEXT, T), A, codes_for(G1, "verbatim")),
    (at(TEXT, T), B, codes_for(G1, "verbatim")),
    (at(TEXT, U), A, codes_for(G2, "paraphrase")),
    (at(TEXT, U), B, codes_for(G2, "paraphrase")),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ranges")
    sels = [Sel(s, e, user, codes, seed=f"r{i}") for i, ((s, e), user, codes) in enumerate(SELECTIONS)]
    src = Src(DOC, TEXT, sels)
    names = {code: code for _, _, codes in SELECTIONS for code in codes}
    return write_qdpx(tmp / "ranges.qdpx", qde("MAXQDA 24", {A: "Coder A", B: "Coder B"}, names, [src]), [src])


def cli_json(project: Path, *extra: str) -> dict:
    args = ["agreement", "--project", str(project), "--data", str(ROOT / "data" / "study-2020"), "--format", "json"]
    result = CliRunner().invoke(main, [*args, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def kappa(block: dict) -> float | None:
    return block["cohen_kappa"][0]["kappa"]


def test_ranges_keep_apart_what_text_matching_merges(project):
    data = cli_json(project)
    assert data["units"] == 4 and data["coders"] == ["coder-a", "coder-b"]
    every, applied = data["overall"]["all_columns"], data["overall"]["applied_columns"]
    # Worked by hand. Units: S@0 (A only), S@197 (B only), T, U; columns = 4 units x 2 items.
    # All 8 columns: 6 agree. A and B each: 1 thematic, 5 not-coded, 1 verbatim, 1 paraphrase;
    # p_e = (1 + 25 + 1 + 1) / 64, kappa = (0.75 - 0.4375) / 0.5625 = 5/9.
    # alpha: n = 16, 2 disagreeing units; D_o = 4/16, D_e = (256 - 112) / 240 = 0.6 -> 7/12.
    assert every["columns"] == 8 and every["percent_agreement"] == pytest.approx(0.75)
    assert kappa(every) == pytest.approx(5 / 9) and every["alpha_nominal"] == pytest.approx(7 / 12)
    # The 4 applied columns: 2 agree; p_e = 4 x (1/4)^2, kappa = 1/3; alpha: D_o = 4/8,
    # D_e = (64 - 16) / 56 -> 1 - 7/12 = 5/12. Matched on text, S would be one unit and agree.
    assert applied["columns"] == 4 and applied["percent_agreement"] == pytest.approx(0.5)
    assert kappa(applied) == pytest.approx(1 / 3) and applied["alpha_nominal"] == pytest.approx(5 / 12)
    assert "share at least 0.5 of the shorter" in data["overlap_rule"]


def test_ordinal_alpha_over_relation_kinds(project):
    applied = cli_json(project, "--ordinal")["overall"]["applied_columns"]
    # Ranks: not-coded 0, thematic 1, paraphrase 2, verbatim 3, each used twice (n = 8).
    # delta^2(c, k) = (sum of n_g from c to k - (n_c + n_k) / 2)^2: 4, 16, 36 for 1, 2, 3 ranks apart
    # at the ends; D_o = (1/8) x 4 x 4 = 2; D_e = 2 x 4 x (4+16+36+4+16+4) / 56 = 640/56 -> 0.825.
    assert applied["alpha_ordinal"] == pytest.approx(1 - 2 / (640 / 56))


def test_krippendorff_ordinal_example():
    # Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, section C: ordinal alpha = 0.815
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    result = measures(data, ["a", "b", "c", "d"], ranks={v: v for v in range(1, 6)})
    assert round(result.alpha, 3) == 0.815


def reading(start: int, end: int, coder: str = "a") -> Reading:
    return Reading("s", start, end, coder, ((G1, "thematic"),))


def test_the_overlap_rule_and_its_threshold():
    assert same_unit(reading(0, 100), reading(40, 100), 0.5)  # shares all of the shorter
    assert same_unit(reading(0, 100), reading(50, 150), 0.5)  # shares exactly half
    assert not same_unit(reading(0, 100), reading(51, 150), 0.5)
    assert same_unit(reading(0, 100), reading(51, 150), 0.4)
    assert not same_unit(reading(0, 10), reading(10, 20), 0.01)  # touching is not sharing
    assert len(units([reading(0, 10), reading(5, 15, "b"), reading(10, 20)], 0.5)) == 1  # transitive
    with pytest.raises(PlangrafError, match="overlap threshold must be above 0 and at most 1, not 1.5"):
        units([reading(0, 1)], 1.5)


def test_a_single_unit_gives_n_a_not_zero():
    result = range_agreement([reading(0, 10, "a"), Reading("s", 0, 10, "b", ((G1, "verbatim"),))])
    every, applied = result.overall or (None, None)
    assert every.units == 1 and every.alpha is None and every.kappa[("a", "b")] is None
    table = render(result, "table")
    assert "n/a" in table and "0.000" not in table
    assert measures([["x"], ["y"]], ["a", "b"]).alpha is None


def test_bad_overlap_is_one_line_exit_2(project):
    args = ["agreement", "--project", str(project), "--data", str(ROOT / "data" / "study-2020"), "--overlap", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "overlap threshold" in result.output


def test_text_matching_in_the_study_would_merge_the_two_places(project, tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    result = CliRunner().invoke(main, ["import-qdpx", str(project), "--data", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 passage(s) read" in result.output  # S at both places became one finding
