"""Read a REFI-QDA project (``.qdpx`` archive, or a bare ``.qde`` with its sources folder).

Parsing goes through defusedxml (no DTDs, no entities); schema validation through lxml. Every
error is one line naming the archive member, the element and its GUID.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import max_input_bytes
from plangraf.qda.archive import ProjectFiles, source_name
from plangraf.qda.refi_xml import (
    PROJECT_NS,
    PROJECT_XSD,
    kind_of,
    local,
    namespace,
    norm_guid,
    schema_dir,
    validate,
)

OFFSET_CONVENTIONS = ("utf16", "codepoints", "codepoints-lf")


@dataclass
class Coding:
    guid: str
    code: str  # normalised GUID of the code
    user: str  # normalised GUID of the user ("" if none)
    created: str  # creationDateTime as written ("" if none)


@dataclass
class Selection:
    guid: str
    name: str
    start: int
    end: int
    user: str
    created: str
    description: str
    codings: list[Coding] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    name: str
    element: str  # TextSource | PDFSource | ...
    text_path: str  # plainTextPath of the source or its text representation ("" if the text is inline)
    inline_text: str | None
    description: str = ""
    selections: list[Selection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    skipped: int = 0  # selections with no text (PDF regions, pictures, media)
    whole: int = 0  # codings of the whole source (no passage)


@dataclass
class Case:
    name: str
    sources: list[str]
    variables: dict[str, str]


@dataclass
class Project:
    """What plangraf reads from a project: users, codes, text sources with selections, cases."""

    archive: str
    member: str  # the project member (project.qde) or the bare file name
    name: str
    origin: str
    users: dict[str, str]  # guid -> name
    user_ids: dict[str, str]  # guid -> User@id (initials or a slug), "" if none
    codes: dict[str, tuple[str, str]]  # guid -> (name, description)
    parents: dict[str, str]  # code guid -> the guid of the code it is nested in (top codes: absent)
    sources: list[Source]
    cases: list[Case]
    warnings: list[str]
    reader: SourceReader

    def text_of(self, source: Source) -> str:
        """The plain text that the source's offsets index, BOM removed."""
        if source.inline_text is not None:
            return source.inline_text
        return self.reader.text(source)


class SourceReader:
    """Reads source texts from the archive or from the folder beside a bare ``.qde`` (never outside it)."""

    def __init__(self, archive: Path, files: ProjectFiles) -> None:
        self.archive = archive
        self.files = files

    def text(self, source: Source) -> str:
        try:
            name = source_name(source.text_path)
        except ValueError as exc:
            raise PlangrafError(f"{source.element} {source.guid}: {exc}", file=str(self.archive)) from None
        raw = self.files.source(name)
        if raw is None:
            raise PlangrafError(
                f"{source.element} {source.guid} ({source.name!r}): source file missing from the archive: "
                f"{self.files.where(name)}",
                file=str(self.archive),
            )
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlangrafError(
                f"{source.element} {source.guid}: source text is not UTF-8 (byte {exc.start})",
                file=f"{self.archive}!sources/{name}",
            ) from None


def _open(path: Path) -> tuple[bytes, str, ProjectFiles]:
    """The project XML, its member name and the project's files (an archive or the .qde's folder)."""
    if not path.is_file():
        raise PlangrafError("file not found", file=str(path))
    if path.stat().st_size > max_input_bytes():
        raise PlangrafError("file is over the input limit (raise it with PLANGRAF_MAX_INPUT_MB)", file=str(path))
    if zipfile.is_zipfile(path):
        files = ProjectFiles.open_zip(path)
        info = files.project_member()
        return files.read_member(info), info.filename, files
    files = ProjectFiles.open_folder(path)
    data = path.read_bytes()
    files.used = len(data)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise PlangrafError("not a ZIP archive and not QDA-XML: expected a .qdpx, .qde or .qdc file", file=str(path))
    return data, path.name, files


def _parse(data: bytes, archive: Path, member: str) -> ET.Element:
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise PlangrafError(f"{member}: refused XML construct: {exc}", file=str(archive)) from None
    except ET.ParseError as exc:
        raise PlangrafError(f"{member}: not well-formed XML: {exc}", file=str(archive)) from None


def _check_kind(root: ET.Element, archive: Path, member: str) -> list[str]:
    kind = kind_of(namespace(root.tag))
    if kind is None or local(root.tag) not in ("Project", "CodeBook"):
        raise PlangrafError(
            f"{member}: root element <{local(root.tag)}> in namespace {namespace(root.tag)!r} is not QDA-XML",
            file=str(archive),
        )
    if kind[0] == "codebook" or local(root.tag) == "CodeBook":
        raise PlangrafError(
            f"{member}: a REFI-QDA codebook, not a project; it holds no text codings to import", file=str(archive)
        )
    if kind[1] != "1.0":
        return [f"{member}: namespace {namespace(root.tag)!r} is not urn:QDA-XML:project:1.0; read as 1.0"]
    return []


