"""Serialise the built graph in standard RDF formats, with or without inferred triples."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.core.formats import EXPORT_FORMATS
from plangraf.graph.build import ASSERTED_GRAPH, INFERRED_GRAPH
from plangraf.rdf.namespaces import bind_prefixes


def canonical(triple: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """The triple with an xsd:decimal object in its canonical form ("1" -> "1.0"): Turtle writes
    a decimal with a dot and reads it back so, JSON-LD keeps the lexical form; only the
    canonical form gives every export the same triples."""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.decimal:
        try:
            value = Decimal(str(o))
        except InvalidOperation:
            return triple
        text = format(value, "f")
        text = (text.rstrip("0").rstrip(".") if "." in text else text) or "0"
        o = Literal(text if "." in text else text + ".0", datatype=XSD.decimal)
    return s, p, o


def serialize(asserted: Graph, inferred: Graph, fmt: str = "turtle", *, include_inferred: bool = True) -> str:
    """The graph as text. ``trig`` keeps asserted and inferred triples in named graphs."""
    if fmt not in EXPORT_FORMATS:
        raise PlangrafError(f"unknown format '{fmt}'; allowed: {', '.join(EXPORT_FORMATS)}", field="--format")
    if fmt == "trig":
        dataset = Dataset()
        bind_prefixes(dataset)
        target = dataset.graph(ASSERTED_GRAPH)
        for t in asserted:
            target.add(canonical(t))
        if include_inferred:
            target = dataset.graph(INFERRED_GRAPH)
            for t in inferred:
                target.add(canonical(t))
        return dataset.serialize(format="trig")
    graph = Graph()
    bind_prefixes(graph)
    for t in asserted:
        graph.add(canonical(t))
    if include_inferred:
        for t in inferred:
            graph.add(canonical(t))
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True)
    return graph.serialize(format=EXPORT_FORMATS[fmt])


def export(
    asserted: Graph,
    inferred: Graph,
    fmt: str = "turtle",
    *,
    include_inferred: bool = True,
    out: Path | None = None,
) -> str | Path:
    """Serialise; write atomically to ``out`` if given (returns the path), else return text."""
    text = serialize(asserted, inferred, fmt, include_inferred=include_inferred)
    if out is None:
        return text
    return write_atomic(out, text)
