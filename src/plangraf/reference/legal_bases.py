"""The statutory basis of each plan level: which provision, paragraph and letter puts it there.

Hand-curated from the law texts in ``shared/reference/lovdata-lover_norwegian-laws/``;
:func:`plangraf.reference.laws.build_laws` checks every quote against the paragraph it
cites (a quote that is not the law's own words there stops the conversion) and writes the
bases to ``data/reference/laws.ttl``.

Kinds (``pgid:basis-kind``): ``requires`` — the law obliges the body to have the document;
``permits`` — the law allows it; ``governs`` — the law sets its content or procedure;
``binds`` — the law says whom the document binds or what must be laid down as its basis.
"""

from __future__ import annotations

from dataclasses import dataclass

PBL = "LOV-2008-06-27-71"
KOML = "LOV-2018-06-22-83"
KOML_1992 = "LOV-1992-09-25-107"


@dataclass(frozen=True)
class Basis:
    level: str  # the plan-level notation (pgid:plan-level/<level>)
    law: str  # the Lovdata id of the act
    section: str  # the section number, e.g. "11-1"
    paragraph: int | None  # the ledd, 1-based; None where the text is not in the reference
    letter: str | None  # the bokstav within the paragraph, if any
    kind: str  # requires | permits | governs | binds
    quote: str | None  # the law's own words in that paragraph; None where the text is not at hand


_KP_PARTS = "Kommunen skal ha en samlet kommuneplan som omfatter samfunnsdel med handlingsdel og arealdel."
_KP_GUIDANCE = (
    "Den skal ta utgangspunkt i den kommunale planstrategien og legge retningslinjer og pålegg "
    "fra statlige og regionale myndigheter til grunn."
)
_OKP_HD = "Økonomiplanen etter kommuneloven § 14-2 bokstav a kan inngå i eller utgjøre handlingsdelen."

