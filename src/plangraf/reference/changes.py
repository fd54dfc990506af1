"""Municipalities over time: the 2020 changes that touch the study's municipalities, as W3C
ORG change events (``org:ChangeEvent``), from SSB's 2019→2020 change table.

For each studied municipality (``listed_respondent`` in the derived sample file), the rows of
``kommuner_med_endringer_fra2019_til2020.csv`` whose 2020 number is its number give its 2019
predecessors. A predecessor with the 2020 name is the same organisation under its old
number (Tønsberg 0704, Porsgrunn 0805): its 2019 number is added to it. A predecessor with
another name (Re 0716, Finnøy, Rennesøy, Forsand) is an organisation of its own, which the
event names as original organisation; the event's date is the first day of the 2020
classification, as the 2020 numbers' periods already are. Where a 2020 municipality had more
than one predecessor, one event per 2020 municipality says so. The register gives no start
date for the 2019 numbers and no names for the counties of 2019 (07, 08): neither is
invented; those counties are areas with their number only.

The county split of 2024 (Vestfold og Telemark into Vestfold and Telemark) is an event
between the county authorities, dated as the 2024 counties' periods.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import DCTERMS, ORG, PG, PGID, RDF, RDFS, SKOS, XSD, slugify
from plangraf.reference.periods import add_period
from plangraf.reference.sources import CHANGES_2020_FILE, SAMPLE_FILE, read_shared, source_node

EVENT_2020 = "2020-01-01"  # the first day of SSB classification 131's 2020 version
LAST_DAY_2019 = "2019-12-31"


def _split(cell: str) -> tuple[str, str]:
    """«0716 - Re» → ("0716", "Re")."""
    number, sep, name = cell.replace("\xa0", " ").partition(" - ")
    if not sep or not number.isdigit():
        raise PlangrafError(f"not «number - name»: {cell!r}", file=CHANGES_2020_FILE, field="kommuner_2019")
    return number.strip(), name.strip()


def studied(shared: Path) -> dict[str, str]:
    """2020 number → name of the municipalities that answered the study."""
    rows = csv.DictReader(io.StringIO(read_shared(shared, SAMPLE_FILE)))
    return {r["kommunenummer_2020"]: r["name"] for r in rows if r["listed_respondent"] == "yes"}


def add_number(
    g: Graph, org: URIRef, number: str, src: URIRef, *, key: str = "2019", end: str | None = LAST_DAY_2019
) -> BNode:
    """``org``'s former number ``number`` (``municipality-number/<number>-<key>``) in its county,
    with its period (ending on ``end``, if known); returns the period."""
    node = PGID[f"municipality-number/{number}-{key}"]
    g.add((org, PG.hasNumber, node))
    g.add((node, RDF.type, PG.MunicipalityNumber))
    g.add((node, SKOS.notation, Literal(number)))
    g.add((node, PG.inCounty, PGID[f"county/{number[:2]}"]))
    period = add_period(g, node, None, end)
    g.add((node, DCTERMS.source, src))
    county = PGID[f"county/{number[:2]}"]
    if (county, RDF.type, PG.County) not in g:
        g.add((county, RDF.type, PG.County))
        g.add((county, SKOS.notation, Literal(number[:2])))
        g.add((county, DCTERMS.source, src))
        note = "A county of 2019 known by its number only: the reference registers do not name it."
        g.add((county, RDFS.comment, Literal(note, lang="en")))
    return period


def _predecessors(shared: Path) -> dict[str, list[tuple[str, str]]]:
    """2020 number → the (number, name) of 2019 that the change table maps to it."""
    text = read_shared(shared, CHANGES_2020_FILE, encoding="iso-8859-1")
    predecessors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        new_number, _new_name = _split(row["kommuner_2020"])
        predecessors[new_number].append(_split(row["kommuner_2019"]))
    return predecessors


def numbers_2019(shared: Path) -> dict[str, set[str]]:
    """2020 number → its numbers of 2019, for the municipalities the change table lists
    (one that it does not list kept its number)."""
    return {new: {old for old, _ in olds} for new, olds in _predecessors(shared).items()}


def build_changes_2020(shared: Path, into: Graph) -> None:
    """Add the 2019 predecessors of the studied municipalities and their change events."""
    src = source_node(into, CHANGES_2020_FILE)
    studied_numbers = studied(shared)
    predecessors = _predecessors(shared)
    for new_number, name in sorted(studied_numbers.items()):
        successor = PGID[f"municipality/{slugify(name)}"]
        if (successor, RDF.type, PG.Municipality) not in into:
            raise PlangrafError(
                f"studied municipality {name} ({new_number}) not in the 2020 register", file=SAMPLE_FILE
            )
        originals = []
        for old_number, old_name in sorted(predecessors.get(new_number, [])):
            if old_name == name:  # the same organisation under its 2019 number
                add_number(into, successor, old_number, src)
                originals.append(successor)
                continue
            org = PGID[f"municipality/{slugify(old_name)}-{old_number}"]
            into.add((org, RDF.type, PG.Municipality))
            into.add((org, SKOS.prefLabel, Literal(old_name, lang="nb")))
            into.add((org, RDFS.label, Literal(old_name, lang="nb")))
            into.add((org, DCTERMS.identifier, Literal(f"{slugify(old_name)}-{old_number}")))
            into.add((org, DCTERMS.source, src))
            add_number(into, org, old_number, src)
            originals.append(org)
        if len(originals) > 1 or any(o != successor for o in originals):
            _event(into, f"municipality/{new_number}", EVENT_2020, originals, [successor], src)


def _event(g: Graph, key: str, date: str, originals: list[URIRef], results: list[URIRef], src: URIRef) -> URIRef:
    event = PGID[f"change-event/{date[:4]}/{key}"]
    g.add((event, RDF.type, ORG.ChangeEvent))
    g.add((event, DCTERMS.date, Literal(date, datatype=XSD.date)))
    g.add((event, DCTERMS.source, src))
    for org in originals:
        g.add((event, ORG.originalOrganization, org))
    for org in results:
        g.add((event, ORG.resultingOrganization, org))
        g.add((org, ORG.resultedFrom, event))
    return event


def build_county_split_2024(into: Graph, splits: dict[str, tuple[str, ...]], src: URIRef) -> None:
    """The county authorities that a 2024 split ended and began, as change events."""
    for old, new in sorted(splits.items()):
        original = PGID[f"county-authority/{old}"]
        results = [PGID[f"county-authority/{n}"] for n in new]
        if any((o, RDF.type, PG.CountyAuthority) not in into for o in [original, *results]):
            continue  # a county the registers do not hold (Oslo has no county authority)
        _event(into, f"county-authority/{old}", "2024-01-01", [original], results, src)
