"""The build folder always answers for the current inputs: identity by content hash, rebuilds,
--no-rebuild, a whole-folder swap, and a build killed mid-way leaving the old one intact."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder, read_manifest, store_fingerprint
from plangraf.graph.identity import Identity

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def study(tmp_path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", folder)
    return folder


def municipalities(data: Path, out: Path, *extra: str) -> set[str]:
    """The municipalities the evidence query answers with, through the CLI."""
    result = invoke("query", "evidence", "-f", "json", "--data", data, "--build-dir", out, *extra)
    assert result.exit_code == 0, result.output
    return {row["municipality"] for row in json.loads(result.output)}


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_deleting_a_municipality_file_is_noticed(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    assert municipalities(study, out) == {"Larvik", "Tønsberg"}
    (study / "larvik.yaml").unlink()
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "out of date" in line and "study/larvik.yaml removed" in line
    assert municipalities(study, out) == {"Tønsberg"}  # rebuilt
    assert municipalities(study, out, "--no-rebuild") == {"Tønsberg"}  # and written: fresh now
    result = invoke("validate", "--data", study, "--build-dir", out, "--no-rebuild", "-q")
    assert result.exit_code == 0, result.output


def test_editing_a_municipality_file_is_noticed_even_with_an_old_time(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    path = study / "larvik.yaml"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Brukeren i sentrum.", "Brukaren i sentrum."))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the file time says nothing changed
    line = one_error_line(invoke("export", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "study/larvik.yaml changed" in line
    result = invoke("export", "-f", "nt", "--data", study, "--build-dir", out)
    assert result.exit_code == 0, result.output
    assert "Brukaren i sentrum." in result.output and "Brukeren i sentrum." not in result.output


def test_another_study_with_the_same_build_folder(study, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(study, other)
    (other / "tonsberg.yaml").unlink()
    (other / "coding.csv").unlink()
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    assert municipalities(other, out) == {"Larvik"}
    assert municipalities(study, out) == {"Larvik", "Tønsberg"}
    line = one_error_line(invoke("query", "evidence", "--data", other, "--build-dir", out, "--no-rebuild"))
    assert "study/tonsberg.yaml removed" in line and "study/coding.csv removed" in line


@pytest.mark.parametrize("damage", ["missing", "corrupt", "other-version", "other-format", "no-trig"])
def test_a_damaged_manifest_is_never_answered_from(damage, study, tmp_path, root):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    manifest = current_folder(out) / "manifest.json"
    if damage == "missing":
        manifest.unlink()
    elif damage == "corrupt":
        manifest.write_text('{"format": 2, "key": ', encoding="utf-8")
    elif damage == "no-trig":
        (current_folder(out) / "plangraf.trig").unlink()
    else:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["plangraf" if damage == "other-version" else "format"] = "0.0.0-other" if damage == "other-version" else 1
        manifest.write_text(json.dumps(data), encoding="utf-8")
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "out of date" in line
    assert municipalities(study, out) == {"Larvik", "Tønsberg"}
    assert Build(Paths(root=root, data=study, out=out), rebuild=False).changes() == []  # rebuilt and written


def test_a_build_with_nothing_changed_is_a_no_op(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    before = current_folder(out)
    mtime = (before / "plangraf.trig").stat().st_mtime_ns
    result = invoke("build", "--data", study, "--build-dir", out)
    assert result.exit_code == 0, result.output
    assert "nothing rebuilt" in result.output and "Findings and links: read 3" in result.output
    assert current_folder(out) == before and (before / "plangraf.trig").stat().st_mtime_ns == mtime
    result = invoke("build", "--data", study, "--build-dir", out, "--force")
    assert result.exit_code == 0 and current_folder(out) != before
    assert not before.exists()  # the replaced build is swept away


def test_the_manifest_records_every_input_by_content(study, tmp_path, root):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    manifest = read_manifest(out)
    assert manifest is not None
    assert {"study/larvik.yaml", "study/tonsberg.yaml", "study/study.yaml", "study/coding.csv"} <= set(
        manifest["inputs"]
    )
    assert "ontology/plangraf.ttl" in manifest["inputs"] and any(k.startswith("reference/") for k in manifest["inputs"])
    assert any(k.startswith("shapes/") for k in manifest["checks"]) and any(
        k.startswith("queries/") for k in manifest["checks"]
    )
    identity = Identity.of(Paths(root=root, data=study, out=out))
    assert manifest["key"] == identity.key and manifest["plangraf"] == identity.version
    assert Identity.of(Paths(root=root, data=study), frozenset({"b", "a"})).key != identity.key  # readings count


def test_a_file_that_changes_during_the_build_fails_it(study, tmp_path, root, monkeypatch):
    import plangraf.graph.build as build_mod

    real = build_mod.read_study

    def load_then_edit(directory, reference, **options):
        loaded = real(directory, reference, **options)
        with (study / "tonsberg.yaml").open("a", encoding="utf-8") as handle:
            handle.write("# edited while plangraf was reading\n")
        return loaded

    monkeypatch.setattr(build_mod, "read_study", load_then_edit)
    with pytest.raises(PlangrafError, match="changed during the build.*study/tonsberg.yaml changed"):
        build_graph(Paths(root=root, data=study, out=tmp_path / "build"), cache_folder=tmp_path / "build" / ".cache")
    assert not (tmp_path / "build").exists()  # not even an entry of the per-file cache


def test_a_copied_build_folder_is_still_read(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)  # links followed: plain files and folders
    assert municipalities(study, copy, "--no-rebuild") == {"Larvik", "Tønsberg"}
    (study / "larvik.yaml").unlink()
    assert municipalities(study, copy) == {"Tønsberg"}  # rebuilt over the copied folder
    assert (copy / "current").is_symlink()


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the store is a folder of files), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killed_build_leaves_the_previous_build_intact(study, tmp_path, root):
    """Kill plangraf after it staged a new build, before the swap: the old build answers."""
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    old = current_folder(out)
    old_files = _contents(old)
    (study / "larvik.yaml").rename(tmp_path / "larvik.yaml")
    env = dict(os.environ, PLANGRAF_TEST_PAUSE_BEFORE_SWAP="60")
    cmd = [sys.executable, "-m", "plangraf.cli", "--root", str(root), "build", "--data", str(study)]
    process = subprocess.Popen(
        [*cmd, "--build-dir", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 240
        while not list((out / ".builds").glob("staging-*/manifest.json")):  # staged whole, not yet swapped in
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, "plangraf never staged the build"
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert current_folder(out) == old
    assert _contents(old) == old_files  # the files and the store's files, byte for byte
    assert (out / "plangraf.trig").read_bytes() == old_files["plangraf.trig"]
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "study/larvik.yaml removed" in line  # the old build is not taken for the new inputs
    (tmp_path / "larvik.yaml").rename(study / "larvik.yaml")
    assert municipalities(study, out, "--no-rebuild") == {"Larvik", "Tønsberg"}  # still the old, whole build
    assert invoke("build", "--data", study, "--build-dir", out, "--force").exit_code == 0
    assert not list((out / ".builds").glob("staging-*"))  # the dead build's staging folder is swept


def test_the_sweep_spares_other_running_builds(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    alive = out / ".builds" / f"staging-{os.getppid()}-alive"  # a running process's staging folder
    dead = out / ".builds" / "staging-999999999-dead"
    for folder in (alive, dead):
        folder.mkdir()
    assert invoke("build", "--data", study, "--build-dir", out, "--force").exit_code == 0
    assert alive.exists() and not dead.exists()
    assert sorted(p.name for p in (out / ".builds").iterdir()) == sorted([alive.name, current_folder(out).name])


def test_the_reference_data_is_reparsed_when_its_contents_change(study, tmp_path, root):
    """build_graph keeps the parsed ontology and reference data for the next build in the same
    process (the claims check builds once per reading); a changed reference file is read anew."""
    project = tmp_path / "project"
    shutil.copytree(root / "ontology", project / "ontology")
    shutil.copytree(root / "data" / "reference", project / "data" / "reference")
    paths = Paths(root=project, data=study, out=tmp_path / "build")
    marker = "plangraf test marker"

    def labels() -> set[str]:
        result = build_graph(paths)
        return {str(o) for o in result.asserted.objects(None, None) if str(o) == marker}

    assert labels() == set()
    first = sorted((project / "data" / "reference").glob("*.ttl"))[0]
    with first.open("a", encoding="utf-8") as handle:
        subject, comment = (
            "<https://w3id.org/plangraf/id/test-marker>",
            "<http://www.w3.org/2000/01/rdf-schema#comment>",
        )
        handle.write(f'\n{subject} {comment} "{marker}" .\n')
    assert labels() == {marker}
    first.write_text(first.read_text("utf-8").replace(marker, "changed again"), "utf-8")
    assert labels() == set()


# --- the persistent store (issue 21) ------------------------------------------------------


def test_commands_read_the_builds_persistent_store_read_only(study, tmp_path):
    """query opens build/store read-only: it answers with the TriG export gone, and a second
    reader can open the same store while the first has it open."""
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    folder = current_folder(out)
    assert (folder / "store" / "CURRENT").is_file() and (out / "store").resolve() == folder / "store"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    first = Build(Paths(root=ROOT, data=study, out=out)).store()
    second = Build(Paths(root=ROOT, data=study, out=out)).store()
    assert len(first) == len(second) == manifest["store"]["quads"] == manifest["counts"]["total"]
    assert municipalities(study, out, "--no-rebuild") == {"Larvik", "Tønsberg"}


def test_a_damaged_store_is_rebuilt_or_refused_never_read(study, tmp_path):
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    store = current_folder(out) / "store"
    for path in store.iterdir():  # truncate every file of the store
        if path.is_file():
            path.write_bytes(b"")
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "store cannot be read" in line and "store" in line
    assert municipalities(study, out) == {"Larvik", "Tønsberg"}  # rebuilt from the study, then answered


def test_a_store_with_other_contents_than_its_manifest_is_not_read(study, tmp_path):
    """A store of another build moved in (same files, other quads) is caught by its count."""
    out, other = tmp_path / "build", tmp_path / "other"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    (study / "larvik.yaml").rename(tmp_path / "larvik.yaml")
    assert invoke("build", "--data", study, "--build-dir", other).exit_code == 0
    (tmp_path / "larvik.yaml").rename(study / "larvik.yaml")
    mine = current_folder(out) / "store"
    shutil.rmtree(mine)
    shutil.copytree(current_folder(other) / "store", mine)
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "quads" in line


def test_a_store_another_process_holds_open_for_writing_is_still_read_and_rebuilt(study, tmp_path):
    """Another process holding build/store open read-write (with RocksDB's lock) neither hangs
    nor blocks plangraf: queries open the store read-only (no lock taken), and a new build is
    written beside it in its own staging folder and swapped in."""
    out = tmp_path / "build"
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    store = (out / "store").resolve()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph as ox, time; s = ox.Store({str(store)!r}); print('held', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert municipalities(study, out, "--no-rebuild") == {"Larvik", "Tønsberg"}
        (study / "tonsberg.yaml").write_text(
            (study / "tonsberg.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
        )
        assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
        assert (out / "store").resolve() != store
        assert municipalities(study, out, "--no-rebuild") == {"Larvik", "Tønsberg"}
    finally:
        holder.kill()
        holder.wait()


# The build's store is read without counting its quads when its files are the ones the manifest
# records (their names and sizes, and RocksDB's own CURRENT, IDENTITY and MANIFEST files): a
# store with any other files (damaged, moved in from another build, opened for writing since) is
# counted against the manifest as before, and read only when the count agrees.


def _built(study: Path, out: Path) -> Path:
    assert invoke("build", "--data", study, "--build-dir", out).exit_code == 0
    return current_folder(out)


def test_the_manifest_records_the_store_as_written_and_reading_leaves_it(study, tmp_path):
    folder = _built(study, tmp_path / "build")
    recorded = read_manifest(folder)["store"]
    assert recorded["fingerprint"] == store_fingerprint(folder / "store")
    assert municipalities(study, tmp_path / "build", "--no-rebuild") == {"Larvik", "Tønsberg"}
    assert store_fingerprint(folder / "store") == recorded["fingerprint"]  # a read-only open changes no file
    store = Build(Paths(root=ROOT, data=study, out=tmp_path / "build"), rebuild=False).store()
    assert len(store) == recorded["quads"]  # what the fingerprint vouches for is what a count checks


def test_a_copy_of_the_same_files_is_the_same_store(study, tmp_path):
    folder = _built(study, tmp_path / "build")
    fingerprint = store_fingerprint(folder / "store")
    shutil.copytree(folder / "store", tmp_path / "copy")
    assert store_fingerprint(tmp_path / "copy") == fingerprint
    (tmp_path / "copy" / "LOG").write_text("another run's log\n", encoding="utf-8")  # info logs do not count
    assert store_fingerprint(tmp_path / "copy") == fingerprint


def test_a_table_file_of_another_size_is_counted_and_refused(study, tmp_path):
    out = tmp_path / "build"
    store = _built(study, out) / "store"
    table = max(store.glob("*.sst"), key=lambda path: path.stat().st_size)
    table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])
    assert store_fingerprint(store) != read_manifest(store.parent)["store"]["fingerprint"]
    line = one_error_line(invoke("query", "evidence", "--data", study, "--build-dir", out, "--no-rebuild"))
    assert "store cannot be read" in line


def test_a_store_opened_for_writing_since_is_counted_and_read(study, tmp_path):
    """RocksDB rewrites its MANIFEST and CURRENT files when a process opens the store for
    writing: the fingerprint no longer matches, the count does, and the store is read."""
    out = tmp_path / "build"
    store = _built(study, out) / "store"
    opened = f"import pyoxigraph as ox; s = ox.Store({str(store)!r}); s.flush(); del s"
    subprocess.run([sys.executable, "-c", opened], check=True)
    assert store_fingerprint(store) != read_manifest(store.parent)["store"]["fingerprint"]
    assert municipalities(study, out, "--no-rebuild") == {"Larvik", "Tønsberg"}


def test_a_missing_store_folder_has_no_fingerprint(tmp_path):
    assert store_fingerprint(tmp_path / "none") is None
