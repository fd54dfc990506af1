"""A study's summary claims as data, recomputed from the findings under every admissible reading.

``claims.yaml`` in a study folder lists claims such as "five of the ten have a strategy".
Each names the thesis sentence and section, the stated number, and what it counts: the
distinct municipalities in the answer of a shipped query (or an inline SPARQL query),
optionally filtered on column values, or the studied municipalities *not* in it. Claims that
state the same fact (repeated in another section, or its complement) share a ``group``, so
the number of independent claims is honest.

The study's contested coding decisions are data (``alternatives``, see
:mod:`plangraf.study.readings`). :func:`evaluate_claims` evaluates each claim under every
reading of the whole study (every combination of every decision, ``2^k`` readings for ``k``
yes/no decisions) without building each: it builds the default reading and each file's own
readings, factors every claim over the files it depends on
(:mod:`plangraf.answers.claim_factors`) and represents the readings under which it agrees as a
bit set (:mod:`plangraf.answers.reading_space`). A claim's verdict is ``agree`` (under every
reading), ``disagree`` (under none) or ``depends-on-coding`` (naming the readings of the
decisions that change it under which it agrees). Then the claims are checked jointly: every
minimal set of claims that no reading makes agree together is found exactly, with a witness
reading for each proper subset. Only then does plangraf say the thesis contradicts itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from plangraf.answers.claim_factors import agreement_set, factor_claim, relevant_decisions
from plangraf.answers.query import NamedQuery, QueryResult, as_store, resolve_query, run_query
from plangraf.answers.reading_space import ReadingSpace, minimal_inconsistent_sets
from plangraf.core.errors import PlangrafError
from plangraf.core.progress import each
from plangraf.core.yamlio import line_of, load_yaml
from plangraf.study import schema as schema_check
from plangraf.study.readings import Alternative

DEFAULT = "default"
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
                    "group": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9.]+)*$"},
                    "compare": {"enum": ["exactly", "at-least"]},
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

Reading = frozenset[str]
# A built study under one reading: the union graph and the same triples as a query store.
Built = tuple[Graph | None, ox.Store]  # the union graph where one is at hand, and the query store


def reading_label(reading: Reading) -> str:
    """``default`` for the files as written, else the alternative ids joined by ``+``."""
    return "+".join(sorted(reading)) or DEFAULT


@dataclass
class ClaimResult:
    """One claim: what the thesis states and what the data gives under each reading tried."""

    id: str
    section: str
    quote: str
    stated: int
    group: str = ""
    note: str = ""
    compare: str = "exactly"  # or "at-least", for the thesis's "flere", "de fleste", "mange"
    error: str | None = None
    decisions: list[str] = field(default_factory=list)  # the contested fields that change its answer
    files: list[str] = field(default_factory=list)  # the study files whose readings it depends on
    agreement: int = 0  # the readings of the whole study under which it agrees (a bit set)
    stated_links: list[str] | None = None  # counted with only the links the source states (default reading)
    computed_by_reading: dict[str, int] = field(default_factory=dict)
    municipalities_by_reading: dict[str, list[str]] = field(default_factory=dict)

    @property
    def computed(self) -> int | None:
        """The value under the default reading (the files as written)."""
        return self.computed_by_reading.get(DEFAULT)

    @property
    def municipalities(self) -> list[str]:
        return self.municipalities_by_reading.get(DEFAULT, [])

    def agrees_with(self, value: int | None) -> bool:
        if value is None:
            return False
        return value >= self.stated if self.compare == "at-least" else value == self.stated

    @property
    def rests_on_coded_links(self) -> bool:
        """Agrees as written, but not with the source's stated links alone: the agreement
        rests on the coders' readings."""
        return (
            self.stated_links is not None
            and self.agrees_with(self.computed)
            and not self.agrees_with(len(self.stated_links))
        )

    @property
    def agreeing_readings(self) -> list[str]:
        return [label for label, value in self.computed_by_reading.items() if self.agrees_with(value)]

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        agreeing = len(self.agreeing_readings)
        if agreeing == len(self.computed_by_reading):
            return "agree"
        return "disagree" if agreeing == 0 else "depends-on-coding"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "quote": self.quote,
            "group": self.group or self.id,
            "stated": self.stated,
            "compare": self.compare,
            "computed": dict(self.computed_by_reading),
            "verdict": self.verdict,
            "agrees_under": self.agreeing_readings,
            "decisions": self.decisions,
            "files": self.files,
            "municipalities": dict(self.municipalities_by_reading),
            "stated_links_only": None
            if self.stated_links is None
            else {"computed": len(self.stated_links), "municipalities": self.stated_links},
            "rests_on_coded_links": self.rests_on_coded_links,
            "note": self.note,
            **({"error": self.error} if self.error else {}),
        }


