"""Wording of quoted provisions over time (issue 22 step 2, issue 23 item 4).

Lovdata's notes date a section's amendments, never a paragraph's, so ``legal-basis`` says
"earlier-wording" only where the quoted sentence itself is known to have come later, and
"section-amended-since" where only the section is dated. Earlier wordings from a source are
stored as ELI expressions with their periods (tested on a fixture: the reference collection
holds no earlier wording of any quoted paragraph).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from graphs import store_for
from plangraf.answers.query import resolve_query, run_query
from plangraf.check.shacl import validate_graph
from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.rdf.namespaces import ELI, PG
from plangraf.reference.convert import convert_reference
from plangraf.reference.expressions import COLUMNS, read_expressions
from plangraf.reference.laws import law_texts
from plangraf.reference.lawtext import amendments, read_section
from plangraf.reference.legal_bases import KOML, PBL

FIXTURES = Path(__file__).parent / "fixtures"
EXPRESSIONS = FIXTURES / "expressions" / "expressions.csv"
SECTION_11_1 = "https://w3id.org/plangraf/id/law/LOV-2008-06-27-71/section/11-1"
# the one sentence whose date the source supports (it names the 2018 act's § 14-2 letter a)
SENTENCE = "Økonomiplanen etter kommuneloven § 14-2 bokstav a kan inngå i eller utgjøre handlingsdelen."


def legal_basis(graph: Graph, paths: Paths) -> list[dict[str, str]]:
    return run_query(store_for(graph), resolve_query("legal-basis", paths.queries), {}).rows


# --- step 1: dates per section, per sentence only where the source supports it -------------


@pytest.mark.parametrize(
    ("law", "section", "expected"),
    [
        # «Endret ved lov 19 des 2014 nr. 91 (ikr. 1 jan 2015 iflg. res. 19 des 2014 nr. 1727 ).»
        (PBL, "7-1", [("lov 19 des 2014 nr. 91", "2015-01-01")]),
        # «Endret ved lov 28 apr 2017 nr. 20 (ikr. 1 juli 2017 iflg. res. 28 apr 2017 nr. 501 ).»
        (PBL, "7-2", [("lov 28 apr 2017 nr. 20", "2017-07-01")]),
        (PBL, "8-1", [("lov 19 des 2014 nr. 91", "2015-01-01"), ("lov 28 apr 2017 nr. 20", "2017-07-01"),
                      ("lov 18 juni 2021 nr. 130", "2021-07-01")]),
        # «Endret ved lover 7 mai 2021 nr. 34 (ikr. 1 juni 2021 …), 21 juni 2024 nr. 52 .»: no date
        (PBL, "8-5", [("lov 7 mai 2021 nr. 34", "2021-06-01"), ("lov 21 juni 2024 nr. 52", None)]),
        (PBL, "11-1", [("lov 22 juni 2018 nr. 83", "2019-11-01")]),
        (PBL, "11-2", []),
        *((KOML, s, []) for s in ("14-2", "14-3", "14-4", "14-5")),
    ],
)  # fmt: skip
def test_amendments_are_read_from_the_section_notes(shared_reference, law, section, expected):
    text = law_texts(shared_reference)[1][law]
    found = amendments(read_section(text, section))
    assert [(a.act, a.in_force) for a in found] == expected


def test_only_the_sentence_naming_the_2018_act_is_dated_as_changed(root):
    laws = Graph().parse(root / "data" / "reference" / "laws.ttl")
    changed = {str(laws.value(node, PG.provisionText)) for node in laws.subjects(PG.wordingChangedOn, None)}
    assert changed == {SENTENCE}
    for node in laws.subjects(PG.wordingChangedOn, None):
        assert str(laws.value(node, PG.wordingChangedOn)) == "2019-11-01"
        assert "«kommuneloven § 14-2 bokstav a»" in str(laws.value(node, PG.wordingNote))
    # every other quote of § 11-1 is dated by the section only
    section = URIRef(SECTION_11_1)
    assert str(laws.value(section, PG.lastAmendmentInForce)) == "2019-11-01"
    others = {
        str(laws.value(n, PG.wordingInForceFrom))
        for n in laws.subjects(PG.inProvision, section)
        if (n, PG.wordingChangedOn, None) not in laws
    }
    assert others == {"2019-11-01"}


def test_a_section_with_an_undated_amendment_dates_no_quote(root):
    laws = Graph().parse(root / "data" / "reference" / "laws.ttl")
    section = URIRef("https://w3id.org/plangraf/id/law/LOV-2008-06-27-71/section/8-5")
    quotes = list(laws.subjects(PG.inProvision, section))
    assert quotes and all((q, PG.wordingInForceFrom, None) not in laws for q in quotes)
    assert str(laws.value(section, PG.lastAmendmentInForce)) == "2021-06-01"


def test_sandnes_2018_is_not_earlier_wording_on_the_first_paragraph(graph, paths):
    """The audit's case: in 2018 § 11-1 read otherwise only in its fourth paragraph's second
    sentence, as far as the source shows; the first paragraph is "section-amended-since"."""
    rows = legal_basis(graph, paths)
    sandnes = {
        (r["plan_level"], r["kind"]): (r["wording"], r["quote"])
        for r in rows
        if r["document"] == "sandnes-okonomiplan-2018-2021" and "§ 11-1." in r["provision"]
    }
    first = "Kommunen skal ha en samlet kommuneplan som omfatter samfunnsdel med handlingsdel og arealdel."
    assert sandnes[("handlingsdel", "requires")] == ("section-amended-since", first)
    assert sandnes[("handlingsdel", "governs")][0] == "section-amended-since"
    assert sandnes[("okonomiplan", "permits")] == ("earlier-wording", "")  # no text known to be in force
    # plans adopted by the end of 2015 (Skien) or 2014 (Haugesund, Tønsberg) likewise
    for document in ("skien-kommuneplan-samfunnsdel-2015-2031", "haugesund-kommuneplan-samfunnsdel-2014-2030"):
        wordings = {r["wording"] for r in rows if r["document"] == document and "§ 11-1." in r["provision"]}
        assert wordings == {"section-amended-since"}, document
    # "earlier-wording" only on the sentence the source dates
    earlier = {(r["provision"], r["plan_level"], r["kind"]) for r in rows if r["wording"] == "earlier-wording"}
    assert earlier == {("Plan- og bygningsloven § 11-1. Kommuneplan", "okonomiplan", "permits")}


def test_unamended_sections_read_as_quoted_whenever_they_were_in_force(graph, paths):
    """§§ 11-2 and 11-3 have no amendment note: a samfunnsdel adopted by the end of 2014
    read them as quoted on every date they were in force (from 1 July 2009)."""
    rows = legal_basis(graph, paths)
    haugesund = {
        r["provision"].split(".")[0]: r["wording"]
        for r in rows
        if r["document"] == "haugesund-kommuneplan-samfunnsdel-2014-2030"
    }
    assert haugesund["Plan- og bygningsloven § 11-2"] == "as-quoted"
    assert haugesund["Plan- og bygningsloven § 11-3"] == "as-quoted"


# --- step 2: ELI expressions over time, on a fixture -----------------------------------------

OKONOMIPLANER = """    source: "4.3.3"
  - id: mini-larvik-okonomiplan-2019
    title: Økonomiplan 2019–2022
    plan_level: okonomiplan
    status: adopted
    adopted: 2018-12-10
    obtained: website
    source: "4.3.3"
  - id: mini-larvik-okonomiplan-2021
    title: Økonomiplan 2021–2024
    plan_level: okonomiplan
    status: adopted
    adopted: 2020-12-15
    obtained: website
    source: "4.3.3"
