"""CSV coding sheets: one finding a row, checked with the same schema and checks as the YAML files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import load_csv
from plangraf.study import schema as schema_check
from plangraf.study.checks import FileContext, SeenIds, StudyCheck, check_finding

CSV_COLUMNS = [
    "municipality",
    "document",
    "finding",
    "evidence",
    "text",
    "location",
    "guidance",
    "how",
    "elements",
    "source",
    "coder",
    "coded",
    "basis",
    "cited",
    "cited_text",
    "confidence",
]


CSV_OPTIONAL = {"location", "coder", "coded", "basis", "cited", "cited_text", "confidence"}


def _row_finding(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as a finding in the YAML form (one link at most)."""
    finding: dict[str, Any] = {
        "id": row["finding"],
        "evidence": row["evidence"],
        "text": row["text"],
        "reflects": [],
        "elements": [e.strip() for e in row["elements"].split(";") if e.strip()],
        "source": row["source"],
    }
    for key in ("location", "coder", "coded"):
        if row.get(key):
            finding[key] = row[key]
    if row["guidance"] or row["how"]:
        link = {"guidance": row["guidance"], "how": row["how"]}
        for key in ("basis", "cited", "cited_text", "confidence"):
            if row.get(key):
                link[key] = row[key]
        finding["reflects"].append(link)
    return finding


def _check_sheet_header(rows: list[tuple[int, dict[str, str]]], path: Path) -> None:
    if not rows:
        return
    header = list(rows[0][1])
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise PlangrafError(f"unknown column '{unknown[0]}'; allowed: {', '.join(CSV_COLUMNS)}", file=str(path), line=1)
    missing = [c for c in CSV_COLUMNS if c not in header and c not in CSV_OPTIONAL]
    if missing:
        raise PlangrafError(
            f"missing column(s) {', '.join(missing)}; expected: {', '.join(CSV_COLUMNS)}", file=str(path), line=1
        )


def _check_row(row: dict[str, str], finding: dict[str, Any], path: Path, line: int, check: StudyCheck) -> None:
    """Check the row with the same schema and checks as a finding in a YAML file."""
    wrapped = {
        "municipality": row["municipality"],
        "number": "0000",
        "source": "-",
        "documents": [
            {
                "id": row["document"] or "-",
                "title": "-",
                "plan_level": "other-decision",
                "status": "adopted",
                "obtained": "thesis",
                "source": "-",
                "findings": [finding],
            }
        ],
    }
    try:
        schema_check.check(wrapped, {(): line}, "municipality", path)
        check_finding(finding, FileContext(path, {("row",): line}), ("row",), check.ref, check.coders, check.defaults)
    except PlangrafError as exc:
        raise PlangrafError(exc.message, file=str(path), line=line, field=_csv_column(exc.field)) from None


def read_coding_sheet(
    path: Path,
    check: StudyCheck,
    ids: SeenIds,
    out: dict[str, list[dict[str, Any]]],
    digests: dict[str, str] | None = None,
) -> None:
    """Check a CSV coding sheet row by row; add its findings (merged by id) to ``out``."""
    rows = load_csv(path, digests)
    merged: dict[str, tuple[dict[str, Any], int]] = {}

    def error(message: str, line: int, column: str | None) -> PlangrafError:
        return PlangrafError(message, file=str(path), line=line, field=column)

    _check_sheet_header(rows, path)
    for line, row in rows:
        finding = _row_finding(row)
        _check_row(row, finding, path, line, check)
        if row["document"] not in ids.docs:
            raise error(
                f"unknown document id '{row['document']}'; declare the document in a YAML file first", line, "document"
            )
        if ids.owner[row["document"]] != row["municipality"]:
            raise error(
                f"document '{row['document']}' belongs to {ids.owner[row['document']]}, not {row['municipality']}",
                line,
                "municipality",
            )
        key = finding["id"]
        if key in merged:
            earlier, first_line = merged[key]
            if earlier["text"] != finding["text"] or earlier["_document"] != row["document"]:
                raise error(
                    f"finding '{key}' repeats with another text or document than on line {first_line}", line, "finding"
                )
            earlier["reflects"].extend(finding["reflects"])
            continue
        if key in ids.findings:
            raise error(f"duplicate finding id '{key}' (also in {ids.findings[key]})", line, "finding")
        ids.findings[key] = f"{path}:{line}"
        finding.update({"_document": row["document"], "_sheet": str(path), "_line": line})
        merged[key] = (finding, line)
        out.setdefault(row["document"], []).append(finding)


def _csv_column(field_path: str | None) -> str | None:
    if not field_path:
        return None
    last = field_path.split(".")[-1]
    last = re.sub(r"\[\d+\]", "", last)
    return {"reflects": "guidance", "id": "finding"}.get(last, last)
