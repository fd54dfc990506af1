"""Find reused spans: shingle seeds from an index, then a banded local alignment over stems.

1. **Seeds.** Every stemmed word 3-gram (shingle) with at least one content word that the
   municipal text shares with a national passage is a seed (i, j): municipal token i, national
   token j (:mod:`plangraf.reuse.index`, one pass over the municipal text).
2. **Clusters.** A national passage's seeds that lie near each other (at most ``CLUSTER_GAP``
   municipal tokens apart, diagonals ``i - j`` at most ``BAND`` apart) form a cluster: the
   place where one copy may lie. A cluster whose seeds cover fewer than ``SEED_COVER``
   municipal words (a lone shared 3-gram) is not aligned.
3. **Local alignment.** Around each cluster the two token sequences are aligned with a
   Smith–Waterman local alignment over stems, banded to the cluster's diagonals ± ``BAND``:
   a shared stem scores ``MATCH`` (+1), a substituted word ``MISMATCH`` (−1), a word on one
   side only ``GAP`` (−1). The best-scoring alignment is a span; seeds outside it are aligned
   again, so one cluster can give several spans. Spans start and end on a matched content word.

A 25 % content-word edit rate leaves a positive score per word (0.75 − 0.25), so an edited copy
stays one span; unrelated text scores below zero and ends it. See :func:`classify` for classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plangraf.reuse.seq import TokSeq

MATCH, MISMATCH, GAP = 2, -1, -1
BAND = 12  # diagonals beyond the cluster's own: words inserted or dropped (page furniture, edits)
CLUSTER_GAP = 40  # municipal tokens between seeds of one cluster
PAD = 15  # tokens around a cluster that the alignment may extend into
SEED_COVER = 5  # municipal words a cluster's seeds must cover (a lone 3-gram covers 3) to be aligned
NEAR_VERBATIM_EDITS = 0.25  # at most this share of content words edited: near-verbatim
PARAPHRASE_EDITS = 0.4  # at most this share: paraphrase-candidate; more: not reported
INTERRUPTION = 6  # words inserted on the municipal side alone that interrupt a copy rather than edit it

Seed = tuple[int, int]


@dataclass(frozen=True)
class Span:
    """An aligned span: municipal tokens [a_start, a_end), national [b_start, b_end), matched pairs."""

    pairs: tuple[Seed, ...]  # (i, j) with equal stems, in order

    @property
    def a_start(self) -> int:
        return self.pairs[0][0]

    @property
    def a_end(self) -> int:
        return self.pairs[-1][0] + 1

    @property
    def b_start(self) -> int:
        return self.pairs[0][1]

    @property
    def b_end(self) -> int:
        return self.pairs[-1][1] + 1

    @property
    def matched(self) -> int:
        return len(self.pairs)

    def dice(self) -> float:
        """Matched words over the mean length of the two spans (1.0 = the same words)."""
        return 2 * self.matched / ((self.a_end - self.a_start) + (self.b_end - self.b_start))


def clusters(seeds: Iterable[Seed]) -> list[list[Seed]]:
    """Group one national passage's seeds into clusters of nearby seeds on nearby diagonals."""
    open_: list[list[Seed]] = []
    done: list[list[Seed]] = []
    for i, j in sorted(seeds):
        still = []
        home = None
        for cluster in open_:
            last_i, last_j = cluster[-1]
            if i - last_i > CLUSTER_GAP:
                done.append(cluster)
                continue
            still.append(cluster)
            if home is None and abs((i - j) - (last_i - last_j)) <= BAND:
                home = cluster
        open_ = still
        if home is None:
            open_.append([(i, j)])
        else:
            home.append((i, j))
    return done + open_


def _band_align(a: TokSeq, b: TokSeq, rows: range, dlo: int, dhi: int) -> tuple[Seed, ...]:
    """Smith–Waterman over municipal tokens ``rows`` and national tokens on diagonals [dlo, dhi]."""
    width = dhi - dlo + 1
    nb = len(b)
    prev = [0] * (width + 2)
    back: list[bytearray] = []
    best, best_at = 0, (0, 0)
    a_stems, b_stems = a.stems, b.stems
    for r, i in enumerate(rows):
        cur = [0] * (width + 2)
        moves = bytearray(width + 2)
        stem_i = a_stems[i]
        for k in range(width, 0, -1):  # k-1 = d - dlo; j = i - d; left move is k + 1 in this row
            j = i - (dlo + k - 1)
            if j < 0 or j >= nb:
                continue
            diag = prev[k] + (MATCH if b_stems[j] == stem_i else MISMATCH)
            up = prev[k - 1] + GAP
            left = cur[k + 1] + GAP
            score, move = diag, 1
            if up > score:
                score, move = up, 2
            if left > score:
                score, move = left, 3
            if score <= 0:
                continue
            cur[k], moves[k] = score, move
            if score > best:
                best, best_at = score, (r, k)
        back.append(moves)
        prev = cur
    return _trace(a, b, rows, dlo, back, best_at) if best else ()


