"""The planning hierarchy: plan levels, their statutory bases in the law's own words, the
force of guidance, the municipal chain (goals, follow-ups, budget lines) and anchoring."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from plangraf.answers.query import resolve_query, run_query
from plangraf.check.shacl import validate_graph
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.build import build_graph
from plangraf.rdf.namespaces import DCTERMS, ELI, PG, PGID
from plangraf.reference.lawtext import quote_in, read_section
from plangraf.reference.legal_bases import BASES, KOML, KOML_1992, PBL

LAW_FILES = {PBL: "lov-2008-06-27-71.md", KOML: "lov-2018-06-22-83.md"}
LEVEL = "https://w3id.org/plangraf/id/plan-level/"
FIXTURES = Path(__file__).parent / "fixtures"
# not rdflib's XSD namespace object at module level: pytest's collection makes it warn
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def level(name: str) -> URIRef:
    return URIRef(LEVEL + name)


def bases_of(graph: Graph, name: str) -> list[dict[str, object]]:
    out = []
    for b in graph.subjects(PG.basisOfLevel, level(name)):
        provision = graph.value(b, PG.inProvision)
        out.append(
            {
                "section": str(graph.value(provision, ELI.number)),
                "law": str(graph.value(provision, ELI.is_part_of, any=True)).rsplit("/", 1)[-1]
                if (provision, ELI.is_part_of, None) in graph
                else None,
                "provision": str(provision),
                "paragraph": graph.value(b, PG.paragraphNumber) and int(graph.value(b, PG.paragraphNumber)),
                "letter": graph.value(b, PG.letter),
                "kind": str(graph.value(b, PG.basisKind)).rsplit("/", 1)[-1],
                "text": graph.value(b, PG.provisionText),
            }
        )
    return out


def test_plan_levels_form_one_hierarchy_under_three_tiers(graph):
    scheme = PGID["plan-level"]
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    tiers = {level("national"), level("regional"), level("municipal")}
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == tiers
    for concept in concepts - tiers:
        broader = [b for b in graph.objects(concept, SKOS.broader) if b in concepts]
        assert len(broader) == 1, concept
        top = concept
        while top not in tiers:  # every chain ends in a tier, without loops
            top = next(b for b in graph.objects(top, SKOS.broader) if b in concepts)
    assert graph.value(level("handlingsdel"), SKOS.broader) == level("samfunnsdel")
    assert graph.value(level("samfunnsdel"), SKOS.broader) == level("kommuneplan")
    assert graph.value(level("regional-plan"), SKOS.broader) == level("regional")
    assert graph.value(level("nasjonale-forventninger"), SKOS.broader) == level("national")


def test_every_quoted_basis_is_the_laws_words_in_that_paragraph(graph, shared_reference):
    """Read independently of the converter: the quote is in the section's raw text, in the
    paragraph (blank-line block, notes and lists aside) the basis names."""
    texts = {law: (shared_reference / "lovdata-lover_norwegian-laws" / f).read_text() for law, f in LAW_FILES.items()}
    quoted = 0
    for b in graph.subjects(RDF.type, PG.StatutoryBasis):
        text = graph.value(b, PG.provisionText)
        provision = str(graph.value(b, PG.inProvision))
        law = provision.split("/law/")[1].split("/")[0]
        if text is None:
            assert law == KOML_1992, b  # only the repealed act, whose text is not in the reference, lacks one
            continue
        number = provision.rsplit("/", 1)[1]
        raw = texts[law].split(f"§ {number}. ", 1)[1]
        body = re.split(r"\n#+ ", raw, maxsplit=1)[0]
        blocks = [x for x in re.split(r"\n\s*\n", body)[1:] if x.strip() and not x.strip().startswith(("*", "- "))]
        paragraph = blocks[int(graph.value(b, PG.paragraphNumber)) - 1]
        letter = graph.value(b, PG.letter)
        if letter is None:
            assert str(text) in " ".join(paragraph.split()), (b, str(text))
        else:  # the lettered items follow the paragraph's lead-in
            items = re.split(r"\n\s*\n", body.split(paragraph, 1)[1].strip())[0].splitlines()
            assert str(text) == items["abcdefgh".index(str(letter))].lstrip("- ").strip(), b
        quoted += 1
    assert quoted == sum(1 for basis in BASES if basis.quote)


def test_the_corrected_bases(graph):
    hd = bases_of(graph, "handlingsdel")
    assert {(b["section"], b["paragraph"], b["kind"]) for b in hd} >= {
        ("11-1", 1, "requires"),
        ("11-1", 4, "governs"),
    }
    assert all("LOV-2018-06-22-83" not in b["provision"] for b in hd)  # koml does not require a handlingsdel
    okp = bases_of(graph, "okonomiplan")
    letter_a = [b for b in okp if b["section"] == "14-2"]
    assert (
        letter_a
        and letter_a[0]["letter"] == Literal("a")
        and str(letter_a[0]["text"]) == "økonomiplanen og årsbudsjettet"
    )
    permits = [b for b in okp if b["kind"] == "permits" and b["section"] == "11-1"]
    assert str(permits[0]["text"]).endswith("kan inngå i eller utgjøre handlingsdelen.")
    budget = {(b["section"], b["kind"]) for b in bases_of(graph, "budget")}
    assert ("14-5", "binds") in budget and ("14-4", "binds") not in budget
    samfunnsdel = {(b["section"], b["kind"]) for b in bases_of(graph, "samfunnsdel")}
    assert ("11-1", "requires") in samfunnsdel and ("11-2", "governs") in samfunnsdel
    assert ("11-2", "requires") not in samfunnsdel


def test_national_and_regional_channels_are_in_the_graph_with_their_basis(graph):
    expected = {
        "nasjonale-forventninger": {("6-1", "requires"), ("6-1", "binds")},
        "statlige-planretningslinjer": {("6-2", "permits"), ("6-2", "binds")},
        "regional-planstrategi": {("7-1", "requires"), ("7-2", "binds")},
        "regional-plan": {("8-1", "requires"), ("8-2", "binds")},
    }
    for name, bases in expected.items():
        assert {(b["section"], b["kind"]) for b in bases_of(graph, name)} == bases, name
        assert all(b["text"] for b in bases_of(graph, name)), name


def test_levels_without_a_statutory_basis_are_exactly_the_non_statutory_ones(graph):
    scheme = PGID["plan-level"]
    without = {
        str(c).rsplit("/", 1)[1]
        for c in graph.subjects(SKOS.inScheme, scheme)
        if (None, PG.basisOfLevel, c) not in graph
    }
    assert without == {
        "national",
        "regional",
        "municipal",
        "white-paper",
        "national-strategy",
        "circular",
        "regional-cooperation-strategy",
        "other-decision",
        "programme",
    }


def test_provisions_carry_the_in_force_dates_the_law_text_states(graph):
    def dates(law: str, number: str) -> tuple[object, object]:
        p = PGID[f"law/{law}/section/{number}"]
        return graph.value(p, ELI.first_date_entry_in_force), graph.value(p, ELI.date_no_longer_in_force)

    assert dates(KOML, "14-4") == (Literal("2020-01-01", datatype=XSD_DATE), None)
    assert dates(PBL, "11-1")[0] == Literal("2009-07-01", datatype=XSD_DATE)
    assert dates(KOML_1992, "45") == (None, Literal("2019-12-31", datatype=XSD_DATE))
    assert dates(KOML, "2-1") == (None, None)  # in force from each council's constituent meeting: no one date


def test_a_quote_from_the_wrong_paragraph_or_letter_is_refused(shared_reference):
    text = (shared_reference / "lovdata-lover_norwegian-laws" / LAW_FILES[PBL]).read_text()
    section = read_section(text, "11-1")
    quote = "Det kan utarbeides kommunedelplan for bestemte områder, temaer eller virksomhetsområder."
    assert quote_in(section, 3, None, quote) == quote
    with pytest.raises(PlangrafError, match="paragraph 2: text not found"):
        quote_in(section, 2, None, quote)
    koml = read_section((shared_reference / "lovdata-lover_norwegian-laws" / LAW_FILES[KOML]).read_text(), "14-2")
    with pytest.raises(PlangrafError, match="letter b"):
        quote_in(koml, 1, "b", "økonomiplanen og årsbudsjettet")


def test_law_titles_are_on_expressions_in_the_texts_language(graph):
    offl = PGID["law/LOV-2006-05-19-16"]
    expression = graph.value(offl, ELI.is_realized_by)
    assert graph.value(expression, ELI.title).language == "nn"
    assert (offl, ELI.title, None) not in graph
    assert graph.value(offl, SKOS.prefLabel).language == "nn"


def test_guidance_says_whom_it_addresses_and_how_binding_it_is(graph, shared_reference):
    force = {str(d).rsplit("/", 1)[1]: str(graph.value(d, PG.forceForMunicipalities)).rsplit("/", 1)[1]
             for d in graph.subjects(PG.forceForMunicipalities, None)}  # fmt: skip
    assert force["digitaliseringsrundskrivet"] == "advisory"
    assert force["ks-digitaliseringsstrategi"] == "recommendation"
    assert force["nasjonale-forventninger-2019"] == "shall-be-followed-up"
    rundskriv = PGID["guidance/digitaliseringsrundskrivet"]
    assert graph.value(rundskriv, PG.addressee) == PGID["addressee/state-agencies"]
    # every statement of force is the words of a guidance text or law text in the reference
    corpus = " ".join(
        " ".join(p.read_text().split())
        for folder in ("guidance-texts", "lovdata-lover_norwegian-laws")
        for p in (shared_reference / folder).glob("*.*")
    )
    statements = list(graph.objects(None, PG.forceStatement))
    assert len(statements) >= 6
    for statement in statements:
        assert str(statement) in corpus, statement


def test_nasjonale_forventninger_2019_is_guidance_at_its_plan_level(graph):
    nf = PGID["guidance/nasjonale-forventninger-2019"]
    assert graph.value(nf, PG.planLevel) == level("nasjonale-forventninger")
    assert str(graph.value(nf, DCTERMS.issued)) == "2019-05-14"
    assert len(list(graph.subjects(PG.statedIn, nf))) == 5


def test_a_document_can_have_several_plan_levels(graph):
    sola = PGID["document/sola-handlings-og-okonomiplan"]
    assert set(graph.objects(sola, PG.planLevel)) == {level("handlingsdel"), level("okonomiplan")}
    haugesund = PGID["document/haugesund-budsjett-okonomiplan-2020"]
    assert len(set(graph.objects(haugesund, PG.planLevel))) == 3  # also the 2020 budget (4.3.1)


def test_the_karmoy_chain_is_stated_by_the_thesis(graph):
    budget_goal = PGID["municipal-goal/karmoy-budsjett-2021/digitalt-forstevalg"]
    plan_goal = PGID["municipal-goal/karmoy-samfunnsdel-2016-2019/heldigital-innen-2020"]
    assert (budget_goal, PG.followsUp, plan_goal) in graph
    link = next(graph.subjects(PG.followUpFrom, budget_goal))
    assert graph.value(link, PG.followUpBasis) == PGID["basis/stated"]
    assert (link, PG.citedSection, None) in graph
    assert graph.value(plan_goal, PG.statedIn) == PGID["document/karmoy-kommuneplan-samfunnsdel-2016-2019"]


def test_anchoring_pinned_on_the_study(graph, paths):
    # Issue 22: statutory levels only (strategies beside them), drafts left out, Meld. St. 27
    # as a whole counted for its priorities; per municipality in tests/test_anchoring.py.
    answer = run_query(graph, resolve_query("anchoring", paths.queries), {})
    cells = {(r["municipality"], r["priority"]): r["anchor"] for r in answer.rows}
    assert len(cells) == 50  # ten municipalities x five priorities
    rows = {
        (r["municipality"], r["priority"], r["document"]): (r["anchor"], r["level"], r["reach"]) for r in answer.rows
    }
    assert rows[("Haugesund", "Brukeren i sentrum", "haugesund-budsjett-okonomiplan-2020")] == (
        "handlingsdel-okonomiplan",
        "handlingsdel-okonomiplan",
        "priority",
    )
    assert rows[("Karmøy", "Styrket digital kompetanse og deltakelse", "karmoy-velferdsteknologi-2018-2022")] == (
        "samfunnsdel",
        "strategy",
        "document",
    )
    counts: dict[str, int] = {}
    for anchor in cells.values():
        counts[anchor] = counts.get(anchor, 0) + 1
    assert counts == {"samfunnsdel": 25, "handlingsdel-okonomiplan": 15, "unknown": 10}


def _chain_study(tmp_path: Path, extra_larvik: str) -> Paths:
    data = tmp_path / "data" / "study-2020"
    shutil.copytree(FIXTURES / "mini-study", data)
    larvik = data / "larvik.yaml"
    larvik.write_text(larvik.read_text().replace('    addresses_digitalisation: "no"\n', extra_larvik, 1))
    root = Path(__file__).resolve().parents[1]
    return Paths(root=root, data=data, out=tmp_path / "build")


def test_a_follow_up_reaches_the_samfunnsdel_and_the_legal_basis_is_checked(tmp_path, shapes):
    extra = """    addresses_digitalisation: "no"
    adopted: 2021-03-01
    adopted_by: kommunestyret
    case_number: "21/123"
    version_of: mini-larvik-kommuneplan
    legal_basis: ["koml-1992 § 44"]
    goals:
      - id: mini-larvik-samfunnsdel/brukeren
        text: Brukeren i sentrum for all digitalisering
        evidence: quote
        source: "4.3.3"
        follows_up:
          - goal: meld-st-27/brukeren-i-sentrum
            basis: coded
            coder: tester
