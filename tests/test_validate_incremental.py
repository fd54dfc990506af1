"""Incremental validation (:mod:`plangraf.check.incremental`) gives the report a whole
validation gives, result for result: after random edits, additions and removals of the
municipality files of a small synthetic study, including edits that make and mend
Violations and Warnings; and a damaged or foreign cached report, or change record, is never
used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraf.check.incremental import CACHE, REPORT, validate_current
from plangraf.check.results import ValidationReport
from plangraf.check.shacl import load_shapes, shapes_key, validate_graph
from plangraf.core.paths import Paths
from plangraf.graph.changes import RECORD, read_record
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
SHAPES = load_shapes(ROOT / "ontology" / "shapes")
KEY = shapes_key(ROOT / "ontology" / "shapes")
IN_STUDY = 3  # of the synthesised municipalities; the others wait aside to be added


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five synthetic municipality files and their study.yaml, made once."""
    folder = tmp_path_factory.mktemp("pool")
    paths = Paths(root=ROOT)
    synthesize(5, 7, folder, load_reference(paths, load_ontology(paths)))
    return folder


def _study(pool: Path, into: Path) -> Paths:
    study = into / "study"
    aside = into / "aside"
    study.mkdir()
    aside.mkdir()
    for n, path in enumerate(sorted(pool.glob("[!s]*.yaml"))):
        shutil.copy(path, (study if n < IN_STUDY else aside) / path.name)
    shutil.copy(pool / "study.yaml", study / "study.yaml")
    return Paths(root=ROOT, data=study, out=into / "build")


def _results(report: ValidationReport) -> list[tuple[Any, ...]]:
    return sorted(
        (i.severity, i.shape, i.focus, i.focus_key, i.path, i.value, i.message, sorted(i.messages.items()))
        for i in report.issues
    )


def _whole(paths: Paths) -> ValidationReport:
    return validate_graph(Build(paths, rebuild=False).dataset(), SHAPES)


def _validate(paths: Paths) -> tuple[ValidationReport, str]:
    report, _, how = validate_current(paths, SHAPES, KEY, engine="compiled", rebuild=True)
    return report, how


# --- edits of one municipality file (each loads; some make Violations or Warnings)


def _edit(path: Path, change: str, pick: int) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    documents = data["documents"]
    document = documents[pick % len(documents)]
    if change == "break":  # kommuneloven 1992 § 45 was repealed before 2021: StatedBasisInForce
        document["adopted"] = 2021
        document["legal_basis"] = ["koml-1992 § 45"]
    elif change == "mend":
        for each in documents:
            each.pop("legal_basis", None)
            each.pop("adopted", None)
    elif change == "early":  # adopted before the guidance it reflects: LinkBeforePublication
        document["adopted"] = 1995
    elif change == "period":  # ExpiredStrategy and the period shapes
        document["valid_to"] = 2015 + pick % 10
        document.setdefault("valid_from", 2014)
    elif change == "retitle":
        document["title"] = f"{document['title']} ({pick})"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


CHANGES = st.tuples(
    st.sampled_from(["break", "mend", "early", "period", "retitle", "remove", "add"]),
    st.integers(min_value=0, max_value=99),
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(CHANGES, min_size=3, max_size=4))
def test_an_updated_report_is_the_whole_validations(pool: Path, tmp_path_factory, changes) -> None:
    into = tmp_path_factory.mktemp("study")
    paths = _study(pool, into)
    first, how = _validate(paths)  # builds, then validates the whole build
    assert how == "whole" and _results(first) == _results(_whole(paths))
    updated = 0
    for change, pick in changes:
        study = sorted(paths.study.glob("[!s]*.yaml"))
        aside = sorted((into / "aside").glob("*.yaml"))
        if change == "remove" and len(study) > 1:
            shutil.move(study[pick % len(study)], into / "aside")
        elif change == "add" and aside:
            shutil.move(aside[pick % len(aside)], paths.study)
        elif change not in ("remove", "add"):
            _edit(study[pick % len(study)], change, pick)
        report, how = _validate(paths)
        assert _results(report) == _results(_whole(paths)), (change, how)
        assert report.conforms == (not report.has_violations)
        updated += how == "updated"
    assert updated or all(change in ("remove", "add") for change, _ in changes)


def test_edits_that_make_and_mend_a_violation_are_updated(pool: Path, tmp_path: Path) -> None:
    paths = _study(pool, tmp_path)
    _validate(paths)
    target = sorted(paths.study.glob("[!s]*.yaml"))[0]
    _edit(target, "break", 0)
    broken, how = _validate(paths)
    assert how == "updated" and broken.has_violations
    assert _results(broken) == _results(_whole(paths))
    again, how = _validate(paths)  # nothing changed: the cached report
    assert how == "cached" and _results(again) == _results(broken)
    _edit(target, "mend", 0)
    mended, how = _validate(paths)
    assert how == "updated" and not mended.has_violations
    assert _results(mended) == _results(_whole(paths))


def _corrupt_report(paths: Paths) -> None:
    cached = paths.build / CACHE / REPORT
    digest, _, text = cached.read_text(encoding="utf-8").partition("\n")
    data = json.loads(text)
    data["issues"] = data["issues"][1:]  # one result fewer, the digest left as it was
    cached.write_text(f"{digest}\n{json.dumps(data)}\n", encoding="utf-8")


def _foreign_report(paths: Paths) -> None:
    cached = paths.build / CACHE / REPORT
    digest, _, text = cached.read_text(encoding="utf-8").partition("\n")
    data = json.loads(text)
    data["key"]["shapes"] = "0" * 64  # made with other shapes
    cached.write_text(f"{digest}\n{json.dumps(data)}\n", encoding="utf-8")


