"""Placeholders left in a study's files, and respondents without a file.

``plangraf init`` and ``new-municipality`` write values to replace as ``TODO: …`` (a coder's
name, a passage, a source). Such a value still loads (so a new study validates at once), but
``validate`` warns of each with its file and line, and ``publish`` refuses while any remain.
Values earlier versions of ``init`` wrote ("Your Name", "Replace this with the passage …",
``source: example``) count too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_, dotted, line_of, load_yaml

MARKER = "TODO:"
_LEGACY = ("Your Name", "Replace this with the passage")


@dataclass(frozen=True)
class Placeholder:
    file: str
    line: int | None
    field: str
    value: str

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def message(self) -> str:
        return f"placeholder '{_clip(self.value)}' to replace before publishing"


def is_placeholder(value: str, field: str = "") -> bool:
    text = value.strip()
    if text.startswith(MARKER) or any(text.startswith(legacy) for legacy in _LEGACY):
        return True
    return field.split(".")[-1].split("[")[0] == "source" and text == "example"


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _strings(data: Any, here: Path_ = ()) -> list[tuple[Path_, str]]:
    if isinstance(data, str):
        return [(here, data)]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _strings(value, here + (str(key),))]
    if isinstance(data, list):
        return [found for index, value in enumerate(data) for found in _strings(value, here + (index,))]
    return []


def find_placeholders(study: Path) -> list[Placeholder]:
    """Every placeholder value in the study's YAML files, in file and line order."""
    found = []
    for path in sorted(Path(study).glob("*.yaml")):
        data, lines = load_yaml(path)
        for here, value in _strings(data):
            if is_placeholder(value, dotted(here)):
                found.append(Placeholder(str(path), line_of(lines, here), dotted(here), value))
    return found


def respondents_without_file(study: Path) -> list[Placeholder]:
    """Entries of ``responses`` in study.yaml whose municipality has no file in the study."""
    path = Path(study) / "study.yaml"
    if not path.is_file():
        return []
    data, lines = load_yaml(path)
    missing = []
    for index, response in enumerate((data or {}).get("responses") or [] if isinstance(data, dict) else []):
        slug = response.get("municipality") if isinstance(response, dict) else None
        if isinstance(slug, str) and not (Path(study) / f"{slug}.yaml").is_file():
            here: Path_ = ("responses", index, "municipality")
            missing.append(Placeholder(str(path), line_of(lines, here), dotted(here), slug))
    return missing


def refuse_placeholders(study: Path) -> None:
    """Raise naming every placeholder (file:line field) when any remain."""
    found = find_placeholders(study)
    if found:
        listed = "; ".join(f"{p.where()} {p.field}" for p in found)
        raise PlangrafError(f"{len(found)} placeholder(s) to replace first, nothing published: {listed}")
