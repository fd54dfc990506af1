"""Import of REFI-QDA projects into a study: offsets per tool, coders, idempotence, bad input,
and the real exports in ../shared/reference/refi-qda/samples (read there, never copied here)."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
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
REFI = ROOT.parent / "shared" / "reference" / "refi-qda"
XSD = REFI / "xsd"
SAMPLES = REFI / "samples"
DOCS = [
    "haugesund-kommuneplan-samfunnsdel-2014-2030",
    "karmoy-ikt-digitaliseringsstrategi",
    "larvik-digitaliseringsstrategi-2018-2020",
]
G1 = code_guid("guidance/meld-st-27/brukeren-i-sentrum")
G2 = code_guid("guidance/meld-st-27/digital-kompetanse-deltakelse")
THEMATIC = code_guid("relation/thematic")
VERBATIM = code_guid("relation/verbatim")
INFORMATION = code_guid("egovwsf/information")
CODES = {G1: "Brukeren i sentrum", G2: "Digital kompetanse", THEMATIC: "Tematisk", VERBATIM: "Ordrett"}
CODES[INFORMATION] = "Informasjon"
KARI, OLA = guid("kari"), guid("ola")
USERS = {KARI: "Kari Nordmann", OLA: "Ola Nordmann"}

pytestmark = pytest.mark.skipif(not XSD.is_dir(), reason="shared REFI-QDA reference folder not present")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    return folder


@pytest.fixture(scope="module")
def codebook():
    return code_index(build_codebook(ROOT / "data" / "reference"))


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def findings_of(folder: Path, doc: str) -> list:
    return list(StudyFiles.read(folder).documents()[doc][1].get("findings") or [])


def run(archive: Path, study: Path, codebook, mapping: Mapping | None = None, dry_run: bool = False):
    return run_import(read_project(archive, XSD), study, codebook, mapping or Mapping(), dry_run=dry_run)


# A source with a byte-order mark, CRLF line ends and characters outside the BMP before the passage.
TEXT = "Innledning 🙂 med emoji 𝄞\r\nAndre linje.\r\nVi setter brukeren i sentrum 🚀 for alle tjenester.\r\nSlutt."
PASSAGE = "Vi setter brukeren i sentrum 🚀 for alle tjenester."


@pytest.mark.parametrize(
    ("origin", "convention"),
    [("NVivo for Windows 12.6", "utf16"), ("ATLAS.ti 23.2.3", "codepoints-lf"), ("MAXQDA 24", "codepoints")],
)
def test_offsets_are_counted_the_way_each_tool_counts(tmp_path, study, codebook, origin, convention):
    begin = TEXT.index(PASSAGE)
    start, end = offset(TEXT, begin, convention), offset(TEXT, begin + len(PASSAGE), convention)
    src = Src(DOCS[0], TEXT, [Sel(start, end, KARI, [G1, THEMATIC, INFORMATION], name=PASSAGE)], bom=True)
    archive = write_qdpx(tmp_path / "p.qdpx", qde(origin, USERS, CODES, [src]), [src])
    plan = run(archive, study, codebook)
    assert [p.text for p in plan.passages] == [PASSAGE]
    finding = [f for f in findings_of(study, DOCS[0]) if f["text"] == PASSAGE][0]
    assert finding["elements"] == ["information"]
    link = finding["reflects"][0]
    # NVivo stamps every coding with the export time (FACTS.md): no date is taken from it
    day = None if convention == "utf16" else "2026-11-20"
    assert (link["guidance"], link["how"], link["basis"], link["coder"], link.get("coded")) == (
        "meld-st-27/brukeren-i-sentrum",
        "thematic",
        "coded",
        "kari-nordmann",
        day,
    )
    assert any("no coding dates were imported" in w for w in plan.warnings) == (convention == "utf16")
    coders = {c["id"]: c["name"] for c in StudyFiles.read(study).study["coders"]}
    assert coders["kari-nordmann"] == "Kari Nordmann"


def test_a_wrong_offset_convention_is_reported_not_shifted(tmp_path, study, codebook):
    begin = TEXT.index(PASSAGE)
    start, end = offset(TEXT, begin, "utf16"), offset(TEXT, begin + len(PASSAGE), "utf16")
    src = Src(DOCS[0], TEXT, [Sel(start, end, KARI, [G1, THEMATIC, INFORMATION], name=PASSAGE, seed="s1")])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    before = snapshot(study)
    with pytest.raises(Exception, match=guid("s1")) as info:
        run(archive, study, codebook)
    assert "does not match" in str(info.value) and "codepoints" in str(info.value)
    assert snapshot(study) == before
    # The same file read with NVivo's convention, set in the mapping file, imports.
    plan = run(archive, study, codebook, Mapping(offsets="utf16"))
    assert [p.text for p in plan.passages] == [PASSAGE]


def test_import_is_idempotent_and_dry_run_writes_nothing(tmp_path, study, codebook):
    src = Src(DOCS[1], "Første setning. " + PASSAGE, [Sel(16, 16 + len(PASSAGE), OLA, [G2, VERBATIM, INFORMATION])])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    before = snapshot(study)
    plan = run(archive, study, codebook, dry_run=True)
    assert plan.changed and snapshot(study) == before
    run(archive, study, codebook)
    after_first = snapshot(study)
    assert after_first != before
    again = run(archive, study, codebook)
    assert not again.changed and not again.actions
    assert snapshot(study) == after_first


def test_an_existing_finding_with_the_same_text_gets_the_link(tmp_path, study, codebook):
    doc = "sandnes-helt-enkelt"
    existing = findings_of(study, doc)[1]
    text = " ".join(existing["text"].split())
    src = Src(doc, "Innledning.\n" + text, [Sel(12, 12 + len(text), KARI, [G2, THEMATIC, INFORMATION])])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("QualCoder 3.5", USERS, CODES, [src]), [src])
    count = len(findings_of(study, doc))
    run(archive, study, codebook)
    found = findings_of(study, doc)
    assert len(found) == count
    links = [(link["guidance"], link.get("coder")) for link in found[1]["reflects"]]
    assert ("meld-st-27/digital-kompetanse-deltakelse", "kari-nordmann") in links


def test_unmapped_codes_are_listed_and_mapped_codes_follow_the_map(tmp_path, study, codebook):
    own = guid("own-code")
    codes = {**CODES, own: "Digitalt førstevalg"}
    src = Src(DOCS[2], PASSAGE, [Sel(0, len(PASSAGE), KARI, [own, G1, THEMATIC, INFORMATION])])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, codes, [src]), [src])
    plan = run(archive, study, codebook, dry_run=True)
    assert plan.unmapped == {f"Digitalt førstevalg ({own})": 1}
    mapping = Mapping(codes={"Digitalt førstevalg": "guidance/en-digital-offentlig-sektor/deling-av-data"})
    plan = run(archive, study, codebook, mapping)
    assert not plan.unmapped
    finding = [f for f in findings_of(study, DOCS[2]) if f["text"] == PASSAGE][0]
    assert {link["guidance"] for link in finding["reflects"]} == {
        "meld-st-27/brukeren-i-sentrum",
        "en-digital-offentlig-sektor/deling-av-data",
    }


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def bad_projects(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (archive, a text the one-line error must hold)."""
    good = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, THEMATIC, INFORMATION], seed="ok")])
    project = qde("MAXQDA 24", USERS, CODES, [good])
    out: dict[str, tuple[Path, str]] = {}
    (tmp_path / "noise.qdpx").write_bytes(b"\x00\x01 not a zip, not xml")
    out["not a zip"] = (tmp_path / "noise.qdpx", "not a ZIP archive and not QDA-XML")
    (tmp_path / "other.qde").write_text('<?xml version="1.0"?><Project xmlns="urn:other"/>')
    out["not QDA-XML"] = (tmp_path / "other.qde", "is not QDA-XML")
    with zipfile.ZipFile(tmp_path / "empty.qdpx", "w") as zf:
        zf.writestr("readme.txt", "no project here")
    out["no project.qde"] = (tmp_path / "empty.qdpx", "project.qde: missing")
    invalid = project.replace(' isCodable="true"', "", 1)
    out["fails the XSD"] = (write_qdpx(tmp_path / "invalid.qdpx", invalid, [good]), "fails the REFI-QDA project schema")
    outside = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE) + 5, KARI, [G1, THEMATIC], seed="outside")])
    text = qde("MAXQDA 24", USERS, CODES, [outside])
    out["outside"] = (write_qdpx(tmp_path / "outside.qdpx", text, [outside]), f"{guid('outside')}: selection outside")
    nocode = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [guid("nothing")], seed="nocode")])
    text = qde("MAXQDA 24", USERS, CODES, [nocode])
    coding = guid(f"coding-{guid('nocode')}-0")
    out["CodeRef to no code"] = (write_qdpx(tmp_path / "nocode.qdpx", text, [nocode]), f"Coding {coding}: CodeRef")
    missing = write_qdpx(tmp_path / "missing.qdpx", project, [])
    out["source missing"] = (missing, f"TextSource {guid('src-' + DOCS[0])}")
    out["dot-dot"] = (write_qdpx(tmp_path / "dots.qdpx", project, [good], extra={"../evil.txt": "x"}), "'../evil.txt'")
    out["absolute"] = (write_qdpx(tmp_path / "abs.qdpx", project, [good], extra={"/etc/x": "x"}), "'/etc/x'")
    entity = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project xmlns="urn:QDA-XML:project:1.0">&a;</Project>'
    )
    (tmp_path / "entity.qde").write_text(entity)
    out["entity"] = (tmp_path / "entity.qde", "refused XML construct")
    return out


