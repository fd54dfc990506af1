"""`plangraf validate` on a graph without the OWL RL inferences the shapes rely on (issue 23
step 6): one Violation that says so, not one result per finding."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.check.inference_gap import GAP_SHAPE, explain_missing_inference, relying_shapes, vocabulary_of
from plangraf.check.report import from_validation, render
from plangraf.check.results import ValidationReport
from plangraf.check.shacl import validate_graph
from plangraf.cli.main import main
from plangraf.graph.inference import infer
from plangraf.outputs.export import export
from plangraf.rdf.files import parse_file

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples"


@pytest.fixture(scope="module")
def exports(built, tmp_path_factory) -> dict[str, Path]:
    """The study's real exports: the asserted graph alone (Turtle) and asserted + inferred
    (TriG, the two named graphs)."""
    folder = tmp_path_factory.mktemp("exports")
    return {
        "asserted": Path(export(built.asserted, built.inferred, include_inferred=False, out=folder / "a.ttl")),
        "trig": Path(export(built.asserted, built.inferred, "trig", out=folder / "full.trig")),
    }


def _validate(path: Path, root: Path, tmp_path: Path, fmt: str = "text"):
    args = ["--root", str(root), "validate", "--file", str(path), "--build-dir", str(tmp_path / "none"), "-f", fmt]
    return CliRunner().invoke(main, args)


@pytest.fixture(scope="module")
def alone(built, shapes) -> ValidationReport:
    """What the shapes report on the study's asserted graph alone, one by one."""
    return validate_graph(built.asserted, shapes)


def test_the_asserted_export_is_explained_in_one_violation(exports, alone, shapes, paths, tmp_path):
    relying = relying_shapes(shapes)
    from_relying = Counter(i.shape for i in alone.issues if i.shape in relying)
    assert sum(from_relying.values()) > 50  # every finding (the issue's 96 Violations)

    result = _validate(exports["asserted"], paths.root, tmp_path, "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert not report["conforms"]
    (gap,) = [r for r in report["results"] if r["shape"] == GAP_SHAPE]
    assert gap["severity"] == "Violation"
    assert not [r for r in report["results"] if r["shape"] in relying]  # not listed one by one
    count = sum(from_relying.values())
    assert f"{count} of its {len(alone.issues)} results" in gap["message"]
    for shape, n in from_relying.items():
        assert f"pgsh:{shape.rsplit('#', 1)[1]}: {n}" in gap["message"]
    assert "inferred graph" in gap["message"] and "plangraf export" in gap["message"]
    assert f"{count} av de {len(alone.issues)} resultatene" in gap["messages"]["nb"]
    # the other shapes' results are all there, as on the asserted graph alone
    others = Counter((i.shape, i.focus) for i in alone.issues if i.shape not in relying)
    assert Counter((r["shape"], r["focus"]) for r in report["results"] if r["shape"] != GAP_SHAPE) == others
    assert report["counts"]["Violation"] == 1


def test_text_and_junit_say_it_once(alone, built, shapes, paths):
    explained = explain_missing_inference(built.asserted, shapes, alone, vocabulary_of(paths), engine="compiled")
    model = from_validation(explained, {})
    text = render(model, "text")
    assert text.count("plangraf inference") == 1 and "pgsh:Finding-document: " in text
    assert "pgsh:Finding-document  " not in text  # no line per finding
    assert text.splitlines()[-1].startswith("Does not conform. 1 violation(s),")
    (failure,) = ET.fromstring(render(model, "junit")).findall("testcase/failure")
    assert "lacks the OWL RL inferences" in failure.attrib["message"]


def test_the_export_with_inferences_validates_as_the_build(exports, built, shapes, paths, tmp_path):
    """A release's graph.trig (both named graphs) is validated as the build: nothing explained away."""
    result = _validate(exports["trig"], paths.root, tmp_path, "json")
    on_build = validate_graph(built.union(), shapes)
    assert result.exit_code == (1 if on_build.has_violations else 0), result.output
    report = json.loads(result.stdout)
    assert Counter((r["shape"], r["focus"]) for r in report["results"]) == Counter(
        (i.shape, i.focus) for i in on_build.issues
    )


def test_a_real_violation_of_a_relying_shape_is_kept(root, shapes, paths):
    """Finding-document's own invalid example (a finding with no document at all): on the
    example with its inferences nothing is explained away; on the example alone the other
    findings' results are, and the real one is still listed."""
    g = parse_file(root / "ontology" / "plangraf.ttl")
    parse_file(root / "data" / "reference" / "vocabularies.ttl", g)
    parse_file(EXAMPLES / "invalid" / "Finding-document.ttl", g)
    vocabulary = vocabulary_of(paths)

    def explained(data):
        report = validate_graph(data, shapes)
        return explain_missing_inference(data, shapes, report, vocabulary, engine="compiled").issues

    with_inferences = explained(g + infer(g))
    real = {i.focus for i in with_inferences if i.shape.endswith("#Finding-document")}
    assert real and not [i for i in with_inferences if i.shape == GAP_SHAPE]
    alone = explained(g)
    assert len([i for i in alone if i.shape == GAP_SHAPE]) == 1
    assert {i.focus for i in alone if i.shape.endswith("#Finding-document")} == real


def test_file_and_endpoint_together_is_bad_input(exports):
    args = ["validate", "--file", str(exports["trig"]), "--endpoint", "http://127.0.0.1:9/query"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: give --endpoint or --file, not both"
