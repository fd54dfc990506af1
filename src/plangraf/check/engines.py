"""SHACL engines: pyshacl (the reference) and a compiled one, pyshacl-turbo.

pyshacl-turbo runs SHACL (with SHACL-SPARQL) in Rust behind pySHACL's own ``validate``
signature and report vocabulary, so both engines are called the same way and their reports
are read by the same code (:func:`plangraf.check.shacl.validate_graph`). It was chosen after
measuring it and pyrudof against pyshacl (``docs/performance.md``): pyshacl-turbo gives the same
report; pyrudof's report has no source shape, path or message to compare.

The compiled engine is optional. If it is not installed, or refuses the shapes, validation
falls back to pyshacl and says so in one line on standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

ENGINES = ("compiled", "pyshacl")
DEFAULT_ENGINE = "compiled"


class EngineRefused(Exception):
    """The compiled engine cannot run these shapes (or is missing): use pyshacl instead."""


def compiled_validate() -> Callable[..., Any]:
    """pyshacl-turbo's ``validate``; :class:`EngineRefused` if it is not installed."""
    try:
        from pyshacl_turbo import validate
    except ImportError:
        raise EngineRefused("the compiled SHACL engine (pyshacl-turbo) is not installed") from None
    return validate


def trig_input(text: str) -> Any:
    """TriG text as pyshacl-turbo's input (parsed by its native parser, blank node labels kept)."""
    return _input(text, "trig")


def terms_input(records: list[Any], quads: list[Any]) -> Any:
    """Term records and id quads (:class:`plangraf.check.readable.TermRows`) as pyshacl-turbo's
    typed term input: no text to parse (blank node labels kept)."""
    return _input((records, quads), "terms")


def _input(source: Any, form: str) -> Any:
    try:
        from pyshacl_turbo.rdf import Input
    except ImportError:
        raise EngineRefused("the compiled SHACL engine (pyshacl-turbo) is not installed") from None
    return Input(source, form, None, {}, preserve_ids=True)


def run_compiled(data: Any, shapes: Any, **options: Any) -> tuple[bool, Any]:
    """Validate with pyshacl-turbo; :class:`EngineRefused` for anything it will not run."""
    validate = compiled_validate()
    try:
        conforms, results, _text = validate(data, shacl_graph=shapes, **options)
    except Exception as exc:  # noqa: BLE001 - any refusal of the compiled engine means: use the reference
        message = " ".join(str(exc).split())[:200]
        raise EngineRefused(f"the compiled SHACL engine refused the shapes ({message})") from None
    if not hasattr(results, "subjects"):  # a ValidationFailure instead of a report graph
        message = " ".join(str(getattr(results, "message", results)).split())[:200]
        raise EngineRefused(f"the compiled SHACL engine refused the shapes ({message})")
    return bool(conforms), results


def announce_fallback(reason: str) -> None:
    print(f"Note: {reason}; validating with pyshacl instead.", file=sys.stderr, flush=True)
