"""The freshness check of a no-op build reads no input whose stat is unchanged, and still
notices every change: a same-size edit with the old modification time restored, a file
replaced by another, a file hashed while it was still settling. And the fast version lookup
gives what importlib.metadata gives."""

from __future__ import annotations

import os
import shutil
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from plangraf.core.paths import Paths
from plangraf.graph import identity as identity_mod
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder, read_manifest
from plangraf.graph.identity import Identity, plangraf_version

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
EDIT = ("Brukeren i sentrum.", "Brukaren i sentrum.")  # the same number of bytes


@pytest.fixture
def study(tmp_path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", folder)
    return folder


def build(study: Path, out: Path) -> Paths:
    paths = Paths(root=ROOT, data=study, out=out)
    assert Build(paths).build(force=True) is not None
    return paths


def test_the_version_is_the_one_importlib_metadata_gives():
    try:
        expected = version("plangraf")
    except PackageNotFoundError:
        expected = "unknown"
    assert plangraf_version() == expected


def test_a_file_hashed_while_settling_has_no_recorded_stat(study, tmp_path):
    """The study was copied just now: its files are hashed again by every check; the shipped
    ontology, untouched for longer than SETTLED_NS, is not."""
    out = tmp_path / "build"
    build(study, out)
    stats = read_manifest(current_folder(out))["stats"]  # type: ignore[index]
    assert not [label for label in stats if label.startswith("study/")]
    assert "ontology/plangraf.ttl" in stats


def test_an_unchanged_stat_keeps_the_recorded_hash_and_any_other_reads_the_file(study, tmp_path, monkeypatch):
    monkeypatch.setattr(identity_mod, "SETTLED_NS", 0)
    paths = build(study, tmp_path / "build")
    manifest = read_manifest(current_folder(paths.build))
    assert manifest is not None and "study/larvik.yaml" in manifest["stats"]
    sentinel = "0" * 64
    known = {**manifest, "inputs": {**manifest["inputs"], "study/larvik.yaml": sentinel}}
    assert Identity.of(paths, known=known).inputs["study/larvik.yaml"] == sentinel  # not read again
    stale = list(manifest["stats"]["study/larvik.yaml"])
    for field in range(len(stale)):  # size, mtime, ctime, inode, device: any one differing reads the file
        changed = [*stale[:field], stale[field] + 1, *stale[field + 1 :]]
        known["stats"] = {**manifest["stats"], "study/larvik.yaml": changed}
        assert Identity.of(paths, known=known).inputs["study/larvik.yaml"] == manifest["inputs"]["study/larvik.yaml"]


def test_a_same_size_edit_with_the_old_time_is_noticed_with_stats_recorded(study, tmp_path, monkeypatch):
    monkeypatch.setattr(identity_mod, "SETTLED_NS", 0)  # record every stat, however young
    paths = build(study, tmp_path / "build")
    assert "study/larvik.yaml" in read_manifest(current_folder(paths.build))["stats"]  # type: ignore[index]
    assert Build(paths, rebuild=False).changes() == []
    path = study / "larvik.yaml"
    before = path.stat()
    time.sleep(0.02)  # past the file system clock's tick
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time says nothing changed
    assert path.stat().st_size == before.st_size
    assert Build(paths, rebuild=False).changes() == ["study/larvik.yaml changed"]


def test_a_file_replaced_by_a_copy_with_the_same_times_is_noticed(study, tmp_path, monkeypatch):
    monkeypatch.setattr(identity_mod, "SETTLED_NS", 0)
    paths = build(study, tmp_path / "build")
    path = study / "larvik.yaml"
    before = path.stat()
    edited = tmp_path / "larvik.yaml"
    edited.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    time.sleep(0.02)
    os.replace(edited, path)  # another inode, the same size and modification time
    assert Build(paths, rebuild=False).changes() == ["study/larvik.yaml changed"]
