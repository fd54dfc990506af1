"""A cold build's change record (:mod:`plangraf.graph.changes`) made from only the quads with a
literal object (:class:`plangraf.graph.storewrite._WithLiteralsOnly`) is the record made from
every quad of the build, and is what the build wrote."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from plangraf.core.paths import Paths
from plangraf.graph.changes import read_record, respelled_quads
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder, read_manifest
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.graph.storewrite import BuildQuads, _WithLiteralsOnly
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]


def test_the_cold_record_from_literal_quads_only_is_the_record_from_every_quad(tmp_path: Path) -> None:
    paths = Paths(root=ROOT)
    synthesize(3, 11, tmp_path / "study", load_reference(paths, load_ontology(paths)))
    paths = Paths(root=ROOT, data=tmp_path / "study", out=tmp_path / "build")
    result = Build(paths).build()
    assert result is not None and result.encoded is not None
    build = BuildQuads(result.encoded)
    every = list(build)
    view = _WithLiteralsOnly(build)
    assert len(view) == len(every)
    assert sorted(view, key=str) == sorted((q for q in every if isinstance(q.object, ox.Literal)), key=str)
    expected = respelled_quads(every, every)
    assert expected  # the reference data has positiveIntegers, which the store spells as integers
    assert respelled_quads(view, view) == expected
    folder = current_folder(paths.build)
    manifest = read_manifest(folder)
    assert manifest is not None
    record = read_record(folder, manifest["trig"]["sha256"])
    assert record is not None and set(record.respelled) == expected
