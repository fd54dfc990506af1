"""Claims under every reading (issue 21 step 6, issue 22 step 5): the factored evaluation and
the minimal-inconsistent-set search checked against brute force.

- :class:`ReadingSpace` numbers readings and builds bit sets; checked reading by reading.
- :func:`minimal_inconsistent_sets` against enumerating every subset of claims, on random
  agreement tables (hypothesis).
- :func:`factor_claim` against building every reading of a fixture study in full, with
  alternatives in two municipality files, for claims that count municipalities by their own
  documents and for one whose answer for a municipality depends on the others (a count
  across municipalities), which the factoring must detect and evaluate jointly.
"""

from __future__ import annotations

import shutil
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangraf.answers.claim_factors import agreement_set, factor_claim
from plangraf.answers.claims import Space, count_claim
from plangraf.answers.reading_space import ReadingSpace, minimal_inconsistent_sets
from plangraf.core.paths import Paths
from plangraf.graph.overlay import ReadingBuilds
from plangraf.study.loader import list_alternatives

FIXTURE = Path(__file__).parent / "fixtures" / "provenance-study"
PREFIXES = "PREFIX pg: <https://w3id.org/plangraf/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
LEVEL = "<https://w3id.org/plangraf/id/plan-level/{}>"
LABEL = "?m skos:prefLabel ?municipality"
SEED = 1  # a seed whose random claims include an inconsistent set of two or more


def test_readings_are_numbered_file_by_file_and_masks_select_them():
    space = ReadingSpace.of({"a.yaml": [["a1"], ["a2", "a3"]], "b.yaml": [["b1"]], "c.yaml": []})
    assert space.files == ("a.yaml", "b.yaml") and space.size == 12
    readings = [space.reading(i) for i in range(space.size)]
    assert len(set(readings)) == 12 and readings[0] == frozenset()
    for choice in space.local_choices(["a.yaml", "b.yaml"]):
        mask = space.local_mask(choice)
        wanted = space.combined(choice)
        assert [i for i in range(space.size) if mask >> i & 1] == [readings.index(wanted)]
    only_b = space.local_mask({"b.yaml": 1})
    assert {i for i in range(space.size) if only_b >> i & 1} == {i for i, r in enumerate(readings) if "b1" in r}


@st.composite
def agreement_tables(draw):
    """A random reading space and random claims, each agreeing under a random subset of the
    combinations of the files it depends on."""
    files = {f"f{i}": [[f"f{i}a{j}"] for j in range(draw(st.integers(1, 2)))] for i in range(draw(st.integers(1, 4)))}
    space = ReadingSpace.of(files)
    agreement, depends = {}, {}
    for n in range(draw(st.integers(1, 7))):
        names = draw(st.lists(st.sampled_from(space.files), unique=True, max_size=2))
        mask = 0 if names else (space.everything if draw(st.booleans()) else 0)
        for choice in space.local_choices(names):
            if draw(st.booleans()):
                mask |= space.local_mask(choice)
        agreement[f"c{n}"], depends[f"c{n}"] = mask, names
    return space, agreement, depends


@settings(max_examples=300, deadline=None)
@given(agreement_tables())
def test_minimal_inconsistent_sets_equal_brute_force(table):
    space, agreement, depends = table

    def together(group):
        mask = space.everything
        for claim in group:
            mask &= agreement[claim]
        return mask

    ids = sorted(agreement)
    inconsistent = [set(g) for n in range(1, len(ids) + 1) for g in combinations(ids, n) if not together(g)]
    minimal = sorted(tuple(sorted(g)) for g in inconsistent if not any(h < g for h in inconsistent))
    found = minimal_inconsistent_sets(agreement, depends, space.everything)
    assert sorted(f.claims for f in found) == minimal
    for group in found:
        assert len(group.witnesses) == 2 ** len(group.claims) - 2
        for subset, index in group.witnesses:
            assert all(agreement[c] >> index & 1 for c in subset)


def _claim(claim_id: str, where: str) -> dict:
    sparql = PREFIXES + f"SELECT DISTINCT ?municipality WHERE {{ {where} }}"
    return {"id": claim_id, "section": "4.4", "quote": claim_id, "stated": 1, "sparql": sparql}


