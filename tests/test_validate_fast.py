"""validate_graph's speed-ups (no copy of the data graph, each SPARQL constraint parsed once,
core SHACL and a SPARQL target instead of per-node SPARQL) give pyshacl's plain report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as plain_pyshacl
from rdflib import Graph, URIRef
from rdflib import plugin as rdflib_plugin
from rdflib.namespace import RDF
from rdflib.query import Processor

from plangraf.check.pyshacl_engine import PreparedQueryCache
from plangraf.check.shacl import validate_graph
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.rdf.namespaces import SH
from plangraf.study.synth import synthesize

EXAMPLES = Path(__file__).resolve().parents[1] / "ontology" / "shapes" / "examples" / "invalid"


def plain_report(data: Graph, shapes: Graph) -> set[tuple[str, str, str, frozenset[str]]]:
    """pyshacl as documented, nothing cached, on a copy: (severity, shape, focus, messages).

    A shape's message is one sh:message per language, so a result has one sh:resultMessage
    per language: all of them are compared."""
    _conforms, results, _text = plain_pyshacl(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, allow_infos=True
    )
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        if not isinstance(shape, URIRef):  # a blank property shape: name its node shape
            shape = next((s for s in shapes.subjects(SH.property, shape) if isinstance(s, URIRef)), shape)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[1]
        found.add(
            (
                severity,
                str(shape),
                str(results.value(result, SH.focusNode)),
                frozenset(str(m) for m in results.objects(result, SH.resultMessage)),
            )
        )
    return found


def fast_report(data: Graph, shapes: Graph) -> set[tuple[str, str, str, frozenset[str]]]:
    report = validate_graph(data, shapes, engine="pyshacl")  # the compiled engine: test_engines.py
    return {(issue.severity, issue.shape, issue.focus, frozenset(issue.messages.values())) for issue in report.issues}


def _comparable(found: set[tuple[str, str, str, frozenset[str]]]) -> set[tuple[str, str, frozenset[str]]]:
    """Severity, focus node and messages (blank shapes are named differently by the two)."""
    return {(severity, focus, message) for severity, _shape, focus, message in found}


def test_study_report_equals_plain_pyshacl(graph, shapes):
    data = Graph()
    for t in graph:
        data.add(t)
    plain = plain_report(data, shapes)
    fast = fast_report(data, shapes)
    assert _comparable(fast) == _comparable(plain)
    assert {s for s, *_ in plain} >= {"Warning", "Info"}  # the study has governance warnings


@pytest.fixture(scope="module")
def synthetic_graph(tmp_path_factory, paths, graph) -> Graph:
    out = tmp_path_factory.mktemp("synthetic-10")
    from plangraf.graph.inputs import load_ontology, load_reference

    reference = load_reference(paths, load_ontology(paths))
    synthesize(10, 7, out, reference)
    return build_graph(Paths(root=paths.root, data=out)).union()


def test_synthetic_report_equals_plain_pyshacl(synthetic_graph, shapes):
    plain = plain_report(synthetic_graph, shapes)
    assert _comparable(fast_report(synthetic_graph, shapes)) == _comparable(plain)
    assert len(plain) > 5


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_example_report_equals_plain_pyshacl(root, shapes, example):
    from test_shapes import materialise  # pytest puts tests/ on sys.path

    data = materialise(root, example)
    plain = plain_report(data, shapes)
    assert plain, f"{example.name} should be reported"
    assert _comparable(fast_report(data, shapes)) == _comparable(plain)


def test_validation_leaves_the_data_graph_and_rdflib_processor_as_they_were(graph, shapes):
    data = Graph()
    for t in graph:
        data.add(t)
    before = len(data)
    validate_graph(data, shapes, engine="pyshacl")
    assert len(data) == before
    assert rdflib_plugin.get("sparql", Processor) is not PreparedQueryCache
    broken = Graph()
    broken.parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:sparql [ sh:select "SELECT $this WHERE { oops" ] .""",
        format="turtle",
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - the error itself is tested in the bad-input corpus
        validate_graph(data, broken, engine="pyshacl")
    assert rdflib_plugin.get("sparql", Processor) is not PreparedQueryCache


def _issues(report) -> set[tuple]:
    return {(i.severity, i.shape, i.focus, i.path, i.value, i.message) for i in report.issues}


def test_two_processes_give_the_single_process_report(synthetic_graph, graph, shapes):
    for data in (synthetic_graph, graph):
        single = validate_graph(data, shapes, workers=1, engine="pyshacl")
        split = validate_graph(data, shapes, workers=2, engine="pyshacl")
        assert split.conforms == single.conforms
        assert _issues(split) == _issues(single) and len(split.issues) == len(single.issues)
    assert validate_graph(synthetic_graph, shapes, workers=2, engine="pyshacl").issues  # warnings and infos


def test_the_split_gives_every_top_level_shape_to_exactly_one_part(synthetic_graph, shapes):
    from plangraf.check.split import TARGETS, split_shapes, top_level_shapes

    parts = split_shapes(shapes, synthetic_graph, 2)
    targeted = [{s for p in TARGETS for s in part.subjects(p, None)} for part in parts]
    assert targeted[0] and targeted[1] and not targeted[0] & targeted[1]
    assert targeted[0] | targeted[1] == set(top_level_shapes(shapes))
    for part in parts:  # everything but the other part's targets is kept
        assert {t for t in shapes if t[1] not in TARGETS} <= set(part)


def test_a_shapes_error_is_reported_when_validating_in_two_processes(graph, shapes):
    from plangraf.check.split import split_shapes
    from plangraf.core.errors import PlangrafError

    bad = Graph()
    for t in shapes:
        bad.add(t)
    # a SPARQL constraint that does not parse, on whichever top-level shape the child gets
    for part in split_shapes(shapes, graph, 2)[1:]:
        shape = next(iter({s for s in part.subjects(SH.targetClass, None)}))
        bad.parse(
            data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
            <{shape}> sh:sparql [ sh:select "SELECT $this WHERE {{ oops" ] .""",
            format="turtle",
        )
    with pytest.raises(PlangrafError, match="does not parse"):
        validate_graph(graph, bad, workers=2, engine="pyshacl")


def test_workers_from_the_environment(monkeypatch, graph):
    from plangraf.check.split import default_workers
    from plangraf.core.errors import PlangrafError

    monkeypatch.delenv("PLANGRAF_VALIDATE_WORKERS", raising=False)
    assert default_workers(graph) == 1  # opt-in
    monkeypatch.setenv("PLANGRAF_VALIDATE_WORKERS", "2")
    assert default_workers(graph) == 2
    monkeypatch.setenv("PLANGRAF_VALIDATE_WORKERS", "many")
    with pytest.raises(PlangrafError, match="PLANGRAF_VALIDATE_WORKERS"):
        default_workers(graph)
