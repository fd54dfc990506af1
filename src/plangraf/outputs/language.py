"""The words of the report's pages for the values plangraf stores as ids (relation kinds,
bases, paths, statuses, plan levels, severities, yes/no), in Norwegian (nb) and English (en),
so that a page speaks one language throughout. Ids stay in ``data-`` attributes for scripts
and tests; the sentences of the templates are in :mod:`plangraf.outputs.report_text`."""

from __future__ import annotations

from typing import Any

from plangraf.core.errors import PlangrafError

NB: dict[str, str] = {
    # yes/no
    "yes": "ja",
    "no": "nei",
    # relation kinds (the labels of pgid:relation)
    "explicit-reference": "eksplisitt henvisning",
    "verbatim": "ordrett gjenbruk",
    "paraphrase": "omskriving",
    "thematic": "tematisk",
    "absent": "fraværende",
    # bases of a link
    "stated": "oppgitt i kilden",
    "coded": "koders lesning",
    "suggested": "foreslått av en metode",
    # paths
    "direct": "direkte",
    "via-broader-goal": "via et bredere mål",
    "via-implementation": "via et mål som gjennomfører det",
    # document statuses and states on a date
    "adopted": "vedtatt",
    "draft": "utkast",
    "under-development": "under utarbeidelse",
    "under-revision": "under revisjon",
    "in-force": "i kraft",
    "expired": "utløpt",
    "not-yet-in-force": "ikke i kraft ennå",
    "unknown": "ukjent",
    "none": "ingen",
    # plan levels
    "planstrategi": "planstrategi",
    "samfunnsdel": "samfunnsdel",
    "arealdel": "arealdel",
    "handlingsdel": "handlingsdel",
    "okonomiplan": "økonomiplan",
    "budget": "budsjett",
    "kommunedelplan": "kommunedelplan",
    "temaplan": "temaplan",
    "sector-strategy": "sektorstrategi",
    "political-decision": "politisk vedtak",
    # severities
    "Violation": "Brudd",
    "Warning": "Advarsel",
    "Info": "Merknad",
}


EN: dict[str, str] = {
    "yes": "yes",
    "no": "no",
    "explicit-reference": "explicit reference",
    "verbatim": "verbatim reuse",
    "paraphrase": "paraphrase",
    "thematic": "thematic",
    "absent": "absent",
    "stated": "stated in the source",
    "coded": "a coder's reading",
    "suggested": "suggested by a method",
    "direct": "direct",
    "via-broader-goal": "via a broader goal",
    "via-implementation": "via a goal that implements it",
    "adopted": "adopted",
    "draft": "draft",
    "under-development": "under development",
    "under-revision": "under revision",
    "in-force": "in force",
    "expired": "expired",
    "not-yet-in-force": "not yet in force",
    "unknown": "unknown",
    "none": "none",
    # plan levels: the vocabulary's English labels, shortened where the page names the plan
    "planstrategi": "municipal planning strategy",
    "samfunnsdel": "community part",
    "arealdel": "land-use part",
    "handlingsdel": "action part",
    "okonomiplan": "financial plan",
    "budget": "budget",
    "kommunedelplan": "municipal sub-plan",
    "temaplan": "thematic plan",
    "sector-strategy": "sector strategy",
    "political-decision": "political decision",
    "Violation": "Violation",
    "Warning": "Warning",
    "Info": "Info",
}

WORDS = {"nb": NB, "en": EN}
LANGUAGES = tuple(WORDS)


def check_language(lang: str) -> str:
    """``lang`` if the report speaks it, else an error naming the ones it does."""
    if lang not in WORDS:
        raise PlangrafError(f"no report in language '{lang}'; choose one of: {', '.join(LANGUAGES)}", field="lang")
    return lang


def word(value: Any, lang: str = "nb") -> Any:
    """The word in ``lang`` for a stored value; anything else unchanged (names, titles, numbers)."""
    if isinstance(value, str):
        return WORDS[lang].get(value, value)
    return value


def nb(value: Any) -> Any:
    """The Norwegian word for a stored value (:func:`word` in nb)."""
    return word(value, "nb")
