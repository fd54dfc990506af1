"""The words of the report's Norwegian pages for the values plangraf stores in English ids
(relation kinds, bases, paths, statuses, plan levels, severities, yes/no), so that an nb page
speaks Norwegian throughout. Ids stay in ``data-`` attributes for scripts and tests."""

from __future__ import annotations

from typing import Any

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


def nb(value: Any) -> Any:
    """The Norwegian word for a stored value; anything else unchanged (names, titles, numbers)."""
    if isinstance(value, str):
        return NB.get(value, value)
    return value
