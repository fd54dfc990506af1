"""plangraf's codebook as REFI-QDA codes: guidance (documents, goals, sub-goals), eGovWSF elements
and relation kinds, each with a GUID derived from its IRI so that it is the same on every run."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from plangraf.qda.refi_xml import CODEBOOK_NS, guid_for
from plangraf.rdf.namespaces import DCTERMS, PGID, RDF, RDFS, SKOS

# the relation kinds, strongest first; labels and definitions come from data/reference/vocabularies.ttl
RELATION_KINDS = ("explicit-reference", "verbatim", "paraphrase", "thematic", "absent")
GROUPS = {
    "guidance": ("Nasjonale føringer", "Veiledningsdokumenter, deres mål og delmål (plangraf guidance)."),
    "element": ("eGovWSF-elementer", "Elementene i eGovWSF (Lindgren, Melin og Sæbø 2021)."),
    "relation": ("Relasjon", "Hvordan passasjen forholder seg til veiledningen: én relasjonskode per passasje."),
}


@dataclass
class Code:
    """One code: what it stands for in plangraf (kind, id), its IRI, name and description."""

    kind: str  # guidance | element | relation | group
    ident: str
    iri: str
    name: str
    description: str
    codable: bool = True
    children: list[Code] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return guid_for(self.iri)

    def walk(self) -> list[Code]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


def _nb(graph: Graph, node: URIRef, *props: URIRef) -> str:
    for prop in props:
        values = sorted(graph.objects(node, prop), key=lambda v: (str(v), getattr(v, "language", None) or ""))
        for value in values:
            if getattr(value, "language", None) == "nb":
                return " ".join(str(value).split())
        if values and prop in (SKOS.notation, DCTERMS.identifier):
            return str(values[0])
    return ""


def _natural(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _describe(graph: Graph, node: URIRef, ident: str) -> str:
    text = _nb(graph, node, SKOS.definition, DCTERMS.description)
    tail = f"plangraf: {ident} <{node}>"
    return f"{text}\n\n{tail}" if text else tail


def _guidance_codes(graph: Graph) -> list[Code]:
    base = str(PGID) + "guidance/"
    nodes = {
        str(s)[len(base) :]: s
        for s in sorted(set(graph.subjects(DCTERMS.identifier, None)), key=str)
        if isinstance(s, URIRef) and str(s).startswith(base) and not str(s).endswith("/goals")
    }
    codes: dict[str, Code] = {}
    for ident, node in nodes.items():
        label = _nb(graph, node, SKOS.prefLabel, RDFS.label) or ident
        notation = _nb(graph, node, SKOS.notation) if "/" in ident else ""
        name = f"{notation} {label}" if notation else label
        codes[ident] = Code("guidance", ident, str(node), name, _describe(graph, node, f"guidance/{ident}"))
    roots: list[Code] = []
    for ident, node in nodes.items():
        parent = _guidance_parent(graph, ident, node, base)
        (codes[parent].children if parent in codes else roots).append(codes[ident])

    def order(code: Code) -> tuple[list[object], str]:
        # the id breaks ties (codes without a notation), so the order never depends on set order
        return _natural(_nb(graph, URIRef(code.iri), SKOS.notation) if "/" in code.ident else code.ident), code.ident

    for code in codes.values():
        code.children.sort(key=order)
    return sorted(roots, key=lambda c: c.ident)


def _guidance_parent(graph: Graph, ident: str, node: URIRef, base: str) -> str | None:
    """A goal's broader goal or its document; an edition's work; a document has none."""
    for prop in (SKOS.broader, DCTERMS.isVersionOf):
        for parent in graph.objects(node, prop):
            if str(parent).startswith(base):
                return str(parent)[len(base) :]
    return ident.split("/", 1)[0] if "/" in ident else None


def _element_codes(graph: Graph) -> list[Code]:
    """The eGovWSF elements, grouped by their position in the model's figure.

    Elements are the scheme's concepts; positions are ``skos:Collection``s of them
    (``skos:member``). A collection all of whose members lie in a larger one (plangraf's own
    "partly outside the work system", inside the thesis's "inside the frame") is not a group of
    its own, so that every element is coded once; an element in no position is a top code.
    """
    base = str(PGID) + "egovwsf/"
    scheme = URIRef(str(PGID) + "egovwsf")
    elements = {
        e
        for e in graph.subjects(SKOS.inScheme, scheme)
        if isinstance(e, URIRef) and (e, RDF.type, SKOS.Collection) not in graph
    }
    positions: dict[URIRef, set[URIRef]] = {
        c: {m for m in graph.objects(c, SKOS.member) if isinstance(m, URIRef) and m in elements}
        for c in graph.subjects(RDF.type, SKOS.Collection)
        if isinstance(c, URIRef) and str(c).startswith(base)
    }
    groups = [c for c, members in positions.items() if members and not any(members < o for o in positions.values())]

    def element_code(element: URIRef) -> Code:
        eid = str(element)[len(base) :]
        name = _nb(graph, element, SKOS.prefLabel) or eid
        return Code("element", eid, str(element), name, _describe(graph, element, f"egovwsf/{eid}"))

    codes = []
    grouped: set[URIRef] = set()  # an element is coded once, in the first group that has it
    for group in sorted(groups, key=str):
        ident = str(group)[len(base) :]
        code = Code(
            "group",
            ident,
            str(group),
            _nb(graph, group, SKOS.prefLabel) or ident,
            _describe(graph, group, f"egovwsf/{ident}"),
            codable=False,
        )
        code.children = [element_code(e) for e in sorted(positions[group] - grouped, key=str)]
        grouped |= positions[group]
        codes.append(code)
    return codes + [element_code(e) for e in sorted(elements - grouped, key=str)]


def _relation_codes(graph: Graph) -> list[Code]:
    codes = []
    for how in RELATION_KINDS:
        node = URIRef(f"{PGID}relation/{how}")
        label = _nb(graph, node, SKOS.prefLabel) or how
        codes.append(
            Code("relation", how, str(node), label[:1].upper() + label[1:], _describe(graph, node, f"relation/{how}"))
        )
    return codes


def build_codebook(reference_dir: Path) -> list[Code]:
    """The codebook's top-level codes, read from ``guidance.ttl``, ``egovwsf.ttl`` and ``vocabularies.ttl``."""
    from plangraf.rdf.files import parse_file

    graph = Graph()
    for name in ("guidance.ttl", "egovwsf.ttl", "vocabularies.ttl"):
        graph += parse_file(reference_dir / name)
    parts = {"guidance": _guidance_codes(graph), "element": _element_codes(graph), "relation": _relation_codes(graph)}
    tops = []
    for kind, children in parts.items():
        label, text = GROUPS[kind]
        iri = f"{PGID}codebook/{kind}"
        tops.append(Code("group", kind, iri, label, text, codable=False, children=children))
    return tops


def code_index(codes: list[Code]) -> dict[str, Code]:
    """GUID -> code, for every code in the tree."""
    return {code.guid: code for top in codes for code in top.walk()}


def code_element(code: Code, tag: str = "Code") -> ET.Element:
    """A ``<Code>`` element with its description and children (the namespace is set by the caller)."""
    attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
    elem = ET.Element(tag, attrs)
    ET.SubElement(elem, "Description").text = code.description
    for child in code.children:
        elem.append(code_element(child, tag))
    return elem


def codebook_xml(codes: list[Code], origin: str) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (namespace ``urn:QDA-XML:codebook:1.0``)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    wrapper = ET.SubElement(root, "Codes")
    for code in codes:
        wrapper.append(code_element(code))
    ET.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )
