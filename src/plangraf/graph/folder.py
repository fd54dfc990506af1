"""A build folder on disk: each build written whole into a staging folder under ``.builds/`` and
swapped in by one atomic rename of the ``current`` link; readers resolve ``current`` once.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


OUTPUT_FILES = ("plangraf.trig", "plangraf.ttl", "inferred.ttl")
# the build's persistent pyoxigraph store (a folder): what commands open read-only to query
STORE = "store"


MANIFEST = "manifest.json"


CURRENT = "current"


BUILDS = ".builds"


CACHE = ".cache"  # per-file cache of the study load (plangraf.study.cache)


def current_folder(out: Path) -> Path:
    """The folder holding the current build's files: where ``current`` points, or ``out``
    itself for a folder copied without its links. Resolved once, so a reader never mixes
    the files of two builds."""
    link = out / CURRENT
    return link.resolve() if link.exists() else out


def store_fingerprint(folder: Path) -> str | None:
    """The SHA-256 of an on-disk store's files as they lie: every file's name and size, and the
    whole text of ``CURRENT``, ``IDENTITY`` and ``MANIFEST-*`` (RocksDB's record of its table
    files with their sizes, key ranges and sequence numbers; a few KB). The info logs and the
    lock file, which an open may touch without changing any quad, are left out. Recorded in the
    build's manifest when the store is written and closed, so a reader finds the store exactly
    as written without counting its quads (0.1-0.2 s at national scale); a store whose
    fingerprint differs (truncated, moved in from another build, opened for writing since) is
    counted instead. ``None`` for a folder that cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            name = entry.name
            if name == "LOCK" or name.startswith("LOG") or not entry.is_file(follow_symlinks=False):
                continue
            digest.update(f"{name}\0{entry.stat(follow_symlinks=False).st_size}\0".encode())
            if name in ("CURRENT", "IDENTITY") or name.startswith("MANIFEST-"):
                digest.update(Path(entry.path).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def write_staged(
    out: Path,
    texts: dict[str, bytes],
    manifest: dict[str, Any],
    writers: Mapping[str, Callable[[Path], None]] | None = None,
) -> None:
    """Write the files into a new staging folder under ``out/.builds``, then swap it in.
    ``writers`` write further entries (such as the store folder) at the path they are given,
    inside the staging folder, before the manifest."""
    builds = out / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"staging-{os.getpid()}-", dir=builds))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for name, data in texts.items():
            _write_synced(staging / name, data)
        for name, write in (writers or {}).items():
            write(staging / name)
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
    for name in (*OUTPUT_FILES, STORE, MANIFEST):
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
