"""A compact token sequence for long texts: parallel lists of case-folded forms, stems and word kinds.

A 50 MB saved page holds millions of words; one object per word would not fit the memory
target, so a text's words are three parallel lists of shared strings and flags, read chunk by
chunk. Character offsets are found only for the words that need them (the ends of a span):
the text is split into chunks of about ``CHUNK`` characters at word boundaries, and the
offsets of word *k* are found by scanning its chunk alone. The words and stems are those of
:func:`plangraf.reuse.normalise.tokens` (``\\w+``, case-folded, Snowball Norwegian plus the
plural rule), which a test checks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from plangraf.reuse.normalise import is_function_word, stem

_WORD = re.compile(r"\w+")
_NOT_WORD = re.compile(r"\W")
CHUNK = 8192


class _Offsets:
    """``seq.starts[k]`` / ``seq.ends[k]``: the character offset of word k, found on demand."""

    def __init__(self, seq: TokSeq, end: bool) -> None:
        self.seq, self.end = seq, end

    def __getitem__(self, k: int) -> int:
        return self.seq.span(k)[1 if self.end else 0]

    def __len__(self) -> int:
        return len(self.seq)

    def __iter__(self) -> Iterator[int]:
        for match in _WORD.finditer(self.seq.text):
            yield match.end() if self.end else match.start()


@dataclass
class TokSeq:
    """The words of a text: ``norms[i]`` (case-folded), ``stems[i]``, ``content[i]`` (not a function
    word); ``starts[i]`` and ``ends[i]`` give the word's character offsets."""

    text: str = ""
    norms: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    content: list[bool] = field(default_factory=list)
    chunks: list[int] = field(default_factory=list)  # character offset of each chunk
    firsts: list[int] = field(default_factory=list)  # index of each chunk's first word
    _spans: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.norms)

    @property
    def starts(self) -> _Offsets:
        return _Offsets(self, end=False)

    @property
    def ends(self) -> _Offsets:
        return _Offsets(self, end=True)

    def span(self, k: int) -> tuple[int, int]:
        """Start and end offsets of word ``k`` (a scan of its chunk, remembered)."""
        if k < 0:
            k += len(self)
        if k in self._spans:
            return self._spans[k]
        if not 0 <= k < len(self):
            raise IndexError(k)
        chunk = bisect_right(self.firsts, k) - 1
        pos, first = self.chunks[chunk], self.firsts[chunk]
        for n, match in enumerate(_WORD.finditer(self.text, pos), first):
            if n == k:
                self._spans[k] = match.span()
                return self._spans[k]
        raise IndexError(k)

    @classmethod
    def of(cls, text: str) -> TokSeq:
        seq = cls(text)
        known: dict[str, tuple[str, str, bool]] = {}
        norms, stems, content = seq.norms, seq.stems, seq.content
        pos = 0
        while pos < len(text):
            cut = len(text) if pos + CHUNK >= len(text) else pos + CHUNK
            if cut < len(text):
                boundary = _NOT_WORD.search(text, cut)
                cut = boundary.start() if boundary else len(text)
            seq.chunks.append(pos)
            seq.firsts.append(len(norms))
            for word in _WORD.findall(text, pos, cut):
                info = known.get(word)
                if info is None:
                    norm = word.casefold()
                    info = known[word] = (norm, stem(norm), not is_function_word(norm))
                norms.append(info[0])
                stems.append(info[1])
                content.append(info[2])
            pos = cut
        return seq
