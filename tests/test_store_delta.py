"""The build's store made from the previous build's store plus a delta found on ids
(:mod:`plangraf.graph.storewrite`, :mod:`plangraf.graph.delta`) holds exactly the quads of the
build, as the store written whole does, and the exports made from the previous build's pieces
(:mod:`plangraf.graph.exports`) are byte for byte what pyoxigraph writes for the build's quads:
after random edits, removals and additions of files of a synthetic study. A damaged or
foreign previous build (saved ids, store or exports) is never used as the base."""

from __future__ import annotations

import random
import shutil
from array import array
from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraf.core.paths import Paths
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.graph.saved import SAVED, Encoded, _decode, encode_saved
from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.namespaces import PREFIXES
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def synthetic(tmp_path: Path) -> Paths:
    paths = Paths(root=ROOT)
    synthesize(3, 7, tmp_path / "study", load_reference(paths, load_ontology(paths)))
    return Paths(root=ROOT, data=tmp_path / "study", out=tmp_path / "build")


def _build(paths: Paths) -> tuple[str, list[str]]:
    """Build (something changed), and check the written store and exports against the build's
    quads: how the store was written, and which Turtle files came from the previous build's."""
    result = Build(paths).build()
    assert result is not None
    asserted, inferred = result.named_quads()
    expected = set(asserted) | set(inferred)
    folder = current_folder(paths.build)
    store = oxbridge.open_store(folder / "store")
    whole = ox.Store()  # the store keeps some literals by value (positiveInteger as integer): compare stores
    whole.bulk_extend(asserted + inferred)
    _assert_equal(set(store), set(whole), "store")
    _assert_equal(set(ox.parse(path=str(folder / "plangraf.trig"), format=ox.RdfFormat.TRIG)), expected, "TriG")
    prefixes = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    written = {  # what the build wrote before its exports were made from pieces, byte for byte
        "plangraf.trig": oxbridge.serialize_quads(asserted + inferred, "trig", prefixes),
        "plangraf.ttl": oxbridge.serialize_quads(asserted, "turtle", prefixes),
        "inferred.ttl": oxbridge.serialize_quads(inferred, "turtle", prefixes),
    }
    for name, data in written.items():
        assert (folder / name).read_bytes() == data, name
    return result.store_written, result.exports_reused


def _assert_equal(found: set[ox.Quad], expected: set[ox.Quad], what: str) -> None:
    missing, extra = expected - found, found - expected
    assert not missing and not extra, (
        what,
        len(missing),
        len(extra),
        sorted(map(str, missing))[:2],
        sorted(map(str, extra))[:2],
    )


def _edit(path: Path, rng: random.Random) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    places = [i for i, line in enumerate(lines) if line.strip().startswith("source:")]
    i = rng.choice(places)
    lines[i] = f"{lines[i]} (edited {rng.randrange(10**6)})"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_random_edits_give_the_store_a_whole_write_gives(synthetic: Paths, tmp_path: Path):
    rng = random.Random(21)
    assert _build(synthetic)[0] == "whole"  # nothing to start from
    files = sorted(p for p in synthetic.study.glob("*.yaml") if p.name != "study.yaml")
    aside = tmp_path / "aside"
    aside.mkdir()
    ways = []
    for step in range(6):
        action = ("edit", "remove", "add")[step % 3]
        if action == "edit":
            _edit(rng.choice(files), rng)
        elif action == "remove":
            victim = rng.choice(files)
            files.remove(victim)
            shutil.move(victim, aside / victim.name)
        else:
            back = next(aside.iterdir())
            shutil.move(back, synthetic.study / back.name)
            files.append(synthetic.study / back.name)
        ways.append(_build(synthetic))
    assert ("delta", ["plangraf.ttl", "inferred.ttl"]) in ways  # the delta paths ran


def test_an_edit_that_changes_no_triple_keeps_both_exports(synthetic: Paths):
    """The bench's edit: a municipality file's own ``source:`` line, which gives no triple. The
    build runs (the file's content changed); its exports are the previous ones, byte for byte
    what a whole serialisation writes (checked by ``_build``)."""
    _build(synthetic)
    path = sorted(p for p in synthetic.study.glob("*.yaml") if p.name != "study.yaml")[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: synthetic", "source: synthetic (edited)", 1), encoding="utf-8")
    assert _build(synthetic) == ("delta", ["plangraf.ttl", "inferred.ttl"])


@pytest.mark.parametrize("damage", ["flipped", "truncated", "missing", "another build's"])
def test_damaged_or_foreign_saved_ids_are_not_used(synthetic: Paths, tmp_path: Path, damage: str):
    _build(synthetic)
    saved = current_folder(synthetic.build) / SAVED
    data = saved.read_bytes()
    if damage == "flipped":  # one id of the last row changed: the file still decodes
        saved.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "truncated":
        saved.write_bytes(data[: len(data) // 2])
    elif damage == "missing":
        saved.unlink()
    else:
        other = Paths(root=ROOT, data=synthetic.study, out=tmp_path / "other")
        _edit(sorted(synthetic.study.glob("[!s]*.yaml"))[1], random.Random(3))
        Build(other).build()
        shutil.copyfile(current_folder(other.build) / SAVED, saved)
    _edit(sorted(synthetic.study.glob("[!s]*.yaml"))[0], random.Random(1))
    assert _build(synthetic) == ("whole", [])


def test_a_damaged_previous_export_is_not_reused(synthetic: Paths):
    _build(synthetic)
    turtle = current_folder(synthetic.build) / "inferred.ttl"
    turtle.write_bytes(turtle.read_bytes().replace(b" .\n", b" ;\n", 1))
    _edit(sorted(synthetic.study.glob("[!s]*.yaml"))[0], random.Random(1))
    assert _build(synthetic) == ("delta", ["plangraf.ttl"])  # checked byte for byte in _build


def test_a_previous_store_of_other_contents_is_not_used_as_the_base(synthetic: Paths, tmp_path: Path):
    _build(synthetic)
    other = Paths(root=ROOT, data=synthetic.study, out=tmp_path / "other")
    first = sorted(synthetic.study.glob("[!s]*.yaml"))[0]
    kept = first.read_text(encoding="utf-8")
    first.unlink()
    Build(other).build()  # a store of fewer quads, moved into the build under its manifest
    first.write_text(kept, encoding="utf-8")
    mine = current_folder(synthetic.build) / "store"
    shutil.rmtree(mine)
    shutil.copytree(current_folder(other.build) / "store", mine)
    _edit(first, random.Random(2))
    assert _build(synthetic)[0] == "whole"


@pytest.mark.parametrize("bad", [-1, 3, 2**31 - 1])
def test_saved_rows_with_an_id_outside_the_table_are_refused(bad: int):
    encoded = Encoded([ox.NamedNode(f"https://example.org/{i}") for i in range(3)], [("g", [(0, 1, 2)])], True)
    data = encode_saved(encoded, encoded.texts(), [encoded.flat(0)], {})
    assert _decode(data) is not None
    row = array("i", [0, 1, bad]).tobytes()
    assert _decode(data[: -len(row)] + row) is None
