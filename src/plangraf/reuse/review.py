"""``plangraf review``: apply a coder's decisions on suggested links.

The review file (written by ``plangraf suggest``) lists suggestions with ``decision:
pending | accept | reject``. For an accepted one the suggested link in the findings file is
replaced by a coded link that keeps the suggestion::

    - guidance: ks-digitaliseringsstrategi/visjon
      how: verbatim
      basis: coded
      coder: some-coder
      coded: 2026-11-30
      suggested_by: {method: reuse-align-v2, score: 0.966}

A rejected one is removed from the findings file (its lines only, so rejecting every
suggestion gives back the findings files byte for byte). ``upgrade`` (offered where the coder
already has a coded link to the same item with another ``how``) changes that link's ``how``
and records the suggestion and date on it, instead of adding a second link. A ``new-finding``
entry adds, when accepted, a finding with the passage of the ingested text, the coder's
``elements`` and its one coded link; rejected, it writes nothing. Either way the review entry
records ``reviewed_by`` and ``reviewed`` (the date), so the file keeps both records. All files
are checked before any is written; an entry already applied is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import load_yaml, read_text
from plangraf.reuse.suggest import REVIEW_FORMAT, REVIEW_HEADER
from plangraf.reuse.yamledit import append_finding, find_findings_in, finding_of, parse, remove_link, replace_link
from plangraf.study.links import check_coding_date

DECISIONS = ("pending", "accept", "reject", "upgrade")


@dataclass
class ReviewOutcome:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


@dataclass
class _Ctx:
    label: str

    def fail(self, message: str, here: tuple[Any, ...]) -> PlangrafError:
        return PlangrafError(message, file=self.label, field="date")


def parse_date(value: str, label: str) -> str:
    """A review date is a coding date: a real day, not in the future, not a placeholder."""
    check_coding_date(value, _Ctx(label), ())
    return dt.date.fromisoformat(value).isoformat()


def _load_review(path: Path) -> dict[str, Any]:
    data, _lines = load_yaml(path)
    if not isinstance(data, dict) or data.get("format") != REVIEW_FORMAT:
        raise PlangrafError(f"not a review file (format: {REVIEW_FORMAT} missing)", file=str(path))
    for n, entry in enumerate(data.get("suggestions") or []):
        if entry.get("decision") not in DECISIONS:
            raise PlangrafError(
                f"decision must be one of {', '.join(DECISIONS)}, not {entry.get('decision')!r}",
                file=str(path),
                field=f"suggestions.{n}.decision",
            )
    return data


def _study_coders(study: Path) -> tuple[set[str] | None, str | None]:
    """The coder ids study.yaml lists (None if it lists none) and its default coder."""
    data, _lines = load_yaml(study / "study.yaml")
    data = data if isinstance(data, dict) else {}
    coders = data.get("coders")
    ids = {str(c.get("id")) for c in coders if isinstance(c, dict)} if isinstance(coders, list) else None
    return ids, (str(data["coder"]) if data.get("coder") else None)


def _decided_link(entry: dict[str, Any], coder: str, date: str) -> dict[str, Any]:
    link: dict[str, Any] = {"guidance": entry["guidance"], "how": entry["how"], "basis": "coded", "coder": coder}
    link["coded"] = date
    if entry.get("edition"):
        link["edition"] = entry["edition"]
    link["suggested_by"] = {"method": entry["method"], "score": entry["score"]}
    if entry.get("note"):
        link["note"] = entry["note"]
    return link


def _is_suggestion(link: dict[str, Any], entry: dict[str, Any]) -> bool:
    return link.get("guidance") == entry["guidance"] and link.get("basis") == "suggested"


def _coded_by(
    links: list[dict[str, Any]], entry: dict[str, Any], finding: dict[str, Any], default: str | None
) -> dict[int, str]:
    """Index -> coder of each coded link of the finding to the entry's item."""
    return {
        k: str(lk.get("coder") or finding.get("coder") or default)
        for k, lk in enumerate(links)
        if lk.get("guidance") == entry["guidance"] and lk.get("basis", "coded") == "coded"
    }


def _upgraded(
    link: dict[str, Any], entry: dict[str, Any], coder: str, date: str, default: str | None
) -> dict[str, Any]:
    out = {**link, "how": entry["how"], "coded": date}
    if coder != (link.get("coder") or default):
        out["coder"] = coder
    out["suggested_by"] = {"method": entry["method"], "score": entry["score"]}
    return out


