"""A study as a REFI-QDA project (``.qdpx``): one plain-text source per governing document, with a
selection per finding, coder and relation kind at the passage's true position.

A document's source is its ingested text (``<study>/texts/<document id>.txt``) where the study
has one; passages not found in it (summaries, corrected OCR) follow it, after a blank line. A
document without an ingested text is its passages, each written once, blank-line separated.
Offsets are written in the unit of the tool the project is for (see :mod:`plangraf.qda.offsets`),
and the project's ``origin`` names that unit so that plangraf reads its own export back right.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from plangraf.qda.codebook import Code, code_element
from plangraf.qda.importer import normalise
from plangraf.qda.offsets import TOOLS, position
from plangraf.qda.refi_xml import PROJECT_NS, guid_for
from plangraf.qda.roundtrip import marker_line, snapshot
from plangraf.rdf.namespaces import PGID, document_iri, finding_iri

SEPARATOR = "\n\n"


@dataclass
class Link:
    guidance: str
    how: str
    coder: str
    day: str


def _codes_by_ident(codes: list[Code]) -> dict[tuple[str, str], Code]:
    return {(c.kind, c.ident): c for top in codes for c in top.walk()}


def effective_links(finding: dict[str, Any], study: dict[str, Any]) -> list[Link]:
    """A finding's coded links with coder and date filled in from the finding and study defaults."""
    out = []
    for link in finding.get("reflects") or []:
        if link.get("basis", "coded") != "coded":
            continue
        coder = link.get("coder") or finding.get("coder") or study.get("coder") or ""
        day = str(link.get("coded") or finding.get("coded") or study.get("coded") or "")
        out.append(Link(str(link["guidance"]), str(link["how"]), str(coder), day))
    return out


class _Writer:
    def __init__(self, study: dict[str, Any], codes: list[Code]) -> None:
        self.study = study
        self.codes = codes
        self.by_ident = _codes_by_ident(codes)
        self.default_coder = str(study.get("coder") or "")

    def user_guid(self, coder: str) -> str:
        return guid_for(f"{PGID}agent/{coder}") if coder else ""

    def coding(self, parent: ET.Element, base: str, kind: str, ident: str, coder: str, day: str) -> None:
        code = self.by_ident[(kind, ident)]
        attrs = {"guid": guid_for(f"{base}/{code.iri}")}
        if coder:
            attrs["creatingUser"] = self.user_guid(coder)
        if day:
            attrs["creationDateTime"] = f"{day}T00:00:00Z"
        elem = ET.SubElement(parent, "Coding", attrs)
        ET.SubElement(elem, "CodeRef", {"targetGUID": code.guid})

    def selection(
        self, parent: ET.Element, finding: dict[str, Any], span: tuple[int, int], key: str, part: str = ""
    ) -> tuple[ET.Element, str]:
        """A selection of the finding's span; its GUID and its codings' GUIDs derive from ``base``."""
        text = normalise(str(finding["text"]))
        name = text if len(text) <= 100 else text[:99] + "…"
        base = f"{finding_iri(str(finding['id']))}/qda/{key}"
        attrs = {"guid": guid_for(base), "name": name, "startPosition": str(span[0]), "endPosition": str(span[1])}
        elem = ET.SubElement(parent, "PlainTextSelection", attrs)
        fields = snapshot(finding)
        if part:
            fields["part"] = part  # element codes here are the finding's elements, whatever the range's relation
        ET.SubElement(elem, "Description").text = marker_line(fields)
        return elem, base

    def finding(self, parent: ET.Element, finding: dict[str, Any], span: tuple[int, int]) -> None:
        groups: dict[tuple[str, str], list[Link]] = {}
        for link in effective_links(finding, self.study):
            groups.setdefault((link.coder, link.how), []).append(link)
        elements = [str(e) for e in finding.get("elements") or []]
        absent = [str(e) for e in finding.get("absent_elements") or []]
        made = []
        for (coder, how), links in sorted(groups.items()):
            sel, base = self.selection(parent, finding, span, f"{coder}/{how}")
            made.append(sel)
            for link in links:
                self.coding(sel, base, "guidance", link.guidance, coder, link.day)
            self.coding(sel, base, "relation", how, coder, links[0].day)
            bucket = absent if how == "absent" else elements
            for eid in bucket:
                self.coding(sel, base, "element", eid, coder, links[0].day)
            bucket.clear()
        if elements or not (made or absent):  # a passage recording only absence has no present elements
            sel, base = self.selection(parent, finding, span, "elements", part="elements")
            for eid in elements:
                self.coding(sel, base, "element", eid, self.default_coder, "")
        if absent:
            sel, base = self.selection(parent, finding, span, "absent")
            self.coding(sel, base, "relation", "absent", self.default_coder, "")
            for eid in absent:
                self.coding(sel, base, "element", eid, self.default_coder, "")


