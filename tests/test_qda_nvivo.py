"""NVivo's own layout (FACTS.md): one selection per code with the same range, the coder on the
selection, the project's modifying user and the export time on every Coding; and relation kinds
from a code hierarchy."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.qda.codebook import build_codebook, code_index
from plangraf.qda.importer import run_import
from plangraf.qda.mapping import Mapping
from plangraf.qda.refi_read import read_project
from plangraf.qda.studyfiles import StudyFiles
from qda_projects import Sel, Src, code_guid, guid, offset, qde, write_qdpx

ROOT = Path(__file__).resolve().parents[1]
DOC = "larvik-digitaliseringsstrategi-2018-2020"
G = {
    "g1": "meld-st-27/brukeren-i-sentrum",
    "g2": "meld-st-27/digital-kompetanse-deltakelse",
    "g3": "en-digital-offentlig-sektor/deling-av-data",
}
KINDS = ["explicit-reference", "verbatim", "paraphrase", "thematic", "absent"]
CODES = {code_guid(f"guidance/{g}"): g for g in G.values()}
CODES |= {code_guid(f"relation/{k}"): k for k in KINDS}
CODES[code_guid("egovwsf/information")] = "Informasjon"
A, B, ADMIN = guid("nvivo-a"), guid("nvivo-b"), guid("nvivo-admin")
USERS = {A: "Åse Ødegård", B: "Bjørn Ås", ADMIN: "Prosjektansvarlig"}
HEAD = "Forord 🙂 om æøå og 𝄞 musikk\r\nInnhold.\r\n"
SENTENCES = [f"Setning {i}: kommunen vil styrke tjenester på område {i} 🚀 for alle." for i in range(6)]
TEXT = HEAD + "\r\n".join(SENTENCES) + "\r\nSlutt."
# (sentence, coder, guidance keys, relation kind): the coders disagree on some kinds
READINGS = [
    (0, A, ["g1"], "explicit-reference"),
    (0, B, ["g1"], "verbatim"),
    (1, A, ["g2", "g3"], "paraphrase"),
    (1, B, ["g2"], "paraphrase"),
    (2, A, ["g3"], "thematic"),
    (3, B, ["g1", "g3"], "thematic"),
    (4, A, ["g1"], "absent"),
    (4, B, ["g1"], "verbatim"),
    (5, A, ["g2"], "verbatim"),
]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    return folder


@pytest.fixture(scope="module")
def codebook():
    return code_index(build_codebook(ROOT / "data" / "reference"))


def span(i: int) -> tuple[int, int]:
    begin = TEXT.index(SENTENCES[i])
    return offset(TEXT, begin, "utf16"), offset(TEXT, begin + len(SENTENCES[i]), "utf16")


def nvivo_project(
    path: Path, readings=READINGS, parents: dict[str, str] | None = None, codes=CODES, stamps=None
) -> Path:
    """The NVivo layout: every code its own selection on the same range; each Coding has ADMIN as its
    user and the export time; ``stamps`` gives each reading's selection creationDateTime."""
    selections = []
    for r, (i, coder, keys, how) in enumerate(readings):
        start, end = span(i)
        chosen = [code_guid(f"guidance/{G[k]}") if k in G else k for k in keys] + [code_guid("egovwsf/information")]
        chosen += [code_guid(f"relation/{how}")] if how else []
        for n, code in enumerate(chosen):
            stamp = stamps[r] if stamps else ""
            sel = Sel(start, end, coder, [code], seed=f"{i}-{coder}-{n}", date="2026-12-01T02:07:00Z", sel_date=stamp)
            selections.append(sel)
    src = Src(DOC, TEXT, selections, bom=True)
    text = qde("NVivo for Windows 14", USERS, codes, [src], parents=parents)
    text = re.sub(r'(<Coding guid="[^"]+" creatingUser=")[^"]+', rf"\g<1>{ADMIN}", text)
    return write_qdpx(path, text, [src])


def links(folder: Path) -> set[tuple[str, str, str, str, str | None]]:
    out = set()
    for finding in StudyFiles.read(folder).documents()[DOC][1].get("findings") or []:
        if finding["text"] not in SENTENCES:
            continue  # the study's own findings
        for link in finding["reflects"]:
            out.add((finding["text"], link["guidance"], link["coder"], link["how"], link.get("coded")))
    return out


def expected(readings=READINGS) -> set[tuple[str, str, str, str, str | None]]:
    coders = {A: "ase-odegard", B: "bjorn-as"}
    return {(SENTENCES[i], G[k], coders[c], how, None) for i, c, keys, how in readings for k in keys}


