"""The ids a researcher types: guidance documents and goals, eGovWSF elements, plan levels,
relation kinds, coders and the study's municipalities, read from a build; and the check of
a query parameter against them, with "did you mean".

A shipped query's parameter is checked by its name (``municipality``, ``guidance``,
``element``, ``min_relation``, ``plan_level``, ``coder``) or by a ``values:`` key in its
``#+ params`` entry naming one of :data:`KINDS`. A value the graph does not know would give an
empty answer; it is refused instead, naming the closest known values.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pyoxigraph as ox

from plangraf.core.errors import PlangrafError

_PREFIXES = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

_ID = "https://w3id.org/plangraf/id/"

# kind -> (what it lists, the SELECT giving ?s ?id ?nb ?en)
_LABELS = """
  OPTIONAL { ?s skos:prefLabel ?nb . FILTER (LANG(?nb) = "nb" || LANG(?nb) = "") }
  OPTIONAL { ?s skos:prefLabel ?en . FILTER (LANG(?en) = "en") }
"""
_QUERIES: dict[str, tuple[str, str]] = {
    "guidance": (
        "guidance documents (white papers, strategies, circulars, guides, reports)",
        "SELECT ?s ?id ?nb ?en WHERE { ?s a pg:GuidanceDocument ; dcterms:identifier ?id ." + _LABELS + "}",
    ),
    "goals": (
        "goals and other items of the guidance documents",
        "SELECT ?s ?id ?nb ?en WHERE { ?s a pg:GuidanceItem ; dcterms:identifier ?id ."
        " FILTER NOT EXISTS { ?s a pg:GuidanceDocument }" + _LABELS + "}",
    ),
    "elements": (
        "elements of the eGovWSF model",
        f"SELECT ?s ?id ?nb ?en WHERE {{ ?s skos:inScheme <{_ID}egovwsf> ."
        f' BIND (STRAFTER(STR(?s), "{_ID}egovwsf/") AS ?id)' + _LABELS + "}",
    ),
    "plan-levels": (
        "plan levels of municipal governing documents",
        f"SELECT ?s ?id ?nb ?en WHERE {{ ?s skos:inScheme <{_ID}plan-level> ; skos:notation ?id ." + _LABELS + "}",
    ),
    "relations": (
        "relation kinds of a link (how a passage reflects guidance)",
        f"SELECT ?s ?id ?nb ?en WHERE {{ ?s skos:inScheme <{_ID}relation> ; skos:notation ?id ." + _LABELS + "}",
    ),
    "coders": (
        "coders of the study",
        f"SELECT ?s ?id ?nb ?en WHERE {{ ?s foaf:name ?nb . FILTER STRSTARTS(STR(?s), '{_ID}agent/')"
        f' BIND (STRAFTER(STR(?s), "{_ID}agent/") AS ?id) BIND ("" AS ?en) }}',
    ),
    "municipalities": (
        "municipalities of the study",
        "SELECT ?s ?id ?nb ?en WHERE { ?study pg:coversMunicipality ?s . ?s dcterms:identifier ?id ." + _LABELS + "}",
    ),
    "all-municipalities": (
        "municipalities in the reference data (every date)",
        "SELECT ?s ?id ?nb ?en WHERE { ?s a pg:Municipality ; dcterms:identifier ?id ." + _LABELS + "}",
    ),
}

KINDS = tuple(k for k in _QUERIES if k != "all-municipalities")
"""The kinds of ids, in the order ``plangraf ids`` lists them."""

# a parameter's name -> the kind of id it takes
PARAM_KINDS = {
    "municipality": "municipalities",
    "guidance": "guidance-or-goal",
    "element": "elements",
    "min_relation": "relations",
    "relation": "relations",
    "plan_level": "plan-levels",
    "coder": "coders",
}


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    label_nb: str
    label_en: str
    iri: str

    def names(self) -> tuple[str, ...]:
        """What a parameter may say for this entry: its id, IRI or a label."""
        return tuple(n for n in (self.id, self.iri, self.label_nb, self.label_en) if n)


def describe(kind: str) -> str:
    """One line saying what ``kind`` lists."""
    return _QUERIES[kind][0]


def entries(store: ox.Store, kind: str) -> list[Entry]:
    """The ids of ``kind`` in the built graph, sorted by id."""
    if kind not in _QUERIES:
        raise PlangrafError(f"unknown kind of id '{kind}'{_suggest(kind, KINDS)}; known: {', '.join(KINDS)}")
    found: dict[str, Entry] = {}
    solutions = store.query(_PREFIXES + _QUERIES[kind][1], use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        iri, ident = row["s"], row["id"]
        if iri is None or ident is None:
            continue
        nb, en = row["nb"], row["en"]
        entry = Entry(kind, ident.value, nb.value if nb else "", en.value if en else "", iri.value)
        if entry.id not in found or (entry.label_nb and not found[entry.id].label_nb):
            found[entry.id] = entry
    return sorted(found.values(), key=lambda e: e.id)


def matching(items: list[Entry], text: str | None) -> list[Entry]:
    """The entries whose id or a label contains ``text`` (case-insensitive)."""
    if not text:
        return items
    needle = text.casefold()
    return [e for e in items if any(needle in n.casefold() for n in (e.id, e.label_nb, e.label_en))]


def _suggest(value: str, known: tuple[str, ...] | list[str]) -> str:
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{by_fold[c]}'" for c in close) + "?"


def param_kind(name: str, declared: str | None = None) -> str | None:
    """The kind of id a parameter takes: declared in its metadata, else by its name."""
    return declared or PARAM_KINDS.get(name)


def check_value(store: ox.Store, name: str, value: str, kind: str) -> None:
    """Refuse ``value`` for parameter ``name`` unless the graph knows it as an id of ``kind``.

    ``guidance-or-goal`` accepts a guidance document or any of its items.
    """
    kinds = ("guidance", "goals") if kind == "guidance-or-goal" else (kind,)
    if any(k not in _QUERIES for k in kinds):
        raise PlangrafError(f"parameter {name}: unknown kind of values '{kind}'; known: {', '.join(KINDS)}")
    known = [e for k in kinds for e in entries(store, k)]
    if any(value in e.names() for e in known):
        return
    ids = [e.id for e in known]
    hint = _suggest(value, ids) or _suggest(value, [e.label_nb for e in known if e.label_nb])
    what = describe(kinds[0]) if len(kinds) == 1 else "guidance documents and their goals"
    if kind == "municipalities":
        hint = _elsewhere(store, value, ids) or hint
    if kind == "guidance" and any(value in e.names() for e in entries(store, "goals")):
        hint = " (it is a goal; this parameter takes a guidance document, e.g. " + value.split("/")[0] + ")"
    if not hint:
        hint = (
            f"; known: {', '.join(ids)}" if len(ids) <= 12 else f"; list the {len(ids)} with: plangraf ids {kinds[0]}"
        )
    raise PlangrafError(f"'{value}' is not one of the {what}{hint}", field=name)


def _elsewhere(store: ox.Store, value: str, study_ids: list[str]) -> str:
    """A hint for a municipality outside the study: named exactly, or closer to one outside
    the study than to any inside it."""
    everywhere = entries(store, "all-municipalities")
    for entry in everywhere:
        if value in entry.names():
            return f" ({entry.label_nb or entry.id} is a municipality, but not in this study)"
    inside = max((_ratio(value, i) for i in study_ids), default=0.0)
    outside = max(everywhere, key=lambda e: _ratio(value, e.id), default=None)
    if outside is not None and _ratio(value, outside.id) > max(inside, 0.6):
        return f"; did you mean '{outside.label_nb or outside.id}'? (not in this study)"
    return ""


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()
