"""Edited copies for the reuse benchmark: content-word substitutions, inflection changes, rendering.

* :func:`edit_copy` replaces a given share of a passage's content words (never the first or
  last word) by other content words with another stem, and changes the inflection of some
  others (*tjenester* → *tjenestene*: the same stem, another form);
* :func:`expected_class` is the class the measure should give such a copy, by the thresholds
  of :mod:`plangraf.reuse.align`;
* :func:`render` lays a document out as a PDF's text layer would give it: lines of at most
  ``LINE`` characters, long words hyphenated at the line end, a header and a footer with the
  page number on every page, pages separated by a form feed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from plangraf.reuse.align import NEAR_VERBATIM_EDITS, PARAPHRASE_EDITS
from plangraf.reuse.normalise import is_function_word, stem

LINE = 90
LINES_PER_PAGE = 48
_WORD = re.compile(r"\w+")


@dataclass
class Edited:
    text: str
    content_words: int
    substituted: int
    inflected: int

    @property
    def share(self) -> float:
        return self.substituted / self.content_words if self.content_words else 0.0


_INFLECTIONS = (("ene", "er"), ("er", "ene"), ("en", ""), ("et", ""), ("e", ""), ("", "en"), ("", "et"), ("", "e"))


def inflect(word: str) -> str:
    """Another form of ``word`` with the same stem: an indefinite plural made definite (*tjenester* →
    *tjenestene*) or back, a definite ending dropped or added (*kommunen* → *kommune*), an adjective's
    *-e* dropped or added; else ``word`` itself."""
    base = word.casefold()
    for old, new in _INFLECTIONS:
        if base.endswith(old) and len(base) - len(old) >= 4:
            form = base[: len(base) - len(old)] + new
            if form != base and stem(form) == stem(base) and not is_function_word(form):
                return word[0] + form[1:] if word[:1].isupper() else form
    return word


def edit_copy(text: str, rate: float, rng: random.Random, vocabulary: list[str], inflect_rate: float = 0.1) -> Edited:
    """``text`` with ``round(rate × content words)`` content words substituted (not the first or last
    word) and about ``inflect_rate`` of the other content words inflected otherwise."""
    words = list(_WORD.finditer(text))
    content = [n for n, m in enumerate(words) if not is_function_word(m.group().casefold())]
    inner = [n for n in content if 0 < n < len(words) - 1]
    k = min(len(inner), round(rate * len(content)))
    substitute = set(rng.sample(inner, k))
    stems_here = {stem(m.group().casefold()) for m in words}
    replaced: dict[int, str] = {}
    for n in sorted(substitute):
        choices = [w for w in vocabulary if stem(w) not in stems_here and not is_function_word(w)]
        replaced[n] = rng.choice(choices)
    inflected = 0
    for n in content:
        if n not in substitute and rng.random() < inflect_rate:
            other = inflect(words[n].group())
            if other != words[n].group():
                replaced[n], inflected = other, inflected + 1
    out, last = [], 0
    for n, match in enumerate(words):
        if n in replaced:
            out += [text[last : match.start()], replaced[n]]
            last = match.end()
    out.append(text[last:])
    return Edited("".join(out), len(content), k, inflected)


def expected_class(edited: Edited) -> str:
    """The class the measure should give an edited copy (see plangraf.reuse.align.classify)."""
    if not edited.substituted and not edited.inflected:
        return "verbatim"
    if edited.share <= NEAR_VERBATIM_EDITS:
        return "near-verbatim"
    return "paraphrase-candidate" if edited.share <= PARAPHRASE_EDITS else ""


def _hyphenated(word: str) -> tuple[str, str] | None:
    """A soft break inside a long lower-case word: ``digitali-`` and ``sering``."""
    if len(word) < 10 or not word.isalpha() or not word.islower():
        return None
    cut = len(word) // 2
    return word[:cut] + "-", word[cut:]


def render(
    paragraphs: list[str], header: str, rng: random.Random, hyphenate: float = 0.5, marks: tuple[str, str] = ("", "")
) -> str:
    """The paragraphs as a PDF text layer: wrapped lines, line-end hyphens, header, footer, form feeds.
    ``marks`` (two characters) enclose each page's furniture, for a benchmark to find it again."""
    lines: list[str] = []
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split():
            if len(line) + 1 + len(word) <= LINE:
                line = f"{line} {word}" if line else word
                continue
            parts = _hyphenated(word) if rng.random() < hyphenate else None
            if parts and len(line) + 1 + len(parts[0]) <= LINE:
                lines.append(f"{line} {parts[0]}" if line else parts[0])
                line = parts[1]
            else:
                lines.append(line)
                line = word
        lines += [line, ""]
    pages = [lines[n : n + LINES_PER_PAGE] for n in range(0, len(lines), LINES_PER_PAGE)]
    total = len(pages)
    first, last = marks
    return "\f".join(
        "\n".join([f"{first}{header}{last}", "", *page, "", f"{first}Side {number} av {total}{last}"])
        for number, page in enumerate(pages, 1)
    )
