"""Earlier wordings of a quoted paragraph (ledd), stored as ELI expressions with their periods.

The law texts in ``shared/reference`` are today's consolidated text only, so the reference
collection holds no earlier wording of any quoted paragraph and ``data/reference/laws.ttl``
has no dated expression. Where a source with an earlier wording is added, a CSV file lists the
paragraph's expressions and ``plangraf convert-reference --expressions FILE`` stores them:

``law,section,paragraph,letter,valid_from,valid_until,text,source,evidence``

- ``law`` — the Lovdata id (``LOV-2008-06-27-71``); ``section``, ``paragraph`` (1-based) and
  ``letter`` (or empty) — the paragraph, which must be in today's text;
- ``valid_from``, ``valid_until`` — the period of this wording (ISO dates; ``valid_until``
  empty for the wording in force today, whose ``text`` must be today's paragraph);
- ``text`` — the paragraph's words in that period; ``source`` — the file that holds them
  (relative to the CSV file's folder); ``evidence`` — that file's words that date them. Both
  ``text`` and ``evidence`` must be in ``source`` word for word.

The periods of one paragraph must not overlap. Each becomes an ``eli:LegalExpression`` that
``eli:realizes`` the paragraph (an ``eli:LegalResourceSubdivision`` of the section), with
``eli:first_date_entry_in_force``, ``eli:date_no_longer_in_force`` and ``pg:expressionText``;
every citation of the paragraph gets ``pg:citesPart``, and ``legal-basis`` quotes the
expression in force throughout the adoption window.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import DCTERMS, ELI, PG, PGID, PROV, RDF, RDFS, XSD, slugify
from plangraf.reference.laws import EU_LANGUAGE, NYNORSK, provision_iri
from plangraf.reference.lawtext import LETTERS, read_section

COLUMNS = ("law", "section", "paragraph", "letter", "valid_from", "valid_until", "text", "source", "evidence")


@dataclass(frozen=True)
class Expression:
    line: int
    law: str
    section: str
    paragraph: int
    letter: str | None
    valid_from: str
    valid_until: str | None
    text: str
    source: str
    evidence: str

    @property
    def part(self) -> tuple[str, str, int, str | None]:
        return (self.law, self.section, self.paragraph, self.letter)


def _words(text: str) -> str:
    return " ".join(text.split())


class _Reader:
    """Reads and checks the rows of one expressions file against the law texts."""

    def __init__(self, path: Path, texts: dict[str, str]) -> None:
        self.path, self.texts = path, texts
        self.line = 0

    def fail(self, field: str, message: str) -> PlangrafError:
        return PlangrafError(message, file=str(self.path), line=self.line, field=field)

    def date(self, cell: dict[str, str], field: str) -> str | None:
        value = cell[field]
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise self.fail(field, f"not an ISO date: {value!r}") from None

    def today(self, law: str, section: str, paragraph: int, letter: str | None) -> str:
        """Today's words of the paragraph (or its letter), checking each field names one."""
        if law not in self.texts:
            raise self.fail("law", f"unknown law {law!r} (one of {', '.join(sorted(self.texts))})")
        try:
            found = read_section(self.texts[law], section)
        except PlangrafError:
            raise self.fail("section", f"{law} has no § {section}") from None
        if not 1 <= paragraph <= len(found.paragraphs):
            raise self.fail("paragraph", f"§ {section} has no paragraph {paragraph}")
        para = found.paragraphs[paragraph - 1]
        if letter is None:
            return para.text
        if len(letter) != 1 or letter not in LETTERS or LETTERS.index(letter) >= len(para.items):
            raise self.fail("letter", f"§ {section} paragraph {paragraph} has no letter {letter!r}")
        return para.item(letter)

    def row(self, row: dict[str, str]) -> Expression:
        cell = {name: (row.get(name) or "").strip() for name in COLUMNS}
        law, section, letter = cell["law"], cell["section"], cell["letter"] or None
        try:
            paragraph = int(cell["paragraph"])
        except ValueError:
            raise self.fail("paragraph", f"not a paragraph number: {cell['paragraph']!r}") from None
        today = self.today(law, section, paragraph, letter)
        start, until = self.date(cell, "valid_from"), self.date(cell, "valid_until")
        if start is None:
            raise self.fail("valid_from", "missing: every expression needs the date its wording came into force")
        if until is not None and until < start:
            raise self.fail("valid_until", f"{until} is before valid_from {start}")
        text, source, evidence = _words(cell["text"]), cell["source"], _words(cell["evidence"])
        if until is None and text != _words(today):
            raise self.fail("text", f"the wording in force today (no valid_until) must be today's text of § {section}")
        try:
            held = _words((self.path.parent / source).read_text(encoding="utf-8"))
        except (FileNotFoundError, IsADirectoryError):
            raise self.fail("source", f"file not found: {source!r}") from None
        except UnicodeDecodeError:
            raise self.fail("source", f"{source!r} is not UTF-8 text") from None
        for field, words in (("text", text), ("evidence", evidence)):
            if not words or words not in held:
                raise self.fail(field, f"not in {source} word for word: {words[:60]!r}")
        return Expression(self.line, law, section, paragraph, letter, start, until, text, source, evidence)


