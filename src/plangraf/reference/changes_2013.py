"""Municipalities over time before 2019: the changes between 2013 and 2019 that touch the
study's municipalities, from SSB's crosswalk of every municipality number in use from 2013 to
2019 to its 2020 number.

A studied municipality's numbers in the crosswalk that are not among its 2019 numbers (the
2019→2020 change table's, or its 2020 number where that table lists no change) were in use
some time from 2013 and had ended by the 2019 classification: their municipalities were merged
into the one that had the 2019 number (Sandefjord 0710, Larvik 0712). The registers give
neither the names of those municipalities nor the date of the change, and neither is made
up: each is a ``pg:Municipality`` known by its number (``municipality/kommune-0706``), its
number has a period without dates, and the ``org:ChangeEvent`` has no ``dcterms:date`` but
the bounds the registers give: ``pg:changedAfter`` 2013-01-01 (the numbers were in use in 2013
or later) and ``pg:changedBy`` 2019-01-01 (they are not in the 2019 classification).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import DCTERMS, ORG, PG, PGID, RDF, RDFS, SKOS, XSD, slugify
from plangraf.reference.changes import add_number, numbers_2019, studied
from plangraf.reference.sources import CHANGES_2020_FILE, CROSSWALK_FILE, read_shared, source_node

CHANGED_AFTER = "2013-01-01"  # the crosswalk's first year: the numbers were in use then or later
CHANGED_BY = "2019-01-01"  # the first day of the 2019 classification, which no longer has them


def crosswalk(shared: Path) -> dict[str, set[str]]:
    """2020 number → every number of 2013–2019 that the crosswalk maps to it."""
    text = read_shared(shared, CROSSWALK_FILE, encoding="iso-8859-1")
    out: dict[str, set[str]] = defaultdict(set)
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        out[row["kommunenummer_2020"]].add(row["historisk_nummer"])
    return out


def build_changes_before_2019(shared: Path, into: Graph) -> None:
    """The municipalities the studied ones absorbed between 2013 and 2019, and those changes."""
    src = source_node(into, CROSSWALK_FILE)
    src_2019 = source_node(into, CHANGES_2020_FILE)
    historic = crosswalk(shared)
    in_2019 = numbers_2019(shared)
    changed = set().union(*in_2019.values())  # the 2019 numbers the change table lists
    for number, name in sorted(studied(shared).items()):
        # its 2019 numbers: those the change table maps to it, and its own where the table
        # does not list it as changed (Stavanger 1103 beside Finnøy 1141 and Rennesøy 1142)
        kept = {number} if number not in changed and number in historic.get(number, set()) else set()
        current = in_2019.get(number, set()) | kept or {number}
        older = sorted(historic.get(number, set()) - current)
        if not older:
            continue
        if len(current) != 1:
            raise PlangrafError(
                f"{name} ({number}) had {len(current)} numbers in 2019 and older ones {older}: "
                "the registers do not say which 2019 municipality absorbed them",
                file=CROSSWALK_FILE,
            )
        (of_2019,) = current
        result = into.value(predicate=PG.hasNumber, object=PGID[f"municipality-number/{of_2019}-2019"])
        result = result or PGID[f"municipality/{slugify(name)}"]
        originals = [_known_by_number(into, old, number, name, src) for old in older]
        event = PGID[f"change-event/before-2019/municipality/{of_2019}"]
        into.add((event, RDF.type, ORG.ChangeEvent))
        into.add((event, PG.changedAfter, Literal(CHANGED_AFTER, datatype=XSD.date)))
        into.add((event, PG.changedBy, Literal(CHANGED_BY, datatype=XSD.date)))
        into.add((event, DCTERMS.source, src))
        into.add((event, DCTERMS.source, src_2019))
        for org in originals:
            into.add((event, ORG.originalOrganization, org))
        into.add((event, ORG.resultingOrganization, result))
        into.add((URIRef(str(result)), ORG.resultedFrom, event))


def _known_by_number(g: Graph, old: str, number: str, name: str, src: URIRef) -> URIRef:
    """A municipality of 2013–2018 that the registers know by its number only."""
    org = PGID[f"municipality/kommune-{old}"]
    g.add((org, RDF.type, PG.Municipality))
    g.add((org, SKOS.prefLabel, Literal(f"kommune {old}", lang="nb")))  # a municipality's name is Norwegian only
    for label, lang in ((f"kommune {old}", "nb"), (f"municipality {old}", "en")):
        g.add((org, RDFS.label, Literal(label, lang=lang)))
    g.add((org, DCTERMS.identifier, Literal(f"kommune-{old}")))
    g.add((org, DCTERMS.source, src))
    english = f"Known by its number only: SSB's crosswalk maps {old} to {number} {name}; the registers do not name it."
    norwegian = f"Kjent bare ved nummeret: SSBs nøkkel fører {old} til {number} {name}; registrene navngir den ikke."
    g.add((org, RDFS.comment, Literal(english, lang="en")))
    g.add((org, RDFS.comment, Literal(norwegian, lang="nb")))
    period = add_number(g, org, old, src, key="before-2019", end=None)
    note = "In use some time from 2013 to 2018; the crosswalk gives no dates."
    g.add((period, RDFS.comment, Literal(note, lang="en")))
    return org
