"""Every admissible reading of a study at once, and the claims no reading makes agree together.

A study's contested coding decisions live in its municipality files (``alternatives``). Each
decision keeps its default or takes one of its alternatives, so a file with decisions has a
set of *local readings* (the combinations of its own decisions), and a reading of the whole
study picks one local reading per file: the readings are the product of the files' local
readings, ``2^k`` of them for ``k`` yes/no decisions.

:class:`ReadingSpace` numbers those readings in mixed radix (file by file, default first) and
represents any set of them as a Python integer used as a bit set: bit ``i`` stands for reading
``i``. A claim's *agreement set* (the readings under which it agrees) is built from the local
readings of the files it depends on (:meth:`ReadingSpace.local_mask`), so the whole space is
never enumerated one reading at a time; a set of claims can all agree exactly when the
intersection (bitwise and) of their agreement sets is not empty.

:func:`minimal_inconsistent_sets` finds every minimal set of claims whose agreement sets do
not intersect, exactly, over every reading; a witness for each proper subset is the first
reading under which that subset does agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product

Reading = frozenset[str]


@dataclass(frozen=True)
class ReadingSpace:
    """The readings of a study: one local reading per file that has decisions.

    ``local[f]`` lists file ``f``'s local readings, the default (empty) reading first."""

    files: tuple[str, ...]
    local: Mapping[str, tuple[Reading, ...]]
    _strides: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        strides, stride = [], 1
        for name in self.files:
            if not self.local[name] or self.local[name][0]:
                raise ValueError(f"the local readings of {name} must start with the default reading")
            strides.append(stride)
            stride *= len(self.local[name])
        object.__setattr__(self, "_strides", tuple(strides))

    @classmethod
    def of(cls, decisions_by_file: Mapping[str, Sequence[Sequence[str]]]) -> ReadingSpace:
        """From each file's decisions, each given as the ids of its mutually exclusive
        alternatives; files without decisions are left out."""
        local: dict[str, tuple[Reading, ...]] = {}
        for name, decisions in sorted(decisions_by_file.items()):
            if decisions:
                options = [[None, *alts] for alts in decisions]
                local[name] = tuple(frozenset(a for a in combo if a) for combo in product(*options))
        return cls(tuple(local), local)

    @property
    def size(self) -> int:
        """How many readings there are (the product of the files' local reading counts)."""
        total = 1
        for name in self.files:
            total *= len(self.local[name])
        return total

    @property
    def everything(self) -> int:
        """The set of every reading."""
        return (1 << self.size) - 1

    def reading(self, index: int) -> Reading:
        """Reading number ``index``: the union of its files' local readings."""
        chosen: set[str] = set()
        for name, stride in zip(self.files, self._strides, strict=True):
            chosen |= self.local[name][(index // stride) % len(self.local[name])]
        return frozenset(chosen)

    def local_mask(self, choice: Mapping[str, int]) -> int:
        """The readings whose local reading of each file named in ``choice`` is the one at
        the given position (files not named are free)."""
        mask = self.everything
        for name, position in choice.items():
            mask &= self._digit_mask(self.files.index(name), position)
        return mask

    def _digit_mask(self, digit: int, position: int) -> int:
        stride, radix = self._strides[digit], len(self.local[self.files[digit]])
        period = stride * radix
        block = ((1 << stride) - 1) << (position * stride)
        repeat = self.everything // ((1 << period) - 1)  # a 1 at every multiple of the period
        return block * repeat

    def local_choices(self, names: Sequence[str]) -> Iterator[dict[str, int]]:
        """Every combination of local readings of the named files, as positions."""
        for combo in product(*(range(len(self.local[name])) for name in names)):
            yield dict(zip(names, combo, strict=True))

    def combined(self, choice: Mapping[str, int]) -> Reading:
        """The reading made of the chosen local readings (other files as written)."""
        return frozenset(a for name, position in choice.items() for a in self.local[name][position])


def first_reading(mask: int) -> int:
    """The lowest-numbered reading of a non-empty set."""
    return (mask & -mask).bit_length() - 1


@dataclass(frozen=True)
class Witnessed:
    """A minimal inconsistent set of claims, and for each non-empty proper subset the first
    reading (by number) under which that subset agrees."""

    claims: tuple[str, ...]
    witnesses: tuple[tuple[tuple[str, ...], int], ...]


def minimal_inconsistent_sets(
    agreement: Mapping[str, int], depends_on: Mapping[str, Iterable[str]], everything: int
) -> list[Witnessed]:
    """Every minimal set of claims whose agreement sets (bit sets over the readings) do not
    intersect, exactly.

    A claim that agrees under every reading is in no minimal set (leaving it out changes
    nothing). Claims that depend on disjoint files are independent (their readings combine
    freely), so a minimal set is connected through shared files: the search grows connected
    sets one neighbour at a time, keeps growing only those that can still agree, and reports
    a set when it cannot agree although each of its subsets one smaller can."""
    files = {c: frozenset(depends_on.get(c, ())) for c in agreement}
    found: list[frozenset[str]] = [frozenset([c]) for c, m in agreement.items() if m == 0]
    open_ids = sorted(c for c, m in agreement.items() if m not in (0, everything))
    level = {frozenset([c]) for c in open_ids}
    while level:
        grown: set[frozenset[str]] = set()
        for group in level:
            reach = frozenset().union(*(files[c] for c in group))
            for other in open_ids:
                if other in group or not (files[other] & reach):
                    continue
                candidate = group | {other}
                if candidate in grown or any(s <= candidate for s in found):
                    continue
                if _together(agreement, candidate):
                    grown.add(candidate)
                elif all(_together(agreement, candidate - {c}) for c in candidate):
                    found.append(candidate)
        level = grown
    return [_witnessed(agreement, group) for group in sorted(found, key=lambda s: (len(s), sorted(s)))]


def _together(agreement: Mapping[str, int], claims: Iterable[str]) -> int:
    mask = -1
    for claim in claims:
        mask &= agreement[claim]
    return mask


def _witnessed(agreement: Mapping[str, int], group: frozenset[str]) -> Witnessed:
    ordered = sorted(group)
    witnesses = []
    for size in range(1, len(ordered)):
        for subset in combinations(ordered, size):
            witnesses.append((subset, first_reading(_together(agreement, subset))))
    return Witnessed(tuple(ordered), tuple(witnesses))