def _overlaps(a: Expression, b: Expression) -> bool:
    return (a.valid_until is None or b.valid_from <= a.valid_until) and (
        b.valid_until is None or a.valid_from <= b.valid_until
    )


def read_expressions(path: Path, texts: dict[str, str]) -> list[Expression]:
    """The expressions of ``path``, checked; an error names the file, line and field."""
    reader = _Reader(path, texts)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return _read_rows(reader, csv.DictReader(handle))
    except FileNotFoundError:
        raise PlangrafError("expressions file not found", file=str(path)) from None
    except UnicodeDecodeError:
        raise PlangrafError("not UTF-8 text", file=str(path)) from None


def _read_rows(reader: _Reader, rows: csv.DictReader[str]) -> list[Expression]:
    missing = [c for c in COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise PlangrafError(f"missing columns: {', '.join(missing)}", file=str(reader.path), line=1, field="header")
    found: list[Expression] = []
    for row in rows:
        reader.line = rows.line_num
        expression = reader.row(row)
        for other in found:
            if other.part == expression.part and _overlaps(other, expression):
                until = other.valid_until or "today"
                raise reader.fail(
                    "valid_from", f"period overlaps that of line {other.line} ({other.valid_from}..{until})"
                )
        found.append(expression)
    return found


def _part_iri(law: str, section: str, paragraph: int, letter: str | None) -> URIRef:
    return URIRef(f"{provision_iri(law, 'section', section)}/paragraph/{paragraph}" + (f"/{letter}" if letter else ""))


def _add_part(g: Graph, e: Expression) -> URIRef:
    part = _part_iri(*e.part)
    g.add((part, RDF.type, ELI.LegalResourceSubdivision))
    g.add((part, ELI.is_part_of, provision_iri(e.law, "section", e.section)))
    g.add((part, ELI.number, Literal(f"{e.paragraph}{e.letter or ''}")))
    label = f"§ {e.section} ledd {e.paragraph}" + (f" bokstav {e.letter}" if e.letter else "")
    g.add((part, RDFS.label, Literal(label, lang="nb")))
    for node in g.subjects(PG.paragraphNumber, Literal(e.paragraph, datatype=XSD.positiveInteger)):
        letter = g.value(node, PG.letter)
        if g.value(node, PG.inProvision) == provision_iri(e.law, "section", e.section) and (
            (str(letter) if letter else None) == e.letter
        ):
            g.add((node, PG.citesPart, part))
    return part


def add_expressions(g: Graph, path: Path, texts: dict[str, str]) -> int:
    """Store the expressions of ``path`` in ``g`` (the laws graph); return how many."""
    expressions = read_expressions(path, texts)
    for e in expressions:
        part = _add_part(g, e)
        lang = "nn" if e.law in NYNORSK else "nb"
        node = URIRef(f"{part}/expression/{e.valid_from}")
        source = PGID[f"source/expressions/{slugify(e.source)}"]
        g.add((source, RDF.type, PROV.Entity))
        g.add((source, DCTERMS.identifier, Literal(e.source)))
        g.add((part, ELI.is_realized_by, node))
        g.add((node, RDF.type, ELI.LegalExpression))
        g.add((node, ELI.realizes, part))
        g.add((node, ELI.language, URIRef(EU_LANGUAGE + ("NNO" if lang == "nn" else "NOB"))))
        g.add((node, PG.expressionText, Literal(e.text, lang=lang)))
        g.add((node, ELI.first_date_entry_in_force, Literal(e.valid_from, datatype=XSD.date)))
        if e.valid_until:
            g.add((node, ELI.date_no_longer_in_force, Literal(e.valid_until, datatype=XSD.date)))
        g.add((node, PG.expressionEvidence, Literal(e.evidence, lang=lang)))
        g.add((node, DCTERMS.source, source))
    return len(expressions)
