"""plangraf: a knowledge graph of the Norwegian planning hierarchy and of which national
digitalisation guidance municipal governing documents reflect, with the evidence.

The library API that the CLI wraps::

    from plangraf import Paths, build_graph, load_shapes, validate_graph, resolve_query, run_query

    paths = Paths(root=Path("."))                 # ontology/, data/, queries/ live here
    result = build_graph(paths)                   # load + check + OWL RL inference
    graph = result.union()                        # asserted + inferred triples
    report = validate_graph(graph, load_shapes(paths.shapes))
    answer = run_query(graph, resolve_query("reflected-guidance", paths.queries), {"date": "2020-09-01"})
"""

from __future__ import annotations

from .build import BuildResult, Paths, build_graph, write_build
from .errors import PlangrafError
from .query import QueryResult, format_result, resolve_query, run_query, shipped_queries
from .study import LoadReport, load_study
from .validate import ValidationReport, load_shapes, validate_graph

__all__ = [
    "BuildResult",
    "LoadReport",
    "Paths",
    "PlangrafError",
    "QueryResult",
    "ValidationReport",
    "build_graph",
    "format_result",
    "load_shapes",
    "load_study",
    "resolve_query",
    "run_query",
    "shipped_queries",
    "validate_graph",
    "write_build",
]
