"""Issue 25, the text side: layout-aware PDF text (page furniture, headings, pages), line-end
hyphens with a Norwegian word list, OCR of scans with Tesseract, and robust reading of real
files (owner-password PDFs, truncated PDFs, damaged pages, saved web pages, DOCX tables)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from pdf_documents import FILLER, HEADER, latin1, municipal_pdf, scanned_pdf
from plangraf.cli.main import main
from plangraf.reuse import hyphenation
from plangraf.reuse.hyphenation import resolve
from plangraf.reuse.ingest import find_quote, page_of, quote_span_in_document
from plangraf.reuse.normalise import clean_text, tokens

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "reference" / "guidance-texts"
DOC = "porsgrunn-handlingsplan-2020-2023"
PLAIN = "porsgrunn-mandat-digiforum"  # a document with no quoted finding
BOKMAAL = Path("/usr/share/dict/bokmaal")  # Debian wnorwegian (scripts/test installs it)


@pytest.fixture
def study(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    return folder


def ingest(study: Path, file: Path, document: str = DOC):
    return CliRunner().invoke(main, ["ingest", str(file), "--data", str(study), "--document", document])


def stored(study: Path, document: str = DOC) -> tuple[str, dict]:
    text = (study / "texts" / f"{document}.txt").read_text(encoding="utf-8")
    return text, json.loads((study / "texts" / f"{document}.json").read_text(encoding="utf-8"))


def the_quote() -> str:
    import yaml

    data = yaml.safe_load((ROOT / "data" / "study-2020" / "porsgrunn.yaml").read_text(encoding="utf-8"))
    doc = next(d for d in data["documents"] if d["id"] == DOC)
    return next(f["text"] for f in doc["findings"] if f["evidence"] == "quote")


def ks_paragraph(words: int = 118) -> str:
    """The first ``words`` words of the KS strategy's introduction, as the national text holds them."""
    block = (TEXTS / "ks-digitaliseringsstrategi-2017-2020.txt").read_text(encoding="utf-8").split("### ")[1]
    body = block.split("\n", 1)[1]
    return " ".join(body[: tokens(body)[words - 1].end].split())


# --- 1. layout-aware PDF text -------------------------------------------------------------------


def test_furniture_removed_headings_found_and_a_quote_crosses_the_page_break(study, tmp_path):
    quote = the_quote()
    pdf = municipal_pdf(
        tmp_path / "plan.pdf",
        [("h1", "Handlingsplan for digitalisering"), ("p", FILLER), ("break", quote), ("h2", "Tiltak"), ("p", FILLER)],
    )
    result = ingest(study, pdf)
    assert result.exit_code == 0, result.output
    text, sidecar = stored(study)
    assert HEADER.split(" - ")[0] not in text and "Side 1 av 2" not in text and "Side 2" not in text
    assert [(h["level"], h["text"]) for h in sidecar["headings"]] == [
        (1, "Handlingsplan for digitalisering"),
        (2, "Tiltak"),
    ]
    for heading in sidecar["headings"]:
        assert text[heading["start"] :].startswith(heading["text"])
    where = sidecar["quotes"][f"{DOC}-digitalisering"]
    assert (where["page"], where["end_page"]) == (1, 2)  # the quote runs over the page break
    assert "\f" in text[where["start"] : where["end"]]
    assert [t.norm for t in tokens(text[where["start"] : where["end"]])] == [t.norm for t in tokens(quote)]
    assert sidecar["extractor"].startswith("pypdfium2 ")


@pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/guidance-texts not present")
def test_a_118_word_paragraph_over_a_page_break_is_one_verbatim_span(study, tmp_path):
    paragraph = ks_paragraph(118)
    pdf = municipal_pdf(tmp_path / "plan.pdf", [("h1", "Strategi"), ("break", paragraph), ("p", the_quote())])
    assert ingest(study, pdf).exit_code == 0
    text, sidecar = stored(study)
    start, end = find_quote(latin1(paragraph), text)
    assert start < sidecar["pages"][0]["end"] < end  # it does run over the break
    pages = [(p["page"], p["start"], p["end"]) for p in sidecar["pages"]]
    assert (page_of(start, pages), page_of(end, pages)) == (1, 2)  # a span can name its pages
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(TEXTS / "ks-digitaliseringsstrategi-2017-2020.txt", texts)
    result = CliRunner().invoke(main, ["reuse", "--data", str(study), "--texts", str(texts), "--format", "json"])
    assert result.exit_code == 0, result.output
    spans = [r for r in json.loads(result.output) if r["document"] == DOC and r["finding"] == "" and r["words"] > 20]
    assert [(s["reuse_class"], s["words"]) for s in spans] == [("verbatim", 118)]


def test_offsets_of_a_quote_span_point_into_the_document(study, tmp_path):
    quote = the_quote()
    file = tmp_path / "plan.txt"
    file.write_text(FILLER + "\n\n" + quote.replace(", ", ",\n"), encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    text, sidecar = stored(study)
    where = sidecar["quotes"][f"{DOC}-digitalisering"]
    words = tokens(quote)
    span = (words[2].start, words[9].end)  # the third to the tenth word of the quote
    start, end = quote_span_in_document(quote, text, where, *span)
    assert start > span[0] and start >= len(FILLER)
    assert [t.norm for t in tokens(text[start:end])] == [t.norm for t in tokens(quote[span[0] : span[1]])]


# --- 2. hyphens at line ends --------------------------------------------------------------------

HYPHENATED = "styrke digitali-\nsering, kompetanse-\nog plan-\nog e-\npost, IKT-\nstrategi i gass-\nsektor"


@pytest.mark.skipif(not BOKMAAL.is_file(), reason="Debian wnorwegian not installed (scripts/test installs it)")
def test_hyphens_with_the_norwegian_word_list(monkeypatch):
    monkeypatch.setenv(hyphenation.WORDLIST_VARIABLE, str(BOKMAAL))
    assert hyphenation.word_list_name() == f"word list {BOKMAAL}"
    assert clean_text(HYPHENATED) == (
        "styrke digitalisering, kompetanse- og plan- og e-post, IKT-strategi i gass-sektor\n"
    )


def test_hyphens_without_a_word_list_follow_the_conservative_rule(monkeypatch, tmp_path):
    monkeypatch.setenv(hyphenation.WORDLIST_VARIABLE, str(tmp_path / "no-such-list"))
    assert hyphenation.word_list_name() == "rule without a word list"
    assert clean_text(HYPHENATED) == (
        "styrke digitalisering, kompetanse- og plan- og e-post, IKT-strategi i gasssektor\n"
    )  # only the list knows «gass-sektor»


def test_a_word_list_of_ones_own_in_utf8():
    known = frozenset({"digitalisering", "tv-serie"})
    assert resolve("tv", "serie", known) == "tv-serie"
    assert resolve("tv", "serie", None) == "tvserie"
    assert resolve("digitali", "sering", known) == "digitalisering"
    assert resolve("Digitali", "sering", known) == "Digitalisering"
    assert resolve("2017", "2020", None) == "2017-2020"


def test_a_pdf_with_hyphenated_line_ends(study, tmp_path):
    body = "Vi skal styrke digitali-\nsering og kompetanse-\nog e-\npost i kommunens IKT-\nstrategi."
    pdf = municipal_pdf(tmp_path / "plan.pdf", [("p", body), ("p", the_quote())])
    assert ingest(study, pdf).exit_code == 0
    text, _ = stored(study)
    assert "styrke digitalisering og kompetanse- og e-post i kommunens IKT-strategi." in " ".join(text.split())


def test_a_hyphen_on_the_last_line_of_a_page_does_not_run_it_into_the_footer(study, tmp_path):
    # PDFium ends a line that ends in a hyphen without a line break: on a page's last line the
    # footer «Side 1 av 2» ran into it, stayed in the text and glued itself to the broken word
    body = (
        "Kommunen skal styrke digitali-\nsering og organisa-\nsjonsutvikling i prosjekt-\nporteføljen og samhand-\nling"
    )
    pdf = municipal_pdf(tmp_path / "plan.pdf", [("p", the_quote()), ("break", f"{body} med innbyggerne.")])
    assert ingest(study, pdf).exit_code == 0
    text, sidecar = stored(study)
    assert len(sidecar["pages"]) == 2 and "Side" not in text and HEADER.split(" - ")[0] not in text
    joined = "styrke digitalisering og organisasjonsutvikling i prosjektporteføljen og samhandling med innbyggerne."
    assert joined in " ".join(text.split())


def test_a_word_hyphenated_over_a_page_break_is_joined_onto_the_next_page():
    from plangraf.reuse.extracted import Line, PageLines
    from plangraf.reuse.pdftext import layout_text

    pages = [
        PageLines(1, 842.0, [Line("Kommunen skal styrke digitali-", 700.0, 690.0, 11.0)]),
        PageLines(2, 842.0, [Line("sering av tjenestene og kompetanse-", 700.0, 690.0, 11.0)]),
        PageLines(3, 842.0, [Line("og e-", 700.0, 690.0, 11.0)]),
        PageLines(4, 842.0, [Line("post.", 700.0, 690.0, 11.0)]),
    ]
    extracted = layout_text(pages, "pdf", "test", [], None)
    assert extracted.text.split("\f") == [
        "Kommunen skal styrke\n",
        "digitalisering av tjenestene og kompetanse-\n",
        "og e-\n",
        "post.\n",
    ]
    assert [number for number, _, _ in extracted.pages] == [1, 2, 3, 4]


# --- 3. scanned PDFs: OCR -----------------------------------------------------------------------


def scan(tmp_path: Path) -> Path:
    text = municipal_pdf(
        tmp_path / "text.pdf",
        [("h1", "Mandat for digitaliseringsforum"), ("p", "Forumet skal samordne arbeidet med digitale tjenester.")],
    )
    return scanned_pdf(tmp_path / "scan.pdf", text)


def test_a_scanned_pdf_is_read_by_ocr_and_marked(study, tmp_path):
    result = ingest(study, scan(tmp_path), PLAIN)
    assert result.exit_code == 0, result.output
    text, sidecar = stored(study, PLAIN)
    ocr = sidecar["ocr"]
    assert ocr["engine"].startswith("tesseract ") and ocr["language"] == "nor"
    assert 50 < ocr["mean_confidence"] <= 100 and ocr["pages"][0]["words"] >= 10
    assert "+ tesseract" in sidecar["extractor"] and f"OCR mean confidence {ocr['mean_confidence']}" in result.output
    assert "Forumet skal samordne arbeidet med digitale tjenester." in " ".join(text.split())
    assert "Side 1" not in text  # the page number is furniture in OCR text too
    assert sidecar["headings"][0]["text"] == "Mandat for digitaliseringsforum"


def test_without_tesseract_a_scan_is_refused_saying_how_to_install_it(study, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANGRAF_TESSERACT", str(tmp_path / "bin" / "tesseract"))  # no such program
    file = scan(tmp_path)
    result = ingest(study, file, PLAIN)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {file}: no text layer on any of its 1 page(s): a scanned PDF needs OCR, and Tesseract was not "
        f"found ('{tmp_path / 'bin' / 'tesseract'}'); install Tesseract and its Norwegian model "
        "(Debian: apt-get install tesseract-ocr tesseract-ocr-nor)"
    ]
    assert not (study / "texts").exists()


def test_without_the_norwegian_model_a_scan_is_refused_saying_so(study, tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # Tesseract with no models at all
    file = scan(tmp_path)
    result = ingest(study, file, PLAIN)
    assert result.exit_code == 2
    assert "Tesseract has no Norwegian model ('nor'); install Tesseract and its Norwegian model" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (study / "texts").exists()


def partly_scanned(tmp_path: Path) -> Path:
    """Two pages: the first with its text layer, the second a picture of a text page."""
    text = municipal_pdf(
        tmp_path / "text.pdf",
        [
            ("p", FILLER),
            ("break", " ".join([FILLER] * 4)),
            ("p", "Forumet skal samordne arbeidet med digitale tjenester."),
        ],
    )
    scanned = scanned_pdf(tmp_path / "scan.pdf", text)
    writer = PdfWriter()
    writer.add_page(PdfReader(str(text)).pages[0])
    writer.add_page(PdfReader(str(scanned)).pages[1])
    file = tmp_path / "partly.pdf"
    with open(file, "wb") as handle:
        writer.write(handle)
    return file


def test_a_page_scanned_into_a_text_pdf_is_read_by_ocr_and_marked(study, tmp_path):
    file = partly_scanned(tmp_path)
    assert [bool(page.extract_text().strip()) for page in PdfReader(str(file)).pages] == [True, False]
    result = ingest(study, file, PLAIN)
    assert result.exit_code == 0, result.output
    text, sidecar = stored(study, PLAIN)
    ocr = sidecar["ocr"]
    assert [page["page"] for page in ocr["pages"]] == [2] and ocr["pages"][0]["words"] >= 10
    assert 50 < ocr["mean_confidence"] <= 100 and ocr["mean_confidence"] == ocr["pages"][0]["mean_confidence"]
    assert "+ tesseract" in sidecar["extractor"] and "warnings" not in sidecar
    assert f"OCR mean confidence {ocr['mean_confidence']} (page 2)" in result.output
    page_two = text[sidecar["pages"][1]["start"] : sidecar["pages"][1]["end"]]
    assert "Forumet skal samordne arbeidet med digitale tjenester." in " ".join(page_two.split()), text
    assert "Side" not in text and HEADER.split(" - ")[0] not in text  # furniture of both pages removed


def test_without_tesseract_a_page_scanned_into_a_text_pdf_is_left_empty_with_a_warning(study, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANGRAF_TESSERACT", str(tmp_path / "bin" / "tesseract"))  # no such program
    file = partly_scanned(tmp_path)
    result = ingest(study, file, PLAIN)
    assert result.exit_code == 0, result.output
    text, sidecar = stored(study, PLAIN)
    warning = (
        f"page 2: no text on the page (an image or a blank page): left empty; Tesseract was not found "
        f"('{tmp_path / 'bin' / 'tesseract'}'), so it is not read by OCR (install Tesseract and its "
        "Norwegian model (Debian: apt-get install tesseract-ocr tesseract-ocr-nor))"
    )
    assert sidecar["warnings"] == [warning] and f"Warning: {file}: {warning}" in result.output
    assert "ocr" not in sidecar and "tesseract" not in sidecar["extractor"]
    assert sidecar["pages"][1]["start"] == sidecar["pages"][1]["end"] and "Forumet" not in text


# --- 4. robustness ------------------------------------------------------------------------------


def test_a_pdf_with_only_an_owner_password_is_read(study, tmp_path):
    plain = municipal_pdf(tmp_path / "plain.pdf", [("p", the_quote())])
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt(user_password="", owner_password="eier")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    assert PdfReader(str(locked)).is_encrypted
    result = ingest(study, locked)
    assert result.exit_code == 0, result.output
    assert f"{DOC}-digitalisering" in stored(study)[1]["quotes"]


def test_a_truncated_pdf_is_one_line_and_no_library_output(study, tmp_path, capfd):
    good = municipal_pdf(tmp_path / "good.pdf", [("p", the_quote())]).read_bytes()
    file = tmp_path / "cut.pdf"
    file.write_bytes(good[: len(good) // 2])
    result = ingest(study, file)
    captured = capfd.readouterr()
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {file}: truncated PDF (no %%EOF at its end): save or download it again"
    ]
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("damage", ["page object", "content stream"])
def test_a_damaged_page_is_skipped_with_a_warning_naming_it(study, tmp_path, capfd, damage):
    good = municipal_pdf(tmp_path / "good.pdf", [("p", the_quote()), ("break", FILLER * 6)]).read_bytes()
    page_two = re.findall(rb"(\d+) 0 obj\s*<<\s*/Contents (\d+) 0 R", good)[1]
    if damage == "page object":
        at = good.index(b"/Type /Page\n", good.index(page_two[0] + b" 0 obj"))
        bad = good[:at] + b"/Type /Pagx\n" + good[at + 12 :]
    else:
        at = good.index(b"stream\n", good.index(page_two[1] + b" 0 obj")) + 7
        bad = good[:at] + b"\x00" * 64 + good[at + 64 :]
    file = tmp_path / "damaged.pdf"
    file.write_bytes(bad)
    result = ingest(study, file)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(f"Warning: {file}: page 2: ")
    assert stored(study)[1]["warnings"] == [warnings[0].split(": ", 2)[2]]
    assert capfd.readouterr().err == ""


def test_html_saved_as_pdf_is_refused_saying_what_it_is(study, tmp_path):
    file = tmp_path / "plan.pdf"
    file.write_text(f"<!DOCTYPE html><html><body><p>{the_quote()}</p></body></html>", encoding="utf-8")
    result = ingest(study, file)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {file}: the name says PDF but the content is HTML; give the file the extension of what it holds"
    ]


def test_a_saved_web_page_with_styles_scripts_and_images_is_read_without_them(study, tmp_path):
    page = (
        "<!-- saved from url=(0040)https://www.porsgrunn.kommune.no/plan -->\n<!DOCTYPE html><html><head>"
        "<link rel='stylesheet' href='https://www.porsgrunn.kommune.no/a.css'><style>@import url(b.css);</style>"
        "<script src='https://cdn.example.org/x.js'></script><script>var meny = 'Meny';</script>"
        "<meta http-equiv='refresh' content='600'></head><body onload='start()'>"
        "<img src='https://www.porsgrunn.kommune.no/logo.png' alt='logo'><h1>Handlingsplan</h1>"
        f"<p style='background:url(x.png)'>{the_quote()}</p><noscript>Slå på JavaScript</noscript></body></html>"
    )
    file = tmp_path / "plan.html"
    file.write_text(page, encoding="utf-8")
    result = ingest(study, file)
    assert result.exit_code == 0, result.output
    text, sidecar = stored(study)
    assert text.startswith("Handlingsplan\n") and "Meny" not in text and "import" not in text
    assert "JavaScript" not in text and f"{DOC}-digitalisering" in sidecar["quotes"]


def test_a_page_whose_head_is_never_closed_is_read_from_its_body(study, tmp_path):
    file = tmp_path / "plan.htm"
    file.write_text(f"<html><head><title>Plan</title><body><p>{the_quote()}</p></body></html>", encoding="utf-8")
    assert ingest(study, file).exit_code == 0
    assert stored(study)[0].startswith(the_quote()[:40])


def test_docx_tables_stand_in_document_order_and_a_merged_cell_once(study, tmp_path):
    document = docx.Document()
    document.add_heading("Handlingsplan", level=1)
    document.add_paragraph("Før tabellen.")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Tiltak for digitalisering"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Ansvar"
    table.cell(1, 1).text, table.cell(1, 2).text = "IKT", "2021"
    table.cell(2, 1).text, table.cell(2, 2).text = "Arkiv", "2022"
    document.add_paragraph("Etter tabellen.")
    document.add_paragraph(the_quote())
    file = tmp_path / "plan.docx"
    document.save(str(file))
    result = ingest(study, file)
    assert result.exit_code == 0, result.output
    text, _ = stored(study)
    assert text.count("Tiltak for digitalisering") == 1 and text.count("Ansvar") == 1
    assert text.index("Før tabellen.") < text.index("Tiltak for digitalisering") < text.index("Etter tabellen.")
    assert "Ansvar IKT 2021\n\nArkiv 2022" in text  # a row is one line, its cells apart
