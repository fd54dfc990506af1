"""Start-up (issue 21 step 7): loading the command line imports none of the heavy libraries;
each command imports what it needs when it runs. Checked in a fresh interpreter (timing is
measured in bench/, not here)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("rdflib", "pyshacl", "owlrl", "jsonschema", "snowballstemmer", "plangraf.reuse.measure")


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_loading_the_cli_imports_no_heavy_library():
    loaded = _imported_after("import plangraf.cli.main")
    assert not {name for name in HEAVY if name in loaded}


def test_the_cli_default_for_reuse_equals_the_library_one():
    from plangraf.cli.reuse import DEFAULT_MIN_WORDS
    from plangraf.reuse import measure

    assert DEFAULT_MIN_WORDS == measure.DEFAULT_MIN_WORDS


def test_a_query_on_the_store_does_not_parse_with_rdflib(paths, tmp_path):
    """A shipped query without network features runs on pyoxigraph alone: rdflib's SPARQL
    parser (0.1-0.5 s a query) is never imported."""
    code = (
        "from pathlib import Path\n"
        "import pyoxigraph as ox\n"
        "from plangraf.answers.query import resolve_query, run_query\n"
        f"q = resolve_query('strategy-status', Path({str(paths.queries)!r}))\n"
        "print(run_query(ox.Store(), q, {}).columns)\n"
    )
    loaded = _imported_after(code)
    assert "rdflib.plugins.sparql.parser" not in loaded
