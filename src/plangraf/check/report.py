"""One validation report, rendered four ways: text for people, JSON, JUnit XML for CI test
reports (GitLab, Jenkins) and GitHub Actions workflow commands (annotations on the YAML line).

Each result names its focus node, path, shape, severity and message, and where the focus node
was read: the study file and line, from the loader's ``locations`` (kept in the build's
manifest). A link's IRI (``<finding>/link/<n>``) falls back to its finding; a municipality to
the ``municipality:`` key line of its file.

A load error (broken YAML, an impossible date, an unknown id: a :class:`PlangrafError` while the
study is read) is a result too, of severity ``Error`` at the file and line the error names, so
CI formats show it like a Violation; the exit code stays 2.

A shape's message is one ``sh:message`` per language (plangraf's shapes: Norwegian and English).
A result stays one result; text, JUnit and GitHub show its English message, JSON gives it as
``message`` and every language's under ``messages`` (``{"en": …, "nb": …}``; ``"und"`` for a
message without a language tag, such as pyshacl's own for a constraint without ``sh:message``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from rdflib import Graph

from plangraf.check.results import NO_LANGUAGE, ValidationIssue, ValidationReport, short_name
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.rdf.bridge import DatasetText

_ORDER = {"Error": 0, "Violation": 1, "Warning": 2, "Info": 3}
_GITHUB_LEVEL = {"Error": "error", "Violation": "error", "Warning": "warning", "Info": "notice"}
_FAILING = ("Error", "Violation")
LOAD_ERROR = "plangraf load"
"""The ``shape`` of a load error's result."""
_MUNICIPALITY = "https://w3id.org/plangraf/id/municipality/"

Locations = Mapping[str, Sequence[Any]]


@dataclass(frozen=True)
class Result:
    severity: str
    focus: str
    path: str | None
    shape: str
    message: str
    value: str | None = None
    file: str | None = None
    line: int | None = None
    messages: Mapping[str, str] = field(default_factory=dict, hash=False)  # by language


_RESULT_FIELDS = [f.name for f in fields(Result) if f.name != "messages"]


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.severity for r in self.results)

    @property
    def has_violations(self) -> bool:
        return any(r.severity in _FAILING for r in self.results)

    def summary(self) -> str:
        c = self.counts
        if c.get("Error"):
            return f"Not validated: the study does not load ({c['Error']} error(s))."
        total = f"{c.get('Violation', 0)} violation(s), {c.get('Warning', 0)} warning(s), {c.get('Info', 0)} info"
        verdict = "Conforms: no violations." if not self.has_violations else "Does not conform."
        return f"{verdict} {total}."


def study_notes(study: Path, cache: Path | None = None) -> list[Result]:
    """Warnings on the study's files that SHACL cannot see: placeholders left from ``plangraf
    init`` (``TODO: …``) and respondents in study.yaml without a municipality file. ``cache``:
    a file keeping each study file's placeholders by the SHA-256 of its bytes, so that only
    files not seen before are parsed (it is used only when its own SHA-256 checks)."""
    from plangraf.study.placeholders import find_placeholders, respondents_without_file

    known = _read_known(cache) if cache is not None else None
    found = find_placeholders(study, known)
    if cache is not None and known is not None and known.changed:
        _write_known(cache, known)
    notes = [
        Result("Warning", p.field, None, "plangraf placeholder", p.message(), p.value, _relative(p.file), p.line)
        for p in found
    ]
    for p in respondents_without_file(study):
        message = f"respondent '{p.value}' has no file {p.value}.yaml in the study: add it or remove the response"
        notes.append(
            Result("Warning", p.field, None, "plangraf respondent", message, p.value, _relative(p.file), p.line)
        )
    return [replace(n, messages={"en": n.message}) for n in notes]


class _Known(dict[str, Any]):
    """Placeholders by file digest; remembers which entries this run used or added."""

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__(entries)
        self.used: set[str] = set()
        self.changed = False

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.changed = True
        super().__setitem__(key, value)


def _read_known(path: Path) -> _Known:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if data["sha256"] == _files_digest(files):
            return _Known({key: [tuple(entry) for entry in value] for key, value in files.items()})
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return _Known({})


