"""Contested coding decisions as data: alternative readings of a document or a finding.

A document, finding or coordination structure may carry ``alternatives``: another admissible value for one of its
fields, with the reason and the source passage that supports it. A *reading* of a study is a
set of alternative ids; under it, each named alternative replaces its field's value before
the study is checked and turned into triples. The default reading (no ids) is the files as
written. :func:`collect_alternatives` checks and lists them; :func:`apply_reading` applies one
reading to the parsed files.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_, dotted, line_of
from plangraf.study import schema as schema_check

# Fields an alternative may not replace: identity, nesting and the coder's notes.
FIXED_FIELDS = {"id", "findings", "alternatives", "note"}


@dataclass(frozen=True)
class Alternative:
    """One alternative reading of one field of a document or finding."""

    id: str
    kind: str  # "document", "finding" or "structure"
    entity: str  # the document, finding or structure id
    field: str
    value: Any
    current: Any
    reason: str
    source: str
    quote: str | None
    file: str
    line: int | None

    def describe(self) -> str:
        return f"{self.entity}.{self.field} = {json.dumps(self.value, ensure_ascii=False)}"


def _entities(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], Path_]]:
    """Every document, finding and structure of one parsed municipality file, with where it is."""
    found: list[tuple[str, dict[str, Any], Path_]] = []
    for i, doc in enumerate(data.get("documents", [])):
        found.append(("document", doc, ("documents", i)))
        for j, finding in enumerate(doc.get("findings", [])):
            found.append(("finding", finding, ("documents", i, "findings", j)))
    for i, structure in enumerate(data.get("structures", [])):
        found.append(("structure", structure, ("structures", i)))
    return found


def _entity_schema(kind: str) -> dict[str, Any]:
    whole = schema_check.schema("municipality")
    return {"$defs": whole["$defs"], **whole["$defs"][kind]}


def _check_one(
    alt: dict[str, Any], kind: str, entity: dict[str, Any], path: Path, lines: dict[Path_, int], here: Path_
) -> None:
    def fail(message: str, key: str) -> PlangrafError:
        where = here + (key,)
        return PlangrafError(message, file=str(path), line=line_of(lines, where), field=dotted(where))

    allowed = set(_entity_schema(kind)["properties"]) - FIXED_FIELDS
    if alt["field"] not in allowed:
        raise fail(
            f"alternative names unknown field '{alt['field']}'; a {kind} has: {', '.join(sorted(allowed))}", "field"
        )
    if entity.get(alt["field"]) == alt["value"]:
        raise fail(f"alternative changes nothing: {alt['field']} is already {alt['value']!r}", "value")
    changed = copy.deepcopy(entity)
    changed[alt["field"]] = alt["value"]
    changed.pop("alternatives", None)
    errors = sorted(Draft202012Validator(_entity_schema(kind)).iter_errors(changed), key=lambda e: e.path)
    if errors:
        raise fail(f"alternative value is not a valid {alt['field']}: {errors[0].message}", "value")


def collect_alternatives(
    data: dict[str, Any], path: Path, lines: dict[Path_, int], seen: dict[str, str]
) -> list[Alternative]:
    """Check the alternatives of one parsed municipality file; ``seen`` maps ids already used
    in the study to where (updated)."""
    found: list[Alternative] = []
    for kind, entity, here in _entities(data):
        for k, alt in enumerate(entity.get("alternatives", [])):
            there = here + ("alternatives", k)
            line = line_of(lines, there + ("id",))
            if alt["id"] in seen:
                raise PlangrafError(
                    f"duplicate alternative id '{alt['id']}' (also in {seen[alt['id']]})",
                    file=str(path),
                    line=line,
                    field=dotted(there + ("id",)),
                )
            _check_one(alt, kind, entity, path, lines, there)
            seen[alt["id"]] = f"{path}:{line}"
            found.append(
                Alternative(
                    id=alt["id"],
                    kind=kind,
                    entity=entity["id"],
                    field=alt["field"],
                    value=alt["value"],
                    current=entity.get(alt["field"]),
                    reason=alt["reason"],
                    source=alt["source"],
                    quote=alt.get("quote"),
                    file=str(path),
                    line=line,
                )
            )
    return found


def check_reading(reading: frozenset[str], alternatives: list[Alternative]) -> None:
    """Every id of the reading is a known alternative, and no two replace the same field."""
    known = {a.id: a for a in alternatives}
    unknown = sorted(reading - set(known))
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise PlangrafError(f"unknown reading '{unknown[0]}'; the study's alternatives: {listed}")
    targets: dict[tuple[str, str], str] = {}
    for alt_id in sorted(reading):
        alt = known[alt_id]
        key = (alt.entity, alt.field)
        if key in targets:
            raise PlangrafError(f"readings '{targets[key]}' and '{alt_id}' both replace {alt.entity}.{alt.field}")
        targets[key] = alt_id


def apply_reading(data: dict[str, Any], reading: frozenset[str]) -> dict[str, Any]:
    """A copy of one parsed municipality file with the reading's alternatives applied."""
    if not reading:
        return data
    data = copy.deepcopy(data)
    for _kind, entity, _here in _entities(data):
        for alt in entity.get("alternatives", []):
            if alt["id"] in reading:
                entity[alt["field"]] = copy.deepcopy(alt["value"])
    return data


def stated_links_only(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of one parsed municipality file (or a coding sheet's findings) keeping only the
    links the source itself states (basis ``stated``): every coder's reading and every
    suggestion dropped, from findings' ``reflects`` and goals' ``follows_up``. The findings
    stay, so what rests on a coder's link alone shows as no longer counted."""
    data = copy.deepcopy(data)
    for _kind, entity, _here in _entities(data):
        if "reflects" in entity:
            entity["reflects"] = [link for link in entity["reflects"] if link.get("basis", "coded") == "stated"]
    for doc in data.get("documents", []):
        for goal in doc.get("goals", []):
            if "follows_up" in goal:
                goal["follows_up"] = [link for link in goal["follows_up"] if link.get("basis") == "stated"]
    return data
