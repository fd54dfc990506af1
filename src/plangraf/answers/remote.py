"""SPARQL endpoints: push with the Graph Store HTTP Protocol, query with SPARQLWrapper.

Everything here speaks standard SPARQL 1.1 protocols, so it works the same against
Oxigraph, Apache Jena Fuseki, GraphDB or Virtuoso (see docs/endpoints.md). Errors become a
:class:`PlangrafError` that says what happened and gives the HTTP status; transient failures
(connection refused or reset, 502/503/504, time-outs) are retried with back-off.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import XSD
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from plangraf.answers.query import NamedQuery, QueryResult, bind_into_text, check_query
from plangraf.core.errors import PlangrafError
from plangraf.graph.build import ASSERTED_GRAPH, INFERRED_GRAPH

TRANSIENT = {502, 503, 504}
T = TypeVar("T")
USER_ENV = "PLANGRAF_ENDPOINT_USER"
PASSWORD_ENV = "PLANGRAF_ENDPOINT_PASSWORD"


@dataclass
class Endpoint:
    """A SPARQL service: its query URL and its Graph Store URL."""

    query_url: str
    store_url: str | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlparse(self.query_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise PlangrafError(f"'{self.query_url}' is not an http(s) URL", field="--endpoint")
        if self.store_url is None:
            self.store_url = store_url_for(self.query_url)

    def credentials(self) -> tuple[str, str] | None:
        """From $PLANGRAF_ENDPOINT_USER/$PLANGRAF_ENDPOINT_PASSWORD, else ~/.netrc; never argv."""
        user = os.environ.get(USER_ENV)
        if user:
            return user, os.environ.get(PASSWORD_ENV, "")
        host = urllib.parse.urlparse(self.query_url).hostname or ""
        try:
            found = netrc.netrc().authenticators(host)
        except (FileNotFoundError, netrc.NetrcParseError, OSError):
            return None
        if found:
            login, _account, password = found
            return login or "", password or ""
        return None


def store_url_for(query_url: str) -> str:
    """The usual Graph Store URL beside a query URL (Oxigraph /query -> /store, Fuseki /sparql -> /data)."""
    base = query_url.rstrip("/")
    for query_suffix, store_suffix in (("/query", "/store"), ("/sparql", "/data")):
        if base.endswith(query_suffix):
            return base[: -len(query_suffix)] + store_suffix
    if "/repositories/" in base:  # GraphDB, RDF4J
        return base + "/rdf-graphs/service"
    return base + "/store"


def _auth_header(endpoint: Endpoint) -> dict[str, str]:
    creds = endpoint.credentials()
    if not creds:
        return {}
    token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _describe(status: int, url: str, body: bytes) -> str:
    excerpt = re.sub(r"\s+", " ", body.decode("utf-8", "replace"))[:200]
    meaning = {
        400: "rejected the request",
        401: "needs credentials (set PLANGRAF_ENDPOINT_USER/PASSWORD or ~/.netrc)",
        403: "refused access",
        404: "has nothing at this URL",
        405: "does not allow this method here",
        413: "found the request too large",
    }.get(status, "failed (server error)" if status >= 500 else "answered with an error")
    return f"endpoint {url} {meaning}: HTTP {status}" + (f": {excerpt}" if excerpt else "")


class _Transient(Exception):
    """A failure worth retrying, with the message to give if every attempt fails."""


def _retrying(endpoint: Endpoint, url: str, send: Callable[[], T], *, repeatable: bool = True) -> T:
    """Call ``send`` with back-off retries for transient failures; map the rest to PlangrafError.

    Retried: HTTP 502/503/504, connection failures and time-outs, and ``_Transient``. A request
    whose body is a stream (``repeatable`` false) is not sent twice.
    """
    last = ""
    for attempt in range(endpoint.retries + 1):
        if attempt:
            time.sleep(endpoint.backoff * 2 ** (attempt - 1))
        try:
            return send()
        except urllib.error.HTTPError as exc:
            payload = exc.read() if exc.fp else b""
            if exc.code not in TRANSIENT:
                raise PlangrafError(_describe(exc.code, url, payload), field="--endpoint") from None
            last = _describe(exc.code, url, payload)
        except _Transient as exc:
            last = str(exc)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = f"cannot reach endpoint {url}: {getattr(exc, 'reason', exc)}"
            if not repeatable:
                break
    raise PlangrafError(last + f" (after {endpoint.retries + 1} attempts)", field="--endpoint")


def _request(endpoint: Endpoint, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None):
    """One HTTP request with retries for transient failures; returns (status, body bytes)."""
    all_headers = {**_auth_header(endpoint), **(headers or {})}

    def send() -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:  # noqa: S310 - http(s) only
            return response.status, response.read()

    return _retrying(endpoint, url, send, repeatable=_is_repeatable(body))


def _is_repeatable(body: Any) -> bool:
    return body is None or isinstance(body, bytes | bytearray)


def put_graph(endpoint: Endpoint, graph_iri: str, body: bytes | Iterable[bytes], content_type: str) -> None:
    """Replace one named graph with ``body`` in a single Graph Store PUT."""
    url = f"{endpoint.store_url}?{urllib.parse.urlencode({'graph': graph_iri})}"
    headers = {"Content-Type": content_type}
    if not isinstance(body, bytes | bytearray):
        headers["Transfer-Encoding"] = "chunked"
    _request(endpoint, "PUT", url, body, headers)


def _wrapper(endpoint: Endpoint, default_graphs: list[str] | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint.query_url)
    sparql.setTimeout(int(endpoint.timeout))
    sparql.setMethod(POST)
    sparql.setOnlyConneg(True)
    creds = endpoint.credentials()
    if creds:
        sparql.setCredentials(*creds)
    for iri in default_graphs or []:
        sparql.addDefaultGraph(iri)
    return sparql


def _run_wrapper(endpoint: Endpoint, sparql: SPARQLWrapper) -> tuple[bytes, str]:
    """Run with retries; map SPARQLWrapper and urllib errors to PlangrafError."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    url = endpoint.query_url

    def send() -> tuple[bytes, str]:
        try:
            response = sparql.query().response
        except SPARQLWrapperException as exc:
            status = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404}.get(type(exc).__name__, 500)
            message = _describe(status, url, str(exc).encode())
            if status >= 500:
                raise _Transient(message) from None
            raise PlangrafError(message, field="--endpoint") from None
        return response.read(), response.headers.get("Content-Type", "")

    return _retrying(endpoint, url, send)


