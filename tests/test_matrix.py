"""The cell notation shared by the `plangraf run` matrix, the tables for papers and the
heatmaps: strongest relation, a mark for via-implementation, a mark for coded-only, and
"no" (examined, absent) apart from not examined. Checked on tests/fixtures/provenance-study,
which has a stated link, two coders, a via-implementation reflection and absent links."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from plangraf.answers.matrix import NOTATION_KEY, cell_notation, guidance_goals, reflected_matrix, render_matrix
from plangraf.answers.query import as_store, resolve_query, run_query
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.outputs.tables import format_table, study_tables
from plangraf.rdf.namespaces import guidance_iri, nb_label

FIXTURE = Path(__file__).parent / "fixtures" / "provenance-study"


@pytest.fixture(scope="module")
def fixture_graph(root):
    return build_graph(Paths(root=root, data=FIXTURE)).union()


@pytest.fixture(scope="module")
def fixture_tables(fixture_graph, paths):
    return study_tables(fixture_graph, paths.queries)


@pytest.mark.parametrize(
    ("status", "relation", "path", "basis", "expected"),
    [
        ("reflected", "explicit-reference", "direct", "stated", "E"),
        ("reflected", "verbatim", "via-broader-goal", "stated", "V"),
        ("reflected", "paraphrase", "via-implementation", "coded", "P†*"),
        ("reflected", "thematic", "direct", "coded", "T*"),
        ("reflected", "thematic", "via-implementation", "stated", "T†"),
        ("no", "", "", "", "no"),
        ("not-examined", "", "", "", ""),
    ],
)
def test_cell_notation(status, relation, path, basis, expected):
    assert cell_notation(status, relation, path, basis) == expected


def test_the_run_matrix_shows_strength_path_basis_and_no(fixture_graph, paths):
    store = as_store(fixture_graph)
    answer = run_query(store, resolve_query("reflected-guidance", paths.queries))
    coverage = run_query(store, resolve_query("guidance-coverage", paths.queries), {"guidance": "meld-st-27"})
    goals = guidance_goals(fixture_graph, "meld-st-27")
    assert [label for _iri, label in goals][:2] == [
        "Brukeren i sentrum",
        "IKT er en vesentlig innsatsfaktor for innovasjon og produktivitet",
    ]
    title = nb_label(fixture_graph, guidance_iri("meld-st-27"))
    columns, rows = reflected_matrix(answer, goals, ["Larvik", "Tønsberg"], coverage, document=title)
    # Larvik: a link the source states (4.4); a KS goal reached only through implementation;
    # the samfunnsdel examined for all of Meld. St. 27 and found without it
    assert rows[0] == ["Larvik", "E 1/1", "T†* 1/1", "no", "no", "no"]
    # Tønsberg (CSV, coded only): not examined where no finding speaks to the goal
    assert rows[1] == ["Tønsberg", "·", "·", "P* 1/1", "·", "E* 1/1"]
    text = render_matrix(columns, rows, goals)
    assert "[2] IKT er en vesentlig innsatsfaktor for innovasjon og produktivitet" in text
    assert "† reached only through a goal that implements it" in text and "· not examined" in text
    # without the coverage answer, "no" cannot be told from "not examined"
    _columns, bare = reflected_matrix(answer, goals, ["Larvik"], document=title)
    assert bare[0] == ["Larvik", "E 1/1", "T†* 1/1", "·", "·", "·"]
    # only the named document's goals count: a goal label of another document is not its goal
    _columns, ks_only = reflected_matrix(answer, goals, ["Larvik"], document="Digitaliseringsstrategi for kommuner")
    assert ks_only[0] == ["Larvik", "·", "·", "·", "·", "·"]


def test_goal_evidence_on_the_fixture(fixture_graph, paths):
    rows = run_query(fixture_graph, resolve_query("goal-evidence", paths.queries)).rows
    brukeren = sorted(
        (r["relation"], r["basis"], r["coder"], r["cited"], r["path"])
        for r in rows
        if r["guidance"] == "Brukeren i sentrum"
    )
    assert brukeren == [
        ("explicit-reference", "stated", "", "4.4", "direct"),
        ("paraphrase", "coded", "Bjørn Koder", "", "direct"),
        ("thematic", "coded", "Anna Koder", "", "direct"),
    ]
    implemented = [r for r in rows if r["goal"] == "meld-st-27/ikt-innovasjon-produktivitet"]
    assert [(r["finding"], r["direct_guidance"], r["path"]) for r in implemented] == [
        ("prov-larvik-ks", "ks-digitaliseringsstrategi/innovasjon-produktivitet", "via-implementation")
    ]
    # the suggested link (KS visjon) reaches no goal
    ks = run_query(
        fixture_graph, resolve_query("goal-evidence", paths.queries), {"guidance": "ks-digitaliseringsstrategi"}
    )
    assert "ks-digitaliseringsstrategi/visjon" not in {r["goal"] for r in ks.rows}


def test_tables_carry_the_notation_and_its_key(fixture_tables):
    caption, columns, rows = fixture_tables["coverage-meld-st-27"]
    for line in NOTATION_KEY:
        assert line in caption
    assert columns[:2] == ["municipality", "Brukeren i sentrum"]
    assert rows[0] == ["Larvik", "E", "T†*", "no", "no", "no"]
    assert rows[1] == ["Tønsberg", "", "", "P*", "", "E*"]
    caption, columns, rows = fixture_tables["coverage-egovwsf"]
    larvik = dict(zip(columns, rows[0], strict=True))
    tonsberg = dict(zip(columns, rows[1], strict=True))
    assert larvik["Digital infrastruktur"] == "no" and tonsberg["Digital infrastruktur"] == ""
    assert larvik["Offentlige elektroniske tjenester"] == "1"
    assert "no: examined and absent; blank: not examined" in caption


def test_table_formats_keep_the_marks(fixture_tables):
    caption, columns, rows = fixture_tables["coverage-meld-st-27"]
    as_csv = list(csv.reader(io.StringIO(format_table(caption, columns, rows, "csv"))))
    assert as_csv[1] == ["Larvik", "E", "T†*", "no", "no", "no"]
    markdown = format_table(caption, columns, rows, "markdown")
    assert "| Larvik | E | T†\\* | no | no | no |" in markdown.splitlines()
    assert "| Tønsberg |  |  | P\\* |  | E\\* |" in markdown.splitlines()
    latex = format_table(caption, columns, rows, "latex")
    assert r"Larvik & E & T\dag{}* & no & no & no \\" in latex
    assert r"\dag{} reached only through a goal that implements it" in latex
    assert r"E explicit reference \textgreater{} V verbatim reuse" in latex
