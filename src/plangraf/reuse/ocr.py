"""OCR of a scanned PDF with Tesseract and its Norwegian model.

Each page is rendered by PDFium (pypdfium2) at 300 dpi in grey and given to the ``tesseract``
command (``$PLANGRAF_TESSERACT``, else ``tesseract`` on the PATH) with the Norwegian model
(``-l nor``), which returns every word with its box and confidence (TSV). The command is run
directly rather than through a wrapper package: it is one call, and its TSV is the whole
interface. The words' lines become the same :class:`~plangraf.reuse.extracted.Line` records as a
text layer's, so running headers, page numbers and headings are handled alike.

The text is marked as OCR: the sidecar's ``ocr`` records the engine and its version, the model,
the resolution, and the mean word confidence (0–100) of the OCR text and of each page read.
Where Tesseract or its Norwegian model is missing a scan is refused, saying how to install them.

A PDF with a text layer may hold a page without one (a page scanned into the document):
:func:`ocr_textless_pages` reads such pages alone, and the record lists only them; without
Tesseract each is left empty with a warning, as before OCR.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from plangraf.core.errors import PlangrafError
from plangraf.reuse.extracted import Line, PageLines

TESSERACT_VARIABLE = "PLANGRAF_TESSERACT"
LANGUAGE = "nor"
DPI = 300
INSTALL = "install Tesseract and its Norwegian model (Debian: apt-get install tesseract-ocr tesseract-ocr-nor)"
TIMEOUT_SECONDS = 300


def tesseract_command() -> str:
    return os.environ.get(TESSERACT_VARIABLE) or "tesseract"


def _run(arguments: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core: the machine is shared
    return subprocess.run(
        [tesseract_command(), *arguments],
        input=data,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        env=environment,
        check=False,
    )


def tesseract_missing() -> str | None:
    """Why OCR cannot run on this machine (the command or its Norwegian model is missing), or ``None``."""
    command = tesseract_command()
    if shutil.which(command) is None:
        return f"Tesseract was not found ({command!r})"
    languages = _run(["--list-langs"]).stdout.decode("utf-8", "replace").split()
    if LANGUAGE not in languages:
        return f"Tesseract has no Norwegian model ({LANGUAGE!r})"
    return None


def _engine() -> str:
    version = _run(["--version"]).stdout.decode("utf-8", "replace").split()
    return f"tesseract {version[1]}" if len(version) > 1 else "tesseract"


def check_tesseract(path: Path, pages: int) -> str:
    """The Tesseract version; refuses the PDF when the command or its Norwegian model is missing."""
    missing = tesseract_missing()
    if missing is not None:
        needs = f"no text layer on any of its {pages} page(s): a scanned PDF needs OCR"
        raise PlangrafError(f"{needs}, and {missing}; {INSTALL}", file=str(path))
    return _engine()


class OcrFailed(Exception):
    """Tesseract could not read a page (its message, shortened)."""


def _read_page(document: Any, index: int) -> tuple[PageLines, list[float]]:
    """Page ``index`` (0-based) rendered and read by Tesseract: its lines and word confidences."""
    page = document[index]
    height = page.get_height()
    image = page.render(scale=DPI / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = _run(["stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"], buffer.getvalue())
    if done.returncode != 0:
        raise OcrFailed(" ".join(done.stderr.decode("utf-8", "replace").split())[:200])
    lines, words = tsv_lines(done.stdout.decode("utf-8", "replace"), height)
    return PageLines(index + 1, height, lines), words


def _record(engine: str, confidences: list[float], pages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "engine": engine,
        "language": LANGUAGE,
        "dpi": DPI,
        "mean_confidence": _mean(confidences),
        "pages": pages,
    }


def ocr_pages(document: Any, path: Path, skip: set[int]) -> tuple[list[PageLines], dict[str, Any]]:
    """Every page of a scanned PDF read by Tesseract, as lines, with the OCR record; the pages
    in ``skip`` (which could not be loaded) stay empty."""
    engine = check_tesseract(path, len(document))
    pages, confidences, record_pages = [], [], []
    for index in range(len(document)):
        if index + 1 in skip:
            pages.append(PageLines(index + 1, 0.0, []))
            continue
        try:
            page, words = _read_page(document, index)
        except OcrFailed as exc:
            raise PlangrafError(f"page {index + 1}: OCR failed: {exc}", file=str(path)) from None
        pages.append(page)
        confidences += words
        record_pages.append({"page": index + 1, "mean_confidence": _mean(words), "words": len(words)})
    if not confidences:
        raise PlangrafError(f"no text layer, and OCR found no text on its {len(pages)} page(s)", file=str(path))
    return pages, _record(engine, confidences, record_pages)


def ocr_textless_pages(
    document: Any, pages: list[PageLines], numbers: list[int]
) -> tuple[list[PageLines], dict[str, Any] | None, list[str]]:
    """The pages ``numbers`` of a PDF with a text layer elsewhere (a page scanned into a text
    PDF) read by Tesseract: the pages with those read, the OCR record of the pages where OCR
    found words (``None`` if none), and a warning for each page left empty. Without Tesseract
    or its Norwegian model each page is left empty with a warning saying so."""
    missing = tesseract_missing()
    if missing is not None:
        why = f"{missing}, so it is not read by OCR ({INSTALL})"
        left = [f"page {n}: no text on the page (an image or a blank page): left empty; {why}" for n in numbers]
        return pages, None, left
    engine = _engine()
    out, confidences, record_pages, warnings = list(pages), [], [], []
    for number in numbers:
        try:
            page, words = _read_page(document, number - 1)
        except OcrFailed as exc:
            warnings.append(f"page {number}: no text on the page, and OCR failed ({exc}): left empty")
            continue
        if not words:
            warnings.append(f"page {number}: no text on the page, and OCR found none (a blank page?): left empty")
            continue
        out[number - 1] = page
        confidences += words
        record_pages.append({"page": number, "mean_confidence": _mean(words), "words": len(words)})
    return out, (_record(engine, confidences, record_pages) if confidences else None), warnings


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def tsv_lines(tsv: str, page_height: float) -> tuple[list[Line], list[float]]:
    """Tesseract's TSV as lines (top and bottom in points from the page's foot) and word confidences."""
    scale = 72 / DPI
    lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    out, confidences = [], []
    for words in lines.values():
        top = min(int(w["top"]) for w in words) * scale
        bottom = max(int(w["top"]) + int(w["height"]) for w in words) * scale
        heights = sorted(int(w["height"]) for w in words)
        text = " ".join(w["text"].strip() for w in words)
        out.append(Line(text, page_height - top, page_height - bottom, heights[len(heights) // 2] * scale))
        confidences += [float(w["conf"]) for w in words if float(w["conf"]) >= 0]
    return out, confidences
