"""Shared fixtures: the project paths and one build of the study data per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from plangraf.check.shacl import load_shapes
from plangraf.core.paths import Paths
from plangraf.graph.build import BuildResult, build_graph
from plangraf.rdf.bridge import query_store

ROOT = Path(__file__).resolve().parents[1]
SHARED_REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_reference() -> Path:
    """``../shared/reference`` beside the repository. Missing in CI (``CI=true``) is a
    failure, so a test that needs it never passes by skipping; elsewhere it is a skip."""
    if not SHARED_REFERENCE.is_dir():
        message = f"{SHARED_REFERENCE} is missing: this test needs the shared reference folder beside the repository"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_REFERENCE


@pytest.fixture(scope="session")
def paths() -> Paths:
    return Paths(root=ROOT)


@pytest.fixture(scope="session")
def built(paths: Paths) -> BuildResult:
    """The study data built once (ontology + reference + data/study-2020, with inference)."""
    return build_graph(paths)


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return built.union()


@pytest.fixture(scope="session")
def store(built: BuildResult) -> ox.Store:
    """The study's query store (pyoxigraph), built once per test session (per worker)."""
    return query_store(built.asserted, built.inferred)


@pytest.fixture(scope="session")
def query_params() -> dict[str, list[dict[str, str]]]:
    """Parameter sets the shipped queries are checked with on every engine (rdflib,
    pyoxigraph, endpoints), by query name; a query not named here runs without parameters."""
    return {
        "reflected-guidance": [
            {},
            {"date": "2019-06-01"},
            {"min_relation": "paraphrase"},
            {"direct_only": "true"},
            {"direct_only": "false"},
        ],
        "guidance-coverage": [{}, {"guidance": "ks-digitaliseringsstrategi"}],
        "anchoring": [{}, {"guidance": "ks-digitaliseringsstrategi"}, {"include_drafts": "true"}],
        "evidence": [{}, {"municipality": "Porsgrunn"}, {"guidance": "meld-st-27/brukeren-i-sentrum"}],
        "explain-reflection": [{"municipality": "porsgrunn"}],
        "strategy-status": [{}, {"date": "2021-06-01"}],
        "sample-frame": [{}, {"threshold": "50000"}],
        "plan-chain": [{"municipality": "Karmøy"}, {"municipality": "sola", "date": "2016-01-01"}],
        "documents-by-geography": [{"date": "2020-09-01"}, {"date": "2024-06-01"}, {"date": "2018-01-01"}],
    }


@pytest.fixture(scope="session")
def shapes(paths: Paths) -> Graph:
    return load_shapes(paths.shapes)
