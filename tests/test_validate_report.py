"""`plangraf validate --format text|json|junit|github`: one report model, four renderings,
each result with its focus node, path, shape, severity, message, and source file and line."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from rdflib import Graph, URIRef

from plangraf.check.report import from_validation, locate, render
from plangraf.check.results import ValidationIssue, ValidationReport
from plangraf.check.shacl import validate_graph
from plangraf.cli.main import main
from plangraf.rdf.namespaces import SH

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples" / "invalid"
PGSH = "https://w3id.org/plangraf/shapes#"
JUNIT_XSD = FIXTURES / "junit" / "junit-ant.xsd"
# JUnit 5's own tests validate against this one (MIT; shared/reference/junit-xsd): no empty <properties/>
JENKINS_XSD = FIXTURES / "junit" / "jenkins-junit.xsd"
PGID = "https://w3id.org/plangraf/id/"
FINDING = PGID + "finding/tiny-visjon"


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> tuple[ValidationReport, dict[str, list], Path]:
    """A report with a Violation on a finding's link, a Warning on a municipality and an Info
    that no file holds; the loader's locations for the finding; the study folder."""
    monkeypatch.chdir(tmp_path)
    study = tmp_path / "study"
    study.mkdir()
    (study / "tiny.yaml").write_text("# Tiny kommune\n\nmunicipality: tiny\n", encoding="utf-8")
    issues = [
        ValidationIssue("Violation", "https://w3id.org/plangraf/shapes#Link", FINDING + "/link/1",
                        "https://w3id.org/plangraf/ontology#basis", None, "100% wrong,\nsee: here"),
        ValidationIssue("Warning", "https://w3id.org/plangraf/shapes#NoSamfunnsdel", PGID + "municipality/tiny",
                        None, None, "no samfunnsdel"),
        ValidationIssue("Info", "https://w3id.org/plangraf/shapes#Other", PGID + "document/elsewhere",
                        None, None, "a note"),
    ]  # fmt: skip
    locations = {FINDING: [str(study / "tiny.yaml"), 7]}
    return ValidationReport(conforms=False, issues=issues), locations, study


def test_each_result_names_its_source_file_and_line(tiny):
    report, locations, study = tiny
    results = from_validation(report, locations, study).results
    assert [(r.severity, r.file, r.line) for r in results] == [
        ("Violation", "study/tiny.yaml", 7),  # the link falls back to its finding
        ("Warning", "study/tiny.yaml", 3),  # a municipality: its key line, not the comment above
        ("Info", None, None),
    ]
    assert results[0].path == "https://w3id.org/plangraf/ontology#basis"
    assert results[0].shape == "https://w3id.org/plangraf/shapes#Link"


def test_a_node_without_a_location_takes_its_longest_located_parents(tiny):
    """Parents are whole IRI segments: ``…/link/1`` takes ``…/link``'s place over the
    finding's, and ``…/link/10`` is no child of ``…/link/1``."""
    _, locations, study = tiny
    places = {**locations, FINDING + "/link": [str(study / "tiny.yaml"), 9], FINDING + "/link/1": ["other.yaml", 2]}
    assert locate(FINDING + "/link/1/x", places, study) == ("other.yaml", 2)
    assert locate(FINDING + "/link/10", places, study) == ("study/tiny.yaml", 9)
    assert locate(FINDING + "-2/link", places, study) == (None, None)


def test_github_annotations(tiny):
    report, locations, study = tiny
    lines = render(from_validation(report, locations, study), "github").splitlines()
    assert lines[0] == (
        "::error file=study/tiny.yaml,line=7,title=pgsh%3ALink::"
        "pgid:finding/tiny-visjon/link/1 pg:basis: 100%25 wrong,%0Asee: here"
    )
    assert lines[1].startswith("::warning file=study/tiny.yaml,line=3,title=pgsh%3ANoSamfunnsdel::")
    assert lines[2].startswith("::notice title=pgsh%3AOther::pgid:document/elsewhere: a note")
    assert lines[-1] == "Does not conform. 1 violation(s), 1 warning(s), 1 info."


def test_junit_is_schema_valid_and_counts_violations_as_failures(tiny):
    report, locations, study = tiny
    text = render(from_validation(report, locations, study), "junit")
    xmlschema.XMLSchema(JUNIT_XSD).validate(text)
    xmlschema.XMLSchema(JENKINS_XSD).validate(text)
    suite = ET.fromstring(text)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")
    failures = suite.findall("testcase/failure")
    assert len(failures) == 1 and failures[0].text.startswith("study/tiny.yaml:7: 100% wrong")
    assert "study/tiny.yaml:3: Warning: no samfunnsdel" in suite.findtext("system-out")


def test_the_junit_schema_check_can_fail(tiny):
    report, locations, study = tiny
    suite = ET.fromstring(render(from_validation(report, locations, study), "junit"))
    del suite.attrib["hostname"]
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(JUNIT_XSD).validate(ET.tostring(suite, encoding="unicode"))


def test_json_and_text(tiny):
    report, locations, study = tiny
    model = from_validation(report, locations, study)
    data = json.loads(render(model, "json"))
    assert data["conforms"] is False and data["counts"] == {"Violation": 1, "Warning": 1, "Info": 1}
    assert data["results"][0] == {
        "severity": "Violation",
        "focus": FINDING + "/link/1",
        "path": "https://w3id.org/plangraf/ontology#basis",
        "shape": "https://w3id.org/plangraf/shapes#Link",
        "message": "100% wrong,\nsee: here",
        "messages": {"und": "100% wrong,\nsee: here"},  # a message without a language tag
        "value": None,
        "file": "study/tiny.yaml",
        "line": 7,
    }
    assert "at study/tiny.yaml:7" in render(model, "text")