@dataclass
class InconsistentSet:
    """Claims that no reading of the whole study makes agree together (minimal): every
    reading was tried, and each proper subset agrees under its witness reading."""

    claims: list[str]
    readings_tried: int
    witnesses: list[tuple[list[str], str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "readings_tried": self.readings_tried,
            "witnesses": [{"claims": subset, "reading": reading} for subset, reading in self.witnesses],
        }


@dataclass
class ClaimsReport:
    claims: list[ClaimResult]
    inconsistent_sets: list[InconsistentSet]
    alternatives: list[Alternative]
    readings: int = 1  # every reading of the whole study, each claim evaluated under all of them
    builds: int = 1  # how many of them were built to find that out

    @property
    def groups(self) -> int:
        """Independent claims: claims sharing a group state one fact."""
        return len({c.group or c.id for c in self.claims})

    def as_json(self) -> dict[str, Any]:
        counts = {v: sum(c.verdict == v for c in self.claims) for v in ("agree", "disagree", "depends-on-coding")}
        return {
            "claims": [c.as_json() for c in self.claims],
            "inconsistent_sets": [s.as_json() for s in self.inconsistent_sets],
            "readings": [_alternative_json(a) for a in self.alternatives],
            "search": {"readings_evaluated": self.readings, "builds": self.builds, "exhaustive": True},
            "summary": {"claims": len(self.claims), "independent": self.groups, **counts},
        }


def _alternative_json(alt: Alternative) -> dict[str, Any]:
    return {
        "id": alt.id,
        "entity": alt.entity,
        "field": alt.field,
        "value": alt.value,
        "default": alt.current,
        "reason": alt.reason,
        "source": alt.source,
        "quote": alt.quote,
    }


def load_claims(path: Path) -> tuple[list[dict[str, Any]], dict]:
    """Read and check ``claims.yaml``; return the claims and their line map."""
    data, lines = load_yaml(path)
    schema_check.check(data, lines, CLAIMS_SCHEMA, path)
    return data["claims"], lines


def claim_query(claim: dict[str, Any], queries_dir: Path, path: Path) -> tuple[NamedQuery, dict[str, str]]:
    """The query a claim counts in and its parameters (raises PlangrafError)."""
    if ("query" in claim) == ("sparql" in claim):
        raise PlangrafError("give exactly one of 'query' (a shipped query) or 'sparql'")
    if "query" in claim:
        named = resolve_query(claim["query"], queries_dir)
    else:
        named = NamedQuery(name=claim["id"], path=path, text=claim["sparql"], summary=claim["id"])
    return named, {k: str(v) for k, v in (claim.get("params") or {}).items()}


def count_claim(built: Built, claim: dict[str, Any], queries_dir: Path, path: Path) -> list[str]:
    """The municipalities a claim counts in one built study (raises PlangrafError)."""
    named, params = claim_query(claim, queries_dir, path)
    return matched_municipalities(run_query(built[1], named, params), claim, studied_in_store(built[1]))


def matched_municipalities(answer: QueryResult, claim: dict[str, Any], studied: list[str]) -> list[str]:
    """The municipalities of ``answer`` the claim counts: rows whose columns match its
    ``where``, or with ``complement`` the ``studied`` municipalities not among them."""
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
        matched = set(studied) - matched
    return sorted(matched)


_STUDIED = """SELECT DISTINCT ?m ?label WHERE {
  ?study <https://w3id.org/plangraf/ontology#coversMunicipality> ?m .
  OPTIONAL { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
}"""


def studied_in_store(store: ox.Store) -> list[str]:
    """:func:`plangraf.study.loader.studied_municipalities` read from a query store: the
    Norwegian (nb) label of each municipality a study covers, else an untagged one, else the
    first label, else the IRI; sorted."""
    labels: dict[str, list[ox.Literal]] = {}
    for row in store.query(_STUDIED, use_default_graph_as_union=True):  # type: ignore[union-attr]
        found = labels.setdefault(row["m"].value, [])
        if row["label"] is not None:
            found.append(row["label"])
    names = []
    for iri, found in labels.items():
        chosen = next((x.value for wanted in ("nb", None) for x in found if x.language == wanted), None)
        names.append(chosen if chosen is not None else (min(x.value for x in found) if found else iri))
    return sorted(names)


def decisions_of(alternatives: list[Alternative]) -> dict[str, list[str]]:
    """Contested fields ('entity.field') -> the ids of their alternatives (mutually exclusive)."""
    decisions: dict[str, list[str]] = {}
    for alt in alternatives:
        decisions.setdefault(f"{alt.entity}.{alt.field}", []).append(alt.id)
    return decisions


def readings_over(decisions: dict[str, list[str]], keys: list[str]) -> list[Reading]:
    """Every combination of the given decisions: each keeps its default or takes one alternative."""
    options = [[None, *decisions[key]] for key in keys]
    return [frozenset(choice for choice in combo if choice) for combo in product(*options)]


Answer = QueryResult | PlangrafError  # a query's answer, or why it has none


class _Evaluator:
    """Counts claims under readings. Each reading is built once, every distinct query of the
    claims (text and parameters) is run on it at once and the store is let go, so memory holds
    one reading's store at a time; a claim whose query cannot be read or run fails alone."""

    def __init__(
        self, build: Callable[[Reading], Built], claims: list[dict[str, Any]], queries_dir: Path, path: Path
    ) -> None:
        self._build = build
        self.path = path
        self._queries: dict[int, tuple[NamedQuery, dict[str, str]] | PlangrafError] = {}
        for claim in claims:
            try:
                self._queries[id(claim)] = claim_query(claim, queries_dir, path)
            except PlangrafError as exc:
                self._queries[id(claim)] = exc
        self._answers: dict[Reading, dict[tuple[str, tuple[tuple[str, str], ...]], Answer]] = {}
        self._studied: dict[Reading, list[str]] = {}
        self.builds = 0  # readings built so far

    def count(self, claim: dict[str, Any], reading: Reading) -> list[str]:
        query = self._queries[id(claim)]
        if isinstance(query, PlangrafError):
            raise query
        if reading not in self._answers:
            self._evaluate(reading)
        answer = self._answers[reading][_key(query)]
        if isinstance(answer, PlangrafError):
            raise answer
        return matched_municipalities(answer, claim, self._studied[reading])

    def _evaluate(self, reading: Reading) -> None:
        answers: dict[tuple[str, tuple[tuple[str, str], ...]], Answer] = {}
        self.builds += 1
        try:
            store = self._build(reading)[1]
        except PlangrafError as exc:  # the reading cannot be built: every claim under it says why, once
            self._answers[reading] = {_key(q): exc for q in self._queries.values() if not isinstance(q, PlangrafError)}
            self._studied[reading] = []
            return
        for query in self._queries.values():
            if isinstance(query, PlangrafError) or _key(query) in answers:
                continue
            try:
                answers[_key(query)] = run_query(store, *query)
            except PlangrafError as exc:
                answers[_key(query)] = exc
        self._answers[reading] = answers
        self._studied[reading] = studied_in_store(store)


def _key(query: tuple[NamedQuery, dict[str, str]]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return query[0].text, tuple(sorted(query[1].items()))


def _evaluate_one(claim: dict[str, Any], line: int | None, evaluator: _Evaluator, space: Space) -> ClaimResult:
    result = ClaimResult(
        id=claim["id"],
        section=claim["section"],
        quote=claim["quote"],
        stated=claim["stated"],
        group=claim.get("group", ""),
        note=claim.get("note", ""),
        compare=claim.get("compare", "exactly"),
    )
    try:
        factored = factor_claim(lambda reading: evaluator.count(claim, reading), space.readings)
        result.files = factored.files
        result.decisions = relevant_decisions(factored, space.decisions)
        for reading in readings_over(space.decisions, result.decisions):
            found = factored.counted(reading)
            label = reading_label(reading)
            result.computed_by_reading[label] = len(found)
            result.municipalities_by_reading[label] = found
        result.agreement = agreement_set(factored, space.readings, result.agrees_with)
    except PlangrafError as exc:
        where_text = f"{evaluator.path}:{line}" if line else str(evaluator.path)
        result.error = f"{where_text}: claim {claim['id']}: {exc.message}"
    return result


@dataclass(frozen=True)
class Space:
    """The study's decisions ('entity.field' -> alternative ids) and every reading of them."""

    decisions: dict[str, list[str]]
    readings: ReadingSpace

    @classmethod
    def of(cls, alternatives: list[Alternative]) -> Space:
        by_file: dict[str, dict[str, list[str]]] = {}
        for alt in alternatives:
            by_file.setdefault(alt.file, {}).setdefault(f"{alt.entity}.{alt.field}", []).append(alt.id)
        space = ReadingSpace.of({name: list(keys.values()) for name, keys in by_file.items()})
        return cls(decisions_of(alternatives), space)


def inconsistent_sets(claims: list[ClaimResult], space: Space) -> list[InconsistentSet]:
    """The minimal sets of claims that no reading of the whole study makes agree together,
    each with a witness reading for every proper subset (see
    :func:`plangraf.answers.reading_space.minimal_inconsistent_sets`)."""
    usable = [c for c in claims if not c.error]
    found = minimal_inconsistent_sets(
        {c.id: c.agreement for c in usable}, {c.id: c.files for c in usable}, space.readings.everything
    )
    return [
        InconsistentSet(
            list(group.claims),
            space.readings.size,
            [(list(subset), reading_label(space.readings.reading(index))) for subset, index in group.witnesses],
        )
        for group in found
    ]


def evaluate_claims(
    claims_path: Path,
    queries_dir: Path,
    alternatives: list[Alternative],
    build: Callable[[Reading], Built],
    stated_only: Callable[[], Built] | None = None,
) -> ClaimsReport:
    """Recompute every claim of ``claims_path`` under every reading of the study's decisions,
    then find the minimal sets no reading makes agree together. ``build(reading)`` returns the
    study built under a reading (union graph and query store); it is called once for the
    default reading and once per local reading of each file with decisions, plus the joint
    readings of files a claim depends on together (:mod:`plangraf.answers.claim_factors`).
    ``stated_only()``, if given, builds the default reading with only the links the source
    states; each claim is counted there too, to tell agreement that rests on coders' links."""
    claims, lines = load_claims(claims_path)
    space = Space.of(alternatives)
    evaluator = _Evaluator(build, claims, queries_dir, claims_path)
    results = [
        _evaluate_one(claim, line_of(lines, ("claims", i)), evaluator, space)
        for i, claim in each(enumerate(claims), "claims", total=len(claims))
    ]
    if stated_only is not None:
        stated = _Evaluator(lambda _reading: stated_only(), claims, queries_dir, claims_path)
        for claim, result in zip(claims, results, strict=True):
            if not result.error:
                result.stated_links = stated.count(claim, frozenset())
    return ClaimsReport(results, inconsistent_sets(results, space), alternatives, space.readings.size, evaluator.builds)


def check_claims(
    graph: Graph, claims_path: Path, queries_dir: Path, *, store: ox.Store | None = None
) -> list[ClaimResult]:
    """Recompute every claim on one built study only (the default reading), no alternatives."""
    built = (graph, as_store(graph) if store is None else store)
    return evaluate_claims(claims_path, queries_dir, [], lambda _reading: built).claims


def study_claims(paths: Any, claims_path: Path, *, rebuild: bool = True) -> ClaimsReport:
    """Evaluate a study's claims file under the study's alternative readings (``paths`` is a
    :class:`plangraf.core.paths.Paths`). The default reading comes from the current build's
    store (rebuilt when stale, or with ``rebuild=False`` an error naming what changed); the
    other readings are built in memory on one shared base (:mod:`plangraf.graph.overlay`,
    tested equal to full builds)."""
    from plangraf.graph.current import current_store
    from plangraf.graph.overlay import ReadingBuilds
    from plangraf.study.loader import list_alternatives

    shared: list[ReadingBuilds] = []

    def builds() -> ReadingBuilds:  # made on first use: the default reading needs none
        if not shared:
            shared.append(ReadingBuilds(paths))
        return shared[0]

    # each reading is evaluated in full before the next is built: one store serves them all
    def build(reading: Reading) -> Built:
        return None, (builds().swapped_in(reading) if reading else current_store(paths, rebuild=rebuild))

    def stated_only() -> Built:
        return None, builds().swapped_in(frozenset(), stated_only=True)

    return evaluate_claims(claims_path, paths.queries, list_alternatives(paths.study), build, stated_only)