BAD = ["not a zip", "not QDA-XML", "no project.qde", "fails the XSD", "outside", "CodeRef to no code"]
BAD += ["source missing", "dot-dot", "absolute", "entity"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line_exit_2_and_the_study_is_untouched(tmp_path, study, case):
    archive, expected = bad_projects(tmp_path)[case]
    before = snapshot(study)
    result = cli("import-qdpx", str(archive), "--data", str(study))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert expected in lines[0]
    assert snapshot(study) == before


def test_an_archive_that_expands_past_the_limit_is_refused(tmp_path, study, monkeypatch):
    src = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1])])
    archive = write_qdpx(
        tmp_path / "big.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src], extra={"pad": "0" * 3_000_000}
    )
    monkeypatch.setenv("PLANGRAF_MAX_INPUT_MB", "1")
    result = cli("import-qdpx", str(archive), "--data", str(study))
    assert result.exit_code == 2 and "'pad': the archive expands past the input limit" in result.output


def test_a_namespace_variant_is_a_known_quirk_warned_about(tmp_path, study, codebook):
    src = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, THEMATIC, INFORMATION])])
    archive = write_qdpx(
        tmp_path / "v.qdpx", qde("MAXQDA 24", USERS, CODES, [src], ns="urn:QDA-XML:project:1:0"), [src]
    )
    plan = run(archive, study, codebook, dry_run=True)
    assert any("urn:QDA-XML:project:1:0" in w for w in plan.warnings)
    assert [p.text for p in plan.passages] == [PASSAGE]


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("nvivo-mac-15.0.0_nvivo_project.qdpx", "the project holds no text codings"),
        ("atlasti-win-23.4.0_codebook.qdc", "a REFI-QDA codebook, not a project; it holds no text codings"),
        (
            "atlasti-mac-8.4_refi-standard-project.qde",
            "source file missing from the archive",
        ),
    ],
)
def test_the_real_samples_are_refused_with_a_clear_reason(study, sample, expected):
    before = snapshot(study)
    result = cli("import-qdpx", str(SAMPLES / sample), "--data", str(study))
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
    assert snapshot(study) == before