def count_triples(endpoint: Endpoint, graph_iri: str) -> int:
    sparql = _wrapper(endpoint)
    sparql.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(graph_iri).n3()} {{ ?s ?p ?o }} }}")
    sparql.queryType = "SELECT"
    sparql.setReturnFormat(JSON)
    rows = _select_rows(endpoint, sparql)
    return int(rows[0]["n"]["value"]) if rows else 0


def graph_iris(graph: str | None) -> tuple[str, str]:
    """The named graphs for asserted and inferred triples (``--graph`` sets the first)."""
    if graph is None:
        return str(ASSERTED_GRAPH), str(INFERRED_GRAPH)
    return graph, graph.rstrip("/") + "/inferred"


def push(
    endpoint: Endpoint, asserted: Graph, inferred: Graph, graph: str | None = None, *, include_inferred: bool = True
) -> dict[str, int]:
    """Replace the named graph(s) on the server and check the triple counts afterwards."""
    asserted_iri, inferred_iri = graph_iris(graph)
    plan = [(asserted_iri, asserted)] + ([(inferred_iri, inferred)] if include_inferred else [])
    counts: dict[str, int] = {}
    for iri, part in plan:
        body = part.serialize(format="nt", encoding="utf-8")
        put_graph(endpoint, iri, body, "application/n-triples")
        stored = count_triples(endpoint, iri)
        if stored != len(part):
            raise PlangrafError(
                f"endpoint holds {stored} triples in <{iri}> after the upload, expected {len(part)}",
                field="--endpoint",
            )
        counts[iri] = stored
    return counts


def _select_rows(endpoint: Endpoint, sparql: SPARQLWrapper) -> list[dict[str, Any]]:
    payload, content_type = _run_wrapper(endpoint, sparql)
    if "html" in content_type.lower() or payload.lstrip()[:1] == b"<":
        raise PlangrafError(
            f"endpoint {endpoint.query_url} returned HTML, not SPARQL results (is this the query URL?)",
            field="--endpoint",
        )
    try:
        return json.loads(payload)["results"]["bindings"]
    except (ValueError, KeyError) as exc:
        raise PlangrafError(
            f"endpoint {endpoint.query_url} returned something that is not SPARQL JSON results ({exc})",
            field="--endpoint",
        ) from None


def _python(cell: dict[str, str] | None) -> Any:
    if cell is None:
        return None
    if cell.get("type") in ("literal", "typed-literal"):
        datatype = cell.get("datatype")
        if datatype in (str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.nonNegativeInteger)):
            return int(cell["value"])
        if datatype == str(XSD.boolean):
            return "yes" if cell["value"] in ("true", "1") else "no"
    if cell.get("type") == "bnode":
        return f"_:{cell['value']}"
    return cell["value"]


def remote_query(
    endpoint: Endpoint,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    *,
    graph: str | None = None,
    allow_network: bool = False,
) -> QueryResult:
    """Run a shipped or file query on an endpoint, over the asserted and inferred graphs."""
    _prepared, bindings = check_query(query, params, allow_network=allow_network)
    sparql = _wrapper(endpoint, list(graph_iris(graph)))
    text = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    sparql.setQuery(bind_into_text(text, bindings))
    sparql.queryType = "SELECT"  # SPARQLWrapper guesses the type from keywords; the check above knows it
    sparql.setReturnFormat(JSON)
    rows = _select_rows(endpoint, sparql)
    columns = [str(v) for v in _prepared.algebra["PV"]]
    return QueryResult(columns=columns, rows=[{c: _python(row.get(c)) for c in columns} for row in rows])


def fetch_graph(endpoint: Endpoint, graph: str | None = None) -> Graph:
    """All triples of the asserted and inferred graphs, for local SHACL validation."""
    sparql = _wrapper(endpoint, list(graph_iris(graph)))
    sparql.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    sparql.queryType = "CONSTRUCT"
    sparql.setReturnFormat(TURTLE)
    payload, content_type = _run_wrapper(endpoint, sparql)
    if "html" in content_type.lower():
        raise PlangrafError(f"endpoint {endpoint.query_url} returned HTML, not RDF", field="--endpoint")
    fmt = "nt" if "n-triples" in content_type else "turtle"
    try:
        return Graph().parse(data=payload.decode("utf-8"), format=fmt)
    except Exception as exc:  # noqa: BLE001 - any parse failure means a bad answer
        raise PlangrafError(f"endpoint {endpoint.query_url} returned RDF that does not parse: {exc}") from None
