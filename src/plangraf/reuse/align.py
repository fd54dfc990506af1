"""Find reused spans between two tokenised passages: shingle seeds, runs, chained local alignment.

1. **Seeds.** Every stemmed word 3-gram (shingle) the municipal passage shares with the
   national passage is a seed at (i, j): municipal token i, national token j.
2. **Runs.** Seeds on the same diagonal (i - j) at consecutive positions merge into a run of
   exactly matching stems (the longest common runs).
3. **Chains.** Runs that follow each other in both texts with at most ``MAX_GAP`` unmatched
   tokens between them on either side are chained into one aligned span, scored by the number
   of matched words (a local alignment with free short gaps). The best chain is taken, its
   runs removed, and the next best taken until no chain has ``min_words`` matched words.

Each span is then classed (see :func:`classify`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from plangraf.reuse.normalise import Token, is_function_word

SHINGLE = 3
MAX_GAP = 3
NEAR_VERBATIM_SHARE = 0.2  # at most this share of a span's tokens unmatched (all function words)


@dataclass(frozen=True)
class Run:
    a: int  # first municipal token
    b: int  # first national token
    length: int

    @property
    def a_end(self) -> int:
        return self.a + self.length

    @property
    def b_end(self) -> int:
        return self.b + self.length


@dataclass(frozen=True)
class Span:
    """An aligned span: token ranges [a_start, a_end) and [b_start, b_end) and its runs."""

    runs: tuple[Run, ...]

    @property
    def a_start(self) -> int:
        return self.runs[0].a

    @property
    def a_end(self) -> int:
        return self.runs[-1].a_end

    @property
    def b_start(self) -> int:
        return self.runs[0].b

    @property
    def b_end(self) -> int:
        return self.runs[-1].b_end

    @property
    def matched(self) -> int:
        return sum(r.length for r in self.runs)

    def dice(self) -> float:
        """Matched words over the mean length of the two spans (1.0 = the same words)."""
        return 2 * self.matched / ((self.a_end - self.a_start) + (self.b_end - self.b_start))


def shingles(toks: list[Token]) -> dict[tuple[str, ...], list[int]]:
    """Positions of every stemmed word n-gram of a passage."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    stems = [t.stem for t in toks]
    for i in range(len(stems) - SHINGLE + 1):
        index[tuple(stems[i : i + SHINGLE])].append(i)
    return index


def runs(a: list[Token], b_index: dict[tuple[str, ...], list[int]]) -> list[Run]:
    """Maximal runs of matching stems seeded by shared shingles."""
    seeds: dict[int, list[int]] = defaultdict(list)  # diagonal -> municipal positions
    stems = [t.stem for t in a]
    for i in range(len(stems) - SHINGLE + 1):
        for j in b_index.get(tuple(stems[i : i + SHINGLE]), ()):
            seeds[i - j].append(i)
    out = []
    for diagonal, positions in seeds.items():
        positions.sort()
        start = prev = positions[0]
        following: list[int | None] = [*positions[1:], None]
        for nxt in following:
            if nxt is not None and nxt == prev + 1:
                prev = nxt
                continue
            out.append(Run(start, start - diagonal, prev - start + SHINGLE))
            if nxt is not None:
                start = prev = nxt
    return sorted(out, key=lambda r: (r.a, r.b))


def _follows(first: Run, second: Run) -> bool:
    return first.a_end <= second.a <= first.a_end + MAX_GAP and first.b_end <= second.b <= first.b_end + MAX_GAP


def _best_chain(candidates: list[Run]) -> list[Run]:
    score = [r.length for r in candidates]
    back: list[int | None] = [None] * len(candidates)
    for k, run in enumerate(candidates):
        for p in range(k):
            if _follows(candidates[p], run) and score[p] + run.length > score[k]:
                score[k], back[k] = score[p] + run.length, p
    at: int | None = max(range(len(candidates)), key=score.__getitem__)
    chain = []
    while at is not None:
        chain.append(candidates[at])
        at = back[at]
    return chain[::-1]


def align(a: list[Token], b_index: dict[tuple[str, ...], list[int]], min_words: int) -> list[Span]:
    """The reused spans of municipal tokens ``a`` in the national passage indexed by ``b_index``."""
    candidates = runs(a, b_index)
    spans = []
    while candidates:
        chain = _best_chain(candidates)
        span = _trim(Span(tuple(chain)), a)
        if span is None or span.matched < min_words:
            break
        spans.append(span)
        candidates = [r for r in candidates if r.a_end <= span.a_start or r.a >= span.a_end]
    return sorted(spans, key=lambda s: s.a_start)


def _trim(span: Span, a: list[Token]) -> Span | None:
    """Let a span start and end on a content word: drop function words at either end."""
    runs_ = list(span.runs)
    while runs_ and is_function_word(a[runs_[0].a].norm):
        first = runs_[0]
        runs_[0] = Run(first.a + 1, first.b + 1, first.length - 1)
        if not runs_[0].length:
            runs_.pop(0)
    while runs_ and is_function_word(a[runs_[-1].a_end - 1].norm):
        last = runs_[-1]
        runs_[-1] = Run(last.a, last.b, last.length - 1)
        if not runs_[-1].length:
            runs_.pop()
    return Span(tuple(runs_)) if runs_ else None


def _unmatched(span: Span, side: str) -> list[int]:
    covered: set[int] = set()
    for r in span.runs:
        first = r.a if side == "a" else r.b
        covered.update(range(first, first + r.length))
    lo, hi = (span.a_start, span.a_end) if side == "a" else (span.b_start, span.b_end)
    return [i for i in range(lo, hi) if i not in covered]


def classify(span: Span, a: list[Token], b: list[Token]) -> str:
    """``verbatim``: the same words after case, punctuation and whitespace are normalised;
    ``near-verbatim``: the same stems in the same order except unmatched function words, at
    most a fifth of the span (inflection and small function-word changes); else ``partial``."""
    a_words = [t.norm for t in a[span.a_start : span.a_end]]
    b_words = [t.norm for t in b[span.b_start : span.b_end]]
    if a_words == b_words:
        return "verbatim"
    loose = [a[i].norm for i in _unmatched(span, "a")] + [b[j].norm for j in _unmatched(span, "b")]
    length = max(len(a_words), len(b_words))
    if all(is_function_word(w) for w in loose) and len(loose) <= max(2, NEAR_VERBATIM_SHARE * length):
        return "near-verbatim"
    return "partial"
