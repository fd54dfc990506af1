"""The synthetic study generator: deterministic for a seed, and read by the loader unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangraf.core.paths import Paths
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study.loader import load_study
from plangraf.study.synth import FINDINGS_PER_MUNICIPALITY, proportions, synthesize


@pytest.fixture(scope="module")
def reference(root):
    paths = Paths(root=root)
    ontology = load_ontology(paths)
    return load_reference(paths, ontology) + ontology


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path, reference):
    a = synthesize(3, 7, tmp_path / "a", reference)
    b = synthesize(3, 7, tmp_path / "b", reference)
    assert a["files"] == b["files"]
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    synthesize(3, 8, tmp_path / "c", reference)
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_loader_reads_every_finding(tmp_path, reference):
    summary = synthesize(3, 1, tmp_path / "s", reference)
    expected = 3 * FINDINGS_PER_MUNICIPALITY
    assert summary["findings"] == expected
    assert summary["extra_reference"] is None
    _graph, report = load_study(tmp_path / "s", reference)
    assert report.municipalities == 3
    assert report.findings_read == report.findings_in_graph == expected
    assert report.documents == summary["documents"]
    assert 8 * 3 <= report.documents <= 12 * 3


def test_proportions_come_from_the_template(root):
    counts = proportions(root / "data" / "study-2020")
    assert sum(counts["plan_level"].values()) == 49
    assert (
        sum(counts["evidence"].values()) == 91
    )  # one passage, one finding (issue 10 audit; issue 22 merged 5 restatements)
    assert counts["plan_level"]["sector-strategy"] > counts["plan_level"]["budget"]


def test_nordic_size_adds_reference_municipalities(tmp_path, root, reference):
    from rdflib import Graph

    from plangraf.study.checks import ReferenceIndex
    from plangraf.study.synth import POPULATION_DATE

    # the municipalities with a number on the population date (not the predecessors merged in 2020)
    total = sum(
        1 for numbers in ReferenceIndex.from_graph(reference, POPULATION_DATE).municipalities.values() if numbers
    )
    summary = synthesize(total + 2, 1, tmp_path / "n", reference)
    assert summary["extra_reference"]
    extra = Graph().parse(summary["extra_reference"])
    names = sorted(p.stem for p in (tmp_path / "n").glob("nordic-*.yaml"))
    assert names == ["nordic-0001-" + names[0].split("-", 2)[2], names[1]] and len(names) == 2
    # every file is written; the two Nordic ones load against the extra reference data (the
    # other 356 are ordinary synthetic municipalities, as the smaller synthetic studies load them)
    assert len(list((tmp_path / "n").glob("*.yaml"))) == total + 2 + 1  # and study.yaml
    nordic = tmp_path / "nordic"
    nordic.mkdir()
    for path in [tmp_path / "n" / "study.yaml", *(tmp_path / "n").glob("nordic-*.yaml")]:
        (nordic / path.name).write_bytes(path.read_bytes())
    _graph, report = load_study(nordic, reference + extra)
    assert report.findings_read == report.findings_in_graph == 2 * FINDINGS_PER_MUNICIPALITY


def test_a_synthetic_study_of_50_municipalities_conforms(tmp_path, root, reference):
    """The shapes hold for synthetic data: the benchmark measures a valid graph."""
    from plangraf.check.shacl import load_shapes, validate_graph
    from plangraf.graph.build import build_graph

    summary = synthesize(50, 7, tmp_path / "s", reference)
    assert summary["municipalities"] == 50
    result = build_graph(Paths(root=root, data=tmp_path / "s"))
    report = validate_graph(result.union(), load_shapes(root / "ontology" / "shapes"))
    violations = sorted({(i.shape, i.focus) for i in report.issues if i.severity == "Violation"})
    assert violations == [], violations[:5]
    assert report.conforms or not report.has_violations


def test_findings_reflect_only_guidance_items(tmp_path, reference):
    from plangraf.study.synth import guidance_items

    items = set(guidance_items(reference, {"en-digital-offentlig-sektor/goals/omtalt-i-oppgaven", "meld-st-27"}))
    assert items == {"meld-st-27"}
    synthesize(20, 3, tmp_path / "s", reference)
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "s").glob("*.yaml"))
    assert "/goals/" not in text and "guidance: meld-st-27" in text
