"""Issue 26, point 7: the small defects of a first day, each with its test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from plangraf.cli.main import main

SRC = Path(__file__).resolve().parents[1] / "src"


def test_serve_on_a_busy_port_refuses_instead_of_announcing_a_stale_server(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--example"])
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert "Serving" not in result.output


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`plangraf docs architecture | head -1` printed "Error: : Broken pipe"."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = "import sys; from plangraf.cli.main import main; sys.argv = ['plangraf', 'docs', 'architecture']; main()"
    reader = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # the reader goes away before plangraf writes
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert "Broken pipe" not in err and "Error" not in err, err


def test_init_quotes_a_folder_name_with_a_space(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "Min studie"])
    assert result.exit_code == 0, result.output
    assert "Next: cd 'Min studie' && plangraf validate" in result.output


def test_the_ontology_documentation_logs_nothing(tmp_path):
    """pyLODE's import configured DEBUG logging: publish printed INFO:root and DEBUG:asyncio."""
    ontology = Path(__file__).resolve().parents[1] / "ontology" / "plangraf.ttl"
    code = (
        "import asyncio, pathlib; from plangraf.outputs.publish import ontology_html; "
        f"ontology_html(pathlib.Path({str(ontology)!r})); asyncio.new_event_loop().close()"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_export_gives_the_same_decimals():
    """JSON-LD wrote "1"^^xsd:decimal as 1 while Turtle writes 1.0: not isomorphic."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.compare import isomorphic
    from rdflib.namespace import XSD

    from plangraf.outputs.export import serialize

    graph = Graph()
    for i, value in enumerate(["1", "0.196", "2.50", "-3"]):
        graph.add((URIRef(f"urn:r{i}"), URIRef("urn:score"), Literal(value, datatype=XSD.decimal)))
    read = {
        fmt: Graph().parse(data=serialize(graph, Graph(), fmt), format=parser)
        for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"))
    }
    assert isomorphic(read["turtle"], read["jsonld"]) and isomorphic(read["turtle"], read["nt"])
    assert {str(o) for o in read["jsonld"].objects()} == {"1.0", "0.196", "2.5", "-3.0"}


def test_the_ontology_page_speaks_one_language():
    """pyLODE glued nb and en labels together: "føringselementguidance item"."""
    from plangraf.outputs.publish import ontology_html

    html = ontology_html(Path(__file__).resolve().parents[1] / "ontology" / "plangraf.ttl")
    assert "guidance item" in html and "The plangraf ontology" in html
    assert "føringselement" not in html and "plangraf-ontologien" not in html
