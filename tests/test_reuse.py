"""The reuse measure: Norwegian stems, aligned spans and their classes, and the study's own reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphs import store_for
from plangraf.cli.main import main
from plangraf.reuse.align import align, classify
from plangraf.reuse.corpus import edition_year, national_document_id, read_national_texts
from plangraf.reuse.index import build_index, seeds
from plangraf.reuse.measure import measure, measure_study
from plangraf.reuse.normalise import FUNCTION_WORDS, clean_text, stem, tokens
from plangraf.reuse.seq import TokSeq

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "reference" / "guidance-texts"
needs_texts = pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/reference/guidance-texts not present")


@pytest.mark.parametrize(
    "forms",
    [
        ("innbyggere", "innbyggerne", "innbygger"),
        ("næringsliv", "næringslivet"),
        ("tjenester", "tjenestene"),
        ("kommune", "kommunen", "kommunene", "kommuner"),
        ("digital", "digitale"),
    ],
)
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(f) for f in forms}) == 1


@pytest.mark.parametrize("pair", [("tjeneste", "teknologi"), ("god", "gir"), ("innbygger", "innovasjon")])
def test_different_words_keep_different_stems(pair):
    assert stem(pair[0]) != stem(pair[1])


def test_clean_text_joins_soft_hyphens_and_keeps_name_compounds():
    assert clean_text("digitali-\nsering  og\t IKT-\nStrategi\n\n\n\nslutt") == (
        "digitalisering og IKT-Strategi\n\nslutt\n"
    )


def _reuse(a: str, b: str, min_words: int = 5) -> list[tuple[str, str]]:
    pa, pb = TokSeq.of(a), TokSeq.of(b)
    found = seeds(pa, build_index([pb])).get(0, [])
    return [
        (classify(s, pa, pb), a[pa.starts[s.a_start] : pa.ends[s.a_end - 1]])
        for s in align(pa, pb, found, min_words)
        if classify(s, pa, pb)
    ]


def test_the_compact_tokens_are_the_tokens():
    text = "Innbyggerne og NÆRINGSLIVET: digitale tjenester, e-post og IKT-strategi 2017–2020."
    seq = TokSeq.of(text)
    assert [(t.start, t.end, t.norm, t.stem) for t in tokens(text)] == list(
        zip(seq.starts, seq.ends, seq.norms, seq.stems, strict=True)
    )


def test_identical_after_case_and_punctuation_is_verbatim():
    national = "Noe annet først. Digitalisering handler om å bruke teknologi til å fornye, forenkle og forbedre."
    municipal = "Vi mener: digitalisering handler om å bruke teknologi til å fornye forenkle og forbedre!"
    assert _reuse(municipal, national) == [
        ("verbatim", "digitalisering handler om å bruke teknologi til å fornye forenkle og forbedre")
    ]


def test_inflection_and_a_dropped_function_word_is_near_verbatim():
    opening = "Gode og tilgjengelige digitale tjenester styrker dialogen med "
    national = opening + "innbyggere og næringsliv og gir gode lokalsamfunn."
    municipal = opening + "innbyggerne, næringslivet og gir gode lokalsamfunn."
    assert [c for c, _ in _reuse(municipal, national)] == ["near-verbatim"]


NATIONAL = (
    "Kommunal sektor skal gjennom gode og sammenhengende digitale tjenester bidra til helhetlige og gode "
    "tjenestetilbud for innbyggere, ansatte, frivillige og private virksomheter i hele landet."
)
CONTENT = [k for k, w in enumerate(NATIONAL.split()) if w.strip(".,").lower() not in FUNCTION_WORDS]


def _edited(n: int) -> str:
    """NATIONAL with the 2nd, 4th, … content word replaced by another word (n ≤ 7: never the last word)."""
    words = NATIONAL.split()
    for done, k in enumerate(CONTENT[1::2][:n]):
        words[k] = f"ord{done}x" + ("," if words[k].endswith(",") else "")
    return " ".join(words)


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (0, "verbatim"),
        (3, "near-verbatim"),
        (4, "near-verbatim"),
        (5, "paraphrase-candidate"),
        (6, "paraphrase-candidate"),
    ],
)
def test_classes_at_the_edit_thresholds(edits, expected):
    """16 content words: 4 edited (0.25) is still near-verbatim, 5 (0.31) a paraphrase-candidate, 6 (0.375) too."""
    from plangraf.reuse.align import NEAR_VERBATIM_EDITS, PARAPHRASE_EDITS

    assert len(CONTENT) == 16 and NEAR_VERBATIM_EDITS == 0.25 and PARAPHRASE_EDITS == 0.4
    found = _reuse(f"Innledning her. {_edited(edits)} Slutt.", NATIONAL)
    assert [c for c, _ in found] == [expected]
    assert found[0][1].startswith("Kommunal ") and found[0][1].endswith(" hele landet")


def test_beyond_the_paraphrase_threshold_is_not_reuse():
    assert _reuse(_edited(7), NATIONAL) == []  # 7 of 16 (0.44)


def test_a_changed_name_in_a_copy_is_near_verbatim():
    opening, ending = (
        "Teknologiutvikling og digitalisering er en drivkraft for hvordan ",
        " organiserer, utvikler og leverer tjenester til innbyggerne.",
    )
    national = opening + "kommunal sektor" + ending
    municipal = opening + "Porsgrunn kommune" + ending
    assert [c for c, _ in _reuse(municipal, national)] == ["near-verbatim"]


def test_inflected_and_edited_copy_with_page_furniture_is_one_span():
    cut = NATIONAL.index("innbyggere")
    municipal = (
        NATIONAL[:cut].replace("tjenester ", "tjenestene ").replace("gode og", "ord1x og")
        + "\n\nSide 4 av 12\nPorsgrunn kommune – Handlingsplan 2020–2023\n\n"
        + NATIONAL[cut:]
    )
    found = _reuse(municipal, NATIONAL)
    assert [c for c, _ in found] == ["near-verbatim"]
    assert "Side 4 av 12" in found[0][1]


def test_a_paraphrase_is_not_a_copy():
    """The Meld. St. 27 case: the same message in the municipality's own words is not reuse."""
    national = (
        "Regjeringen har høye ambisjoner om å fornye, forenkle og forbedre offentlig sektor, samtidig som "
        "innbyggere og næringsliv har forventninger om en enklere hverdag. Bruk av IKT og bevisst utnyttelse "
        "av digitaliseringens muligheter gjør at vi kan oppnå begge deler."
    )
    municipal = (
        "Kommunen vil bruke digitale verktøy for å gjøre hverdagen enklere for dem som bor og driver "
        "næring her, og regjeringens mål om en enklere og bedre offentlig sektor ligger til grunn for "
        "arbeidet. Slik kan vi møte forventningene fra innbyggere og næringsliv."
    )
    assert [c for c, _ in _reuse(municipal, national, min_words=8) if c in ("verbatim", "near-verbatim")] == []