"""


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory, root, shared_reference) -> Paths:
    """A project whose laws.ttl holds the fixture's two expressions of pbl § 11-1 fourth
    paragraph, with the mini study and two økonomiplaner adopted in 2018 and 2020."""
    project = tmp_path_factory.mktemp("expressions") / "project"
    for name in ("ontology", "queries"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).symlink_to(root / name)
    shutil.copytree(root / "data" / "reference", project / "data" / "reference")
    convert_reference(shared_reference, project / "data" / "reference", EXPRESSIONS)
    study = project / "data" / "study-2020"
    shutil.copytree(FIXTURES / "mini-study", study)
    larvik = study / "larvik.yaml"
    text = larvik.read_text(encoding="utf-8")
    assert text.endswith('    source: "4.3.3"\n')
    larvik.write_text(text[: -len('    source: "4.3.3"\n')] + OKONOMIPLANER, encoding="utf-8")
    return Paths(root=project, data=study, out=project / "build")


def test_the_fixture_paragraph_has_two_expressions_with_periods(fixture_project):
    laws = Graph().parse(fixture_project.reference / "laws.ttl")
    part = URIRef(SECTION_11_1 + "/paragraph/4")
    periods = sorted(
        (str(laws.value(e, ELI.first_date_entry_in_force)), str(laws.value(e, ELI.date_no_longer_in_force) or ""))
        for e in laws.objects(part, ELI.is_realized_by)
    )
    assert periods == [("2009-07-01", "2019-10-31"), ("2019-11-01", "")]
    citing = set(laws.subjects(PG.citesPart, part))
    assert citing and all(laws.value(c, PG.paragraphNumber).toPython() == 4 for c in citing)


def test_legal_basis_quotes_the_expression_in_force_at_adoption(fixture_project, shapes):
    result = build_graph(fixture_project)
    graph = result.union()
    rows = legal_basis(graph, fixture_project)
    rows_by_document = {
        r["document"]: (r["wording"], r["quote"])
        for r in rows
        if r["document"].startswith("mini-larvik-okonomiplan") and "§ 11-1." in r["provision"]
    }
    expressions = {
        str(e): str(graph.value(e, PG.expressionText))
        for e in graph.objects(URIRef(SECTION_11_1 + "/paragraph/4"), ELI.is_realized_by)
    }
    earlier = expressions[SECTION_11_1 + "/paragraph/4/expression/2009-07-01"]
    today = expressions[SECTION_11_1 + "/paragraph/4/expression/2019-11-01"]
    assert earlier.startswith("Oppdiktet testordlyd") and SENTENCE in today
    assert rows_by_document == {
        "mini-larvik-okonomiplan-2019": ("earlier-expression", earlier),  # adopted 2018-12-10
        "mini-larvik-okonomiplan-2021": ("as-quoted", today),  # adopted 2020-12-15
    }
    report = validate_graph(graph, shapes)
    assert not [i for i in report.issues if i.shape.endswith("#ExpressionPeriodsOverlap")]


# --- step 3: bad input ---------------------------------------------------------------------


def _bad_file(tmp_path: Path, change: dict[int, dict[str, str]]) -> Path:
    """The fixture's expressions file with some fields of its rows (0, 1) changed."""
    import csv

    with EXPRESSIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for index, fields in change.items():
        rows[index].update(fields)
    folder = tmp_path / "expressions"
    shutil.copytree(EXPRESSIONS.parent, folder)
    # the source of today's wording, relative to the fixture's folder, from the copy's
    rows[1]["source"] = str((EXPRESSIONS.parent / rows[1]["source"]).resolve())
    with (folder / "expressions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return folder / "expressions.csv"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({0: {"valid_until": "2019-12-31"}}, ":3: valid_from: period overlaps that of line 2 (2009-07-01..2019-12-31)"),
        ({1: {"valid_until": ""}, 0: {"valid_until": ""}}, ":2: text: the wording in force today"),
        ({0: {"text": "Ord som ikke står i kilden."}}, ":2: text: not in earlier-wording.md word for word"),
        ({0: {"evidence": "Gjeldende fra 2001."}}, ":2: evidence: not in earlier-wording.md"),
        ({0: {"valid_until": "2008-01-01"}}, ":2: valid_until: 2008-01-01 is before valid_from 2009-07-01"),
        ({0: {"valid_from": "1. juli 2009"}}, ":2: valid_from: not an ISO date: '1. juli 2009'"),
        ({0: {"section": "11-99"}}, ":2: section: LOV-2008-06-27-71 has no § 11-99"),
        ({0: {"paragraph": "9"}}, ":2: paragraph: § 11-1 has no paragraph 9"),
        ({0: {"law": "LOV-2099-01-01-1"}}, ":2: law: unknown law 'LOV-2099-01-01-1'"),
        ({0: {"source": "missing.md"}}, ":2: source: file not found: 'missing.md'"),
        ({0: {"letter": "ab"}}, ":2: letter: § 11-1 paragraph 4 has no letter 'ab'"),
    ],
)
def test_a_wrong_expressions_file_names_its_line_and_field(tmp_path, shared_reference, change, expected):
    path = _bad_file(tmp_path, change)
    with pytest.raises(PlangrafError) as error:
        read_expressions(path, law_texts(shared_reference)[1])
    line = error.value.one_line()
    assert f"{path}{expected}" in line, line


def test_an_expressions_file_without_a_column_is_refused(tmp_path, shared_reference):
    path = tmp_path / "expressions.csv"
    path.write_text("law,section,paragraph\nLOV-2008-06-27-71,11-1,4\n", encoding="utf-8")
    with pytest.raises(PlangrafError) as error:
        read_expressions(path, law_texts(shared_reference)[1])
    assert error.value.one_line().startswith(f"{path}:1: header: missing columns: letter, valid_from")


def test_overlapping_expressions_stop_the_conversion_with_one_line(tmp_path, shared_reference):
    path = _bad_file(tmp_path, {1: {"valid_from": "2019-10-01"}})
    out = tmp_path / "reference"
    out.mkdir()
    args = ["convert-reference", "--shared", str(shared_reference), "--out", str(out), "--expressions", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"Error: {path}:3: valid_from: period overlaps that of line 2 (2009-07-01..2019-10-31)"]
    assert list(out.iterdir()) == []  # nothing written