def atlas_with_sources(tmp_path: Path) -> Path:
    """The ATLAS.ti 8.4 sample beside a sources folder made here: each text holds the quote (its
    selection name, up to the "…") at the selection's range, with CRLF line ends before it."""
    qde_path = tmp_path / "atlas" / "project.qde"
    qde_path.parent.mkdir()
    shutil.copy(SAMPLES / "atlasti-mac-8.4_refi-standard-project.qde", qde_path)
    project = read_project(qde_path, XSD)
    (qde_path.parent / "sources").mkdir()
    for source in project.sources:
        if not source.selections:
            continue
        chars = list("x\r\n" * 600)
        lf = [c for c in "".join(chars).replace("\r\n", "\n")]
        for sel in source.selections:
            quote = sel.name.rstrip("…")
            lf[sel.start : sel.start + len(quote)] = list(quote)
        name = source.text_path.removeprefix("internal://")
        (qde_path.parent / "sources" / name).write_text("".join(lf).replace("\n", "\r\n"), encoding="utf-8")
    return qde_path


def test_the_atlas_ti_sample_imports_with_its_sources_and_a_mapping(tmp_path, study, codebook):
    archive = atlas_with_sources(tmp_path)
    sources = {
        "1994 Diet Coke-Diet Coke Break.docx": DOCS[0],
        "Mabel.txt": DOCS[1],
        "Simon.docx": DOCS[1],
        "{2065d8ab-d724-40c9-b4e9-6eb8dab73541}": DOCS[2],  # a PDF source, by its GUID (braces, lower case)
    }
    codes = {
        "Coke::diet Coke": "guidance/meld-st-27/brukeren-i-sentrum",
        "bacon and eggs": "guidance/meld-st-27/digital-kompetanse-deltakelse",
        "cornflakes": "egovwsf/information",
        "happiness": "relation/thematic",
        "Feelings": "guidance/meld-st-27/brukeren-i-sentrum",
        "waste of time": "ignore",
    }
    mapping = Mapping(sources=sources, codes=codes, default_relation="paraphrase", default_elements=["information"])
    with pytest.raises(Exception, match="63E009F1-5C33-4568-B65D-53A7E28BDBC1.*does not match"):
        run(archive, study, codebook, mapping)  # «damage done by fatty foods» is a renamed quotation
    mapping.check_names = False
    plan = run(archive, study, codebook, mapping)
    assert len(plan.passages) == 6  # 7 coded selections; «granola» has only an ignored code
    coders = {link.get("coder") for doc in DOCS for f in findings_of(study, doc) for link in f["reflects"]}
    assert "friedrich-markgraf" in coders
    mabel = [f for f in findings_of(study, DOCS[1]) if f["text"].startswith("I'm a single mum")][0]
    assert [(x["guidance"], x["how"], x["coded"]) for x in mabel["reflects"]] == [
        ("meld-st-27/digital-kompetanse-deltakelse", "thematic", "2018-03-27")
    ]
    assert mabel["elements"] == ["information"]


