"""The closure as the union of the files' shares (:mod:`plangraf.graph.shares`): builds whose
shares come from the per-file cache after random edits, additions and removals of files give
the quads of a build that computes the closure whole, quad for quad; also where files share
nodes (a municipal goal one file states and another file's goal follows up, so
``pg:followsUp``'s transitivity joins triples of two files)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraf.core.paths import Paths
from plangraf.graph.build import BuildResult, build_graph
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.graph.shares import _contacts
from plangraf.study.synth import synthesize
from test_store_delta import _edit  # the same random edit of one source line

ROOT = Path(__file__).resolve().parents[1]
_REFERENCE = load_reference(Paths(root=ROOT), load_ontology(Paths(root=ROOT)))


def _quads(result: BuildResult) -> tuple[set[ox.Quad], set[ox.Quad]]:
    asserted, inferred = result.named_quads()
    return set(asserted), set(inferred)


def _goal(goal_id: str, target: str) -> dict[str, object]:
    return {
        "id": goal_id,
        "text": f"Mål {goal_id}",
        "evidence": "summary",
        "source": "4.1",
        "follows_up": [{"goal": target, "basis": "stated", "cited": "4.1"}],
    }


def _guidance_id(files: list[Path]) -> str:
    for path in files:
        for doc in yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]:
            for finding in doc.get("findings", []):
                for link in finding.get("reflects", []):
                    return str(link["guidance"])
    raise AssertionError("no guidance id in the synthetic study")


def _add_goal(path: Path, goal: dict[str, object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["documents"][0].setdefault("goals", []).append(goal)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _chained(study: Path, rng: random.Random, tag: str) -> None:
    """Goals in three files, each following up the one before, the first a guidance goal."""
    files = sorted(p for p in study.glob("*.yaml") if p.name != "study.yaml")
    chosen = rng.sample(files, min(3, len(files)))
    target = _guidance_id(files)
    for i, path in enumerate(chosen):
        goal_id = f"{path.stem}-{tag}/goal-{i}"
        _add_goal(path, _goal(goal_id, target))
        target = goal_id


def _unchain(files: list[Path]) -> None:
    """Every goal dropped (a goal followed up in another file cannot be dropped alone)."""
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for doc in data["documents"]:
            doc.pop("goals", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


ACTIONS = st.lists(st.sampled_from(["edit", "remove", "add", "chain", "unchain"]), min_size=2, max_size=3)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS, seed=st.integers(0, 10**6))
def test_shares_from_the_cache_give_the_whole_closure(actions: list[str], seed: int, tmp_path_factory) -> None:
    tmp = tmp_path_factory.mktemp("shares")
    rng = random.Random(seed)
    study, aside, cache = tmp / "study", tmp / "aside", tmp / "cache"
    synthesize(3, seed % 97, study, _REFERENCE)
    aside.mkdir()
    _chained(study, rng, "start")
    paths = Paths(root=ROOT, data=study)
    build_graph(paths, cache_folder=cache)  # fills the cache
    for step, action in enumerate(actions):
        files = sorted(p for p in study.glob("*.yaml") if p.name != "study.yaml")
        if action == "edit":
            _edit(rng.choice(files), rng)
        elif action == "remove" and len(files) > 1:
            victim = rng.choice(files)
            if "goals:" in victim.read_text(encoding="utf-8"):
                _unchain(files)  # a goal another file follows up cannot go alone (bad input)
            shutil.move(victim, aside / victim.name)
        elif action == "add" and any(aside.iterdir()):
            back = rng.choice(sorted(aside.iterdir()))
            shutil.move(back, study / back.name)
        elif action == "chain":
            _chained(study, rng, f"step{step}")
        elif action == "unchain":
            _unchain(files)
        incremental = build_graph(paths, cache_folder=cache)
        whole = build_graph(paths, by_files=False)
        assert _quads(incremental) == _quads(whole), (actions, step)
    assert any((cache / "shares").iterdir())


def test_files_that_share_a_goal_are_joined(tmp_path: Path) -> None:
    """A goal of one file followed up by a goal of another: the shares meet at that goal (a
    contact node), and the transitive followsUp across the two files is in the build."""
    study = tmp_path / "study"
    synthesize(3, 5, study, _REFERENCE)
    files = sorted(p for p in study.glob("*.yaml") if p.name != "study.yaml")
    target = _guidance_id(files)
    _add_goal(files[0], _goal(f"{files[0].stem}-a/goal", target))
    _add_goal(files[1], _goal(f"{files[1].stem}-b/goal", f"{files[0].stem}-a/goal"))
    paths = Paths(root=ROOT, data=study)
    by_files = build_graph(paths, cache_folder=tmp_path / "cache")
    assert _quads(by_files) == _quads(build_graph(paths, by_files=False))
    follows = ox.NamedNode("https://w3id.org/plangraf/ontology#followsUp")
    goal_b = f"https://w3id.org/plangraf/id/municipal-goal/{files[1].stem}-b/goal"
    _, inferred = _quads(by_files)
    assert any(q.subject.value == goal_b and q.predicate == follows and target in q.object.value for q in inferred)


def test_contacts_are_nodes_two_files_meet_at() -> None:
    joined = {10}
    a = {(1, 10, 2), (2, 11, 3)}  # 2 is an object of a joined triple of a
    b = {(2, 10, 4), (5, 10, 6)}  # and the subject of one of b
    c = {(6, 11, 7)}  # not joined
    assert _contacts([("a", a), ("b", b), ("c", c)], joined) == {2}
    assert _contacts([("a", a), ("c", c)], joined) == set()
    assert _contacts([("a", {(1, 10, 2), (2, 10, 3)})], joined) == set()  # within one file