def _locate(text: str, passage: str) -> tuple[int, int] | None:
    """Where a whitespace-normalised passage stands in a text (any run of white space matches)."""
    words = passage.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (found.start(), found.end()) if found else None


def assemble(findings: list[dict[str, Any]], ingested: str | None = None) -> tuple[str, list[tuple[int, int]]]:
    """A document's text and each finding's span in it (code points): the ingested text, else the
    passages; a passage already in the text is not written again."""
    text, spans = ingested or "", []
    for finding in findings:
        passage = normalise(str(finding["text"]))
        span = _locate(text, passage)
        if span is None:
            if text:
                text += SEPARATOR
            span = (len(text), len(text) + len(passage))
            text += passage
        spans.append(span)
    return text, spans


def project_xml(
    name: str,
    study: dict[str, Any],
    documents: list[tuple[dict[str, Any], str | None]],
    codes: list[Code],
    origin: str,
    convention: str = "codepoints",
) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` document and the source texts (member name -> text).

    ``documents`` pairs each document with its ingested text (None where there is none).
    """
    writer = _Writer(study, codes)
    attrs = {"xmlns": PROJECT_NS, "name": name, "origin": f"{origin}; offsets: {convention}"}
    root = ET.Element("Project", attrs)
    users = ET.SubElement(root, "Users")
    for coder in study.get("coders") or []:
        attrs = {"guid": writer.user_guid(str(coder["id"])), "name": str(coder.get("name", coder["id"]))}
        ET.SubElement(users, "User", {**attrs, "id": str(coder["id"])})
    book = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    for code in codes:
        book.append(code_element(code))
    sources = ET.SubElement(root, "Sources")
    texts: dict[str, str] = {}
    for doc, ingested in documents:
        findings = list(doc.get("findings") or [])
        if not findings:
            continue
        guid = guid_for(str(document_iri(str(doc["id"]))))
        text, points = assemble(findings, ingested)
        spans = [(position(text, a, convention), position(text, b, convention)) for a, b in points]
        texts[f"sources/{guid}.txt"] = text
        attrs = {"guid": guid, "name": str(doc["id"]), "plainTextPath": f"internal://{guid}.txt"}
        source = ET.SubElement(sources, "TextSource", attrs)
        ET.SubElement(source, "Description").text = str(doc.get("title", ""))
        for finding, span in zip(findings, spans, strict=True):
            writer.finding(source, finding, span)
    if not users:
        root.remove(users)
    ET.indent(root, space="  ")
    head = b'<?xml version="1.0" encoding="utf-8"?>\n'
    return head + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n", texts


def qdpx_bytes(xml: bytes, texts: dict[str, str]) -> bytes:
    """The ``.qdpx`` archive: ``project.qde`` and the ``sources/`` folder, UTF-8 text without BOM."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_member("project.qde"), xml)
        for member, text in sorted(texts.items()):
            zf.writestr(_member(member), text.encode("utf-8"))
    return buffer.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    """An archive entry with a fixed time stamp and mode, so the same study gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def export_study(folder: Path, codes: list[Code], origin: str, tool: str | None = None) -> tuple[bytes, bytes]:
    """(project.qde, .qdpx archive) for the study in ``folder``, offsets for ``tool`` (nvivo, atlasti,
    maxqda; None: code points, as the REFI-QDA specification says)."""
    from plangraf.qda.studyfiles import StudyFiles

    files = StudyFiles.read(folder)
    documents = []
    for _, doc in sorted(files.documents().values(), key=lambda pair: str(pair[1]["id"])):
        path = folder / "texts" / f"{doc['id']}.txt"
        ingested = path.read_bytes().decode("utf-8-sig") if path.is_file() else None  # CRLF kept
        documents.append((doc, ingested))
    convention = TOOLS[tool] if tool else "codepoints"
    name = str(files.plain_study.get("id", folder.name))
    xml, texts = project_xml(name, files.plain_study, documents, codes, origin, convention)
    return xml, qdpx_bytes(xml, texts)