def _truncated_report(paths: Paths) -> None:
    cached = paths.build / CACHE / REPORT
    cached.write_bytes(cached.read_bytes()[:1000])


@pytest.mark.parametrize("spoil", [_corrupt_report, _foreign_report, _truncated_report])
def test_a_damaged_or_foreign_cached_report_is_not_used(pool: Path, tmp_path: Path, spoil) -> None:
    paths = _study(pool, tmp_path)
    _validate(paths)
    spoil(paths)
    report, how = _validate(paths)  # the same build: the cache would answer at once
    assert how == "whole" and _results(report) == _results(_whole(paths))
    _edit(sorted(paths.study.glob("[!s]*.yaml"))[0], "break", 1)
    spoil(paths)
    report, how = _validate(paths)  # an edited build: the cache would be brought up to date
    assert how == "whole" and _results(report) == _results(_whole(paths))


def test_a_damaged_change_record_is_not_used(pool: Path, tmp_path: Path) -> None:
    paths = _study(pool, tmp_path)
    _validate(paths)
    _edit(sorted(paths.study.glob("[!s]*.yaml"))[0], "break", 2)
    Build(paths).build()
    folder = current_folder(paths.build)
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    trig = record["trig"]
    assert read_record(folder, trig) is not None
    changes = folder / "changes.nq"
    changes.write_bytes(changes.read_bytes()[: len(changes.read_bytes()) // 2])  # a triple lost
    assert read_record(folder, trig) is None
    report, how = _validate(paths)
    assert how == "whole" and _results(report) == _results(_whole(paths))


def test_the_store_read_back_in_the_trigs_spelling_is_the_trig(pool: Path, tmp_path: Path) -> None:
    """The store keeps some literals by value (``"4"^^xsd:positiveInteger`` as an integer);
    with the build's respelled quads every quad read from it is the TriG's again, after a
    whole write and after a delta."""
    import pyoxigraph as ox

    from plangraf.check.incremental import _respelled

    paths = _study(pool, tmp_path)
    for step in range(2):
        if step:
            _edit(sorted(paths.study.glob("[!s]*.yaml"))[0], "retitle", 3)
        Build(paths).build()
        folder = current_folder(paths.build)
        trig = set(ox.parse(path=str(folder / "plangraf.trig"), format=ox.RdfFormat.TRIG))
        record = read_record(folder, json.loads((folder / RECORD).read_text(encoding="utf-8"))["trig"])
        assert record is not None and record.respelled  # the reference data has positiveIntegers
        store = ox.Store.read_only(str(folder / "store"))
        assert set(_respelled(set(store), record.respelled)) == trig
        assert set(store) != trig


def test_a_whole_validation_on_the_readable_quads_is_the_whole_graphs(pool: Path, tmp_path: Path) -> None:
    """A whole validation of a large build reads only the quads the shapes can read
    (plangraf.check.readable), as term rows cut from the build's saved id rows: fewer quads,
    the same results, Violations included; the saved rows are the TriG's quads exactly."""
    import pyoxigraph as ox

    from plangraf.check.incremental import _readable
    from plangraf.check.reach import compile_shapes
    from plangraf.check.readable import TermRows, graph_of_rows, readable_rows, term_records, triples
    from plangraf.graph.saved import read_saved

    paths = _study(pool, tmp_path)
    _edit(sorted(paths.study.glob("[!s]*.yaml"))[0], "break", 0)
    report, how = _validate(paths)
    whole = _whole(paths)
    assert how == "whole" and whole.has_violations and _results(report) == _results(whole)
    build = Build(paths, rebuild=False)
    folder = current_folder(paths.build)
    saved = read_saved(folder, build.manifest())
    assert saved is not None
    records = term_records([*saved.terms, *(f"<{name}>" for name, _ in saved.graphs)])
    assert records is not None
    graph_ids = {name: len(saved.terms) + n for n, (name, _) in enumerate(saved.graphs)}
    rows = [(s, p, o, graph_ids[name]) for name, flat in saved.graphs for s, p, o in triples(flat)]
    trig = set(ox.parse(path=str(folder / "plangraf.trig"), format=ox.RdfFormat.TRIG))
    assert _quads(TermRows(records, rows)) == trig
    reach = compile_shapes(SHAPES)
    cut = readable_rows(reach, saved.terms, saved.graphs)
    assert cut is not None and 0 < len(cut.quads) < len(trig)
    assert _results(validate_graph(cut, SHAPES)) == _results(whole)
    assert _results(validate_graph(cut, SHAPES, engine="pyshacl")) == _results(whole)
    assert len(graph_of_rows(cut)) <= len(cut.quads)
    fed = _readable(build, reach.to_json())
    assert isinstance(fed, TermRows) and _quads(fed) == _quads(cut)


def _quads(rows: Any) -> set[Any]:
    """Term rows as pyoxigraph quads (literals rebuilt from their records)."""
    import pyoxigraph as ox

    def term(record: tuple[int, str, str | None, str | None]) -> Any:
        kind, value, datatype, language = record
        if kind == 0:
            return ox.NamedNode(value)
        if kind == 1:
            return ox.BlankNode(value)
        if language:
            return ox.Literal(value, language=language)
        return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)

    terms = [term(record) for record in rows.records]
    return {ox.Quad(terms[s], terms[p], terms[o], terms[g]) for s, p, o, g in rows.quads}
