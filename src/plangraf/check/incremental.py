"""Validating a build again after an edit: only the focus nodes an edit can have changed.

``plangraf validate`` keeps its last report in ``build/.validation/report.json``, keyed by the
build it validated (the SHA-256 of its TriG), the shapes (:func:`plangraf.check.shacl.shapes_key`),
the engine and its version, and plangraf's version; the entry carries the SHA-256 of its own
content. For the current build, in this order:

1. an entry for this very build, shapes and engine is the report (nothing is validated);
2. an entry for an earlier build that the current build's change record
   (:mod:`plangraf.graph.changes`) reaches back to is brought up to date: the focus nodes
   whose validation can read a changed triple (:func:`plangraf.check.neighbourhood.affected`,
   from the shapes' read steps, :mod:`plangraf.check.reach`) are validated again, by the same
   engine, on the quads their validation can read (their *neighbourhood*, read from the
   build's store and mapped back to the TriG's spelling); their results replace theirs in the
   entry, every other focus node keeps its results;
3. otherwise the whole build is validated, as before.

Why step 2 gives the report step 3 would (``docs/performance.md``, "Incremental
validation"): a focus node's results are a function of the triples its validation reads; the
read steps find all of them, so a node none of whose reads changed has the results it had,
and a node validated on its neighbourhood gets the results it gets on the whole graph. Step 2
falls back to step 3 whenever that argument does not hold or would not pay: shapes the read
steps cannot bound (:class:`~plangraf.check.reach.Unbounded`), no change record reaching the
entry's build, a damaged or foreign entry or record, a focus node that is a literal, or more
than a fifth of the build changed or to be read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import Graph

from plangraf.check.reach import compile_shapes
from plangraf.check.results import ValidationIssue, ValidationReport
from plangraf.check.steps import FORMAT as REACH_FORMAT
from plangraf.check.steps import Reach, Unbounded
from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths

CACHE = ".validation"
REPORT = "report.json"
NOTES_CACHE = Path(CACHE) / "placeholders.json"  # plangraf.check.report.study_notes
FORMAT = 1
MAX_SHARE = 0.2  # above this share of the build changed, or to be read, validate everything
_PASSING = ("Warning", "Info")
# From this many quads a whole validation reads only the quads the shapes can read
# (plangraf.check.readable): below, compiling the read steps (and importing the SPARQL parser
# for them, about 0.6 s together) costs more than the engine saves (about 1.5 us a quad net).
CUT_FROM = 200_000
_ISSUE_FIELDS = [f.name for f in fields(ValidationIssue)]


@dataclass(frozen=True)
class Entry:
    """A cached report: of the build whose TriG has SHA-256 ``trig``, for the cache ``key``."""

    key: dict[str, str]
    trig: str
    report: ValidationReport
    reach: dict[str, Any] | None  # the shapes' read steps, or {"unbounded": why}; None: not compiled yet

    def to_text(self) -> str:
        """The entry as one line of JSON after the line of its SHA-256."""
        payload = {
            "format": FORMAT,
            "key": self.key,
            "trig": self.trig,
            "conforms": self.report.conforms,
            "engine": self.report.engine,
            "issues": [{f: getattr(issue, f) for f in _ISSUE_FIELDS} for issue in self.report.issues],
            "reach": self.reach,
        }
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return f"{_sha256(text)}\n{text}\n"


def cache_key(shapes: str, engine: str) -> dict[str, str]:
    """What a cached report is valid for, besides its build: the shapes, the engine and its
    version, plangraf's version and the formats of the entry and of the read steps."""
    from plangraf.graph.identity import plangraf_version

    return {
        "shapes": shapes,
        "engine": engine,
        "engine_version": _engine_version(engine),
        "plangraf": plangraf_version(),
        "reach": str(REACH_FORMAT),
    }


def _engine_version(engine: str) -> str:
    try:
        if engine == "compiled":
            import pyshacl_turbo

            return str(pyshacl_turbo.__version__)
        import pyshacl

        return str(pyshacl.__version__)
    except ImportError:
        return "missing"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_entry(build_dir: Path, key: dict[str, str]) -> Entry | None:
    """The cached report for ``key``; ``None`` if there is none, or it is damaged (its content
    is not the one its SHA-256 was taken of) or for another key."""
    try:
        digest, _, text = (Path(build_dir) / CACHE / REPORT).read_text(encoding="utf-8").partition("\n")
        text = text.removesuffix("\n")
        if digest != _sha256(text):
            return None
        payload = json.loads(text)
        if payload["format"] != FORMAT or payload["key"] != key:
            return None
        issues = [ValidationIssue(**issue) for issue in payload["issues"]]
        report = ValidationReport(conforms=bool(payload["conforms"]), issues=issues, engine=str(payload["engine"]))
        reach = payload["reach"] if isinstance(payload["reach"], dict) else None
        return Entry(key=key, trig=str(payload["trig"]), report=report, reach=reach)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_entry(build_dir: Path, entry: Entry) -> None:
    """Keep ``entry`` (atomically; a build folder that cannot be written keeps no cache)."""
    try:
        write_atomic(Path(build_dir) / CACHE / REPORT, entry.to_text())
    except OSError:
        pass


class Validated(NamedTuple):
    report: ValidationReport
    locations: dict[str, Any]  # the loader's: where each node was read
    how: str  # "cached" (step 1 above), "updated" (step 2) or "whole" (step 3)


