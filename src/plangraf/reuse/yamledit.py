"""Edit a findings file line by line, leaving every other line as it is, byte for byte.

The file is parsed with plangraf's own YAML reader (which records the line of every key and
list item). One link is added to a finding's ``reflects`` list by inserting its lines after the
list's last line (:func:`append_link`), one is removed by deleting exactly its lines
(:func:`remove_link`) or replaced in place (:func:`replace_link`), and a new finding is added
after the document's last finding (:func:`append_finding`). Only the new item is dumped (with
PyYAML, at the list's own indentation), so comments, folded notes, quoting and dates elsewhere
stay as they are, and removing what was added gives back the same bytes (a ``reflects: []``
that became a block list is written back as ``reflects: []``). After every edit the text is
parsed again and compared with the intended data: anything else that changed is an error and
nothing is written. :func:`replace_reflects` (the whole list re-dumped) is kept for flow-style
lists, which have no lines of their own to edit.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
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
    return _check(new_text, label, expected)


def _plain(value: Any) -> Any:
    """Dates and numbers compared as text, as the schema reads them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | bool) or value is None else str(value)


def _check(new_text: str, label: str, expected: Any) -> str:
    got, _lines = parse(new_text, label)
    if _plain(got) != _plain(expected):
        raise PlangrafError("editing the findings file would change other data; edit the file by hand", file=label)
    return new_text


def _dates(value: Any) -> Any:
    """``coded`` values as dates, so that they are written as YAML dates like the rest of the file."""
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if isinstance(value, dict):
        return {
            k: dt.date.fromisoformat(v) if k == "coded" and isinstance(v, str) else _dates(v) for k, v in value.items()
        }
    return value


def _dump_item(item: dict[str, Any], indent: str) -> list[str]:
    """One list item's lines, ``- key: value`` at ``indent``; ISO dates written as YAML dates."""
    dumped = yaml.safe_dump([_dates(item)], allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return [f"{indent}{line}\n" if line else "\n" for line in dumped.splitlines()]


def _reflects_at(text: str, label: str, finding: str) -> tuple[Any, dict[Where, int], Where, list[str]]:
    data, lines = parse(text, label)
    where = find_findings_in(data).get(finding)
    if where is None:
        raise PlangrafError(f"finding '{finding}' not found", file=label)
    if where + ("reflects",) not in lines:
        raise PlangrafError(f"finding '{finding}' has no reflects list", file=label)
    return data, lines, where + ("reflects",), text.splitlines(keepends=True)


def _item_range(lines: dict[Where, int], key: Where, index: int, count: int, text_lines: list[str]) -> tuple[int, int]:
    """0-based [first, last) lines of item ``index`` of the block list at ``key``."""
    first = lines[key + (index,)] - 1
    if index + 1 < count:
        return first, lines[key + (index + 1,)] - 1
    return first, _block_end(lines, key, lines[key], text_lines) - 1


def append_link(text: str, label: str, finding: str, link: dict[str, Any]) -> str:
    """``text`` with ``link`` added at the end of the ``reflects`` list of ``finding``."""
    data, lines, key, text_lines = _reflects_at(text, label, finding)
    links = list(_get(data, key) or [])
    expected = copy.deepcopy(data)
    _get(expected, key[:-1])["reflects"] = [*links, link]
    key_text = text_lines[lines[key] - 1]
    indent = key_text[: len(key_text) - len(key_text.lstrip())]
    if re.fullmatch(r"\s*reflects: \[\]\s*(#.*)?", key_text.rstrip("\n")):  # a comment after it stays
        block_key = key_text.replace("reflects: []", "reflects:", 1)
        new = text_lines[: lines[key] - 1] + [block_key] + _dump_item(link, indent + "  ")
        return _check("".join(new + text_lines[lines[key] :]), label, expected)
    if not links or (key + (0,)) not in lines or lines[key + (0,)] == lines[key]:
        return replace_reflects(text, label, finding, [*links, link])  # a flow list: re-dumped
    first = text_lines[lines[key + (0,)] - 1]
    item_indent = first[: first.index("-")]
    end = _block_end(lines, key, lines[key], text_lines) - 1
    new = text_lines[:end] + _dump_item(link, item_indent) + text_lines[end:]
    return _check("".join(new), label, expected)


def remove_link(text: str, label: str, finding: str, index: int) -> str:
    """``text`` without link ``index`` of ``finding``; an emptied list is written ``reflects: []``."""
    data, lines, key, text_lines = _reflects_at(text, label, finding)
    links = list(_get(data, key) or [])
    if (key + (index,)) not in lines or lines[key + (index,)] == lines[key]:
        kept = links[:index] + links[index + 1 :]
        return replace_reflects(text, label, finding, kept)
    expected = copy.deepcopy(data)
    _get(expected, key[:-1])["reflects"] = links[:index] + links[index + 1 :]
    first, last = _item_range(lines, key, index, len(links), text_lines)
    if len(links) == 1:  # back to the flow form, its comment kept
        key_text = text_lines[lines[key] - 1].replace("reflects:", "reflects: []", 1)
        new = text_lines[: lines[key] - 1] + [key_text] + text_lines[last:]
    else:
        new = text_lines[:first] + text_lines[last:]
    return _check("".join(new), label, expected)


def replace_link(text: str, label: str, finding: str, index: int, link: dict[str, Any]) -> str:
    """``text`` with link ``index`` of ``finding`` replaced by ``link`` (its lines only)."""
    data, lines, key, text_lines = _reflects_at(text, label, finding)
    links = list(_get(data, key) or [])
    if (key + (index,)) not in lines or lines[key + (index,)] == lines[key]:
        return replace_reflects(text, label, finding, links[:index] + [link] + links[index + 1 :])
    expected = copy.deepcopy(data)
    _get(expected, key[:-1])["reflects"] = links[:index] + [link] + links[index + 1 :]
    first, last = _item_range(lines, key, index, len(links), text_lines)
    dash = text_lines[first]
    new = text_lines[:first] + _dump_item(link, dash[: dash.index("-")]) + text_lines[last:]
    return _check("".join(new), label, expected)


def append_finding(text: str, label: str, document: str, finding: dict[str, Any]) -> str:
    """``text`` with ``finding`` added after the last finding of ``document``."""
    data, lines = parse(text, label)
    docs = (data or {}).get("documents") or []
    place = next((i for i, d in enumerate(docs) if isinstance(d, dict) and d.get("id") == document), None)
    if place is None:
        raise PlangrafError(f"document '{document}' not found", file=label)
    key = ("documents", place, "findings")
    findings = list(docs[place].get("findings") or [])
    expected = copy.deepcopy(data)
    expected["documents"][place]["findings"] = [*findings, finding]
    text_lines = text.splitlines(keepends=True)
    if not findings or (key + (0,)) not in lines or lines[key + (0,)] == lines[key]:
        raise PlangrafError(f"document '{document}' has no block list of findings to add to", file=label)
    first = text_lines[lines[key + (0,)] - 1]
    end = _block_end(lines, key, lines[key], text_lines) - 1
    new = text_lines[:end] + _dump_item(finding, first[: first.index("-")]) + text_lines[end:]
    return _check("".join(new), label, expected)