def test_nvivo_layout_imports_every_relation_kind_and_coder(tmp_path, study, codebook):
    plan = run_import(read_project(nvivo_project(tmp_path / "n.qdpx")), study, codebook, Mapping())
    assert links(study) == expected()
    assert any("no coding dates were imported" in w for w in plan.warnings)
    absent = [f for f in StudyFiles.read(study).documents()[DOC][1]["findings"] if f["text"] == SENTENCES[4]][0]
    assert absent["absent_elements"] == ["information"]  # coder A's reading: information examined, absent


def test_coding_dates_come_from_the_selections_never_from_nvivos_coding_stamp(tmp_path, study, codebook):
    stamps = [f"2026-11-{10 + r:02d}T09:30:00Z" for r in range(len(READINGS))]
    project = read_project(nvivo_project(tmp_path / "n.qdpx", stamps=stamps))
    plan = run_import(project, study, codebook, Mapping())
    coders = {A: "ase-odegard", B: "bjorn-as"}
    assert links(study) == {
        (SENTENCES[i], G[k], coders[c], how, f"2026-11-{10 + r}")
        for r, (i, c, keys, how) in enumerate(READINGS)
        for k in keys
    }
    assert (
        "NVivo writes the export time on every Coding, so coding dates were taken from the selections" in plan.warnings
    )


def test_selection_stamps_within_one_hour_are_an_export_not_coding_dates(tmp_path, study, codebook):
    stamps = [f"2026-12-01T02:{6 + r:02d}:00Z" for r in range(len(READINGS))]  # as NVivo 12.6 wrote them
    project = read_project(nvivo_project(tmp_path / "n.qdpx", stamps=stamps))
    plan = run_import(project, study, codebook, Mapping())
    assert links(study) == expected()  # no dates
    assert any("only export-time ones (all within one hour)" in w for w in plan.warnings)
    # the mapping file can still say the selection stamps are real
    run_import(project, study, codebook, Mapping(dates="selection"))
    assert {day for *_, day in links(study)} == {"2026-12-01"}


def test_a_guidance_code_without_a_relation_kind_is_one_line_saying_how_to_map_it(tmp_path, study):
    readings = [*READINGS[:3], (2, A, ["g3"], "")]
    archive = nvivo_project(tmp_path / "n.qdpx", readings)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.iterdir()}
    result = CliRunner().invoke(main, ["import-qdpx", str(archive), "--data", str(study)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "coder 'ase-odegard' applied guidance code(s) 'en-digital-offentlig-sektor/deling-av-data' to 1" in lines[0]
    assert "with no relation kind: code the same range with a relation code" in lines[0]
    assert "map a code to relation/<kind> under codes:" in lines[0]
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.iterdir()}


def test_a_default_relation_is_never_silent(tmp_path, study, codebook):
    readings = [(2, A, ["g3"], "")]
    project = read_project(nvivo_project(tmp_path / "n.qdpx", readings))
    plan = run_import(project, study, codebook, Mapping(default_relation="thematic"))
    assert links(study) == expected([(2, A, ["g3"], "thematic")])
    assert (
        "1 link(s) had no relation code and were given default_relation 'thematic' from the mapping file"
        in plan.warnings
    )


def test_the_relation_kind_comes_from_the_code_hierarchy(tmp_path, study, codebook):
    # the researcher's own codes: "Ordrett" (mapped to relation/verbatim) holds "Brukerfokus"
    ordrett, brukerfokus = guid("ordrett"), guid("brukerfokus")
    codes = {**CODES, ordrett: "Ordrett", brukerfokus: "Brukerfokus"}
    mapping = Mapping(codes={"Ordrett": "relation/verbatim", "Brukerfokus": "guidance/meld-st-27/brukeren-i-sentrum"})
    archive = nvivo_project(tmp_path / "n.qdpx", [(0, A, [brukerfokus], "")], {brukerfokus: ordrett}, codes)
    run_import(read_project(archive), study, codebook, mapping)
    assert links(study) == {(SENTENCES[0], G["g1"], "ase-odegard", "verbatim", None)}
    # a relation code on the range that contradicts the hierarchy is named, not overruled
    archive = nvivo_project(tmp_path / "m.qdpx", [(1, A, [brukerfokus], "thematic")], {brukerfokus: ordrett}, codes)
    with pytest.raises(Exception, match="'Brukerfokus' is nested under relation kind verbatim, but .* thematic"):
        run_import(read_project(archive), study, codebook, mapping)
