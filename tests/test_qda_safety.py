"""Nothing outside the project is read, a forged archive is refused fast and small, and the schema
check needs no environment: hostile projects through the command line, one line, exit 2, study untouched."""

from __future__ import annotations

import hashlib
import shutil
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.qda.refi_read import read_project
from qda_projects import Sel, Src, code_guid, guid, qde, write_qdpx

ROOT = Path(__file__).resolve().parents[1]
DOC = "haugesund-kommuneplan-samfunnsdel-2014-2030"
PASSAGE = "Vi setter brukeren i sentrum for alle tjenester."
G1 = code_guid("guidance/meld-st-27/brukeren-i-sentrum")
REL, ELEMENT = code_guid("relation/thematic"), code_guid("egovwsf/information")
KARI = guid("kari")
USERS = {KARI: "Kari Nordmann"}
CODES = {G1: "Brukeren i sentrum", REL: "Tematisk", ELEMENT: "Informasjon"}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def refused(archive: Path, study: Path, expected: str) -> str:
    before = snapshot(study)
    result = CliRunner().invoke(main, ["import-qdpx", str(archive), "--data", str(study)])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], result.output
    assert snapshot(study) == before
    return lines[0]


def project_with_path(path: str) -> str:
    src = Src(DOC, PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, REL, ELEMENT])], file_guid="x")
    text = qde("MAXQDA 24", USERS, CODES, [src])
    return text.replace('plainTextPath="internal://x.txt"', f'plainTextPath="{path}"')


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/etc/passwd", "outside the project (absolute"),
        ("internal://../../../../etc/passwd", "outside the project (absolute, a drive or '..')"),
        ("internal:///etc/passwd", "outside the project (absolute"),
        ("absolute:///etc/passwd", "only internal sources"),
        ("relative:///../secret.txt", "only internal sources"),
        ("C:/Windows/win.ini", "a drive"),
    ],
)
def test_a_bare_qde_reads_no_file_outside_its_folder(tmp_path, study, path, expected):
    folder = tmp_path / "project"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text(PASSAGE)  # beside the project folder, never inside it
    qde_path = folder / "project.qde"
    qde_path.write_text(project_with_path(path), encoding="utf-8")
    refused(qde_path, study, expected)


def test_a_source_that_links_outside_the_folder_is_refused(tmp_path, study):
    folder = tmp_path / "project"
    (folder / "sources").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text(PASSAGE)
    (folder / "sources" / "x.txt").symlink_to(tmp_path / "secret.txt")
    qde_path = folder / "project.qde"
    qde_path.write_text(project_with_path("internal://x.txt"), encoding="utf-8")
    refused(qde_path, study, "links outside the project folder")


def test_a_dot_dot_source_path_in_an_archive_is_refused(tmp_path, study):
    archive = tmp_path / "p.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", project_with_path("internal://../project.qde"))
    refused(archive, study, "outside the project")


def bomb(path: Path, member: str, size: int, claimed: int) -> Path:
    """An archive whose ``member`` inflates to ``size`` bytes of spaces while its headers claim ``claimed``."""
    pack = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * (1 << 20)
    raw = b"".join(pack.compress(block) for _ in range(size >> 20)) + pack.flush()
    info = zipfile.ZipInfo(member)
    info.compress_type = zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, raw)  # stored, then relabelled as deflated with forged sizes below
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(member).header_offset
    central = data.index(b"PK\x01\x02")
    for start, size_at in ((offset, 18), (central, 20)):
        method_at = start + (8 if start == offset else 10)
        data[method_at : method_at + 2] = struct.pack("<H", zipfile.ZIP_DEFLATED)
        data[start + size_at + 4 : start + size_at + 8] = struct.pack("<I", claimed)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("claimed", [1_000, 10_000_000])
def test_a_forged_size_archive_is_refused_fast_and_small(tmp_path, claimed):
    archive = bomb(tmp_path / "bomb.qdpx", "project.qde", 256 << 20, claimed)
    assert archive.stat().st_size < 1_000_000
    tracemalloc.start()
    began = time.monotonic()
    with pytest.raises(PlangrafError, match="archive member 'project.qde'") as info:
        read_project(archive)
    elapsed = time.monotonic() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "unreadable" in str(info.value) or "past the input limit" in str(info.value)
    assert elapsed < 2 and peak < 200 << 20


def test_a_forged_size_archive_through_the_command_line_leaves_the_study_untouched(tmp_path, study):
    refused(bomb(tmp_path / "bomb.qdpx", "project.qde", 64 << 20, 1_000), study, "archive member 'project.qde'")


def test_the_byte_cap_counts_what_is_inflated_not_what_the_headers_say(tmp_path, monkeypatch):
    # honest headers under the header check, but the sources together pass the limit when read
    src = Src(DOC, PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, REL, ELEMENT])], file_guid="x")
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    project = read_project(archive)
    monkeypatch.setattr(project.reader.files, "limit", project.reader.files.used + 10)
    with pytest.raises(PlangrafError, match="sources/x.txt'.*past the input limit"):
        project.text_of(project.sources[0])


def test_schemas_ship_with_the_package_and_validation_needs_no_environment(tmp_path, study, monkeypatch):
    monkeypatch.delenv("PLANGRAF_REFI_XSD", raising=False)
    src = Src(DOC, PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, REL, ELEMENT])])
    invalid = qde("MAXQDA 24", USERS, CODES, [src]).replace(' isCodable="true"', "", 1)
    refused(write_qdpx(tmp_path / "invalid.qdpx", invalid, [src]), study, "fails the REFI-QDA project schema")
    result = CliRunner().invoke(main, ["codebook", "--out", str(tmp_path / "c.qdc")])
    assert result.exit_code == 0 and "valid against the REFI-QDA codebook schema" in result.output
