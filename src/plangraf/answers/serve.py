"""Serve the built graph with the Oxigraph SPARQL server (the ``oxigraph`` package on PyPI).

The server binds to 127.0.0.1 only, is read-only unless asked otherwise, and answers the
SPARQL 1.1 protocol at ``/query`` (with Oxigraph's query UI at ``/``); queries see the
asserted and the inferred named graphs together (``--union-default-graph``).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from plangraf.core.errors import PlangrafError


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise PlangrafError("the oxigraph server is not installed; pip install oxigraph", field="serve")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_port_free(port: int) -> None:
    """Refuse a port something already listens on: a stale server would answer in our place.
    A port left in TIME_WAIT by a server that has stopped is free (SO_REUSEADDR, as the
    server binds it); one with a listener is not."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise PlangrafError(
                f"port {port} on 127.0.0.1 is in use (another server?); stop it or choose another port", field="port"
            ) from None


def load_store(location: Path, files: list[Path]) -> None:
    """Load RDF files (TriG keeps named graphs) into an Oxigraph store folder."""
    command = [oxigraph_binary(), "load", "--location", str(location)]
    for path in files:
        command += ["--file", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PlangrafError(f"oxigraph load failed: {result.stderr.strip()[:300]}", field="serve")


def start_server(
    port: int, location: Path | None = None, *, read_only: bool = True, union_default_graph: bool = True
) -> subprocess.Popen[bytes]:
    """Start ``oxigraph serve`` on 127.0.0.1:port and wait until it answers."""
    mode = "serve-read-only" if read_only else "serve"
    if read_only and location is None:
        raise PlangrafError("a read-only server needs a store folder", field="serve")
    check_port_free(port)
    command = [oxigraph_binary(), mode, "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        command += ["--location", str(location)]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/query", process)
    except BaseException:  # Ctrl-C or a failed start: never leave an orphaned server behind
        stop_server(process)
        raise
    return process


def wait_until_ready(query_url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    probe = query_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            raise PlangrafError(f"the oxigraph server stopped: {error.strip()[:300]}", field="serve")
        try:
            with urllib.request.urlopen(probe, timeout=2):  # noqa: S310 - loopback only
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    process.kill()
    raise PlangrafError(f"the oxigraph server did not answer at {query_url} within {timeout:.0f} s", field="serve")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: Signals that stop ``plangraf serve`` as Ctrl-C does: a service manager, a container
#: runtime or a CI timeout sends SIGTERM; a closed terminal sends SIGHUP.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`KeyboardInterrupt` like Ctrl-C,
    so the cleanup that Ctrl-C runs (stop the server, remove the temporary store) runs for
    them too. The previous handlers come back afterwards."""
    previous = {sig: signal.signal(sig, _interrupt) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
