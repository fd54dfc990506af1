"""Issue 26: tables for the tools people use — CSV with a byte-order mark and `;` for
Norwegian Excel, .xlsx workbooks, and the findings x links long format for R and pandas, read
back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.graph.current import current_store
from plangraf.outputs.spreadsheet import sheet_name, workbook_bytes
from plangraf.outputs.tables import LONG_COLUMNS, format_table, long_links

ROOT = Path(__file__).resolve().parents[1]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> tuple[list[str], Path]:
    base = tmp_path_factory.mktemp("excel")
    shutil.copytree(FIXTURES / "mini-study", base / "study")
    common = ["--data", str(base / "study"), "--build-dir", str(base / "build")]
    assert CliRunner().invoke(main, ["build", *common]).exit_code == 0
    return common, base


def test_long_format_csv_for_norwegian_excel_read_back_with_aeoeaa(mini):
    """links.csv as `plangraf tables --bom --delimiter ';'` writes it (the whole command is
    slow: it computes every matrix; this is its CSV writer on the long format)."""
    common, base = mini
    store = current_store(Paths(root=ROOT, data=Path(common[1]), out=Path(common[3])), rebuild=False)
    columns, rows = long_links(store)
    path = base / "links.csv"
    path.write_bytes(format_table("", columns, rows, "csv", delimiter=";", bom=True).encode("utf-8"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle, delimiter=";"))
    assert list(read[0]) == LONG_COLUMNS
    assert {r["municipality_name"] for r in read} == {"Larvik", "Tønsberg"}
    assert all(r["relation"] and r["guidance"] and r["finding"] for r in read)
    # a goal's label comes with its document (issue 22): a goal id is "<document>/<goal>"
    assert all(r["guidance_document"] == r["guidance"].split("/")[0] for r in read)


def test_query_csv_with_bom_and_delimiter(mini):
    common, _ = mini
    result = CliRunner().invoke(
        main, ["query", "evidence", *common, "-p", "municipality=tonsberg", "-f", "csv", "--bom", "--delimiter", "tab"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeffmunicipality\tdocument\t")
    assert "\r\nTønsberg\t".encode() in result.stdout_bytes  # CRLF, as Excel writes CSV


def test_a_delimiter_that_cannot_separate_is_refused(mini):
    common, _ = mini
    result = CliRunner().invoke(main, ["tables", *common, "--delimiter", "ab"])
    assert result.exit_code == 2 and "'ab' cannot separate CSV fields" in result.output


def _as_text(value) -> str:
    return "" if value is None else str(value)


def test_tables_as_xlsx_equal_the_csv_tables_read_back_with_openpyxl(mini):
    """`tables -f xlsx` (one workbook, a sheet per table) and `tables -f csv --bom` (one file
    each) read back with openpyxl and the csv module hold the same cells, æøå intact."""
    common, base = mini
    for fmt in ("csv", "xlsx"):
        result = CliRunner().invoke(
            main, ["tables", *common, "-f", fmt, "--bom", "--delimiter", ";", "--out", str(base / fmt)]
        )
        assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(base / "xlsx" / "tables.xlsx", read_only=True)
    csv_files = sorted((base / "csv").glob("*.csv"))
    assert len(book.sheetnames) == len(csv_files) + 1 and book.sheetnames[-1] == "captions"
    captions = {row[0]: row[1] for row in book["captions"].iter_rows(min_row=2, values_only=True)}
    for path in csv_files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            expected = list(csv.reader(handle, delimiter=";"))
        name = sheet_name(path.stem, set())
        cells = [[_as_text(v) for v in row] for row in book[name].iter_rows(values_only=True)]
        assert cells == expected, path.name
        assert captions[name]
    links = [list(row) for row in book["links"].iter_rows(values_only=True)]
    assert links[0] == LONG_COLUMNS and {r[1] for r in links[1:]} == {"Larvik", "Tønsberg"}
    coverage = [row for row in book["coverage-meld-st-27"].iter_rows(values_only=True)]
    assert ("Tønsberg",) == tuple(row[0] for row in coverage if row[0] == "Tønsberg")


def test_query_as_xlsx_equals_its_json_answer(mini):
    common, base = mini
    args = ["query", "evidence", *common, "-p", "municipality=tonsberg"]
    as_json = json.loads(CliRunner().invoke(main, [*args, "-f", "json"]).output)
    result = CliRunner().invoke(main, [*args, "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK")  # a ZIP container
    (base / "answer.xlsx").write_bytes(result.stdout_bytes)
    rows = list(openpyxl.load_workbook(base / "answer.xlsx")["answer"].iter_rows(values_only=True))
    assert rows[0] == tuple(as_json[0])
    blank = [{k: "" if v is None else v for k, v in row.items()} for row in as_json]  # Excel keeps no ""
    assert [{k: _as_text(v) for k, v in zip(rows[0], row, strict=True)} for row in rows[1:]] == blank
    assert any(row[0] == "Tønsberg" for row in rows[1:])


def test_workbook_text_stays_text_and_sheet_names_fit_excel(tmp_path):
    """A quote starting with '=' is never a formula; control characters XML cannot hold are
    dropped; long or clashing names become distinct sheet names of at most 31 characters."""
    long = "coverage-" + "x" * 40
    tables = [
        (long, "", ["a", "b"], [["=1+1", "Tønsberg\x07"], [3, None]]),
        (long + "y", "", ["a"], [["æøå"]]),
        ("a/b:c", "Bilde [1]", ["a"], []),
    ]
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(tables))
    book = openpyxl.load_workbook(path)
    assert [len(n) <= 31 for n in book.sheetnames] == [True] * 4 and len(set(book.sheetnames)) == 4
    first = book[book.sheetnames[0]]
    assert first["A2"].value == "=1+1" and first["A2"].data_type == "s"
    assert first["B2"].value == "Tønsberg" and first["A3"].value == 3 and first["B3"].value is None
    assert book[book.sheetnames[1]]["A2"].value == "æøå"
    assert book["a-b-c"]["A1"].value == "a"
    assert list(book["captions"].iter_rows(values_only=True)) == [("sheet", "caption"), ("a-b-c", "Bilde [1]")]
