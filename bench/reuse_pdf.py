"""The edits benchmark's documents as real PDFs, read back by plangraf's own extractor.

:func:`write_pdf` draws the pages that :func:`plangraf.reuse.edits.render` laid out (lines of
at most 90 characters, long words hyphenated at the line end with a real ``-``) into an A4 PDF
with fpdf2 and the DejaVu Sans font (Debian ``fonts-dejavu-core``; every character of the
national texts has a glyph and a Unicode mapping): the running header in the top margin, the
body's 48 lines at 9 pt (a blank line between paragraphs), and the footer «Side N av M» in the
bottom margin. :func:`read_pdf` reads the file with :func:`plangraf.reuse.ingest.read_source`,
the code path of ``plangraf ingest`` (format sniffed, pypdfium2 lines, furniture removed by
repetition, line-end hyphens resolved with the Norwegian word list).

The planted items cannot carry marks through a PDF, so :func:`locate` finds each of them in
the extracted text again: its letters and digits (case-folded, everything else dropped, so a
hyphen joined or kept and a line break do not matter) are searched from the end of the item
before it, by its first and its last 40 characters (so furniture left inside it does not stop
the search). An item not found is *lost*: a lost copy counts as not found.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from plangraf.reuse.ingest import read_source

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SIZE = 9.0  # pt
STEP = 13.6  # pt from baseline to baseline
LEFT = 42.0  # pt (15 mm)
HEADER_Y, BODY_Y, FOOTER_Y = 34.0, 92.0, 808.0  # baselines, pt from the page's top (A4: 842)
ANCHOR = 40
_FOOTER = re.compile(r"Side \d+ av \d+")


def write_pdf(pages: list[list[str]], path: Path) -> Path:
    """``pages`` (each: header, blank, body lines, blank, footer) drawn into a PDF at ``path``."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("body", fname=str(FONT))
    pdf.set_font("body", size=SIZE)
    width = pdf.w - 2 * LEFT
    for page in pages:
        pdf.add_page()
        pdf.set_font_size(SIZE)
        pdf.text(LEFT, HEADER_Y, page[0])
        for n, line in enumerate(page[2:-2]):
            if line:
                fits = pdf.get_string_width(line)
                pdf.set_font_size(SIZE if fits <= width else SIZE * width / fits)  # a rare over-long line
                pdf.text(LEFT, BODY_Y + n * STEP, line)
        pdf.set_font_size(SIZE)
        pdf.text(LEFT, FOOTER_Y, page[-1])
    pdf.output(str(path))
    return path


def read_pdf(path: Path) -> str:
    """The PDF's text as ``plangraf ingest`` extracts it."""
    return read_source(path)[1].text


def _normalised(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, lower-cased one for one, with each one's offset in ``text``."""
    kept = [(i, c.lower()[:1]) for i, c in enumerate(text) if c.isalnum()]
    return "".join(c for _, c in kept), [i for i, _ in kept]


def locate(items: list[dict[str, Any]], text: str, header: str) -> int:
    """Set each item's ``start``, ``end`` and ``furniture`` (header and footer lines left inside
    it) in ``text``, in document order; returns how many were lost (``start == end == 0``)."""
    norm, where = _normalised(text)
    furniture = [m.span() for m in re.finditer(f"{re.escape(header)}|{_FOOTER.pattern}", text)]
    cursor = lost = 0
    for item in items:
        key, _ = _normalised(item["text"])
        head, tail = key[:ANCHOR], key[-ANCHOR:]
        a = norm.find(head, cursor) if key else -1
        b = norm.find(tail, a) if a >= 0 else -1
        if b < 0:
            item["start"] = item["end"] = 0
            item["furniture"] = []
            lost += 1
            continue
        item["start"], item["end"] = where[a], where[b + len(tail) - 1] + 1
        item["furniture"] = [f for f in furniture if item["start"] <= f[0] < item["end"]]
        cursor = b + len(tail)
    return lost


def extraction_errors(source: str, text: str, header: str) -> dict[str, int]:
    """How the extracted ``text`` differs from the ``source`` paragraphs, word by word (case-folded
    ``\\w+`` tokens, as multisets): words it has that the source has not (page furniture left,
    words glued or split at a hyphen), words of the source it lacks, and furniture lines left."""
    have, want = Counter(re.findall(r"\w+", text.lower())), Counter(re.findall(r"\w+", source.lower()))
    return {
        "extra_words": sum((have - want).values()),
        "missing_words": sum((want - have).values()),
        "furniture_lines_left": len(re.findall(f"{re.escape(header)}|{_FOOTER.pattern}", text)),
    }
