"""The endpoint parity tests on a second real server: Virtuoso Open Source (Debian's
``virtuoso-opensource``), started on 127.0.0.1 with its own ports and a database in a
temporary folder. Push, every shipped query equal to the embedded answer, validate --endpoint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plangraf.answers.query import resolve_query, run_query, shipped_queries
from plangraf.answers.remote import Endpoint, push, remote_query
from plangraf.answers.serve import free_port
from plangraf.cli.main import main

INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = virtuoso-temp.db
TransactionFile    = virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ThreadsPerQuery    = 1
[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = .
ServerThreads        = 5
MaxClientConnections = 5
Charset              = UTF-8
[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 300
"""

# SPARQL 1.1 Graph Store writes without authentication, for this throw-away server only
GRANTS = "grant SPARQL_UPDATE to \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


def _binaries() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server and isql:
        return server, isql
    message = "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource; scripts/test does it)"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def _wait(url: str, process: subprocess.Popen[bytes], folder: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "virtuoso.log").read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"virtuoso stopped: {log}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"virtuoso did not answer at {url}")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server, isql = _binaries()
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port), "utf-8")
    process = subprocess.Popen(
        [server, "-f", "-c", "virtuoso.ini"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait(base + "/sparql", process, folder)
        grant = [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={GRANTS}"]
        subprocess.run(grant, check=True, capture_output=True, timeout=60)
        # one long attempt per query: a retry after a client time-out sends the same heavy query
        # again while the first still runs, and under load Virtuoso 7.2 then deadlocks
        yield Endpoint(base + "/sparql", store_url=base + "/sparql-graph-crud", timeout=600, retries=0)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def pushed(virtuoso, built):
    return push(virtuoso, built.asserted, built.inferred)


def normalise(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row.values()) for row in rows)


def test_push_to_virtuoso_replaces_graphs_and_verifies_counts(virtuoso, built, pushed):
    assert pushed == {
        "https://w3id.org/plangraf/graph/asserted": len(built.asserted),
        "https://w3id.org/plangraf/graph/inferred": len(built.inferred),
    }
    assert push(virtuoso, built.asserted, built.inferred) == pushed  # replaces, never adds


# Known limitation, not a pass: the anchoring query (issue 22) answers on an idle Virtuoso 7.2 in
# about 16 s with the same rows (checked by hand and with `pytest tests/test_virtuoso.py`), but
# while the rest of the suite loads both cores the server deadlocked on it in three runs out of
# three (no CPU, "large numbers of runnable threads" in its log), hanging every later query.
# docs/endpoints.md says so. PLANGRAF_VIRTUOSO_ANCHORING=1 runs it. The rewritten query (issue 21)
# answers in about 12 s and passed under load once; the skip goes once whole suite runs pass with it.
HEAVY_FOR_VIRTUOSO = {"anchoring"}


def _cases() -> list[Any]:
    names = sorted(shipped_queries(Path(__file__).resolve().parents[1] / "queries"))
    run_all = os.environ.get("PLANGRAF_VIRTUOSO_ANCHORING") == "1"
    skip = pytest.mark.skip(reason="deadlocks Virtuoso 7.2 under the suite's load; see docs/endpoints.md")
    return [pytest.param(n, marks=skip) if n in HEAVY_FOR_VIRTUOSO and not run_all else n for n in names]


@pytest.mark.parametrize("name", _cases())
def test_every_shipped_query_gives_the_embedded_answer_on_virtuoso(virtuoso, pushed, store, paths, query_params, name):
    query = resolve_query(name, paths.queries)
    for params in query_params.get(name, [{}]):
        local = run_query(store, query, params)  # equal to rdflib's answer: tests/test_query_engines.py
        remote = remote_query(virtuoso, query, params)
        assert remote.columns == local.columns
        assert normalise(remote.rows) == normalise(local.rows), (name, params)


def test_validate_against_virtuoso_matches_local_validation(virtuoso, pushed):
    local = CliRunner().invoke(main, ["validate", "-q"])
    remote = CliRunner().invoke(main, ["validate", "--endpoint", virtuoso.query_url, "-q"])
    assert remote.exit_code == local.exit_code == 0, remote.output
    assert remote.output == local.output
    assert "Conforms: no violations." in remote.output
