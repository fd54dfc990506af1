"""Words broken over a line end: join a typesetter's hyphen, keep a real one.

A hyphen at a line end is one of three things in Norwegian text:

* a **typesetter's break** inside a word (``digitali-⏎sering``): joined, ``digitalisering``;
* a **suspended compound** before a conjunction (``kompetanse-⏎og``, ``plan-⏎og``): the
  hyphen stays and the line end becomes a space, ``kompetanse- og``;
* a **hyphenated word** (``e-⏎post``, ``IKT-⏎strategi``, ``5G-⏎nett``): the hyphen stays,
  ``e-post``.

The rule, applied in this order:

1. the part after the break is a conjunction (*og*, *eller*, *samt*) and the joined form is not
   a known word: suspended compound, ``kompetanse- og``;
2. the part before the break is one letter, holds a digit or a capital after its first letter
   (an abbreviation: ``e-``, ``IKT-``, ``5G-``), or the part after it starts with a capital or a digit:
   the hyphen stays;
3. with a Norwegian word list: the hyphenated form is a listed word and the joined form is not:
   the hyphen stays (``gass-⏎sektor``, ``bunn-⏎noteringer``);
4. otherwise the word is joined.

Without a word list, rules 1, 2 and 4 apply (a conservative rule: it keeps every hyphen that
has a sign of being real and joins the rest). The word list is the first of
``$PLANGRAF_WORDLIST`` (a file, one word a line, UTF-8 or Latin-1) or the Debian package
``wnorwegian``'s ``/usr/share/dict/bokmaal`` and ``/usr/share/dict/nynorsk`` that exists; it is
read only when a text has a line-end hyphen. :func:`word_list_name` says which was used, and
the sidecar of an ingested text records it.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

WORDLIST_VARIABLE = "PLANGRAF_WORDLIST"
DEBIAN_WORDLISTS = (Path("/usr/share/dict/bokmaal"), Path("/usr/share/dict/nynorsk"))
CONJUNCTIONS = frozenset({"og", "eller", "samt"})

# a word part, a hyphen (ASCII or U+2010) at a line end, spaces, the next word part
LINE_END_HYPHEN = re.compile(r"(\w+)[-\u2010][ \t]*\n[ \t]*(\w+)")


def word_list_paths() -> list[Path]:
    configured = os.environ.get(WORDLIST_VARIABLE)
    if configured:
        return [Path(configured)] if Path(configured).is_file() else []
    return [path for path in DEBIAN_WORDLISTS if path.is_file()]


@lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> frozenset[str]:
    words: set[str] = set()
    for path in paths:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        words.update(text.casefold().split())
    return frozenset(words)


def word_list() -> frozenset[str]:
    """The Norwegian words known to the hyphenation rule (empty without a word list)."""
    return _load(tuple(word_list_paths()))


def word_list_name() -> str:
    """How line-end hyphens are resolved: the word list's file names, or the rule without one."""
    paths = word_list_paths()
    return "word list " + ", ".join(str(p) for p in paths) if paths else "rule without a word list"


def resolve(left: str, right: str, known: frozenset[str] | None = None) -> str:
    """``left`` and ``right`` as they are to be written when ``left-⏎right`` breaks at a line end."""
    joined = (left + right).casefold()
    known_joined = known is not None and joined in known
    if right.casefold() in CONJUNCTIONS and not known_joined:
        return f"{left}- {right}"
    if len(left) == 1 or any(c.isdigit() for c in left) or any(c.isupper() for c in left[1:]) or not right[0].islower():
        return f"{left}-{right}"
    if known is not None and f"{left}-{right}".casefold() in known and not known_joined:
        return f"{left}-{right}"
    return left + right


def resolve_line_end_hyphens(text: str) -> str:
    """Every line-end hyphen of ``text`` resolved by :func:`resolve` (the word list loaded if needed)."""
    if not LINE_END_HYPHEN.search(text):
        return text
    known = word_list() or None
    return LINE_END_HYPHEN.sub(lambda m: resolve(m.group(1), m.group(2), known), text)
