"""Links from a finding to guidance items, with their provenance (basis, coder, date).

A finding records a passage; each entry of its ``reflects`` list is a *link* from that
passage to a guidance item, and says on what it rests:

- ``stated``: the source itself ties the passage to the item (``cited`` names where and
  ``cited_text`` quotes the words that make the tie);
- ``coded``: a named coder read it into the passage (the default);
- ``suggested``: a method produced it (``method`` and ``score``); never counted in answers.

``how: absent`` records that the document was examined for the item and it is absent.
:func:`check_links` checks the entries of one finding; :func:`emit_links` writes them as
``pg:Link`` annotations beside the finding, plus the shortcut triples the reasoner uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_
from plangraf.rdf.namespaces import DCTERMS, OA, PG, PGID, PROV, RDF, XSD, concept_iri, guidance_iri

Triple = tuple[Node, Node, Node]


class TripleSink(Protocol):
    """Where the loader writes triples: an rdflib Graph, or a plain list with ``add``
    (:class:`plangraf.study.TripleList`; faster, the build adds the study's triples to its graph once)."""

    def add(self, triple: Triple, /) -> object: ...


HOW_PROPERTY = {
    "explicit-reference": PG.refersExplicitly,
    "verbatim": PG.reusesVerbatim,
    "paraphrase": PG.paraphrases,
    "thematic": PG.reflectsThematically,
}
# Dates that stand for "unknown" rather than a day anything happened on.
SENTINEL_DATES = {"0001-01-01", "1900-01-01", "1970-01-01", "2999-12-31", "9999-12-31"}


class FailContext(Protocol):
    def fail(self, message: str, here: Path_) -> PlangrafError: ...


@dataclass(frozen=True)
class Defaults:
    """Who coded and when, where a link or finding does not say."""

    coder: str | None
    coded: str | None


def check_coding_date(value: Any, ctx: FailContext, here: Path_, *, today: dt.date | None = None) -> None:
    """A coding date is a real day, not in the future and not a placeholder."""
    text = str(value)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ctx.fail(f"{value!r} is not a real date (YYYY-MM-DD)", here) from None
    if day > (today or dt.date.today()):
        raise ctx.fail(f"coding date {text} is in the future; give the day the coding was done", here)
    if text in SENTINEL_DATES or text[5:] in ("01-01", "12-31"):
        raise ctx.fail(
            f"coding date {text} looks like a placeholder (a sentinel or the first or last day of a year); "
            "give the real coding date or leave it out",
            here,
        )


def link_coder(item: dict[str, Any], finding: dict[str, Any], defaults: Defaults) -> str | None:
    """The coder of a link: its own, else the finding's, else the study's default."""
    return item.get("coder") or finding.get("coder") or defaults.coder


def link_key(item: dict[str, Any], coder: str | None) -> str:
    """What makes two links of one finding the same link: item, basis and who or what made it."""
    basis = item.get("basis", "coded")
    who = {"coded": coder, "suggested": item.get("method"), "stated": "source"}[basis]
    return f"{item['guidance'].replace('/', '.')}/{basis}/{who}"


def check_links(finding: dict[str, Any], ctx: FailContext, here: Path_, coders: set[str], defaults: Defaults) -> None:
    """Check each link's provenance fields; guidance ids are checked by the caller."""
    seen: dict[str, int] = {}
    for j, item in enumerate(finding.get("reflects", [])):
        there = here + ("reflects", j)
        basis = item.get("basis", "coded")
        coder = link_coder(item, finding, defaults)
        _check_basis_fields(item, basis, coder, ctx, there)
        if item.get("coder") and item["coder"] not in coders:
            raise ctx.fail(
                f"unknown coder '{item['coder']}'; listed in study.yaml: {sorted(coders)}", there + ("coder",)
            )
        if "coded" in item:
            check_coding_date(item["coded"], ctx, there + ("coded",))
        key = link_key(item, coder)
        if key in seen:
            raise ctx.fail(
                f"link to '{item['guidance']}' repeats reflects[{seen[key]}] with the same basis and coder",
                there + ("guidance",),
            )
        seen[key] = j


def _check_basis_fields(item: dict[str, Any], basis: str, coder: str | None, ctx: FailContext, here: Path_) -> None:
    # Issue 22: a stated link names the section and quotes the source's words that make the tie.
    required = {"stated": ("cited", "cited_text"), "suggested": ("method", "score"), "coded": ()}[basis]
    for key in required:
        if key not in item:
            raise ctx.fail(f"a '{basis}' link needs '{key}'", here + (key,))
    if basis == "coded" and not coder:
        raise ctx.fail(
            "a 'coded' link needs a coder: give 'coder' here, on the finding, or as the study's default coder",
            here + ("coder",),
        )
    allowed = {"stated": {"cited", "cited_text"}, "suggested": {"method", "score"}, "coded": set()}[basis]
    for key in ("cited", "cited_text", "method", "score"):
        if key in item and key not in allowed:
            raise ctx.fail(f"'{key}' does not belong on a '{basis}' link", here + (key,))
    if "suggested_by" in item and basis != "coded":  # issue 14: an accepted suggestion
        raise ctx.fail(f"'suggested_by' belongs on a coded link (an accepted suggestion), not a '{basis}' one", here)


def emit_links(
    graph: TripleSink,
    finding: dict[str, Any],
    f: URIRef,
    target: URIRef,
    defaults: Defaults,
    section: Any,
) -> int:
    """Write the links of one finding; return how many. ``section(node, source)`` adds
    pg:sourceSection triples (the builder's)."""
    for item in finding.get("reflects", []):
        coder = link_coder(item, finding, defaults)
        link = URIRef(f"{f}/link/{link_key(item, coder)}")
        basis = item.get("basis", "coded")
        item_iri = guidance_iri(item["guidance"])
        graph.add((link, RDF.type, PG.Link))
        graph.add((link, PG.linkOf, f))
        graph.add((link, OA.hasTarget, target))
        graph.add((link, OA.hasBody, item_iri))
        graph.add((link, OA.motivatedBy, OA.classifying))
        graph.add((link, PG.relation, concept_iri("relation", item["how"])))
        graph.add((link, PG.basis, concept_iri("basis", basis)))
        _emit_basis_details(graph, link, item, basis, coder, finding, defaults, section)
        if item["how"] == "absent":
            graph.add((f, PG.examinedAbsent, item_iri))
        elif basis != "suggested":
            graph.add((f, HOW_PROPERTY[item["how"]], item_iri))
    return len(finding.get("reflects", []))


def _emit_basis_details(
    graph: TripleSink,
    link: URIRef,
    item: dict[str, Any],
    basis: str,
    coder: str | None,
    finding: dict[str, Any],
    defaults: Defaults,
    section: Any,
) -> None:
    if basis == "coded" and coder:
        graph.add((link, PROV.wasAttributedTo, PGID[f"agent/{coder}"]))
    coded = item.get("coded") or finding.get("coded") or defaults.coded
    if coded and basis == "coded":
        graph.add((link, DCTERMS.created, Literal(str(coded), datatype=XSD.date)))
    if "confidence" in item:
        graph.add((link, PG.confidence, concept_iri("confidence", item["confidence"])))
    if basis == "stated":
        section(link, item["cited"], prop=PG.citedSection)
        if "cited_text" in item:
            graph.add((link, PG.citedText, Literal(item["cited_text"], lang="nb")))
    if basis == "suggested":
        graph.add((link, PG.suggestedBy, Literal(item["method"])))
        graph.add((link, PG.score, Literal(float(item["score"]), datatype=XSD.double)))
    if "suggested_by" in item:  # issue 14: a coded link that accepted a suggestion keeps it
        graph.add((link, PG.suggestedBy, Literal(item["suggested_by"]["method"])))
        graph.add((link, PG.score, Literal(float(item["suggested_by"]["score"]), datatype=XSD.double)))
    if "edition" in item:
        graph.add((link, PG.edition, guidance_iri(item["edition"])))
    if "note" in item:
        graph.add((link, PG.note, Literal(item["note"], lang="en")))
