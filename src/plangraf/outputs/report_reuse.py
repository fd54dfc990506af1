"""The report's reuse section: the measured spans (query ``reuse``) with the shared words marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from plangraf.answers.query import resolve_query, run_query
from plangraf.reuse.normalise import tokens


def marked(text: str, other: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each with whether it is a word whose stem ``other`` also has."""
    stems = {t.stem for t in tokens(other)}
    parts: list[tuple[str, bool]] = []
    at = 0
    for token in tokens(text):
        if token.start > at:
            parts.append((text[at : token.start], False))
        parts.append((text[token.start : token.end], token.stem in stems))
        at = token.end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def reuse_section(store: ox.Store, queries_dir: Path) -> list[dict[str, Any]]:
    """Rows of the shipped query ``reuse``, each passage split into marked and unmarked pieces."""
    rows = run_query(store, resolve_query("reuse", queries_dir)).rows
    return [
        {
            **row,
            "passage_parts": marked(str(row["passage"]), str(row["national_passage"])),
            "national_parts": marked(str(row["national_passage"]), str(row["passage"])),
        }
        for row in rows
    ]