"""
    paths = _chain_study(tmp_path, extra)
    result = build_graph(paths)
    graph = result.union()
    doc = PGID["document/mini-larvik-samfunnsdel"]
    assert graph.value(doc, PG.adoptedBy) == PGID["adopting-body/kommunestyret"]
    assert str(graph.value(doc, PG.caseNumber)) == "21/123"
    assert graph.value(doc, DCTERMS.isVersionOf) == PGID["work/mini-larvik-kommuneplan"]
    answer = run_query(graph, resolve_query("anchoring", paths.queries), {})
    larvik = {r["priority"]: (r["anchor"], r["document"]) for r in answer.rows if r["municipality"] == "Larvik"}
    assert larvik["Brukeren i sentrum"] == ("samfunnsdel", "mini-larvik-samfunnsdel")
    report = validate_graph(graph, shapes)
    wrong = [i for i in report.issues if i.shape.endswith("#StatedBasisInForce")]
    assert [(i.focus, i.severity) for i in wrong] == [(str(doc), "Violation")]


def test_legal_basis_is_the_provision_in_force_at_adoption(graph, paths):
    rows = run_query(graph, resolve_query("legal-basis", paths.queries), {}).rows
    sandnes = [r for r in rows if r["document"] == "sandnes-okonomiplan-2018-2021" and r["plan_level"] == "okonomiplan"]
    # adopted in 2018: kommuneloven 1992 § 44, not the 2018 act's chapter 14 (in force 2020)
    assert {(r["provision"], r["kind"], r["status"]) for r in sandnes} == {
        ("Kommuneloven (1992) § 44. Økonomiplan", "requires", "in-force-in-adoption-year"),
        ("Plan- og bygningsloven § 11-1. Kommuneplan", "permits", "in-force-in-adoption-year"),
    }
    permits = next(r for r in sandnes if r["kind"] == "permits")
    assert permits["wording"] == "earlier-wording"  # § 11-1 refers to koml § 14-2 only from 1 November 2019
    unknown = [r for r in rows if r["document"] == "karmoy-budsjett-2020"]
    assert {r["status"] for r in unknown} == {"adoption-date-unknown"}
    assert {r["provision"].split(" §")[0] for r in unknown} == {"Kommuneloven (1992)", "Kommuneloven"}


@pytest.mark.parametrize(
    ("adopted", "act"),
    [("2019-12-17", "Kommuneloven (1992)"), ("2020-12-15", "Kommuneloven")],
)
def test_a_budget_adopted_before_2020_rests_on_the_1992_act(tmp_path, adopted, act):
    # the samfunnsdel's own source line, which follows, becomes the budget's
    extra = f"""    addresses_digitalisation: "no"
    source: "4.3.3"
  - id: mini-larvik-budsjett
    title: Budsjett
    plan_level: budget
    status: adopted
    adopted: {adopted}
    obtained: website
