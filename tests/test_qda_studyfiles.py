"""Study files edited by an import keep their comments where they belong."""

from __future__ import annotations

import shutil
from pathlib import Path

from plangraf.qda.codebook import build_codebook, code_index
from plangraf.qda.importer import run_import
from plangraf.qda.mapping import Mapping
from plangraf.qda.refi_read import read_project
from qda_projects import Sel, Src, code_guid, guid, qde, write_qdpx

ROOT = Path(__file__).resolve().parents[1]
HEADING = "# The default coder and date of every link, unless the link says otherwise:"


def test_a_new_coder_goes_into_the_list_not_under_the_next_comment(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("\ncoder: plangraf-encoders\n", f"\n\n{HEADING}\ncoder: plangraf-encoders\n"))
    passage = "Vi setter brukeren i sentrum for alle tjenester."
    codes = [
        code_guid(c) for c in ("guidance/meld-st-27/brukeren-i-sentrum", "relation/thematic", "egovwsf/information")
    ]
    src = Src("sandnes-helt-enkelt", passage, [Sel(0, len(passage), guid("new"), codes)])
    archive = write_qdpx(
        tmp_path / "p.qdpx", qde("MAXQDA 24", {guid("new"): "Nina Ny"}, {c: c for c in codes}, [src]), [src]
    )
    run_import(read_project(archive), folder, code_index(build_codebook(ROOT / "data" / "reference")), Mapping())
    after = study.read_text(encoding="utf-8")
    coders = after[after.index("\ncoders:") : after.index(HEADING)]
    assert "  - id: nina-ny\n    name: Nina Ny\n" in coders
    assert f"{HEADING}\ncoder: plangraf-encoders\n" in after
