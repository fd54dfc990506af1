"""Layout-aware text of a PDF with pypdfium2: page furniture removed, headings found, pages kept.

**Why pypdfium2.** Measured on a rendered two-page municipal PDF (``bench/pdf_extractors.py``,
2 shared cores): pypdfium2 (PDFium; Apache-2.0 or BSD-3-Clause) reads it in 4–6 ms, PyMuPDF in
3–13 ms, pypdf in 14–19 ms and pdfplumber in 300–500 ms; pdfplumber's default text interleaves
the two columns of a two-column page line by line, the other three keep each column whole (the
order the PDF draws its text). PyMuPDF is licensed under the AGPL-3.0 (or a commercial
licence): as a required dependency it would bind every copy of MIT-licensed plangraf to the
AGPL, so it is not used. pypdfium2 gives each character's box and font size (for furniture
and headings), renders pages (for OCR), opens a PDF that has only an owner password, and
reports a page it cannot load without failing the document.

**Lines.** Each page's text comes from PDFium line by line, in the order the PDF draws it, with
the line's top and bottom (points from the page's foot) and its font size.

**Page furniture.** A line in the top or bottom tenth of a page is a running header or footer
when the same line, digits aside, stands in that band on at least two pages and on at least
40 % of them (``Porsgrunn kommune · Handlingsplan``, ``Side 3 av 12``); a line there that is
only a page number (``3``, ``- 3 -``, ``Side 3``, ``3 av 12``, ``3/12``) is furniture on any
page. Both are removed, so a paragraph that runs over a page break is one run of words.

**Headings.** A line whose font size is at least 1.15 times the body size (the size most
characters have) and that has at most 20 words is a heading; the largest heading size is level
1, the next level 2, and so on.

**Paragraphs and pages.** A vertical gap of more than 1.2 times the font size between two lines
starts a new paragraph (a blank line); pages are joined by a form feed and their character
ranges kept, so a quote or span can name its page. A word hyphenated over a page break is
joined onto the next page when the hyphenation rule joins it.

**Damage.** A PDF without ``%%EOF`` near its end is truncated and refused. A page PDFium cannot
load is skipped with a warning naming the page. When no page has text, the PDF is a scan: its
pages are read by OCR (:mod:`plangraf.reuse.ocr`). A page without text in a PDF whose other
pages have text (a page scanned into the document) is read by OCR too, where Tesseract is
installed, and the sidecar's OCR record lists it; where it is not, or OCR finds no word (a
blank page), the page is left empty with a warning naming it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.reuse.extracted import Extracted, Line, PageLines, place_headings
from plangraf.reuse.hyphenation import resolve, word_list
from plangraf.reuse.normalise import clean_text

BAND = 0.10  # top and bottom share of a page where running headers and footers stand
REPEAT_SHARE = 0.40
HEADING_RATIO = 1.15
HEADING_MAX_WORDS = 20
PARAGRAPH_GAP = 1.2
_PAGE_NUMBER = re.compile(
    r"(?:(?:side|s\.|page|sida)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:av|of|/)\s*\d{1,4})?", re.IGNORECASE
)


def extract_pdf(raw: bytes, path: Path) -> Extracted:
    """The text of a PDF: layout-aware for a text layer, OCR for a scan (see the module's notes)."""
    import pypdfium2 as pdfium

    if b"%%EOF" not in raw[-2048:]:
        raise PlangrafError("truncated PDF (no %%EOF at its end): save or download it again", file=str(path))
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise PlangrafError(
                "the PDF is encrypted with a password to open it; save an unencrypted copy", file=str(path)
            ) from None
        raise PlangrafError(f"damaged PDF: {exc}", file=str(path)) from None
    try:
        pages, failed = _read_pages(document)
        warnings = [f"page {number}: could not be read ({why}): skipped" for number, why in failed.items()]
        extractor = f"pypdfium2 {pdfium.PYPDFIUM_INFO}"
        ocr = None
        if not any(line.text.strip() for page in pages for line in page.lines):
            from plangraf.reuse.ocr import ocr_pages

            pages, ocr = ocr_pages(document, path, skip=set(failed))
            extractor += f" + {ocr['engine']} ({ocr['language']})"
        elif textless := [p.number for p in pages if not p.lines and p.number not in failed]:
            from plangraf.reuse.ocr import ocr_textless_pages

            pages, ocr, left_empty = ocr_textless_pages(document, pages, textless)
            warnings += left_empty
            if ocr is not None:
                extractor += f" + {ocr['engine']} ({ocr['language']})"
    finally:
        document.close()
    return layout_text(pages, "pdf", extractor, warnings, ocr)


def _read_pages(document: object) -> tuple[list[PageLines], dict[int, str]]:
    """Every page's lines; a page PDFium cannot load is empty, and listed with the reason."""
    import pypdfium2 as pdfium

    pages, failed = [], {}
    for index in range(len(document)):  # type: ignore[arg-type]
        try:
            page = document[index]  # type: ignore[index]
            pages.append(PageLines(index + 1, page.get_height(), _page_lines(page.get_textpage())))
        except pdfium.PdfiumError as exc:
            failed[index + 1] = str(exc)
            pages.append(PageLines(index + 1, 0.0, []))
    return pages, failed


def _page_lines(textpage: object) -> list[Line]:
    """The page's lines. PDFium ends a line that ends in a hyphen with its mark ``\ufffe`` and no
    line break, running it into the next line drawn (on the last line of a page: the footer), so
    a line is also cut after each such mark, and each piece has its own box."""
    import pypdfium2.raw as pdfium_c

    text = textpage.get_text_range()  # type: ignore[attr-defined]
    lines = []
    for piece in re.finditer(r"[^\r\n\ufffe]*\ufffe?", text):
        chars = [piece.start() + i for i, c in enumerate(piece.group()) if not c.isspace()]
        if not chars:
            continue
        boxes = [textpage.get_charbox(i) for i in (chars[0], chars[-1])]  # type: ignore[attr-defined]
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, chars[0])  # type: ignore[attr-defined]
        text_of_line = piece.group().strip().replace("\ufffe", "-")  # PDFium's mark of a line-end hyphen
        lines.append(Line(text_of_line, max(b[3] for b in boxes), min(b[1] for b in boxes), float(size)))
    return lines