"""
    paths = _chain_study(tmp_path, extra)
    graph = build_graph(paths).union()
    rows = run_query(graph, resolve_query("legal-basis", paths.queries), {}).rows
    acts = {r["provision"].split(" §")[0] for r in rows if r["document"] == "mini-larvik-budsjett"}
    assert acts == {act}


def test_reflecting_a_provision_reflects_its_law_on_both_reasoners(root):
    from plangraf.graph.inference import filter_inferred, infer_owlrl
    from plangraf.graph.inputs import load_imports
    from plangraf.graph.reasoner import infer_targeted
    from plangraf.graph.reflections import derive_reflections
    from plangraf.rdf.files import parse_file

    graph = parse_file(root / "ontology" / "plangraf.ttl")
    load_imports(Paths(root=root), into=graph)
    ex = "https://example.org/plangraf/"
    finding, link, law, section = (URIRef(ex + n) for n in ("finding", "link", "law", "section"))
    graph.add((law, RDF.type, PG.Law))
    graph.add((section, RDF.type, PG.Provision))
    graph.add((section, ELI.is_part_of, law))
    graph.add((finding, RDF.type, PG.Finding))
    graph.add((finding, PG.reflectsThematically, section))
    graph.add((link, RDF.type, PG.Link))
    graph.add((link, PG.linkOf, finding))
    graph.add((link, URIRef("http://www.w3.org/ns/oa#hasBody"), section))
    graph.add((link, PG.basis, PGID["basis/coded"]))
    expected = set(infer_owlrl(graph))
    assert (finding, PG.reflectsViaLaw, law) in expected
    assert (finding, PG.reflects, law) in expected
    assert set(filter_inferred(infer_targeted(graph))) == expected
    derived = derive_reflections(graph)
    reached = {
        (derived.value(r, PG.reflectedItem), derived.value(r, PG.path))
        for r in derived.subjects(RDF.type, PG.Reflection)
    }
    assert (law, PGID["path/direct"]) in reached


def test_areas_and_organisations_are_apart(graph):
    from plangraf.rdf.namespaces import ORG

    rogaland = PGID["county/11"]
    assert (rogaland, RDF.type, DCTERMS.Location) in graph
    assert (rogaland, RDF.type, ORG.Organization) not in graph
    authority = PGID["county-authority/11"]
    assert (authority, RDF.type, ORG.Organization) in graph  # through org:FormalOrganization (imports)
    assert graph.value(authority, PG.jurisdiction) == rogaland
    assert str(graph.value(authority, SKOS.prefLabel)) == "Rogaland fylkeskommune"
    tonsberg, area = PGID["municipality/tonsberg"], PGID["municipal-area/tonsberg"]
    assert graph.value(tonsberg, PG.jurisdiction) == area
    assert (area, PG.wikidataEntity, None) in graph and (tonsberg, PG.wikidataEntity, None) not in graph
    spatial = set(graph.objects(PGID["cooperation/digi-rogaland"], DCTERMS.spatial))
    assert spatial and all((s, RDF.type, DCTERMS.Location) in graph for s in spatial)


def test_validity_is_dcterms_valid_as_a_dcmi_period(graph):
    value = graph.value(PGID["document/karmoy-kommuneplan-samfunnsdel-2016-2019"], DCTERMS.valid)
    assert value == Literal("start=2016-01-01; end=2019-12-31; scheme=W3C-DTF", datatype=DCTERMS.Period)
