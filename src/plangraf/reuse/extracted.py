"""What an extractor gives back: a document's text with its pages, headings, warnings and OCR record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Extracted:
    """A document's text, with the pages (1-based number, start, end), the headings (level, text,
    start), warnings about parts that could not be read (a damaged page), and for a scanned PDF
    the OCR record (engine, language, mean confidence)."""

    text: str
    format: str
    extractor: str
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    headings: list[tuple[int, str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr: dict[str, Any] | None = None


def place_headings(text: str, headings: list[tuple[int, str]]) -> list[tuple[int, str, int]]:
    """Each heading (level, text) with its character offset in ``text``, found in order."""
    placed, cursor = [], 0
    for level, title in headings:
        at = text.find(title, cursor)
        if title and at >= 0:
            placed.append((level, title, at))
            cursor = at + len(title)
    return placed


@dataclass
class Line:
    """One line of a page: its text, its top and bottom in points from the page's foot, its font size."""

    text: str
    top: float
    bottom: float
    size: float


@dataclass
class PageLines:
    number: int
    height: float
    lines: list[Line]
