"""Tables as an Excel workbook (.xlsx), written with openpyxl.

One sheet per table, its header in row 1 (bold, frozen) so that Excel, LibreOffice, R's readxl
and pandas' read_excel read the columns by name; the captions on a last sheet of their own. Text stays text: a cell that
starts with ``=`` is never a formula, and characters XML cannot hold are dropped."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

#: Excel's limits on a sheet's name: 31 characters, none of these
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
CAPTIONS_SHEET = "captions"


def sheet_name(name: str, taken: set[str]) -> str:
    """``name`` as Excel allows it (31 characters, no ``[]:*?/\\``), unique among ``taken``
    (case-insensitive, as Excel compares them)."""
    base = _SHEET_FORBIDDEN.sub("-", name)[:_SHEET_MAX] or "sheet"
    candidate, number = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        number += 1
        suffix = f"~{number}"
        candidate = base[: _SHEET_MAX - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def workbook_bytes(tables: list[tuple[str, str, list[str], list[list[Any]]]]) -> bytes:
    """The workbook of ``tables`` (name, caption, columns, rows), one sheet each in order,
    and a ``captions`` sheet naming each sheet's caption when any table has one."""
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "plangraf"
    book.properties.created = datetime(2000, 1, 1)
    taken = {CAPTIONS_SHEET}
    captions = []
    bold = Font(bold=True)
    for name, caption, columns, rows in tables:
        sheet = book.create_sheet(sheet_name(name, taken))
        sheet.append([_cell_value(c) for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_cell_value(v) for v in row])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.data_type == "f":  # openpyxl reads "=…" as a formula: text stays text
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        if caption:
            captions.append([sheet.title, _cell_value(caption)])
    if captions:
        sheet = book.create_sheet(CAPTIONS_SHEET)
        sheet.append(["sheet", "caption"])
        for row in captions:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
