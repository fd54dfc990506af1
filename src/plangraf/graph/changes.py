"""What a build changed since the builds before it, and what its store spells differently.

Written beside the store of every build folder (by :mod:`plangraf.graph.storewrite`) for
incremental validation (:mod:`plangraf.check.incremental`):

- ``changes.nq``: for each of the last few builds this one was made from by a store delta,
  the triples that differ between that build and this one (a superset: the union of the
  deltas since, each in a named graph ``urn:plangraf:changes:<SHA-256 of that build's TriG>``).
  A build whose store was written whole has none.
- ``respelled.nq``: the quads whose literal the pyoxigraph store keeps in another spelling
  than the build's TriG (it keeps numbers, dates and booleans by value, so
  ``"4"^^xsd:positiveInteger`` comes back as ``"4"^^xsd:integer``, and lowercases language
  tags), together with the quads of the build that have the spelling the store gives them.
  With these, the quads read from the store are mapped back to exactly the TriG's quads.
- ``changes.json``: the SHA-256 of this build's TriG, the builds of the steps (oldest first),
  and the SHA-256 of both files. Nothing here is used unless all of them check.

A record is written only when the build's TriG is already in the folder (it is written
before the store), so it names the build it belongs to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

RECORD = "changes.json"
CHANGED = "changes.nq"
RESPELLED = "respelled.nq"
FORMAT = 1
MAX_STEPS = 8  # deltas kept: a validation older than this many builds validates everything
STEP_GRAPH = "urn:plangraf:changes:"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PROBE = ox.NamedNode("urn:plangraf:probe")


@dataclass(frozen=True)
class Changes:
    """A build's record: its TriG's SHA-256, the triples changed since each of the earlier
    builds it names, and its respelled quads."""

    trig: str
    steps: tuple[str, ...]
    changed: dict[str, list[ox.Triple]]
    respelled: list[ox.Quad]

    def changed_since(self, trig: str) -> set[ox.Triple] | None:
        """Every triple that may differ between the build whose TriG has SHA-256 ``trig`` and
        this one (a superset of the true difference); ``None`` when the record does not reach
        back to that build."""
        if trig == self.trig:
            return set()
        if trig not in self.steps:
            return None
        since = self.steps[self.steps.index(trig) :]
        return {triple for step in since for triple in self.changed.get(step, [])}


def canonical_literals(terms: Iterable[object]) -> dict[ox.Literal, ox.Literal]:
    """Each literal of ``terms`` as the pyoxigraph store gives it back (only those it spells
    otherwise)."""
    candidates = [
        term
        for term in set(terms)
        if isinstance(term, ox.Literal) and (term.language is not None or term.datatype.value != _XSD_STRING)
    ]
    if not candidates:
        return {}
    probe = ox.Store()
    probe.extend(ox.Quad(ox.NamedNode(f"urn:plangraf:{n}"), _PROBE, literal) for n, literal in enumerate(candidates))
    back = {quad.subject.value: quad.object for quad in probe}
    found = {literal: back[f"urn:plangraf:{n}"] for n, literal in enumerate(candidates)}
    return {literal: canonical for literal, canonical in found.items() if canonical != literal}


def canonical_quad(quad: ox.Quad, canonical: dict[ox.Literal, ox.Literal]) -> ox.Quad:
    literal = canonical.get(quad.object) if isinstance(quad.object, ox.Literal) else None
    return quad if literal is None else ox.Quad(quad.subject, quad.predicate, literal, quad.graph_name)


def respelled_quads(candidates: Iterable[ox.Quad], present: Collection[ox.Quad]) -> set[ox.Quad]:
    """Of ``candidates`` (quads of the build), those the store spells otherwise, and the
    quads of the build (``present``: its quads, or anything that tells whether it holds one)
    that have the spelling the store gives them."""
    candidates = [quad for quad in candidates if type(quad.object) is ox.Literal]
    canonical = canonical_literals(quad.object for quad in candidates)
    changed = {quad for quad in candidates if quad.object in canonical}
    if not changed:
        return set()
    if isinstance(present, list):
        present = {quad for quad in present if type(quad.object) is ox.Literal}
    return changed | {quad for quad in (canonical_quad(q, canonical) for q in changed) if quad in present}


def write_record(
    build: Path,
    new: Collection[ox.Quad],
    *,
    previous: Path | None = None,
    previous_trig: str | None = None,
    removed: set[ox.Quad] | None = None,
    added: set[ox.Quad] | None = None,
) -> None:
    """Write the record of the build in folder ``build`` (holding ``plangraf.trig`` already),
    whose quads are ``new``: from scratch, or, given the previous build's folder and the
    delta, from the previous build's record."""
    trig = build / "plangraf.trig"
    if not trig.is_file():
        return
    before = read_record(previous, previous_trig) if previous is not None and previous_trig is not None else None
    steps: list[str] = []
    changed: dict[str, list[ox.Triple]] = {}
    if before is not None and previous_trig is not None and removed is not None and added is not None:
        delta = [ox.Triple(q.subject, q.predicate, q.object) for q in (*removed, *added)]
        steps = [*before.steps, previous_trig][-MAX_STEPS:]
        changed = {step: before.changed.get(step, []) for step in steps}
        changed[previous_trig] = delta
        kept = set(before.respelled) - removed  # all in the new build
        respelled = respelled_quads([*kept, *added], new)
    else:
        respelled = respelled_quads(new, new)
    _write(build, _sha256(trig.read_bytes()), steps, changed, respelled)


def _write(
    build: Path, trig: str, steps: list[str], changed: dict[str, list[ox.Triple]], respelled: set[ox.Quad]
) -> None:
    changes = ox.serialize(
        (
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(STEP_GRAPH + step))
            for step in steps
            for t in changed.get(step, [])
        ),
        format=ox.RdfFormat.N_QUADS,
    )
    spelled = ox.serialize(sorted(respelled, key=str), format=ox.RdfFormat.N_QUADS)
    changes, spelled = changes or b"", spelled or b""
    (build / CHANGED).write_bytes(changes)
    (build / RESPELLED).write_bytes(spelled)
    record = {
        "format": FORMAT,
        "trig": trig,
        "steps": steps,
        "changes": _sha256(changes),
        "respelled": _sha256(spelled),
    }
    (build / RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def read_record(build: Path, trig: str) -> Changes | None:
    """The record of the build in folder ``build`` whose TriG has SHA-256 ``trig`` (as its
    manifest says), or ``None`` when it is missing, damaged or of another build."""
    try:
        record = json.loads((build / RECORD).read_text(encoding="utf-8"))
        changes = (build / CHANGED).read_bytes()
        spelled = (build / RESPELLED).read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("trig") != trig:
        return None
    if record.get("changes") != _sha256(changes) or record.get("respelled") != _sha256(spelled):
        return None
    steps = record.get("steps")
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        return None
    try:
        changed: dict[str, list[ox.Triple]] = {step: [] for step in steps}
        for quad in ox.parse(changes, format=ox.RdfFormat.N_QUADS):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            changed[name.removeprefix(STEP_GRAPH)].append(ox.Triple(quad.subject, quad.predicate, quad.object))
        respelled = list(ox.parse(spelled, format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError, KeyError):
        return None
    return Changes(trig=trig, steps=tuple(steps), changed=changed, respelled=respelled)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
