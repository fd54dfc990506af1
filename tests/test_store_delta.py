"""The build's store made from the previous build's store plus a delta
(:mod:`plangraf.graph.storewrite`) holds exactly the quads of the build, as the store written
whole does: after random edits, removals and additions of files of a synthetic study; and a
damaged or foreign previous build is never used as the base."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraf.core.paths import Paths
from plangraf.graph.current import Build
from plangraf.graph.folder import current_folder
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.rdf import bridge as oxbridge
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def synthetic(tmp_path: Path) -> Paths:
    paths = Paths(root=ROOT)
    synthesize(3, 7, tmp_path / "study", load_reference(paths, load_ontology(paths)))
    return Paths(root=ROOT, data=tmp_path / "study", out=tmp_path / "build")


def _build(paths: Paths) -> tuple[str, set[ox.Quad]]:
    """Build (something changed), and check the written store against the build's quads."""
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
    return result.store_written, expected


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
        ways.append(_build(synthetic)[0])
    assert "delta" in ways  # the delta path ran (a removed file can change more than a fifth)


def test_a_damaged_previous_trig_is_not_used_as_the_base(synthetic: Paths):
    _build(synthetic)
    trig = current_folder(synthetic.build) / "plangraf.trig"
    trig.write_bytes(trig.read_bytes().replace(b"synthetic", b"damaged", 1))
    _edit(sorted(synthetic.study.glob("[!s]*.yaml"))[0], random.Random(1))
    assert _build(synthetic)[0] == "whole"


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
