"""Property-based tests (hypothesis) for the findings loader."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import RDF

from graphs import same_graph
from plangraf.core.errors import PlangrafError
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.outputs.export import serialize
from plangraf.rdf.namespaces import PG, finding_iri
from plangraf.study.loader import load_study

MINI = Path(__file__).parent / "fixtures" / "mini-study"
GUIDANCE = [
    "meld-st-27/brukeren-i-sentrum",
    "meld-st-27/digital-kompetanse-deltakelse",
    "ks-digitaliseringsstrategi/visjon",
    "en-digital-offentlig-sektor/deling-av-data",
    "digitaliseringsrundskrivet",
]
ELEMENTS = ["public-e-services", "information", "internal-stakeholders", "value-for-society", "digital-technologies"]
HOW = ["explicit-reference", "verbatim", "paraphrase", "thematic"]
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() == t and t.strip())

_REFERENCE: list[Graph] = []


def reference(paths) -> Graph:
    if not _REFERENCE:
        ontology = load_ontology(paths)
        _REFERENCE.append(load_reference(paths, ontology) + ontology)
    return _REFERENCE[0]


@st.composite
def finding(draw, doc_id: str, index: int) -> dict:
    reflects = draw(
        st.lists(
            st.fixed_dictionaries({"guidance": st.sampled_from(GUIDANCE), "how": st.sampled_from(HOW)}),
            max_size=3,
            unique_by=lambda r: r["guidance"],
        )
    )
    item = {
        "id": f"{doc_id}-f{index}",
        "evidence": draw(st.sampled_from(["quote", "summary"])),
        "text": f"{draw(TEXT)} [{index}]",  # one passage, one finding: the passages of a document differ
        "reflects": reflects,
        "elements": draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=3, unique=True)),
        "source": draw(st.sampled_from(["4.3.3", "4.3.3; 5.8", "appendix 2"])),
    }
    if draw(st.booleans()):
        item["location"] = draw(TEXT)
    return item


@st.composite
def municipality_file(draw) -> dict:
    documents = []
    for i, slug in enumerate(draw(st.lists(SLUG, min_size=1, max_size=4, unique=True))):
        doc_id = f"larvik-{slug}"
        doc = {
            "id": doc_id,
            "title": draw(TEXT),
            "plan_level": draw(st.sampled_from(["samfunnsdel", "handlingsdel", "sector-strategy", "temaplan"])),
            "status": draw(st.sampled_from(["adopted", "draft", "under-development", "under-revision"])),
            "obtained": draw(st.sampled_from(["sent", "website", "thesis"])),
            "source": "4.3.3",
        }
        start = draw(st.none() | st.integers(2000, 2030))
        if start is not None:
            doc["valid_from"] = start
            if draw(st.booleans()):
                doc["valid_to"] = start + draw(st.integers(0, 15))
        doc["findings"] = [draw(finding(doc_id, j)) for j in range(draw(st.integers(0, 4)))]
        documents.append(doc)
        del i
    return {"municipality": "larvik", "number": "3805", "source": "4.3.3", "documents": documents}


def study_with(larvik: dict) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="plangraf-prop-"))
    shutil.copy(MINI / "study.yaml", folder / "study.yaml")
    (folder / "larvik.yaml").write_text(yaml.safe_dump(larvik, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(municipality_file())
def test_valid_file_round_trips_with_every_finding(paths, larvik):
    folder = study_with(larvik)
    try:
        graph, report = load_study(folder, reference(paths))
    finally:
        shutil.rmtree(folder)
    expected = [f["id"] for d in larvik["documents"] for f in d["findings"]]
    assert report.findings_read == report.findings_in_graph == len(expected)
    for finding_id in expected:
        assert (finding_iri(finding_id), RDF.type, PG.Finding) in graph
    for fmt in ("turtle", "nt", "jsonld"):
        text = serialize(graph, Graph(), fmt, include_inferred=False)
        back = Graph().parse(data=text, format={"jsonld": "json-ld"}.get(fmt, fmt))
        assert same_graph(graph, back), fmt


MUTATIONS = st.sampled_from(["drop", "retype", "garble", "duplicate", "truncate"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(municipality_file(), MUTATIONS, st.integers(0, 10_000), st.binary(min_size=1, max_size=20))
def test_mutated_file_fails_only_with_a_plangraf_error(paths, larvik, mutation, seed, junk):
    text = yaml.safe_dump(larvik, allow_unicode=True, sort_keys=False)
    lines = text.splitlines(keepends=True)
    at = seed % len(lines)
    if mutation == "drop":
        del lines[at]
    elif mutation == "retype":
        lines[at] = lines[at].replace(": ", ": [", 1)
    elif mutation == "garble":
        lines[at] = junk.decode("latin-1") + lines[at]
    elif mutation == "duplicate":
        lines.insert(at, lines[at])
    else:
        lines = lines[:at]
    folder = study_with(larvik)
    try:
        (folder / "larvik.yaml").write_bytes("".join(lines).encode("utf-8", "surrogatepass"))
        try:
            load_study(folder, reference(paths))
        except PlangrafError as exc:
            assert "\n" not in exc.one_line()
            assert "larvik.yaml" in exc.one_line() or "study" in exc.one_line()
    finally:
        shutil.rmtree(folder)