BASES: tuple[Basis, ...] = (
    # --- national -------------------------------------------------------------------
    Basis(
        "nasjonale-forventninger", PBL, "6-1", 1, None, "requires",
        "For å fremme en bærekraftig utvikling skal Kongen hvert fjerde år utarbeide et dokument med "
        "nasjonale forventninger til regional og kommunal planlegging.",
    ),
    Basis(
        "nasjonale-forventninger", PBL, "6-1", 1, None, "binds",
        "Dette skal følges opp i planleggingen etter denne lov og legges til grunn for statens deltaking.",
    ),
    Basis(
        "statlige-planretningslinjer", PBL, "6-2", 1, None, "permits",
        "Kongen kan gi statlige planretningslinjer for landet som helhet eller for et geografisk avgrenset område.",
    ),
    Basis(
        "statlige-planretningslinjer", PBL, "6-2", 2, "a", "binds",
        "statlig, regional og kommunal planlegging etter loven her,",
    ),
    # --- regional -------------------------------------------------------------------
    Basis(
        "regional-planstrategi", PBL, "7-1", 1, None, "requires",
        "Regional planmyndighet skal minst én gang i hver valgperiode, og senest innen ett år etter "
        "konstituering, utarbeide en regional planstrategi",
    ),
    Basis(
        "regional-planstrategi", PBL, "7-2", 2, None, "binds",
        "Statlige og regionale organer og kommunene skal legge den regionale planstrategien til grunn "
        "for det videre planarbeidet i regionen.",
    ),
    Basis(
        "regional-plan", PBL, "8-1", 1, None, "requires",
        "Regional planmyndighet skal utarbeide regionale planer for de spørsmål som er fastsatt i den "
        "regionale planstrategien.",
    ),
    Basis(
        "regional-plan", PBL, "8-2", 1, None, "binds",
        "Regional plan skal legges til grunn for regionale organers virksomhet og for kommunal og "
        "statlig planlegging og virksomhet i regionen.",
    ),
    Basis(
        "handlingsprogram", PBL, "8-1", 4, None, "requires",
        "Som del av regional plan skal det samtidig utarbeides et handlingsprogram for gjennomføring av planen.",
    ),
    Basis(
        "handlingsprogram", PBL, "8-1", 5, None, "governs",
        "Handlingsprogrammet skal vedtas av regional planmyndighet. Behovet for rullering skal vurderes årlig.",
    ),
    Basis(
        "regional-planbestemmelse", PBL, "8-5", 1, None, "permits",
        "Regional planmyndighet kan fastsette regional planbestemmelse knyttet til retningslinjer for arealbruk "
        "i en regional plan som skal ivareta nasjonale eller regionale hensyn og interesser.",
    ),
    # --- inter-municipal (pbl chapter 9) ----------------------------------------------
    Basis("interkommunal-plan", PBL, "9-1", 1, None, "permits", "Samarbeidet kan omfatte alle kommunale plantyper."),
    Basis(
        "interkommunal-plan", PBL, "9-3", 3, None, "governs",
        "Hvert kommunestyre treffer endelig planvedtak for sitt område.",
    ),
    # --- municipal ------------------------------------------------------------------
    Basis(
        "planstrategi", PBL, "10-1", 1, None, "requires",
        "Kommunestyret skal minst én gang i hver valgperiode, og senest innen ett år etter konstituering, "
        "utarbeide og vedta en kommunal planstrategi.",
    ),
    Basis("kommuneplan", PBL, "11-1", 1, None, "requires", _KP_PARTS),
    Basis("kommuneplan", PBL, "11-1", 2, None, "governs", _KP_GUIDANCE),
    Basis("samfunnsdel", PBL, "11-1", 1, None, "requires", _KP_PARTS),
    Basis(
        "samfunnsdel", PBL, "11-2", 1, None, "governs",
        "Kommuneplanens samfunnsdel skal ta stilling til langsiktige utfordringer, mål og strategier for "
        "kommunesamfunnet som helhet og kommunen som organisasjon.",
    ),
    Basis(
        "samfunnsdel", PBL, "11-3", 1, None, "binds",
        "Kommuneplanens samfunnsdel skal legges til grunn for kommunens egen virksomhet og for statens og "
        "regionale myndigheters virksomhet i kommunen.",
    ),
    Basis("handlingsdel", PBL, "11-1", 1, None, "requires", _KP_PARTS),
    Basis(
        "handlingsdel", PBL, "11-1", 4, None, "governs",
        "Kommuneplanen skal ha en handlingsdel som angir hvordan planen skal følges opp de fire påfølgende "
        "år eller mer, og revideres årlig.",
    ),
    Basis("arealdel", PBL, "11-1", 1, None, "requires", _KP_PARTS),
    Basis(
        "arealdel", PBL, "11-5", 1, None, "requires",
        "Kommunen skal ha en arealplan for hele kommunen (kommuneplanens arealdel) som viser sammenhengen "
        "mellom framtidig samfunnsutvikling og arealbruk.",
    ),
    Basis(
        "arealdel", PBL, "11-6", 1, None, "binds",
        "Kommuneplanens arealdel fastsetter framtidig arealbruk for området og er ved kommunestyrets vedtak "
        "bindende for nye tiltak eller utvidelse av eksisterende tiltak",
    ),
    Basis(
        "kommunedelplan", PBL, "11-1", 3, None, "permits",
        "Det kan utarbeides kommunedelplan for bestemte områder, temaer eller virksomhetsområder.",
    ),
    Basis(
        "kommunedelplan", PBL, "11-2", 3, None, "governs",
        "Kommunedelplaner for temaer eller virksomhetsområder skal ha en handlingsdel som angir hvordan "
        "planen skal følges opp de fire påfølgende år eller mer.",
    ),
    # sector strategies and temaplaner have no statutory basis (the thesis, 5.5: «strategier og
    # fagplaner … som ikke er hjemlet i lov»); pbl § 11-2 second paragraph is the samfunnsdel's
    # effect on them, a level link (plangraf.reference.level_links), not their basis
    Basis("okonomiplan", PBL, "11-1", 4, None, "permits", _OKP_HD),
    Basis("okonomiplan", KOML, "14-2", 1, "a", "requires", "økonomiplanen og årsbudsjettet"),
    Basis(
        "okonomiplan", KOML, "14-3", 1, None, "governs",
        "Økonomiplanen for de neste fire årene og årsbudsjettet for det kommende året skal vedtas før årsskiftet.",
    ),
    Basis(
        "okonomiplan", KOML, "14-4", 1, None, "governs",
        "Økonomiplanen skal vise hvordan langsiktige utfordringer, mål og strategier i kommunale og "
        "regionale planer skal følges opp.",
    ),
    Basis(
        "okonomiplan", KOML, "14-4", 5, None, "permits",
        "Økonomiplanen kan inngå i eller utgjøre kommuneplanens handlingsdel etter plan- og bygningsloven "
        "§ 11-1 fjerde ledd.",
    ),
    Basis("okonomiplan", KOML_1992, "44", None, None, "requires", None),
    Basis("budget", KOML, "14-2", 1, "a", "requires", "økonomiplanen og årsbudsjettet"),
    Basis(
        "budget", KOML, "14-3", 1, None, "governs",
        "Økonomiplanen for de neste fire årene og årsbudsjettet for det kommende året skal vedtas før årsskiftet.",
    ),
    Basis(
        "budget", KOML, "14-4", 2, None, "governs",
        "Økonomiplanen og årsbudsjettet skal vise kommunestyrets eller fylkestingets prioriteringer og "
        "bevilgninger og de målene og premissene som økonomiplanen og årsbudsjettet bygger på.",
    ),
    Basis(
        "budget", KOML, "14-5", 1, None, "binds",
        "Årsbudsjettet er bindende for kommunestyret, fylkestinget og underordnete organer.",
    ),
    Basis("budget", KOML_1992, "45", None, None, "requires", None),
)  # fmt: skip

