"""The edit build's shortcuts on ids give what the long way gives: a previous build whose term
table is this build's is compared without mapping its ids (:func:`plangraf.graph.delta.delta_of`),
the same inputs give the same term table in every process (whatever its string hashes), and the
inferred rows sorted by subject first are ``sorted()``'s order."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from array import array
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from plangraf.graph.build import sorted_rows
from plangraf.graph.delta import delta_of
from plangraf.graph.folder import current_folder
from plangraf.graph.saved import SAVED, Encoded, Saved, _decode

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = ("https://example.org/g/asserted", "https://example.org/g/inferred")


def _rows(rng: random.Random, size: int, terms: int) -> list[tuple[int, int, int]]:
    return sorted({(rng.randrange(terms), rng.randrange(terms), rng.randrange(terms)) for _ in range(size)})


def _saved(terms: list[str], graphs: list[list[tuple[int, int, int]]]) -> Saved:
    flats = [(name, array("i", chain.from_iterable(rows))) for name, rows in zip(GRAPHS, graphs, strict=True)]
    return Saved(terms, flats, True, {})


def test_a_previous_build_with_this_builds_term_table_gives_the_mapped_delta() -> None:
    rng = random.Random(21)
    for _ in range(30):
        size = rng.randrange(5, 40)
        terms: list[ox.NamedNode] = [ox.NamedNode(f"https://example.org/t/{i}") for i in range(size)]
        texts = [str(t) for t in terms]
        new = [_rows(rng, rng.randrange(0, 80), size) for _ in GRAPHS]
        old = [rng.sample(rows, len(rows) // 2) + _rows(rng, rng.randrange(0, 20), size) for rows in new]
        old = [sorted(set(rows)) for rows in old]
        encoded = Encoded(terms, list(zip(GRAPHS, new, strict=True)), ordered=True)  # type: ignore[arg-type]
        flats = [encoded.flat(i) for i in range(len(GRAPHS))]
        same = delta_of(_saved(texts, old), encoded, texts, flats)
        # the same previous rows under a shuffled table: every id is mapped (the long way)
        order = list(range(size))
        rng.shuffle(order)
        position = {term: i for i, term in enumerate(order)}
        shuffled = [[(position[s], position[p], position[o]) for s, p, o in rows] for rows in old]
        mapped = delta_of(_saved([texts[i] for i in order], shuffled), encoded, texts, flats)
        assert same is not None and mapped is not None
        assert same.texts == texts
        for a, b in zip(same.graphs, mapped.graphs, strict=True):
            assert (a.removed, a.added, a.changed) == (b.removed, b.added, b.changed)
            assert a.removed == {t for t in old[GRAPHS.index(a.name)]} - set(new[GRAPHS.index(a.name)])
            assert a.added == set(new[GRAPHS.index(a.name)]) - set(old[GRAPHS.index(a.name)])
        assert same.size == mapped.size


def test_sorted_rows_is_sorted() -> None:
    rng = random.Random(7)
    for _ in range(50):
        rows = set(_rows(rng, rng.randrange(0, 300), rng.randrange(1, 30)))
        assert sorted_rows(rows) == sorted(rows)


def _terms_of_a_build(tmp_path: Path, seed: str) -> list[str]:
    """The saved term table of a cold build of the same synthetic study, in a process whose
    string hashes are ``seed``'s."""
    build = tmp_path / f"build-{seed}"
    script = (
        "import sys; from pathlib import Path; from plangraf.core.paths import Paths; "
        "from plangraf.graph.current import Build; "
        "Build(Paths(root=Path(sys.argv[1]), data=Path(sys.argv[2]), out=Path(sys.argv[3]))).build()"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path / "study"), str(build)], env=env, check=True)
    saved = _decode((current_folder(build) / SAVED).read_bytes())
    assert saved is not None
    return saved.terms


def test_the_same_inputs_give_the_same_term_table_in_every_process(tmp_path: Path) -> None:
    from plangraf.core.paths import Paths
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.study.synth import synthesize

    paths = Paths(root=ROOT)
    synthesize(2, 3, tmp_path / "study", load_reference(paths, load_ontology(paths)))
    first = _terms_of_a_build(tmp_path, "1")
    assert first == _terms_of_a_build(tmp_path, "2")
    assert first == _terms_of_a_build(tmp_path, "3")


def test_the_quick_test_for_unsupported_constructs_is_the_reasoners() -> None:
    from plangraf.graph.encoded import _any_unsupported, vocabulary_ids
    from plangraf.graph.reasoner import unsupported
    from plangraf.rdf.termids import TermIds

    ids = TermIds()
    vocab = vocabulary_ids(ids)
    constructs = [*vocab.unsupported_predicates, *vocab.unsupported_types, vocab.type, vocab.same_as]
    rng = random.Random(3)
    for _ in range(300):
        plain = len(ids.terms) + 10  # ids of no construct
        terms = [rng.choice(constructs) if rng.random() < 0.05 else plain + rng.randrange(20) for _ in range(60)]
        facts = {tuple(rng.choice(terms) for _ in range(3)) for _ in range(rng.randrange(0, 20))}
        same = rng.randrange(plain, plain + 20)
        if rng.random() < 0.2:
            facts.add((same, vocab.same_as, same))  # a sameAs self-link is not a construct
        assert _any_unsupported(facts, vocab) == bool(unsupported(facts, vocab))  # type: ignore[arg-type]


def test_the_delta_by_subject_is_the_delta_of_all_rows() -> None:
    """The rows both builds start and end with set aside (``_by_subject``), the removed and added
    rows are the set differences of all rows, and the changed subjects those whose whole runs
    differ."""
    from plangraf.graph.delta import _by_rows, _by_subject

    rng = random.Random(11)
    for _ in range(300):
        terms = rng.randrange(2, 12)
        old = _rows(rng, rng.randrange(0, 60), terms)
        new = list(old)
        for _edit in range(rng.randrange(0, 4)):  # a few rows removed or added anywhere
            if new and rng.random() < 0.5:
                del new[rng.randrange(len(new))]
            else:
                new.append((rng.randrange(terms), rng.randrange(terms), rng.randrange(terms)))
        new = sorted(set(new))
        flat_old, flat_new = (array("i", chain.from_iterable(rows)) for rows in (old, new))
        found, every = _by_subject("g", flat_old, flat_new), _by_rows("g", flat_old, flat_new)
        assert (found.removed, found.added) == (every.removed, every.added)

        def runs(rows: list[tuple[int, int, int]]) -> dict[int, list[tuple[int, int, int]]]:
            out: dict[int, list[tuple[int, int, int]]] = {}
            for row in rows:
                out.setdefault(row[0], []).append(row)
            return out

        before, after = runs(old), runs(new)
        assert found.changed == {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
        assert found.old_subjects == list(before)
