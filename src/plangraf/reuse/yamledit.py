"""Rewrite one finding's ``reflects`` list in a findings file, leaving every other line as it is.

The file is parsed with plangraf's own YAML reader (which records the line of every key);
the lines of the finding's ``reflects`` block are replaced by the new list, dumped with
PyYAML at the same indentation, and the result is parsed again and compared with the
intended data: anything else that changed is an error and nothing is written.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import LineLoader, walk_nodes

Where = tuple[Any, ...]


def parse(text: str, label: str) -> tuple[Any, dict[Where, int]]:
    """Data and key lines of a findings file's text (as :func:`plangraf.core.yamlio.load_yaml`)."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Where, int] = {}
        if node is not None:
            walk_nodes(node, (), lines, label, set())
        return (loader.construct_document(node) if node is not None else None), lines
    except yaml.YAMLError as exc:
        raise PlangrafError(f"YAML error: {' '.join(str(exc).split())}", file=label) from None
    finally:
        loader.dispose()


def find_findings_in(data: Any) -> dict[str, Where]:
    """Each finding id of a findings file's data and its place (``documents``, i, ``findings``, j)."""
    out = {}
    for i, doc in enumerate((data or {}).get("documents") or []):
        for j, finding in enumerate(doc.get("findings") or []):
            out[str(finding.get("id"))] = ("documents", i, "findings", j)
    return out


def find_findings(path: Path) -> dict[str, Where]:
    return find_findings_in(parse(path.read_text(encoding="utf-8"), str(path))[0])


def finding_of(text: str, label: str, finding: str) -> dict[str, Any]:
    """The finding ``finding`` of a findings file's text, as data."""
    data, _lines = parse(text, label)
    where = find_findings_in(data).get(finding)
    if where is None:
        raise PlangrafError(f"finding '{finding}' not found", file=label)
    return dict(_get(data, where))


def links_of(text: str, label: str, finding: str) -> list[dict[str, Any]]:
    """The ``reflects`` list of ``finding`` in a findings file's text."""
    return list(finding_of(text, label, finding).get("reflects") or [])


def _get(data: Any, where: Where) -> Any:
    for key in where:
        data = data[key]
    return data


def _block_end(lines: dict[Where, int], key: Where, key_line: int, text_lines: list[str]) -> int:
    """The 1-based line after the ``reflects`` block: the next line of something outside it."""
    after = [n for p, n in lines.items() if n > key_line and p[: len(key)] != key]
    end = min(after) if after else len(text_lines) + 1
    while end - 1 > key_line and (not text_lines[end - 2].strip() or text_lines[end - 2].lstrip().startswith("#")):
        end -= 1
    return end


def _render(indent: str, links: list[dict[str, Any]]) -> list[str]:
    if not links:
        return [f"{indent}reflects: []\n"]
    dumped = yaml.safe_dump(links, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return [f"{indent}reflects:\n"] + [f"{indent}  {line}\n" if line else "\n" for line in dumped.splitlines()]


def replace_reflects(text: str, label: str, finding: str, links: list[dict[str, Any]]) -> str:
    """``text`` (a findings file) with the ``reflects`` list of ``finding`` replaced by ``links``."""
    data, lines = parse(text, label)
    where = find_findings_in(data).get(finding)
    if where is None:
        raise PlangrafError(f"finding '{finding}' not found", file=label)
    key = where + ("reflects",)
    if key not in lines:
        raise PlangrafError(f"finding '{finding}' has no reflects list", file=label)
    text_lines = text.splitlines(keepends=True)
    key_line = lines[key]
    end = _block_end(lines, key, key_line, text_lines)
    key_text = text_lines[key_line - 1]
    indent = key_text[: len(key_text) - len(key_text.lstrip())]
    new_text = "".join(text_lines[: key_line - 1] + _render(indent, links) + text_lines[end - 1 :])
    expected = copy.deepcopy(data)
    _get(expected, where)["reflects"] = links
    got, _lines = parse(new_text, label)
    if _plain(got) != _plain(expected):
        raise PlangrafError("rewriting the reflects list would change other data; edit the file by hand", file=label)
    return new_text


def _plain(value: Any) -> Any:
    """Dates and numbers compared as text, as the schema reads them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | bool) or value is None else str(value)
