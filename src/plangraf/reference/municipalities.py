"""Municipalities and counties of 2020 and 2024, with numbers, Wikidata entities and population."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import (
    DCTERMS,
    PG,
    PGID,
    RDF,
    RDFS,
    SKOS,
    XSD,
    bind_prefixes,
    county_iri,
    municipality_iri,
    slugify,
)
from plangraf.reference.admin_units import link_admin_units
from plangraf.reference.changes import build_changes_2020, build_county_split_2024
from plangraf.reference.changes_2013 import build_changes_before_2019
from plangraf.reference.periods import add_period
from plangraf.reference.sources import (
    COUNTIES_2024_FILE,
    COUNTY_WIKIDATA_FILE,
    NUMBERS_2024_FILE,
    POPULATION_FILE,
    SSB_FILE,
    WIKIDATA_FILE,
    read_shared,
    source_node,
)

# Counties split on 1 January 2024: 2020 county number -> its successors.
COUNTY_SPLITS_2024: dict[str, tuple[str, ...]] = {
    "30": ("31", "32", "33"),
    "38": ("39", "40"),
    "54": ("55", "56"),
}


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str
    slug: str


def read_ssb_2020(shared: Path) -> list[Municipality]:
    """Read SSB's 2020 classification (ISO-8859-1, ``;``-separated)."""
    text = read_shared(shared, SSB_FILE, encoding="iso-8859-1")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    # "9999 Uoppgitt" (unspecified) is a statistical code, not a municipality.
    out = [Municipality(r["code"], r["name"], slugify(r["name"])) for r in rows if r["code"] and r["code"] != "9999"]
    slugs = [m.slug for m in out]
    dupes = {s for s in slugs if slugs.count(s) > 1}
    if dupes:
        raise PlangrafError(f"municipality slugs collide: {sorted(dupes)}", file=SSB_FILE)
    return out


