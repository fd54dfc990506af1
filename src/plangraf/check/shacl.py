"""SHACL validation, on the asserted graph plus the OWL RL inferences.

Either engine is run with ``inference='none'``: the graph it gets is already materialised by
:mod:`plangraf.graph.build`, so reasoning is not done twice. pyshacl (the reference engine,
:mod:`plangraf.check.pyshacl_engine`) is imported only when it runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from plangraf.check.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    EngineRefused,
    announce_fallback,
    run_compiled,
    terms_input,
    trig_input,
)
from plangraf.check.readable import TermRows
from plangraf.check.results import NO_LANGUAGE, SEVERITY_NAMES, ValidationIssue, ValidationReport
from plangraf.core.errors import PlangrafError
from plangraf.rdf.bridge import DatasetText
from plangraf.rdf.files import parse_file
from plangraf.rdf.namespaces import SH, bind_prefixes


def load_shapes(shapes_dir: Path) -> Graph:
    """Parse every ``*.ttl`` directly in the shapes folder (examples are not shapes)."""
    shapes = Graph()
    bind_prefixes(shapes)
    files = sorted(Path(shapes_dir).glob("*.ttl"))
    if not files:
        raise PlangrafError("no shapes (*.ttl) found", file=str(shapes_dir))
    for path in files:
        parse_file(path, shapes)
    return shapes


def shapes_key(*shapes_dirs: Path) -> str:
    """A SHA-256 of the shapes :func:`load_shapes` reads from these folders, in this order
    (their names and bytes): the graphs of two equal keys are the same."""
    digest = hashlib.sha256()
    for n, folder in enumerate(shapes_dirs):
        for path in sorted(Path(folder).glob("*.ttl")):
            data = path.read_bytes()
            digest.update(f"{n}\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


Data = Graph | ox.Store | DatasetText | TermRows


def validate_graph(
    data: Data, shapes: Graph, *, workers: int | None = None, engine: str = DEFAULT_ENGINE
) -> ValidationReport:
    """Validate ``data`` (already materialised) against ``shapes``.

    ``engine`` is ``"compiled"`` (pyshacl-turbo, see :mod:`plangraf.check.engines`; if it is missing or
    refuses the shapes, pyshacl is used and one line on standard error says so) or
    ``"pyshacl"``, the reference. pyshacl validates ``data`` in place, without copying it first,
    unless the shapes hold SHACL rules (the only thing that would change it, as inference is
    off), and parses each SPARQL constraint once
    (:class:`plangraf.check.pyshacl_engine.PreparedQueryCache`). With
    ``workers=2`` (or ``PLANGRAF_VALIDATE_WORKERS=2``, see :mod:`plangraf.check.split`) the
    shapes are split in two and half of them run in a forked process; the report is the same.
    """
    if engine not in ENGINES:
        raise PlangrafError(f"unknown SHACL engine '{engine}'; known: {', '.join(ENGINES)}", field="engine")
    from plangraf.core.progress import steps

    has_rules = (None, SH.rule, None) in shapes
    with steps("validate", [engine]) as advance:  # on a terminal: elapsed time while it runs
        advance(engine)
        if engine == "compiled":
            return _validate_compiled(data, shapes)
        from plangraf.check.split import default_workers, validate_split

        data = as_graph(data)
        if (default_workers(data) if workers is None else workers) > 1 and not has_rules:
            return validate_split(data, shapes, _validate_once)
        return _validate_once(data, shapes)


def _options(shapes: Graph) -> dict[str, Any]:
    has_rules = (None, SH.rule, None) in shapes
    return {
        "inference": "none",
        "advanced": True,
        "allow_warnings": True,
        "allow_infos": True,
        "inplace": not has_rules,
    }


def as_graph(data: Data) -> Graph:
    """pyshacl needs an rdflib graph: a pyoxigraph store, a dataset's text or term rows are
    converted (all their graphs as one)."""
    if isinstance(data, ox.Store):
        from plangraf.rdf.bridge import graph_of

        return graph_of(data)
    if isinstance(data, DatasetText):
        from plangraf.rdf.bridge import graph_of_text

        return graph_of_text(data)
    if isinstance(data, TermRows):
        from plangraf.check.readable import graph_of_rows

        return graph_of_rows(data)
    return data


def _validate_compiled(data: Data, shapes: Graph) -> ValidationReport:
    """The compiled engine's report; pyshacl's, announced in one line, if it refused.

    The compiled engine also takes a pyoxigraph store, a build's TriG text or term rows (all
    their named graphs together) straight, without an rdflib graph in between.
    """
    options = _options(shapes)
    if isinstance(data, (ox.Store, DatasetText, TermRows)):
        options["inplace"] = False  # nothing to copy: the engine reads text (a store's N-Quads dump) or rows
    try:
        source = _compiled_source(data)
        conforms, results = run_compiled(source, shapes, **options)
    except EngineRefused as exc:
        report = _validate_once(as_graph(data), shapes)  # a shapes error from pyshacl is the one line shown
        announce_fallback(str(exc))
        return report
    return _read_report(conforms, results, shapes, "compiled")


def _compiled_source(data: Data) -> Any:
    if isinstance(data, DatasetText):
        return trig_input(data.text)
    if isinstance(data, TermRows):
        return terms_input(data.records, data.quads)
    return data


def _validate_once(data: Graph, shapes: Graph) -> ValidationReport:
    from plangraf.check.pyshacl_engine import validate_pyshacl

    conforms, results = validate_pyshacl(data, shapes, _options(shapes))
    return _read_report(conforms, results, shapes, "pyshacl")


def message_languages(shapes: Graph) -> dict[str, str]:
    """The language of each language-tagged ``sh:message`` in ``shapes``, by its text.

    A shape's ``sh:message`` is one literal per language; both engines give a result one
    ``sh:resultMessage`` per literal, but a SHACL-SPARQL constraint's come without their
    language tags, which are read back from here."""
    languages: dict[str, str] = {}
    for message in shapes.objects(None, SH.message):
        if isinstance(message, Literal) and message.language:
            languages.setdefault(str(message), message.language)
    return languages


def result_messages(found: Iterable[Node], languages: Mapping[str, str]) -> dict[str, str]:
    """A result's messages by language (``NO_LANGUAGE`` for an untagged one), in key order."""
    messages: dict[str, str] = {}
    for message in sorted(found, key=str):
        tag = message.language if isinstance(message, Literal) and message.language else None
        messages.setdefault(tag or languages.get(str(message), NO_LANGUAGE), str(message))
    return dict(sorted(messages.items()))


