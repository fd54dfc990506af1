"""The committed reference files are exactly what the converter makes from shared/reference."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from graphs import same_graph
from plangraf.rdf.namespaces import PG, municipality_iri
from plangraf.reference.convert import convert_reference
from plangraf.reference.municipalities import read_ssb_2020


def test_converter_reproduces_committed_files(tmp_path, root, shared_reference):
    counts = convert_reference(shared_reference, tmp_path)
    assert set(counts) == {"municipalities.ttl", "laws.ttl"}
    for name in counts:
        made = Graph().parse(tmp_path / name)
        committed = Graph().parse(root / "data" / "reference" / name)
        assert same_graph(made, committed), name


def test_ssb_file_is_read_as_latin1_with_356_municipalities(shared_reference):
    municipalities = read_ssb_2020(shared_reference)
    assert len(municipalities) == 356
    names = {m.name for m in municipalities}
    assert {"Tønsberg", "Karmøy", "Færder", "Bø", "Herøy (Nordland)"} <= names


def test_renumbering_keeps_one_identity(root):
    g = Graph().parse(root / "data" / "reference" / "municipalities.ttl")
    tonsberg = municipality_iri("tonsberg")
    numbers = sorted(str(g.value(n, SKOS.notation)) for n in g.objects(tonsberg, PG.hasNumber))
    assert numbers == ["0704", "3803", "3905"]  # 2019, 2020–2023, from 2024
    karmoy = municipality_iri("karmoy")
    assert sorted(str(g.value(n, SKOS.notation)) for n in g.objects(karmoy, PG.hasNumber)) == ["1149"]
    # the 356 of 2020, the four predecessors of studied municipalities merged in 2020 and the
    # five merged before 2019, known by number only (tests/test_mergers_before_2019.py)
    predecessors = {str(m).rsplit("/", 1)[1] for m in g.subjects(RDF.type, PG.Municipality) if str(m)[-4:].isdigit()}
    before_2019 = {f"kommune-{n}" for n in ("0706", "0719", "0720", "0709", "0728")}
    assert predecessors == {"re-0716", "finnoy-1141", "rennesoy-1142", "forsand-1129"} | before_2019
    assert len(set(g.subjects(RDF.type, PG.Municipality))) == 356 + 4 + 5
