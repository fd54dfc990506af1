"""``plangraf suggest``: turn measured reuse into suggested links, and a review file for a coder.

A reuse span of a quoted finding becomes a link of that finding with ``basis: suggested``,
``method`` and ``score`` (see docs/reuse.md), to the guidance goal whose label or definition
holds the span, or else to the national document when it is a guidance document of the
reference data. ``how`` is ``verbatim`` for a verbatim or near-verbatim span and
``paraphrase`` for a partial one. The link is written into the study's findings file (beside
any coded link to the same item: the basis differs) and listed in the review file, where a
coder sets ``decision: accept`` or ``reject`` (see :mod:`plangraf.reuse.review`).
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
from plangraf.reuse.corpus import STUDY_FILES_SKIPPED, known_documents, load_reference
from plangraf.reuse.measure import Reuse, measure_study
from plangraf.reuse.yamledit import find_findings, links_of, replace_reflects

METHOD = "reuse-ngram-v1"
REVIEW_FORMAT = "plangraf-review/1"
REVIEW_HEADER = """\
# plangraf review file (docs/reuse.md). For each suggestion set `decision: accept` or
# `decision: reject` (optionally `how`, `coder`, `note`), then apply the decisions with
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
            "file": self.file,
            "finding": self.finding,
            "guidance": self.guidance,
            "how": self.how,
            "method": METHOD,
            "score": r.score,
            "class": r.reuse_class,
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


def plan_suggestions(rows: list[Reuse], study: Path, known: set[str]) -> list[Suggestion]:
    """One suggestion per (finding, guidance item): the best-scoring span."""
    files = {f: path.name for path in _findings_files(study) for f in find_findings(path)}
    best: dict[tuple[str, str], Suggestion] = {}
    for row in rows:
        target = _target(row, known)
        if not row.finding or not target or row.finding not in files:
            continue
        how = "paraphrase" if row.reuse_class == "partial" else "verbatim"
        s = Suggestion(files[row.finding], row.finding, target, how, row, frozenset(known))
        key = (row.finding, target)
        if key not in best or (s.how, s.reuse.score) > (best[key].how, best[key].reuse.score):
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


def suggest(root: Path, study: Path, texts: Path | None, review_file: Path, min_words: int) -> list[dict[str, Any]]:
    """Write suggested links into the findings files and the review file; return the review entries."""
    if review_file.exists():
        raise PlangrafError("review file exists; review it first or choose another file", file=str(review_file))
    known = known_documents(load_reference(root / "data" / "reference"))
    plans = plan_suggestions(measure_study(root, study, texts, min_words), study, known)
    texts_out: dict[Path, str] = {}
    entries = []
    for s in plans:
        path = study / s.file
        text = texts_out.get(path) or read_text(path)
        links = links_of(text, str(path), s.finding)
        if any(_same(lk, s) for lk in links):
            continue  # already suggested, or already coded the same way
        entries.append(s.entry([_describe(lk) for lk in links]))
        texts_out[path] = replace_reflects(text, str(path), s.finding, links + [s.link()])
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