def _trace(a: TokSeq, b: TokSeq, rows: range, dlo: int, back: list[bytearray], at: tuple[int, int]) -> tuple[Seed, ...]:
    r, k = at
    pairs = []
    while r >= 0 and 0 < k < len(back[r]) and back[r][k]:
        move = back[r][k]
        i = rows[r]
        if move == 1:
            j = i - (dlo + k - 1)
            if a.stems[i] == b.stems[j]:
                pairs.append((i, j))
            r -= 1
        elif move == 2:
            r, k = r - 1, k - 1
        else:
            k += 1
    return tuple(pairs[::-1])


def _trim(pairs: Sequence[Seed], a: TokSeq) -> tuple[Seed, ...]:
    """Let a span start and end on a matched content word."""
    lo, hi = 0, len(pairs)
    while lo < hi and not a.content[pairs[lo][0]]:
        lo += 1
    while hi > lo and not a.content[pairs[hi - 1][0]]:
        hi -= 1
    return tuple(pairs[lo:hi])


def align_cluster(a: TokSeq, b: TokSeq, seeds: list[Seed], min_words: int) -> list[Span]:
    """Every span of at least ``min_words`` matched words around one cluster of seeds."""
    spans: list[Span] = []
    todo = [seeds]
    while todo:
        group = todo.pop()
        if len({i + k for i, _ in group for k in range(3)}) < SEED_COVER:
            continue  # one stray shingle: no copy of min_words words lies here
        diagonals = [i - j for i, j in group]
        first = max(0, min(i for i, _ in group) - PAD)
        last = min(len(a), max(i for i, _ in group) + 3 + PAD)
        pairs = _trim(_band_align(a, b, range(first, last), min(diagonals) - BAND, max(diagonals) + BAND), a)
        if len(pairs) < min_words:
            continue
        span = Span(pairs)
        spans.append(span)
        rest = [s for s in group if s[0] + 2 < span.a_start or s[0] >= span.a_end]
        todo += [c for c in clusters(rest) if len(c) < len(group)]
    return spans


def align(a: TokSeq, b: TokSeq, seeds: list[Seed], min_words: int) -> list[Span]:
    """The reused spans of municipal tokens ``a`` in national passage ``b``, from their shared seeds."""
    spans = [s for cluster in clusters(seeds) for s in align_cluster(a, b, cluster, min_words)]
    return sorted(spans, key=lambda s: s.a_start)


def _interruptions(span: Span) -> set[int]:
    """Municipal tokens of one-sided insertions of at least ``INTERRUPTION`` words (page furniture,
    an inserted sentence): the copy goes on after them, so they are not edits of its words."""
    out: set[int] = set()
    for (i1, j1), (i2, j2) in zip(span.pairs, span.pairs[1:], strict=False):
        if j2 == j1 + 1 and i2 - i1 - 1 >= INTERRUPTION:
            out.update(range(i1 + 1, i2))
    return out


def edit_share(span: Span, a: TokSeq, b: TokSeq) -> float:
    """Share of content words edited: the unmatched content words of the side with more of them,
    over the content words of the longer side (a substituted word is unmatched on both sides).
    Interruptions (:func:`_interruptions`) count on neither side."""
    matched_a = {i for i, _ in span.pairs}
    matched_b = {j for _, j in span.pairs}
    skip = _interruptions(span)
    a_content = [i for i in range(span.a_start, span.a_end) if a.content[i] and i not in skip]
    b_content = [j for j in range(span.b_start, span.b_end) if b.content[j]]
    unmatched = max(sum(i not in matched_a for i in a_content), sum(j not in matched_b for j in b_content))
    return unmatched / max(len(a_content), len(b_content), 1)


def classify(span: Span, a: TokSeq, b: TokSeq) -> str:
    """``verbatim``: the same words after case, punctuation and whitespace are normalised;
    ``near-verbatim``: at most ``NEAR_VERBATIM_EDITS`` of the content words edited (inflection and
    function words free); ``paraphrase-candidate``: at most ``PARAPHRASE_EDITS``; else ``""`` (no reuse)."""
    if a.norms[span.a_start : span.a_end] == b.norms[span.b_start : span.b_end]:
        return "verbatim"
    share = edit_share(span, a, b)
    if share <= NEAR_VERBATIM_EDITS:
        return "near-verbatim"
    return "paraphrase-candidate" if share <= PARAPHRASE_EDITS else ""
