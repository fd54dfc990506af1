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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import read_text
from plangraf.rdf.namespaces import OA, PG, finding_iri
from plangraf.reuse.corpus import study_documents
from plangraf.reuse.extract import EXTRACTORS, check_document_size, sniff
from plangraf.reuse.extracted import Extracted
from plangraf.reuse.hyphenation import word_list_name
from plangraf.reuse.normalise import tokens

SIDECAR_VERSION = 1


@dataclass
class Ingested:
    text_path: Path
    sidecar_path: Path
    sidecar: dict[str, Any]
    warnings: list[str]


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


def page_of(offset: int, pages: list[tuple[int, int, int]]) -> int | None:
    """The page (1-based) that holds character ``offset`` of an ingested text, given the pages'
    (number, start, end) as in its sidecar; ``None`` for a text without pages."""
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
        page, end_page = page_of(found[0], extracted.pages), page_of(found[1], extracted.pages)
        if page is not None:
            entry["page"] = page
        if end_page is not None and end_page != page:
            entry["end_page"] = end_page  # the quote runs over a page break
        positions[str(finding.get("id"))] = entry
    return positions


def quote_span_in_document(quote: str, text: str, where: dict[str, Any], start: int, end: int) -> tuple[int, int]:
    """Character offsets in the ingested ``text`` of the stretch ``start``–``end`` of a finding's
    ``quote``, given the quote's place ``where`` (its entry in the sidecar's ``quotes``). The
    quote matches the text word for word, so the n-th word of the quote is the n-th word from
    the quote's start in the text."""
    quoted = tokens(quote)
    placed = tokens(text[where["start"] : where["end"]])
    if len(quoted) != len(placed) or not quoted:
        raise ValueError("the quote does not match its place in the text word for word")
    first = next(i for i, t in enumerate(quoted) if t.end > start)
    last = max(i for i, t in enumerate(quoted) if t.start < end)
    return where["start"] + placed[first].start, where["start"] + placed[last].end


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
        "hyphenation": word_list_name(),
        "quotes": _quote_positions(documents[document], extracted, path),
    }
    if extracted.ocr is not None:
        sidecar["ocr"] = extracted.ocr
    if extracted.warnings:
        sidecar["warnings"] = extracted.warnings
    write_atomic(text_path, extracted.text)
    write_atomic(sidecar_path, json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n")
    return Ingested(text_path, sidecar_path, sidecar, extracted.warnings)


def check_ingested(study: Path) -> Graph:
    """For every ingested text of the study: its hash must match its sidecar and every quote of
    the document must occur in it. Returns the quotes' positions as Web Annotation
    ``oa:TextPositionSelector`` on each finding's target (with ``pg:onPage`` for a PDF)."""
    graph = Graph()
    texts = study / "texts"
    if not texts.is_dir():
        return graph
    documents = study_documents(study)
    for sidecar_path in sorted(texts.glob("*.json")):
        text_path = sidecar_path.with_suffix(".txt")
        if not text_path.is_file() or sidecar_path.stem not in documents:
            continue
        text = read_text(text_path)
        sidecar = json.loads(read_text(sidecar_path))
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sidecar.get("text_sha256"):
            raise PlangrafError("text differs from the SHA-256 in its sidecar; ingest it again", file=str(text_path))
        extracted = Extracted(text, "", "", [(p["page"], p["start"], p["end"]) for p in sidecar.get("pages", [])])
        for finding, where in _quote_positions(documents[sidecar_path.stem], extracted, text_path).items():
            _position_triples(graph, finding, where)
    return graph


def _position_triples(graph: Graph, finding: str, where: dict[str, Any]) -> None:
    f = finding_iri(finding)
    selector = URIRef(f"{f}#position")
    graph.add((URIRef(f"{f}#target"), OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.start, Literal(where["start"], datatype=XSD.nonNegativeInteger)))
    graph.add((selector, OA.end, Literal(where["end"], datatype=XSD.nonNegativeInteger)))
    if "page" in where:
        graph.add((selector, PG.onPage, Literal(where["page"], datatype=XSD.positiveInteger)))