def _base_name(name: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", name).split(" - ")[0].strip().lower()


def numbers_2024(shared: Path, municipalities: list[Municipality]) -> dict[str, str]:
    """Map 2020 number -> 2024 number for municipalities in counties split in 2024."""
    items = json.loads(read_shared(shared, NUMBERS_2024_FILE))
    result: dict[str, str] = {}
    for m in municipalities:
        successors = COUNTY_SPLITS_2024.get(m.number[:2])
        if not successors:
            continue
        names = {_base_name(m.name)} | {_base_name(p) for p in m.name.split(" - ")}
        hits = [
            it["id"]
            for it in items
            if it["id"][:2] in successors
            and ({_base_name(it["name"]), _base_name(it.get("name_no") or it["name"])} & names)
        ]
        if len(hits) != 1:
            raise PlangrafError(
                f"cannot match {m.name} ({m.number}) to one 2024 number: {hits}",
                file=NUMBERS_2024_FILE,
            )
        result[m.number] = hits[0]
    return result


OSLO = "03"
OSLO_NOTE = (
    "Oslo has no county authority: «Hvert fylke unntatt Oslo utgjør en fylkeskommune.» (kommuneloven "
    "LOV-2018-06-22-83 § 3-1 first paragraph)."
)


def _add_county_authority(g: Graph, county: URIRef, number: str, name: str, source: URIRef) -> None:
    """The fylkeskommune (an organisation) that governs the county (an area)."""
    authority = PGID[f"county-authority/{number}"]
    label = f"{name} fylkeskommune"
    g.add((authority, RDF.type, PG.CountyAuthority))
    g.add((authority, SKOS.prefLabel, Literal(label, lang="nb")))
    g.add((authority, RDFS.label, Literal(label, lang="nb")))
    g.add((authority, PG.jurisdiction, county))
    g.add((authority, DCTERMS.source, source))
    for period in list(g.objects(county, DCTERMS.temporal)):
        g.add((authority, DCTERMS.temporal, period))


def build_municipalities(shared: Path) -> Graph:
    g = Graph()
    bind_prefixes(g)
    sources = {name: source_node(g, name) for name in _SOURCE_FILES}
    municipalities = read_ssb_2020(shared)
    new_numbers = numbers_2024(shared, municipalities)
    _add_counties_2020(g, shared, sorted({m.number[:2] for m in municipalities}), sources[COUNTY_WIKIDATA_FILE])
    _add_counties_2024(g, shared, sources[COUNTIES_2024_FILE])
    wikidata = {
        it["autorkode"]: it["lenke"]["wikidata"]
        for it in json.loads(read_shared(shared, WIKIDATA_FILE))["items"]
        if (it.get("lenke") or {}).get("wikidata")
    }
    population: dict[str, list[tuple[str, int]]] = {}
    for row in csv.DictReader(io.StringIO(read_shared(shared, POPULATION_FILE))):
        population.setdefault(row["kommunenummer"], []).append((row["year"], int(row["pop_jan1"])))
    for m in municipalities:
        _add_municipality(g, m, new_numbers, sources)
        _add_area(g, m, wikidata, sources[SSB_FILE], sources[WIKIDATA_FILE])
        _add_population(g, m, population.get(m.number, []), sources[POPULATION_FILE])
    build_changes_2020(shared, g)
    build_changes_before_2019(shared, g)
    build_county_split_2024(g, COUNTY_SPLITS_2024, sources[COUNTIES_2024_FILE])
    link_admin_units(shared, g)
    return g


_SOURCE_FILES = (SSB_FILE, WIKIDATA_FILE, COUNTY_WIKIDATA_FILE, NUMBERS_2024_FILE, COUNTIES_2024_FILE, POPULATION_FILE)


def _add_counties_2020(g: Graph, shared: Path, numbers: list[str], source: URIRef) -> None:
    """The counties of 2020 the municipalities are in (from the Wikidata file)."""
    county_items = json.loads(read_shared(shared, COUNTY_WIKIDATA_FILE))["items"]
    counties_2020 = {c["autorkode"]: c for c in county_items}
    for number in numbers:
        item = counties_2020.get(number)
        if item is None:
            raise PlangrafError(f"county {number} missing", file=COUNTY_WIKIDATA_FILE)
        c = county_iri(number)
        g.add((c, RDF.type, PG.County))
        g.add((c, SKOS.prefLabel, Literal(item["tittel"]["nob"], lang="nb")))
        g.add((c, RDFS.label, Literal(item["tittel"]["nob"], lang="nb")))
        g.add((c, SKOS.notation, Literal(number)))
        g.add((c, DCTERMS.source, source))
        wikidata = (item.get("lenke") or {}).get("wikidata")
        if wikidata:
            g.add((c, PG.wikidataEntity, URIRef(wikidata)))
        if number in COUNTY_SPLITS_2024:
            add_period(g, c, "2020-01-01", "2023-12-31")
        if number == OSLO:  # koml § 3-1: «Hvert fylke unntatt Oslo utgjør en fylkeskommune.»
            g.add((c, PG.note, Literal(OSLO_NOTE, lang="en")))
        else:
            _add_county_authority(g, c, number, item["tittel"]["nob"], source)


def _add_counties_2024(g: Graph, shared: Path, source: URIRef) -> None:
    """The counties of 2024 that a split of 2024 made."""
    for item in json.loads(read_shared(shared, COUNTIES_2024_FILE)):
        if any(item["id"] in s for s in COUNTY_SPLITS_2024.values()):
            c = county_iri(item["id"])
            g.add((c, RDF.type, PG.County))
            g.add((c, SKOS.prefLabel, Literal(item["name"], lang="nb")))
            g.add((c, RDFS.label, Literal(item["name"], lang="nb")))
            g.add((c, SKOS.notation, Literal(item["id"])))
            add_period(g, c, "2024-01-01", None)
            g.add((c, DCTERMS.source, source))
            _add_county_authority(g, c, item["id"], item["name"], source)


def _add_municipality(g: Graph, m: Municipality, new_numbers: dict[str, str], sources: dict[str, URIRef]) -> None:
    """A municipality with its number of 2020 and, where it changed, its number of 2024."""
    iri = municipality_iri(m.slug)
    g.add((iri, RDF.type, PG.Municipality))
    g.add((iri, SKOS.prefLabel, Literal(m.name, lang="nb")))
    g.add((iri, RDFS.label, Literal(m.name, lang="nb")))
    g.add((iri, DCTERMS.identifier, Literal(m.slug)))
    g.add((iri, DCTERMS.source, sources[SSB_FILE]))
    renumbered = m.number in new_numbers and new_numbers[m.number] != m.number
    num = PGID[f"municipality-number/{m.number}-2020"]
    g.add((iri, PG.hasNumber, num))
    g.add((num, RDF.type, PG.MunicipalityNumber))
    g.add((num, SKOS.notation, Literal(m.number)))
    g.add((num, PG.inCounty, county_iri(m.number[:2])))
    add_period(g, num, "2020-01-01", "2023-12-31" if renumbered else None)
    g.add((num, DCTERMS.source, sources[SSB_FILE]))
    if renumbered:
        new = new_numbers[m.number]
        num24 = PGID[f"municipality-number/{new}-2024"]
        g.add((iri, PG.hasNumber, num24))
        g.add((num24, RDF.type, PG.MunicipalityNumber))
        g.add((num24, SKOS.notation, Literal(new)))
        g.add((num24, PG.inCounty, county_iri(new[:2])))
        add_period(g, num24, "2024-01-01", None)
        g.add((num24, DCTERMS.source, sources[NUMBERS_2024_FILE]))


def _add_area(g: Graph, m: Municipality, wikidata: dict[str, str], ssb: URIRef, source_wikidata: URIRef) -> None:
    """The municipality's area, its jurisdiction (Wikidata's item is the administrative unit:
    the area)."""
    iri = municipality_iri(m.slug)
    area = PGID[f"municipal-area/{m.slug}"]
    g.add((area, RDF.type, PG.MunicipalArea))
    g.add((area, SKOS.prefLabel, Literal(m.name, lang="nb")))
    g.add((area, RDFS.label, Literal(m.name, lang="nb")))
    g.add((area, DCTERMS.source, ssb))
    g.add((iri, PG.jurisdiction, area))
    if m.number in wikidata:
        g.add((area, PG.wikidataEntity, URIRef(wikidata[m.number])))
        g.add((area, DCTERMS.source, source_wikidata))


def _add_population(g: Graph, m: Municipality, counts: list[tuple[str, int]], source: URIRef) -> None:
    iri = municipality_iri(m.slug)
    for year, count in counts:
        obs = PGID[f"population/{m.slug}/{year}-01-01"]
        g.add((iri, PG.population, obs))
        g.add((obs, RDF.type, PG.PopulationCount))
        g.add((obs, PG.inhabitants, Literal(count, datatype=XSD.integer)))
        g.add((obs, DCTERMS.date, Literal(f"{year}-01-01", datatype=XSD.date)))
        g.add((obs, DCTERMS.source, source))
