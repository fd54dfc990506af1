"""plangraf: a knowledge graph of the Norwegian planning hierarchy and of which national
digitalisation guidance municipal governing documents reflect, with the evidence.

The library API that the CLI wraps (imported on first use, so ``plangraf --help`` stays
fast)::

    from plangraf import Paths
    from plangraf import build_graph
    from plangraf import load_shapes
    from plangraf import validate_graph
    from plangraf import query_store
    from plangraf import resolve_query
    from plangraf import run_query

    paths = Paths(root=Path("."))                 # ontology/, data/, queries/ live here
    result = build_graph(paths)                   # load + check + OWL RL inference
    graph = result.union()                        # asserted + inferred triples
    report = validate_graph(graph, load_shapes(paths.shapes))
    store = query_store(result.asserted, result.inferred)  # pyoxigraph: fast SPARQL, built once
    answer = run_query(store, resolve_query("reflected-guidance", paths.queries), {"date": "2020-09-01"})
    # run_query(graph, ...) gives the same answer with rdflib's (much slower) engine
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it (the package is laid out by pipeline stage)
_EXPORTS = {
    "PlangrafError": "plangraf.core.errors",
    "Paths": "plangraf.core.paths",
    "LoadReport": "plangraf.study.loader",
    "load_study": "plangraf.study.loader",
    "BuildResult": "plangraf.graph.build",
    "build_graph": "plangraf.graph.build",
    "write_build": "plangraf.graph.build",
    "ValidationReport": "plangraf.check.results",
    "load_shapes": "plangraf.check.shacl",
    "validate_graph": "plangraf.check.shacl",
    "QueryResult": "plangraf.answers.query",
    "QueryTarget": "plangraf.answers.query",
    "format_result": "plangraf.answers.query",
    "query_store": "plangraf.answers.query",
    "resolve_query": "plangraf.answers.query",
    "run_query": "plangraf.answers.query",
    "shipped_queries": "plangraf.answers.query",
}

__all__ = [
    "BuildResult",
    "LoadReport",
    "Paths",
    "PlangrafError",
    "QueryResult",
    "QueryTarget",
    "ValidationReport",
    "build_graph",
    "format_result",
    "load_shapes",
    "load_study",
    "query_store",
    "resolve_query",
    "run_query",
    "shipped_queries",
    "validate_graph",
    "write_build",
]

if TYPE_CHECKING:
    from plangraf.answers.query import (
        QueryResult,
        QueryTarget,
        format_result,
        query_store,
        resolve_query,
        run_query,
        shipped_queries,
    )
    from plangraf.check.results import ValidationReport
    from plangraf.check.shacl import load_shapes, validate_graph
    from plangraf.core.errors import PlangrafError
    from plangraf.core.paths import Paths
    from plangraf.graph.build import BuildResult, build_graph, write_build
    from plangraf.study.loader import LoadReport, load_study


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'plangraf' has no attribute {name!r}")
    return getattr(import_module(module), name)
