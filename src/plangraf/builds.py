"""The build for a set of inputs: its identity, its freshness and its atomic replacement.

A build folder holds what :func:`plangraf.build.build_graph` made from some inputs. Which
inputs is recorded in ``manifest.json`` as a content hash (SHA-256) of every file that goes into
the graph (the ontology, each vocabulary extract in ``ontology/imports``, each reference file,
each study file), the contested readings and plangraf's version: the *identity* of the build.
:class:`Build` is the one place that decides whether a build folder answers for the current
inputs; every command that reads a build goes through it, and it rebuilds (or, asked not to,
stops with a line naming what changed) when the identity differs. Times are never trusted.

A build is written whole into a staging folder under ``.builds/`` and swapped in with one
atomic rename of the ``current`` symbolic link; ``plangraf.trig``, ``plangraf.ttl``,
``inferred.ttl`` and ``manifest.json`` at the top of the build folder are links through
``current``. A build killed at any moment leaves the previous build as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PlangrafError

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

    from .build import BuildResult, Paths

MANIFEST_FORMAT = 2
OUTPUT_FILES = ("plangraf.trig", "plangraf.ttl", "inferred.ttl")
MANIFEST = "manifest.json"
CURRENT = "current"
BUILDS = ".builds"
CACHE = ".cache"  # per-file cache of the study load (plangraf.filecache)
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
    from .build import import_files, reference_files

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


# --------------------------------------------------------------------------- reading a build folder


def current_folder(out: Path) -> Path:
    """The folder holding the current build's files: where ``current`` points, or ``out``
    itself for a folder copied without its links. Resolved once, so a reader never mixes
    the files of two builds."""
    link = out / CURRENT
    return link.resolve() if link.exists() else out


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


class Build:
    """The build of ``paths`` (and ``readings``): fresh or stale, rebuilt when needed.

    With ``rebuild=False`` a stale build is an error naming what changed; otherwise it is
    rebuilt and written (or, if the build folder cannot be written, kept in memory).
    """

    def __init__(
        self,
        paths: Paths,
        *,
        readings: frozenset[str] = frozenset(),
        rebuild: bool = True,
        include_suggested: bool | None = None,
    ) -> None:
        self.paths = paths
        self.readings = frozenset(readings)
        # None: as the build folder has it (a build made with --include-suggested stays so for
        # every reader until built again without it); False for a new build.
        if include_suggested is None:
            manifest = read_manifest(current_folder(paths.build)) or {}
            include_suggested = bool(manifest.get("include_suggested", False))
        self.include_suggested = include_suggested
        self.rebuild = rebuild
        self._result: BuildResult | None = None
        self._folder: Path | None = None

    @cached_property
    def identity(self) -> Identity:
        return Identity.of(self.paths, self.readings, include_suggested=self.include_suggested)

    def changes(self) -> list[str]:
        """Why the build folder does not answer for the inputs; empty when it does."""
        folder = current_folder(self.paths.build)
        manifest = read_manifest(folder)
        if manifest is None:
            state = "missing" if not (folder / MANIFEST).exists() else "unreadable"
            return [f"{MANIFEST} {state}"]
        missing = [name for name in OUTPUT_FILES if not (folder / name).is_file()]
        if missing:
            return [f"{name} missing" for name in missing]
        return self.identity.changes_since(manifest)

    def is_fresh(self) -> bool:
        return not self.changes()

    def build(self, *, force: bool = False) -> BuildResult | None:
        """Build and write unless the build folder is fresh (then ``None``: nothing to do)."""
        if not force and self.is_fresh():
            return None
        return self._build_and_write(strict=True)

    def ensure(self) -> None:
        """Make sure there is a fresh build to read: in the folder, or in memory."""
        if self._result is not None or self._folder is not None:
            return
        reasons = self.changes()
        if not reasons:
            self._folder = current_folder(self.paths.build)
            return
        if not self.rebuild:
            raise PlangrafError(f"the build is out of date: {summarise(reasons)}", file=str(self.paths.build))
        self._build_and_write(strict=False)

    def _build_and_write(self, *, strict: bool) -> BuildResult:
        from .build import build_graph, write_build
        from .progress import steps

        with steps("build", ["load and infer", "write"]) as advance:
            advance("load and infer")
            result = build_graph(
                self.paths,
                readings=self.readings,
                include_suggested=self.include_suggested,
                cache_folder=self.paths.build / CACHE,
            )
            advance("write")
            try:
                write_build(result, self.paths)
            except OSError:
                if strict:
                    raise
        self._result = result
        return result

    # -- what commands read

    def manifest(self) -> dict[str, Any]:
        self.ensure()
        if self._folder is not None:
            return read_manifest(self._folder) or {}
        return manifest_of(self._result, self.paths) if self._result is not None else {}

    def graphs(self) -> tuple[Graph, Graph]:
        """(asserted, inferred)."""
        self.ensure()
        if self._result is not None:
            return self._result.asserted, self._result.inferred
        from .build import load_built_from

        return load_built_from(self._trig())

    def union(self) -> Graph:
        """Asserted and inferred triples in one graph (what SHACL sees)."""
        self.ensure()
        if self._result is not None:
            return self._result.union()
        from .build import union_from

        return union_from(self._trig())

    def store(self) -> ox.Store:
        """The built graphs as one pyoxigraph store for queries."""
        self.ensure()
        if self._result is not None:
            from .query import query_store

            return query_store(self._result.asserted, self._result.inferred)
        from . import oxbridge

        return oxbridge.load_dataset_store(self._trig())

    def trig(self) -> Path:
        """The TriG file of a fresh build (built and written first if needed)."""
        self.ensure()
        if self._folder is None:
            self._folder = current_folder(self.paths.build)
            if not self.is_fresh():  # built in memory only: the folder could not be written
                raise PlangrafError("the build folder cannot be written", file=str(self.paths.build))
        return self._trig()

    def _trig(self) -> Path:
        assert self._folder is not None
        return self._folder / "plangraf.trig"


# --------------------------------------------------------------------------- writing a build folder


def manifest_of(result: BuildResult, paths: Paths) -> dict[str, Any]:
    from dataclasses import asdict

    from .build import ASSERTED_GRAPH, INFERRED_GRAPH
    from .namespaces import PGID

    identity = result.identity if result.identity is not None else Identity.of(paths)
    return {
        "format": MANIFEST_FORMAT,
        **identity.to_json(),
        "study": str(paths.study.resolve()),
        "counts": result.counts,
        "report": asdict(result.report),
        "graphs": {"asserted": str(ASSERTED_GRAPH), "inferred": str(INFERRED_GRAPH)},
        "id_base": str(PGID),
    }


def write_staged(out: Path, texts: dict[str, bytes], manifest: dict[str, Any]) -> None:
    """Write the files into a new staging folder under ``out/.builds``, then swap it in."""
    builds = out / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"staging-{os.getpid()}-", dir=builds))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for name, data in texts.items():
            _write_synced(staging / name, data)
        _write_synced(staging / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        pause = os.environ.get("PLANGRAF_TEST_PAUSE_BEFORE_SWAP")
        if pause:  # a seam for the test that kills a build after staging, before the swap
            time.sleep(float(pause))
        final = builds / f"{manifest['key'][:16]}-{os.getpid()}-{staging.name.rsplit('-', 1)[-1]}"
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(out, final)
    _sweep(builds, keep=final)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _replace_with_link(link: Path, target: str) -> None:
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    if link.is_dir() and not link.is_symlink():  # a folder copied without its links
        shutil.rmtree(link)
    os.replace(tmp, link)


def _swap_in(out: Path, final: Path) -> None:
    """One atomic rename switches every file at once; the top-level names are stable links."""
    _replace_with_link(out / CURRENT, os.path.relpath(final, out))
    for name in (*OUTPUT_FILES, MANIFEST):
        _replace_with_link(out / name, f"{CURRENT}/{name}")


def _sweep(builds: Path, keep: Path) -> None:
    """Remove earlier builds and the leftovers of killed ones. Folders are named
    ``staging-<pid>-…`` or ``<key>-<pid>-…``: those of another running build are left alone,
    and so is whatever ``current`` points to now (a concurrent build may have swapped since)."""
    current = (builds.parent / CURRENT).resolve()
    for entry in builds.iterdir():
        if entry in (keep, current):
            continue
        parts = entry.name.split("-")
        if len(parts) >= 3 and _running(parts[1]):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _running(pid: str) -> bool:
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
