"""Periods of time in the reference data: blank nodes labelled by what they are the period of.

So ``convert-reference`` writes the same bytes on every run; a new random label per run made
every regeneration of ``municipalities.ttl`` a meaningless diff."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef

from plangraf.rdf.namespaces import DCAT, DCTERMS, PGID, RDF, XSD


def period_label(of: URIRef) -> str:
    """``municipality-number/3803-2020`` → ``municipality-number-3803-2020-period``: the
    resource's id under ``pgid:`` in the letters, digits and hyphens a Turtle label takes."""
    key = str(of).removeprefix(str(PGID))
    return re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-") + "-period"


def add_period(graph: Graph, of: URIRef, start: str | None, end: str | None) -> BNode:
    """A ``dcterms:PeriodOfTime`` from ``start`` to ``end`` (either may be unknown), the
    ``dcterms:temporal`` of ``of``; its label is derived from ``of``, which has one period."""
    node = BNode(period_label(of))
    if (node, None, None) in graph:
        raise ValueError(f"{of} has a period already")
    graph.add((of, DCTERMS.temporal, node))
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((node, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((node, DCAT.endDate, Literal(end, datatype=XSD.date)))
    return node
