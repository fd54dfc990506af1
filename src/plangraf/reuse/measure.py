"""The reuse pass: index the national passages once, read each municipal text once, align at the seeds.

A span of an ingested text that lies inside a quoted finding of the same document (the
sidecar's ``quotes`` positions) is reported once, as that finding's span with offsets in the
document; the finding's quote is then not measured again on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.reuse.align import align, classify, edit_share
from plangraf.reuse.citation import Titles, citation_kind, heading_lines, reference_list_start
from plangraf.reuse.corpus import (
    Passage,
    known_documents,
    load_reference,
    municipal_passages,
    read_national_texts,
    reference_passages,
    reference_titles,
)
from plangraf.reuse.index import build_index, seeds

DEFAULT_MIN_WORDS = 8
CLASS_ORDER = {"verbatim": 0, "near-verbatim": 1, "paraphrase-candidate": 2, "citation": 3}
COUNTED = ("verbatim", "near-verbatim")  # the classes that are «klipp og lim»


@dataclass
class Reuse:
    """One reused span: a municipal passage restating a national one."""

    municipality: str
    document: str
    finding: str
    national_document: str
    national_source: str
    goal: str  # the guidance goal whose label or definition holds the span, if any
    edition: str  # the matching edition in force when the municipal document was made
    editions: list[str]  # every edition whose text holds the span
    reuse_class: str
    score: float  # matched words over the mean length of the two spans
    containment: float  # share of the municipal passage's word 3-grams found in the national passage
    words: int  # words in common
    passage: str  # the municipal span, exact text
    national_passage: str  # the national span, exact text
    start: int  # character offsets of the span in the municipal passage
    end: int
    citation: str = ""  # title | reference | quotation when reuse_class is citation
    edits: float = 0.0  # share of content words edited (see plangraf.reuse.align.edit_share)
    in_text: bool = False  # the offsets are in the ingested document text (else in the finding's quote)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def national_corpus(reference_dir: Path, texts: Path | None) -> tuple[list[Passage], set[str]]:
    """The national passages of the reference data (plus those of a texts folder if given), and
    the titles that name them (guidance documents' titles, the texts' heading lines)."""
    reference = load_reference(reference_dir)
    passages = reference_passages(reference)
    titles = reference_titles(reference)
    if texts is not None:
        folder = read_national_texts(texts, known_documents(reference))
        passages += folder
        titles |= {line for p in folder for line in heading_lines(p.text)}
    return passages, titles


@dataclass
class _Context:
    titles: Titles
    min_words: int


def _containment(a: Passage, found: list[tuple[int, int]]) -> float:
    """Share of the municipal passage's word 3-grams (by position) that the national passage holds."""
    return len({i for i, _ in found}) / max(1, len(a.seq) - 2)


def _finding_at(a: Passage, start: int, end: int) -> str:
    """The quoted finding of an ingested text whose position holds most of [start, end)."""
    for finding, (q0, q1) in a.quotes.items():
        if 2 * (min(end, q1) - max(start, q0)) >= end - start:
            return finding
    return ""


def _pair(a: Passage, b: Passage, found: list[tuple[int, int]], ctx: _Context, list_start: int) -> list[Reuse]:
    out = []
    for span in align(a.seq, b.seq, found, ctx.min_words):
        reuse_class = classify(span, a.seq, b.seq)
        if not reuse_class:
            continue
        kind = citation_kind(a.text, a.seq, span.pairs, ctx.titles, ctx.min_words, list_start)
        a0, a1 = a.seq.starts[span.a_start], a.seq.ends[span.a_end - 1]
        b0, b1 = b.seq.starts[span.b_start], b.seq.ends[span.b_end - 1]
        in_text = a.source.startswith("texts/")
        out.append(
            Reuse(
                a.municipality,
                a.document,
                _finding_at(a, a0, a1) if in_text else a.finding,
                b.document,
                b.source,
                b.goal,
                b.edition,
                [b.edition] if b.edition else [],
                "citation" if kind else reuse_class,
                round(span.dice(), 3),
                round(_containment(a, found), 3),
                span.matched,
                a.text[a0:a1],
                b.text[b0:b1],
                a0,
                a1,
                kind,
                round(edit_share(span, a.seq, b.seq), 3),
                in_text,
            )  # fmt: skip
        )
    return out


def _best_year(editions: list[str], year: int | None) -> str:
    """The latest edition issued no later than the municipal document's year (else the earliest)."""
    dated = sorted(editions, key=lambda e: e.rsplit("-", 1)[-1])
    if not dated:
        return ""
    before = [e for e in dated if year is None or int(e.rsplit("-", 1)[-1]) <= year]
    return before[-1] if before else dated[0]


def merge(rows: list[Reuse], years: dict[str, int | None]) -> list[Reuse]:
    """One row per municipal span and national document: the best match, with every edition."""
    groups: dict[tuple[str, str, int, int, str], list[Reuse]] = defaultdict(list)
    for row in rows:
        groups[(row.document, row.finding, row.start, row.end, row.national_document)].append(row)
    merged = []
    for group in groups.values():
        best = min(
            group, key=lambda r: (CLASS_ORDER[r.reuse_class], -r.words, -r.score, not r.edition, r.national_source)
        )
        editions = sorted({e for r in group for e in r.editions})
        goals = sorted(group, key=lambda r: (CLASS_ORDER[r.reuse_class], -r.words, r.goal))
        best.goal = next((r.goal for r in goals if r.goal), "")
        best.editions = editions
        best.edition = _best_year(editions, years.get(best.document))
        merged.append(best)
    return _drop_contained(merged)


def _drop_contained(rows: list[Reuse]) -> list[Reuse]:
    """Drop a span that lies inside a longer span of the same passage and national document."""
    groups: dict[tuple[str, str, str, bool], list[Reuse]] = defaultdict(list)
    for row in rows:
        groups[(row.document, row.finding, row.national_document, row.in_text)].append(row)
    keep = []
    for group in groups.values():
        group.sort(key=lambda r: (r.start, -(r.end - r.start)))
        reach = -1
        for row in group:
            if row.end > reach:
                keep.append(row)
            reach = max(reach, row.end)
    return sorted(keep, key=lambda r: (r.municipality, r.document, r.finding, r.start, r.national_document))


def measure(
    municipal: list[Passage],
    national: list[Passage],
    min_words: int = DEFAULT_MIN_WORDS,
    titles: frozenset[str] | set[str] = frozenset(),
) -> list[Reuse]:
    """Every reused span of at least ``min_words`` matched words; ``titles`` name national documents."""
    if min_words < 3:
        raise PlangrafError(f"the minimum span must be at least 3 words, not {min_words}", field="min_words")
    index = build_index([p.seq for p in national])
    ctx = _Context(Titles.of(set(titles)), min_words)
    quoted_in_texts = {f for a in municipal for f in a.quotes}
    rows: list[Reuse] = []
    for a in municipal:
        if a.finding in quoted_in_texts:
            continue  # measured once, in the ingested text
        found = seeds(a.seq, index)
        list_start = reference_list_start(a.text) if found else 0
        for n in sorted(found):
            rows += _pair(a, national[n], found[n], ctx, list_start)
    return merge(rows, {p.document: p.year for p in municipal})


def measure_study(root: Path, study: Path, texts: Path | None, min_words: int = DEFAULT_MIN_WORDS) -> list[Reuse]:
    """Reuse in a study folder against the reference data under ``root`` and a texts folder."""
    national, titles = national_corpus(root / "data" / "reference", texts)
    return measure(municipal_passages(study), national, min_words, titles)