# --- furniture, headings, paragraphs: for a text layer and for OCR alike --------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _in_band(line: Line, height: float) -> bool:
    return height > 0 and (line.top >= height * (1 - BAND) or line.bottom <= height * BAND)


def remove_furniture(pages: list[PageLines]) -> list[PageLines]:
    """The pages without running headers, footers and page numbers (see the module's notes)."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_furniture_key(line.text) for line in page.lines if _in_band(line, page.height)})
    threshold = max(2.0, REPEAT_SHARE * len(pages))
    repeated = {key for key, count in seen.items() if count >= threshold}
    out = []
    for page in pages:
        kept = [
            line
            for line in page.lines
            if not (
                _in_band(line, page.height)
                and (_furniture_key(line.text) in repeated or _PAGE_NUMBER.fullmatch(line.text.strip()))
            )
        ]
        out.append(PageLines(page.number, page.height, kept))
    return out


def heading_levels(pages: list[PageLines]) -> dict[float, int]:
    """Heading font sizes (rounded to a point) and their levels: the largest is level 1."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size)] += len(line.text)
    if not sizes:
        return {}
    body = sizes.most_common(1)[0][0]
    larger = sorted((s for s in sizes if s >= body * HEADING_RATIO), reverse=True)
    return {size: level for level, size in enumerate(larger[:6], start=1)}


def _page_text(page: PageLines, levels: dict[float, int], headings: list[tuple[int, str]]) -> str:
    parts: list[str] = []
    previous: Line | None = None
    for line in page.lines:
        level = levels.get(round(line.size)) if len(line.text.split()) <= HEADING_MAX_WORDS else None
        gap = previous is not None and (
            previous.bottom - line.top > PARAGRAPH_GAP * line.size or line.top > previous.top
        )
        if parts and (level or gap or (previous is not None and levels.get(round(previous.size)))):
            parts.append("")
        parts.append(line.text)
        if level and re.search(r"\w", line.text):
            headings.append((level, " ".join(line.text.split())))
        previous = line
    return "\n".join(parts)


def _join_split_words(texts: list[str]) -> list[str]:
    """A word hyphenated over a page break, joined onto the next page when the rule joins it."""
    known = None
    for i in range(len(texts) - 1):
        tail = re.search(r"(\w+)[-\u2010]\s*$", texts[i])
        head = re.match(r"\s*(\w+)", texts[i + 1])
        if tail and head:
            known = known if known is not None else (word_list() or None)
            joined = resolve(tail.group(1), head.group(1), known)
            if joined == tail.group(1) + head.group(1):
                texts[i] = texts[i][: tail.start()]
                texts[i + 1] = joined + texts[i + 1][head.end() :]
    return texts


def layout_text(
    pages: list[PageLines], fmt: str, extractor: str, warnings: list[str], ocr: dict[str, object] | None
) -> Extracted:
    """The document's text from its pages' lines: furniture removed, headings found, pages joined
    by a form feed with their character ranges."""
    pages = remove_furniture(pages)
    levels = heading_levels(pages)
    found: list[tuple[int, str]] = []
    texts = _join_split_words([_page_text(page, levels, found) for page in pages])
    parts, ranges, offset = [], [], 0
    for page, page_text in zip(pages, texts, strict=True):
        cleaned = clean_text(page_text) if page_text.strip() else ""
        ranges.append((page.number, offset, offset + len(cleaned)))
        parts.append(cleaned)
        offset += len(cleaned) + 1  # pages are joined by a form feed
    text = "\f".join(parts)
    return Extracted(text, fmt, extractor, ranges, place_headings(text, found), warnings, ocr)