def test_unrelated_text_and_short_overlaps_are_not_reuse():
    national = "Digitalisering handler om å bruke teknologi til å fornye, forenkle og forbedre."
    assert _reuse("Kommunen skal bygge en ny skole i sentrum innen 2024.", national) == []
    assert _reuse("Vi vil bruke teknologi til å bygge skoler.", national, min_words=5) == []


def test_edition_markers():
    assert edition_year("Rundskriv | Dato: 19.12.2018\nNr:\nH-8/18\n") == 2018
    assert edition_year("Rundskrivet erstatter rundskriv H-8/18, og gjelder") == 2019
    assert edition_year("Rundskrivet erstatter rundskriv H-09/16, og gjelder") == 2017
    assert edition_year("Ingen nummer her") is None


def test_national_document_from_file_name():
    known = {"meld-st-27", "digi-rogaland-strategi", "ks-digitaliseringsstrategi"}
    assert national_document_id("meld-st-27-2015-2016", known) == "meld-st-27"
    assert national_document_id("digi-rogaland", known) == "digi-rogaland-strategi"
    assert national_document_id("related-official-pages", known) == "related-official-pages"


@needs_texts
def test_rundskriv_editions_are_read_from_the_texts():
    editions = {p.edition for p in read_national_texts(TEXTS, {"digitaliseringsrundskrivet"})}
    assert {
        "digitaliseringsrundskrivet-2017",
        "digitaliseringsrundskrivet-2018",
        "digitaliseringsrundskrivet-2019",
        "digitaliseringsrundskrivet-2021",
    } <= editions


@pytest.fixture(scope="module")
def study_reuse():
    return measure_study(ROOT, ROOT / "data" / "study-2020", TEXTS if TEXTS.is_dir() else None)


def test_porsgrunn_restates_the_ks_vision_near_verbatim(study_reuse):
    rows = [
        r
        for r in study_reuse
        if r.document == "porsgrunn-handlingsplan-2020-2023" and r.goal == "ks-digitaliseringsstrategi/visjon"
    ]
    assert len(rows) == 1
    row = rows[0]
    assert (row.municipality, row.national_document, row.reuse_class) == (
        "porsgrunn",
        "ks-digitaliseringsstrategi",
        "near-verbatim",
    )
    assert row.passage.startswith("Gode og tilgjengelige") and row.passage.endswith("gir gode lokalsamfunn")
    assert row.words == 14 and row.score > 0.9


