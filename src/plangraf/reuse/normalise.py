"""Word tokens, Norwegian stems and text clean-up shared by ingest and the reuse measure.

A token is a Unicode word (``\\w+``) with its character offsets in the original text, its
case-folded surface form and its stem. Stems come from the Snowball Norwegian stemmer
(the ``snowballstemmer`` package: pure Python, the reference implementation of Snowball),
followed by one extra rule: Snowball leaves the plural ``-er``/``-ern`` of nouns such as
*innbyggere*/*innbyggerne*, so a stem longer than five letters loses a final ``ern`` or ``er``
(*innbyggern*, *innbygger* and *innbygg* all become *innbygg*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from plangraf.reuse.hyphenation import resolve_line_end_hyphens

_WORD = re.compile(r"\w+")
_STEMMER = snowballstemmer.stemmer("norwegian")

# Norwegian function words: pronouns, articles, prepositions, conjunctions, auxiliaries,
# infinitive marker. A change in these alone keeps a span near-verbatim.
FUNCTION_WORDS = frozenset(
    """
    og i på til for av med som er var en et ei det den de dem å at om fra ved eller men så
    seg sin sitt sine vi oss vår våre deres du dere han hun hans hennes jeg meg min mitt mine
    har hadde vil skal kan må bør blir ble være vært bli denne dette disse der her hvor når
    hva hvem hvilke hvis også ikke mer mest enn samt både under over etter før mot gjennom
    mellom uten inn ut opp ned nå da bla blant annet andre alle hele slik sånn
    """.split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its offsets in the text, its case-folded form and its stem."""

    start: int
    end: int
    norm: str
    stem: str


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of a case-folded word: Snowball Norwegian plus the plural ``-er``/``-ern`` rule."""
    result = _STEMMER.stemWord(word)
    if len(result) > 5 and result.endswith("ern"):
        return result[:-3]
    if len(result) > 5 and result.endswith("er"):
        return result[:-2]
    return result


def tokens(text: str) -> list[Token]:
    """The word tokens of ``text`` with their offsets, case-folded forms and stems."""
    out = []
    for match in _WORD.finditer(text):
        norm = match.group().casefold()
        out.append(Token(match.start(), match.end(), norm, stem(norm)))
    return out


def is_function_word(word: str) -> bool:
    return word in FUNCTION_WORDS


_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Resolve hyphens at line ends, collapse runs of spaces and of blank lines.

    A line-end hyphen is joined, kept, or kept with a space before a conjunction by the rule of
    :mod:`plangraf.reuse.hyphenation` (``digitali-\\nsering`` becomes ``digitalisering``,
    ``kompetanse-\\nog`` becomes ``kompetanse- og``, ``e-\\npost`` becomes ``e-post``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = resolve_line_end_hyphens(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"
