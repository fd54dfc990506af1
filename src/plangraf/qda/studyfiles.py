"""A study folder's YAML files, read and written round-trip (comments, order and quoting kept)."""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import load_yaml, read_text

RESERVED = {"study.yaml", "claims.yaml"}


def _yaml() -> YAML:
    # ruamel.yaml's round-trip mode keeps every comment, key order, folded scalar and quote of the
    # hand-written study files (checked: load + dump of data/study-2020 gives the same bytes).
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class StudyFiles:
    """study.yaml and the municipality files of one study. Every file is read fast (libyaml) for
    lookups; a file is loaded round-trip (ruamel.yaml, slower) only when it is to be edited."""

    folder: Path
    plain: dict[Path, Any] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    data: dict[Path, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> StudyFiles:
        folder = Path(folder)
        if not (folder / "study.yaml").is_file():
            raise PlangrafError("study.yaml not found: not a study folder", file=str(folder))
        files = cls(folder)
        for path in [folder / "study.yaml", *sorted(p for p in folder.glob("*.yaml") if p.name not in RESERVED)]:
            files.plain[path], _ = load_yaml(path)
        return files

    def editable(self, path: Path) -> Any:
        """The file's round-trip data, loaded on first use; edits to it are what :meth:`rendered` writes."""
        if path not in self.data:
            text = read_text(path)
            try:
                self.data[path] = _yaml().load(text)
            except YAMLError as exc:
                raise PlangrafError(f"YAML error: {' '.join(str(exc).split())}", file=str(path)) from None
            self.texts[path] = text
        return self.data[path]

    @property
    def study(self) -> Any:
        return self.editable(self.folder / "study.yaml")

    @property
    def plain_study(self) -> Any:
        return self.plain[self.folder / "study.yaml"]

    def documents(self) -> dict[str, tuple[Path, Any]]:
        """Document id -> (file, the document's mapping as read, not editable)."""
        out: dict[str, tuple[Path, Any]] = {}
        for path, data in self.plain.items():
            if path.name == "study.yaml" or not isinstance(data, dict):
                continue
            for doc in data.get("documents") or []:
                if isinstance(doc, dict) and "id" in doc:
                    out[str(doc["id"])] = (path, doc)
        return out

    def editable_document(self, doc_id: str) -> Any:
        path, _ = self.documents()[doc_id]
        for doc in self.editable(path).get("documents") or []:
            if str(doc.get("id")) == doc_id:
                return doc
        raise KeyError(doc_id)  # pragma: no cover - the plain and round-trip reads agree

    def finding_ids(self) -> set[str]:
        return {str(f.get("id")) for _, doc in self.documents().values() for f in doc.get("findings") or []}

    def rendered(self) -> dict[Path, str]:
        """The files whose text would change, with their new text."""
        yaml = _yaml()
        out = {}
        for path, data in self.data.items():
            buffer = io.StringIO()
            yaml.dump(data, buffer)
            if buffer.getvalue() != self.texts[path]:
                out[path] = buffer.getvalue()
        return out


def append_item(seq: Any, item: Any) -> None:
    """Append a mapping to a round-trip list, keeping a comment that follows the list with what follows.

    ruamel.yaml attaches the comment lines after a list (often the heading of the next key) to the
    list's last item; a plain append would put the new item below that comment. The comment moves
    to the new item's last key, so it stays in front of the key it introduces.
    """
    if len(seq) and isinstance(seq[-1], CommentedMap) and len(seq[-1]) and isinstance(item, CommentedMap):
        last_key = list(seq[-1].keys())[-1]
        token = seq[-1].ca.items.get(last_key)
        if token and len(token) > 2 and token[2] is not None:
            seq[-1].ca.items[last_key] = [*token[:2], None, *token[3:]]
            if not any(token[:2]) and not any(token[3:]):
                del seq[-1].ca.items[last_key]
            item.ca.items[list(item.keys())[-1]] = [None, None, token[2], None]
    seq.append(item)


def write_all(files: dict[Path, str]) -> None:
    """Write several files all or nothing: every temporary file is complete before the first rename."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
