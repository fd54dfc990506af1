"""Text out of a governing document: PDF (pypdf), HTML (the standard library's parser), DOCX
(python-docx) and plain UTF-8 text. Nothing is fetched and nothing is executed.

* **PDF — pypdf.** Pure Python, maintained, reads page by page (so page numbers are kept),
  tells an encrypted file apart and raises on a damaged one. A PDF whose pages carry no text
  layer is a scan: plangraf says OCR is needed and does not guess.
* **HTML — html.parser.** It only tokenises: it never fetches an image, style sheet or frame,
  and runs nothing. A page with a script or a resource that would be loaded from elsewhere is
  refused, so what is stored is what the file itself says.
* **DOCX — python-docx.** The maintained reader of Word's XML format; paragraphs keep their
  heading styles. A document with macros (``vbaProject.bin``, a macro-enabled content type) is
  refused, as is an archive that would unpack beyond the input size limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import check_size, limit_bytes
from plangraf.reuse.normalise import clean_text

DEFAULT_MAX_DOCUMENT_MB = 100.0


DOCUMENT_LIMIT_VARIABLE = "PLANGRAF_MAX_DOCUMENT_MB"


def max_document_bytes() -> int:
    """The largest document ``ingest`` reads (and a DOCX may unpack to): ``$PLANGRAF_MAX_DOCUMENT_MB``."""
    return limit_bytes(DOCUMENT_LIMIT_VARIABLE, DEFAULT_MAX_DOCUMENT_MB)


def check_document_size(path: Path) -> None:
    check_size(path, variable=DOCUMENT_LIMIT_VARIABLE, default_mb=DEFAULT_MAX_DOCUMENT_MB, what="document size")


@dataclass
class Extracted:
    """A document's text, with the pages (1-based number, start, end) and headings (level, text, start)."""

    text: str
    format: str
    extractor: str
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    headings: list[tuple[int, str, int]] = field(default_factory=list)


def sniff(raw: bytes, path: Path) -> str:
    """The format from the file's first bytes, with the name's suffix to tell HTML from text."""
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        return "docx"
    head = raw[:1024].lstrip().lower()
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if path.suffix.lower() in (".pdf", ".docx", ".doc", ".docm"):
        raise PlangrafError(f"not a {path.suffix[1:].upper()} file (its first bytes say otherwise)", file=str(path))
    return "text"


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


# --- PDF ----------------------------------------------------------------------------------------


def extract_pdf(raw: bytes, path: Path) -> Extracted:
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise PlangrafError("the PDF is encrypted; save an unencrypted copy", file=str(path))
        page_texts = _pdf_pages(reader, path)
    except PlangrafError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise PlangrafError(
            f"damaged PDF: {' '.join(str(exc).split()) or type(exc).__name__}", file=str(path)
        ) from None
    if not page_texts:
        raise PlangrafError("damaged PDF: no pages could be read", file=str(path))
    if not any(re.search(r"\w", t) for t in page_texts):
        raise PlangrafError(
            f"no text layer on any of its {len(page_texts)} page(s): a scanned PDF needs OCR first", file=str(path)
        )
    parts, pages, offset = [], [], 0
    for number, page_text in enumerate(page_texts, start=1):
        cleaned = clean_text(page_text) if page_text.strip() else ""
        pages.append((number, offset, offset + len(cleaned)))
        parts.append(cleaned)
        offset += len(cleaned) + 1  # pages are joined by a form feed
    return Extracted("\f".join(parts), "pdf", f"pypdf {pypdf.__version__}", pages)


def _pdf_pages(reader: object, path: Path) -> list[str]:
    from pypdf.errors import PyPdfError

    texts = []
    for number, page in enumerate(reader.pages, start=1):  # type: ignore[attr-defined]
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PlangrafError(f"page {number}: damaged PDF page: {exc}", file=str(path)) from None
    return texts


# --- HTML ---------------------------------------------------------------------------------------

_RESOURCE_ATTRS = {"src", "srcset", "data", "poster", "background", "href", "action", "formaction"}
_RESOURCE_TAGS = {"img", "iframe", "frame", "object", "embed", "video", "audio", "source", "track", "link", "input"}
_LOADING_RELS = ("stylesheet", "icon", "preload", "prefetch", "import", "manifest", "modulepreload", "prerender")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "nav", "main", "aside", "figcaption",
}  # fmt: skip
_SKIP_TAGS = {"style", "head", "noscript", "template", "svg"}


class _TextParser(HTMLParser):
    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.parts: list[str] = []
        self.skip = 0
        self.heading: list[str] | None = None
        self.level = 0
        self.headings: list[tuple[int, str]] = []

    def _refuse(self, what: str) -> None:
        line = self.getpos()[0]
        raise PlangrafError(
            f"{what}; plangraf reads HTML without scripts or outside resources", file=str(self.path), line=line
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag):
            self.heading, self.level = [], int(tag[1])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._refuse("a <script> element")
        for name, value in attrs:
            if name.startswith("on"):
                self._refuse(f"a script in the {name} attribute of <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self._refuse(f"a javascript: address in <{tag}>")
            loads = tag in _RESOURCE_TAGS or name in {"background", "poster"}
            if tag == "link":
                rel = " ".join((v or "").lower() for n, v in attrs if n == "rel")
                loads = any(word in rel for word in _LOADING_RELS)
            if loads and name in _RESOURCE_ATTRS and value and not value.strip().lower().startswith("data:"):
                self._refuse(f"an outside resource <{tag} {name}={value!r}>")
            if name == "style" and value and "url(" in value.lower():
                self._refuse(f"an outside resource in the style of <{tag}>")
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            self._refuse("a <meta http-equiv=refresh> redirect")

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
            if "@import" in data or "url(" in data.lower():
                self._refuse("an outside resource in a <style> element")
            return
        self.parts.append(data)
        if self.heading is not None:
            self.heading.append(data)


def extract_html(raw: bytes, path: Path) -> Extracted:
    parser = _TextParser(path)
    parser.feed(decode_utf8(raw, path))
    parser.close()
    text = clean_text("".join(parser.parts))
    return Extracted(text, "html", "html.parser (Python standard library)", [], _place_headings(text, parser.headings))


def _place_headings(text: str, headings: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    placed, cursor = [], 0
    for level, title in headings:
        at = text.find(title, cursor)
        if title and at >= 0:
            placed.append((level, title, at))
            cursor = at + len(title)
    return placed


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
        blocks = [(p.text, (p.style.name if p.style is not None else "") or "") for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                blocks.append(("\t".join(cell.text for cell in row.cells), ""))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PlangrafError(f"damaged DOCX: {exc}", file=str(path)) from None
    text = clean_text("\n\n".join(t for t, _ in blocks if t.strip()))
    headings = [(_heading_level(style), " ".join(t.split())) for t, style in blocks if _heading_level(style)]
    return Extracted(text, "docx", f"python-docx {_version('python-docx')}", [], _place_headings(text, headings))


def _heading_level(style: str) -> int:
    match = re.fullmatch(r"(?:Heading|Overskrift)\s*(\d)", style.strip())
    return int(match.group(1)) if match else (1 if style.strip() == "Title" else 0)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


EXTRACTORS = {"pdf": extract_pdf, "html": extract_html, "docx": extract_docx, "text": extract_text}
