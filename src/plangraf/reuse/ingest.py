"""``plangraf ingest``: store the text of a governing document under the study.

The text goes to ``<study>/texts/<document id>.txt`` and a sidecar ``<document id>.json``
records where it came from: the file name, format and extractor, the SHA-256 of the source
file and of the stored text, the character range of every PDF page, the headings, and
where each quoted finding of the document occurs (a Web Annotation ``TextPositionSelector``:
start and end character, and the page). Every quote of the document must occur in the text
(compared word by word after case and punctuation are normalised); otherwise nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import PlangrafError
from .corpus import study_documents
from .extract import EXTRACTORS, Extracted, check_document_size, sniff
from .normalise import tokens

SIDECAR_VERSION = 1


@dataclass
class Ingested:
    text_path: Path
    sidecar_path: Path
    sidecar: dict[str, Any]


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Character range of ``quote`` in ``text``, matching word for word (case and punctuation free)."""
    want = [t.norm for t in tokens(quote)]
    have = tokens(text)
    if not want:
        return None
    norms = [t.norm for t in have]
    first = want[0]
    for i, word in enumerate(norms):
        if word == first and norms[i : i + len(want)] == want:
            return have[i].start, have[i + len(want) - 1].end
    return None


def _page_of(offset: int, pages: list[tuple[int, int, int]]) -> int | None:
    return next((number for number, start, end in pages if start <= offset <= end), None)


def _quote_positions(doc: dict[str, Any], extracted: Extracted, source: Path) -> dict[str, dict[str, Any]]:
    positions = {}
    for finding in doc.get("findings") or []:
        if not isinstance(finding, dict) or finding.get("evidence") != "quote" or not finding.get("text"):
            continue
        found = find_quote(str(finding["text"]), extracted.text)
        if found is None:
            raise PlangrafError(
                f"the quote of finding '{finding.get('id')}' does not occur in the document's text",
                file=str(source),
            )
        entry: dict[str, Any] = {"start": found[0], "end": found[1]}
        page = _page_of(found[0], extracted.pages)
        if page is not None:
            entry["page"] = page
        positions[str(finding.get("id"))] = entry
    return positions


def read_source(path: Path) -> tuple[bytes, Extracted]:
    """Read and extract one document file (size-checked; format from its first bytes)."""
    if not path.is_file():
        raise PlangrafError("file not found", file=str(path))
    check_document_size(path)
    raw = path.read_bytes()
    if not raw:
        raise PlangrafError("file is empty", file=str(path))
    extracted = EXTRACTORS[sniff(raw, path)](raw, path)
    if not extracted.text.strip():
        raise PlangrafError("no text found in the document", file=str(path))
    return raw, extracted


def ingest(path: Path, study: Path, document: str, *, force: bool = False) -> Ingested:
    """Extract ``path`` and store its text for study document ``document``; all checks before any write."""
    documents = study_documents(study)
    if document not in documents:
        raise PlangrafError(
            f"unknown document id '{document}' (not in any findings file of the study)", file=str(study)
        )
    texts = study / "texts"
    text_path, sidecar_path = texts / f"{document}.txt", texts / f"{document}.json"
    if text_path.exists() and not force:
        raise PlangrafError("a text is already stored for this document (replace it with force)", file=str(text_path))
    raw, extracted = read_source(path)
    sidecar = {
        "version": SIDECAR_VERSION,
        "document": document,
        "municipality": documents[document]["_municipality"],
        "source_file": path.name,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "format": extracted.format,
        "extractor": extracted.extractor,
        "text_sha256": hashlib.sha256(extracted.text.encode("utf-8")).hexdigest(),
        "characters": len(extracted.text),
        "pages": [{"page": n, "start": s, "end": e} for n, s, e in extracted.pages],
        "headings": [{"level": lv, "text": t, "start": s} for lv, t, s in extracted.headings],
        "quotes": _quote_positions(documents[document], extracted, path),
    }
    write_atomic(text_path, extracted.text)
    write_atomic(sidecar_path, json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n")
    return Ingested(text_path, sidecar_path, sidecar)
