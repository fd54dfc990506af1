"""Character offsets as each tool counts them (FACTS.md): the text a selection covers."""

from __future__ import annotations

import re

# the offset unit each tool reads and writes (FACTS.md), for export with a target tool
TOOLS = {"nvivo": "utf16", "atlasti": "codepoints-lf", "maxqda": "codepoints"}
_STATED = re.compile(r"; offsets: (utf16|codepoints-lf|codepoints)$")


def convention_for(origin: str) -> str:
    """NVivo counts UTF-16 code units; ATLAS.ti counts code points with CRLF as one; the rest code points.

    plangraf's own exports state their unit at the end of ``origin`` (``…; offsets: utf16``).
    """
    stated = _STATED.search(origin)
    if stated:
        return stated.group(1)
    lowered = origin.lower()
    if lowered.startswith("nvivo"):
        return "utf16"
    if lowered.startswith("atlas.ti"):
        return "codepoints-lf"
    return "codepoints"


def cut(text: str, start: int, end: int, convention: str) -> str:
    """``text[start:end]`` in the given unit (the BOM already removed); ValueError when out of range."""
    if convention == "codepoints-lf":
        text = text.replace("\r\n", "\n")
    if convention == "utf16":
        units = text.encode("utf-16-le")
        length = len(units) // 2
        if not 0 <= start <= end <= length:
            raise ValueError(f"range {start}–{end} is outside the source text (0–{length} UTF-16 code units)")
        try:
            return units[2 * start : 2 * end].decode("utf-16-le")
        except UnicodeDecodeError:
            raise ValueError(f"range {start}–{end} splits a character (a UTF-16 surrogate pair)") from None
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}–{end} is outside the source text (0–{len(text)} characters)")
    return text[start:end]


def position(text: str, index: int, convention: str) -> int:
    """A code-point index into ``text`` expressed in the convention's unit (for writers and tests)."""
    head = text[:index]
    if convention == "codepoints-lf":
        return len(head.replace("\r\n", "\n"))
    if convention == "utf16":
        return len(head.encode("utf-16-le")) // 2
    return len(head)
