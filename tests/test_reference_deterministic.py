"""`plangraf convert-reference` writes the same bytes on every run: the periods (blank nodes)
get labels derived from what they are the period of, not new random ids, so regenerating
data/reference/ gives no diff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef

from plangraf.rdf.namespaces import DCTERMS, PGID
from plangraf.reference.convert import convert_reference
from plangraf.reference.periods import add_period, period_label

ROOT = Path(__file__).resolve().parents[1]


def test_two_runs_give_byte_identical_files_equal_to_the_committed_ones(tmp_path, shared_reference):
    first, second = tmp_path / "first", tmp_path / "second"
    names = set(convert_reference(shared_reference, first))
    # the second run in another process, with another string hash seed
    code = "import sys; from plangraf.reference.convert import convert_reference as c; c(sys.argv[1], sys.argv[2])"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(shared_reference), str(second)], check=True, env=env, timeout=300)
    for name in sorted(names):
        made = (first / name).read_bytes()
        assert made == (second / name).read_bytes(), name
        assert made == (ROOT / "data" / "reference" / name).read_bytes(), name
    periods = {o for o in Graph().parse(first / "municipalities.ttl").objects(None, DCTERMS.temporal)}
    assert periods and all(isinstance(p, BNode) for p in periods)  # still blank nodes, as before
    assert "_:county-38-period" in (first / "municipalities.ttl").read_text("utf-8")


def test_a_period_label_comes_from_its_resource_and_a_second_period_is_refused():
    number = PGID["municipality-number/3803-2020"]
    assert period_label(number) == "municipality-number-3803-2020-period"
    g = Graph()
    node = add_period(g, number, "2020-01-01", "2023-12-31")
    assert node == BNode("municipality-number-3803-2020-period") and g.value(number, DCTERMS.temporal) == node
    with pytest.raises(ValueError, match="has a period already"):
        add_period(g, number, "2024-01-01", None)
    assert period_label(URIRef("https://example.org/x")) != period_label(PGID["county/38"])
