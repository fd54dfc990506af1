"""The identity of a build: content hashes of every file the graph is made from, the readings and
plangraf's version.

Times alone are never trusted. A file's hash is taken again from its recorded one only when
its whole ``stat`` is unchanged, as git's index does: size, modification and change time to
the nanosecond, inode and device. The change time (``ctime``) cannot be set back by a program
(``touch`` and ``os.utime`` set it to now, as any write does), and a stat is recorded only
when it was at least :data:`SETTLED_NS` old when the file was hashed, so an edit within the
same clock tick as the hashing cannot keep it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_mode
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plangraf.core.paths import Paths


MANIFEST_FORMAT = 4  # 3: the build has a persistent store (store/); 4: and the SHA-256 of its TriG file


_CHUNK = 1 << 20

# A stat younger than this when its file was hashed is not recorded: an edit in the same tick of
# the file system's clock (up to 2 s on some) could leave it unchanged.
SETTLED_NS = 3_000_000_000


def plangraf_version() -> str:
    """The installed plangraf's version, as ``importlib.metadata.version`` gives it."""
    found = _version_on_path()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plangraf")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return "unknown"


def _version_on_path() -> str | None:
    """The ``Version`` of the first plangraf metadata folder on ``sys.path``, found as
    importlib.metadata finds it (importing importlib.metadata costs 30-90 ms, most of a no-op
    build); ``None`` for anything but the plain case (a zip or egg, two candidates in one
    folder, an unusual header), which is left to importlib.metadata."""
    for entry in sys.path:
        folder = Path(entry or ".")
        try:
            children = os.listdir(folder)
        except OSError:
            if folder.is_file():  # a zip on the path: importlib.metadata looks inside it
                return None
            continue
        found = [c for c in children if c.lower().rpartition(".")[0].partition("-")[0] == "plangraf"]
        if not found:
            continue
        if len(found) > 1 or not found[0].lower().endswith((".dist-info", ".egg-info")):
            return None
        for name in ("METADATA", "PKG-INFO"):
            if (folder / found[0] / name).is_file():
                return _header(folder / found[0] / name, "version")
        return None
    return None


def _header(path: Path, name: str) -> str | None:
    """The value of the first header ``name`` (any case) of a metadata file; ``None`` if it is
    folded over lines or missing."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for index, line in enumerate(lines):
        if not line.strip():
            return None  # the headers end at the first empty line
        key, sep, value = line.partition(":")
        if sep and key.lower() == name:
            folded = index + 1 < len(lines) and lines[index + 1][:1] in (" ", "\t")
            return None if folded else value.strip()
    return None


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_of(path: Path) -> list[int] | None:
    """A regular file's (size, mtime_ns, ctime_ns, inode, device); ``None`` if it is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat_mode.S_ISREG(found.st_mode):
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev]


def _hash_files(
    files: list[tuple[str, Path]], known: Mapping[str, str], known_stats: Mapping[str, Any], stats: dict[str, list[int]]
) -> dict[str, str]:
    """label -> SHA-256 of every regular file. A file whose stat equals its recorded one keeps
    its recorded hash; every other file is read, and its stat recorded in ``stats`` when it did
    not change while it was read and was settled (see the module's note)."""
    hashes: dict[str, str] = {}
    for label, path in files:
        before = _stat_of(path)
        if before is None:
            continue
        if before == known_stats.get(label) and isinstance(known.get(label), str):
            hashes[label], stats[label] = known[label], before
            continue
        hashes[label] = file_digest(path)
        if _stat_of(path) == before and time.time_ns() - max(before[1], before[2]) >= SETTLED_NS:
            stats[label] = before
    return hashes


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
    # label -> stat of the file when hashed (size, mtime_ns, ctime_ns, inode, device)
    stats: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        paths: Paths,
        readings: frozenset[str] = frozenset(),
        *,
        include_suggested: bool = False,
        known: Mapping[str, Any] | None = None,
    ) -> Identity:
        """The identity of the inputs now. ``known`` is a build's manifest: a file whose stat is
        the one it records keeps the hash it records (a no-op build then reads no input)."""
        known = known if known is not None else {}
        known_stats = known.get("stats")
        known_stats = known_stats if isinstance(known_stats, Mapping) else {}
        stats: dict[str, list[int]] = {}
        return cls(
            version=plangraf_version(),
            readings=tuple(sorted(readings)),
            inputs=_hash_files(graph_inputs(paths), _mapping(known.get("inputs")), known_stats, stats),
            checks=_hash_files(check_inputs(paths), _mapping(known.get("checks")), known_stats, stats),
            include_suggested=include_suggested,
            stats=stats,
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
            "stats": self.stats,
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


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


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
