"""A claim's answer under every reading, from a few builds: the files it depends on, factored.

A claim counts municipalities. Which municipalities it counts under a reading of the whole
study is found from the readings that change one file at a time (each file's local
readings, :class:`plangraf.answers.reading_space.ReadingSpace`):

1. For each file, the municipalities whose membership some local reading of that file
   changes (its *scope* for this claim).
2. Files whose scopes overlap are merged into one factor and evaluated jointly, under every
   combination of their local readings; a joint reading that changes a municipality outside
   the scope widens it, and merging repeats until no two factors' scopes overlap.
3. Under any reading, a municipality outside every scope is counted as under the default
   reading, and one inside a factor's scope as under that factor's local readings.

Step 3 is exact when a municipality's membership depends only on the files of its factor:
true of a claim that counts municipalities by what their own documents say, and checked for
every claim in step 1–2 (a file whose readings move another municipality is merged with
that municipality's factor). ``tests/test_claims_exhaustive.py`` compares the result with
building every reading in full, on fixtures with local and with cross-municipality claims.
A factor with more joint readings than ``limit`` is refused with an error on the claim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from plangraf.answers.reading_space import Reading, ReadingSpace
from plangraf.core.errors import PlangrafError

Count = Callable[[Reading], list[str]]  # the municipalities a claim counts under a reading


@dataclass(frozen=True)
class Factor:
    """Files evaluated together, the municipalities they can move, and who of those is
    counted under each combination of the files' local readings (keyed by that reading)."""

    files: tuple[str, ...]
    scope: frozenset[str]
    members: Mapping[Reading, frozenset[str]]


@dataclass(frozen=True)
class Factored:
    """A claim's answer under every reading: the default answer and its factors."""

    default: frozenset[str]
    factors: tuple[Factor, ...]

    @property
    def files(self) -> list[str]:
        return sorted({name for factor in self.factors for name in factor.files})

    def counted(self, reading: Reading) -> list[str]:
        """The municipalities counted under ``reading`` (a reading of the whole study)."""
        found = set(self.default)
        for factor in self.factors:
            own = frozenset(a for key in factor.members for a in key)
            found -= factor.scope
            found |= factor.members[reading & own] & factor.scope
        return sorted(found)


def factor_claim(count: Count, space: ReadingSpace, *, limit: int = 512) -> Factored:
    """Factor one claim over the reading space (raises PlangrafError past ``limit``)."""
    default = frozenset(count(frozenset()))
    groups: list[tuple[frozenset[str], frozenset[str]]] = []
    for name in space.files:
        moved = frozenset().union(*(default ^ frozenset(count(r)) for r in space.local[name][1:]))
        if moved:
            groups.append((frozenset([name]), moved))
    while True:
        groups = _merged(groups)
        factors, widened = [], False
        for files, scope in groups:
            factor = _evaluate(count, space, sorted(files, key=space.files.index), scope, default, limit)
            widened |= factor.scope != scope
            factors.append(factor)
        if not widened:
            return Factored(default, tuple(factors))
        groups = [(frozenset(f.files), f.scope) for f in factors]


def _merged(groups: list[tuple[frozenset[str], frozenset[str]]]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Groups whose scopes overlap, merged until none do."""
    merged: list[tuple[frozenset[str], frozenset[str]]] = []
    for files, scope in groups:
        for other in [g for g in merged if g[1] & scope]:
            merged.remove(other)
            files, scope = files | other[0], scope | other[1]
        merged.append((files, scope))
    return merged if len(merged) == len(groups) else _merged(merged)


def _evaluate(
    count: Count, space: ReadingSpace, files: list[str], scope: frozenset[str], default: frozenset[str], limit: int
) -> Factor:
    joint = 1
    for name in files:
        joint *= len(space.local[name])
    if joint > limit:
        raise PlangrafError(
            f"the claim depends jointly on {len(files)} files ({', '.join(files)}): {joint} readings, "
            f"more than the {limit} evaluated exhaustively"
        )
    members: dict[Reading, frozenset[str]] = {}
    for choice in space.local_choices(files):
        reading = space.combined(choice)
        members[reading] = frozenset(count(reading))
        scope |= members[reading] ^ default
    return Factor(tuple(files), scope, members)


def agreement_set(factored: Factored, space: ReadingSpace, agrees: Callable[[int], bool]) -> int:
    """The readings (a bit set, see :class:`ReadingSpace`) under which the claim agrees."""
    files = factored.files
    if not files:
        return space.everything if agrees(len(factored.default)) else 0
    mask = 0
    for choice in space.local_choices(files):
        if agrees(len(factored.counted(space.combined(choice)))):
            mask |= space.local_mask(choice)
    return mask


def relevant_decisions(factored: Factored, decisions: Mapping[str, Sequence[str]]) -> list[str]:
    """The decisions (keys of ``decisions``: 'entity.field' -> alternative ids) that change the
    claim's answer: two readings that differ in that decision alone give different answers."""
    relevant = []
    for key, alternatives in decisions.items():
        options = frozenset(alternatives)
        for factor in factored.factors:
            if any(_differs(factor, reading, options) for reading in factor.members if not reading & options):
                relevant.append(key)
                break
    return relevant


def _differs(factor: Factor, reading: Reading, options: frozenset[str]) -> bool:
    here = factor.members[reading] & factor.scope
    return any(
        factor.members[reading | {alt}] & factor.scope != here for alt in options if reading | {alt} in factor.members
    )