@pytest.mark.parametrize("how", ["variable", "case"])
def test_sources_map_to_documents_by_variable_or_case(tmp_path, study, codebook, how):
    src = Src("Intervju 7.docx", PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, THEMATIC, INFORMATION])])
    setattr(src, how, DOCS[2])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    plan = run(archive, study, codebook)
    assert [(p.doc, p.text) for p in plan.passages] == [(DOCS[2], PASSAGE)]


def test_a_source_that_maps_to_no_document_is_named(tmp_path, study, codebook):
    src = Src("Intervju 7.docx", PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, THEMATIC, INFORMATION])])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    with pytest.raises(
        Exception, match=f"TextSource {guid('src-Intervju 7.docx')}: source 'Intervju 7.docx' maps to no"
    ):
        run(archive, study, codebook)


def test_a_pdf_source_is_read_through_its_text_representation_with_its_page(tmp_path, study, codebook):
    text = "Første side.\fAndre side. " + PASSAGE
    start = text.index(PASSAGE)
    coding = "".join(
        f'<Coding guid="{guid(f"pdf-coding-{i}")}" creatingUser="{KARI}"><CodeRef targetGUID="{code}"/></Coding>'
        for i, code in enumerate([G1, THEMATIC, INFORMATION])
    )
    codes = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in CODES.items())
    project = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="pdf" origin="MAXQDA 24">'
        f'<Users><User guid="{KARI}" name="Kari Nordmann"/></Users><CodeBook><Codes>{codes}</Codes></CodeBook>'
        f'<Sources><PDFSource guid="{guid("pdf")}" name="{DOCS[1]}.pdf" path="internal://{guid("pdf")}.pdf">'
        f'<PDFSelection guid="{guid("region")}" page="1" firstX="0" firstY="0" secondX="9" secondY="9"/>'
        f'<Representation guid="{guid("rep")}" plainTextPath="internal://{guid("rep")}.txt">'
        f'<PlainTextSelection guid="{guid("pdf-sel")}" startPosition="{start}" endPosition="{len(text)}">{coding}'
        "</PlainTextSelection></Representation>"
        f'<Coding guid="{guid("whole")}" creatingUser="{KARI}"><CodeRef targetGUID="{G1}"/></Coding>'
        "</PDFSource></Sources></Project>"
    )
    archive = tmp_path / "pdf.qdpx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.qde", project)
        zf.writestr(f"sources/{guid('rep')}.txt", text)
        zf.writestr(f"sources/{guid('pdf')}.pdf", b"%PDF-1.4 not read")
    plan = run(archive, study, codebook)
    assert any("region or media selections" in w for w in plan.warnings)
    assert "1 codings of whole sources have no passage and are not imported" in plan.warnings
    finding = [f for f in findings_of(study, DOCS[1]) if f["text"] == PASSAGE][0]
    assert finding["location"] == "s. 2"


