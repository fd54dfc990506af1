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

from plangraf.answers.claims import check_claims
from plangraf.answers.matrix import cell_notation
from plangraf.answers.query import resolve_query, run_query
from plangraf.check.shacl import validate_graph
from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.outputs.report import collect, render, write_report
from plangraf.outputs.tables import format_table, study_tables

FIXTURE = Path(__file__).parent / "fixtures" / "provenance-study"
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
        # self-contained: no script, stylesheet, image or font is loaded from anywhere; the one
        # inline script (the evidence search, issue 26) reaches no network
        for marker in ('src="', "<script src", "<link", "@import", "url(http", "fetch(", "XMLHttpRequest", "import("):
            assert marker not in html, (page.name, marker)
        assert html.count("<script") == (page.name == "evidence.html"), page.name
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
        (
            unquote(a.get_attribute("href").split("#", 1)[1]),
            set(a.get_attribute("data-findings").split()),
            int(a.get_attribute("data-count")),
            a.get_attribute("data-status"),
        )
        for a in browser.find_elements(By.CSS_SELECTOR, "a.heat-link")
    ]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert len(links) == html.count('class="heat-link"') > 100
    # every cell names itself for screen readers and on hover
    for td in browser.find_elements(By.CSS_SELECTOR, "table.heat[data-heatmap] td.cell"):
        label = td.get_attribute("title")
        assert label and " – " in label, td.get_attribute("outerHTML")
        spoken = td.get_attribute("aria-label") or td.find_element(By.CSS_SELECTOR, "a").get_attribute("aria-label")
        assert spoken == label
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size > 10_000
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []

    expected = expected_cells(graph)
    browser.get((report_dir / "evidence.html").as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    for anchor, findings, count, status in links:
        section = browser.find_element(By.ID, anchor)
        shown = {li.get_attribute("data-finding") for li in section.find_elements(By.CSS_SELECTOR, "li[data-finding]")}
        assert shown == findings, anchor
        assert count == len(findings), anchor
        if not anchor.startswith("cell-egovwsf-") and status == "reflected":
            assert findings == expected[anchor], anchor
            # each row says relation, basis, coder (or cited section) and path
            for row in section.find_elements(By.CSS_SELECTOR, "tr.link"):
                assert row.get_attribute("data-relation") in {
                    "explicit-reference",
                    "verbatim",
                    "paraphrase",
                    "thematic",
                }
                assert row.get_attribute("data-path") in {"direct", "via-broader-goal", "via-implementation"}
                basis = row.get_attribute("data-basis")
                assert row.get_attribute("data-coder" if basis == "coded" else "data-cited"), anchor
    for page in report_dir.glob("municipality-*.html"):
        browser.get(page.as_uri())
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == [], page.name
        assert browser.find_element(By.TAG_NAME, "h1").text.endswith("kommune")


def test_tables_match_the_query_answers(graph, store, paths):
    tables = study_tables(graph, paths.queries, store=store)
    caption, columns, rows = tables["strategy-status"]
    answer = run_query(store, resolve_query("strategy-status", paths.queries))
    assert columns == answer.columns
    assert rows == [[r[c] if r[c] is not None else "" for c in columns] for r in answer.rows]
    caption, columns, rows = tables["coverage-meld-st-27"]
    coverage = run_query(store, resolve_query("guidance-coverage", paths.queries)).rows
    cells = {
        (r["municipality"], r["guidance"]): cell_notation(r["status"], r["strongest_relation"], r["path"], r["basis"])
        for r in coverage
    }
    for row in rows:
        for column, value in zip(columns[1:], row[1:], strict=True):
            assert value == cells[(row[0], column)], (row[0], column)
    assert "† reached only through a goal that implements it" in caption
    as_csv = list(csv.reader(io.StringIO(format_table(caption, columns, rows, "csv"))))
    assert as_csv[0] == columns and len(as_csv) == 11
    markdown = format_table(caption, columns, rows, "markdown")
    assert markdown.splitlines()[2].startswith("| municipality | Brukeren i sentrum")
    latex = format_table("A & B_1", ["x"], [["50%"]], "latex")
    assert r"\caption{A \& B\_1}" in latex and r"50\% \\" in latex


def test_tables_command(tmp_path):
    result = CliRunner().invoke(main, ["tables", "--format", "markdown", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "coverage-egovwsf.md",
        "coverage-en-digital-offentlig-sektor.md",
        "coverage-ks-digitaliseringsstrategi.md",
        "coverage-meld-st-27.md",
        "strategy-status.md",
    ]


@pytest.fixture(scope="module")
def fixture_report(root, paths, tmp_path_factory) -> Path:
    """The report of tests/fixtures/provenance-study: a stated link, two coders, a
    via-implementation reflection, absent links and elements."""
    graph = build_graph(Paths(root=root, data=FIXTURE)).union()
    out = tmp_path_factory.mktemp("fixture-report") / "report"
    write_report(render(collect(graph, paths.queries)), out)
    return out


def _rgb(css: str) -> tuple[float, ...]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' -> channels 0..1 (alpha ignored)."""
    return tuple(float(v) / 255 for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def _luminance(css: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_heatmap_cells_show_strength_path_basis_and_no(browser, fixture_report):
    from selenium.webdriver.common.by import By

    browser.get((fixture_report / "index.html").as_uri())
    table = browser.find_element(By.CSS_SELECTOR, 'table.heat[data-heatmap="meld-st-27"]')
    cells = {
        (tr.find_element(By.TAG_NAME, "th").text, i): td
        for tr in table.find_elements(By.TAG_NAME, "tr")[1:]
        for i, td in enumerate(tr.find_elements(By.CSS_SELECTOR, "td.cell"))
    }

    def style(td, prop: str) -> str:
        return browser.execute_script("return getComputedStyle(arguments[0])[arguments[1]]", td, prop)

    stated, implemented, absent = cells[("Larvik", 0)], cells[("Larvik", 1)], cells[("Larvik", 2)]
    coded, unexamined = cells[("Tønsberg", 4)], cells[("Tønsberg", 0)]
    assert stated.text == "E" and "basis-stated" in stated.get_attribute("class")
    assert style(stated, "boxShadow") != "none"  # the frame of a link the source states
    assert implemented.text == "T†*" and "repeating-linear-gradient" in style(implemented, "backgroundImage")
    assert coded.text == "E*" and style(coded, "boxShadow") == "none"
    assert style(coded, "backgroundImage") == "none"
    assert absent.text == "no" and unexamined.text == ""
    assert style(absent, "backgroundColor") != style(unexamined, "backgroundColor")
    label = implemented.get_attribute("title")
    # in Norwegian throughout (issue 26): the stored ids are in the data- attributes only
    for word in ("Larvik", "IKT er en vesentlig", "gjenspeilet", "tematisk", "via et mål som gjennomfører", "koders"):
        assert word in label
    assert "ikke undersøkt" in unexamined.get_attribute("aria-label")
    assert "undersøkt, ikke funnet" in absent.get_attribute("title")
    # greyscale: the shade alone orders the relations (darker is stronger), and every letter
    # keeps a contrast of at least 4.5:1 against its cell
    legend = browser.find_elements(By.CSS_SELECTOR, "#heat-legend td.cell")
    shades = {td.text: _luminance(style(td, "backgroundColor")) for td in legend[:4]}
    assert list(shades) == ["E", "V", "P", "T"]
    assert shades["E"] < shades["V"] < shades["P"] < shades["T"]
    for td in legend + list(cells.values()):
        if td.text:
            inner = td.find_element(By.CSS_SELECTOR, "a, span")
            assert _contrast(style(inner, "color"), style(td, "backgroundColor")) >= 4.5, td.text


def test_evidence_and_municipality_pages_name_basis_coder_and_path(browser, fixture_report):
    from selenium.webdriver.common.by import By

    browser.get((fixture_report / "index.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, 'a.heat-link[data-status="no"]')
    anchor = unquote(link.get_attribute("href").split("#", 1)[1])
    browser.get((fixture_report / "evidence.html").as_uri())

    def rows(section_id: str) -> set[tuple[str, ...]]:
        section = browser.find_element(By.ID, section_id)
        return {
            tuple(tr.get_attribute(a) for a in ("data-relation", "data-basis", "data-coder", "data-cited", "data-path"))
            for tr in section.find_elements(By.CSS_SELECTOR, "tr.link")
        }

    assert rows("cell-meld-st-27-larvik-meld-st-27--brukeren-i-sentrum") == {
        ("explicit-reference", "stated", "", "4.4", "direct"),
        ("paraphrase", "coded", "Bjørn Koder", "", "direct"),
        ("thematic", "coded", "Anna Koder", "", "direct"),
    }
    assert rows("cell-meld-st-27-larvik-meld-st-27--ikt-innovasjon-produktivitet") == {
        ("thematic", "coded", "Anna Koder", "", "via-implementation")
    }
    # a "no" cell links to the finding that records the absence
    assert anchor == "cell-meld-st-27-larvik-meld-st-27--digital-kompetanse-deltakelse"
    assert rows(anchor) == {("absent", "coded", "Anna Koder", "", "")}
    stated = browser.find_element(By.ID, "cell-meld-st-27-larvik-meld-st-27--brukeren-i-sentrum")
    assert "kilden, 4.4" in stated.text and "kodet av Anna Koder" in stated.text
    browser.get((fixture_report / "municipality-larvik.html").as_uri())
    visjon = browser.find_element(By.ID, "finding-prov-larvik-visjon")
    assert visjon.get_attribute("data-coder") == "Anna Koder"
    assert "Bjørn Koder" in visjon.text and "kilden, 4.4" in visjon.text
    suggested = browser.find_element(By.ID, "finding-prov-larvik-ks")
    assert "reuse-shingles 0.91" in suggested.text and "fraværende" in suggested.text  # relation absent, in Norwegian


def test_map_and_evidence_search_in_chromium(browser, fixture_report):
    """Issue 26: a map of the municipalities (inline SVG, attribution on it, no network) and a
    search box that filters the evidence page."""
    from selenium.webdriver.common.by import By

    browser.get((fixture_report / "index.html").as_uri())
    svg = browser.find_element(By.ID, "map-svg")
    assert svg.size["width"] > 600 and svg.size["height"] > 150
    studied = browser.find_elements(By.CSS_SELECTOR, "#map-svg use.in-study")
    names = {u.get_attribute("data-municipality") for u in studied}
    assert names == {"Larvik", "Tønsberg"} and len(studied) == 2 * 2 * len(names)  # two maps, overview and detail
    for use in studied:
        assert use.size["width"] > 0  # drawn: the shape was found by its number on the study date
    assert "Kartverket (CC BY 4.0)" in browser.find_element(By.CSS_SELECTOR, "#map-svg text.attribution").text
    assert not browser.find_elements(By.CSS_SELECTOR, "[src^=http], link[href^=http]")  # nothing fetched

    browser.get((fixture_report / "evidence.html").as_uri())
    items = browser.find_elements(By.CSS_SELECTOR, "li[data-finding]")
    box = browser.find_element(By.ID, "evidence-search")
    box.send_keys("Tønsberg")
    shown = [li for li in items if li.is_displayed()]
    assert 0 < len(shown) < len(items)
    assert all("Tønsberg" in li.text for li in shown)
    assert browser.find_element(By.ID, "evidence-count").text == f"{len(shown)} funn passer"
    box.clear()
    box.send_keys(" ")  # an empty search shows everything again
    assert all(li.is_displayed() for li in items[:5])


def test_claims_show_the_rule_behind_each_verdict(report_dir):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert 'data-compare="at-least">minst ' in html and 'data-compare="exactly">nøyaktig ' in html
    assert ">stemmer<" in html and ">agree<" not in html


def test_lineage_diagram_is_parseable_svg_with_every_document(fixture_report, graph):
    """Issue 26: the lineage diagram laid out by Graphviz, not hand-placed: an SVG that parses
    as XML, a box for every guidance document and an edge for every link between them."""
    from defusedxml import ElementTree

    from plangraf.outputs.lineage import lineage_graph

    assert shutil.which("dot"), "Graphviz's dot is needed (scripts/test installs the Debian package graphviz)"
    html = (fixture_report / "index.html").read_text(encoding="utf-8")
    start = html.index('<svg id="lineage-svg"')
    svg = ElementTree.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])
    assert svg.get("data-layout") == "graphviz"
    drawn = {g.get("data-guidance"): g.findtext("title") for g in svg.iter("g") if g.get("class") == "node"}
    docs, edges = lineage_graph(graph)
    assert set(drawn) == {str(d).rsplit("/", 1)[-1] for d in docs} and len(drawn) > 10
    assert "Digitaliseringsrundskrivet (H-7/17)" in drawn.values()
    paths = [p for p in svg.iter("path") if "edge" in (p.get("class") or "")]
    assert len(paths) == len(edges) and {p.get("class") for p in paths} == {"edge builds-on", "edge edition-of"}


def test_ontology_page_fits_a_1400_px_window_in_chromium(browser, tmp_path):
    """Issue 26: the release's pyLODE page was 1,767 px wide in a 1,400 px window (examples in
    <pre> lines that do not wrap) and glued nb and en labels together."""
    from plangraf.outputs.publish import ontology_html

    page = tmp_path / "ontology.html"
    page.write_text(ontology_html(Path(__file__).resolve().parents[1] / "ontology" / "plangraf.ttl"), encoding="utf-8")
    try:
        for width in (1400, 1000):
            browser.set_window_size(width, 900)
            browser.get(page.as_uri())
            inner, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
            assert scroll <= inner, (width, inner, scroll)
        text = browser.execute_script("return document.body.innerText")
        assert "guidance item" in text and "Plan- og bygningsloven § 11-1" in text  # examples still shown
        assert "føringselement" not in text and "plangraf-ontologien" not in text
    finally:
        browser.set_window_size(1280, 1800)
