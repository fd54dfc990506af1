"""plangraf ingest: PDF, HTML, DOCX and text the tests generate, and every bad input of issue 14."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from plangraf.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DOC = "porsgrunn-handlingsplan-2020-2023"
INTRO = "Handlingsplanen viser hvordan kommunen følger opp digitaliseringsstrategien i perioden."
AFTER = "Tiltakene under er prioritert av kommunedirektørens ledergruppe og følges opp hvert år."


def quotes_of(document: str) -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "study-2020" / "porsgrunn.yaml").read_text(encoding="utf-8"))
    doc = next(d for d in data["documents"] if d["id"] == document)
    return [f["text"] for f in doc["findings"] if f["evidence"] == "quote"]


@pytest.fixture
def study(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    return folder


def make_pdf(path: Path, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for body in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, body)
    pdf.output(str(path))
    return path


def make_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    document = docx.Document()
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def ingest(study: Path, file: Path, document: str = DOC):
    return run("ingest", str(file), "--data", str(study), "--document", document)


def test_pdf_keeps_pages_and_places_the_quote(study, tmp_path):
    quote = quotes_of(DOC)[0]
    pdf = make_pdf(tmp_path / "plan.pdf", [INTRO, quote + "\n\n" + AFTER])
    result = ingest(study, pdf)
    assert result.exit_code == 0, result.output
    text = (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    sidecar = json.loads((study / "texts" / f"{DOC}.json").read_text(encoding="utf-8"))
    assert sidecar["format"] == "pdf" and sidecar["extractor"].startswith("pypdf")
    assert [p["page"] for p in sidecar["pages"]] == [1, 2]
    assert sidecar["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert sidecar["source_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    position = sidecar["quotes"][f"{DOC}-digitalisering"]
    assert position["page"] == 2
    assert text[position["start"] : position["end"]].startswith("Gode og tilgjengelige")
    page2 = sidecar["pages"][1]
    assert INTRO.split()[0] in text[: sidecar["pages"][0]["end"]]
    assert AFTER.split()[0] in text[page2["start"] : page2["end"]]


def test_ingested_text_is_measured_for_reuse(study, tmp_path):
    pdf = make_pdf(tmp_path / "plan.pdf", [INTRO + "\n\n" + quotes_of(DOC)[0]])
    assert ingest(study, pdf).exit_code == 0
    result = run("reuse", "--data", str(study), "--no-texts", "--format", "json")
    rows = [r for r in json.loads(result.output) if r["document"] == DOC]
    # each span once (issue 25): the quote's span, measured in the text, with offsets in the document
    assert [(r["finding"], r["reuse_class"], r["in_text"]) for r in rows] == [
        (f"{DOC}-digitalisering", "near-verbatim", True)
    ]
    text = (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    assert text[rows[0]["start"] : rows[0]["end"]] == rows[0]["passage"]


def test_html_headings_and_text(study, tmp_path):
    quote = quotes_of(DOC)[0]
    page = (
        "<!DOCTYPE html><html><head><title>Plan</title><style>p{color:black}</style></head><body>"
        f"<h1>Handlingsplan for digitalisering</h1><p>{INTRO}</p><h2>Digitalisering</h2>"
        f"<p>{quote}</p><p><a href='https://example.org/mer'>Les mer</a></p></body></html>"
    )
    file = tmp_path / "plan.html"
    file.write_text(page, encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    sidecar = json.loads((study / "texts" / f"{DOC}.json").read_text(encoding="utf-8"))
    text = (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    assert [(h["level"], h["text"]) for h in sidecar["headings"]] == [
        (1, "Handlingsplan for digitalisering"),
        (2, "Digitalisering"),
    ]
    assert "color" not in text and "Les mer" in text
    assert sidecar["format"] == "html" and sidecar["pages"] == []


def test_html_links_and_inline_data_are_text_not_resources(study, tmp_path):
    body = (
        "<link rel='canonical' href='https://example.org/plan'>"
        "<img src='data:image/png;base64,iVBORw0KGgo=' alt='logo'><a href='plan.pdf'>Planen som PDF</a>"
    )
    result = ingest(study, html_file(tmp_path / "plan.html", body))
    assert result.exit_code == 0, result.output
    assert "Planen som PDF" in (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")


def test_docx_headings_and_text(study, tmp_path):
    file = make_docx(tmp_path / "plan.docx", "Handlingsplan for digitalisering", [INTRO, quotes_of(DOC)[0], AFTER])
    result = ingest(study, file)
    assert result.exit_code == 0, result.output
    sidecar = json.loads((study / "texts" / f"{DOC}.json").read_text(encoding="utf-8"))
    assert sidecar["format"] == "docx"
    assert sidecar["headings"][0]["text"] == "Handlingsplan for digitalisering"
    assert f"{DOC}-digitalisering" in sidecar["quotes"]


def test_plain_text_joins_hyphenated_line_breaks(study, tmp_path):
    file = tmp_path / "plan.txt"
    file.write_text("Digitali-\nsering er viktig.\n\n" + quotes_of(DOC)[0], encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    assert "Digitalisering er viktig." in (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")


def test_a_second_ingest_needs_force(study, tmp_path):
    file = tmp_path / "plan.txt"
    file.write_text(quotes_of(DOC)[0], encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    again = ingest(study, file)
    assert again.exit_code == 2 and "already stored" in again.output
    assert run("ingest", str(file), "--data", str(study), "--document", DOC, "--force").exit_code == 0


def test_an_edited_text_is_refused_by_reuse(study, tmp_path):
    file = tmp_path / "plan.txt"
    file.write_text(quotes_of(DOC)[0], encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    stored = study / "texts" / f"{DOC}.txt"
    stored.write_text("changed", encoding="utf-8")
    result = run("reuse", "--data", str(study), "--no-texts")
    assert result.exit_code == 2 and "SHA-256" in result.output and str(stored) in result.output


# --- bad input: one line naming the file, exit 2, nothing written -------------------------------


def encrypted_pdf(path: Path) -> Path:
    plain = make_pdf(path.with_suffix(".plain.pdf"), [quotes_of(DOC)[0]])
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt("secret")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def scanned_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text
    pdf.output(str(path))
    return path


def damaged_pdf(path: Path) -> Path:
    good = make_pdf(path.with_suffix(".good.pdf"), [quotes_of(DOC)[0]]).read_bytes()
    path.write_bytes(good[:9] + b"\x00garbage" * 10 + b"\n%%EOF\n")  # no cross-reference, no objects
    return path


def truncated_pdf(path: Path) -> Path:
    good = make_pdf(path.with_suffix(".good.pdf"), [quotes_of(DOC)[0]]).read_bytes()
    path.write_bytes(good[:200] + b"\x00garbage" * 10)
    return path


def macro_docx(path: Path) -> Path:
    plain = make_docx(path.with_suffix(".plain.docx"), "Plan", [quotes_of(DOC)[0]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    path.write_bytes(buffer.getvalue())
    return path


def html_file(path: Path, body: str) -> Path:
    path.write_text(f"<html><body><p>{quotes_of(DOC)[0]}</p>\n{body}</body></html>", encoding="utf-8")
    return path


BAD = {
    "encrypted.pdf": (encrypted_pdf, "encrypted"),
    "scanned.pdf": (scanned_pdf, "OCR found no text"),
    "damaged.pdf": (damaged_pdf, "damaged PDF"),
    "truncated.pdf": (truncated_pdf, "truncated PDF"),
    "macros.docx": (macro_docx, "macros"),
    "damaged.docx": (lambda p: (p.write_bytes(b"PK\x03\x04" + b"\x00" * 64), p)[1], "damaged DOCX"),
    "latin1.txt": (lambda p: (p.write_bytes(quotes_of(DOC)[0].encode("latin-1")), p)[1], "not valid UTF-8"),
    "fake.pdf": (lambda p: (p.write_text("just text", encoding="utf-8"), p)[1], "the name says PDF"),
    "missing-quote.txt": (
        lambda p: (p.write_text("Annen tekst helt uten sitatet.", encoding="utf-8"), p)[1],
        "does not occur",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_document_is_one_line_exit_2_nothing_written(study, tmp_path, name):
    make, expected = BAD[name]
    file = make(tmp_path / name)
    result = ingest(study, file)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {file}"), lines
    assert expected in lines[0]
    assert not (study / "texts").exists()


def test_a_picture_without_words_is_refused_after_ocr(study, tmp_path):
    result = ingest(study, scanned_pdf(tmp_path / "scan.pdf"))
    assert "no text layer, and OCR found no text on its 1 page(s)" in result.output


def test_html_scripts_resources_and_redirects_are_stripped_not_run(study, tmp_path):
    body = (
        "<script>document.write('Skript')</script><img src='https://example.org/a.png'>"
        "<link rel='stylesheet' href='//cdn.example.org/a.css'><div onclick='x()'>Klikk</div>"
        "<meta http-equiv='refresh' content='0;url=https://x.org'>"
    )
    result = ingest(study, html_file(tmp_path / "plan.html", body))
    assert result.exit_code == 0, result.output
    text = (study / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    assert "Klikk" in text and "Skript" not in text and "example.org" not in text


def test_over_the_size_limit(study, tmp_path, monkeypatch):
    file = tmp_path / "big.txt"
    file.write_text(quotes_of(DOC)[0] + " ord" * 2000, encoding="utf-8")
    monkeypatch.setenv("PLANGRAF_MAX_DOCUMENT_MB", "0.001")
    result = ingest(study, file)
    assert result.exit_code == 2 and "over the document size limit" in result.output and str(file) in result.output
    assert "limit of 0.001 MB" in result.output  # a small limit is not printed as 0.0 MB
    assert not (study / "texts").exists()


def test_unknown_document_id(study, tmp_path):
    file = tmp_path / "plan.txt"
    file.write_text("tekst", encoding="utf-8")
    result = ingest(study, file, document="no-such-document")
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"Error: {study}: unknown document id 'no-such-document' (not in any findings file of the study)"
    )
    assert not (study / "texts").exists()


def test_build_places_ingested_quotes_by_page(study, tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from plangraf.core.paths import Paths
    from plangraf.graph.build import build_graph

    pdf = make_pdf(tmp_path / "plan.pdf", [INTRO, quotes_of(DOC)[0]])
    assert ingest(study, pdf).exit_code == 0
    graph = build_graph(Paths(root=ROOT, data=study)).asserted
    position = URIRef(f"https://w3id.org/plangraf/id/finding/{DOC}-digitalisering#position")
    page = URIRef("https://w3id.org/plangraf/ontology#onPage")
    assert graph.value(position, page) == Literal(2, datatype=XSD.positiveInteger)


def test_build_refuses_a_quote_missing_from_the_ingested_text(study, tmp_path):
    file = tmp_path / "plan.txt"
    file.write_text(quotes_of(DOC)[0], encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    yaml_file = study / "porsgrunn.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace(
            "Gode og tilgjengelige digitale", "Gode og tilgjengelige analoge"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "build"
    result = run("build", "--data", str(study), "--build-dir", str(out))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {study / 'texts' / (DOC + '.txt')}: the quote of finding '{DOC}-digitalisering' "
        "does not occur in the document's text"
    )
    assert not out.exists()
