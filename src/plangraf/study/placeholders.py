"""Placeholders left in a study's files, and respondents without a file.

``plangraf init`` and ``new-municipality`` write values to replace as ``TODO: …`` (a coder's
name, a passage, a source). Such a value still loads (so a new study validates at once), but
``validate`` warns of each with its file and line, and ``publish`` refuses while any remain.
Values earlier versions of ``init`` wrote ("Your Name", "Replace this with the passage …",
``source: example``) count too.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import check_size
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


Found = list[tuple[int | None, str, str]]  # (line, field, value) of each placeholder in one file


def find_placeholders(study: Path, known: MutableMapping[str, Found] | None = None) -> list[Placeholder]:
    """Every placeholder value in the study's YAML files, in file and line order.

    ``known``: the placeholders of files already read, by the SHA-256 of their bytes (what a
    file holds depends on its bytes alone); a file whose bytes are there is not parsed again,
    and the others are added."""
    found: list[Placeholder] = []
    for path in sorted(Path(study).glob("*.yaml")):
        here_found = known.get(_digest(path)) if known is not None else None
        if here_found is None:
            digests: dict[str, str] = {}
            here_found = _placeholders_in(path, digests, skim=known is not None)
            if known is not None:
                known[digests.get(str(path)) or _digest(path)] = here_found
        found.extend(Placeholder(str(path), line, field, value) for line, field, value in here_found)
    return found


def _placeholders_in(path: Path, digests: dict[str, str], *, skim: bool) -> Found:
    """The placeholders of one file. With ``skim`` (validate's notes, on files the build has
    just loaded), a file whose text holds none of the words a placeholder starts with, and no
    escape, is not parsed: a YAML value's words are the file's text but for escapes (a plain
    or folded scalar keeps its words whole; an alias repeats a value of the same file).
    Without it (publish, before any build), every file is parsed, so a broken one is named."""
    if skim and not _may_hold_placeholders(path):
        return []
    data, lines = load_yaml(path, digests)
    return [
        (line_of(lines, here), dotted(here), value)
        for here, value in _strings(data)
        if is_placeholder(value, dotted(here))
    ]


_WORDS = (MARKER.rstrip(":"), *(legacy.split()[0] for legacy in _LEGACY), "example", "\\")


def _may_hold_placeholders(path: Path) -> bool:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # read by the loader, which says what is wrong
    return any(word in text for word in _WORDS)


def _digest(path: Path) -> str:
    try:
        check_size(path)
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, PlangrafError):
        return ""  # read by the loader, which says what is wrong


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
