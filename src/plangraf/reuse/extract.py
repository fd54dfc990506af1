"""Text out of a governing document: PDF (pypdfium2, :mod:`plangraf.reuse.pdftext`), HTML (the
standard library's parser), DOCX (python-docx) and plain UTF-8 text. Nothing is fetched and
nothing is executed. The format is read from the content and checked against the name's
extension.

* **PDF — pypdfium2.** Layout-aware: running headers, footers and page numbers removed,
  headings from font sizes, pages kept; a scan is read by OCR (see :mod:`plangraf.reuse.pdftext`).
* **HTML — html.parser.** It only tokenises: it never fetches an image, style sheet or frame,
  and runs nothing. Scripts, style sheets, the head and embedded objects are stripped, so a
  saved web page is read as the text a reader sees.
* **DOCX — python-docx.** The maintained reader of Word's XML format; paragraphs keep their
  heading styles, tables stand where they are in the document, a merged cell's text once. A
  document with macros (``vbaProject.bin``, a macro-enabled content type) is refused, as is an
  archive that would unpack beyond the input size limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import check_size, limit_bytes
from plangraf.reuse.extracted import Extracted, place_headings
from plangraf.reuse.normalise import clean_text
from plangraf.reuse.pdftext import extract_pdf

DEFAULT_MAX_DOCUMENT_MB = 100.0


DOCUMENT_LIMIT_VARIABLE = "PLANGRAF_MAX_DOCUMENT_MB"


def max_document_bytes() -> int:
    """The largest document ``ingest`` reads (and a DOCX may unpack to): ``$PLANGRAF_MAX_DOCUMENT_MB``."""
    return limit_bytes(DOCUMENT_LIMIT_VARIABLE, DEFAULT_MAX_DOCUMENT_MB)


def check_document_size(path: Path) -> None:
    check_size(path, variable=DOCUMENT_LIMIT_VARIABLE, default_mb=DEFAULT_MAX_DOCUMENT_MB, what="document size")


_SUFFIX_FORMATS = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "docx", ".docm": "docx", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".txt": "text", ".text": "text", ".md": "text",
}  # fmt: skip
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "HTML", "text": "plain text"}
_HTML_START = re.compile(rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def sniff(raw: bytes, path: Path) -> str:
    """The format from the file's content, checked against the name's extension: a file whose
    extension names another format (HTML saved as ``.pdf``) is refused, saying what it holds."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if raw.startswith(b"%PDF-"):
        content = "pdf"
    elif raw.startswith(b"PK\x03\x04"):
        content = "docx"
    elif _HTML_START.match(head):
        content = "html"
    else:
        content = "text"
    named = _SUFFIX_FORMATS.get(path.suffix.lower())
    if named == "html" and content == "text":
        return "html"  # an HTML fragment without <html>
    if named is not None and named != content:
        raise PlangrafError(
            f"the name says {_FORMAT_NAMES[named]} but the content is {_FORMAT_NAMES[content]}; "
            "give the file the extension of what it holds",
            file=str(path),
        )
    return content


def decode_utf8(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlangrafError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", file=str(path), line=line
        ) from None
    if "\x00" in text:
        raise PlangrafError("holds NUL bytes: not a text file", file=str(path))
    return text


def extract_text(raw: bytes, path: Path) -> Extracted:
    text = clean_text(decode_utf8(raw, path))
    return Extracted(text, "text", "utf-8")


# --- HTML ---------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "nav", "main", "aside", "figcaption",
}  # fmt: skip
# elements whose content is not the page's text: scripts, style sheets, the head, embedded objects
_SKIP_TAGS = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object", "canvas", "math"}


class _TextParser(HTMLParser):
    """The text of a saved web page: scripts, style sheets and the head stripped; nothing is
    fetched or run (resources such as images and style sheet links are only tags here)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.heading: list[str] | None = None
        self.level = 0
        self.headings: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip = 0  # a head left open ends where the body starts
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag) and not self.skip:
            self.heading, self.level = [], int(tag[1])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            self.headings.append((self.level, " ".join("".join(self.heading).split())))
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.parts.append(data)
        if self.heading is not None:
            self.heading.append(data)


def extract_html(raw: bytes, path: Path) -> Extracted:
    parser = _TextParser()
    parser.feed(decode_utf8(raw, path))
    parser.close()
    text = clean_text("".join(parser.parts))
    return Extracted(text, "html", "html.parser (Python standard library)", [], place_headings(text, parser.headings))


# --- DOCX ---------------------------------------------------------------------------------------


def _check_docx_archive(raw: bytes, path: Path) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
        content_types = (
            archive.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
        )
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlangrafError(f"damaged DOCX: {exc}", file=str(path)) from None
    if any(n.lower().endswith("vbaproject.bin") for n in names) or "macroEnabled" in content_types:
        raise PlangrafError("the document holds macros; save it as a plain .docx without macros", file=str(path))
    if unpacked > max_document_bytes():
        raise PlangrafError(f"unpacks to {unpacked / 1048576:.1f} MB, over the input limit", file=str(path))
    if "word/document.xml" not in names:
        raise PlangrafError("damaged DOCX: no word/document.xml (not a Word document?)", file=str(path))


def extract_docx(raw: bytes, path: Path) -> Extracted:
    _check_docx_archive(raw, path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = _docx_blocks(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PlangrafError(f"damaged DOCX: {exc}", file=str(path)) from None
    text = clean_text("\n\n".join(t for t, _ in blocks if t.strip()))
    headings = [(_heading_level(style), " ".join(t.split())) for t, style in blocks if _heading_level(style)]
    return Extracted(text, "docx", f"python-docx {_version('python-docx')}", [], place_headings(text, headings))


def _docx_blocks(document: object) -> list[tuple[str, str]]:
    """Paragraphs (text, style) and table rows in document order; a merged cell's text once."""
    from docx.table import Table

    blocks: list[tuple[str, str]] = []
    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            seen: set[object] = set()  # the cells' XML elements, kept alive so each is seen once
            for row in item.rows:
                cells = []
                for cell in row.cells:  # a merged cell is the same element in every grid position it spans
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        cells.append(cell.text)
                blocks.append(("\t".join(cells), ""))
        else:
            blocks.append((item.text, (item.style.name if item.style is not None else "") or ""))
    return blocks


def _heading_level(style: str) -> int:
    match = re.fullmatch(r"(?:Heading|Overskrift)\s*(\d)", style.strip())
    return int(match.group(1)) if match else (1 if style.strip() == "Title" else 0)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


EXTRACTORS = {"pdf": extract_pdf, "html": extract_html, "docx": extract_docx, "text": extract_text}
