"""Issue 26: query parameters checked against the graph with "did you mean", and `plangraf
ids` listing what a researcher may type."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> list[str]:
    """The mini study built once: the --data/--build-dir options that reach it."""
    base = tmp_path_factory.mktemp("ids")
    data = base / "study"
    shutil.copytree(FIXTURES / "mini-study", data)
    common = ["--data", str(data), "--build-dir", str(base / "build")]
    result = CliRunner().invoke(main, ["build", *common])
    assert result.exit_code == 0, result.output
    return common


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("query", "param", "expected"),
    [
        ("evidence", "municipality=Larvk", "did you mean 'larvik'?"),
        ("evidence", "municipality=Bergn", "did you mean 'Bergen'? (not in this study)"),
        ("evidence", "municipality=Bergen", "Bergen is a municipality, but not in this study"),
        ("evidence", "guidance=meld-st27", "did you mean 'meld-st-27'?"),
        ("anchoring", "guidance=meld-st-27/brukeren-i-sentrum", "it is a goal"),
        ("reflected-guidance", "min_relation=strong", "known: absent, explicit-reference, paraphrase"),
    ],
)
def test_unknown_values_are_refused_with_a_suggestion(mini, query, param, expected):
    result = invoke("query", query, *mini, "-p", param)
    assert result.exit_code == 2
    assert expected in result.output
    assert result.output.count("\n") == 1  # one line


def test_known_values_by_id_or_label_pass(mini):
    for param in ("municipality=larvik", "municipality=Larvik", "guidance=meld-st-27/brukeren-i-sentrum"):
        assert invoke("query", "evidence", *mini, "-p", param).exit_code == 0, param
    assert invoke("query", "reflected-guidance", *mini, "-p", "min_relation=paraphrase").exit_code == 0


def test_a_typo_in_a_query_name_gets_a_suggestion(mini):
    result = invoke("query", "evidnce", *mini)
    assert result.exit_code == 2
    assert "did you mean 'evidence'" in result.output


def test_ids_lists_each_kind_filtered_in_text_and_csv(mini):
    relations = invoke("ids", "relations", *mini)
    assert relations.exit_code == 0
    assert "explicit-reference" in relations.output and "eksplisitt henvisning" in relations.output
    found = invoke("ids", "elements", "--match", "infrastru", "-f", "csv", *mini)
    rows = list(csv.DictReader(io.StringIO(found.output)))
    assert [r["id"] for r in rows] == ["digital-infrastructure"]
    assert rows[0]["iri"] == "https://w3id.org/plangraf/id/egovwsf/digital-infrastructure"
    everything = invoke("ids", *mini, "-f", "csv").output
    kinds = {r["kind"] for r in csv.DictReader(io.StringIO(everything))}
    assert kinds == {"guidance", "goals", "elements", "plan-levels", "relations", "coders", "municipalities"}


def test_ids_refuses_an_unknown_kind_and_an_empty_filter(mini):
    kind = invoke("ids", "plan-level", *mini)
    assert kind.exit_code == 2 and "did you mean 'plan-levels'?" in kind.output
    empty = invoke("ids", "goals", "--match", "zzzz", *mini)
    assert empty.exit_code == 2 and "no goals contains 'zzzz'" in empty.output
