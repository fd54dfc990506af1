"""Named SPARQL queries: read their metadata, bind parameters safely, run, format.

A query file starts with grlc-style ``#+`` lines holding YAML::

    #+ summary: One line.
    #+ description: What it answers and how.
    #+ tags: [study, guidance]
    #+ params:
    #+   - name: date
    #+     type: date
    #+     default: "2020-09-01"
    #+     description: Count only documents in force or adopted by then.
    #+ columns: [municipality, guidance]

A parameter ``name`` is the variable ``?_name`` in the query. Values are bound as typed
RDF terms (pyoxigraph's, converted for rdflib), so a value cannot change the query: on an
rdflib ``Graph`` with rdflib's ``initBindings``; on a ``pyoxigraph.Store`` as a ``VALUES``
block of serialised terms (quotes and backslashes escaped, IRIs checked) at the start of the
outermost ``WHERE`` group, the same binding the remote path sends to SPARQL endpoints. (pyoxigraph's own
``substitutions`` only accepts variables the query projects, and ``?_name`` never is.)

:func:`run_query` answers on either target; the answers are the same (tested on every shipped
query). pyoxigraph is the fast one: milliseconds where rdflib's evaluator takes seconds to
minutes on a national-scale graph, so library callers build a store once with
:func:`query_store` or :func:`as_store` and pass it. A query on a store imports no rdflib
(its import costs more than most answers): rdflib is loaded for a query on a graph, for
``SELECT *`` or network features, for the message of a query pyoxigraph refuses, and for a
value of a datatype whose conversion is rdflib's.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import pyoxigraph as ox
import yaml

from plangraf.answers.querytext import mask_comments_and_strings, network_features, selects_all
from plangraf.core.errors import PlangrafError
from plangraf.core.formats import OUTPUT_FORMATS, check_delimiter
from plangraf.rdf.prefixes import PREFIX_IRIS

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier

QueryTarget: TypeAlias = "Graph | ox.Store"
"""What :func:`run_query` answers on: an rdflib graph (rdflib's engine) or a pyoxigraph store."""

PARAM_TYPES = ("string", "date", "integer", "iri", "boolean")
_OX_PREFIXES = PREFIX_IRIS
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{name}" for name in ("integer", "int", "long", "nonNegativeInteger")}
_TEXTS = {f"{_XSD}string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
Term: TypeAlias = "ox.NamedNode | ox.Literal"
"""A bound parameter value: a pyoxigraph term (converted for rdflib's engine)."""


@dataclass
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""
    values: str | None = None
    """The kind of id the value must be (see :mod:`plangraf.answers.vocab`), if not by its name."""


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its ``#+`` metadata header."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlangrafError("query file not found", file=str(path)) from None
    except UnicodeDecodeError:
        raise PlangrafError("query file is not valid UTF-8", file=str(path)) from None
    header = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    meta: dict[str, Any] = {}
    if header:
        try:
            meta = yaml.safe_load("\n".join(header)) or {}
        except yaml.YAMLError as exc:
            raise PlangrafError(f"bad #+ metadata header: {exc}", file=str(path)) from None
        if not isinstance(meta, dict):
            raise PlangrafError("the #+ metadata header must be a mapping", file=str(path), line=1)
    params = []
    for raw in meta.get("params") or []:
        if not isinstance(raw, dict) or "name" not in raw:
            raise PlangrafError("each #+ params entry needs a name", file=str(path), field="params")
        ptype = raw.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise PlangrafError(
                f"parameter type '{ptype}' unknown; allowed: {', '.join(PARAM_TYPES)}",
                file=str(path),
                field="params",
            )
        default = raw.get("default")
        values = raw.get("values")
        params.append(
            Param(
                str(raw["name"]),
                ptype,
                None if default is None else str(default),
                raw.get("description", ""),
                None if values is None else str(values),
            )
        )
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=[str(t) for t in tags],
        params=params,
        columns=[str(c) for c in meta.get("columns") or []],
    )


def shipped_queries(queries_dir: Path) -> dict[str, NamedQuery]:
    """All ``*.rq`` files of a folder, by name."""
    return {p.stem: parse_query_file(p) for p in sorted(Path(queries_dir).glob("*.rq"))}


def resolve_query(name_or_file: str, queries_dir: Path) -> NamedQuery:
    """A shipped query by name, or a query file by path."""
    candidate = Path(name_or_file)
    if candidate.suffix == ".rq" or candidate.exists():
        return parse_query_file(candidate)
    path = Path(queries_dir) / f"{name_or_file}.rq"
    if not path.exists():
        names = sorted(p.stem for p in Path(queries_dir).glob("*.rq"))
        close = difflib.get_close_matches(name_or_file, names, n=3, cutoff=0.5)
        if close:
            hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        else:
            hint = f"; known: {', '.join(names)}"
        raise PlangrafError(f"no shipped query named '{name_or_file}'{hint}", field="query")
    return parse_query_file(path)


def check_values(store: ox.Store, query: NamedQuery, given: dict[str, str]) -> None:
    """Refuse a given parameter value the graph does not know (a municipality, guidance id,
    element, relation kind ...), naming the closest known ones; the others pass unchecked."""
    from plangraf.answers.vocab import check_value, param_kind

    for param in query.params:
        kind = param_kind(param.name, param.values)
        if kind is not None and param.name in given:
            check_value(store, param.name, given[param.name], kind)


def _term(param: Param, value: str) -> Term:
    """The value as a typed term, in the canonical form of its type (as rdflib's ``Literal``
    writes it: ``+7`` is ``7``, ``True`` is ``true``), so every engine matches it the same."""
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise PlangrafError(f"'{value}' is not a date (YYYY-MM-DD)", field=f"--param {param.name}") from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(f"{_XSD}date"))
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise PlangrafError(f"'{value}' is not an integer", field=f"--param {param.name}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(f"{_XSD}integer"))
    if param.type == "boolean":
        if value.strip().lower() not in ("true", "false"):
            raise PlangrafError(f"'{value}' is not true or false", field=f"--param {param.name}")
        return ox.Literal(value.strip().lower(), datatype=ox.NamedNode(f"{_XSD}boolean"))
    if param.type == "iri":
        try:
            if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*", value):
                raise ValueError(value)
            return ox.NamedNode(value)
        except ValueError:
            raise PlangrafError(f"'{value}' is not an IRI", field=f"--param {param.name}") from None
    return ox.Literal(value)


def bind_params(query: NamedQuery, given: dict[str, str]) -> dict[str, Term]:
    """Typed bindings for ``?_name`` variables; unknown names are an error."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise PlangrafError(
            f"unknown parameter '{unknown[0]}' for query {query.name}; allowed: {allowed}", field="--param"
        )
    bindings: dict[str, Term] = {}
    for name, param in known.items():
        value = given.get(name, param.default)
        if value is not None:
            bindings[f"_{name}"] = _term(param, value)
    return bindings


@functools.lru_cache(maxsize=256)
def _prepare(text: str) -> Any:
    """The parsed, translated query (rdflib evaluates a prepared query with any bindings)."""
    from rdflib.plugins.sparql import prepareQuery

    from plangraf.rdf.namespaces import PREFIXES

    return prepareQuery(text, initNs=dict(PREFIXES.items()))


def check_query(
    query: NamedQuery, params: dict[str, str] | None = None, *, allow_network: bool = False
) -> tuple[Any, dict[str, Term]]:
    """Parse ``query`` and bind ``params``; refuse network features. Returns (prepared, bindings)."""
    bindings = bind_params(query, params or {})
    features = network_features(query.text)
    if features and not allow_network:
        raise PlangrafError(
            f"query uses {', '.join(features)}, which would reach the network; pass --allow-network to permit it",
            file=str(query.path),
        )
    try:
        prepared = _prepare(query.text)
    except Exception as exc:  # noqa: BLE001 - pyparsing errors carry line numbers
        line = getattr(exc, "lineno", None)
        message = re.sub(r"\s+", " ", str(exc))[:200]
        raise PlangrafError(f"SPARQL syntax error: {message}", file=str(query.path), line=line) from None
    if prepared.algebra.name != "SelectQuery":
        kind = prepared.algebra.name.replace("Query", "").upper()
        raise PlangrafError(f"only SELECT queries are supported here, not {kind}", file=str(query.path))
    return prepared, bindings


def precheck_query(query: NamedQuery, params: dict[str, str] | None = None, *, allow_network: bool = False) -> None:
    """Refuse what :func:`check_query` refuses, with the same messages, before any build work.

    A SELECT without network features or ``SELECT *`` is parsed by pyoxigraph on an empty
    store (a few milliseconds); only a query it refuses, or one that is not a SELECT, goes to
    rdflib's parser, for its message with the line. rdflib's parser takes longer to import
    than most answers take."""
    bind_params(query, params or {})
    if not network_features(query.text) and not selects_all(query.text):
        try:
            solutions = ox.Store().query(query.text, prefixes=_OX_PREFIXES)
        except SyntaxError:
            pass
        else:
            if isinstance(solutions, ox.QuerySolutions):
                return
    check_query(query, params, allow_network=allow_network)


def values_clause(bindings: dict[str, Any]) -> str:
    """``VALUES (?_a ?_b) { (term term) }`` from typed terms (pyoxigraph's or rdflib's), each
    written escaped by its library (N-Triples syntax, which SPARQL reads)."""
    if not bindings:
        return ""
    names = sorted(bindings)
    variables = " ".join(f"?{name}" for name in names)
    terms = " ".join(_syntax(bindings[name]) for name in names)
    return f" VALUES ({variables}) {{ ({terms}) }} "


def _syntax(term: Any) -> str:
    return str(term.n3()) if hasattr(term, "n3") else str(term)


def bind_into_text(text: str, bindings: dict[str, Any]) -> str:
    """The query with a VALUES block at the start of its outermost WHERE group.

    Values are serialised RDF terms (quotes and backslashes escaped, IRIs checked), so this
    is as safe as rdflib's initBindings.
    """
    clause = values_clause(bindings)
    if not clause:
        return text
    masked = mask_comments_and_strings(text)
    match = re.search(r"\bWHERE\s*\{", masked, flags=re.IGNORECASE)
    if match is None:
        match = re.search(r"\{", masked)
    if match is None:
        raise PlangrafError("cannot find the query's WHERE clause to bind parameters", field="query")
    return text[: match.end()] + clause + text[match.end() :]


def query_store(*graphs: Graph) -> ox.Store:
    """An in-memory store holding the graphs together (:func:`plangraf.rdf.bridge.query_store`)."""
    from plangraf.rdf.bridge import query_store as store_of_graphs

    return store_of_graphs(*graphs)


def as_store(target: QueryTarget) -> ox.Store:
    """A pyoxigraph store for ``target``: a store unchanged, a graph copied into a new one."""
    if isinstance(target, ox.Store):
        return target
    return query_store(target)


def select_terms(store: ox.Store, text: str) -> list[dict[str, Any]]:
    """Rows of a SELECT (plangraf's own, not a user's query) on ``store``, each a dict from
    variable name to rdflib term, ``None`` where unbound, sorted so the order does not depend
    on the engine."""
    from plangraf.rdf.bridge import from_ox

    try:
        solutions = store.query(text, use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("not a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = [{n: (None if s[n] is None else from_ox(s[n])) for n in names} for s in solutions]
    except Exception as exc:  # noqa: BLE001 - a bug in plangraf's own query, reported plainly
        raise PlangrafError(f"internal query failed: {type(exc).__name__}: {exc}") from None
    return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row.values()))


def run_query(
    target: QueryTarget, query: NamedQuery, params: dict[str, str] | None = None, *, allow_network: bool = False
) -> QueryResult:
    """Run ``query`` on ``target`` with ``params`` bound as typed terms.

    On a ``pyoxigraph.Store`` the default graph is the union of all its graphs. A query that
    uses SERVICE, LOAD or FROM (only with ``allow_network``) runs on rdflib's engine, which
    fetches them; a store is then copied into an rdflib graph first.
    """
    if isinstance(target, ox.Store) and not network_features(query.text) and not selects_all(query.text):
        return _run_on_store(target, query, bind_params(query, params or {}))
    from rdflib.query import ResultRow

    from plangraf.rdf.bridge import from_ox

    prepared, bindings = check_query(query, params, allow_network=allow_network)
    if isinstance(target, ox.Store):
        target = graph_of(target)
    try:
        initial = {name: cast("Identifier", from_ox(term)) for name, term in bindings.items()}
        result = target.query(prepared, initBindings=initial)
        if result.type != "SELECT":
            raise PlangrafError(f"only SELECT queries are supported here, not {result.type}", file=str(query.path))
        columns = [str(v) for v in result.vars or []]
        rows = [{c: _python(row[c]) for c in columns} for row in cast(Iterable[ResultRow], result)]
    except PlangrafError:
        raise
    except Exception as exc:  # noqa: BLE001 - rdflib evaluation errors
        raise PlangrafError(f"query failed: {type(exc).__name__}: {exc}", file=str(query.path)) from None
    return QueryResult(columns=columns, rows=rows)


def graph_of(store: ox.Store) -> Graph:
    """An rdflib graph of the store's triples (:func:`plangraf.rdf.bridge.graph_of`)."""
    from plangraf.rdf.bridge import graph_of as graph_of_store

    return graph_of_store(store)


def _run_on_store(store: ox.Store, query: NamedQuery, bindings: dict[str, Term]) -> QueryResult:
    """Run a query without network features on pyoxigraph alone (rdflib's parser takes longer
    than most answers). A query pyoxigraph cannot parse, or that is not a SELECT, is parsed by
    rdflib for the error message :func:`check_query` gives, with its line."""
    values: dict[Any, Any] = {}  # pyoxigraph term -> Python value, each converted once

    def value(term: Any) -> Any:
        if term is None:
            return None
        converted = values.get(term, values)
        if converted is values:
            converted = values[term] = _value(term)
        return converted

    try:
        solutions = store.query(
            bind_into_text(query.text, bindings), prefixes=_OX_PREFIXES, use_default_graph_as_union=True
        )
    except SyntaxError as exc:
        check_query(query)  # rdflib's message, with the line
        raise PlangrafError(f"query failed: {type(exc).__name__}: {exc}", file=str(query.path)) from None
    except Exception as exc:  # noqa: BLE001 - pyoxigraph evaluation errors
        raise PlangrafError(f"query failed: {type(exc).__name__}: {exc}", file=str(query.path)) from None
    if not isinstance(solutions, ox.QuerySolutions):
        check_query(query)  # names the kind of query
        raise PlangrafError("only SELECT queries are supported here", file=str(query.path))
    columns = [v.value for v in solutions.variables]
    try:
        # a solution read as a tuple (in the order of ``columns``, None where unbound) costs
        # about nothing; reading it cell by cell by name cost 0.07 s for 8,000 rows
        rows = [dict(zip(columns, map(value, solution), strict=True)) for solution in solutions]
    except Exception as exc:  # noqa: BLE001 - errors raised while the solutions are read
        raise PlangrafError(f"query failed: {type(exc).__name__}: {exc}", file=str(query.path)) from None
    return QueryResult(columns=columns, rows=rows)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    """What :func:`_python` gives for the rdflib term of ``term``, without rdflib for the terms
    answers hold (IRIs, blank nodes, strings, canonical integers, booleans); any other literal
    goes through rdflib, whose conversion is the reference (tested equal on every shipped query)."""
    if not isinstance(term, ox.Literal):
        return term.value
    datatype = term.datatype.value
    if datatype in _TEXTS:
        return term.value
    text = term.value
    if datatype in _INTEGERS and re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
        return int(text)
    if datatype == f"{_XSD}boolean" and text in ("true", "false"):
        return "yes" if text == "true" else "no"
    from plangraf.rdf.bridge import from_ox

    return _python(from_ox(term))


def _python(term: Any) -> Any:
    from rdflib import Literal
    from rdflib.namespace import XSD

    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
            return int(term)
        if term.datatype == XSD.boolean:
            return "yes" if term.toPython() else "no"
        return str(term)
    return str(term)


def format_result(result: QueryResult, fmt: str = "table", *, delimiter: str = ",", bom: bool = False) -> str:
    """Render as ``table``, ``csv``, ``tsv`` or ``json``; CSV with ``delimiter``, and with a
    UTF-8 byte-order mark and CRLF lines when ``bom`` (for Excel)."""
    if fmt not in OUTPUT_FORMATS:
        raise PlangrafError(f"unknown format '{fmt}'; allowed: {', '.join(OUTPUT_FORMATS)}", field="--format")
    if fmt == "json":
        return json.dumps(result.rows, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        separator = check_delimiter(delimiter) if fmt == "csv" else "\t"
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n" if bom else "\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if row[c] is None else row[c] for c in result.columns])
        return ("\ufeff" if bom else "") + buffer.getvalue()
    return render_table(result.columns, [[row[c] for c in result.columns] for row in result.rows])


def render_table(columns: list[str], rows: list[list[Any]], max_width: int = 60) -> str:
    """A plain-text table with aligned columns; long cells are cut with an ellipsis."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for row in body:
        out.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"
