"""Parse RDF files with errors that name the file and line."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import read_text
from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.namespaces import PG, bind_prefixes

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse ``path`` (format from its suffix) into ``graph`` (a new one if ``None``)."""
    target = graph if graph is not None else Graph()
    if graph is None:
        bind_prefixes(target)
    for triple in read_triples(path):
        target.add(triple)
    return target


def read_triples(path: Path) -> Iterable[tuple[Node, Node, Node]]:
    """Every triple of ``path`` (format from its suffix), all read before any is returned;
    a bad file raises :class:`PlangrafError` naming it and, where known, the line."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise PlangrafError(
            f"unknown RDF file type '{path.suffix}'; use one of {', '.join(sorted(FORMATS))}", file=str(path)
        )
    text = read_text(path)
    if fmt == "xml":
        _refuse_xml_entities(text, path)
    elif fmt == "json-ld":
        _refuse_remote_contexts(text, path)
    fast = _parse_fast(text, fmt, path)
    return fast if fast is not None else _parse_rdflib(text, fmt, path)


def read_ox_triples(path: Path) -> list[tuple[Any, Any, Any]]:
    """Every triple of ``path`` as pyoxigraph terms (no rdflib objects for Turtle and
    N-Triples, parsed by pyoxigraph); other formats, and files pyoxigraph refuses, go through
    :func:`read_triples`, so a bad file fails with the same line."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt in ("turtle", "nt"):
        text = read_text(path)
        try:
            triples = [
                (q.subject, q.predicate, q.object)
                for q in ox.parse(
                    text, format=oxbridge.FORMATS[fmt], base_iri=path.resolve().as_uri(), without_named_graphs=True
                )
            ]
        except (SyntaxError, ValueError):
            triples = None
        if triples is not None and not any(type(s) is ox.Triple or type(o) is ox.Triple for s, _p, o in triples):
            return stable_blank_nodes(triples, path.name, text)
    # rdflib's blank nodes and triple order change from one parse to the next: canonical labels
    # (RDFC-1.0) and a sorted order first, so the renaming below sees the same triples each time
    dataset = ox.Dataset(
        ox.Quad(oxbridge.to_ox(s), oxbridge.to_ox(p), oxbridge.to_ox(o))  # type: ignore[arg-type]
        for s, p, o in read_triples(path)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    converted = sorted(((q.subject, q.predicate, q.object) for q in dataset), key=lambda t: tuple(map(str, t)))
    return stable_blank_nodes(converted, path.name, read_text(path))


def stable_blank_nodes(triples: list[tuple[Any, Any, Any]], name: str, text: str) -> list[tuple[Any, Any, Any]]:
    """``triples`` with each blank node renamed after the file (its name and text) and the order
    in which it first appears, instead of the parser's random label.

    The same file thus gives the same blank nodes in every build, so the build's files are the
    same bytes for the same inputs and an edit elsewhere does not show as every anonymous node
    of this file removed and added again (the store's delta, the change record validation reads).
    Two different files never share a label: the name and text are hashed into it."""
    prefix = "f" + hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()[:16] + "b"
    names: dict[Any, Any] = {}

    def stable(term: Any) -> Any:
        if type(term) is not ox.BlankNode:
            return term
        found = names.get(term)
        if found is None:
            found = names[term] = ox.BlankNode(f"{prefix}{len(names)}")
        return found

    return [(stable(s), p, stable(o)) for s, p, o in triples]


def _parse_fast(text: str, fmt: str, path: Path) -> list[tuple[Node, Node, Node]] | None:
    """Turtle and N-Triples parsed by pyoxigraph (same triples as rdflib, tested, several
    times faster); ``None`` for other formats or when pyoxigraph finds an error, so that
    rdflib's parser reports it as before. All triples are read before any is added."""
    if fmt not in ("turtle", "nt"):
        return None
    try:
        return list(oxbridge.parse_triples(text, fmt, path.resolve().as_uri()))
    except (SyntaxError, ValueError, oxbridge.TermError):
        return None


def _parse_rdflib(text: str, fmt: str, path: Path) -> Graph | list[tuple[Node, Node, Node]]:
    # TriG: the triples of every graph in the file together (a plain graph would keep the
    # default graph's only, and a TriG file written by plangraf has none)
    scratch = Dataset(default_union=True) if fmt == "trig" else Graph()
    try:
        scratch.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many types; all mean a bad file
        message = str(exc).strip().splitlines()
        first = next((m for m in message if m.strip()), type(exc).__name__)
        line = _line_from_message(str(exc))
        detail = re.sub(r"\s+", " ", str(exc)).strip()
        if "Prefix" in detail and "not bound" in detail:
            prefix = re.search(r'Prefix "([^"]*)"', detail)
            first = f"unknown prefix '{prefix.group(1).rstrip(':') if prefix else '?'}:' (declare it with @prefix)"
        elif len(detail) < 300:
            first = detail
        raise PlangrafError(f"{fmt} syntax error: {first}", file=str(path), line=line) from None
    return list(scratch.triples((None, None, None))) if isinstance(scratch, Dataset) else scratch


def _refuse_xml_entities(text: str, path: Path) -> None:
    """Refuse RDF/XML that declares entities: external ones could read local files or the
    network, internal ones can expand without bound. defusedxml does the checking."""
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        safe_xml.fromstring(text.encode("utf-8"), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PlangrafError(
            f"RDF/XML with entity declarations is refused ({type(exc).__name__}); write the IRIs out in full",
            file=str(path),
        ) from None
    except safe_xml.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise PlangrafError(f"xml syntax error: {exc}", file=str(path), line=line) from None


def _refuse_remote_contexts(text: str, path: Path) -> None:
    """Refuse JSON-LD that would fetch a context from a URL (rdflib would go to the network)."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlangrafError(f"json-ld syntax error: {exc.msg}", file=str(path), line=exc.lineno) from None
    except RecursionError:
        raise PlangrafError("json-ld nested too deeply", file=str(path)) from None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    contexts = value if isinstance(value, list) else [value]
                    if any(isinstance(c, str) for c in contexts):
                        raise PlangrafError(
                            "json-ld refers to a remote @context; embed the context in the file instead",
                            file=str(path),
                            field=key,
                        )
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def defined_terms(ontology: Graph) -> set[URIRef]:
    """Every plangraf term the ontology declares."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Class)
    return {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef) and s in PG}


def check_terms(graph: Iterable[tuple[Node, Node, Node]], ontology_terms: set[URIRef], path: Path) -> None:
    """Refuse data that uses a ``pg:`` term the ontology does not define."""
    used: set[URIRef] = set()
    for _s, p, o in graph:
        if isinstance(p, URIRef) and p in PG:
            used.add(p)
        if p == RDF.type and isinstance(o, URIRef) and o in PG:
            used.add(o)
    _refuse_unknown(used, ontology_terms, path)


def check_ox_terms(triples: Iterable[tuple[Any, Any, Any]], ontology_terms: set[URIRef], path: Path) -> None:
    """:func:`check_terms` for triples of pyoxigraph terms."""
    pg, rdf_type = str(PG), ox.NamedNode(str(RDF.type))
    used: set[URIRef] = set()
    for _s, p, o in triples:
        if p.value.startswith(pg):
            used.add(URIRef(p.value))
        if p == rdf_type and type(o) is ox.NamedNode and o.value.startswith(pg):
            used.add(URIRef(o.value))
    _refuse_unknown(used, ontology_terms, path)


def _refuse_unknown(used: set[URIRef], ontology_terms: set[URIRef], path: Path) -> None:
    unknown = sorted(used - ontology_terms)
    if unknown:
        term = unknown[0]
        local = term[len(str(PG)) :]
        line = None
        try:
            for number, text in enumerate(read_text(Path(path)).splitlines(), start=1):
                if re.search(rf"(pg:|#){re.escape(local)}\b", text):
                    line = number
                    break
        except PlangrafError:
            pass
        raise PlangrafError(f"undefined term pg:{local} (not in ontology/plangraf.ttl)", file=str(path), line=line)
