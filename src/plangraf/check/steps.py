"""The read steps of a shapes graph: what :mod:`plangraf.check.reach` compiles and
:mod:`plangraf.check.neighbourhood` follows (see :mod:`plangraf.check.reach` for their meaning)."""

from __future__ import annotations

from dataclasses import dataclass, field

ROOT = 0
Step = tuple[int, str | None, str, int]  # (from variable, predicate IRI or None for any, "f" | "b" | "e", to variable)
Gate = list[tuple[str, str]]  # ("class" | "subjects" | "objects" | "node", IRI): a target if any holds
FORMAT = 1  # of the compiled steps: part of the incremental validation's cache key


class Unbounded(Exception):
    """The shapes can read beyond any neighbourhood this module can bound."""


@dataclass
class Reach:
    """The read steps of a shapes graph (see the module's documentation)."""

    steps: list[Step] = field(default_factory=list)
    variables: int = 1
    gates: dict[str, Gate] = field(default_factory=dict)

    def new(self) -> int:
        self.variables += 1
        return self.variables - 1

    def step(self, source: int, predicate: str | None, direction: str, target: int) -> None:
        self.steps.append((source, predicate, direction, target))

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "variables": self.variables,
            "steps": [list(s) for s in self.steps],
            "gates": {name: [list(c) for c in gate] for name, gate in self.gates.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> Reach | None:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        try:
            steps = [(int(a), None if p is None else str(p), str(d), int(b)) for a, p, d, b in data["steps"]]
            gates = {str(n): [(str(k), str(v)) for k, v in gate] for n, gate in data["gates"].items()}
            return cls(steps=steps, variables=int(data["variables"]), gates=gates)
        except (KeyError, TypeError, ValueError):
            return None
