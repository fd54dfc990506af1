"""plangraf: a knowledge graph of the Norwegian planning hierarchy and of which national
digitalisation guidance municipal governing documents reflect, with the evidence.

The library API that the CLI wraps::

    from plangraf import Paths, build_graph, load_shapes, validate_graph, query_store, resolve_query, run_query

    paths = Paths(root=Path("."))                 # ontology/, data/, queries/ live here
    result = build_graph(paths)                   # load + check + OWL RL inference
    graph = result.union()                        # asserted + inferred triples
    report = validate_graph(graph, load_shapes(paths.shapes))
    store = query_store(result.asserted, result.inferred)  # pyoxigraph: fast SPARQL, built once
    answer = run_query(store, resolve_query("reflected-guidance", paths.queries), {"date": "2020-09-01"})
    # run_query(graph, ...) gives the same answer with rdflib's (much slower) engine
"""

from __future__ import annotations

from .build import BuildResult, Paths, build_graph, write_build
from .errors import PlangrafError
from .query import QueryResult, QueryTarget, format_result, query_store, resolve_query, run_query, shipped_queries
from .study import LoadReport, load_study
from .validate import ValidationReport, load_shapes, validate_graph

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
