"""The anchoring query pinned on the study (issue 22): each municipality's highest statutory
level against the thesis sentence it rests on, strategies beside the statutory levels, drafts
left out unless asked for, and reflections of Meld. St. 27 as a whole counted for its priorities."""

from __future__ import annotations

from plangraf.answers.query import resolve_query, run_query

# The highest statutory level each municipality's plans reach for any Meld. St. 27 priority,
# with the thesis sentence (OCR repaired) it rests on.
HIGHEST = {
    # 4.3.1: «Selv om kommunen mangler strategier og planer på digitaliseringsområdet finner vi
    # tydelige spor av kommunens arbeid på dette området i budsjettdokumentet.»
    "Haugesund": ("handlingsdel-okonomiplan", "haugesund-budsjett-okonomiplan-2020"),
    # 4.3.2 (and 5.5, without the name): the samfunnsdel's sub-goal «Utvikle og gi
    # fremtidsrettede tjenester – heldigital innen 2020».
    "Karmøy": ("samfunnsdel", "karmoy-kommuneplan-samfunnsdel-2016-2019"),
    # 4.3.3: «Digitalisering er ikke et eget satsningsområde i samfunnsdelen»; «I
    # strategidokumentet for perioden 2020 – 2023 er det satt av midler til både investering
    # og drift av digitale løsninger.»
    "Larvik": ("handlingsdel-okonomiplan", "larvik-strategidokument-2020-2023"),
    # 4.3.4: «Det er ikke beskrevet tiltak i samfunnsdelen knytte til digitalisering»;
    # «Digitalisering har fått et eget avsnitt i handlingsplanen for perioden 2020 – 2023».
    "Porsgrunn": ("handlingsdel-okonomiplan", "porsgrunn-handlingsplan-2020-2023"),
    # 5.8: in the samfunnsdel «er digitaliseringen satt inn i et samfunns og
    # utviklingsperspektiv som ivaretar store deler av kommunens samfunnsutvikler rolle».
    "Sandefjord": ("samfunnsdel", "sandefjord-kommuneplan-samfunnsdel"),
    # 4.3.6: «Innovasjon og digitalisering – fra HØP og kommuneplan».
    "Sandnes": ("samfunnsdel", "sandnes-kommuneplan"),
    # 4.3.7: «Det er ikke spor av digitalisering i kommuneplanens samfunnsdel»; the thesis ties
    # no priority to Skien's budget: unknown, not none.
    "Skien": ("unknown", ""),
    # 4.3.8: the samfunnsdel's fourth strategic goal «I Sola er vi kreative og tar i bruk nye
    # løsninger».
    "Sola": ("samfunnsdel", "sola-kommuneplan-samfunnsdel-2019-2035"),
    # 4.3.9: «I kommuneplanens samfunnsdel 2020 – 2034 heter det at Stavanger kommune «Skal
    # utvikle og ta i bruk nyttige digitale løsninger».»
    "Stavanger": ("samfunnsdel", "stavanger-kommuneplan-samfunnsdel-2020-2034"),
    # 4.3.10: «Tønsberg kommune holder på å utvikle en digitaliseringsstrategi, utkastet ble
    # delt i svaret fra kommunen»: a draft anchors nothing by default.
    "Tønsberg": ("unknown", ""),
}
LEVEL_ORDER = ["unknown", "budget", "handlingsdel-okonomiplan", "samfunnsdel"]


def _rows(store, paths, **params):
    """On the pyoxigraph store (test_query_engines proves it gives rdflib's rows: rdflib takes
    about 18 s a run of this query on the study)."""
    return run_query(store, resolve_query("anchoring", paths.queries), params).rows


def test_each_municipality_reaches_the_level_the_thesis_describes(store, paths):
    rows = _rows(store, paths)
    assert len({(r["municipality"], r["priority"]) for r in rows}) == 50
    for municipality, (level, document) in HIGHEST.items():
        mine = [r for r in rows if r["municipality"] == municipality]
        top = max((r["anchor"] for r in mine), key=LEVEL_ORDER.index)
        assert top == level, municipality
        if document:
            assert document in {r["document"] for r in mine if r["level"] == level}, municipality


def test_strategies_stand_beside_the_statutory_levels_not_above_them(store, paths):
    rows = _rows(store, paths)
    skien = [r for r in rows if r["municipality"] == "Skien"]
    assert {r["anchor"] for r in skien} == {"unknown"}
    assert {(r["level"], r["document"]) for r in skien} == {("strategy", "skien-digitaliseringsstrategi-2016-2019")}
    for r in rows:
        assert r["level"] in ("strategy", r["anchor"], ""), r
        assert (r["document"] == "") == (r["level"] == "")


def test_meld_st_27_as_a_whole_counts_for_its_priorities_as_document_level(store, paths):
    rows = _rows(store, paths)
    karmoy = {r["priority"]: r for r in rows if r["municipality"] == "Karmøy" and r["level"] == "samfunnsdel"}
    # «heldigital innen 2020» is linked to Meld. St. 27 as a whole (4.3.2, 5.5), not to a priority
    assert len(karmoy) == 5
    assert {r["reach"] for r in karmoy.values()} == {"document"}


def test_drafts_and_unknown_status_only_on_request_and_marked(store, paths):
    default = _rows(store, paths)
    assert {r["status"] for r in default} <= {"adopted", "under-revision", ""}
    assert [r["document"] for r in default if r["municipality"] == "Tønsberg"] == [""] * 5
    drafts = _rows(store, paths, include_drafts="true")
    tonsberg = {(r["anchor"], r["document"], r["status"]) for r in drafts if r["municipality"] == "Tønsberg"}
    assert tonsberg == {("unknown", "tonsberg-digitaliseringsstrategi-utkast-2020", "draft")}