def _write_known(path: Path, known: _Known) -> None:
    from plangraf.core.atomic import write_atomic

    files = {key: [list(entry) for entry in known[key]] for key in sorted(known.used)}
    try:
        write_atomic(path, json.dumps({"sha256": _files_digest(files), "files": files}, ensure_ascii=False))
    except OSError:
        pass  # a folder that cannot be written keeps no cache


def _files_digest(files: Any) -> str:
    import hashlib

    text = json.dumps(files, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def from_error(error: PlangrafError) -> Report:
    """The report of a study that does not load: one ``Error`` result at the error's place."""
    file = _relative(str(error.file)) if error.file else None
    result = Result(
        "Error", error.field or "", None, LOAD_ERROR, error.message, None, file, error.line, {"en": error.message}
    )
    return Report(conforms=False, results=[result])


def locate(focus: str, locations: Locations, study: Path | None = None) -> tuple[str | None, int | None]:
    """The study file and line ``focus`` was read from: its own entry, else the longest
    known IRI it extends (a link of a finding), else the first line of a municipality's file."""
    entry = locations.get(focus)
    end = len(focus)
    while entry is None and (end := focus.rfind("/", 0, end)) > 0:  # the longest known parent first
        entry = locations.get(focus[:end])
    if entry is None and focus.startswith(_MUNICIPALITY) and study is not None:
        candidate = Path(study) / (focus[len(_MUNICIPALITY) :] + ".yaml")
        entry = [str(candidate), _key_line(candidate, "municipality")] if candidate.is_file() else None
    if entry is None:
        return None, None
    return _relative(str(entry[0])), int(entry[1]) if len(entry) > 1 and entry[1] else None


def _key_line(path: Path, key: str) -> int:
    """The line of a top-level ``key:`` in a YAML file (1 when it has none)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 1)


def _relative(file: str) -> str:
    """A path relative to the current folder when it is inside it (what CI annotations need)."""
    return _relative_to(file, os.getcwd())


@lru_cache(maxsize=4096)
def _relative_to(file: str, cwd: str) -> str:
    """:func:`_relative` once per file and folder (a study's results share few files)."""
    try:
        return os.path.relpath(file, cwd) if Path(file).resolve().is_relative_to(Path(cwd).resolve()) else file
    except ValueError:  # another drive on Windows
        return file


def from_validation(report: ValidationReport, locations: Locations, study: Path | None = None) -> Report:
    """The report model: every SHACL result with its source file and line (``study``: the
    folder of the municipality files), in a stable order."""
    results = []
    _relative_to.cache_clear()  # resolved once per file for this report, not for the process
    for issue in sorted(report.issues, key=_issue_order):
        file, line = locate(issue.focus, locations, study)
        messages = dict(issue.messages) or ({NO_LANGUAGE: issue.message} if issue.message else {})
        results.append(
            Result(
                issue.severity, issue.focus, issue.path, issue.shape, issue.message, issue.value, file, line, messages
            )
        )
    return Report(conforms=report.conforms and not report.has_violations, results=results)


def _issue_order(issue: ValidationIssue) -> tuple[Any, ...]:
    """Severity, shape, focus node and path, then whatever else tells two results apart: one
    order, whatever order the engine gave them in."""
    messages = sorted(issue.messages.items())
    return (
        _ORDER.get(issue.severity, 3),
        issue.shape,
        issue.focus,
        issue.path or "",
        issue.value or "",
        issue.message,
        messages,
    )


def render(report: Report, fmt: str) -> str:
    """The report as ``text``, ``json``, ``junit`` or ``github``."""
    renderers = {"text": render_text, "json": render_json, "junit": render_junit, "github": render_github}
    return renderers[fmt](report)


def _where(result: Result) -> str:
    if result.file is None:
        return ""
    return f"{result.file}:{result.line}" if result.line else result.file


def render_text(report: Report) -> str:
    lines = []
    for r in report.results:
        path = f" {short_name(r.path)}" if r.path else ""
        value = f" = {short_name(r.value)}" if r.value and r.value != r.focus else ""
        at = f"\n          at {_where(r)}" if r.file else ""
        lines.append(
            f"{r.severity:<9} {short_name(r.shape)}  {short_name(r.focus)}{path}{value}\n          {r.message}{at}"
        )
    lines.append(report.summary())
    return "\n".join(lines)


def render_json(report: Report) -> str:
    data = {
        "conforms": not report.has_violations,
        "counts": {name: report.counts.get(name, 0) for name in _ORDER if name != "Error" or report.counts.get(name)},
        "results": [_json_result(r) for r in report.results],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _json_result(result: Result) -> dict[str, Any]:
    """A result for JSON: ``message`` (English) followed by ``messages`` (every language)."""
    out: dict[str, Any] = {}
    for name in _RESULT_FIELDS:  # not dataclasses.asdict: it deep-copies every value, slowly
        out[name] = getattr(result, name)
        if name == "message":
            out["messages"] = dict(result.messages)
    return out


def render_junit(report: Report, now: dt.datetime | None = None) -> str:
    """Ant/Jenkins JUnit XML: one test case per result; a load Error and a Violation are
    failures, Warnings and Info pass and are listed in the suite's system-out. Valid against
    the Ant and the Jenkins JUnit schemas (``properties`` holds plangraf's version, never empty)."""
    stamp = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    cases = report.results or [Result("Info", "study", None, "plangraf validate", "conforms")]
    suite = ET.Element(
        "testsuite",
        {
            "name": "plangraf validate",
            "tests": str(len(cases)),
            "failures": str(sum(report.counts.get(name, 0) for name in _FAILING)),
            "errors": "0",
            "time": "0",
            "timestamp": stamp,
            "hostname": socket.gethostname() or "localhost",
        },
    )
    properties = ET.SubElement(suite, "properties")  # the Ant schema needs it, Jenkins' not empty
    ET.SubElement(properties, "property", {"name": "plangraf.version", "value": _version()})
    for r in cases:
        name = " ".join(filter(None, [short_name(r.focus), short_name(r.path)])) or _where(r) or "study"
        case = ET.SubElement(suite, "testcase", {"classname": short_name(r.shape), "name": name, "time": "0"})
        if r.severity in _FAILING:
            failure = ET.SubElement(case, "failure", {"message": r.message, "type": r.severity})
            failure.text = f"{_where(r) or short_name(r.focus)}: {r.message}"
    notes = [f"{_where(r) or short_name(r.focus)}: {r.severity}: {r.message}" for r in report.results]
    ET.SubElement(suite, "system-out").text = "\n".join(notes + [report.summary()])
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plangraf")
    except PackageNotFoundError:
        return "unknown"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,title=…::message``."""
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_escape_property(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
        props.append(f"title={_escape_property(short_name(r.shape))}")
        focus = " ".join(filter(None, [short_name(r.focus), short_name(r.path)]))
        text = f"{focus}: {r.message}" if focus else r.message
        lines.append(f"::{_GITHUB_LEVEL.get(r.severity, 'notice')} {','.join(props)}::{_escape_data(text)}")
    lines.append(report.summary())
    return "\n".join(lines)


def manifest_locations(build_dir: Path) -> dict[str, Any]:
    """The loader's locations kept in ``build/manifest.json`` (empty when there are none)."""
    try:
        manifest = json.loads((Path(build_dir) / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return dict(manifest.get("report", {}).get("locations", {}) or {})


def build_data_and_locations(
    paths: Paths, *, compiled: bool = False, rebuild: bool = True
) -> tuple[Graph | DatasetText, dict[str, Any]]:
    """What SHACL sees — the build's TriG text for the compiled engine, else the union
    graph — and where each node was read, all from one current build (see
    :class:`plangraf.graph.current.Build`: rebuilt when stale, or an error with ``rebuild=False``)."""
    from plangraf.graph.current import Build

    build = Build(paths, rebuild=rebuild)
    data: Graph | DatasetText = build.dataset() if compiled else build.union()
    return data, dict(build.manifest().get("report", {}).get("locations", {}) or {})