def test_haugesund_restates_the_rundskriv_verbatim(study_reuse):
    rows = [r for r in study_reuse if r.document == "haugesund-budsjett-okonomiplan-2020"]
    # one passage, one finding (4.3.1 and 5.8 quote the same sentence; issue 10's audit merged them)
    assert {r.finding for r in rows} == {"haugesund-budsjett-okonomiplan-2020-digitalisering"}
    for row in rows:
        assert row.reuse_class == "verbatim"
        assert row.passage == "Digitalisering handler om å bruke teknologi til å fornye, forenkle og forbedre"
        assert row.national_document == "digitaliseringsrundskrivet"
        assert row.goal == "digitaliseringsrundskrivet/fornye-forenkle-forbedre"


@needs_texts
def test_haugesund_matches_the_editions_before_its_2020_budget(study_reuse):
    row = next(r for r in study_reuse if r.finding == "haugesund-budsjett-okonomiplan-2020-digitalisering")
    assert row.editions == [
        "digitaliseringsrundskrivet-2017",
        "digitaliseringsrundskrivet-2018",
        "digitaliseringsrundskrivet-2019",
    ]
    assert row.edition == "digitaliseringsrundskrivet-2019"  # the edition in force for 2020
    assert row.national_source.startswith("https://")


def test_no_span_below_the_minimum(study_reuse):
    assert study_reuse and all(r.words >= 8 for r in study_reuse)
    rows = measure_study(ROOT, ROOT / "data" / "study-2020", None, min_words=13)
    assert all(r.words >= 13 for r in rows)
    assert not any(r.document == "haugesund-budsjett-okonomiplan-2020" for r in rows)


def test_measure_refuses_a_tiny_minimum():
    from plangraf.core.errors import PlangrafError

    with pytest.raises(PlangrafError, match="at least 3 words"):
        measure([], [], min_words=2)


