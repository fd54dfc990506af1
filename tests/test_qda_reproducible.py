"""The codebook and the exported project are byte-identical across runs and hash seeds, and a
second, independent reader (xmlschema, pure Python, not libxml2) accepts both.

Why not an open-source QDA tool as the second reader: Taguette (1.5.2 on PyPI) writes .qdc
codebooks but imports codebooks only as CSV (``taguette/import_codebook.py``: ``list_tags`` is
``list_tags_csv``), so it cannot read plangraf's codebook; QualCoder is not on PyPI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest
import xmlschema

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT / "src" / "plangraf" / "qda" / "xsd"

SCRIPT = """
import sys
from pathlib import Path
from plangraf.qda.codebook import build_codebook, codebook_xml
from plangraf.qda.refi_write import export_study
codes = build_codebook(Path(sys.argv[1]) / "data" / "reference")
out = Path(sys.argv[2])
out.joinpath("codebook.qdc").write_bytes(codebook_xml(codes, "plangraf"))
out.joinpath("study.qdpx").write_bytes(export_study(Path(sys.argv[1]) / "data" / "study-2020", codes, "plangraf")[1])
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[Path]:
    """The codebook and export written by two processes with different hash seeds."""
    folders = []
    for seed in ("1", "2"):
        folder = tmp_path_factory.mktemp(f"seed{seed}")
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(folder)], env=env, check=True, timeout=300)
        folders.append(folder)
    return folders


@pytest.mark.parametrize("name", ["codebook.qdc", "study.qdpx"])
def test_outputs_are_byte_identical_across_hash_seeds(outputs, name):
    first, second = (folder / name for folder in outputs)
    assert first.read_bytes() == second.read_bytes()


def test_a_second_reader_accepts_the_codebook_and_the_project(outputs):
    codebook = outputs[0] / "codebook.qdc"
    xmlschema.XMLSchema(str(XSD / "Codebook-mrt2019.xsd")).validate(str(codebook))
    with zipfile.ZipFile(outputs[0] / "study.qdpx") as zf:
        project = zf.read("project.qde")
    xmlschema.XMLSchema(str(XSD / "Project-mrt2019.xsd")).validate(project.decode("utf-8"))
    # read with the DOM, not ElementTree: three top codes, every GUID unique, relation kinds present
    dom = minidom.parse(str(codebook))
    codes = dom.getElementsByTagName("Code")
    guids = [c.getAttribute("guid") for c in codes]
    assert len(guids) == len(set(guids)) > 100
    tops = [c for c in codes if c.parentNode.tagName == "Codes"]
    assert [c.getAttribute("isCodable") for c in tops] == ["false"] * 3
    descriptions = [c.getElementsByTagName("Description")[0].firstChild.data for c in codes]
    for kind in ("explicit-reference", "verbatim", "paraphrase", "thematic", "absent"):
        assert any(d.endswith(f"relation/{kind} <https://w3id.org/plangraf/id/relation/{kind}>") for d in descriptions)
