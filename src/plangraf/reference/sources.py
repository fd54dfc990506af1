"""The files of ``shared/reference`` the reference data is converted from, with their repositories."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import (
    DCTERMS,
    PGID,
    PROV,
    RDF,
    RDFS,
    slugify,
)

SSB_FILE = "ssb-kommuneinndeling_gardenberg-kommunekoder/ssb_kommunekoder_2020.csv"


WIKIDATA_FILE = "wikidata-qids_artsdatabanken-kommune-data/kommune.json"


COUNTY_WIKIDATA_FILE = "wikidata-qids_artsdatabanken-kommune-data/fylke.json"


NUMBERS_2024_FILE = "municipalities-2025_aprestmo-norway-geodata/municipalities-2025.json"


COUNTIES_2024_FILE = "municipalities-2025_aprestmo-norway-geodata/counties-2025.json"


POPULATION_FILE = "derived/population_jan1_2019-2021_b2020_from_fhidata.csv"


LAWS_FILE = "derived/laws_lovdata_identifiers.csv"


CHANGES_2020_FILE = "ssb-kommuneinndeling_gardenberg-kommunekoder/kommuner_med_endringer_fra2019_til2020.csv"


CROSSWALK_FILE = "ssb-kommuneinndeling_gardenberg-kommunekoder/kommunenummer_fra2013_til2020_long.csv"


SAMPLE_FILE = "derived/study_municipalities_gt25000_2020.csv"


ADMIN_UNITS_FILE = "fdk-reference-data_informasjonsforvaltning/administrative-enheter.ttl"


LAW_TEXT_DIR = "lovdata-lover_norwegian-laws"


# 2020 county names (SSB); the Wikidata file lists them with their numbers.
SOURCE_REPOS = {
    SSB_FILE: (
        "gardenberg/kommunekoder",
        "9289c80e1cd949527c8b996a59e4e5926be02ce4",
        "bakgrunnsdata/ssb_kommunekoder_2020.csv",
        "SSB Klass 131 (NLOD); repository MIT at its first commit",
        "https://www.ssb.no/klass/klassifikasjoner/131",
    ),
    CHANGES_2020_FILE: (
        "gardenberg/kommunekoder",
        "9289c80e1cd949527c8b996a59e4e5926be02ce4",
        "bakgrunnsdata/kommuner_med_endringer_fra2019_til2020.csv",
        "SSB Klass 131 (NLOD); repository MIT at its first commit",
        "https://www.ssb.no/klass/klassifikasjoner/131",
    ),
    CROSSWALK_FILE: (
        "gardenberg/kommunekoder",
        "9289c80e1cd949527c8b996a59e4e5926be02ce4",
        "kommunenummer_fra2013_til2020_long.csv",
        "SSB Klass 131 (NLOD); repository MIT at its first commit",
        "https://www.ssb.no/klass/klassifikasjoner/131",
    ),
    ADMIN_UNITS_FILE: (
        "Informasjonsforvaltning/fdk-reference-data",
        "55830c3820a6a7fc3d6347c7c0030c67f9c98c31",
        "src/main/resources/rdf/administrative-enheter.ttl",
        "Apache-2.0",
        "https://github.com/Informasjonsforvaltning/fdk-reference-data",
    ),
    WIKIDATA_FILE: (
        "Artsdatabanken/kommune-data",
        "acad965e60f91374eb34eaa42651c004f455f3d3",
        "kommune.json",
        "Wikidata CC0; repository states no licence",
        "https://github.com/Artsdatabanken/kommune-data",
    ),
    COUNTY_WIKIDATA_FILE: (
        "Artsdatabanken/kommune-data",
        "acad965e60f91374eb34eaa42651c004f455f3d3",
        "fylke.json",
        "Wikidata CC0; repository states no licence",
        "https://github.com/Artsdatabanken/kommune-data",
    ),
    NUMBERS_2024_FILE: (
        "aprestmo/norway-geodata",
        "97b15cd65b3ae43890bac5a3bc3c82343ba1d152",
        "data/municipalities-2025.json",
        "MIT",
        "https://github.com/aprestmo/norway-geodata",
    ),
    COUNTIES_2024_FILE: (
        "aprestmo/norway-geodata",
        "97b15cd65b3ae43890bac5a3bc3c82343ba1d152",
        "data/counties-2025.json",
        "MIT",
        "https://github.com/aprestmo/norway-geodata",
    ),
    POPULATION_FILE: (
        "folkehelseinstituttet/fhidata",
        "ea9706814f88bbb5e0b3bbfddd14bfd5fa24c50a",
        "data/norway_population_by_age_b2020.rda (summed over age and sex)",
        "SSB table 07459, NLOD 2.0; R package GPL-3",
        "https://www.ssb.no/statbank/table/07459",
    ),
    LAWS_FILE: (
        "sstraume97/norwegian-laws",
        "09fb9b86a85552531d7f8d419598410dcead3c6a",
        "front matter of the law files",
        "NLOD 2.0 (Lovdata)",
        "https://lovdata.no",
    ),
}


def source_node(graph: Graph, key: str) -> URIRef:
    repo, commit, path, licence, home = SOURCE_REPOS[key]
    node = PGID[f"source/{slugify(repo)}/{slugify(path)}"]
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDF.type, DCTERMS.BibliographicResource))
    graph.add((node, RDFS.label, Literal(f"{repo} @ {commit[:7]}: {path}")))
    graph.add((node, DCTERMS.identifier, Literal(f"{repo}@{commit}:{path}")))
    graph.add((node, DCTERMS.license, Literal(licence)))
    graph.add((node, DCTERMS.source, URIRef(home)))
    return node


def read_shared(shared: Path, rel: str, encoding: str = "utf-8") -> str:
    path = shared / rel
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise PlangrafError("reference file not found", file=str(path)) from None


# Provisions the thesis relies on: (lovdata id, kind, number).
PROVISIONS: list[tuple[str, str, str]] = [
    ("LOV-2018-06-22-83", "section", "1-1"),
    ("LOV-2018-06-22-83", "section", "2-1"),
    ("LOV-2018-06-22-83", "section", "2-2"),
    ("LOV-2018-06-22-83", "section", "14-2"),
    ("LOV-2018-06-22-83", "section", "14-3"),
    ("LOV-2018-06-22-83", "section", "14-4"),
    ("LOV-2018-06-22-83", "section", "14-5"),
    ("LOV-2008-06-27-71", "section", "3-1"),
    ("LOV-2008-06-27-71", "chapter", "6"),
    ("LOV-2008-06-27-71", "section", "6-1"),
    ("LOV-2008-06-27-71", "section", "6-2"),
    ("LOV-2008-06-27-71", "chapter", "7"),
    ("LOV-2008-06-27-71", "section", "7-1"),
    ("LOV-2008-06-27-71", "section", "7-2"),
    ("LOV-2008-06-27-71", "chapter", "8"),
    ("LOV-2008-06-27-71", "section", "8-1"),
    ("LOV-2008-06-27-71", "section", "8-2"),
    ("LOV-2008-06-27-71", "section", "8-5"),
    ("LOV-2008-06-27-71", "chapter", "9"),
    ("LOV-2008-06-27-71", "section", "9-1"),
    ("LOV-2008-06-27-71", "section", "9-3"),
    ("LOV-2008-06-27-71", "chapter", "10"),
    ("LOV-2008-06-27-71", "section", "10-1"),
    ("LOV-2008-06-27-71", "chapter", "11"),
    ("LOV-2008-06-27-71", "section", "11-1"),
    ("LOV-2008-06-27-71", "section", "11-2"),
    ("LOV-2008-06-27-71", "section", "11-3"),
    ("LOV-2008-06-27-71", "section", "11-5"),
    ("LOV-2008-06-27-71", "section", "11-6"),
    ("LOV-1967-02-10", "section", "13"),
    ("LOV-2006-05-19-16", "section", "3"),
    ("LOV-2018-06-15-38", "section", "1"),
]
