"""`plangraf validate` reads the build's TriG text (checked by its SHA-256) for the compiled
engine: the same report as from the build's store and as plain pyshacl's, and a damaged file is
never read as an answer."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraf.check.shacl import validate_graph
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "provenance-study"


def _issues(report) -> set:
    return {(i.severity, i.shape, i.focus, i.path, i.value, frozenset(i.messages.items())) for i in report.issues}


@pytest.mark.parametrize("study", [None, FIXTURE], ids=["study-2020", "provenance-study"])
def test_the_trig_text_gives_the_stores_report_and_pyshacls(study, shapes, tmp_path):
    paths = Paths(root=ROOT, data=study, out=tmp_path / "build")
    build = Build(paths)
    build.build()
    from_text = validate_graph(build.dataset(), shapes, engine="compiled")
    from_store = validate_graph(build.store(), shapes, engine="compiled")
    assert (from_text.conforms, _issues(from_text)) == (from_store.conforms, _issues(from_store))
    reference = validate_graph(build.union(), shapes, engine="pyshacl")
    plain = {(i.severity, i.focus, frozenset(i.messages.values())) for i in reference.issues}
    assert {(i.severity, i.focus, frozenset(i.messages.values())) for i in from_text.issues} == plain
    assert from_text.issues


def test_a_damaged_trig_file_is_rebuilt_or_refused_never_read(tmp_path):
    paths = Paths(root=ROOT, data=FIXTURE, out=tmp_path / "build")
    Build(paths).build()
    trig = current_folder(paths.build) / "plangraf.trig"
    good = trig.read_bytes()
    trig.write_bytes(good[: len(good) // 2])
    with pytest.raises(PlangrafError, match="TriG file cannot be read"):
        Build(paths, rebuild=False).dataset()
    rebuilt = Build(paths).dataset()
    assert _quads(rebuilt.text) == _quads(good.decode("utf-8"))


def _quads(text: str) -> set:
    return set(ox.parse(text, format=ox.RdfFormat.TRIG, rename_blank_nodes=False))