def test_nvivo_coder_is_the_selection_user_unless_the_mapping_says_otherwise(tmp_path, study, codebook):
    src = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, THEMATIC, INFORMATION])])
    text = qde("NVivo for Windows 12.6", USERS, CODES, [src])
    # as NVivo writes it: each Coding carries the project's modifying user (Ola), the selection its coder (Kari)
    text = text.replace(f'creatingUser="{KARI}" creationDateTime', f'creatingUser="{OLA}" creationDateTime')
    archive = write_qdpx(tmp_path / "n.qdpx", text, [src])
    plan = run(archive, study, codebook, dry_run=True)
    assert {coder for p in plan.passages for _, coder in p.links} == {"kari-nordmann"}
    plan = run(archive, study, codebook, Mapping(coder_from="coding"), dry_run=True)
    assert {coder for p in plan.passages for _, coder in p.links} == {"ola-nordmann"}


ABSENT = code_guid("relation/absent")


def test_relation_absent_makes_absent_links_and_absent_elements(tmp_path, study, codebook):
    codes = {**CODES, ABSENT: "Fraværende"}
    src = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, [G1, ABSENT, INFORMATION])])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, codes, [src]), [src])
    run(archive, study, codebook, Mapping(default_elements=["value-for-society"]))
    finding = [f for f in findings_of(study, DOCS[0]) if f["text"] == PASSAGE][0]
    assert [(x["guidance"], x["how"]) for x in finding["reflects"]] == [("meld-st-27/brukeren-i-sentrum", "absent")]
    # an element code recorded as absent is an element code: the mapping's default elements are
    # for passages with none at all (issue 22's findings rules allow a passage of absence only)
    assert finding["absent_elements"] == ["information"] and finding["elements"] == []


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([G1, THEMATIC, VERBATIM, INFORMATION], "applied 2 relation codes (thematic, verbatim)"),
        ([G1, INFORMATION], "applied guidance code(s) 'Brukeren i sentrum' to 0–50 of source"),
        ([G1, THEMATIC], "no eGovWSF element code"),
    ],
)
def test_a_passage_coded_inconsistently_is_named(tmp_path, study, codebook, codes, expected):
    src = Src(DOCS[0], PASSAGE, [Sel(0, len(PASSAGE), KARI, codes, seed="odd")])
    archive = write_qdpx(tmp_path / "p.qdpx", qde("MAXQDA 24", USERS, CODES, [src]), [src])
    with pytest.raises(Exception, match=f"PlainTextSelection {guid('odd')}: .*{re.escape(expected)}"):
        run(archive, study, codebook)
