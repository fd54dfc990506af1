"""An index over the national passages: every stemmed 3-gram with a content word, and where it occurs.

The municipal side is read once: each of its shingles is looked up in the index, so the time
grows with the length of the municipal text (plus the seeds found), not with the product of
the municipal text and the number of national passages. Shingles of function words only
(*og i det*) seed nothing; a shingle found in more than ``MAX_POSTINGS`` national places is a
stock phrase and seeds nothing either.
"""

from __future__ import annotations

from collections import defaultdict

from plangraf.reuse.align import Seed
from plangraf.reuse.seq import TokSeq

SHINGLE = 3
MAX_POSTINGS = 200

Shingle = tuple[str, str, str]


def build_index(national: list[TokSeq]) -> dict[Shingle, list[tuple[int, int]]]:
    """For every shingle with a content word: the (passage, token) places it starts at."""
    index: dict[Shingle, list[tuple[int, int]]] = defaultdict(list)
    for p, seq in enumerate(national):
        stems, content = seq.stems, seq.content
        for j in range(len(stems) - SHINGLE + 1):
            if content[j] or content[j + 1] or content[j + 2]:
                index[(stems[j], stems[j + 1], stems[j + 2])].append((p, j))
    return {k: v for k, v in index.items() if len(v) <= MAX_POSTINGS}


def seeds(a: TokSeq, index: dict[Shingle, list[tuple[int, int]]]) -> dict[int, list[Seed]]:
    """The seeds of municipal tokens ``a`` by national passage: one pass over the text."""
    out: dict[int, list[Seed]] = defaultdict(list)
    stems = a.stems
    get = index.get
    for i, key in enumerate(zip(stems, stems[1:], stems[2:], strict=False)):
        hits = get(key)
        if hits:
            for p, j in hits:
                out[p].append((i, j))
    return out
