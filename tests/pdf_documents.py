"""Municipal-style PDFs for the ingest tests, rendered by fpdf2: a running header, a footer with
«Side N av M», headings, paragraphs placed to run over a page break, and scans (a page's picture)."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

HEADER = "Porsgrunn kommune - Handlingsplan for digitalisering 2020-2023"
FILLER = (
    "Kommunen arbeider med å forbedre tjenestene til innbyggerne gjennom bedre samarbeid mellom "
    "virksomhetene, tydeligere ansvar og jevnlig oppfølging i ledergruppen."
)
LINE = 6.0  # mm


def latin1(text: str) -> str:
    """The text in the core PDF fonts' Latin-1 (typographic apostrophe and dash made plain)."""
    return text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")


class MunicipalPdf(FPDF):
    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(0, 6, HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 6, f"Side {self.page_no()} av {{nb}}", align="C")


def municipal_pdf(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A PDF of ``blocks``: ("h1", text), ("h2", text), ("p", text), or ("break", text): a
    paragraph that starts three lines above the foot of a page, so it runs over the page break."""
    pdf = MunicipalPdf()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, text in blocks:
        if kind in ("h1", "h2"):
            pdf.set_font("helvetica", "B", 16 if kind == "h1" else 13)
            pdf.multi_cell(0, 9, latin1(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            continue
        pdf.set_font("helvetica", size=11)
        if kind == "break":
            while pdf.get_y() < pdf.h - 20 - 3 * LINE - 1:
                pdf.multi_cell(0, LINE, FILLER, new_x="LMARGIN", new_y="NEXT")
            if pdf.get_y() > pdf.h - 20 - 2 * LINE:
                pdf.add_page()
                while pdf.get_y() < pdf.h - 20 - 3 * LINE - 1:
                    pdf.multi_cell(0, LINE, FILLER, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, LINE, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path, text_pdf: Path) -> Path:
    """A scan of ``text_pdf``: every page rendered to a picture (200 dpi, grey) and put into a
    new PDF with no text layer."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(text_pdf))
    pdf = FPDF()
    for index in range(len(source)):
        image = source[index].render(scale=200 / 72, grayscale=True).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
    source.close()
    pdf.output(str(path))
    return path
