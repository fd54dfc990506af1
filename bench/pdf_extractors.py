"""Measure the PDF text libraries on a rendered two-page municipal PDF (issue 25, item 1).

    python bench/pdf_extractors.py                    # the libraries that are installed
    pip install --target /tmp/pdfbench pdfplumber pymupdf && PYTHONPATH=/tmp/pdfbench python bench/pdf_extractors.py

The PDF (``tests/pdf_documents.py``) has a running header, a footer «Side N av M», headings, a
paragraph over the page break and a two-column section (fpdf2 ``text_columns``). For each
library: milliseconds per document (median of 20 reads) and whether the two columns come out
whole (every left-column line before the first right-column line). pdfplumber and PyMuPDF are
not dependencies of plangraf; they are measured where they are installed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fpdf import FPDF  # noqa: E402

from pdf_documents import FILLER, MunicipalPdf  # noqa: E402


def render(path: Path) -> Path:
    pdf: FPDF = MunicipalPdf()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 9, "Handlingsplan for digitalisering", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for _ in range(12):
        pdf.multi_cell(0, 6, FILLER + " " + FILLER, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 13)
    pdf.multi_cell(0, 8, "Tiltak", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    with pdf.text_columns(ncols=2) as columns:
        columns.write("Venstre spalte. " * 30)
        columns.new_column()
        columns.write("Høyre spalte. " * 30)
    pdf.output(str(path))
    return path


def readers(path: Path) -> dict[str, Callable[[], str]]:
    out: dict[str, Callable[[], str]] = {}
    import pypdf

    out[f"pypdf {pypdf.__version__}"] = lambda: "\f".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    import pypdfium2 as pdfium

    def fium() -> str:
        document = pdfium.PdfDocument(str(path))
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))

    out[f"pypdfium2 {pdfium.PYPDFIUM_INFO}"] = fium
    try:
        import pdfplumber

        def plumb() -> str:
            with pdfplumber.open(str(path)) as document:
                return "\f".join(page.extract_text() for page in document.pages)

        out[f"pdfplumber {pdfplumber.__version__}"] = plumb
    except ImportError:
        pass
    try:
        import pymupdf

        out[f"pymupdf {pymupdf.VersionBind}"] = lambda: "\f".join(p.get_text() for p in pymupdf.open(str(path)))
    except ImportError:
        pass
    return out


def columns_whole(text: str) -> bool:
    lines = text.replace("\r", "").split("\n")
    left = [i for i, line in enumerate(lines) if "Venstre" in line]
    right = [i for i, line in enumerate(lines) if "Høyre" in line]
    return bool(left and right) and max(left) < min(right)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = render(Path(folder) / "plan.pdf")
        for name, read in readers(path).items():
            text = read()
            times = []
            for _ in range(20):
                started = time.perf_counter()
                read()
                times.append(time.perf_counter() - started)
            print(f"{name:28} {statistics.median(times) * 1000:7.1f} ms/document  columns whole: {columns_whole(text)}")


if __name__ == "__main__":
    main()
