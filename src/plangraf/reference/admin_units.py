"""Geonorge administrative-unit IRIs for the studied municipalities' areas and their counties.

From ``fdk-reference-data_informasjonsforvaltning/administrative-enheter.ttl``, matched by
hand, as its SOURCES entry asks: the file mixes historic and current units and its ids are
Geonorge object ids, not numbers. A merged unit's id joins its parts' ids (Tønsberg,
172685172986, is Tønsberg and Re). Sandefjord is left out: two units carry that title and
nothing in the file tells which is today's. Each IRI is checked to be in the file with the
title it is matched by.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import DCTERMS, PG, PGID
from plangraf.reference.sources import ADMIN_UNITS_FILE, read_shared, source_node

BASE = "https://data.geonorge.no/administrativeEnheter/"
# area (pgid path) → (Geonorge path, the unit's dct:title in the file)
UNITS = {
    "municipal-area/haugesund": ("kommune/id/173100", "Haugesund"),
    "municipal-area/karmoy": ("kommune/id/173080", "Karmøy"),
    "municipal-area/larvik": ("kommune/id/172987172681", "Larvik"),
    "municipal-area/porsgrunn": ("kommune/id/172940", "Porsgrunn"),
    "municipal-area/sandnes": ("kommune/id/173083173078", "Sandnes"),
    "municipal-area/skien": ("kommune/id/172828", "Skien"),
    "municipal-area/sola": ("kommune/id/173097", "Sola"),
    "municipal-area/stavanger": ("kommune/id/173091173075173090", "Stavanger"),
    "municipal-area/tonsberg": ("kommune/id/172685172986", "Tønsberg"),
    "county/11": ("fylke/id/173152", "Rogaland"),
    "county/38": ("fylke/id/173158173162", "Vestfold og Telemark"),
}


def link_admin_units(shared: Path, into: Graph) -> None:
    units = Graph().parse(data=read_shared(shared, ADMIN_UNITS_FILE), format="turtle")
    src = source_node(into, ADMIN_UNITS_FILE)
    for area, (path, title) in sorted(UNITS.items()):
        unit = URIRef(BASE + path)
        if Literal(title) not in set(units.objects(unit, DCT.title)):
            raise PlangrafError(f"{unit} is not titled {title!r}", file=ADMIN_UNITS_FILE, field="dct:title")
        into.add((PGID[area], PG.administrativeUnit, unit))
        into.add((PGID[area], DCTERMS.source, src))
