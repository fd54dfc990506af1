"""A compact token sequence for long texts: parallel lists of offsets, case-folded forms and stems.

A 50 MB saved page holds millions of words; one object per word would not fit the memory
target, so a text's tokens are four parallel sequences (start and end offsets as integer
arrays, forms and stems as lists of shared strings). The words and stems are those of
:func:`plangraf.reuse.normalise.tokens` (``\\w+``, case-folded, Snowball Norwegian plus the
plural rule), which a test checks.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from plangraf.reuse.normalise import is_function_word, stem

_WORD = re.compile(r"\w+")


@dataclass
class TokSeq:
    """The words of a text: ``starts[i]``, ``ends[i]`` (character offsets), ``norms[i]``, ``stems[i]``."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    norms: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)
    content: list[bool] = field(default_factory=list)  # not a function word

    def __len__(self) -> int:
        return len(self.norms)

    @classmethod
    def of(cls, text: str) -> TokSeq:
        seq = cls()
        forms: dict[str, str] = {}  # one string object per distinct form
        stems: dict[str, tuple[str, bool]] = {}
        for match in _WORD.finditer(text):
            word = match.group()
            norm = forms.get(word)
            if norm is None:
                norm = forms[word] = forms.get(word.casefold()) or word.casefold()
            known = stems.get(norm)
            if known is None:
                known = stems[norm] = (stem(norm), not is_function_word(norm))
            seq.starts.append(match.start())
            seq.ends.append(match.end())
            seq.norms.append(norm)
            seq.stems.append(known[0])
            seq.content.append(known[1])
        return seq
