"""suggest -> review -> accept, end to end on a copy of the study."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plangraf.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FINDING = "porsgrunn-handlingsplan-2020-2023-digitalisering"
VISION = f"{FINDING}--ks-digitaliseringsstrategi/visjon"
CODER = "reviewer"  # a second coder, added to the copied study: the encoders already coded this passage


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def links(study: Path, finding: str = FINDING) -> list[dict]:
    data = yaml.safe_load((study / "porsgrunn.yaml").read_text(encoding="utf-8"))
    for doc in data["documents"]:
        for f in doc["findings"]:
            if f["id"] == finding:
                return f["reflects"]
    raise AssertionError(finding)


@pytest.fixture
def study(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(ROOT / "data" / "study-2020", folder)
    study_file = folder / "study.yaml"
    text = study_file.read_text(encoding="utf-8")
    study_file.write_text(text.replace("coders:\n", "coders:\n  - id: reviewer\n    name: A Reviewer\n", 1), "utf-8")
    return folder


@pytest.fixture
def suggested(study):
    result = run("suggest", "--data", str(study), "--no-texts")
    assert result.exit_code == 0, result.output
    return study / "review" / "reuse-suggestions.yaml"


def entries(review_file: Path) -> dict[str, dict]:
    return {e["id"]: e for e in yaml.safe_load(review_file.read_text(encoding="utf-8"))["suggestions"]}


def test_suggest_writes_suggested_links_and_a_review_file(study, suggested):
    entry = entries(suggested)[VISION]
    assert (entry["class"], entry["how"], entry["method"], entry["decision"]) == (
        "near-verbatim",
        "verbatim",
        "reuse-align-v2",
        "pending",
    )
    assert entry["passage"].startswith("Gode og tilgjengelige digitale tjenester")
    assert "ks-digitaliseringsstrategi/visjon paraphrase (coded)" in entry["existing_links"]
    suggestion = [lk for lk in links(study) if lk.get("basis") == "suggested"]
    assert {"guidance": "ks-digitaliseringsstrategi/visjon", "how": "verbatim", "basis": "suggested"}.items() <= (
        next(lk for lk in suggestion if lk["guidance"] == "ks-digitaliseringsstrategi/visjon").items()
    )
    # the coded paraphrase stays beside it
    assert {"guidance": "ks-digitaliseringsstrategi/visjon", "how": "paraphrase", "confidence": "high"} in links(study)


def test_a_link_already_coded_the_same_way_is_not_suggested(suggested):
    assert not any(e["finding"].startswith("haugesund-budsjett") for e in entries(suggested).values())


def test_suggest_again_adds_nothing(study, suggested):
    before = (study / "porsgrunn.yaml").read_text(encoding="utf-8")
    result = run("suggest", "--data", str(study), "--no-texts", "--out", str(study / "second.yaml"))
    assert result.exit_code == 0 and "Wrote 0 suggestion(s)" in result.output
    assert (study / "porsgrunn.yaml").read_text(encoding="utf-8") == before


def test_suggest_refuses_to_overwrite_a_review_file(study, suggested):
    result = run("suggest", "--data", str(study), "--no-texts")
    assert result.exit_code == 2 and "review file exists" in result.output


def test_accept_keeps_both_records(study, suggested):
    result = run("review", str(suggested), "--coder", CODER, "--date", "2026-11-01", "--accept", VISION)
    assert result.exit_code == 0, result.output
    assert "Accepted 1, rejected 0" in result.output
    now = links(study)
    assert not [lk for lk in now if lk.get("basis") == "suggested"]
    accepted = [lk for lk in now if lk.get("basis") == "coded"]
    assert accepted == [
        {
            "guidance": "ks-digitaliseringsstrategi/visjon",
            "how": "verbatim",
            "basis": "coded",
            "coder": CODER,
            "coded": datetime.date(2026, 11, 1),  # a YAML date, as coded dates are written elsewhere
            "suggested_by": {"method": "reuse-align-v2", "score": entries(suggested)[VISION]["score"]},
        }
    ]
    recorded = entries(suggested)
    assert (recorded[VISION]["decision"], recorded[VISION]["reviewed_by"], recorded[VISION]["reviewed"]) == (
        "accept",
        CODER,
        "2026-11-01",
    )


def test_reject_removes_the_suggested_link_and_keeps_the_record(study, suggested):
    result = run("review", str(suggested), "--coder", CODER, "--reject", VISION)
    assert result.exit_code == 0, result.output
    assert links(study) == [
        {"guidance": "ks-digitaliseringsstrategi/visjon", "how": "paraphrase", "confidence": "high"}
    ]
    assert entries(suggested)[VISION]["decision"] == "reject" and entries(suggested)[VISION]["reviewed_by"] == CODER


def _reuses_vision(study: Path, **kwargs) -> bool:
    from rdflib import URIRef

    from plangraf.core.paths import Paths
    from plangraf.graph.build import build_graph

    graph = build_graph(Paths(root=ROOT, data=study), **kwargs).union()
    finding = URIRef(f"https://w3id.org/plangraf/id/finding/{FINDING}")
    vision = URIRef("https://w3id.org/plangraf/id/guidance/ks-digitaliseringsstrategi/visjon")
    return (finding, URIRef("https://w3id.org/plangraf/ontology#reusesVerbatim"), vision) in graph


def test_suggestions_enter_answers_only_when_asked_or_accepted(study, suggested):
    assert not _reuses_vision(study)
    assert _reuses_vision(study, include_suggested=True)
    assert run("review", str(suggested), "--coder", CODER, "--date", "2026-11-02", "--accept", VISION).exit_code == 0
    assert _reuses_vision(study)


def test_accepted_link_keeps_the_suggestion_in_the_graph(study, suggested):
    from rdflib import Literal, URIRef

    from plangraf.core.paths import Paths
    from plangraf.graph.build import build_graph

    assert run("review", str(suggested), "--coder", CODER, "--date", "2026-11-02", "--accept", VISION).exit_code == 0
    graph = build_graph(Paths(root=ROOT, data=study)).asserted
    pg = "https://w3id.org/plangraf/ontology#"
    links = [
        link
        for link in graph.subjects(URIRef(pg + "suggestedBy"), Literal("reuse-align-v2"))
        if str(link).startswith(f"https://w3id.org/plangraf/id/finding/{FINDING}/link/")
    ]
    assert len(links) == 1
    link = links[0]
    assert graph.value(link, URIRef(pg + "basis")) == URIRef("https://w3id.org/plangraf/id/basis/coded")
    assert str(graph.value(link, URIRef("http://www.w3.org/ns/prov#wasAttributedTo"))).endswith("/agent/" + CODER)
    assert str(graph.value(link, URIRef("http://purl.org/dc/terms/created"))) == "2026-11-02"
    assert float(graph.value(link, URIRef(pg + "score"))) == entries(suggested)[VISION]["score"]


def test_accepting_as_the_coder_of_the_existing_link_is_refused(study, suggested):
    before = (study / "porsgrunn.yaml").read_text(encoding="utf-8")
    result = run("review", str(suggested), "--accept", VISION)  # the study's default coder coded the paraphrase
    assert result.exit_code == 2 and "already has a link to ks-digitaliseringsstrategi/visjon" in result.output
    assert (study / "porsgrunn.yaml").read_text(encoding="utf-8") == before


def test_suggested_by_only_on_a_coded_link(study, suggested):
    path = study / "porsgrunn.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    method: reuse-align-v2\n",
            "    method: reuse-align-v2\n            suggested_by: {method: x, score: 1}\n",
            1,
        ),
        encoding="utf-8",
    )
    result = run("build", "--data", str(study), "--build-dir", str(study.parent / "build"))
    assert result.exit_code == 2 and "'suggested_by' belongs on a coded link" in result.output


def test_decisions_edited_in_the_file_are_applied_once(study, suggested):
    text = suggested.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for entry in data["suggestions"]:
        entry["decision"] = "accept"
        entry["coder"] = CODER
    suggested.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run("review", str(suggested)).exit_code == 0
    after = (study / "porsgrunn.yaml").read_text(encoding="utf-8")
    again = run("review", str(suggested))
    assert again.exit_code == 0 and "Accepted 0, rejected 0" in again.output
    assert (study / "porsgrunn.yaml").read_text(encoding="utf-8") == after


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--coder", "nobody", "--accept", VISION], "coder 'nobody' is not listed under coders"),
        (["--coder", CODER, "--date", "2999-02-03", "--accept", VISION], "is in the future"),
        (["--date", "2020", "--accept", VISION], "is not a real date"),
        (["--coder", CODER, "--date", "2025-12-31", "--accept", VISION], "placeholder"),
        (["--accept", "no-such-suggestion"], "no suggestion 'no-such-suggestion'"),
    ],
)
def test_bad_review_is_one_line_exit_2_nothing_written(study, suggested, args, message):
    before = (study / "porsgrunn.yaml").read_text(encoding="utf-8"), suggested.read_text(encoding="utf-8")
    result = run("review", str(suggested), *args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(suggested) in lines[0]
    assert ((study / "porsgrunn.yaml").read_text(encoding="utf-8"), suggested.read_text(encoding="utf-8")) == before


def test_a_bad_decision_names_the_field(study, suggested):
    suggested.write_text(suggested.read_text(encoding="utf-8").replace("decision: pending", "decision: maybe", 1))
    result = run("review", str(suggested))
    assert result.exit_code == 2 and "suggestions.0.decision" in result.output


TEXTS = ROOT.parent / "shared" / "reference" / "guidance-texts"
RUNDSKRIV = "Digitalisering handler om å bruke teknologi til å fornye, forenkle og forbedre."
KS_TITLE = "Vi bygger på KS' digitaliseringsstrategi for kommuner og fylkeskommuner 2017–2020."


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _ingest_handlingsplan(study: Path, tmp: Path) -> Path:
    """Ingest a text of Porsgrunn's handlingsplan: its quoted passage, then a passage that no
    finding quotes (the rundskriv's sentence) and a title-only note."""
    data = yaml.safe_load((study / "porsgrunn.yaml").read_text(encoding="utf-8"))
    doc = next(d for d in data["documents"] if d["id"] == "porsgrunn-handlingsplan-2020-2023")
    quote = next(f["text"] for f in doc["findings"] if f["evidence"] == "quote")
    source = tmp / "handlingsplan.txt"
    filler = "Kommunen skal bygge nye skoler og sykehjem i perioden, og tiltakene følges opp i budsjettet."
    source.write_text(f"{filler}\n\n{quote}\n\n{filler} {RUNDSKRIV} {filler}\n\n{KS_TITLE}\n", encoding="utf-8")
    result = run("ingest", str(source), "--data", str(study), "--document", "porsgrunn-handlingsplan-2020-2023")
    assert result.exit_code == 0, result.output
    return source


@pytest.mark.parametrize("texts", [None, TEXTS])
def test_rejecting_everything_leaves_the_study_byte_identical(study, tmp_path, texts):
    if texts is not None and not texts.is_dir():
        pytest.skip("../shared/reference/guidance-texts not present")
    _ingest_handlingsplan(study, tmp_path)
    before = _snapshot(study)
    review_file = tmp_path / "review.yaml"
    # with the texts and short spans, suggestions land in files with folded notes, comments and dates
    args = ["--texts", str(texts), "--min-words", "4"] if texts else ["--no-texts"]
    assert run("suggest", "--data", str(study), *args, "--out", str(review_file)).exit_code == 0
    suggested = entries(review_file)
    assert len({e["file"] for e in suggested.values()}) >= (3 if texts else 1)
    assert _snapshot(study) != before
    rejects = [x for sid in suggested for x in ("--reject", sid)]
    result = run("review", str(review_file), "--coder", CODER, *rejects)
    assert result.exit_code == 0, result.output
    assert _snapshot(study) == before


def test_ingested_spans_become_candidate_findings(study, tmp_path):
    _ingest_handlingsplan(study, tmp_path)
    review_file = tmp_path / "review.yaml"
    assert run("suggest", "--data", str(study), "--no-texts", "--out", str(review_file)).exit_code == 0
    new = [e for e in entries(review_file).values() if e["kind"] == "new-finding"]
    assert [(e["guidance"], e["how"], e["class"], e["passage"]) for e in new] == [
        ("digitaliseringsrundskrivet/fornye-forenkle-forbedre", "verbatim", "verbatim", RUNDSKRIV.rstrip("."))
    ]
    text = (study / "texts" / "porsgrunn-handlingsplan-2020-2023.txt").read_text(encoding="utf-8")
    assert text[new[0]["start"] : new[0]["end"]] == new[0]["passage"] and new[0]["page"] is None
    # the quoted passage is reported once, as its finding's span, not again as a new finding
    assert not any(e["passage"].startswith("Gode og tilgjengelige") for e in new)


def test_accepting_a_candidate_finding_writes_it_with_coder_and_date(study, tmp_path):
    from plangraf.reuse.measure import measure_study

    _ingest_handlingsplan(study, tmp_path)
    review_file = tmp_path / "review.yaml"
    assert run("suggest", "--data", str(study), "--no-texts", "--out", str(review_file)).exit_code == 0
    sid = next(k for k, e in entries(review_file).items() if e["kind"] == "new-finding")
    refused = run("review", str(review_file), "--coder", CODER, "--date", "2026-11-03", "--accept", sid)
    assert refused.exit_code == 2 and "needs its elements" in refused.output
    review_file.write_text(
        review_file.read_text(encoding="utf-8").replace("elements: []", "elements: [public-e-services]")
    )
    result = run("review", str(review_file), "--coder", CODER, "--date", "2026-11-03", "--accept", sid)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((study / "porsgrunn.yaml").read_text(encoding="utf-8"))
    new_id = entries(review_file)[sid]["finding"]
    finding = next(f for d in data["documents"] for f in d.get("findings") or [] if f["id"] == new_id)
    assert (finding["evidence"], finding["text"], finding["elements"]) == (
        "quote",
        RUNDSKRIV.rstrip("."),
        ["public-e-services"],
    )
    link = finding["reflects"][0]
    assert (link["basis"], link["coder"], str(link["coded"]), link["how"]) == ("coded", CODER, "2026-11-03", "verbatim")
    assert run("build", "--data", str(study), "--build-dir", str(tmp_path / "build")).exit_code == 0
    rows = [r for r in measure_study(ROOT, study, None) if r.document == "porsgrunn-handlingsplan-2020-2023"]
    assert sorted(r.finding for r in rows if r.reuse_class != "citation") == sorted(
        [FINDING, entries(review_file)[sid]["finding"]]
    )  # every span once, each as its finding's


def test_upgrading_the_coded_link_instead_of_a_second_one(study, suggested):
    entry = entries(suggested)[VISION]
    assert entry["upgrade"] == "ks-digitaliseringsstrategi/visjon paraphrase (coded)"
    refused = run("review", str(suggested), "--accept", VISION)
    assert refused.exit_code == 2 and "set decision: upgrade" in refused.output
    result = run("review", str(suggested), "--date", "2026-11-04", "--upgrade", VISION)
    assert result.exit_code == 0, result.output
    assert links(study) == [
        {
            "guidance": "ks-digitaliseringsstrategi/visjon",
            "how": "verbatim",
            "confidence": "high",
            "coded": datetime.date(2026, 11, 4),
            "suggested_by": {"method": "reuse-align-v2", "score": entry["score"]},
        }
    ]


FINDINGS = """\
municipality: x
documents:
  - id: d
    findings:
      - id: f1
        evidence: quote
        text: Noe
        reflects: []   # nothing yet
        elements: [a]
        source: "1"
      - id: f2
        evidence: quote
        text: Noe annet
        reflects:
          # the thesis's own link
          - guidance: g/one
            how: thematic
            coded: 2026-11-30
            note: >-
              A folded note that a re-dump
              would wrap otherwise.
        elements: [a]
        source: "1"
"""


@pytest.mark.parametrize("finding", ["f1", "f2"])
def test_a_link_added_and_removed_gives_back_the_same_bytes(finding):
    from plangraf.reuse.yamledit import append_link, links_of, remove_link

    link = {"guidance": "g/two", "how": "verbatim", "basis": "suggested", "method": "m", "score": 0.9}
    added = append_link(FINDINGS, "x.yaml", finding, link)
    assert links_of(added, "x.yaml", finding)[-1] == link
    assert added.count("\n") == FINDINGS.count("\n") + 5  # its lines only
    assert remove_link(added, "x.yaml", finding, len(links_of(added, "x.yaml", finding)) - 1) == FINDINGS
