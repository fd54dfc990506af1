"""The identity of a build: content hashes of every file the graph is made from, the readings and
plangraf's version. Times are never trusted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plangraf.core.paths import Paths


MANIFEST_FORMAT = 4  # 3: the build has a persistent store (store/); 4: and the SHA-256 of its TriG file


_CHUNK = 1 << 20


def plangraf_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plangraf")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return "unknown"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _hash_files(files: list[tuple[str, Path]]) -> dict[str, str]:
    return {label: file_digest(path) for label, path in files if path.is_file()}


@dataclass
class Identity:
    """What a build is made from: content hashes of the graph's inputs, the readings and the
    plangraf version (``key`` is one hash of all three). ``checks`` holds the hashes of the
    shapes and queries, which do not change the graph and so do not make a build stale."""

    version: str
    readings: tuple[str, ...]
    inputs: dict[str, str]
    checks: dict[str, str] = field(default_factory=dict)
    include_suggested: bool = False

    @classmethod
    def of(cls, paths: Paths, readings: frozenset[str] = frozenset(), *, include_suggested: bool = False) -> Identity:
        return cls(
            version=plangraf_version(),
            readings=tuple(sorted(readings)),
            inputs=_hash_files(graph_inputs(paths)),
            checks=_hash_files(check_inputs(paths)),
            include_suggested=include_suggested,
        )

    @property
    def key(self) -> str:
        text = json.dumps([self.version, list(self.readings), self.inputs, self.include_suggested], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "plangraf": self.version,
            "readings": list(self.readings),
            "include_suggested": self.include_suggested,
            "inputs": self.inputs,
            "checks": self.checks,
        }

    def changes_since(self, manifest: dict[str, Any]) -> list[str]:
        """What differs between the build recorded in ``manifest`` and these inputs."""
        if manifest.get("format") != MANIFEST_FORMAT:
            return [f"the manifest has format {manifest.get('format')!r}, not {MANIFEST_FORMAT}"]
        if manifest.get("plangraf") != self.version:
            return [f"built by plangraf {manifest.get('plangraf')}, this is {self.version}"]
        if manifest.get("key") == self.key:
            return []
        reasons: list[str] = []
        if list(manifest.get("readings", [])) != list(self.readings):
            reasons.append(f"readings {manifest.get('readings')} -> {list(self.readings)}")
        if bool(manifest.get("include_suggested", False)) != self.include_suggested:
            reasons.append(f"suggested links {'included' if self.include_suggested else 'left out'} now")
        before = manifest.get("inputs") or {}
        reasons += [f"{label} added" for label in sorted(set(self.inputs) - set(before))]
        reasons += [f"{label} removed" for label in sorted(set(before) - set(self.inputs))]
        reasons += [
            f"{label} changed"
            for label in sorted(self.inputs)
            if before.get(label, self.inputs[label]) != self.inputs[label]
        ]
        return reasons or ["the manifest's key does not match its inputs"]


def graph_inputs(paths: Paths) -> list[tuple[str, Path]]:
    """Every file the graph is made from, with a stable label: ``ontology/…`` (with the
    vocabulary extracts as ``ontology/imports/…``), ``reference/…``, ``study/…``."""
    from plangraf.core.paths import import_files, reference_files

    files: list[tuple[str, Path]] = [(f"ontology/{paths.ontology.name}", paths.ontology)]
    files += [(f"ontology/imports/{p.name}", p) for p in import_files(paths.imports)]
    if paths.reference.is_dir():
        files += [(f"reference/{p.name}", p) for p in reference_files(paths.reference)]
    if paths.study.is_dir():
        files += [
            (f"study/{p.name}", p)
            for p in sorted(paths.study.iterdir())
            if p.suffix in (".yaml", ".csv") or p.name == "reuse.ttl"
        ]
        texts = paths.study / "texts"  # ingested document texts (issue 14)
        if texts.is_dir():
            files += [(f"study/texts/{p.name}", p) for p in sorted(texts.iterdir()) if p.is_file()]
    return files


def check_inputs(paths: Paths) -> list[tuple[str, Path]]:
    shapes = sorted(paths.shapes.glob("*.ttl")) if paths.shapes.is_dir() else []
    queries = sorted(paths.queries.glob("*.rq")) if paths.queries.is_dir() else []
    return [(f"shapes/{p.name}", p) for p in shapes] + [(f"queries/{p.name}", p) for p in queries]


def summarise(reasons: list[str], limit: int = 4) -> str:
    shown = ", ".join(reasons[:limit])
    return shown + (f" and {len(reasons) - limit} more" if len(reasons) > limit else "")
