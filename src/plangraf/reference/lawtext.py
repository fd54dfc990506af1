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


# Lovdata abbreviates months («1 nov 2019», «1 juli 2009») or writes them out («3 september
# 2021»); the first three letters tell them apart
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mai": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "okt": 10, "nov": 11, "des": 12}  # fmt: skip

_DATE = r"(\d{1,2}) ([a-zæøå]+)\.? (\d{4})"
# one amending act in an «Endret ved lov(er) …» note: «19 des 2014 nr. 91 (ikr. 1 jan 2015 iflg. res.
# 19 des 2014 nr. 1727 )»; the parenthesis (with its own «res. … nr.») is consumed with its act
_ACT = re.compile(_DATE + r" nr\. (\d+)\s*(?:\(([^)]*)\))?")


@dataclass(frozen=True)
class Amendment:
    """One amending act noted under a section: the act (``lov 22 juni 2018 nr. 83``) and the
    date its change came into force, where the note gives one (None where it does not)."""

    act: str
    in_force: str | None


def _iso(day: str, month: str, year: str) -> str | None:
    if month[:3] not in _MONTHS:
        return None
    return f"{year}-{_MONTHS[month[:3]]:02d}-{int(day):02d}"


def amendments(section: Section) -> list[Amendment]:
    """The acts the section's notes say added, changed or repealed it («Endret ved lov …»,
    «Tilføyd ved …, endret ved …», Nynorsk «Endra med …»), in the order noted.

    Lovdata's note dates the section's change, never a paragraph's: which ledd an act
    changed is not in the text. A note of a change still to come («Endres ved …») is left out."""
    found = []
    for note in section.notes:
        if not re.match(r"(Endret|Endra|Tilføyd|Tilføydd|Opphevet|Oppheva) (ved|med) ", note):
            continue
        for match in _ACT.finditer(note):
            day, month, year, number, parenthesis = match.groups()
            when = re.search(r"(?:ikr\.|i kraft) " + _DATE, parenthesis or "")
            found.append(Amendment(f"lov {day} {month} {year} nr. {number}", _iso(*when.groups()) if when else None))
    return found
