"""Issue 26: CSV for the tools people use — a byte-order mark and `;` for Norwegian Excel,
and the findings x links long format for R and pandas, read back with the csv module."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.graph.current import current_store
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
