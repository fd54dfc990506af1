"""The HTML report, checked in a real headless Chromium; tables for papers; the claims check."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from plangraf.claims import check_claims
from plangraf.cli import main
from plangraf.query import resolve_query, run_query
from plangraf.report import collect, render, write_report
from plangraf.tables import format_table, study_tables
from plangraf.validate import validate_graph

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def report_dir(graph, paths, shapes, tmp_path_factory) -> Path:
    validation = validate_graph(graph, shapes)
    claims = check_claims(graph, paths.study / "claims.yaml", paths.queries)
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(render(collect(graph, paths.queries, validation, claims)), out)
    return out


def expected_cells(graph) -> dict[str, set[str]]:
    """(heatmap anchor) -> finding ids, computed straight from the graph."""
    rows = graph.query(
        """PREFIX pg: <https://w3id.org/plangraf/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?doc ?m ?goal ?finding WHERE {
          ?f pg:reflects ?g ; pg:inDocument/pg:owner/dcterms:identifier ?m ; dcterms:identifier ?finding .
          ?g pg:statedIn ?gd .
          BIND (STRAFTER(STR(?gd), "/id/guidance/") AS ?doc)
          BIND (STRAFTER(STR(?g), "/id/guidance/") AS ?goal)
        }"""
    )
    cells: dict[str, set[str]] = {}
    for doc, m, goal, finding in rows:
        anchor = "cell-" + "-".join(str(p).replace("/", "--") for p in (doc, m, goal))
        cells.setdefault(anchor, set()).add(str(finding))
    return cells


def test_report_files_and_atomic_replacement(report_dir, tmp_path):
    names = sorted(p.name for p in report_dir.iterdir())
    assert "index.html" in names and "evidence.html" in names
    assert len([n for n in names if n.startswith("municipality-")]) == 10
    for page in report_dir.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        # self-contained: no script, stylesheet, image or font is loaded from anywhere
        for marker in ('src="', "<script", "<link", "@import", "url(http"):
            assert marker not in html, (page.name, marker)
    copy = tmp_path / "report"
    shutil.copytree(report_dir, copy)
    report_dir = copy
    # replacing: a second write swaps the folder; nothing is left beside it
    write_report({"index.html": "new"}, report_dir)
    assert (report_dir / "index.html").read_text() == "new"
    assert [p.name for p in report_dir.parent.iterdir()] == ["report"]
    # a failing write leaves the previous report whole
    with pytest.raises(TypeError):
        write_report({"index.html": "newer", "broken.html": None}, report_dir)
    assert (report_dir / "index.html").read_text() == "new"
    assert [p.name for p in report_dir.parent.iterdir()] == ["report"]


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Chromium and ChromeDriver are needed (scripts/test installs them from Debian packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not download anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1800",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_report_in_chromium(browser, report_dir, graph, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get((report_dir / "index.html").as_uri())
    assert "nasjonale føringer" in browser.title or browser.find_element(By.TAG_NAME, "h1").text
    links = [
        (unquote(a.get_attribute("href").split("#", 1)[1]), set(a.get_attribute("data-findings").split()), a.text)
        for a in browser.find_elements(By.CSS_SELECTOR, "a.heat-link")
    ]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert len(links) == html.count('class="heat-link"') > 100
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []

    expected = expected_cells(graph)
    browser.get((report_dir / "evidence.html").as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    for anchor, findings, label in links:
        section = browser.find_element(By.ID, anchor)
        shown = {li.get_attribute("data-finding") for li in section.find_elements(By.CSS_SELECTOR, "li[data-finding]")}
        assert shown == findings, anchor
        assert int(label) == len(findings), anchor
        if not anchor.startswith("cell-egovwsf-"):
            assert findings == expected[anchor], anchor
    for page in report_dir.glob("municipality-*.html"):
        browser.get(page.as_uri())
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == [], page.name
        assert browser.find_element(By.TAG_NAME, "h1").text.endswith("kommune")


def test_tables_match_the_query_answers(graph, paths):
    tables = study_tables(graph, paths.queries)
    caption, columns, rows = tables["strategy-status"]
    answer = run_query(graph, resolve_query("strategy-status", paths.queries))
    assert columns == answer.columns
    assert rows == [[r[c] if r[c] is not None else "" for c in columns] for r in answer.rows]
    caption, columns, rows = tables["coverage-meld-st-27"]
    reflected = run_query(graph, resolve_query("reflected-guidance", paths.queries)).rows
    counts = {
        (r["municipality"], r["guidance"]): r["findings"]
        for r in reflected
        if r["guidance_document"].startswith("Digital agenda for Norge")
    }
    for row in rows:
        for column, value in zip(columns[1:], row[1:], strict=True):
            assert value == counts.get((row[0], column), 0), (row[0], column)
    as_csv = list(csv.reader(io.StringIO(format_table(caption, columns, rows, "csv"))))
    assert as_csv[0] == columns and len(as_csv) == 11
    markdown = format_table(caption, columns, rows, "markdown")
    assert markdown.splitlines()[2].startswith("| municipality | Brukeren i sentrum")
    latex = format_table("A & B_1", ["x"], [["50%"]], "latex")
    assert r"\caption{A \& B\_1}" in latex and r"50\% \\" in latex


def test_tables_and_claims_commands(tmp_path):
    result = CliRunner().invoke(main, ["tables", "--format", "markdown", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "coverage-egovwsf.md",
        "coverage-en-digital-offentlig-sektor.md",
        "coverage-ks-digitaliseringsstrategi.md",
        "coverage-meld-st-27.md",
        "strategy-status.md",
    ]
    claims = CliRunner().invoke(main, ["claims", "-f", "csv"])
    assert claims.exit_code == 0, claims.output
    rows = {r["claim"]: r for r in csv.DictReader(io.StringIO(claims.output.split("\n\n")[0]))}
    # 4.4 says two municipalities have coordination structures; 4.3 describes three
    assert rows["coordination-4.4"]["stated"] == "2"
    assert rows["coordination-4.4"]["computed"] == "3"
    assert rows["coordination-4.4"]["verdict"] == "disagree"
    assert rows["coordination-4.4"]["municipalities"] == "Porsgrunn; Sandnes; Tønsberg"
    assert rows["developing-4.4"]["verdict"] == "agree"
    assert rows["developing-4.4"]["municipalities"] == "Haugesund; Karmøy; Tønsberg"
    assert rows["fund-5.5"]["verdict"] == "agree"
    assert "4 agree, 10 disagree, 0 error(s)." in claims.output


def test_a_broken_claim_is_named_and_the_others_still_run(tmp_path, paths):
    bad = tmp_path / "claims.yaml"
    text = (paths.study / "claims.yaml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace("query: coordination-structures\n    note:", "query: coordination-structure\n    note:", 1)
    )
    result = CliRunner().invoke(main, ["claims", "--file", str(bad)])
    assert result.exit_code == 2
    assert "claim coordination-4.4: no shipped query named 'coordination-structure'" in result.output
    assert "developing-4.4" in result.output and "1 error(s)" in result.output
