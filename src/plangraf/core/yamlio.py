"""Read YAML and CSV files with the line of every value, so errors can name it."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

import yaml

from plangraf.core.errors import PlangrafError
from plangraf.core.limits import check_size

Path_ = tuple[str | int, ...]


# libyaml's parser (PyYAML's C extension, in every PyYAML wheel) is about ten times faster than
# the pure-Python one and gives the same nodes and line marks; the Python one is the fallback.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeLoader):
    """A safe loader that keeps dates as strings (they are checked by the schema)."""


LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, digests: dict[str, str] | None = None) -> str:
    """Read a UTF-8 text file; a wrong encoding is an error naming the line. With ``digests``,
    record there the SHA-256 of the bytes read, under the path (the per-file cache keeps an
    entry only for the contents it was made from)."""
    try:
        check_size(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlangrafError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise PlangrafError("is a directory, expected a file", file=str(path)) from None
    if digests is not None:
        digests[str(path)] = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlangrafError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            file=str(path),
            line=line,
        ) from None


def walk_nodes(node: yaml.Node, here: Path_, lines: dict[Path_, int], file: str, seen: set[int]) -> None:
    if id(node) in seen:
        # An alias: findings files have no use for them, and nested aliases can expand
        # exponentially ("billion laughs").
        raise PlangrafError(
            "YAML anchors and aliases (&name, *name) are not allowed in plangraf files",
            file=file,
            line=node.start_mark.line + 1,
            field=_dotted(here) or None,
        )
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        seen.add(id(node))
    lines[here] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise PlangrafError(
                    "a key must be plain text",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=_dotted(here) or None,
                )
            key = key_node.value
            if key in keys:
                raise PlangrafError(
                    f"duplicate key '{key}' (first on line {keys[key]})",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=_dotted(here + (key,)),
                )
            keys[key] = key_node.start_mark.line + 1
            lines[here + (key,)] = key_node.start_mark.line + 1
            walk_nodes(value_node, here + (key,), lines, file, seen)
            lines[here + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            walk_nodes(item, here + (index,), lines, file, seen)


def load_yaml(path: Path, digests: dict[str, str] | None = None) -> tuple[Any, dict[Path_, int]]:
    """Parse a YAML file; return the data and a map from value path to line number.
    ``digests``: see :func:`read_text`."""
    text = read_text(path, digests)
    try:
        loader = LineLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise PlangrafError("file is empty", file=str(path), line=1)
            lines: dict[Path_, int] = {}
            walk_nodes(node, (), lines, str(path), set())
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(exc.problem):  # libyaml's own limit
            raise PlangrafError("YAML nested too deeply", file=str(path), line=line) from None
        raise PlangrafError(f"YAML syntax error: {exc.problem or exc.context}", file=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise PlangrafError(f"YAML error: {exc}", file=str(path)) from None
    except RecursionError:
        raise PlangrafError("YAML nested too deeply", file=str(path)) from None
    return data, lines


def line_of(lines: dict[Path_, int], here: Path_) -> int | None:
    """The line of ``here`` or of its nearest parent that has one."""
    while True:
        if here in lines:
            return lines[here]
        if not here:
            return None
        here = here[:-1]


def _dotted(here: Path_) -> str:
    out = ""
    for part in here:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def load_csv(path: Path, digests: dict[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Read a UTF-8 CSV with a header; return (line number, row) pairs. ``digests``: see :func:`read_text`."""
    text = read_text(path, digests)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise PlangrafError("more cells than header columns", file=str(path), line=reader.line_num)
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        # the failing record starts on the line after the last one read in full
        start = (rows[-1][0] if rows else 1) + 1
        raise PlangrafError(
            f"CSV syntax error in the record starting here: {exc}", file=str(path), line=start
        ) from None
    if reader.fieldnames is None:
        raise PlangrafError("file is empty", file=str(path), line=1)
    return rows
