"""``plangraf suggest``: turn measured reuse into suggestions, and a review file for a coder.

Two kinds of suggestion (see docs/reuse.md):

* **link** — a span of a quoted finding becomes a link of that finding with ``basis:
  suggested``, ``method`` and ``score``, to the guidance goal whose label or definition holds
  the span, or else to the national document when it is a guidance document of the reference
  data. ``how`` follows the class (:data:`HOW`). The link is added to the findings file (its
  lines only: rejecting it gives back the same bytes) and listed in the review file. Beside an
  existing coded link to the same item with another ``how``, the entry names that link under
  ``upgrade``: ``decision: upgrade`` changes it instead of adding a second one.
* **new-finding** — a span of an ingested document text that no finding quotes becomes a
  candidate finding, only in the review file: its passage, its page and character offsets in
  the document, and the link it would carry. Accepting it adds the finding (with the coder's
  ``elements``) to the findings file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import read_text
from plangraf.reuse.corpus import STUDY_FILES_SKIPPED, known_documents, load_reference, read_sidecar, study_documents
from plangraf.reuse.measure import CLASS_ORDER, Reuse, measure_study
from plangraf.reuse.yamledit import append_link, find_findings, links_of

METHOD = "reuse-align-v2"
REVIEW_FORMAT = "plangraf-review/1"
HOW = {
    "verbatim": "verbatim",
    "near-verbatim": "verbatim",
    "paraphrase-candidate": "paraphrase",
    "citation": "explicit-reference",
}
REVIEW_HEADER = """\
# plangraf review file (docs/reuse.md). For each suggestion set `decision: accept` or
# `decision: reject` (optionally `how`, `coder`, `note`), or `decision: upgrade` where the entry
# names an existing coded link under `upgrade`; a new-finding entry needs its `elements`.
# Then apply the decisions with
#   plangraf review THIS-FILE --coder YOUR-CODER-ID
# Accepted links become coded links that keep the suggestion (suggested_by: {method, score});
# rejected ones are removed from the findings file. Both stay recorded here.
"""


@dataclass
class Suggestion:
    file: str
    finding: str
    guidance: str
    how: str
    reuse: Reuse
    editions_known: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.finding}--{self.guidance}"

    def link(self) -> dict[str, Any]:
        link: dict[str, Any] = {
            "guidance": self.guidance,
            "how": self.how,
            "basis": "suggested",
            "method": METHOD,
            "score": self.reuse.score,
        }
        if self.reuse.edition and self.reuse.edition in self.editions_known:
            link["edition"] = self.reuse.edition
        return link

    def entry(self, existing: list[str]) -> dict[str, Any]:
        r = self.reuse
        return {
            "id": self.id,
            "kind": "link",
            "file": self.file,
            "finding": self.finding,
            "guidance": self.guidance,
            "how": self.how,
            "method": METHOD,
            "score": r.score,
            "class": r.reuse_class,
            "citation": r.citation or None,
            "words": r.words,
            "edition": self.link().get("edition"),
            "editions_matched": r.editions,
            "passage": r.passage,
            "national_passage": r.national_passage,
            "national_source": r.national_source,
            "existing_links": existing,
            "decision": "pending",
        }


def _target(row: Reuse, known: set[str]) -> str:
    if row.goal:
        return row.goal
    return row.national_document if row.national_document in known else ""


def _better(s: Suggestion, than: Suggestion) -> bool:
    a, b = s.reuse, than.reuse
    return (CLASS_ORDER[a.reuse_class], -a.words, -a.score) < (CLASS_ORDER[b.reuse_class], -b.words, -b.score)


def plan_suggestions(rows: list[Reuse], study: Path, known: set[str]) -> list[Suggestion]:
    """One link suggestion per (finding, guidance item): the best span (class, then words, then score)."""
    files = {f: path.name for path in _findings_files(study) for f in find_findings(path)}
    best: dict[tuple[str, str], Suggestion] = {}
    for row in rows:
        target = _target(row, known)
        if not row.finding or not target or row.finding not in files:
            continue
        s = Suggestion(files[row.finding], row.finding, target, HOW[row.reuse_class], row, frozenset(known))
        key = (row.finding, target)
        if key not in best or _better(s, best[key]):
            best[key] = s
    return sorted(best.values(), key=lambda s: (s.file, s.id))


def _findings_files(study: Path) -> list[Path]:
    return [p for p in sorted(study.glob("*.yaml")) if p.name not in STUDY_FILES_SKIPPED]


def _same(link: dict[str, Any], s: Suggestion) -> bool:
    if link.get("guidance") != s.guidance:
        return False
    return link.get("basis") == "suggested" or link.get("how") == s.how


def _describe(link: dict[str, Any]) -> str:
    return f"{link.get('guidance')} {link.get('how')} ({link.get('basis', 'coded')})"


def _upgradable(links: list[dict[str, Any]], s: Suggestion) -> str | None:
    """The coded link to the same item with another ``how``, which the coder may upgrade instead."""
    for link in links:
        if link.get("guidance") == s.guidance and link.get("basis", "coded") == "coded" and link.get("how") != s.how:
            return _describe(link)
    return None


def _page(pages: list[dict[str, Any]], offset: int) -> int | None:
    return next((int(p["page"]) for p in pages if p["start"] <= offset <= p["end"]), None)


def candidate_findings(rows: list[Reuse], study: Path, known: set[str]) -> list[dict[str, Any]]:
    """One new-finding entry per span of an ingested text that no finding quotes (the best match)."""
    documents = study_documents(study)
    best: dict[tuple[str, int, int], Reuse] = {}
    for row in rows:
        if row.in_text and not row.finding and _target(row, known):
            key = (row.document, row.start, row.end)
            if key not in best or (CLASS_ORDER[row.reuse_class], -row.words) < (
                CLASS_ORDER[best[key].reuse_class],
                -best[key].words,
            ):
                best[key] = row
    entries = []
    for (doc_id, start, end), row in sorted(best.items()):
        doc = documents[doc_id]
        pages = read_sidecar(study / "texts" / f"{doc_id}.txt").get("pages") or []
        page = _page(pages, start)
        finding = f"{doc_id}-reuse-{start}"
        entries.append(
            {
                "id": f"{finding}--{_target(row, known)}",
                "kind": "new-finding",
                "file": doc["_file"],
                "document": doc_id,
                "finding": finding,
                "guidance": _target(row, known),
                "how": HOW[row.reuse_class],
                "method": METHOD,
                "score": row.score,
                "class": row.reuse_class,
                "citation": row.citation or None,
                "words": row.words,
                "passage": row.passage,
                "start": start,
                "end": end,
                "page": page,
                "location": f"page {page}" if page else f"characters {start}–{end}",
                "elements": [],
                "source": str(doc.get("source") or ""),
                "national_passage": row.national_passage,
                "national_source": row.national_source,
                "decision": "pending",
            }
        )
    return entries


def suggest(root: Path, study: Path, texts: Path | None, review_file: Path, min_words: int) -> list[dict[str, Any]]:
    """Write suggested links into the findings files and the review file; return the review entries."""
    if review_file.exists():
        raise PlangrafError("review file exists; review it first or choose another file", file=str(review_file))
    known = known_documents(load_reference(root / "data" / "reference"))
    rows = measure_study(root, study, texts, min_words)
    texts_out: dict[Path, str] = {}
    entries = []
    for s in plan_suggestions(rows, study, known):
        path = study / s.file
        text = texts_out.get(path) or read_text(path)
        links = links_of(text, str(path), s.finding)
        if any(_same(lk, s) for lk in links):
            continue  # already suggested, or already coded the same way
        entry = s.entry([_describe(lk) for lk in links])
        upgrade = _upgradable(links, s)
        if upgrade:
            entry["upgrade"] = upgrade
        entries.append(entry)
        texts_out[path] = append_link(text, str(path), s.finding, s.link())
    entries += [e for e in candidate_findings(rows, study, known) if (study / e["file"]).is_file()]
    review = {
        "format": REVIEW_FORMAT,
        "study": str(study),
        "created": dt.date.today().isoformat(),
        "suggestions": entries,
    }
    for path, text in texts_out.items():
        write_atomic(path, text)
    write_atomic(review_file, REVIEW_HEADER + yaml.safe_dump(review, allow_unicode=True, sort_keys=False, width=100))
    return entries
