"""The compiled SHACL engine (pyshacl-turbo) gives pyshacl's report: conforms, and the set of
(focus, path, source shape, severity, message), on the study, a synthetic study and every
valid and invalid shape example; without it, validation falls back to pyshacl and says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from plangraf.check.results import ValidationReport
from plangraf.check.shacl import validate_graph
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study.synth import synthesize

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples"


def key(report: ValidationReport) -> tuple[bool, set[tuple]]:
    """Conforms, and each result with its shown message and its messages in every language."""
    return report.conforms, {
        (i.focus, i.path, i.shape, i.severity, i.message, tuple(sorted(i.messages.items()))) for i in report.issues
    }


def both(data: Graph, shapes: Graph, capsys) -> tuple[tuple, tuple]:
    compiled = validate_graph(data, shapes, engine="compiled")
    assert "Note:" not in capsys.readouterr().err  # it really ran, no fallback
    return key(compiled), key(validate_graph(data, shapes, engine="pyshacl"))


def test_the_study_gives_the_same_report(graph, shapes, capsys):
    compiled, reference = both(graph, shapes, capsys)
    assert compiled == reference
    assert {severity for _f, _p, _s, severity, *_m in reference[1]} >= {"Warning", "Info"}


def test_a_synthetic_study_gives_the_same_report(tmp_path, paths, shapes, capsys):
    synthesize(12, 11, tmp_path / "s", load_reference(paths, load_ontology(paths)))
    data = build_graph(Paths(root=paths.root, data=tmp_path / "s")).union()
    compiled, reference = both(data, shapes, capsys)
    assert compiled == reference
    assert len(reference[1]) > 5


@pytest.mark.parametrize(
    "example",
    [EXAMPLES / "valid.ttl", *sorted((EXAMPLES / "invalid").glob("*.ttl"))],
    ids=lambda p: p.stem,
)
def test_every_shape_example_gives_the_same_report(root, shapes, example, capsys):
    from test_shapes import materialise  # pytest puts tests/ on sys.path

    compiled, reference = both(materialise(root, example), shapes, capsys)
    assert compiled == reference
    assert reference[1] or example.name == "valid.ttl"


def test_without_the_compiled_engine_pyshacl_runs_and_says_so(graph, shapes, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyshacl_turbo", None)  # an import of it now fails
    report = validate_graph(graph, shapes, engine="compiled")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not installed" in err[0] and "pyshacl" in err[0]
    assert key(report) == key(validate_graph(graph, shapes, engine="pyshacl"))


def test_the_command_takes_an_engine(tmp_path):
    from plangraf.cli.main import main

    data = tmp_path / "study"
    import shutil

    shutil.copytree(Path(__file__).parent / "fixtures" / "mini-study", data)
    outputs = {}
    for engine in ("compiled", "pyshacl"):
        result = CliRunner().invoke(
            main, ["validate", "--engine", engine, "--data", str(data), "--build-dir", str(tmp_path / "b")]
        )
        assert result.exit_code == 0, result.output
        outputs[engine] = result.output
    assert outputs["compiled"] == outputs["pyshacl"]
    result = CliRunner().invoke(main, ["validate", "--engine", "java", "--data", str(data)])
    assert result.exit_code == 2 and "java" in result.output


def test_the_compiled_engine_reads_a_store_as_it_reads_the_graph(built, shapes, capsys):
    from plangraf.answers.query import query_store

    store = query_store(built.asserted, built.inferred)  # two named graphs, as in a build
    from_store = validate_graph(store, shapes, engine="compiled")
    assert "Note:" not in capsys.readouterr().err
    assert key(from_store) == key(validate_graph(built.union(), shapes, engine="pyshacl"))
    assert key(validate_graph(store, shapes, engine="pyshacl")) == key(from_store)  # converted for pyshacl
