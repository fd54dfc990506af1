"""Claims that survive a change of coding (issue 10): verdicts under every admissible reading,
and the sets of claims no single reading makes agree together.

The engine is tested on tests/fixtures/provenance-study, whose alternatives are built for it:
``strategi-as-programme`` reads Larvik's strategy as a programme, ``ks-as-paraphrase``
changes a link of another finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plangraf.answers.claims import decisions_of, readings_over, study_claims
from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.study.loader import list_alternatives

FIXTURE = Path(__file__).parent / "fixtures" / "provenance-study"
PREFIXES = (
    "PREFIX pg: <https://w3id.org/plangraf/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX pgid: <https://w3id.org/plangraf/id/>\n"
)


def level_claim(claim_id: str, level: str, stated: int, **extra) -> dict:
    sparql = PREFIXES + (
        "SELECT DISTINCT ?municipality WHERE { ?doc pg:owner ?m ; "
        f"pg:planLevel <https://w3id.org/plangraf/id/plan-level/{level}> . ?m skos:prefLabel ?municipality . }}"
    )
    return {"id": claim_id, "section": "4.4", "quote": f"{claim_id} quote", "stated": stated, "sparql": sparql, **extra}


@pytest.fixture(scope="module")
def fixture_report(root, tmp_path_factory):
    claims = [
        level_claim("programme-1", "programme", 1),  # agrees only if the strategy is read as a programme
        level_claim("strategy-2", "sector-strategy", 2, group="strategy"),  # agrees only as written
        level_claim("strategy-none", "sector-strategy", 0, group="strategy", complement=True),  # its complement
        level_claim("samfunnsdel-1", "samfunnsdel", 1),  # untouched by any reading
        level_claim("samfunnsdel-5", "samfunnsdel", 5),  # disagrees under every reading
        level_claim("samfunnsdel-at-least-1", "samfunnsdel", 1, compare="at-least"),
    ]
    path = tmp_path_factory.mktemp("claims") / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}, allow_unicode=True), encoding="utf-8")
    paths = Paths(root=root, data=FIXTURE, out=tmp_path_factory.mktemp("build"))
    return study_claims(paths, path)


def by_id(report) -> dict:
    return {c.id: c for c in report.claims}


def test_readings_are_every_combination_of_the_touching_decisions():
    decisions = decisions_of(list_alternatives(FIXTURE))
    assert decisions == {
        "prov-larvik-strategi.plan_level": ["strategi-as-programme"],
        "prov-larvik-ks.reflects": ["ks-as-paraphrase"],
    }
    combos = readings_over(decisions, sorted(decisions))
    assert sorted(map(sorted, combos)) == [
        [],
        ["ks-as-paraphrase"],
        ["ks-as-paraphrase", "strategi-as-programme"],
        ["strategi-as-programme"],
    ]


def test_verdicts_under_every_reading(fixture_report):
    claims = by_id(fixture_report)
    programme = claims["programme-1"]
    assert programme.decisions == ["prov-larvik-strategi.plan_level"]
    assert programme.computed_by_reading == {"default": 0, "strategi-as-programme": 1}
    assert programme.verdict == "depends-on-coding"
    assert programme.agreeing_readings == ["strategi-as-programme"]
    assert claims["strategy-2"].verdict == "depends-on-coding"
    assert claims["strategy-2"].agreeing_readings == ["default"]
    untouched = claims["samfunnsdel-1"]
    assert (untouched.decisions, untouched.verdict, untouched.computed_by_reading) == ([], "agree", {"default": 1})
    assert claims["samfunnsdel-5"].verdict == "disagree"
    assert claims["samfunnsdel-at-least-1"].verdict == "agree"


def test_complement_counts_the_studied_municipalities_not_in_the_answer(fixture_report):
    none = by_id(fixture_report)["strategy-none"]
    # both have a sector strategy as written (Tønsberg's is a draft); read as a programme, Larvik has none
    assert none.municipalities_by_reading == {"default": [], "strategi-as-programme": ["Larvik"]}
    assert none.agreeing_readings == ["default"]


def test_claims_that_no_single_reading_satisfies_together(fixture_report):
    sets = {tuple(s.claims): s.readings_tried for s in fixture_report.inconsistent_sets}
    # each agrees under some reading, but never under the same one
    assert sets == {
        ("programme-1", "strategy-2"): ["default", "strategi-as-programme"],
        ("programme-1", "strategy-none"): ["default", "strategi-as-programme"],
        ("samfunnsdel-5",): ["default"],
    }
    # strategy-2 and strategy-none agree together (as written): they are in no set together
    assert fixture_report.groups == 5  # strategy-1 and strategy-none state one fact


def test_claims_json_has_claims_and_inconsistent_sets(root, tmp_path):
    claims = [level_claim("programme-1", "programme", 1), level_claim("strategy-2", "sector-strategy", 2)]
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    args = ["--root", str(root), "claims", "--data", str(FIXTURE), "--build-dir", str(tmp_path / "b")]
    result = CliRunner().invoke(main, [*args, "--file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["claims"][0]
    assert {"id", "section", "quote", "stated", "computed", "verdict", "municipalities"} <= set(first)
    assert first["computed"] == {"default": 0, "strategi-as-programme": 1}
    assert first["municipalities"] == {"default": [], "strategi-as-programme": ["Larvik"]}
    assert data["inconsistent_sets"] == [
        {"claims": ["programme-1", "strategy-2"], "readings_tried": ["default", "strategi-as-programme"]}
    ]
    assert {r["id"] for r in data["readings"]} == {"strategi-as-programme", "ks-as-paraphrase"}


def test_a_broken_claim_is_named_and_the_others_still_run(root, tmp_path):
    claims = [level_claim("fine", "samfunnsdel", 1), {**level_claim("broken", "x", 1), "sparql": "SELECT nonsense"}]
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    args = ["--root", str(root), "claims", "--data", str(FIXTURE), "--build-dir", str(tmp_path / "b")]
    result = CliRunner().invoke(main, [*args, "--file", str(path)])
    assert result.exit_code == 2
    assert "claim broken:" in result.output
    assert "fine" in result.output and "1 agree" in result.output


@pytest.fixture(scope="module")
def study_report(paths, tmp_path_factory):
    study_paths = Paths(root=paths.root, data=paths.study, out=tmp_path_factory.mktemp("study-build"))
    return study_claims(study_paths, paths.study / "claims.yaml")


def test_study_claims_under_every_admissible_reading(study_report):
    summary = study_report.as_json()["summary"]
    assert summary == {"claims": 32, "independent": 21, "agree": 18, "depends-on-coding": 12, "disagree": 2}
    claims = by_id(study_report)
    # 4.4's five strategies hold as written (Sandnes – helt enkelt's status is unknown)
    # six only if Sandnes – helt enkelt is both adopted and a strategy; read as a programme, five either way
    assert claims["strategies-4.4"].computed_by_reading == {
        "default": 5,
        "sandnes-helt-enkelt-adopted": 6,
        "sandnes-helt-enkelt-as-programme": 5,
        "sandnes-helt-enkelt-adopted+sandnes-helt-enkelt-as-programme": 5,
    }
    assert claims["strategies-4.4"].decisions == ["sandnes-helt-enkelt.plan_level", "sandnes-helt-enkelt.status"]
    # "en tredje måte" (5.5) holds only if Sandnes – helt enkelt is read as a programme
    assert claims["programme-5.5"].agreeing_readings == ["sandnes-helt-enkelt-as-programme"]
    assert claims["coordination-4.4"].municipalities == ["Porsgrunn", "Sandnes", "Tønsberg"]
    assert claims["coordination-4.4"].agreeing_readings == ["tonsberg-portefoljestyre-as-management-team"]
    assert claims["coordination-groups-5.1"].agreeing_readings == ["default"]
    assert claims["kommuneplan-guidance-5.5"].verdict == "disagree"


def test_the_coordination_claims_of_4_4_and_5_1_are_a_set_no_reading_satisfies(study_report):
    sets = [tuple(s.claims) for s in study_report.inconsistent_sets]
    assert ("coordination-4.4", "coordination-groups-5.1") in sets
    assert ("coordination-groups-5.1", "no-coordination-4.4") in sets  # the complement: the same point
    together = [s for s in sets if len(s) > 1]
    assert len(together) == 3
    groups = {frozenset(by_id(study_report)[c].group for c in s) for s in together}
    assert groups == {frozenset({"coordination-structures", "coordination-groups"})}
    # 5.2 (half without digitalisation in the kommuneplan) and 5.5 (two without a strategy and
    # without it in the samfunnsdel) agree together only when two readings combine: Sandnes's
    # programme adopted and its kommuneplan without digitalisation. Pairs of decisions are tried.
    no_strategy = by_id(study_report)["no-strategy-no-kommuneplan-5.5"]
    assert "sandnes-helt-enkelt.status" in no_strategy.decisions


def test_studied_municipalities_read_from_the_store_equal_the_graph_walk(built):
    """Claims with ``complement`` count from the query store; the same names as the graph walk."""
    from plangraf.answers.claims import studied_in_store
    from plangraf.rdf.bridge import query_store
    from plangraf.study.loader import studied_municipalities

    graph = built.union()
    names = studied_in_store(query_store(built.asserted, built.inferred))
    assert names == studied_municipalities(graph)
    assert len(names) == 10 and "Karmøy" in names and "Tønsberg" in names
