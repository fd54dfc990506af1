"""The committed reference files are exactly what the converter makes from shared/reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from plangraf.convert_reference import convert_reference, read_ssb_2020
from plangraf.namespaces import PG, municipality_iri

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

needs_shared = pytest.mark.skipif(
    not SHARED_REFERENCE.is_dir(), reason="shared/reference is beside the project only on developer and CI machines"
)


@needs_shared
def test_converter_reproduces_committed_files(tmp_path, root):
    counts = convert_reference(SHARED_REFERENCE, tmp_path)
    assert set(counts) == {"municipalities.ttl", "laws.ttl"}
    for name in counts:
        made = Graph().parse(tmp_path / name)
        committed = Graph().parse(root / "data" / "reference" / name)
        assert isomorphic(made, committed), name


@needs_shared
def test_ssb_file_is_read_as_latin1_with_356_municipalities():
    municipalities = read_ssb_2020(SHARED_REFERENCE)
    assert len(municipalities) == 356
    names = {m.name for m in municipalities}
    assert {"Tønsberg", "Karmøy", "Færder", "Bø", "Herøy (Nordland)"} <= names


def test_renumbering_keeps_one_identity(root):
    g = Graph().parse(root / "data" / "reference" / "municipalities.ttl")
    tonsberg = municipality_iri("tonsberg")
    numbers = sorted(str(g.value(n, SKOS.notation)) for n in g.objects(tonsberg, PG.hasNumber))
    assert numbers == ["3803", "3905"]
    karmoy = municipality_iri("karmoy")
    assert sorted(str(g.value(n, SKOS.notation)) for n in g.objects(karmoy, PG.hasNumber)) == ["1149"]
    assert len(set(g.subjects(RDF.type, PG.Municipality))) == 356
