"""The two sides of the reuse measure: national passages and municipal passages.

National passages come from two places:

* a folder of national texts (``--texts``), each file a sequence of blocks
  ``### <URL>`` + excerpt; the file name gives the national document (the guidance document
  id of ``data/reference/guidance.ttl`` that is a prefix of the name, else the name itself),
  and for a circular issued in editions the block's own edition markers give the edition;
* the reference data: every guidance goal's ``skos:prefLabel`` and ``skos:definition`` in
  Norwegian, which hold the national passages as the thesis quotes them.

Municipal passages are every finding with ``evidence: quote`` in the study, and every
ingested document text (``texts/<id>.txt`` in the study folder).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import load_yaml, read_text
from plangraf.reuse.seq import TokSeq

PG = Namespace("https://w3id.org/plangraf/ontology#")
ID_BASE = "https://w3id.org/plangraf/id/guidance/"
STUDY_FILES_SKIPPED = {"study.yaml", "claims.yaml"}


@dataclass
class Passage:
    """A stretch of text with its word tokens and where it comes from."""

    text: str
    document: str  # guidance document id (national) or municipal document id
    source: str  # URL of a text block, guidance goal id, finding id or texts/<id>.txt
    municipality: str = ""
    edition: str = ""  # national: the edition id, e.g. digitaliseringsrundskrivet-2019
    year: int | None = None  # municipal: the document's first year in force, if known
    finding: str = ""
    goal: str = ""  # national, from the reference data: the guidance goal id
    quotes: dict[str, tuple[int, int]] = field(default_factory=dict)  # ingested text: quoted findings' positions
    seq: TokSeq = field(default_factory=TokSeq)

    def __post_init__(self) -> None:
        if not len(self.seq):
            self.seq = TokSeq.of(self.text)


# --- national texts -----------------------------------------------------------------

_BLOCK = re.compile(r"^### (\S+)[ \t]*$", re.MULTILINE)
_OWN_NUMBER = re.compile(r"\bNr:\s*H-0?\d+/(\d\d)\b")
_REPLACES = re.compile(r"erstatter rundskriv H-0?\d+/(\d\d)\b")


def edition_year(block: str) -> int | None:
    """The year of a circular's edition from its markers: its own number ``Nr: H-8/18`` (2018),
    else the number it replaces plus one (``erstatter rundskriv H-8/18``: 2019)."""
    own = _OWN_NUMBER.search(block)
    if own:
        return 2000 + int(own.group(1))
    replaced = _REPLACES.search(block)
    if replaced:
        return 2001 + int(replaced.group(1))
    return None


def national_document_id(file_stem: str, known: set[str]) -> str:
    """The guidance document a text file holds: the id equal to its name; else the longest
    known id the name starts with (``meld-st-27-2015-2016`` -> ``meld-st-27``); else the
    shortest known id that starts with the name; else the name itself. An exact or prefix
    match wins over an edition (``digitaliseringsrundskrivet`` is the work, not
    ``digitaliseringsrundskrivet-2020``)."""
    if file_stem in known:
        return file_stem
    prefixes = [k for k in known if file_stem.startswith(k)]
    if prefixes:
        return max(prefixes, key=len)
    longer = [k for k in known if k.startswith(file_stem)]
    return min(longer, key=len) if longer else file_stem


def read_national_texts(folder: Path, known: set[str]) -> list[Passage]:
    """One passage per ``### URL`` block of every ``.txt`` file in ``folder``."""
    if not folder.is_dir():
        raise PlangrafError("national texts folder not found", file=str(folder))
    passages = []
    for path in sorted(folder.glob("*.txt")):
        text = read_text(path)
        document = national_document_id(path.stem, known)
        starts = list(_BLOCK.finditer(text))
        for n, match in enumerate(starts):
            end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
            body = text[match.end() : end].strip()
            year = edition_year(body)
            edition = f"{document}-{year}" if year else ""
            passages.append(Passage(body, document, match.group(1), edition=edition))
    return passages


def known_documents(reference: Graph) -> set[str]:
    """Ids of the guidance documents in the reference data (those with no ``/`` in the id)."""
    out = set()
    for subject in reference.subjects(DCTERMS.identifier, None):
        if str(subject).startswith(ID_BASE):
            ident = str(reference.value(subject, DCTERMS.identifier))
            if "/" not in ident:
                out.add(ident)
    return out