def _apply_link(text: str, label: str, entry: dict[str, Any], coder: str, date: str, default: str | None) -> str:
    finding = finding_of(text, label, entry["finding"])
    links = list(finding.get("reflects") or [])
    at = next((k for k, lk in enumerate(links) if _is_suggestion(lk, entry)), None)
    if at is None:
        raise PlangrafError(f"suggestion '{entry['id']}' is no longer in the findings file", file=label)
    if entry["decision"] == "reject":
        return remove_link(text, label, entry["finding"], at)
    coded = _coded_by(links, entry, finding, default)
    mine = [k for k, who in coded.items() if who == coder]
    if entry["decision"] == "upgrade":
        if not mine:
            raise PlangrafError(
                f"suggestion '{entry['id']}': coder '{coder}' has no coded link to {entry['guidance']} to upgrade",
                file=label,
            )
        text = remove_link(text, label, entry["finding"], at)
        return replace_link(
            text, label, entry["finding"], mine[0], _upgraded(links[mine[0]], entry, coder, date, default)
        )
    if mine:
        raise PlangrafError(
            f"finding '{entry['finding']}' already has a link to {entry['guidance']} by coder '{coder}'; "
            f"set decision: upgrade to make it how: {entry['how']}, or reject the suggestion",
            file=label,
        )
    return replace_link(text, label, entry["finding"], at, _decided_link(entry, coder, date))


def _new_finding(text: str, label: str, entry: dict[str, Any], coder: str, date: str) -> str:
    """Add the candidate finding of a ``new-finding`` entry to its document."""
    if entry["decision"] != "accept":
        if entry["decision"] == "upgrade":
            raise PlangrafError(f"suggestion '{entry['id']}' is a new finding: accept or reject it", file=label)
        return text
    if entry["finding"] in find_findings_in(parse(text, label)[0]):
        raise PlangrafError(f"suggestion '{entry['id']}': finding '{entry['finding']}' exists already", file=label)
    elements = entry.get("elements") or []
    if not elements or not entry.get("source"):
        raise PlangrafError(
            f"suggestion '{entry['id']}': a new finding needs its elements (eGovWSF element ids) and source; "
            "fill them in in the review file",
            file=label,
        )
    where = f"page {entry['page']}, " if entry.get("page") else ""
    finding = {
        "id": entry["finding"],
        "evidence": "quote",
        "text": entry["passage"],
        "location": entry.get("location") or f"characters {entry['start']}–{entry['end']}",
        "reflects": [_decided_link(entry, coder, date)],
        "elements": list(elements),
        "source": str(entry["source"]),
        "note": f"Found by plangraf reuse in texts/{entry['document']}.txt ({where}characters "
        f"{entry['start']}–{entry['end']}); {entry['class']} of {entry['national_source']}.",
    }
    return append_finding(text, label, entry["document"], finding)


def _apply_entry(text: str, label: str, entry: dict[str, Any], coder: str, date: str, default: str | None) -> str:
    if entry.get("kind") == "new-finding":
        return _new_finding(text, label, entry, coder, date)
    return _apply_link(text, label, entry, coder, date, default)


def review(
    path: Path, coder: str | None, date: str | None = None, decisions: dict[str, str] | None = None
) -> ReviewOutcome:
    """Apply the accept/reject decisions of review file ``path`` (plus ``decisions`` by suggestion id)."""
    data = _load_review(path)
    day = parse_date(date, str(path)) if date else dt.date.today().isoformat()
    study = Path(str(data.get("study")))
    coders, default_coder = _study_coders(study)
    entries = data.get("suggestions") or []
    _set_decisions(entries, decisions or {}, path)
    outcome = ReviewOutcome()
    texts: dict[Path, str] = {}
    for entry in entries:
        if entry["decision"] == "pending":
            outcome.pending.append(entry["id"])
        if entry.get("reviewed") or entry["decision"] == "pending":
            continue
        who = str(entry.get("coder") or coder or default_coder or "")
        if not who:
            raise PlangrafError(f"suggestion '{entry['id']}': no coder given and study.yaml names none", file=str(path))
        if coders is not None and who not in coders:
            raise PlangrafError(f"coder '{who}' is not listed under coders in study.yaml", file=str(path))
        target = study / str(entry["file"])
        before = texts.get(target) or read_text(target)
        after = _apply_entry(before, str(target), entry, who, day, default_coder)
        if after != before or target in texts:
            texts[target] = after
        entry["reviewed_by"], entry["reviewed"] = who, day
        (outcome.rejected if entry["decision"] == "reject" else outcome.accepted).append(entry["id"])
    for written, text in texts.items():
        write_atomic(written, text)
    write_atomic(path, REVIEW_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    outcome.files = sorted(texts)
    return outcome


def _set_decisions(entries: list[dict[str, Any]], decisions: dict[str, str], path: Path) -> None:
    ids = {e["id"]: e for e in entries}
    for sid, decision in decisions.items():
        if sid not in ids:
            raise PlangrafError(f"no suggestion '{sid}' in the review file", file=str(path))
        if ids[sid].get("reviewed"):
            raise PlangrafError(f"suggestion '{sid}' was already reviewed", file=str(path))
        ids[sid]["decision"] = decision
