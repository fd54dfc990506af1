"""Generated REFI-QDA projects for the tests, written here by hand (not with plangraf's writer), so
that import is tested against XML the tests control: users, codes, sources, selections, codings."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

PGID = "https://w3id.org/plangraf/id/"
NS = "urn:QDA-XML:project:1.0"


def code_guid(iri_tail: str) -> str:
    """The GUID plangraf's codebook gives a code: a name-based UUID of its IRI."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, PGID + iri_tail)).upper()


def guid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, seed)).upper()


def offset(text: str, index: int, convention: str) -> int:
    """A code-point index counted the way a tool counts (FACTS.md), computed independently."""
    head = text[:index]
    if convention == "utf16":
        return len(head.encode("utf-16-le")) // 2
    if convention == "codepoints-lf":
        return len(head.replace("\r\n", "\n"))
    return len(head)


@dataclass
class Sel:
    start: int
    end: int
    user: str
    codes: list[str]  # code GUIDs
    name: str = ""
    date: str = "2026-11-20T10:00:00Z"  # Coding@creationDateTime
    sel_date: str = ""  # PlainTextSelection@creationDateTime (none if empty)
    seed: str = ""


@dataclass
class Src:
    name: str
    text: str
    selections: list[Sel] = field(default_factory=list)
    bom: bool = False
    file_guid: str = ""
    variable: str = ""  # a value for the variable 'plangraf-document'
    case: str = ""  # the name of a case that lists this source


def code_tree(codes: dict[str, str], parents: dict[str, str], parent: str = "") -> str:
    """``<Code>`` elements, nested as ``parents`` (child GUID -> parent GUID) says."""
    out = []
    for g, n in codes.items():
        if parents.get(g, "") == parent:
            inner = code_tree(codes, parents, g)
            tail = f">{inner}</Code>" if inner else "/>"
            out.append(f'<Code guid="{g}" name={quoteattr(n)} isCodable="true"{tail}')
    return "".join(out)


def qde(
    origin: str,
    users: dict[str, str],
    codes: dict[str, str],
    sources: list[Src],
    ns: str = NS,
    parents: dict[str, str] | None = None,
) -> str:
    """project.qde text; users and codes map GUID -> name; ``parents`` nests codes (child -> parent)."""
    out = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{ns}" name="generated" origin={quoteattr(origin)}>'
    ]
    out.append("<Users>" + "".join(f"<User guid={quoteattr(g)} name={quoteattr(n)}/>" for g, n in users.items()))
    out.append("</Users><CodeBook><Codes>")
    out.append(code_tree(codes, parents or {}))
    out.append("</Codes></CodeBook>")
    variable = guid("variable-plangraf-document")
    out.append(f'<Variables><Variable guid="{variable}" name="plangraf-document" typeOfVariable="Text"/></Variables>')
    cases = [
        f'<Case guid="{guid("case-" + s.name)}" name={quoteattr(s.case)}>'
        f'<SourceRef targetGUID="{guid("src-" + s.name)}"/></Case>'
        for s in sources
        if s.case
    ]
    if cases:
        out.append("<Cases>" + "".join(cases) + "</Cases>")
    out.append("<Sources>")
    for i, src in enumerate(sources):
        src.file_guid = src.file_guid or guid(f"file-{src.name}-{i}")
        attrs = f'guid="{guid("src-" + src.name)}" name={quoteattr(src.name)} plainTextPath="internal://{src.file_guid}.txt"'
        out.append(f"<TextSource {attrs}>")
        for j, sel in enumerate(src.selections):
            sg = guid(sel.seed or f"sel-{src.name}-{j}")
            out.append(
                f'<PlainTextSelection guid="{sg}" name={quoteattr(sel.name)} startPosition="{sel.start}" '
                f'endPosition="{sel.end}" creatingUser="{sel.user}"'
                + (f' creationDateTime="{sel.sel_date}">' if sel.sel_date else ">")
            )
            for k, code in enumerate(sel.codes):
                cg = guid(f"coding-{sg}-{k}")
                out.append(
                    f'<Coding guid="{cg}" creatingUser="{sel.user}" creationDateTime="{sel.date}">'
                    f'<CodeRef targetGUID="{code}"/></Coding>'
                )
            out.append("</PlainTextSelection>")
        if src.variable:
            out.append(
                f'<VariableValue><VariableRef targetGUID="{variable}"/>'
                f"<TextValue>{src.variable}</TextValue></VariableValue>"
            )
        out.append("</TextSource>")
    out.append("</Sources></Project>\n")
    return "\n".join(out)


def write_qdpx(
    path: Path, project: str, sources: list[Src], folder: str = "sources", extra: dict | None = None
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", project)
        for src in sources:
            data = src.text.encode("utf-8")
            zf.writestr(f"{folder}/{src.file_guid}.txt", (b"\xef\xbb\xbf" if src.bom else b"") + data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


# Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, section A: binary data, two
# observers; published alpha = 0.095.
KRIPPENDORFF_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
KRIPPENDORFF_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


# The generated project: two coders, three documents, ten passages. Both coders select every
# passage and code it with G2; G1 follows Krippendorff's binary example above, passage by passage.
DOCS = [
    "haugesund-kommuneplan-samfunnsdel-2014-2030",
    "karmoy-ikt-digitaliseringsstrategi",
    "larvik-digitaliseringsstrategi-2018-2020",
]
SPLIT = [4, 3, 3]
G1 = code_guid("guidance/meld-st-27/brukeren-i-sentrum")
G2 = code_guid("guidance/meld-st-27/digital-kompetanse-deltakelse")
REL, ELEMENT = code_guid("relation/thematic"), code_guid("egovwsf/information")
A, B = guid("coder-a"), guid("coder-b")


def two_coder_project(path: Path) -> Path:
    sources, k = [], 0
    for doc, count in zip(DOCS, SPLIT, strict=True):
        sentences = [f"Setning nummer {k + i} handler om tema {k + i} i kommunen." for i in range(count)]
        text = "\r\n".join(sentences)
        src = Src(doc, text)
        pos = 0
        for sentence in sentences:
            for user, flags in ((A, KRIPPENDORFF_A), (B, KRIPPENDORFF_B)):
                codes = [G2, REL, ELEMENT] + ([G1] if flags[k] else [])
                src.selections.append(Sel(pos, pos + len(sentence), user, codes, name=sentence, seed=f"{user}{k}"))
            pos += len(sentence) + 2
            k += 1
        sources.append(src)
    codes = {G1: "G1", G2: "G2", REL: "Tematisk", ELEMENT: "Informasjon"}
    return write_qdpx(path, qde("MAXQDA 24", {A: "Coder A", B: "Coder B"}, codes, sources), sources)
