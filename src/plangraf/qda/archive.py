"""The files of a REFI-QDA project, read safely: a ``.qdpx`` archive or the folder of a bare ``.qde``.

Two rules hold whatever the project says:

* a source is read only from inside the project: an archive member, or a file inside the folder
  that holds the bare ``.qde`` (after symbolic links are followed). Absolute paths, ``..``, drive
  letters and the ``absolute://`` / ``relative://`` schemes are refused, not looked up;
* every read counts the bytes it actually produces. Archive members are decompressed in chunks
  and the read stops as soon as the whole project passes the input limit, whatever sizes the ZIP
  headers claim, so a forged or "bomb" archive costs at most the limit in memory and time.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import max_input_bytes

CHUNK = 1 << 16
FOLDERS = ("sources", "Sources")  # spec 8.1 says "sources"; NVivo for Windows writes "Sources" (FACTS.md)


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def unsafe(name: str) -> bool:
    """Whether a path (an archive member or a source path) could point outside the project."""
    text = name.replace("\\", "/")
    pure = PurePosixPath(text)
    return pure.is_absolute() or ".." in pure.parts or (len(text) > 1 and text[1] == ":") or "\x00" in text


def source_name(path: str) -> str:
    """The file a source path names inside the project, or ValueError saying why it cannot be read.

    ``internal://<file>`` is the file in the sources folder (spec 8.3); a bare relative name (as qc
    writes it) is accepted; the other schemes point outside the project.
    """
    name = path[len("internal://") :] if path.startswith("internal://") else path
    if "://" in name:
        raise ValueError(f"text path {path!r} is outside the project; only internal sources (internal://) are read")
    if not name or unsafe(name):
        raise ValueError(f"text path {path!r} is outside the project (absolute, a drive or '..'): refused")
    return name


class ProjectFiles:
    """Reads the project document and its sources under one byte budget (the input limit)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.limit = max_input_bytes()
        self.used = 0
        self.zip: zipfile.ZipFile | None = None
        self.folder: Path | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}

    @classmethod
    def open_zip(cls, path: Path) -> ProjectFiles:
        files = cls(path)
        try:
            files.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise PlangrafError(f"not a readable ZIP archive: {exc}", file=str(path)) from None
        for info in files.zip.infolist():
            if unsafe(info.filename):
                raise PlangrafError(f"archive member {info.filename!r}: unsafe path ('..' or absolute)", file=str(path))
            files.members.setdefault(info.filename.lower(), info)
        claimed = 0
        for info in files.zip.infolist():  # a quick refusal; the real guard is the count in read_member
            claimed += info.file_size
            if claimed > files.limit:
                files._spend(claimed, f"archive member {info.filename!r}")
        return files

    @classmethod
    def open_folder(cls, qde: Path) -> ProjectFiles:
        files = cls(qde)
        files.folder = Path(qde).resolve().parent
        return files

    def _spend(self, size: int, what: str) -> None:
        self.used += size
        if self.used > self.limit:
            raise PlangrafError(
                f"{what}: the archive expands past the input limit of {_mb(self.limit)} "
                "(raise it with PLANGRAF_MAX_INPUT_MB)",
                file=str(self.path),
            )

    def read_member(self, info: zipfile.ZipInfo) -> bytes:
        """An archive member's bytes, decompressed in chunks under the budget (headers not trusted)."""
        assert self.zip is not None
        what = f"archive member {info.filename!r}"
        out = bytearray()
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    self._spend(len(chunk), what)
                    out += chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
            raise PlangrafError(f"{what}: unreadable: {exc}", file=str(self.path)) from None
        return bytes(out)

    def project_member(self) -> zipfile.ZipInfo:
        found = [i for i in self.members.values() if PurePosixPath(i.filename).name.lower() == "project.qde"]
        if not found:
            message = "archive member project.qde: missing; this is not a REFI-QDA project"
            raise PlangrafError(message, file=str(self.path))
        return min(found, key=lambda info: (info.filename.count("/"), info.filename))

    def source(self, name: str) -> bytes | None:
        """The bytes of source file ``name`` (already checked by :func:`source_name`); None if absent."""
        if self.zip is not None:
            for candidate in (*(f"{folder}/{name}" for folder in FOLDERS), name):
                info = self.members.get(candidate.lower())
                if info is not None:
                    return self.read_member(info)
            return None
        assert self.folder is not None
        for base in (*(self.folder / folder for folder in FOLDERS), self.folder):
            path = base / name
            if path.is_file():
                return self._read_inside(path)
        return None

    def _read_inside(self, candidate: Path) -> bytes:
        assert self.folder is not None
        real = candidate.resolve()
        if not real.is_relative_to(self.folder):
            message = f"source file {candidate.name!r} links outside the project folder ({real}): refused"
            raise PlangrafError(message, file=str(self.path))
        self._spend(real.stat().st_size, f"source file {candidate.name!r}")
        return real.read_bytes()

    def where(self, name: str) -> str:
        """Where a missing source was looked for, for the error message."""
        return f"sources/{name}" if self.zip is not None else str((self.folder or Path()) / "sources" / name)