CLAIMS = [
    # local: what each municipality's own documents say
    _claim("strategy", f"?d pg:owner ?m ; pg:planLevel {LEVEL.format('sector-strategy')} . {LABEL}"),
    _claim("programme", f"?d pg:owner ?m ; pg:planLevel {LEVEL.format('programme')} . {LABEL}"),
    # across municipalities: everyone counts when two or more have a sector strategy
    _claim(
        "two-strategies",
        "?m skos:prefLabel ?municipality . ?s pg:coversMunicipality ?m . "
        "{ SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?x pg:owner ?o ; pg:planLevel "
        + LEVEL.format("sector-strategy")
        + " } } FILTER(?n >= 2)",
    ),
]


@pytest.fixture(scope="module")
def two_file_study(root, tmp_path_factory):
    """The provenance fixture with an alternative in Tønsberg's file too: its draft strategy
    read as a programme, so readings of two files can move one claim."""
    data = tmp_path_factory.mktemp("two-files") / "study"
    shutil.copytree(FIXTURE, data)
    tonsberg = data / "tonsberg.yaml"
    text = tonsberg.read_text(encoding="utf-8")
    anchor = '    source: "4.3.10"\n'
    alternative = (
        anchor + "    alternatives:\n      - id: utkast-as-programme\n        field: plan_level\n"
        '        value: programme\n        reason: A test alternative.\n        source: "4.3.10"\n'
    )
    tonsberg.write_text(text.replace(anchor, alternative, 1), encoding="utf-8")
    return Paths(root=root, data=data, out=tmp_path_factory.mktemp("two-files-build"))


def test_factored_answers_equal_building_every_reading(two_file_study):
    paths = two_file_study
    space = Space.of(list_alternatives(paths.study)).readings
    assert len(space.files) == 2 and space.size == 8
    builds = ReadingBuilds(paths)
    stores = {i: (None, builds.store(space.reading(i))) for i in range(space.size)}
    queries, claims_file = paths.queries, paths.study / "claims.yaml"
    for claim in CLAIMS:
        brute = {space.reading(i): count_claim(stores[i], claim, queries, claims_file) for i in range(space.size)}
        factored = factor_claim(brute.__getitem__, space)
        for reading, answer in brute.items():
            assert factored.counted(reading) == answer, (claim["id"], sorted(reading))
        expected = sum(1 << i for i in range(space.size) if len(brute[space.reading(i)]) == 1)
        assert agreement_set(factored, space, lambda n: n == 1) == expected
    across = factor_claim(lambda r: count_claim(stores[_index(space, r)], CLAIMS[2], queries, claims_file), space)
    assert [f.files for f in across.factors] == [tuple(space.files)]  # evaluated jointly, not file by file


def _index(space: ReadingSpace, reading: frozenset[str]) -> int:
    return next(i for i in range(space.size) if space.reading(i) == reading)


def test_sixteen_decisions_are_searched_exactly():
    """k = 16 yes/no decisions (two in each of eight files: 65,536 readings): the search over
    bit sets of every reading equals brute force over the claims' subsets."""
    import random

    space = ReadingSpace.of({f"f{i}": [[f"f{i}a"], [f"f{i}b"]] for i in range(8)})
    assert space.size == 2**16
    chooser = random.Random(SEED)
    agreement, depends = {}, {}
    for n in range(8):
        names = chooser.sample(space.files, chooser.randint(1, 2))
        mask = 0
        for choice in space.local_choices(names):
            if chooser.random() < 0.4:
                mask |= space.local_mask(choice)
        agreement[f"c{n}"], depends[f"c{n}"] = mask, names
    ids = sorted(agreement)

    def together(group):
        mask = space.everything
        for claim in group:
            mask &= agreement[claim]
        return mask

    inconsistent = [set(g) for n in range(1, len(ids) + 1) for g in combinations(ids, n) if not together(g)]
    minimal = sorted(tuple(sorted(g)) for g in inconsistent if not any(h < g for h in inconsistent))
    assert sorted(f.claims for f in minimal_inconsistent_sets(agreement, depends, space.everything)) == minimal
    assert any(len(group) > 1 for group in minimal)  # the case is not trivial