def test_cli_reuse_json_and_csv():
    result = CliRunner().invoke(main, ["reuse", "--no-texts", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["reuse_class"] for r in rows} >= {"verbatim", "near-verbatim"}
    csv_out = CliRunner().invoke(main, ["reuse", "--no-texts", "--format", "csv"]).output
    assert csv_out.splitlines()[0].startswith("municipality,document,finding,national_document,edition,reuse_class")
    assert len(csv_out.splitlines()) == len(rows) + 1


def test_cli_reuse_missing_texts_folder_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["reuse", "--texts", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {tmp_path / 'nope'}: national texts folder not found"]


def test_planted_copies_are_found(tmp_path):
    import importlib.util

    from plangraf.core.paths import Paths
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.reuse.measure import national_corpus
    from plangraf.reuse.plant import plant_copies
    from plangraf.study.synth import synthesize

    paths = Paths(root=ROOT)
    synthesize(4, 7, tmp_path, load_reference(paths, load_ontology(paths)))
    national = [(p.document, p.text) for p in national_corpus(paths.reference, None)[0]]
    truth = plant_copies(tmp_path, national, 1.0, 7)
    assert truth and json.loads((tmp_path / "texts" / "planted.json").read_text(encoding="utf-8")) == truth
    spec = importlib.util.spec_from_file_location("bench_reuse", ROOT / "bench" / "reuse.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.score(measure_study(ROOT, tmp_path, None), truth, 12)
    assert result["planted_copies"] > 5
    assert result["recall"] >= 0.95 and result["precision"] >= 0.95


def test_shipped_reuse_ttl_is_what_reuse_measures_now(tmp_path):
    """data/study-2020/reuse.ttl is `plangraf reuse --no-texts --write`; it must not go stale."""
    from plangraf.reuse.corpus import known_documents, load_reference
    from plangraf.reuse.rdf import reuse_graph

    study = ROOT / "data" / "study-2020"
    rows = measure_study(ROOT, study, None)
    fresh = reuse_graph(rows, known_documents(load_reference(ROOT / "data" / "reference")))
    from rdflib import Graph

    from graphs import same_graph

    shipped = Graph().parse(study / "reuse.ttl", format="turtle")
    assert same_graph(shipped, fresh)


def test_reuse_query_on_the_study(store):
    from plangraf.answers.query import resolve_query, run_query

    rows = run_query(store, resolve_query("reuse", ROOT / "queries"), {}).rows
    # one Haugesund passage (4.3.1 and 5.8 quote the same sentence; one finding since issue 10's audit)
    assert [(r["municipality"], r["class"], r["words"]) for r in rows] == [
        ("Haugesund", "verbatim", 12),
        ("Porsgrunn", "near-verbatim", 14),
    ]
    assert rows[1]["national_document"] == "Digitaliseringsstrategi for kommuner og fylkeskommuner 2017–2020"
    assert rows[1]["passage"].endswith("innbyggerne, næringslivet og gir gode lokalsamfunn")
    assert rows[1]["national_passage"].endswith("innbyggere og næringsliv og gir gode lokalsamfunn")
    assert rows[0]["national_document"] == "Digitaliseringsrundskrivet" and rows[0]["edition"] == ""


@needs_texts
def test_reuse_query_names_the_edition_when_written_with_the_texts(tmp_path):
    import shutil

    from plangraf.answers.query import resolve_query, run_query
    from plangraf.core.paths import Paths
    from plangraf.graph.build import build_graph

    study = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", study)
    result = CliRunner().invoke(main, ["reuse", "--data", str(study), "--texts", str(TEXTS), "--write"])
    assert result.exit_code == 0, result.output
    graph = build_graph(Paths(root=ROOT, data=study)).union()
    rows = run_query(store_for(graph), resolve_query("reuse", ROOT / "queries"), {}).rows
    haugesund = [r for r in rows if r["municipality"] == "Haugesund"]
    assert haugesund and {r["edition"] for r in haugesund} == {"digitaliseringsrundskrivet-2019"}
    assert any(r["class"] == "paraphrase-candidate" and r["municipality"] == "Porsgrunn" for r in rows)


def test_shared_words_are_marked():
    from plangraf.outputs.report_reuse import marked

    parts = marked("dialogen med innbyggerne, næringslivet", "dialogen med innbyggere og næringsliv")
    assert "".join(text for text, _ in parts) == "dialogen med innbyggerne, næringslivet"
    assert [text for text, shared in parts if shared] == ["dialogen", "med", "innbyggerne", "næringslivet"]
    assert not any(shared for _, shared in marked("helt annen tekst", "dialogen med innbyggere"))


def test_report_has_the_reuse_section_side_by_side(tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="reuse-table"') : html.index('id="claims"')]
    assert section.count("<tr>") == 3  # header + the two measured spans (one Haugesund passage since the audit)
    assert "<mark>innbyggerne</mark>, <mark>næringslivet</mark>" in section
    assert "<mark>innbyggere</mark> <mark>og</mark> <mark>næringsliv</mark>" in section


@needs_texts
def test_a_title_only_note_is_a_citation_and_adds_no_klipp_og_lim_municipality(tmp_path):
    import shutil

    from plangraf.reuse.measure import COUNTED

    study = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", study)

    def ks_municipalities() -> set[str]:
        rows = measure_study(ROOT, study, TEXTS)
        return {
            r.municipality
            for r in rows
            if r.reuse_class in COUNTED and r.national_document == "ks-digitaliseringsstrategi"
        }

    before = ks_municipalities()
    note = tmp_path / "note.txt"
    note.write_text("Strategien bygger på KS' digitaliseringsstrategi for kommuner og fylkeskommuner 2017–2020.\n")
    document = "karmoy-ikt-digitaliseringsstrategi"  # of a municipality not counted; no quoted findings
    assert before and "karmoy" not in before
    result = CliRunner().invoke(main, ["ingest", str(note), "--data", str(study), "--document", document])
    assert result.exit_code == 0, result.output
    rows = [r for r in measure_study(ROOT, study, TEXTS) if r.document == document]
    assert [(r.reuse_class, r.citation) for r in rows] == [("citation", "title")]
    assert ks_municipalities() == before
    table = CliRunner().invoke(main, ["reuse", "--data", str(study), "--texts", str(TEXTS)]).output
    reuse_part, citations = table.split("Citations (not counted as reuse):")
    assert document not in reuse_part and document in citations and " title " in citations


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Referanser\n\nKS (2016). Noe. Gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere.",
            "reference",
        ),
        ("KS (2016). Gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere. Oslo: KS.", "reference"),
        (
            "Som KS skriver: «Gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere» i strategien.",
            "quotation",
        ),
        ("«Gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere» (KS 2016, s. 4).", "quotation"),
        ("Vi mener at gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere i kommunen.", ""),
        ("Vi sier «gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere» uten kilde.", ""),
    ],
)
def test_references_and_quotations_with_a_source_are_citations(text, kind):
    from plangraf.reuse.citation import Titles, citation_kind, reference_list_start

    national = "Gode og tilgjengelige digitale tjenester styrker dialogen med innbyggere og næringsliv."
    seq = TokSeq.of(text)
    spans = align(seq, TokSeq.of(national), seeds(seq, build_index([TokSeq.of(national)]))[0], 8)
    assert len(spans) == 1
    assert citation_kind(text, seq, spans[0].pairs, Titles.of(set()), 8, reference_list_start(text)) == kind
