"""How far the reference texts date the words plangraf quotes from a provision.

The law texts in ``shared/reference/lovdata-lover_norwegian-laws/`` are today's consolidated
text. Under each amended section Lovdata notes the amending acts and when they came into
force («Endret ved lov 22 juni 2018 nr. 83 (ikr. 1 nov 2019 …)»), but never which paragraph
(ledd) or sentence an act changed. So, for a quote:

- ``pg:wordingInForceFrom`` — from this date the quoted words are certainly in force: the
  latest of the section's entry into force and its noted amendments. Not given where a noted
  amendment has no in-force date (the words are then not dated at all).
- ``pg:lastAmendmentInForce`` (on the section) — the latest amendment's in-force date. A
  document adopted before it falls under a section that was amended since; whether the quoted
  ledd changed is not in the source (``legal-basis``: ``section-amended-since``).
- ``pg:wordingChangedOn`` with ``pg:wordingNote`` — only where the quoted sentence itself
  shows that it came with a noted amendment (:data:`SENTENCES`): it names a provision of the
  amending act. Before that date the provision read otherwise (``earlier-wording``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import PG, XSD
from plangraf.reference.lawtext import Amendment, amendments, read_section
from plangraf.reference.legal_bases import KOML, PBL, in_force


@dataclass(frozen=True)
class SentenceDating:
    """A quoted sentence that names a provision of the act that amended its section."""

    law: str  # the Lovdata id of the quoted law
    section: str
    paragraph: int
    cites: str  # the words of the sentence naming the amending act's provision
    act: str  # the amending act as the section's note names it
    act_id: str  # its Lovdata id (its text is in the reference collection)
    act_section: str  # the provision of the amending act the sentence names
    act_words: str  # that provision's words that show it is the one the sentence means


SENTENCES: tuple[SentenceDating, ...] = (
    # pbl § 11-1 fourth paragraph, second sentence: «Økonomiplanen etter kommuneloven § 14-2
    # bokstav a kan inngå i eller utgjøre handlingsdelen.» § 14-2 letter a of the 2018 act is
    # «økonomiplanen og årsbudsjettet»; the section's only noted amendment is by that act
    SentenceDating(PBL, "11-1", 4, "kommuneloven § 14-2 bokstav a", "lov 22 juni 2018 nr. 83", KOML, "14-2",
                   "økonomiplanen og årsbudsjettet"),
)  # fmt: skip


def _note(rule: SentenceDating, amendment: Amendment) -> str:
    return (
        f"The sentence names «{rule.cites}», the provision of the act {rule.act_id} whose words are "
        f"«{rule.act_words}» (§ {rule.act_section}). The Lovdata text notes one amendment of the section by "
        f"that act («{amendment.act}»), in force on {amendment.in_force}, so the sentence did not read so "
        f"before that date. Its earlier words are not in the reference collection."
    )


def _sentence_change(
    texts: dict[str, str], law: str, number: str, paragraph: int, quote: str, noted: list[Amendment]
) -> tuple[str, str] | None:
    """(date, note) where a rule of :data:`SENTENCES` dates the quoted sentence, else None."""
    for rule in SENTENCES:
        if (rule.law, rule.section, rule.paragraph) != (law, number, paragraph) or rule.cites not in quote:
            continue
        act = [a for a in noted if a.act == rule.act and a.in_force]
        if not act:
            raise PlangrafError(f"§ {number}: no dated amendment by {rule.act} is noted", field="wording")
        cited = read_section(texts[rule.act_id], rule.act_section)
        if not any(rule.act_words in item for p in cited.paragraphs for item in (p.text, *p.items)):
            raise PlangrafError(f"§ {rule.act_section} of {rule.act_id}: text not found: {rule.act_words!r}")
        return str(act[0].in_force), _note(rule, act[0])
    return None


def add_amendments(g: Graph, provision: URIRef, text: str, number: str) -> None:
    """The section's latest dated amendment (``pg:lastAmendmentInForce``) and its notes."""
    section = read_section(text, number)
    dated = [a.in_force for a in amendments(section) if a.in_force]
    if dated:
        g.add((provision, PG.lastAmendmentInForce, Literal(max(dated), datatype=XSD.date)))
    for note in section.notes:
        g.add((provision, PG.amendmentNote, Literal(note, lang="nb")))


def add_wording(
    g: Graph, node: URIRef, texts: dict[str, str], law: str, number: str, paragraph: int, quote: str
) -> None:
    """How far the source dates the words ``quote`` of ``law`` § ``number`` (see the module)."""
    noted = amendments(read_section(texts[law], number))
    period = in_force(law, number)
    dates = [a.in_force for a in noted] + ([period[0]] if period and period[0] else [])
    if dates and all(dates):
        g.add((node, PG.wordingInForceFrom, Literal(max(d for d in dates if d), datatype=XSD.date)))
    change = _sentence_change(texts, law, number, paragraph, quote, noted)
    if change:
        g.add((node, PG.wordingChangedOn, Literal(change[0], datatype=XSD.date)))
        g.add((node, PG.wordingNote, Literal(change[1], lang="en")))