def reference_passages(reference: Graph) -> list[Passage]:
    """The Norwegian label and definition of every guidance goal, as national passages."""
    passages = []
    for goal in sorted(reference.subjects(RDF.type, PG.GuidanceGoal), key=str):
        document = reference.value(goal, PG.statedIn)
        if not isinstance(document, URIRef) or not str(document).startswith(ID_BASE):
            continue
        doc_id = str(document)[len(ID_BASE) :]
        goal_id = str(goal)[len(ID_BASE) :]
        for prop in (SKOS.prefLabel, SKOS.definition):
            for value in reference.objects(goal, prop):
                if isinstance(value, Literal) and value.language == "nb":
                    passages.append(Passage(str(value), doc_id, goal_id, goal=goal_id))
    return passages


def reference_titles(reference: Graph) -> set[str]:
    """The Norwegian titles and labels of every guidance document (not of its goals)."""
    out: set[str] = set()
    for subject in reference.subjects(DCTERMS.identifier, None):
        ident = str(reference.value(subject, DCTERMS.identifier))
        if not str(subject).startswith(ID_BASE) or "/" in ident:
            continue
        for prop in (DCTERMS.title, SKOS.prefLabel, DCTERMS.alternative, RDFS.label):
            out.update(
                str(v) for v in reference.objects(subject, prop) if isinstance(v, Literal) and v.language == "nb"
            )
    return out


def load_reference(folder: Path) -> Graph:
    """The guidance part of the reference data (``guidance.ttl``): documents, goals and their text."""
    graph = Graph()
    path = folder / "guidance.ttl"
    if not path.is_file():
        raise PlangrafError("reference guidance data not found", file=str(path))
    graph.parse(path, format="turtle")
    return graph


# --- municipal passages -------------------------------------------------------------


def _year(value: Any) -> int | None:
    match = re.match(r"(\d{4})", str(value or ""))
    return int(match.group(1)) if match else None


def study_documents(study: Path) -> dict[str, dict[str, Any]]:
    """Every governing document of the study by id, with its municipality as ``_municipality``."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(study.glob("*.yaml")):
        if path.name in STUDY_FILES_SKIPPED:
            continue
        data, _lines = load_yaml(path)
        if not isinstance(data, dict):
            continue
        for doc in data.get("documents") or []:
            if isinstance(doc, dict) and "id" in doc:
                municipality = str(data.get("municipality", path.stem))
                out[str(doc["id"])] = {**doc, "_municipality": municipality, "_file": path.name}
    return out


def read_sidecar(text_file: Path) -> dict[str, Any]:
    """An ingested text's sidecar; the text must still have the SHA-256 it records."""
    sidecar = text_file.with_suffix(".json")
    if not sidecar.is_file():
        raise PlangrafError("ingested text has no sidecar (.json); ingest the document again", file=str(text_file))
    data = json.loads(read_text(sidecar))
    if not isinstance(data, dict) or hashlib.sha256(text_file.read_bytes()).hexdigest() != data.get("text_sha256"):
        raise PlangrafError(
            "text differs from the SHA-256 in its sidecar; ingest the document again", file=str(text_file)
        )
    return data


def quote_positions(seq: TokSeq, quotes: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Where each quote occurs in a text (word for word after case and punctuation), by finding."""
    starts: dict[str, list[int]] = {}
    for i, norm in enumerate(seq.norms):
        starts.setdefault(norm, []).append(i)
    out = {}
    for finding, quote in quotes.items():
        want = TokSeq.of(quote).norms
        for i in starts.get(want[0], []) if want else []:
            if seq.norms[i : i + len(want)] == want:
                out[finding] = (seq.starts[i], seq.ends[i + len(want) - 1])
                break
    return out


def municipal_passages(study: Path, documents: dict[str, dict[str, Any]] | None = None) -> list[Passage]:
    """Every quoted finding of the study, and every ingested document text (with where the
    document's quoted findings occur in it)."""
    documents = documents if documents is not None else study_documents(study)
    passages = []
    for doc_id, doc in documents.items():
        municipality, year = doc["_municipality"], _year(doc.get("valid_from"))
        quotes = {}
        for finding in doc.get("findings") or []:
            if isinstance(finding, dict) and finding.get("evidence") == "quote" and finding.get("text"):
                fid = str(finding.get("id", ""))
                quotes[fid] = str(finding["text"])
                passages.append(Passage(quotes[fid], doc_id, fid, municipality, year=year, finding=fid))
        text_file = study / "texts" / f"{doc_id}.txt"
        if text_file.is_file():
            read_sidecar(text_file)
            text = Passage(read_text(text_file), doc_id, f"texts/{doc_id}.txt", municipality, year=year)
            text.quotes = quote_positions(text.seq, quotes)
            passages.append(text)
    return passages