def _schema_check(data: bytes, root: ET.Element, xsd_dir: Path, archive: Path, member: str) -> None:
    """Validate against the project XSD; a namespace variant is a known quirk (FACTS.md): warned, then validated."""
    ns = namespace(root.tag)
    if ns != PROJECT_NS:
        data = data.replace(ns.encode(), PROJECT_NS.encode())
    problems = validate(data, xsd_dir / PROJECT_XSD)
    if problems:
        first = problems[0]
        raise PlangrafError(
            f"{member}:{first.line}: fails the REFI-QDA project schema: {first.message}", file=str(archive)
        )


def read_project(path: Path, xsd_dir: Path | None = None) -> Project:
    """Read and check a ``.qdpx`` or bare ``.qde``; source texts are read on demand.

    The project is always validated against the REFI-QDA project schema (``xsd_dir`` overrides
    where the schema is read from; see :func:`plangraf.qda.refi_xml.schema_dir`).
    """
    path = Path(path)
    data, member, files = _open(path)
    root = _parse(data, path, member)
    warnings = _check_kind(root, path, member)
    _schema_check(data, root, schema_dir(xsd_dir), path, member)
    reader = SourceReader(path, files)
    variables = {norm_guid(v.get("guid")): v.get("name", "") for v in _all(root, "Variable")}
    project = Project(
        archive=str(path),
        member=member,
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        users={norm_guid(u.get("guid")): u.get("name") or u.get("id") or "" for u in _all(root, "User")},
        user_ids={norm_guid(u.get("guid")): u.get("id") or "" for u in _all(root, "User")},
        codes={norm_guid(c.get("guid")): (c.get("name", ""), _description(c)) for c in _all(root, "Code")},
        parents={
            norm_guid(child.get("guid")): norm_guid(code.get("guid"))
            for code in _all(root, "Code")
            for child in _children(code, "Code")
        },
        sources=[],
        cases=[_case(c, variables) for c in _all(root, "Case")],
        warnings=warnings,
        reader=reader,
    )
    try:
        for sources in _children(root, "Sources"):
            for elem in sources:
                project.sources.append(_source(elem, variables))
    except PlangrafError as exc:
        raise PlangrafError(f"{member}: {exc.message}", file=str(path)) from None
    return project


def _all(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if local(e.tag) == name]


def _children(elem: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in elem if local(e.tag) == name]


def _description(elem: ET.Element) -> str:
    found = _children(elem, "Description")
    return (found[0].text or "") if found else ""


def _values(elem: ET.Element, variables: dict[str, str]) -> dict[str, str]:
    out = {}
    for value in _children(elem, "VariableValue"):
        ref = _children(value, "VariableRef")
        name = variables.get(norm_guid(ref[0].get("targetGUID")), "") if ref else ""
        texts = [e.text or "" for e in value if local(e.tag).endswith("Value")]
        if name and texts:
            out[name] = texts[0].strip()
    return out


def _case(elem: ET.Element, variables: dict[str, str]) -> Case:
    refs = [norm_guid(r.get("targetGUID")) for r in _children(elem, "SourceRef")]
    return Case(elem.get("name", ""), refs, _values(elem, variables))


def _codings(elem: ET.Element) -> list[Coding]:
    out = []
    for coding in _children(elem, "Coding"):
        ref = _children(coding, "CodeRef")
        out.append(
            Coding(
                guid=norm_guid(coding.get("guid")),
                code=norm_guid(ref[0].get("targetGUID")) if ref else "",
                user=norm_guid(coding.get("creatingUser")),
                created=coding.get("creationDateTime", ""),
            )
        )
    return out


def _selection(elem: ET.Element) -> Selection:
    guid = norm_guid(elem.get("guid"))
    try:
        start, end = int(elem.get("startPosition", "")), int(elem.get("endPosition", ""))
    except ValueError:
        raise PlangrafError(f"PlainTextSelection {guid}: startPosition/endPosition is not an integer") from None
    return Selection(
        guid=guid,
        name=elem.get("name", ""),
        start=start,
        end=end,
        user=norm_guid(elem.get("creatingUser")),
        created=elem.get("creationDateTime", ""),
        description=_description(elem),
        codings=_codings(elem),
    )


def _source(elem: ET.Element, variables: dict[str, str]) -> Source:
    kind = local(elem.tag)
    text_holder = elem
    if kind == "PDFSource":
        reps = _children(elem, "Representation")
        text_holder = reps[0] if reps else elem
    inline = _children(text_holder, "PlainTextContent")
    source = Source(
        guid=norm_guid(elem.get("guid")),
        name=elem.get("name", ""),
        element=kind,
        text_path=text_holder.get("plainTextPath", "") if text_holder is not elem or kind == "TextSource" else "",
        inline_text=(inline[0].text or "") if inline else None,
        description=_description(elem),
        variables=_values(elem, variables),
    )
    if kind in ("TextSource", "PDFSource"):
        source.selections = [_selection(s) for s in _children(text_holder, "PlainTextSelection")]
    source.whole = len(_children(elem, "Coding"))
    source.skipped = sum(
        1
        for e in elem.iter()
        if local(e.tag) in ("PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection")
    )
    return source