def validate_current(paths: Paths, shapes: Graph, shapes_key: str, *, engine: str, rebuild: bool) -> Validated:
    """The validation report of the current build (built first when stale and ``rebuild``),
    and the loader's locations; from the cache as described above."""
    from plangraf.check.shacl import validate_graph
    from plangraf.graph.current import Build

    build = Build(paths, rebuild=rebuild)
    built_here = not build.is_fresh()
    build.ensure()
    locations = dict(build.manifest().get("report", {}).get("locations", {}) or {})
    if build.changes():  # kept in memory only: the build folder could not be written
        data = build.dataset() if engine == "compiled" else build.union()
        return Validated(validate_graph(data, shapes, engine=engine), locations, "whole")
    reader = Build(paths, rebuild=False) if built_here else build
    trig = str(reader.manifest().get("trig", {}).get("sha256", ""))
    key = cache_key(shapes_key, engine)
    entry = read_entry(paths.build, key)
    if entry is not None and entry.trig == trig:
        return Validated(entry.report, locations, "cached")
    report: ValidationReport | None = None
    reach = entry.reach if entry is not None else None
    if entry is not None and trig:
        report, reach = _update(entry, reader, trig, shapes, engine)
    how = "updated"
    if report is None:
        how = "whole"
        if engine != "compiled":
            report = validate_graph(reader.union(), shapes, engine=engine)
        elif int(reader.manifest().get("store", {}).get("quads") or 0) < CUT_FROM:
            report = validate_graph(reader.dataset(), shapes, engine=engine)
        else:
            reach = reach if reach is not None else _compiled(shapes)
            report = validate_graph(_readable(reader, reach), shapes, engine=engine)
    if report.engine == engine and trig:
        write_entry(paths.build, Entry(key=key, trig=trig, report=report, reach=reach))
    return Validated(report, locations, how)


def _update(
    entry: Entry, build: Any, trig: str, shapes: Graph, engine: str
) -> tuple[ValidationReport | None, dict[str, Any] | None]:
    """The entry's report brought up to the current build (``None`` when the argument for it
    does not hold: then the whole build is validated), and the shapes' read steps."""
    from plangraf.check.neighbourhood import StoreView, TooLarge, affected, neighbourhood
    from plangraf.check.shacl import validate_graph
    from plangraf.graph.changes import read_record
    from plangraf.graph.folder import current_folder
    from plangraf.rdf.bridge import DatasetText, serialize_quads

    old = entry.report
    if old.engine != engine or old.conforms != _conforms(old.issues) or any(i.focus_key is None for i in old.issues):
        return None, entry.reach
    record = read_record(current_folder(build.paths.build), trig)
    changed = record.changed_since(entry.trig) if record is not None else None
    size = int(build.manifest().get("store", {}).get("quads") or 0)
    if record is None or changed is None or len(changed) > MAX_SHARE * size:
        return None, entry.reach
    reach_json = entry.reach if entry.reach is not None else _compiled(shapes)
    reach = Reach.from_json(reach_json)
    if reach is None:
        return None, reach_json
    limit = max(int(MAX_SHARE * size), 10_000)
    try:
        view = StoreView(build.store())
        focus = affected(reach, view, changed, limit=limit)
        quads = neighbourhood(reach, view, focus, limit=limit)
    except (TooLarge, PlangrafError):
        return None, reach_json
    if len(quads) > MAX_SHARE * size:
        return None, reach_json
    keys = {str(node) for node in focus}
    kept = [issue for issue in old.issues if issue.focus_key not in keys]
    if not focus:
        return ValidationReport(conforms=old.conforms, issues=kept, engine=engine), reach_json
    text = serialize_quads(_respelled(quads, record.respelled), "trig").decode("utf-8")
    part = validate_graph(DatasetText(text), shapes, engine=engine)
    if part.engine != engine or any(issue.focus_key is None for issue in part.issues):
        return None, reach_json
    issues = kept + [issue for issue in part.issues if issue.focus_key in keys]
    return ValidationReport(conforms=_conforms(issues), issues=issues, engine=engine), reach_json


def _compiled(shapes: Graph) -> dict[str, Any]:
    try:
        return compile_shapes(shapes).to_json()
    except Unbounded as exc:
        return {"unbounded": str(exc)}


def _readable(build: Any, reach_json: dict[str, Any]) -> Any:
    """The build's quads the shapes can read (:mod:`plangraf.check.readable`) as term rows,
    cut from the id rows saved beside its store (:mod:`plangraf.graph.saved`: the TriG's quads,
    in its spelling, with no text to parse); the build's TriG whole when the read steps do not
    bound them or the rows are not exactly the ones its manifest records."""
    from plangraf.check.readable import readable_rows
    from plangraf.graph.folder import current_folder
    from plangraf.graph.saved import read_saved

    reach = Reach.from_json(reach_json)
    saved = read_saved(current_folder(build.paths.build), build.manifest()) if reach is not None else None
    rows = readable_rows(reach, saved.terms, saved.graphs) if reach is not None and saved is not None else None
    return build.dataset() if rows is None else rows


def _conforms(issues: list[ValidationIssue]) -> bool:
    """As both engines decide with Warnings and Info allowed: no result of another severity."""
    return all(issue.severity in _PASSING for issue in issues)


def _respelled(quads: set[ox.Quad], respelled: list[ox.Quad]) -> list[ox.Quad]:
    """Quads read from the store, in the build's TriG's spelling (:mod:`plangraf.graph.changes`)."""
    from plangraf.graph.changes import canonical_literals, canonical_quad

    if not respelled:
        return sorted(quads, key=str)
    canonical = canonical_literals(quad.object for quad in respelled if isinstance(quad.object, ox.Literal))
    spelled: dict[ox.Quad, list[ox.Quad]] = {}
    for quad in respelled:
        spelled.setdefault(canonical_quad(quad, canonical), []).append(quad)
    return sorted((exact for quad in quads for exact in spelled.get(quad, [quad])), key=str)
