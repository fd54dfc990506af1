"""Start-up of the commands that matter most (issue 21): each command imports only what it
runs. ``validate`` with the compiled engine loads neither pyshacl nor rdflib's SPARQL parser; a
build loads neither; a no-op ``build`` (nothing changed) loads neither rdflib, pyoxigraph, the
study loader nor a schema checker; a ``query`` on a fresh build loads neither rdflib, the build
nor a schema checker; ``--help`` no RDF library. Each command runs in a fresh interpreter, as a user runs
it; the timing itself is measured in bench/, not here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]

# what each command must not import, by the modules that cost the most at start-up
REFERENCE_SHACL = ("pyshacl", "rdflib.plugins.sparql", "pyparsing", "owlrl")
NOOP_BUILD = (*REFERENCE_SHACL, "rdflib", "pyoxigraph", "jsonschema", "fastjsonschema", "plangraf.study.loader")


def run_command(*args: str) -> tuple[int, set[str]]:
    """Run ``plangraf ARGS`` in a fresh interpreter; its exit code and every module it imported."""
    probe = (
        "import json, sys\n"
        "from plangraf.cli.main import main\n"
        "try:\n"
        f"    main.main(args={list(args)!r}, standalone_mode=False)\n"
        "    code = 0\n"
        "except SystemExit as exc:\n"
        "    code = exc.code or 0\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES ' + json.dumps([code, sorted(sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    code, modules = json.loads(done.stdout.rsplit("MODULES ", 1)[1])
    return code, set(modules)


def loaded(modules: set[str], names: tuple[str, ...]) -> set[str]:
    """The names (or their submodules) among ``modules``."""
    return {n for n in names for m in modules if m == n or m.startswith(n + ".")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The mini study and a build of it, made by ``plangraf build`` in its own interpreter."""
    tmp = tmp_path_factory.mktemp("imports")
    study, out = tmp / "study", tmp / "build"
    shutil.copytree(FIXTURES / "mini-study", study)
    code, modules = run_command("--root", str(ROOT), "build", "--data", str(study), "--build-dir", str(out))
    assert code == 0
    assert not loaded(modules, REFERENCE_SHACL)  # a build needs neither pyshacl nor SPARQL parsing
    assert "plangraf.study.loader" in modules  # it did build
    return study, out


def test_a_no_op_build_imports_no_heavy_library(built):
    study, out = built
    code, modules = run_command("--root", str(ROOT), "build", "--data", str(study), "--build-dir", str(out))
    assert code == 0
    assert not loaded(modules, NOOP_BUILD)


def test_validate_with_the_compiled_engine_imports_no_reference_engine(built):
    pytest.importorskip("pyshacl_turbo")  # without it validate falls back to pyshacl, by design
    study, out = built
    where = ("--root", str(ROOT), "validate", "--data", str(study), "--build-dir", str(out), "-q")
    code, modules = run_command(*where)
    assert code == 0
    assert not loaded(modules, (*REFERENCE_SHACL, "jsonschema", "plangraf.study.loader", "plangraf.graph.build"))
    assert "pyshacl_turbo" in modules
    # the probe sees what a command imports: the reference engine loads what the compiled one does not
    code, modules = run_command(*where, "--engine", "pyshacl")
    assert code == 0
    assert loaded(modules, ("pyshacl", "rdflib.plugins.sparql")) == {"pyshacl", "rdflib.plugins.sparql"}


QUERY_ON_STORE = (*REFERENCE_SHACL, "rdflib", "jsonschema", "fastjsonschema", "plangraf.study.loader")
QUERY_ON_STORE += ("plangraf.graph.build",)


def test_a_query_on_a_fresh_build_imports_neither_rdflib_nor_the_build(built):
    """A shipped query (with a parameter checked against the graph, and its defaults) is parsed,
    bound, answered and written from the build's store with pyoxigraph alone; rdflib is
    imported only for a query on a graph, network features, SELECT * or an error message."""
    study, out = built
    where = ("--root", str(ROOT), "query", "evidence", "--data", str(study), "--build-dir", str(out), "--no-rebuild")
    for extra in (("-f", "csv"), ("-p", "municipality=Larvik", "-f", "json")):
        code, modules = run_command(*where, *extra)
        assert code == 0
        assert not loaded(modules, QUERY_ON_STORE), extra
        assert "pyoxigraph" in modules  # it did answer
    # the probe sees rdflib where it is used: a query with SELECT * runs on rdflib's engine
    star = study.parent / "star.rq"
    star.write_text("SELECT * WHERE { ?s a <https://w3id.org/plangraf/ontology#Municipality> }\n", encoding="utf-8")
    code, modules = run_command(*where[:3], str(star), *where[4:])
    assert code == 0
    assert "rdflib" in modules


def test_help_imports_no_rdf_library():
    code, modules = run_command("--help")
    assert code == 0
    assert not loaded(modules, ("rdflib", "pyoxigraph", "jsonschema", "yaml", "plangraf.graph", "plangraf.answers"))
