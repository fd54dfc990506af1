"""The reference SHACL engine, pyshacl, as :func:`plangraf.check.shacl.validate_graph` runs it.

Kept apart from :mod:`plangraf.check.shacl` so that pyshacl and rdflib's SPARQL machinery
(pyparsing and the SPARQL grammar, about a third of a second to import) are loaded only when
pyshacl runs: with ``--engine pyshacl``, or when the compiled engine refuses the shapes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pyparsing import ParseException
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import Graph
from rdflib import plugin as rdflib_plugin
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

from plangraf.core.errors import PlangrafError

_LOGGER = "pyshacl-validate"  # the logger pyshacl's validate makes (make_default_logger)


class PreparedQueryCache(SPARQLProcessor):
    """rdflib's SPARQL processor with each query text parsed once.

    pyshacl hands rdflib the text of a SPARQL-based constraint or target once per focus node,
    and rdflib parses it every time (about 25 ms of pyparsing); evaluation takes a fraction of
    that. A parsed query is rdflib's own prepared query (``prepareQuery``), which rdflib
    evaluates with different initial bindings as often as needed, so the results are the same.
    """

    _prepared: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        initNs: Mapping[str, object] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, object]:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            prepared = self._prepared.get(key)
            if prepared is None:
                if len(self._prepared) > 512:
                    self._prepared.clear()
                prepared = self._prepared[key] = prepareQuery(strOrQuery, initNs=initNs, base=base)
            strOrQuery = prepared
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def prepared_query_cache() -> Iterator[None]:
    """Use :class:`PreparedQueryCache` as rdflib's ``sparql`` processor inside the block."""
    original = rdflib_plugin.get("sparql", Processor)
    rdflib_plugin.register("sparql", Processor, __name__, "PreparedQueryCache")
    try:
        yield
    finally:
        rdflib_plugin.register("sparql", Processor, original.__module__, original.__name__)


@contextmanager
def _quiet_log() -> Iterator[None]:
    """pyshacl logs a malformed shape to the standard error it saw when it was imported, then
    raises: the error is reported once, as plangraf's one line, not in pyshacl's words too."""
    log = logging.getLogger(_LOGGER)
    disabled, log.disabled = log.disabled, True
    try:
        yield
    finally:
        log.disabled = disabled


def validate_pyshacl(data: Graph, shapes: Graph, options: dict[str, Any]) -> tuple[bool, Graph]:
    """pyshacl's (conforms, report graph) on ``data``; a malformed shape is one
    :class:`PlangrafError` line."""
    try:
        with prepared_query_cache(), _quiet_log():
            conforms, results, _text = shacl_validate(data, shacl_graph=shapes, **options)
    except ReportableRuntimeError as exc:  # pyshacl's errors for malformed shapes
        message = re.sub(r"\s+", " ", str(getattr(exc, "message", exc))).strip()
        raise PlangrafError(f"the SHACL shapes cannot be used: {message[:300]}", field="shapes") from None
    except ParseException as exc:  # a SPARQL-based constraint whose query does not parse
        message = re.sub(r"\s+", " ", str(exc)).strip()
        raise PlangrafError(
            f"the SHACL shapes cannot be used: a SPARQL constraint does not parse: {message[:300]}", field="shapes"
        ) from None
    if isinstance(results, ValidationFailure):  # pyshacl returns it, e.g. for MINUS in a constraint
        message = re.sub(r"\s+", " ", str(getattr(results, "message", results))).strip()
        raise PlangrafError(f"the SHACL shapes cannot be used: {message[:300]}", field="shapes")
    return bool(conforms), results
