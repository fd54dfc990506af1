"""Tell a citation apart from reuse: a title, a reference-list entry, a quotation with its source.

A municipal span that matches national text is a ``citation``, reported apart and never
counted as «klipp og lim», when

* **title**: without the words of a title it would fall below the minimum span. Titles are
  the guidance documents' titles and labels in the reference data (``dcterms:title``,
  ``skos:prefLabel``, ``dcterms:alternative``, ``rdfs:label`` in Norwegian) and the heading
  lines of the national texts (a line of at most ``HEADING_WORDS`` words that does not end
  a sentence). A text that only names «KS' digitaliseringsstrategi for kommuner og
  fylkeskommuner 2017–2020» is a title, not a copy.
* **reference**: it lies on a reference-list line: a line of at most ``REFERENCE_WORDS`` words
  that opens with an author (at most six words) and a year in brackets followed by
  ``.``/``,``/``:`` and a title (``KS (2016). Digitaliseringsstrategi …``), or that gives a
  web address or «Hentet fra», or any line after a heading *Referanser*, *Litteratur(liste)*,
  *Kilder* or *Kildeliste*.
* **quotation**: it lies (at least 80 % of it) inside quotation marks (« » and “ ”, nested
  quotations skipped, across page breaks; straight " " within one paragraph) and a source is
  given next to them: a bracket with a year or a page within ``SOURCE_WINDOW`` characters after the closing
  mark, or before the opening mark a named source: *heter det i*, *står det i*, *ifølge*,
  *jf.*, a year in brackets, or a name and a verb of saying (*KS skriver*, *Regjeringen
  sier*; not *Vi sier*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plangraf.reuse.seq import TokSeq

HEADING_WORDS = 15
REFERENCE_WORDS = 60
SOURCE_WINDOW = 100
QUOTE_REACH = 3000  # characters a quotation may run (straight quotes: within one paragraph)

_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_REF_OPEN = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:[^\s().]+\.?\s+){0,5}[^\s().]+\.?\s*"  # an author: at most six words
    r"\(\s*(?:\d{4}[a-z]?(?:\s*[–-]\s*\d{2,4})?|u\.å\.)\s*\)\s*[.,:]\s*\S+\s+\S+"  # (year). and a title
)
_REF_WEB = re.compile(r"https?://|www\.|\b(?:Hentet|Tilgjengelig|Lest)\s+(?:fra|den|\d)", re.IGNORECASE)
_REF_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:referanser|litteratur|litteraturliste|kilder|kildeliste)\s*$", re.I
)
_SOURCE_AFTER = re.compile(r"^[\s.,;:]{0,3}\((?=[^()]{0,80}(?:\d{4}|s\.\s*\d))[^()]{0,80}\)")
_SOURCE_BEFORE = re.compile(
    r"(?:\bheter det i\b|\bstår det i\b|\bifølge\b|\bjf\.|\(\s*\d{4}[a-z]?\s*\)"
    r"|\b(?!(?:Vi|Jeg|Det|Den|Dette|Kommunen|Vår)\b)[A-ZÆØÅ][\w.]*(?:\s+\(\d{4}\))?\s+(?:skriver|sier|uttrykker)\b)"
    r"[^«“\"]{0,60}$"
)


@dataclass(frozen=True)
class Titles:
    """Titles as stem sequences, by their first stem."""

    by_first: dict[str, list[tuple[str, ...]]]

    @classmethod
    def of(cls, titles: set[str]) -> Titles:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for title in sorted(titles):
            stems = tuple(TokSeq.of(title).stems)
            if len(stems) >= 2:
                by_first.setdefault(stems[0], []).append(stems)
        return cls(by_first)

    def covered(self, seq: TokSeq, lo: int, hi: int) -> set[int]:
        """Token positions in [lo, hi) that lie inside an occurrence of a title."""
        out: set[int] = set()
        stems = seq.stems
        for i in range(max(0, lo - 20), hi):
            for title in self.by_first.get(stems[i], ()):
                if tuple(stems[i : i + len(title)]) == title:
                    out.update(range(i, i + len(title)))
        return out


def heading_lines(text: str) -> set[str]:
    """Lines of a national text that are headings or titles: short, not ending a sentence."""
    out = set()
    for line in text.splitlines():
        words = line.split()
        if 2 <= len(words) <= HEADING_WORDS and not _SENTENCE_END.search(line):
            out.add(line.strip())
    return out


def reference_list_start(text: str) -> int:
    """Where the reference list begins: after the last heading *Referanser*, *Kilder* … (else never)."""
    last = len(text) + 1
    for match in re.finditer(r"^.*$", text, re.MULTILINE):
        if _REF_HEADING.match(match.group()):
            last = match.end()
    return last


def _entry(text: str, start: int, end: int) -> str:
    """The entry a span lies in: from the nearest line start before it that follows a blank line or a
    line ending a sentence, to the end of the span's last line; lines joined by spaces."""
    first = text.rfind("\n", 0, start) + 1
    while first > 0:
        before = text[text.rfind("\n", 0, first - 1) + 1 : first - 1]
        if not before.strip() or _SENTENCE_END.search(before):
            break
        first = text.rfind("\n", 0, first - 1) + 1
    last = text.find("\n", end)
    return " ".join(text[first : len(text) if last < 0 else last].split())


