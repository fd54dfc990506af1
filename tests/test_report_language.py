"""Issue 26: one language per page. `plangraf report --lang nb|en`: every page of a report in
Norwegian or in English, the sentences of the templates and the words for stored values alike
(yes/no, statuses, relation kinds, bases, paths, severities, cell titles). Each rendered page
is scanned for words of the other language once the data is taken out: what the graph holds
(names, titles, goals, quotes) and the validation messages stay as they are written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import SKOS

from plangraf.check.shacl import load_shapes, validate_graph
from plangraf.cli.main import main
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.outputs import heatmaps, language, report_text
from plangraf.outputs.report import collect, render
from plangraf.rdf.namespaces import PG

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATES = ROOT / "src" / "plangraf" / "outputs" / "templates"
# a sentence of the templates: t("…") or t('…')
T_CALL = re.compile(r"""\bt\((["'])(.*?)\1""")
WORD = re.compile(r"[^\W\d_]+")


def _words(texts) -> set[str]:
    """The words of ``texts`` (lower case, two letters or more), leaving out names with a
    slash (robhop/fylker-og-kommuner, pg:buildsOn/…), which are the same in both languages."""
    return {w.lower() for text in texts for w in WORD.findall(re.sub(r"\S*/\S*", " ", text)) if len(w) > 1}


NB_TEXTS = [
    *language.NB.values(),
    *report_text.EN,
    *report_text.NB.values(),
    *heatmaps.STATUS_TEXT["nb"].values(),
    *[w for words in heatmaps._CELL_WORDS["nb"] for w in ([words] if isinstance(words, str) else words)],
]
EN_TEXTS = [
    *language.EN.values(),
    *report_text.EN.values(),
    *report_text.NB,
    *heatmaps.STATUS_TEXT["en"].values(),
    *[w for words in heatmaps._CELL_WORDS["en"] for w in ([words] if isinstance(words, str) else words)],
]
# words only one language's texts use: the other language's pages must not show them
ONLY_NB, ONLY_EN = _words(NB_TEXTS) - _words(EN_TEXTS), _words(EN_TEXTS) - _words(NB_TEXTS)
# and the values the issue found in English on the Norwegian pages, and their Norwegian words
VALUES = {
    "nb": ["yes", "adopted", "in force", "in-force", "thematic", "coded", "Warning", "agree", "depends-on-coding"],
    "en": ["ja", "nei", "vedtatt", "i kraft", "tematisk", "koders lesning", "Advarsel", "stemmer", "funn", "kommune"],
}
# the key names the ids it explains, in parentheses: (explicit-reference), (basis coded), (no)
ID_MENTION = re.compile(r"\((?:basis )?[a-z]+(?:-[a-z]+)*\)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The report of tests/fixtures/provenance-study (two coders, stated and absent links,
    SHACL warnings) in both languages, and the data its pages show as it is written."""
    paths = Paths(root=ROOT, data=FIXTURES / "provenance-study")
    graph = build_graph(paths).union()
    validation = validate_graph(graph, load_shapes(paths.shapes))
    data = collect(graph, paths.queries, validation)
    # what the graph holds in words, but not the values the pages translate (statuses, relation
    # kinds, bases, …: concepts whose notation is such a value) nor the ontology's own labels
    coded = {c for c, n in graph.subject_objects(SKOS.notation) if str(n) in language.NB}
    written = {
        str(o)
        for s, _, o in graph
        if isinstance(o, Literal) and len(str(o)) > 1 and s not in coded and not str(s).startswith(str(PG))
    }
    written |= {m for issue in validation.issues for m in [issue.message, *(issue.messages or {}).values()]}
    return {lang: render(data, lang) for lang in ("nb", "en")} | {"data": sorted(written, key=len, reverse=True)}


def _page_text(html: str, data: list[str], lang: str) -> str:
    """What a reader of the page reads in its own words: the text, titles, labels and
    placeholders, without the data, the map's municipality names and the claims section
    (another part of the report, not yet in English)."""
    root = lxml.html.fromstring(html)
    # the map's municipality names; the lineage and timeline labels, cut to fit (their <title>s,
    # the whole label and the document's level and status, stay)
    drawn_names = "//*[@id='lineage-svg' or @id='timeline-svg']//*[local-name()='text']"
    for node in root.xpath(f"//style|//script|//*[local-name()='use']|{drawn_names}"):
        node.getparent().remove(node)
    if lang == "en":
        claims = root.xpath("//h2[@id='claims']")
        for node in claims + (list(claims[0].itersiblings()) if claims else []):
            node.getparent().remove(node)
    attributes = ("title", "aria-label", "placeholder", "data-matching")
    shown = [*root.itertext(), *(node.get(a) for node in root.iter() for a in attributes if node.get(a))]
    text = "\n".join(shown)  # each piece of text on a line of its own
    for value in data:
        if value in text:  # as a whole: a short label inside a word is left alone
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return ID_MENTION.sub(" ", re.sub(r"\S*/\S*", " ", text))  # and IRIs, paths (pgid:finding/…)


def test_every_sentence_of_the_templates_has_its_english(reports):
    said = {m.group(2) for path in TEMPLATES.glob("*.html") for m in T_CALL.finditer(path.read_text("utf-8"))}
    assert len(said) > 80
    assert sorted(said - set(report_text.EN)) == []
    for text in said:  # the same {fields} in both
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", report_text.EN[text])), text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_each_page_speaks_one_language(reports, lang):
    other = ONLY_EN if lang == "nb" else ONLY_NB
    assert {"yes", "adopted", "thematic", "warning"} <= ONLY_EN and {"ja", "vedtatt", "tematisk", "og"} <= ONLY_NB
    for name, html in reports[lang].items():
        assert f'<html lang="{lang}">' in html, name
        text = _page_text(html, reports["data"], lang)
        found = sorted({w for w in _words([text]) if w in other})
        assert found == [], (lang, name, found)
        for value in VALUES[lang]:
            assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), (lang, name, value)


def test_values_and_cells_in_the_pages_language(reports):
    """The ids stay in data- attributes; what the page shows is the language's word."""
    en, nb = reports["en"]["municipality-larvik.html"], reports["nb"]["municipality-larvik.html"]
    assert ">a coder&#39;s reading<" in en and ">koders lesning<" in nb
    assert "Digitalisation strategy as of 2020-09-01" in en and "Digitaliseringsstrategi per 2020-09-01" in nb
    index = reports["en"]["index.html"]
    assert "strongest relation explicit reference; path direct; basis stated in the source; 1 finding" in index
    assert "© Kartverket (CC BY 4.0), simplified by" in index
    assert "© Kartverket (CC BY 4.0), forenklet av" in reports["nb"]["index.html"]
    assert 'data-matching="findings match"' in reports["en"]["evidence.html"]


def test_report_command_takes_the_language(tmp_path):
    shutil.copytree(FIXTURES / "mini-study", tmp_path / "study")
    common = ["--data", str(tmp_path / "study"), "--build-dir", str(tmp_path / "build")]
    refused = CliRunner().invoke(main, ["report", *common, "--lang", "de"])
    assert refused.exit_code == 2 and "'de' is not one of 'nb', 'en'" in refused.output
    assert not (tmp_path / "build").exists()  # refused before any work
    result = CliRunner().invoke(main, ["report", *common, "--lang", "en", "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "report").glob("*.html"))
    assert len(pages) == 4 and all('<html lang="en">' in p.read_text("utf-8") for p in pages)
