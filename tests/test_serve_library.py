"""plangraf.answers.serve as a library, in this process: the real oxigraph server loaded,
started read-only on a free loopback port, asked, and stopped; a port in use and a server that
cannot start are refused in one line. (test_cli.py runs `plangraf serve` as a command, whose
process coverage does not see.)"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from plangraf.answers.serve import (
    check_port_free,
    free_port,
    load_store,
    start_server,
    stop_on_signals,
    stop_server,
    wait_until_ready,
)
from plangraf.core.errors import PlangrafError

TRIG = """<urn:g:a> { <urn:s> <urn:p> "one" . }
<urn:g:b> { <urn:s> <urn:p> "two" . }
"""


def _ask(port: int, query: str) -> list[str]:
    url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        bindings = json.load(response)["results"]["bindings"]
    return sorted(b["o"]["value"] for b in bindings)


def test_a_loaded_store_is_served_read_only_with_its_graphs_as_the_default(tmp_path: Path) -> None:
    data = tmp_path / "data.trig"
    data.write_text(TRIG, encoding="utf-8")
    load_store(tmp_path / "store", [data])
    port = free_port()
    process = start_server(port, tmp_path / "store")
    try:
        assert _ask(port, "SELECT ?o WHERE { <urn:s> <urn:p> ?o }") == ["one", "two"]
        with pytest.raises(PlangrafError, match=f"port {port} on 127.0.0.1 is in use"):
            check_port_free(port)
    finally:
        stop_server(process)
    assert process.poll() is not None
    check_port_free(port)  # free again once stopped


def test_a_file_oxigraph_cannot_load_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text("<urn:g> { <urn:s> <urn:p> . }\n", encoding="utf-8")
    with pytest.raises(PlangrafError, match="oxigraph load failed"):
        load_store(tmp_path / "store", [bad])


def test_a_read_only_server_needs_a_store() -> None:
    with pytest.raises(PlangrafError, match="read-only server needs a store folder"):
        start_server(free_port(), None)


def test_a_server_that_stops_at_once_is_reported_with_its_error() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stderr.write('no store here'); sys.exit(3)"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with pytest.raises(PlangrafError, match="the oxigraph server stopped: no store here"):
        wait_until_ready(f"http://127.0.0.1:{free_port()}/query", process, timeout=10)


def test_a_server_that_never_answers_is_killed_after_the_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as quiet:  # accepts, never answers
        quiet.bind(("127.0.0.1", 0))
        quiet.listen()
        port = quiet.getsockname()[1]
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        with pytest.raises(PlangrafError, match="did not answer"):
            wait_until_ready(f"http://127.0.0.1:{port}/query", process, timeout=0.5)
        assert process.wait(timeout=10) != 0  # killed, not left running


def test_sigterm_inside_the_block_is_a_keyboard_interrupt_and_handlers_come_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"), stop_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) == before