def is_reference(text: str, start: int, end: int, list_start: int) -> bool:
    """Whether [start, end) lies in a reference-list entry (see the module's rules)."""
    if start >= list_start:
        return True
    entry = _entry(text, start, end)
    return len(entry.split()) <= REFERENCE_WORDS and bool(_REF_OPEN.match(entry) or _REF_WEB.search(entry))


def _paired(text: str, probe: int, opener: str, closer: str) -> tuple[int, int] | None:
    """The quotation marks (« », “ ”) around ``probe``, nested quotations skipped."""
    lo_limit = max(0, probe - QUOTE_REACH)
    marks = [(m.start(), m.group()) for m in re.finditer(f"[{opener}{closer}]", text[lo_limit:probe])]
    depth, lo = 0, None
    for at, mark in reversed(marks):
        if mark == closer:
            depth += 1
        elif depth:
            depth -= 1
        else:
            lo = lo_limit + at
            break
    if lo is None:
        return None
    depth = 0
    for m in re.finditer(f"[{opener}{closer}]", text[lo + 1 : lo + 1 + QUOTE_REACH]):
        if m.group() == opener:
            depth += 1
        elif depth:
            depth -= 1
        else:
            return lo, lo + 1 + m.start()
    return None


def _straight(text: str, probe: int) -> tuple[int, int] | None:
    """The straight double quotes around ``probe`` within its paragraph (an odd number before it)."""
    blank = text.rfind("\n\n", 0, probe)
    first = max(blank + 2 if blank >= 0 else 0, probe - QUOTE_REACH)
    if text.count('"', first, probe) % 2 == 0:
        return None
    lo = text.rfind('"', first, probe)
    hi = text.find('"', probe, probe + QUOTE_REACH)
    return (lo, hi) if hi >= 0 else None


def is_quotation(text: str, start: int, end: int) -> bool:
    """Whether at least 80 % of [start, end) lies inside quotation marks with a source next to them."""
    probe = start + (end - start) // 5
    for found in (_paired(text, probe, "«", "»"), _paired(text, probe, "“", "”"), _straight(text, probe)):
        if found is None:
            continue
        lo, hi = found
        if 10 * (min(end, hi) - max(start, lo)) < 8 * (end - start):
            continue
        after = text[hi + 1 : hi + 1 + SOURCE_WINDOW]
        before = text[max(0, lo - SOURCE_WINDOW) : lo]
        if _SOURCE_AFTER.match(after) or _SOURCE_BEFORE.search(before):
            return True
    return False


def citation_kind(
    text: str, seq: TokSeq, pairs: tuple[tuple[int, int], ...], titles: Titles, min_words: int, list_start: int
) -> str:
    """``title``, ``reference`` or ``quotation`` if a span (its matched pairs) is a citation, else ``""``;
    ``list_start`` is :func:`reference_list_start` of ``text``."""
    lo, hi = pairs[0][0], pairs[-1][0] + 1
    start, end = seq.starts[lo], seq.ends[hi - 1]
    if is_reference(text, start, end, list_start):
        return "reference"
    if is_quotation(text, start, end):
        return "quotation"
    in_title = titles.covered(seq, lo, hi)
    if sum(1 for i, _ in pairs if i not in in_title) < min_words:
        return "title"
    return ""
