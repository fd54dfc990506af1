"""The sentences of the report's templates in English, by their Norwegian wording.

The templates are written in Norwegian and say each sentence as ``t("…")`` (with ``{name}``
for a value: ``t("Forespørsel {date}", date=…)``); :func:`translator` gives the ``t`` of a
page's language. The map's attribution, which the shipped shapes give in English, has its
Norwegian here too. The words for stored values are in :mod:`plangraf.outputs.language`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plangraf.outputs.language import check_language

EN: dict[str, str] = {
    # the claims section
    "Stemmer studiens egne oppsummeringer?": "Do the study's own summaries hold?",
    "Hver påstand i 4.4, 5.1, 5.2 og 5.5 regnet ut på nytt fra funnene, under hver lesning av kodevalgene.": (
        "Each claim of 4.4, 5.1, 5.2 and 5.5 recomputed from the findings, under every reading of the coding decisions."
    ),
    "Alle {n} kombinasjoner er prøvd.": "All {n} combinations were tried.",
    "Uenighet rapporteres, data endres ikke.": "Disagreement is reported; the data is not changed.",
    "Regelen står i kolonnen «Oppgitt»: «minst 3» stemmer når beregnet tall er 3 eller mer (tesens «flere», "
    "«de fleste»), «nøyaktig 3» bare når det er 3.": (
        "The rule is in the column “Stated”: “at least 3” holds when the computed number is 3 or more (the "
        "thesis's «flere», «de fleste»), “exactly 3” only when it is 3."
    ),
    "Påstand": "Claim",
    "Seksjon": "Section",
    "Oppgitt (regel)": "Stated (rule)",
    "Beregnet": "Computed",
    "Vurdering": "Verdict",
    "Kommuner": "Municipalities",
    "stemmer": "agrees",
    "stemmer ikke": "disagrees",
    "avhenger av kodingen": "depends on the coding",
    "minst {n}": "at least {n}",
    "nøyaktig {n}": "exactly {n}",
    "bare med koderens lenker: med kildens egne lenker {n}": (
        "only with the coders' links: with the source's own links {n}"
    ),
    "Påstander som ingen lesning får til å stemme sammen": "Claims that no reading makes agree together",
    "Hvert sett er minimalt: under ingen av de {n} lesningene stemmer alle påstandene i settet, mens hver mindre "
    "del stemmer under lesningen som er oppgitt («default» er filene slik de er skrevet).": (
        "Each set is minimal: under none of the {n} readings do all claims of the set agree, while each smaller part "
        "agrees under the reading given (“default” is the files as written)."
    ),
    "Påstander": "Claims",
    "Delsett og lesningen de stemmer under": "Subsets and the reading they agree under",
    "stemmer ikke under noen lesning": "agrees under no reading",
    # every page
    "Oversikt": "Overview",
    "Belegg": "Evidence",
    "Laget av plangraf fra grafen: hver celle lenker til funnene og koblingene bak den.": (
        "Made by plangraf from the graph: every cell links to the findings and links behind it."
    ),
    # findings and their links
    "Oppsummering i studien:": "Summary in the study:",
    "kodet av": "coded by",
    "undersøkt, ikke funnet": "examined, not found",
    "kilde": "source",
    "kilden": "the source",
    "Kobling til": "Link to",
    "Relasjon": "Relation",
    "Grunnlag": "Basis",
    "Koder / kilde": "Coder / source",
    "Vei": "Path",
    # heatmaps
    "Kommune": "Municipality",
    "Tegnforklaring for varmekartene": "Key to the heatmaps",
    "Tegnforklaring.": "Key.",
    "Bokstaven er den sterkeste relasjonen bak cellen (mørkere er sterkere):": (
        "The letter is the strongest relation behind the cell (darker is stronger):"
    ),
    "kilden selv (studien) knytter teksten til målet (basis stated): dobbel ramme, uten *": (
        "the source itself (the study) ties the text to the goal (basis stated): double frame, no *"
    ),
    "* bare koderes lesning (basis coded): ingen kobling er oppgitt av kilden": (
        "* coders' readings only (basis coded): the source states none of the links"
    ),
    "† bare via et mål som gjennomfører det (via-implementation): skravert": (
        "† only through a goal that implements it (via-implementation): hatched"
    ),
    "undersøkt, ikke funnet (no) · tom celle: ikke undersøkt": "examined, not found (no) · empty cell: not examined",
    "Uten † når koblingen målet direkte eller gjennom et smalere mål i samme dokument. Hold pekeren over en celle for "
    "relasjon, vei, grunnlag og antall funn.": (
        "Without † when the link reaches the goal directly or through a narrower goal of the same document. Hover "
        "over a cell for relation, path, basis and number of findings."
    ),
    # agreement between coders
    "Samsvar mellom kodere": "Agreement between coders",
    "Kodere:": "Coders:",
    "Per kode: prosentvis samsvar, Krippendorffs α (nominal) for alle kodere og Cohens κ for hvert par; «n/a» der "
    "målet ikke er definert (bare én verdi). Verdier: relasjonstypen koderen valgte, eller «ikke kodet».": (
        "Per code: percent agreement, Krippendorff's α (nominal) for all coders and Cohen's κ for each pair; "
        "“n/a” where the measure is undefined (one value only). Values: the relation kind the coder chose, or "
        "“not coded”."
    ),
    "Passasjer: én enhet når den felles teksten er minst halvparten av den korteste passasjen i samme dokument.": (
        "Passages: passages of one document are one unit when their shared text is at least half of the shorter one."
    ),
    "Enhet:": "Unit:",
    "dokument": "document",
    "passasje": "passage",
    "Kode": "Code",
    "Enheter": "Units",
    "Samsvar %": "Agreement %",
    "Alle koder": "All codes",
    # the evidence page
    "belegg": "evidence",
    "Belegg bak hver celle": "The evidence behind each cell",
    "Hvert funn med koblingene som når cellens mål: relasjon, grunnlag (oppgitt i kilden: kilden selv knytter teksten "
    "til målet, med seksjon; koders lesning: en navngitt koders), koder eller kildeseksjon, og vei (direkte, via et "
    "bredere mål, via et mål som gjennomfører det).": (
        "Each finding with the links that reach the cell's goal: relation, basis (stated in the source: the source "
        "itself ties the text to the goal, with its section; a coder's reading: a named coder's), coder or source "
        "section, and path (direct, via a broader goal, via a goal that implements it)."
    ),
    "Søk i belegget:": "Search the evidence:",
    "kommune, dokument, mål, sitat, koder …": "municipality, document, goal, quote, coder …",
    "funn passer": "findings match",
    # the overview page
    "studierapport": "study report",
    "Dokumentstudie av {answered} av {asked} spurte kommuner.": (
        "Document study of {answered} of the {asked} municipalities asked."
    ),
    "Forespørsel {date}": "Request {date}",
    "purring {date}": "reminder {date}",
    "status vurdert per {date}.": "status as of {date}.",
    "Utvalg og svar": "Sample and responses",
    "Fylke": "County",
    "Innbyggere": "Population",
    "I utvalget": "In the sample",
    "Svarte": "Answered",
    "Ingen kommuner i utvalgsrammen: studien oppgir ingen fylker, terskel eller befolkningsdato "
    "(study.yaml, sample).": (
        "No municipalities in the sample frame: the study gives no counties, threshold or population date "
        "(study.yaml, sample)."
    ),
    "Svar mottatt": "Answer received",
    "Dokumenter mottatt": "Documents received",
    "Hvor kommunene ligger": "Where the municipalities lie",
    "Kommunegrenser per {year} (studiedato {date}). Til venstre: det høyeste plannivået som forankrer prioriteringene "
    "i {guidance} (spørringen anchoring). Til høyre: hvor mange av de {goals} målene kommunens dokumenter gjenspeiler "
    "(guidance-coverage). Grå: ikke i studien.": (
        "Municipal borders as of {year} (study date {date}). Left: the highest plan level anchoring the priorities "
        "of {guidance} (the query anchoring). Right: how many of the {goals} goals the municipality's documents "
        "reflect (guidance-coverage). Grey: not in the study."
    ),
    "Uten grense på kartet:": "Without a border on the map:",
    "Kart over kommunene i studien": "Map of the municipalities of the study",
    "{covered} av {goals} mål": "{covered} of {goals} goals",
    "Forankring": "Anchoring",
    "Dekning av målene": "Coverage of the goals",
    "ingen": "none",
    "omtrent halvparten": "about half",
    "alle": "all",
    # the anchoring levels of the map (plangraf.outputs.maps.ANCHORS)
    "ingen forankring": "no anchoring",
    "budsjett": "budget",
    "handlingsdel / økonomiplan": "action part / financial plan",
    "strategi eller plan": "strategy or plan",
    "kommuneplanens samfunnsdel": "community part of the municipal master plan",
    "Hvilke nasjonale føringer gjenspeiles?": "Which national guidance is reflected?",
    "Per kommune og mål: den sterkeste relasjonen, direkte eller gjennom et smalere eller oppfølgende mål, hvilket "
    "grunnlag den hviler på, og om målet ble undersøkt uten funn. Klikk en celle for funnene og koblingene bak.": (
        "Per municipality and goal: the strongest relation, directly or through a narrower or implementing goal, "
        "the basis it rests on, and whether the goal was examined and not found. Click a cell for the findings "
        "and links behind it."
    ),
    "Sterkeste relasjon per kommune og mål i {title}; tegnforklaring over tabellene.": (
        "Strongest relation per municipality and goal of {title}; key above the tables."
    ),
    "eGovWSF-elementer": "eGovWSF elements",
    "Antall funn per kommune og eGovWSF-element; no: undersøkt, ikke funnet; tom: ikke undersøkt.": (
        "Findings per municipality and eGovWSF element; no: examined, not found; empty: not examined."
    ),
    "Styringsdokumenter og gyldighet": "Governing documents and their validity",
    "periode ikke oppgitt": "period not given",
    "Tykk kant: sektorstrategi. Rød linje: studiedato {date}.": (
        "Thick border: sector strategy. Red line: study date {date}."
    ),
    "Tidslinje": "Timeline",
    "Hvilke føringer bygger på hvilke": "Which guidance builds on which",
    "Føringslinjer": "Lineage of the guidance",
    "En pil peker fra et dokument til dokumentet det bygger på (pg:buildsOn); stiplet: en utgave av verket "
    "(dcterms:isVersionOf).": (
        "An arrow points from a document to the document it builds on (pg:buildsOn); dashed: an edition of the "
        "work (dcterms:isVersionOf)."
    ),
    "Plassert av Graphviz (dot).": "Laid out by Graphviz (dot).",
    "Satt i kolonner: Graphviz (dot) er ikke installert.": "Set in columns: Graphviz (dot) is not installed.",
    "Validering (SHACL)": "Validation (SHACL)",
    "Grafen oppfyller ikke formkravene.": "The graph does not meet the shapes.",
    "Ingen brudd.": "No violations.",
    "{violations} brudd, {warnings} advarsler, {infos} merknader.": (
        "{violations} violations, {warnings} warnings, {infos} notes."
    ),
    "Alvor": "Severity",
    "Form": "Shape",
    "Gjelder": "Focus",
    "Melding": "Message",
    "Gjenbruk av nasjonal tekst («klipp og lim»)": "Reuse of national text (“copy and paste”)",
    "Målt av plangraf reuse (plangraf docs reuse): kommunale tekststeder som gjengir nasjonale tekster. Felles ord er "
    "markert.": (
        "Measured by plangraf reuse (plangraf docs reuse): municipal passages that repeat national texts. Shared "
        "words are marked."
    ),
    "Dokument": "Document",
    "Nasjonalt dokument": "National document",
    "Klasse": "Class",
    "Skår": "Score",
    "Ord": "Words",
    "Kommunal tekst": "Municipal text",
    "Nasjonal tekst": "National text",
    "Ingen målt gjenbruk (skriv den med plangraf reuse --write).": (
        "No measured reuse (write it with plangraf reuse --write)."
    ),
    # a municipality's page
    "{name} kommune": "{name} municipality",
    "Digitaliseringsstrategi per {date}": "Digitalisation strategy as of {date}",
    "Status": "Status",
    "Periode": "Period",
    "Tilstand": "State",
    "Styringsdokumenter": "Governing documents",
    "Plannivå": "Plan level",
    "Vedtatt": "Adopted",
    "Kilde": "Source",
    "Samarbeid og samordning": "Cooperation and coordination",
    "Samarbeid:": "Cooperation:",
    "ingen registrert": "none recorded",
    "Samordningsstrukturer:": "Coordination structures:",
    "Funn": "Findings",
    "Hvert funn med sin koder og sine koblinger: mål, relasjon, grunnlag (oppgitt i kilden: kilden selv, med seksjon; "
    "koders lesning: en navngitt koders; foreslått av en metode: med skår), koder eller kildeseksjon.": (
        "Each finding with its coder and its links: goal, relation, basis (stated in the source: the source itself, "
        "with its section; a coder's reading: a named coder's; suggested by a method: with its score), coder or "
        "source section."
    ),
}

#: the few texts that come in English from shipped data, in Norwegian
NB: dict[str, str] = {
    "© Kartverket (CC BY 4.0), simplified by robhop/fylker-og-kommuner": (
        "© Kartverket (CC BY 4.0), forenklet av robhop/fylker-og-kommuner"
    ),
}

CATALOGUES: dict[str, dict[str, str]] = {"nb": NB, "en": EN}


def translator(lang: str) -> Callable[..., str]:
    """``t(text, **values)`` for the templates: ``text`` (a Norwegian sentence) in ``lang`` with
    its ``{name}`` fields filled; a text the catalogue does not hold (a label from the data)
    is shown as it is."""
    catalogue = CATALOGUES[check_language(lang)]

    def t(text: str, **values: Any) -> str:
        said = catalogue.get(text, text)
        return said.format(**values) if values else said

    return t