def english(messages: Mapping[str, str]) -> str:
    """The message to show: English, else one without a language tag, else the first."""
    for language, text in messages.items():
        if language == "en" or language.startswith("en-"):
            return text
    return messages.get(NO_LANGUAGE) or next(iter(messages.values()), "")


def _read_report(conforms: bool, results: Graph, shapes: Graph, engine: str) -> ValidationReport:
    """A report graph in the SHACL vocabulary (either engine) as a :class:`ValidationReport`:
    one issue per SHACL result, whatever the number of its messages. The graph's triples are
    read once, by subject, not looked up result by result."""
    languages = message_languages(shapes)
    about: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in results:
        about.setdefault(s, {}).setdefault(p, []).append(o)
    labels: dict[Node, str] = {}
    issues = []
    for values in about.values():
        if SH.ValidationResult not in values.get(RDF.type, ()):
            continue
        severity, shape, focus, path, value = (
            next(iter(values.get(p, ())), None)
            for p in (SH.resultSeverity, SH.sourceShape, SH.focusNode, SH.resultPath, SH.value)
        )
        key = f"<{focus}>" if isinstance(focus, URIRef) else f"_:{focus}" if isinstance(focus, BNode) else None
        messages = result_messages(values.get(SH.resultMessage, ()), languages)
        if not (isinstance(shape, URIRef) or shape is None) and shape not in labels:
            labels[shape] = _shape_label(shapes, shape)
        issues.append(
            ValidationIssue(
                severity=SEVERITY_NAMES.get(severity, str(severity)) if isinstance(severity, URIRef) else str(severity),
                shape=str(shape) if isinstance(shape, URIRef) or shape is None else labels[shape],
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else None,
                value=str(value) if value is not None else None,
                message=english(messages),
                messages=messages,
                focus_key=key,
            )
        )
    return ValidationReport(conforms=bool(conforms), issues=issues, engine=engine)


def _shape_label(shapes: Graph, node: Node) -> str:
    for parent in shapes.subjects(SH.property, node):
        if isinstance(parent, URIRef):
            return str(parent)
    return str(node)
