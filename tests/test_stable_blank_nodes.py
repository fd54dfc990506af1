"""Blank nodes read from an RDF file keep their labels from one build to the next."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from plangraf.rdf.files import read_ox_triples

TEXT = """@prefix ex: <http://example.org/> .
ex:a ex:period [ ex:start "2020" ; ex:end "2024" ] .
ex:b ex:period [ ex:start "2024" ] , _:named .
_:named ex:start "1990" .
"""


def _blank_labels(triples) -> list[str]:
    return [t.value for triple in triples for t in (triple[0], triple[2]) if isinstance(t, ox.BlankNode)]


def test_the_same_file_gives_the_same_blank_nodes(tmp_path: Path) -> None:
    path = tmp_path / "periods.ttl"
    path.write_text(TEXT, encoding="utf-8")
    first, second = read_ox_triples(path), read_ox_triples(path)
    assert first == second
    assert len(set(_blank_labels(first))) == 3  # three distinct nodes, none merged


def test_two_files_never_share_a_blank_node(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.ttl").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.ttl").write_text(TEXT + "ex:c ex:d ex:e .\n", encoding="utf-8")
    labels = [set(_blank_labels(read_ox_triples(p))) for p in (tmp_path / "one" / "a.ttl", tmp_path / "b.ttl")]
    assert labels[0].isdisjoint(labels[1])
    assert labels[1].isdisjoint(_blank_labels(read_ox_triples(tmp_path / "c.ttl")))


def test_a_format_pyoxigraph_does_not_read_is_relabelled_too(tmp_path: Path) -> None:
    path = tmp_path / "periods.jsonld"
    path.write_text(
        '{"@id": "http://example.org/a", "http://example.org/period": {"http://example.org/start": "2020"}}',
        encoding="utf-8",
    )
    first, second = read_ox_triples(path), read_ox_triples(path)
    assert first == second and len(_blank_labels(first)) == 2
