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
    sets = {tuple(s.claims): s.witnesses for s in fixture_report.inconsistent_sets}
    # each agrees under some reading, but never under the same one of all four
    assert sets == {
        ("programme-1", "strategy-2"): [(["programme-1"], "strategi-as-programme"), (["strategy-2"], "default")],
        ("programme-1", "strategy-none"): [(["programme-1"], "strategi-as-programme"), (["strategy-none"], "default")],
        ("samfunnsdel-5",): [],
    }
    assert {s.readings_tried for s in fixture_report.inconsistent_sets} == {4}
    assert (fixture_report.readings, fixture_report.builds) == (4, 4)  # the default and Larvik's three others
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
        {
            "claims": ["programme-1", "strategy-2"],
            "readings_tried": 4,
            "witnesses": [
                {"claims": ["programme-1"], "reading": "strategi-as-programme"},
                {"claims": ["strategy-2"], "reading": "default"},
            ],
        }
    ]
    assert data["search"] == {"readings_evaluated": 4, "builds": 4, "exhaustive": True}
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


def test_agreement_that_rests_on_the_coders_links_is_flagged(study_report):
    """Counted with only the links the thesis itself states, the KS-copy claims (4.4, 5.1, 5.5)
    and 5.5's "most strategies are built on the central documents" count no municipality: they
    agree only through the encoders' coded links (the audit's finding; the thesis states one
    reflection link of its own, Sola's in 4.3.8)."""
    flagged = sorted(c.id for c in study_report.claims if c.rests_on_coded_links)
    assert flagged == [
        "klipp-og-lim-5.1",
        "ks-close-5.5",
        "ks-copy-4.4",
        "ks-copy-5.5",
        "ks-copy-bullet-4.4",
        "strategies-from-national-5.5",
    ]
    claims = by_id(study_report)
    assert claims["ks-copy-4.4"].stated_links == [] and claims["ks-copy-4.4"].computed == 6
    assert claims["strategies-from-national-5.5"].stated_links == []
    assert claims["strategies-from-national-5.5"].computed == 5
    # a claim about documents, not links, holds on the stated links alone
    assert claims["strategies-4.4"].stated_links == claims["strategies-4.4"].municipalities


def test_the_sets_of_claims_no_reading_of_the_study_satisfies(study_report):
    """Every reading of the study (1,024) is searched, so sets of three decisions' claims are found."""
    sets = [tuple(s.claims) for s in study_report.inconsistent_sets if len(s.claims) > 1]
    assert sets == [
        # 4.4/5.1: coordination structures in three municipalities, groups in only two
        ("coordination-4.4", "coordination-groups-5.1"),
        ("coordination-bullet-4.4", "coordination-groups-5.1"),
        ("coordination-groups-5.1", "no-coordination-4.4"),  # the complement: the same point
        # 5.2 (half without digitalisation in the kommuneplan) and 5.5 (two without a strategy
        # and without it in the samfunnsdel) agree together only if Sandnes's "helt enkelt" is
        # adopted, its and Haugesund's kommuneplan read without digitalisation, Tønsberg's with it; then
        # Sandnes has an adopted strategy, so 4.4's and 5.5's strategy counts, its programme
        # (5.5) and 4.4's "no focus" count no longer hold
        ("kommuneplan-no-digitalisation-5.2", "no-focus-4.4", "no-strategy-no-kommuneplan-5.5"),
        ("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5", "programme-5.5"),
        ("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5", "strategies-4.4"),
        ("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5", "strategies-5.5"),
        ("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5", "strategies-half-4.4"),
    ]
    found = {tuple(s.claims): s for s in study_report.inconsistent_sets}
    triple = found[("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5", "strategies-4.4")]
    assert triple.readings_tried == study_report.readings == 1024
    witness = dict((tuple(subset), reading) for subset, reading in triple.witnesses)
    both = set(witness[("kommuneplan-no-digitalisation-5.2", "no-strategy-no-kommuneplan-5.5")].split("+"))
    assert {
        "haugesund-kommuneplan-digitalisation-no",
        "sandnes-helt-enkelt-adopted",
        "sandnes-kommuneplan-digitalisation-no",
        "tonsberg-kommuneplan-digitalisation-yes",
    } <= both
    assert len(triple.witnesses) == 6  # every non-empty proper subset has a witness


