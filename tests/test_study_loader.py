"""The findings loader: YAML and CSV in, triples out; bad input named by file, line, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from plangraf.core.errors import PlangrafError
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.rdf.namespaces import OA, PG, finding_iri, guidance_iri
from plangraf.study.checks import ReferenceIndex
from plangraf.study.loader import load_study

MINI = Path(__file__).parent / "fixtures" / "mini-study"


@pytest.fixture(scope="module")
def reference(paths) -> Graph:
    ontology = load_ontology(paths)
    return load_reference(paths, ontology) + ontology


@pytest.fixture
def study(tmp_path) -> Path:
    target = tmp_path / "study"
    shutil.copytree(MINI, target)
    return target


def test_mini_study_loads_every_finding(reference, study):
    graph, report = load_study(study, reference)
    assert report.municipalities == 2
    assert report.documents == 3
    assert report.findings_read == report.findings_in_graph == 3
    assert len(set(graph.subjects(RDF.type, PG.Finding))) == 3


def test_csv_rows_with_one_finding_id_merge_their_guidance(reference, study):
    graph, _ = load_study(study, reference)
    f = finding_iri("mini-tonsberg-kompetanse")
    assert (f, PG.reflectsThematically, guidance_iri("meld-st-27/digital-kompetanse-deltakelse")) in graph
    assert (f, PG.paraphrases, guidance_iri("ks-digitaliseringsstrategi/digital-kompetanse-deltakelse")) in graph
    assert (f, PG.summary, Literal("Strategien vektlegger digital kompetanse.", lang="nb")) in graph


def test_quote_is_stored_as_text_quote_selector(reference, study):
    graph, _ = load_study(study, reference)
    exact = list(graph.objects(None, OA.exact))
    assert Literal("Brukeren i sentrum.", lang="nb") in exact
    assert Literal("Personvern skal ivaretas.", lang="nb") in exact


def test_year_periods_become_first_and_last_day(reference, study):
    graph, _ = load_study(study, reference)
    rows = list(
        graph.query(
            """SELECT ?from ?to WHERE { ?d dcterms:identifier "mini-larvik-strategi" ;
               dcterms:temporal [ dcat:startDate ?from ; dcat:endDate ?to ] }"""
        )
    )
    assert [(str(a), str(b)) for a, b in rows] == [("2018-01-01", "2020-12-31")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_CASES = [
    # (file, old, new, expected file:line, expected phrase)
    (
        "larvik.yaml",
        "    obtained: sent\n",
        "    obtained: sent\n    colour: red\n",
        "larvik.yaml:13",
        "unknown key 'colour'",
    ),
    (
        "larvik.yaml",
        "meld-st-27/brukeren-i-sentrum",
        "meld-st-27/brukeren-i-periferien",
        "larvik.yaml:20",
        "unknown guidance id 'meld-st-27/brukeren-i-periferien'",
    ),
    ("larvik.yaml", "valid_from: 2018", 'valid_from: "2018-13-01"', "larvik.yaml:10", "not a real date"),
    ("larvik.yaml", "valid_from: 2018", "valid_from: 2021", "larvik.yaml:11", "period ends"),
    (
        "larvik.yaml",
        "valid_from: 2018",
        "valid_from: 18.06.2018",
        "larvik.yaml:10",
        "not a date (YYYY-MM-DD) or a year",
    ),
    ("larvik.yaml", 'number: "3805"', 'number: "3806"', "larvik.yaml:2", "number 3806 is not larvik's"),
    ("larvik.yaml", 'number: "3805"', 'number: "385"', "larvik.yaml:2", "does not match"),
    (
        "larvik.yaml",
        "elements: [public-e-services]",
        "elements: [public-services]",
        "larvik.yaml:22",
        "unknown eGovWSF element 'public-services'",
    ),
    (
        "larvik.yaml",
        "status: adopted\n    valid_from",
        "status: vedtatt\n    valid_from",
        "larvik.yaml:9",
        "'vedtatt' is not allowed; allowed: adopted, draft",
    ),
    ("larvik.yaml", "municipality: larvik", "municipality: narvik-sor", "larvik.yaml:1", "unknown municipality"),
    (
        "larvik.yaml",
        "title: Digitaliseringsstrategi 2018–2020",
        "title: [unclosed",
        "larvik.yaml:",
        "YAML syntax error",
    ),
    (
        "larvik.yaml",
        "    obtained: sent\n",
        "    obtained: sent\n    obtained: website\n",
        "larvik.yaml:13",
        "duplicate key 'obtained'",
    ),
    (
        "tonsberg.yaml",
        "id: mini-tonsberg-utkast",
        "id: mini-larvik-strategi",
        "tonsberg.yaml:5",
        "duplicate document id",
    ),
    (
        "coding.csv",
        "ks-digitaliseringsstrategi/digital-kompetanse-deltakelse",
        "ks/ukjent",
        "coding.csv:3",
        "unknown guidance id 'ks/ukjent'",
    ),
    ("coding.csv", ",tester,2021-06-01", ",tester,2021-02-30", "coding.csv:4", "not a real date"),
    ("coding.csv", "coder,coded", "coder,coded_on", "coding.csv:1", "unknown column 'coded_on'"),
    (
        "coding.csv",
        "mini-tonsberg-personvern,quote",
        "mini-larvik-visjon,quote",
        "coding.csv:4",
        "duplicate finding id",
    ),
    (
        "coding.csv",
        "thematic,internal-stakeholders",
        "thematically,internal-stakeholders",
        "coding.csv:2",
        "'thematically' is not allowed",
    ),
    ("study.yaml", "coder: tester", "coder: nobody", "study.yaml:13", "default coder 'nobody'"),
]


@pytest.mark.parametrize("case", BAD_CASES, ids=[f"{c[0]}:{c[4][:30]}" for c in BAD_CASES])
def test_bad_input_names_file_line_and_problem(reference, study, case):
    name, old, new, where, phrase = case
    edit(study / name, old, new)
    with pytest.raises(PlangrafError) as info:
        load_study(study, reference)
    message = info.value.one_line()
    assert where in message, message
    assert phrase in message, message
    assert "\n" not in message


def test_latin1_file_is_refused_with_its_line(reference, study):
    path = study / "larvik.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("2018–2020", "Tønsberg").encode("latin-1"))
    with pytest.raises(PlangrafError, match=r"larvik.yaml:6: not valid UTF-8"):
        load_study(study, reference)


def test_empty_file_is_refused(reference, study):
    (study / "larvik.yaml").write_text("", encoding="utf-8")
    with pytest.raises(PlangrafError, match="larvik.yaml:1: file is empty"):
        load_study(study, reference)


def test_bom_is_accepted(reference, study):
    path = study / "larvik.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _graph, report = load_study(study, reference)
    assert report.findings_in_graph == 3


@pytest.mark.parametrize("on_date", ["2020-01-01", "2024-06-01"])
def test_reference_index_numbers_equal_the_sparql_join(paths, on_date):
    """ReferenceIndex walks the graph; the same join written in SPARQL gives the same map."""

    reference = load_reference(paths, load_ontology(paths))
    expected: dict[str, dict[str, str]] = {}
    for row in reference.query(
        """PREFIX pg: <https://w3id.org/plangraf/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?slug ?number ?county ?start ?end WHERE {
          ?m a pg:Municipality ; dcterms:identifier ?slug ; pg:hasNumber ?n .
          ?n skos:notation ?number ; pg:inCounty ?c ; dcterms:temporal ?p .
          ?c skos:notation ?county .
          OPTIONAL { ?p dcat:startDate ?start } OPTIONAL { ?p dcat:endDate ?end }
        }"""
    ):
        numbers = expected.setdefault(str(row.slug), {})
        if str(row.start or "0000-01-01") <= on_date <= str(row.end or "9999-12-31"):
            numbers[str(row.number)] = str(row.county)
    index = ReferenceIndex.from_graph(reference, on_date)
    assert index.municipalities == expected
    # the 356 of 2020, the four predecessors merged into studied municipalities in 2020 and the
    # five merged into Sandefjord and Larvik before 2019 (known by their numbers only)
    assert len(expected) == 356 + 4 + 5 and index.municipalities["karmoy"]
    assert index.municipalities["re-0716"] == {}  # Re has no number on either date
