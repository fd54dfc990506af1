"""Queries cannot reach out or be injected; writes are atomic even when plangraf is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plangraf.answers.query import NamedQuery, Param, network_features, resolve_query, run_query
from plangraf.core.errors import PlangrafError

INJECTIONS = [
    'Larvik"',
    'Larvik" ) } UNION { ?m ?p ?o } #',
    "Larvik' . ?x ?y ?z",
    "} UNION { ?s ?p ?o }",
    "# comment",
    'x" . FILTER(true) #',
    "\\u0022 ) }",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameters_are_plain_values(graph, paths, value):
    """On rdflib's engine; the same values as ``municipality`` on rdflib and pyoxigraph, and
    as both parameters on pyoxigraph, are in test_query_engines.py (its INJECTIONS hold these)."""
    query = resolve_query("evidence", paths.queries)
    assert run_query(graph, query, {"guidance": value}).rows == []


@pytest.mark.parametrize("value", ["urn:a> <urn:b", "http://x.org/a b", 'http://x.org/"', "not an iri", "<urn:a>"])
def test_iri_parameters_refuse_what_is_not_an_iri(graph, value):
    query = NamedQuery(
        name="t",
        path=Path("t.rq"),
        text="SELECT ?s WHERE { ?s ?p ?_thing }",
        summary="t",
        params=[Param("thing", "iri")],
    )
    with pytest.raises(PlangrafError, match="is not an IRI"):
        run_query(graph, query, {"thing": value})


def test_date_and_integer_parameters_are_typed(graph, paths):
    query = resolve_query("sample-frame", paths.queries)
    with pytest.raises(PlangrafError, match="is not an integer"):
        run_query(graph, query, {"threshold": "25000 } UNION { ?s ?p ?o"})
    with pytest.raises(PlangrafError, match="is not a date"):
        run_query(graph, query, {"date": '2020-01-01"^^<urn:x>'})


@pytest.mark.parametrize(
    "text, found",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ["SERVICE"]),
        ("SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }", ["SERVICE"]),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", ["FROM"]),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", ["FROM"]),
        ("LOAD <http://example.org/data.ttl>", ["LOAD"]),
        ("LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <urn:g>", ["LOAD"]),
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x>" } # LOAD <http://y>', []),
    ],
)
def test_network_features_are_found_on_the_parse_tree(text, found):
    assert network_features(text) == found


def test_every_shipped_query_is_local(paths):
    for path in paths.queries.glob("*.rq"):
        assert network_features(path.read_text(encoding="utf-8")) == [], path.name


def test_killed_build_leaves_previous_output_intact(tmp_path, root):
    """Kill plangraf while it writes build/ and show the previous files are untouched."""
    project = tmp_path / "project"
    for part in ("ontology", "queries"):
        shutil.copytree(root / part, project / part)
    shutil.copytree(root / "data" / "reference", project / "data" / "reference")
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini-study", project / "data" / "study-2020")
    build = project / "build"
    build.mkdir()
    previous = {name: f"previous {name}\n" for name in ("plangraf.trig", "plangraf.ttl", "inferred.ttl")}
    for name, text in previous.items():
        (build / name).write_text(text)
    env = dict(os.environ, PLANGRAF_TEST_PAUSE_BEFORE_SWAP="30")
    process = subprocess.Popen(
        [sys.executable, "-m", "plangraf.cli", "--root", str(project), "build"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        while not any(build.glob(".builds/staging-*/manifest.json")):  # the new build is staged, not swapped in
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, "plangraf never started writing"
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    for name, text in previous.items():
        assert (build / name).read_text() == text
    assert not (build / "manifest.json").exists()