def test_every_witness_reading_makes_its_claims_agree(study_report):
    """A witness is checked against the claims' own answers under that reading."""
    claims = by_id(study_report)
    for found in study_report.inconsistent_sets:
        for subset, label in found.witnesses:
            reading = frozenset() if label == "default" else frozenset(label.split("+"))
            for claim_id in subset:
                claim = claims[claim_id]
                own = {alt for key in claim.decisions for alt in decisions_of_report(study_report)[key]}
                assert claim.agrees_with(claim.computed_by_reading[_label(reading & own)]), (claim_id, label)


def decisions_of_report(report) -> dict:
    return decisions_of(report.alternatives)


def _label(reading: frozenset) -> str:
    return "+".join(sorted(reading)) or "default"


def test_studied_municipalities_read_from_the_store_equal_the_graph_walk(built):
    """Claims with ``complement`` count from the query store; the same names as the graph walk."""
    from plangraf.answers.claims import studied_in_store
    from plangraf.rdf.bridge import query_store
    from plangraf.study.loader import studied_municipalities

    graph = built.union()
    names = studied_in_store(query_store(built.asserted, built.inferred))
    assert names == studied_municipalities(graph)
    assert len(names) == 10 and "Karmøy" in names and "Tønsberg" in names


def test_study_claims_under_readings_of_several_files_equal_a_full_build(study_report, paths, tmp_path_factory):
    """The factored answers hold where several files' readings combine: a few readings of the
    whole study, each changing at least three files, built in full and counted directly."""
    import random

    from plangraf.answers.claims import Space, count_claim, load_claims
    from plangraf.graph.overlay import ReadingBuilds

    study_paths = Paths(root=paths.root, data=paths.study, out=tmp_path_factory.mktemp("several-files"))
    space = Space.of(study_report.alternatives)
    builds = ReadingBuilds(study_paths)
    claims_file = paths.study / "claims.yaml"
    claims = {c["id"]: c for c in load_claims(claims_file)[0]}
    chooser = random.Random(2021)
    for _ in range(3):
        choice = {name: chooser.randrange(1, len(space.readings.local[name])) for name in space.readings.files}
        reading = space.readings.combined(dict(chooser.sample(sorted(choice.items()), 3)))
        built = (None, builds.store(reading))
        for result in study_report.claims:
            own = {alt for key in result.decisions for alt in space.decisions[key]}
            direct = count_claim(built, claims[result.id], paths.queries, claims_file)
            assert result.municipalities_by_reading[_label(reading & own)] == direct, (result.id, sorted(reading))


def test_the_report_shows_each_inconsistent_set_with_its_witnesses(fixture_report, root, tmp_path):
    from plangraf.graph.build import build_graph
    from plangraf.outputs.report import collect, render

    result = build_graph(Paths(root=root, data=FIXTURE, out=tmp_path / "b"))
    pages = render(collect(result.union(), root / "queries", None, fixture_report))
    index = pages["index.html"]
    assert "4.4, 5.1, 5.2 og 5.5" in index and "Alle 4 kombinasjoner er prøvd." in index
    section = index[index.index('id="claims-inconsistent-table"') :]
    rows = section.split('<tr class="inconsistent-set">')[1:]
    assert [row.split("</td>")[0].removeprefix("<td>") for row in rows] == [
        "samfunnsdel-5",
        "programme-1, strategy-2",
        "programme-1, strategy-none",
    ]
    assert "programme-1: <code>strategi-as-programme</code>" in rows[1]
    assert "strategy-2: <code>default</code>" in rows[1]
    assert "stemmer ikke under noen lesning" in rows[0]


def test_claims_on_an_existing_build_equal_those_on_a_new_one(root, tmp_path):
    """The second run opens the persistent store (named graphs); complement claims count the
    studied municipalities there too (they once read the empty default graph: none studied)."""
    claims = [level_claim("no-programme", "programme", 2, complement=True)]
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": claims}), encoding="utf-8")
    args = ["--root", str(root), "claims", "--data", str(FIXTURE), "--build-dir", str(tmp_path / "b")]
    first = CliRunner().invoke(main, [*args, "--file", str(path), "--format", "json"])
    second = CliRunner().invoke(main, [*args, "--file", str(path), "--format", "json"])
    assert first.exit_code == second.exit_code == 0, second.output
    assert json.loads(first.output) == json.loads(second.output)
    assert json.loads(second.output)["claims"][0]["municipalities"] == {
        "default": ["Larvik", "Tønsberg"],
        "strategi-as-programme": ["Tønsberg"],
    }