# When the provisions came into force and (where repealed) ceased, with the words of the
# reference text that say so; a provision not covered here has no date: unknown.
PBL_PLAN_PART = (
    "2009-07-01",
    None,
    "LOV-2008-06-27-71 § 34-1, note: «trådte plandelen, med unntak av kapittel 15 , ikr. 1 juli 2009»",
)
KOML_CHAPTER_14 = (
    "2020-01-01",
    None,
    "LOV-2018-06-22-83 § 31-1, note: «Kapitlene 14 , 15 , 16 , 28 og 29 trer i kraft 1 jan 2020»",
)
KOML_1992_ECONOMY = (
    None,
    "2019-12-31",
    "LOV-2018-06-22-83 § 31-1: «Fra samme tidspunkt oppheves lov 25. september 1992 nr. 107 om kommuner og "
    "fylkeskommuner.» Its chapter 14 on økonomiplan and årsbudsjett came into force on 1 January 2020.",
)

# The act of 1992 is not among the reference texts; its title is as the 2018 act names it.
KOML_1992_TITLE = "lov 25. september 1992 nr. 107 om kommuner og fylkeskommuner"
KOML_1992_SECTIONS = {"44": "§ 44. Økonomiplan", "45": "§ 45. Årsbudsjett"}


def in_force(law: str, section: str) -> tuple[str | None, str | None, str] | None:
    """(from, until, evidence) for a provision, or None where the reference does not say."""
    if law == PBL and 3 <= int(section.split("-")[0]) <= 14:  # Andre del: Plandel
        return PBL_PLAN_PART
    if law == KOML and section.startswith("14-"):
        return KOML_CHAPTER_14
    if law == KOML_1992 and section in KOML_1992_SECTIONS:
        return KOML_1992_ECONOMY
    return None