def test_unknown_format_is_clicks_error():
    result = CliRunner().invoke(main, ["validate", "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of" in result.output


@pytest.fixture
def mini_copy(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "mini-study", tmp_path / "study")
    return tmp_path / "study"


def _strict(study: Path, fmt: str):
    args = ["validate", "--data", str(study), "--build-dir", str(study.parent / "build")]
    return CliRunner().invoke(main, [*args, "--shapes", str(FIXTURES / "strict-shapes"), "--format", fmt])


def test_cli_github_annotations_point_at_the_documents_yaml_lines(mini_copy):
    result = _strict(mini_copy, "github")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(errors) == 2, result.output
    for line in errors:
        found = re.match(r"::error file=([^,]+),line=(\d+),title=[^:]+::pgid:document/([a-z0-9-]+)", line)
        assert found, line
        file, number, document = found.group(1), int(found.group(2)), found.group(3)
        assert f"id: {document}" in Path(file).read_text("utf-8").splitlines()[number - 1]


def test_cli_junit_from_a_real_validation(mini_copy):
    result = _strict(mini_copy, "junit")
    assert result.exit_code == 1
    xmlschema.XMLSchema(JUNIT_XSD).validate(result.output)
    suite = ET.fromstring(result.output)
    assert suite.get("failures") == "2"
    for failure in suite.findall("testcase/failure"):
        assert re.match(r"study/[a-z]+\.yaml:\d+: A period is required here\.", failure.text), failure.text


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize(
    ("name", "holder"),
    [("NoHandlingsdel", "NoHandlingsdel"), ("ExpiredStrategy", "ExpiredStrategy-query")],  # core, SPARQL
)
def test_a_message_in_two_languages_is_one_result_shown_in_english(root, shapes, name, holder, engine):
    from test_shapes import materialise  # pytest puts tests/ on sys.path

    report = validate_graph(materialise(root, EXAMPLES / f"{name}.ttl"), shapes, engine=engine)
    issues = [i for i in report.issues if i.shape == PGSH + name]
    assert len(issues) == 1, issues
    messages = {m.language: str(m) for m in shapes.objects(URIRef(PGSH + holder), SH.message)}
    assert set(messages) == {"nb", "en"}
    assert issues[0].messages == messages and issues[0].message == messages["en"]
    model = from_validation(report, {})
    for fmt in ("text", "junit", "github"):
        shown = render(model, fmt)
        assert messages["en"] in shown and messages["nb"] not in shown
    result = next(r for r in json.loads(render(model, "json"))["results"] if r["shape"] == PGSH + name)
    assert result["message"] == messages["en"] and result["messages"] == messages


def test_pyshacls_own_message_is_kept_without_a_language():
    data = Graph().parse(data="<urn:x> a <urn:C> .", format="turtle")
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .""",
        format="turtle",
    )
    for engine in ("compiled", "pyshacl"):
        (issue,) = validate_graph(data, shapes, engine=engine).issues
        assert issue.message and issue.messages == {"und": issue.message}


@pytest.mark.parametrize("fmt", ["json", "junit", "github"])
def test_a_study_that_does_not_load_is_a_result_in_every_ci_format(mini_copy, fmt):
    """Issue 26: broken YAML used to give CI formats an empty stdout and one stderr line."""
    (mini_copy / "larvik.yaml").write_text("# Larvik\nmunicipality: larvik\nnumber: [\n", encoding="utf-8")
    args = ["validate", "--data", str(mini_copy), "--build-dir", str(mini_copy.parent / "build"), "-f", fmt]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: study/larvik.yaml:4: YAML syntax error")
    assert not (mini_copy.parent / "build").exists()
    if fmt == "json":
        (error,) = json.loads(result.stdout)["results"]
        assert (error["severity"], error["file"], error["line"]) == ("Error", "study/larvik.yaml", 4)
    elif fmt == "junit":
        xmlschema.XMLSchema(JENKINS_XSD).validate(result.stdout)
        xmlschema.XMLSchema(JUNIT_XSD).validate(result.stdout)
        (failure,) = ET.fromstring(result.stdout).findall("testcase/failure")
        assert failure.text.startswith("study/larvik.yaml:4: YAML syntax error")
    else:
        assert result.stdout.startswith("::error file=study/larvik.yaml,line=4,title=plangraf load::YAML syntax error")


def test_an_unknown_id_in_a_study_file_is_annotated_on_its_line(mini_copy):
    text = (mini_copy / "larvik.yaml").read_text("utf-8")
    guidance = re.search(r"guidance: ([a-z0-9/-]+)", text)
    assert guidance
    (mini_copy / "larvik.yaml").write_text(text.replace(guidance.group(0), "guidance: no-such-guidance", 1), "utf-8")
    line = text[: guidance.start()].count("\n") + 1
    args = ["validate", "--data", str(mini_copy), "--build-dir", str(mini_copy.parent / "build"), "-f", "github"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout.startswith(f"::error file=study/larvik.yaml,line={line},"), result.stdout
