"""What a finding holds beyond its codings, carried through a REFI-QDA project and back.

Convention: every selection plangraf exports has a ``Description`` whose last line is
``plangraf: `` followed by one line of JSON (the *marker*):

* ``finding``, ``evidence``, ``source``, ``location``: the finding's id and fields;
* ``note``, ``coder``, ``coded``, ``alternatives``: the finding's own fields, as in the study file;
* ``links``: every entry of ``reflects`` as written in the study file, with every field (basis,
  coder, coded, confidence, edition, note, cited, cited_text, suggested_by, method, score);
* ``part: elements``: the element codes of this selection are the finding's elements.

Dates are written as ``YYYY-MM-DD``. On import into a study without the finding, the finding's
own fields come back from the marker; a coded link read from the codings takes the marker's entry
with the same guidance item, coder and relation kind (so its confidence, edition and note return,
and a field left to the finding's or study's default stays left out); stated and suggested links,
which are not codings, come back from the marker. A link coded in the QDA tool after the export
has no marker entry and is added as read; a marker entry whose coding was removed is not restored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

MARKER = "plangraf: "
OWN_FIELDS = ("note", "coder", "coded", "alternatives")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def snapshot(finding: dict[str, Any]) -> dict[str, Any]:
    """The marker of a finding's selections."""
    fields: dict[str, Any] = {"finding": str(finding["id"]), "evidence": str(finding.get("evidence", "quote"))}
    for extra in ("source", "location"):
        if finding.get(extra):
            fields[extra] = str(finding[extra])
    for key in OWN_FIELDS:
        if finding.get(key) not in (None, "", []):
            fields[key] = _plain(finding[key])
    fields["links"] = _plain(list(finding.get("reflects") or []))
    return fields


def marker_line(fields: dict[str, Any]) -> str:
    return MARKER + json.dumps(fields, ensure_ascii=False, sort_keys=True)


def marker_of(description: str) -> dict[str, Any]:
    """The plangraf fields an exported selection carries in its description (empty if none)."""
    for line in description.splitlines():
        if line.startswith(MARKER):
            try:
                value = json.loads(line[len(MARKER) :])
            except json.JSONDecodeError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _plain(value: Any) -> Any:
    """Study-file data as JSON values: dates as ISO strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _yaml(value: Any) -> Any:
    """JSON values back as study-file data: ISO dates as dates, mappings and lists round-trip."""
    if isinstance(value, dict):
        return CommentedMap((k, _yaml(v)) for k, v in value.items())
    if isinstance(value, list):
        seq = CommentedSeq(_yaml(v) for v in value)
        if all(isinstance(v, str) for v in value) and value:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def restore_own(finding: CommentedMap, marker: dict[str, Any]) -> None:
    """A new finding's own fields (note, coder, coded, alternatives) from the marker."""
    for key in OWN_FIELDS:
        if key in marker:
            finding[key] = _yaml(marker[key])


def restore_links(finding: CommentedMap, marker: dict[str, Any], study: dict[str, Any]) -> None:
    """Put the marker's link entries in place of the coded links read back, in the marker's order."""
    if "links" not in marker:
        return
    default_coder = finding.get("coder") or study.get("coder")
    read = list(finding["reflects"])
    out = []
    for entry in marker["links"]:
        if not isinstance(entry, dict):
            continue
        if entry.get("basis", "coded") != "coded":
            out.append(_yaml(entry))
            continue
        key = (entry.get("guidance"), entry.get("how"), entry.get("coder") or default_coder)
        match = next((link for link in read if (link["guidance"], link["how"], link["coder"]) == key), None)
        if match is not None:
            read.remove(match)
            out.append(_yaml(entry))
    finding["reflects"] = CommentedSeq(out + read)
