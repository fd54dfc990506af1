"""The reuse pass: align every municipal passage with every national passage that shares a shingle."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.reuse.align import align, classify, shingles
from plangraf.reuse.corpus import (
    Passage,
    known_documents,
    load_reference,
    municipal_passages,
    read_national_texts,
    reference_passages,
)

DEFAULT_MIN_WORDS = 8
CLASS_ORDER = {"verbatim": 0, "near-verbatim": 1, "partial": 2}


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
    containment: float  # share of the municipal passage's shingles found in the national passage
    words: int  # words in common
    passage: str  # the municipal span, exact text
    national_passage: str  # the national span, exact text
    start: int  # character offsets of the span in the municipal passage
    end: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def national_corpus(reference_dir: Path, texts: Path | None) -> list[Passage]:
    """The national passages of the reference data, plus those of a texts folder if given."""
    reference = load_reference(reference_dir)
    passages = reference_passages(reference)
    if texts is not None:
        passages += read_national_texts(texts, known_documents(reference))
    return passages


def _containment(a_shingles: set[tuple[str, ...]], b_index: dict[tuple[str, ...], list[int]]) -> float:
    if not a_shingles:
        return 0.0
    return sum(1 for s in a_shingles if s in b_index) / len(a_shingles)


def _pair(a: Passage, b: Passage, b_index: dict[tuple[str, ...], list[int]], min_words: int) -> list[Reuse]:
    spans = align(a.toks, b_index, min_words)
    if not spans:
        return []
    containment = _containment(set(shingles(a.toks)), b_index)
    out = []
    for span in spans:
        a0, a1 = a.toks[span.a_start].start, a.toks[span.a_end - 1].end
        b0, b1 = b.toks[span.b_start].start, b.toks[span.b_end - 1].end
        out.append(
            Reuse(
                a.municipality,
                a.document,
                a.finding,
                b.document,
                b.source,
                b.goal,
                b.edition,
                [b.edition] if b.edition else [],
                classify(span, a.toks, b.toks),
                round(span.dice(), 3),
                round(containment, 3),
                span.matched,
                a.text[a0:a1],
                b.text[b0:b1],
                a0,
                a1,
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
    keep = []
    for row in rows:
        inside = any(
            o is not row
            and (o.document, o.finding, o.national_document) == (row.document, row.finding, row.national_document)
            and o.start <= row.start
            and row.end <= o.end
            and (o.end - o.start) > (row.end - row.start)
            for o in rows
        )
        if not inside:
            keep.append(row)
    return sorted(keep, key=lambda r: (r.municipality, r.document, r.finding, r.start, r.national_document))


def measure(municipal: list[Passage], national: list[Passage], min_words: int = DEFAULT_MIN_WORDS) -> list[Reuse]:
    """Every reused span of at least ``min_words`` matched words."""
    if min_words < 3:
        raise PlangrafError(f"the minimum span must be at least 3 words, not {min_words}", field="min_words")
    indexes = [shingles(p.toks) for p in national]
    postings: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for n, index in enumerate(indexes):
        for shingle in index:
            postings[shingle].add(n)
    rows: list[Reuse] = []
    for a in municipal:
        candidates: set[int] = set()
        for shingle in shingles(a.toks):
            candidates |= postings.get(shingle, set())
        for n in sorted(candidates):
            rows += _pair(a, national[n], indexes[n], min_words)
    return merge(rows, {p.document: p.year for p in municipal})


def measure_study(root: Path, study: Path, texts: Path | None, min_words: int = DEFAULT_MIN_WORDS) -> list[Reuse]:
    """Reuse in a study folder against the reference data under ``root`` and a texts folder."""
    national = national_corpus(root / "data" / "reference", texts)
    return measure(municipal_passages(study), national, min_words)
