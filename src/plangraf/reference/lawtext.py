"""Read a section of a Lovdata law text (Markdown) as paragraphs (ledd) and letters.

The law files in ``shared/reference/lovdata-lover_norwegian-laws/`` give each section a
heading (``###### § 11-1. Kommuneplan``) followed by its paragraphs, separated by blank
lines. A list that follows a paragraph holds that paragraph's lettered items (Lovdata's
``bokstav a``, ``b`` … are rendered as ``-`` bullets). Italic blocks (``*Endret ved …*``)
are editorial notes, not paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plangraf.core.errors import PlangrafError

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Paragraph:
    """One ledd: its text and its lettered items (a, b, …) in order."""

    text: str
    items: list[str] = field(default_factory=list)

    def item(self, letter: str) -> str:
        index = LETTERS.index(letter)
        if index >= len(self.items):
            raise PlangrafError(f"paragraph has no letter {letter}", field="letter")
        return self.items[index]


@dataclass
class Section:
    """A section (paragraf) of a law: heading, paragraphs and editorial notes."""

    heading: str
    paragraphs: list[Paragraph]
    notes: list[str]

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise PlangrafError(f"{self.heading} has no paragraph {number}", field="paragraph")
        return self.paragraphs[number - 1]


def _section_body(text: str, number: str) -> tuple[str, list[str]]:
    pattern = rf"^(#+)\s+(§ {re.escape(number)}\.\s.*)$"
    match = re.search(pattern, text, flags=re.MULTILINE)
    if not match:
        raise PlangrafError(f"section § {number} not found", field="provision")
    rest = text[match.end() :]
    end = re.search(r"^#+\s", rest, flags=re.MULTILINE)
    body = rest[: end.start()] if end else rest
    return match.group(2).strip(), [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]


def read_section(text: str, number: str) -> Section:
    """The section ``§ number`` of the law ``text``, split into paragraphs and letters."""
    heading, blocks = _section_body(text, number)
    paragraphs: list[Paragraph] = []
    notes: list[str] = []
    for block in blocks:
        if block.startswith("*") and block.endswith("*"):
            notes.append(block.strip("*").strip())
        elif block.startswith("- "):
            if not paragraphs:
                raise PlangrafError(f"{heading}: a list before any paragraph", field="provision")
            items = [line[2:].strip() for line in block.splitlines() if line.startswith("- ")]
            paragraphs[-1].items.extend(items)
        else:
            paragraphs.append(Paragraph(" ".join(block.split())))
    return Section(heading, paragraphs, notes)


def quote_in(section: Section, paragraph: int, letter: str | None, quote: str) -> str:
    """``quote`` if it is the law's own words in that paragraph (or its lettered item).

    Raises when it is not there, so a wrong paragraph or letter cannot be cited.
    """
    para = section.paragraph(paragraph)
    text = para.item(letter) if letter else para.text
    if quote not in text:
        where = f"paragraph {paragraph}" + (f" letter {letter}" if letter else "")
        raise PlangrafError(f"{section.heading}, {where}: text not found: {quote!r}", field="quote")
    return quote


_MONTHS = {"jan": 1, "feb": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7, "aug": 8,
           "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12}  # fmt: skip


def last_amended(section: Section) -> str | None:
    """The latest date an amendment noted under the section came into force (``ikr. 1 nov
    2019`` in an ``Endret ved …`` note), as ISO text; None where no amendment is noted."""
    dates = []
    for note in section.notes:
        for day, month, year in re.findall(r"ikr\. (\d{1,2}) ([a-zæøå]+)\.? (\d{4})", note):
            if month in _MONTHS:
                dates.append(f"{year}-{_MONTHS[month]:02d}-{int(day):02d}")
    return max(dates) if dates else None
