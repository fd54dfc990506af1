"""The typed links between plan levels, each in the words of the provision that creates it.

Hand-curated from the law texts in ``shared/reference/lovdata-lover_norwegian-laws/``, like
:mod:`plangraf.reference.legal_bases`; :func:`plangraf.reference.laws.build_laws` checks every
quote against the paragraph (and letter) it cites and writes, for each link, the direct
triple (``regional-plan pg:laidDownAsBasisFor kommuneplan``) and a ``pg:LevelLink`` naming
the provision, to ``data/reference/laws.ttl``.

Every link reads from the level that governs, contains or starts the other; none runs from
a lower tier to a higher one (``pgsh:LevelLinkUpwards``).
"""

from __future__ import annotations

from dataclasses import dataclass

from plangraf.reference.legal_bases import KOML, PBL


@dataclass(frozen=True)
class LevelLink:
    source: str  # the plan-level notation the link runs from
    prop: str  # the local name of the pg: property (a sub-property of pg:levelLink)
    target: str  # the plan-level notation the link runs to
    law: str
    section: str
    paragraph: int
    letter: str | None
    quote: str  # the law's own words in that paragraph (or letter)
    note: str | None = None  # how the link reads the provision, where it is not plain from the quote


_NF = "Dette skal følges opp i planleggingen etter denne lov og legges til grunn for statens deltaking."
_SPR = "statlig, regional og kommunal planlegging etter loven her,"
_RPS = (
    "Statlige og regionale organer og kommunene skal legge den regionale planstrategien til grunn for det "
    "videre planarbeidet i regionen."
)
_KP_PARTS = "Kommunen skal ha en samlet kommuneplan som omfatter samfunnsdel med handlingsdel og arealdel."
_HD = "Kommuneplanen skal ha en handlingsdel som angir hvordan planen skal følges opp de fire påfølgende år eller mer"
_OKP = (
    "Økonomiplanen skal vise hvordan langsiktige utfordringer, mål og strategier i kommunale og regionale "
    "planer skal følges opp."
)
_SECTORS = "Kommuneplanens samfunnsdel skal være grunnlag for sektorenes planer og virksomhet i kommunen."
_HD_BASIS = "Kommuneplanens handlingsdel gir grunnlag for kommunens prioritering av ressurser"
_SD_OWN = "Kommuneplanens samfunnsdel skal legges til grunn for kommunens egen virksomhet"
_PRIORITIES = (
    "Read with kommuneloven § 14-4 second paragraph: the økonomiplan and the årsbudsjett «skal vise "
    "kommunestyrets eller fylkestingets prioriteringer og bevilgninger»; the handlingsdel does not bind them."
)
_PLANNING = ("regional-planstrategi", "regional-plan", "planstrategi", "kommuneplan")

LINKS: tuple[LevelLink, ...] = (
    # --- national to regional and municipal ----------------------------------------------
    *(LevelLink("nasjonale-forventninger", "followedUpIn", t, PBL, "6-1", 1, None, _NF) for t in _PLANNING),
    *(LevelLink("statlige-planretningslinjer", "laidDownAsBasisFor", t, PBL, "6-2", 2, "a", _SPR) for t in _PLANNING),
    # --- regional ------------------------------------------------------------------------
    *(LevelLink("regional-planstrategi", "laidDownAsBasisFor", t, PBL, "7-2", 2, None, _RPS)
      for t in ("regional-plan", "planstrategi", "kommuneplan")),
    LevelLink("regional-planstrategi", "mayBeCarriedOutThrough", "interkommunal-plan", PBL, "9-1", 2, None,
              "Interkommunalt plansamarbeid kan igangsettes som gjennomføring av regional planstrategi."),
    LevelLink("regional-plan", "laidDownAsBasisFor", "kommuneplan", PBL, "8-2", 1, None,
              "Regional plan skal legges til grunn for regionale organers virksomhet og for kommunal og statlig "
              "planlegging og virksomhet i regionen."),
    LevelLink("regional-plan", "hasPartLevel", "handlingsprogram", PBL, "8-1", 4, None,
              "Som del av regional plan skal det samtidig utarbeides et handlingsprogram for gjennomføring av planen."),
    LevelLink("regional-plan", "mayCarryProvision", "regional-planbestemmelse", PBL, "8-5", 1, None,
              "Regional planmyndighet kan fastsette regional planbestemmelse knyttet til retningslinjer for "
              "arealbruk i en regional plan"),
    LevelLink("regional-plan", "followedUpIn", "okonomiplan", KOML, "14-4", 1, None, _OKP),
    # --- municipal -----------------------------------------------------------------------
    LevelLink("planstrategi", "startingPointFor", "kommuneplan", PBL, "11-1", 2, None,
              "Den skal ta utgangspunkt i den kommunale planstrategien"),
    LevelLink("planstrategi", "decidesRevisionOf", "kommuneplan", PBL, "10-1", 3, None,
              "Ved behandlingen skal kommunestyret ta stilling til om gjeldende kommuneplan eller deler av denne "
              "skal revideres, eller om planen skal videreføres uten endringer."),
    LevelLink("kommuneplan", "hasPartLevel", "samfunnsdel", PBL, "11-1", 1, None, _KP_PARTS),
    LevelLink("kommuneplan", "hasPartLevel", "arealdel", PBL, "11-1", 1, None, _KP_PARTS),
    LevelLink("kommuneplan", "hasPartLevel", "handlingsdel", PBL, "11-1", 4, None, _HD),
    LevelLink("kommuneplan", "hasPartLevel", "kommunedelplan", PBL, "11-1", 3, None,
              "Det kan utarbeides kommunedelplan for bestemte områder, temaer eller virksomhetsområder."),
    LevelLink("kommuneplan", "followedUpIn", "handlingsdel", PBL, "11-1", 4, None, _HD),
    LevelLink("kommunedelplan", "hasPartLevel", "handlingsdel", PBL, "11-2", 3, None,
              "Kommunedelplaner for temaer eller virksomhetsområder skal ha en handlingsdel som angir hvordan "
              "planen skal følges opp de fire påfølgende år eller mer."),
    LevelLink("handlingsdel", "mayHaveAsPart", "okonomiplan", PBL, "11-1", 4, None,
              "Økonomiplanen etter kommuneloven § 14-2 bokstav a kan inngå i eller utgjøre handlingsdelen."),
    LevelLink("samfunnsdel", "followedUpIn", "okonomiplan", KOML, "14-4", 1, None, _OKP),
    LevelLink("samfunnsdel", "givesBasisFor", "sector-strategy", PBL, "11-2", 2, None, _SECTORS),
    LevelLink("samfunnsdel", "givesBasisFor", "temaplan", PBL, "11-2", 2, None, _SECTORS),
    *(LevelLink("samfunnsdel", "laidDownAsBasisFor", t, PBL, "11-3", 1, None, _SD_OWN)
      for t in ("other-decision", "programme")),
    # the handlingsdel is the basis of the priorities the økonomiplan and the budget show
    # (koml. § 14-4 second paragraph: they «skal vise kommunestyrets … prioriteringer»)
    *(LevelLink("handlingsdel", "givesBasisFor", t, PBL, "11-3", 2, None, _HD_BASIS, _PRIORITIES)
      for t in ("okonomiplan", "budget")),
)  # fmt: skip
