"""A build's saved id rows (plangraf.graph.saved) from quads made on the rdflib path: the rows
give back the quads, the file reads back as written, and a file that is not whole or not the
one the manifest names is never used."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.saved import SAVED, Encoded, encode_saved, read_saved

G1, G2 = "urn:plangraf:asserted", "urn:plangraf:inferred"
S, P = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
QUADS = [
    (
        G1,
        [
            ox.Quad(S, P, ox.Literal("ein", language="nn"), ox.NamedNode(G1)),
            ox.Quad(S, P, ox.BlankNode("b1"), ox.NamedNode(G1)),
        ],
    ),
    (
        G2,
        [
            ox.Quad(
                ox.BlankNode("b1"),
                P,
                ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#positiveInteger")),
                ox.NamedNode(G2),
            )
        ],
    ),
]


def _write(tmp_path: Path, data: bytes) -> dict:
    (tmp_path / SAVED).write_bytes(data)
    return {"ids": {"sha256": hashlib.sha256(data).hexdigest()}}


def test_rows_of_quads_give_the_quads_back_and_read_back_as_written(tmp_path: Path) -> None:
    encoded = Encoded.of_quads(QUADS)
    assert not encoded.ordered
    assert [encoded.quads(i) for i in range(2)] == [quads for _name, quads in QUADS]
    assert len(encoded.terms) == 5  # S, P, the two literals and one blank node shared by both graphs
    texts, flats = encoded.texts(), [encoded.flat(i) for i in range(2)]
    saved = read_saved(tmp_path, _write(tmp_path, encode_saved(encoded, texts, flats, {"plangraf.ttl": "x"})))
    assert saved is not None
    assert saved.terms == texts and saved.exports == {"plangraf.ttl": "x"}
    assert [(name, list(flat)) for name, flat in saved.graphs] == [(G1, list(flats[0])), (G2, list(flats[1]))]


def test_a_file_that_is_not_whole_or_not_the_manifests_is_not_used(tmp_path: Path) -> None:
    encoded = Encoded.of_quads(QUADS)
    data = encode_saved(encoded, encoded.texts(), [encoded.flat(i) for i in range(2)], {})
    manifest = _write(tmp_path, data)
    assert read_saved(tmp_path, {"ids": {"sha256": "0" * 64}}) is None  # another build's
    assert read_saved(tmp_path, {}) is None  # a manifest without ids
    for damaged in (data + b"\0", data[:-4], b"plangraf-store-ids 0\n" + data.split(b"\n", 1)[1], b"not saved ids"):
        assert read_saved(tmp_path, _write(tmp_path, damaged)) is None
    (tmp_path / SAVED).unlink()
    assert read_saved(tmp_path, manifest) is None  # missing
