"""A study's summary claims as data, recomputed from the findings.

``claims.yaml`` in a study folder lists claims such as "five of the ten have a strategy".
Each names the thesis sentence and section, the stated number, and what it counts: the
distinct municipalities in the answer of a shipped query (or an inline SPARQL query),
optionally filtered on column values, or the studied municipalities *not* in it.
:func:`check_claims` recomputes every claim; a claim that cannot be computed is reported
with its error and the others still run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from . import schema_check
from .errors import PlangrafError
from .query import NamedQuery, as_store, resolve_query, run_query
from .study import studied_municipalities
from .yamlio import line_of, load_yaml

CLAIMS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["claims"],
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "section", "quote", "stated"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9.]+)*$"},
                    "section": {"type": "string"},
                    "quote": {"type": "string", "minLength": 1},
                    "stated": {"type": "integer", "minimum": 0},
                    "query": {"type": "string"},
                    "sparql": {"type": "string"},
                    "params": {"type": "object", "additionalProperties": {"type": ["string", "integer"]}},
                    "where": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": ["string", "integer"]}},
                    },
                    "complement": {"type": "boolean"},
                    "note": {"type": "string"},
                },
            },
        }
    },
}


@dataclass
class ClaimResult:
    id: str
    section: str
    quote: str
    stated: int
    computed: int | None = None
    municipalities: list[str] = field(default_factory=list)
    error: str | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        return "agree" if self.computed == self.stated else "disagree"


def load_claims(path: Path) -> tuple[list[dict[str, Any]], dict]:
    """Read and check ``claims.yaml``; return the claims and their line map."""
    data, lines = load_yaml(path)
    schema_check.check(data, lines, CLAIMS_SCHEMA, path)
    return data["claims"], lines


def evaluate_claim(
    graph: Graph,
    claim: dict[str, Any],
    queries_dir: Path,
    path: Path,
    line: int | None,
    *,
    store: ox.Store | None = None,
) -> ClaimResult:
    """Recompute one claim; errors are returned in the result, not raised. Its query runs on
    ``store`` (built from ``graph`` if not given; see :func:`plangraf.query.query_store`)."""
    result = ClaimResult(
        id=claim["id"],
        section=claim["section"],
        quote=claim["quote"],
        stated=claim["stated"],
        note=claim.get("note", ""),
    )
    try:
        if ("query" in claim) == ("sparql" in claim):
            raise PlangrafError("give exactly one of 'query' (a shipped query) or 'sparql'")
        if "query" in claim:
            named = resolve_query(claim["query"], queries_dir)
        else:
            named = NamedQuery(name=claim["id"], path=path, text=claim["sparql"], summary=claim["id"])
        params = {k: str(v) for k, v in (claim.get("params") or {}).items()}
        answer = run_query(as_store(graph) if store is None else store, named, params)
        if "municipality" not in answer.columns:
            raise PlangrafError(f"the query has no 'municipality' column (it has {', '.join(answer.columns)})")
        where = claim.get("where") or {}
        for column in where:
            if column not in answer.columns:
                raise PlangrafError(f"'where' names column '{column}', which the query does not have")
        matched = {
            str(row["municipality"])
            for row in answer.rows
            if all(str(row[c]) in {str(v) for v in allowed} for c, allowed in where.items())
        }
        if claim.get("complement"):
            matched = set(studied_municipalities(graph)) - matched
        result.municipalities = sorted(matched)
        result.computed = len(matched)
    except PlangrafError as exc:
        where_text = f"{path}:{line}" if line else str(path)
        result.error = f"{where_text}: claim {claim['id']}: {exc.message}"
    return result


def check_claims(
    graph: Graph, claims_path: Path, queries_dir: Path, *, store: ox.Store | None = None
) -> list[ClaimResult]:
    """Recompute every claim of ``claims_path`` on ``graph`` (queries run on ``store``, the
    same triples in pyoxigraph, built once from ``graph`` if not given)."""
    claims, lines = load_claims(claims_path)
    store = as_store(graph) if store is None else store
    return [
        evaluate_claim(graph, claim, queries_dir, claims_path, line_of(lines, ("claims", i)), store=store)
        for i, claim in enumerate(claims)
    ]
