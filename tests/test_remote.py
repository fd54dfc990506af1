"""A real Oxigraph server on 127.0.0.1: push, remote queries (parity with local), serve, errors."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from plangraf.answers.query import bind_into_text, resolve_query, run_query, shipped_queries
from plangraf.answers.remote import Endpoint, count_triples, push, put_graph, remote_query
from plangraf.answers.serve import free_port, start_server, stop_server
from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = start_server(port, None, read_only=False, union_default_graph=False)
    yield Endpoint(f"http://127.0.0.1:{port}/query", timeout=30)
    stop_server(process)


@pytest.fixture(scope="module")
def pushed(server, built):
    counts = push(server, built.asserted, built.inferred)
    return counts


def normalise(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row.values()) for row in rows)


def test_push_replaces_graphs_and_verifies_counts(server, built, pushed):
    assert pushed == {
        "https://w3id.org/plangraf/graph/asserted": len(built.asserted),
        "https://w3id.org/plangraf/graph/inferred": len(built.inferred),
    }
    # a second push replaces, it does not add
    again = push(server, built.asserted, built.inferred)
    assert again == pushed


@pytest.mark.parametrize("name", sorted(shipped_queries(Path(__file__).resolve().parents[1] / "queries")))
def test_every_shipped_query_gives_the_same_answer_remotely(server, pushed, store, paths, query_params, name):
    query = resolve_query(name, paths.queries)
    for params in query_params.get(name, [{}]):
        local = run_query(store, query, params)  # equal to rdflib's answer: tests/test_query_engines.py
        remote = remote_query(server, query, params)
        assert remote.columns == local.columns
        assert normalise(remote.rows) == normalise(local.rows), (name, params)


def test_remote_parameters_are_bound_not_spliced(server, pushed, paths):
    query = resolve_query("evidence", paths.queries)
    for value in ['Porsgrunn" ) } UNION { ?s ?p ?o } #', "Porsgrunn' } #", "}"]:
        assert remote_query(server, query, {"municipality": value}).rows == []


def test_values_block_goes_into_the_outer_where():
    text = '# WHERE { in a comment\nSELECT ?x WHERE { ?x <urn:p> "WHERE {" . { SELECT ?y WHERE { ?y ?p ?o } } }'
    bound = bind_into_text(text, {"_a": Literal('x" } #')})
    assert 'SELECT ?x WHERE { VALUES (?_a) { ("x\\" } #") }' in bound
    assert bind_into_text(text, {}) == text


def test_validate_against_the_endpoint(server, pushed):
    result = CliRunner().invoke(main, ["validate", "--endpoint", server.query_url, "-q"])
    assert result.exit_code == 0, result.output
    assert "Conforms: no violations. 0 violation(s), 4 warning(s), 3 info." in result.output


def test_cli_query_and_push(server, pushed, tmp_path):
    result = CliRunner().invoke(main, ["query", "coordination-structures", "--endpoint", server.query_url, "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "Porsgrunn,DigiForum,forum",
        "Sandnes,Digitaliseringsfond,fund",
        "Tønsberg,Porteføljestyre (rådmannens ledergruppe),portfolio-board",
    ]
    pushed_again = CliRunner().invoke(main, ["push", "--endpoint", server.query_url, "--graph", "urn:plangraf:test"])
    assert pushed_again.exit_code == 0, pushed_again.output
    assert "<urn:plangraf:test>:" in pushed_again.output and "<urn:plangraf:test/inferred>:" in pushed_again.output


class _Handler(http.server.BaseHTTPRequestHandler):
    status = 200
    body = b"<html><body>Welcome</body></html>"
    content_type = "text/html"

    def _answer(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


def fake_server(status: int, body: bytes, content_type: str):
    handler = type("H", (_Handler,), {"status": status, "body": body, "content_type": content_type})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/query"


@pytest.mark.parametrize(
    "status, body, content_type, message",
    [
        (200, b"<html><body>Welcome</body></html>", "text/html", "returned HTML, not SPARQL results"),
        (400, b"Parser error at line 3", "text/plain", "rejected the request: HTTP 400"),
        (401, b"who are you", "text/plain", "needs credentials"),
        (403, b"no", "text/plain", "refused access: HTTP 403"),
        (404, b"nothing here", "text/plain", "has nothing at this URL: HTTP 404"),
        (500, b"boom", "text/plain", "failed (server error)"),
        (503, b"busy", "text/plain", "HTTP 503"),
    ],
)
def test_endpoint_errors_are_clear_and_exit_2(status, body, content_type, message, tmp_path):
    httpd, url = fake_server(status, body, content_type)
    try:
        result = CliRunner().invoke(main, ["query", "cooperation", "--endpoint", url])
    finally:
        httpd.shutdown()
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreachable_endpoint(tmp_path):
    down = f"http://127.0.0.1:{free_port()}/query"
    endpoint = Endpoint(down, timeout=2, retries=1, backoff=0.05)
    with pytest.raises(PlangrafError, match=r"cannot reach endpoint .*\(after 2 attempts\)"):
        count_triples(endpoint, "urn:g")
    result = CliRunner().invoke(
        main,
        [
            "--root",
            str(Path(__file__).resolve().parents[1]),
            "push",
            "--endpoint",
            down,
            "--timeout",
            "2",
            "--build-dir",
            str(tmp_path / "build"),
        ],
    )
    assert result.exit_code == 2 and "cannot reach endpoint" in result.output
    # push reads the build, so it builds first (issue 12: every reader rebuilds a stale build);
    # what it leaves is a whole build, never a staged or partial one
    build = tmp_path / "build"
    assert (build / "manifest.json").is_file() and (build / "plangraf.trig").is_file()
    assert not [p for p in (build / ".builds").iterdir() if p.name.startswith("staging")]


def test_killing_the_server_mid_push_keeps_the_previous_graph(tmp_path):
    store = tmp_path / "store"
    port = free_port()
    process = start_server(port, store, read_only=False, union_default_graph=False)
    endpoint = Endpoint(f"http://127.0.0.1:{port}/query", timeout=20, retries=0)
    old = Graph()
    for i in range(100):
        old.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    push(endpoint, old, Graph(), "urn:g", include_inferred=False)

    def body():
        for i in range(50_000):
            yield f"<urn:new{i}> <urn:p> {i} .\n".encode()
            if i == 25_000:
                process.send_signal(signal.SIGKILL)  # the server dies half-way through the PUT
                process.wait()

    with pytest.raises(PlangrafError):
        put_graph(endpoint, "urn:g", body(), "application/n-triples")
    restarted = start_server(port, store, read_only=False, union_default_graph=False)
    try:
        assert count_triples(endpoint, "urn:g") == 100
    finally:
        stop_server(restarted)


def _start_serve(root: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "plangraf.cli", "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env or dict(os.environ),
    )


def _children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _count_findings(port: int) -> str | None:
    url = f"http://127.0.0.1:{port}/query?query=" + urllib.request.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/plangraf/ontology#Finding> }"
    )
    try:
        request = urllib.request.Request(url, headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.read().decode().splitlines()[1].strip()
    except OSError:
        return None


def test_serve_command_starts_answers_and_stops_on_ctrl_c(tmp_path, root, built):
    port = free_port()
    process = _start_serve(root, port)
    try:
        banner = process.stdout.readline().decode()  # what the user reads before querying
        assert f"http://127.0.0.1:{port}/query" in banner, banner + process.stdout.read().decode()
        assert _count_findings(port) == "91"
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"update=CLEAR ALL",
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(OSError):  # read-only by default
            urllib.request.urlopen(update, timeout=5)
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode()
        assert process.returncode == 0, output
        assert "Stopping." in output
        assert _count_findings(port) is None  # the Oxigraph child stopped with it
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_ctrl_c_while_the_server_is_still_starting_stops_cleanly(root, built):
    """Ctrl-C the moment the port answers, possibly before plangraf has seen it answer:
    exit 0, and no orphaned Oxigraph server keeps the port."""
    port = free_port()
    process = _start_serve(root, port)
    try:
        deadline = time.monotonic() + 300
        while _count_findings(port) is None:
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode()
        assert process.returncode == 0, output
        assert "Traceback" not in output
        time.sleep(0.5)
        assert _count_findings(port) is None, "an Oxigraph server outlived plangraf serve"
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_serve_stops_its_server_and_removes_its_store_on_a_signal(tmp_path, root, built, sig):
    """What systemd, a container runtime or a CI timeout sends: the Oxigraph child and the
    temporary store go with plangraf, as on Ctrl-C."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = _start_serve(root, port, env={**os.environ, "TMPDIR": str(temp)})
    try:
        banner = process.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}/query" in banner, banner + process.stdout.read().decode()
        assert _count_findings(port) == "91"
        children = _children(process.pid)
        assert children, "plangraf serve has no server child"
        assert [p.name for p in temp.iterdir()], "the temporary store is not in TMPDIR"
        process.send_signal(sig)
        output = process.communicate(timeout=30)[0].decode()
        assert process.returncode == 0, output
        assert "Stopping." in output and "Traceback" not in output
        assert not [pid for pid in children if _alive(pid)], "a server process outlived plangraf serve"
        assert list(temp.iterdir()) == [], "the temporary store outlived plangraf serve"
        assert _count_findings(port) is None
    finally:
        if process.poll() is None:
            process.kill()
