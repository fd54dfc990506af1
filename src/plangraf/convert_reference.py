"""Convert the public reference data in ``shared/reference/`` into ``data/reference/*.ttl``.

Run with ``plangraf convert-reference --shared ../shared/reference``. The output is
committed, because people who clone plangraf do not have ``shared/``; this module makes it
reproducible. Curated knowledge (guidance, eGovWSF, plan levels) is written by hand and not
touched here.

Outputs:

- ``municipalities.ttl`` — the 356 municipalities of 2020 (SSB Klass 131), their counties,
  their 2020 numbers and, where Vestfold og Telemark, Viken and Troms og Finnmark were split
  on 1 January 2024, their 2024 numbers; Wikidata entities; population on 1 January
  2019–2021.
- ``laws.ttl`` — the five laws with the provisions the thesis relies on, headings read
  from the Lovdata texts.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .atomic import write_atomic
from .errors import PlangrafError
from .lawtext import last_amended, quote_in, read_section
from .legal_bases import BASES, KOML_1992, KOML_1992_SECTIONS, KOML_1992_TITLE, Basis, in_force
from .namespaces import (
    DCAT,
    DCTERMS,
    ELI,
    PG,
    PGID,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    bind_prefixes,
    county_iri,
    municipality_iri,
    slugify,
)

SSB_FILE = "ssb-kommuneinndeling_gardenberg-kommunekoder/ssb_kommunekoder_2020.csv"
WIKIDATA_FILE = "wikidata-qids_artsdatabanken-kommune-data/kommune.json"
COUNTY_WIKIDATA_FILE = "wikidata-qids_artsdatabanken-kommune-data/fylke.json"
NUMBERS_2024_FILE = "municipalities-2025_aprestmo-norway-geodata/municipalities-2025.json"
COUNTIES_2024_FILE = "municipalities-2025_aprestmo-norway-geodata/counties-2025.json"
POPULATION_FILE = "derived/population_jan1_2019-2021_b2020_from_fhidata.csv"
LAWS_FILE = "derived/laws_lovdata_identifiers.csv"
LAW_TEXT_DIR = "lovdata-lover_norwegian-laws"

# Counties split on 1 January 2024: 2020 county number -> its successors.
COUNTY_SPLITS_2024: dict[str, tuple[str, ...]] = {
    "30": ("31", "32", "33"),
    "38": ("39", "40"),
    "54": ("55", "56"),
}

# 2020 county names (SSB); the Wikidata file lists them with their numbers.
SOURCE_REPOS = {
    SSB_FILE: (
        "gardenberg/kommunekoder",
        "9289c80e1cd949527c8b996a59e4e5926be02ce4",
        "bakgrunnsdata/ssb_kommunekoder_2020.csv",
        "SSB Klass 131 (NLOD); repository MIT at its first commit",
        "https://www.ssb.no/klass/klassifikasjoner/131",
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
    ("LOV-2008-06-27-71", "chapter", "10"),
    ("LOV-2008-06-27-71", "section", "10-1"),
    ("LOV-2008-06-27-71", "chapter", "11"),
    ("LOV-2008-06-27-71", "section", "11-1"),
    ("LOV-2008-06-27-71", "section", "11-2"),
    ("LOV-2008-06-27-71", "section", "11-3"),
    ("LOV-2008-06-27-71", "section", "11-5"),
    ("LOV-1967-02-10", "section", "13"),
    ("LOV-2006-05-19-16", "section", "3"),
    ("LOV-2018-06-15-38", "section", "1"),
]


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str
    slug: str


def law_iri(lovdata_id: str) -> URIRef:
    return PGID[f"law/{lovdata_id}"]


def provision_iri(lovdata_id: str, kind: str, number: str) -> URIRef:
    return PGID[f"law/{lovdata_id}/{kind}/{number}"]


def _source_node(graph: Graph, key: str) -> URIRef:
    repo, commit, path, licence, home = SOURCE_REPOS[key]
    node = PGID[f"source/{slugify(repo)}/{slugify(path)}"]
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDF.type, DCTERMS.BibliographicResource))
    graph.add((node, RDFS.label, Literal(f"{repo} @ {commit[:7]}: {path}")))
    graph.add((node, DCTERMS.identifier, Literal(f"{repo}@{commit}:{path}")))
    graph.add((node, DCTERMS.license, Literal(licence)))
    graph.add((node, DCTERMS.source, URIRef(home)))
    return node


def _read(shared: Path, rel: str, encoding: str = "utf-8") -> str:
    path = shared / rel
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise PlangrafError("reference file not found", file=str(path)) from None


def read_ssb_2020(shared: Path) -> list[Municipality]:
    """Read SSB's 2020 classification (ISO-8859-1, ``;``-separated)."""
    text = _read(shared, SSB_FILE, encoding="iso-8859-1")
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
    items = json.loads(_read(shared, NUMBERS_2024_FILE))
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


def _period(graph: Graph, start: str | None, end: str | None) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((node, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((node, DCAT.endDate, Literal(end, datatype=XSD.date)))
    return node


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
    src_ssb = _source_node(g, SSB_FILE)
    src_wd = _source_node(g, WIKIDATA_FILE)
    src_wdc = _source_node(g, COUNTY_WIKIDATA_FILE)
    src_2024 = _source_node(g, NUMBERS_2024_FILE)
    src_c2024 = _source_node(g, COUNTIES_2024_FILE)
    src_pop = _source_node(g, POPULATION_FILE)

    municipalities = read_ssb_2020(shared)
    new_numbers = numbers_2024(shared, municipalities)

    # Counties of 2020 (from the Wikidata file) and of 2024 (aprestmo).
    county_items = json.loads(_read(shared, COUNTY_WIKIDATA_FILE))["items"]
    counties_2020 = {c["autorkode"]: c for c in county_items}
    for number in sorted({m.number[:2] for m in municipalities}):
        item = counties_2020.get(number)
        if item is None:
            raise PlangrafError(f"county {number} missing", file=COUNTY_WIKIDATA_FILE)
        c = county_iri(number)
        g.add((c, RDF.type, PG.County))
        g.add((c, SKOS.prefLabel, Literal(item["tittel"]["nob"], lang="nb")))
        g.add((c, RDFS.label, Literal(item["tittel"]["nob"], lang="nb")))
        g.add((c, SKOS.notation, Literal(number)))
        g.add((c, DCTERMS.source, src_wdc))
        wikidata = (item.get("lenke") or {}).get("wikidata")
        if wikidata:
            g.add((c, PG.wikidataEntity, URIRef(wikidata)))
        if number in COUNTY_SPLITS_2024:
            g.add((c, DCTERMS.temporal, _period(g, "2020-01-01", "2023-12-31")))
        _add_county_authority(g, c, number, item["tittel"]["nob"], src_wdc)
    for item in json.loads(_read(shared, COUNTIES_2024_FILE)):
        if any(item["id"] in s for s in COUNTY_SPLITS_2024.values()):
            c = county_iri(item["id"])
            g.add((c, RDF.type, PG.County))
            g.add((c, SKOS.prefLabel, Literal(item["name"], lang="nb")))
            g.add((c, RDFS.label, Literal(item["name"], lang="nb")))
            g.add((c, SKOS.notation, Literal(item["id"])))
            g.add((c, DCTERMS.temporal, _period(g, "2024-01-01", None)))
            g.add((c, DCTERMS.source, src_c2024))
            _add_county_authority(g, c, item["id"], item["name"], src_c2024)

    wikidata = {
        it["autorkode"]: it["lenke"]["wikidata"]
        for it in json.loads(_read(shared, WIKIDATA_FILE))["items"]
        if (it.get("lenke") or {}).get("wikidata")
    }
    population: dict[str, list[tuple[str, int]]] = {}
    for row in csv.DictReader(io.StringIO(_read(shared, POPULATION_FILE))):
        population.setdefault(row["kommunenummer"], []).append((row["year"], int(row["pop_jan1"])))

    for m in municipalities:
        iri = municipality_iri(m.slug)
        g.add((iri, RDF.type, PG.Municipality))
        g.add((iri, SKOS.prefLabel, Literal(m.name, lang="nb")))
        g.add((iri, RDFS.label, Literal(m.name, lang="nb")))
        g.add((iri, DCTERMS.identifier, Literal(m.slug)))
        g.add((iri, DCTERMS.source, src_ssb))
        renumbered = m.number in new_numbers and new_numbers[m.number] != m.number
        num = PGID[f"municipality-number/{m.number}-2020"]
        g.add((iri, PG.hasNumber, num))
        g.add((num, RDF.type, PG.MunicipalityNumber))
        g.add((num, SKOS.notation, Literal(m.number)))
        g.add((num, PG.inCounty, county_iri(m.number[:2])))
        g.add((num, DCTERMS.temporal, _period(g, "2020-01-01", "2023-12-31" if renumbered else None)))
        g.add((num, DCTERMS.source, src_ssb))
        if renumbered:
            new = new_numbers[m.number]
            num24 = PGID[f"municipality-number/{new}-2024"]
            g.add((iri, PG.hasNumber, num24))
            g.add((num24, RDF.type, PG.MunicipalityNumber))
            g.add((num24, SKOS.notation, Literal(new)))
            g.add((num24, PG.inCounty, county_iri(new[:2])))
            g.add((num24, DCTERMS.temporal, _period(g, "2024-01-01", None)))
            g.add((num24, DCTERMS.source, src_2024))
        area = PGID[f"municipal-area/{m.slug}"]
        g.add((area, RDF.type, PG.MunicipalArea))
        g.add((area, SKOS.prefLabel, Literal(m.name, lang="nb")))
        g.add((area, RDFS.label, Literal(m.name, lang="nb")))
        g.add((area, DCTERMS.source, src_ssb))
        g.add((iri, PG.jurisdiction, area))
        if m.number in wikidata:  # Wikidata's item is the administrative unit: the area
            g.add((area, PG.wikidataEntity, URIRef(wikidata[m.number])))
            g.add((area, DCTERMS.source, src_wd))
        for year, count in population.get(m.number, []):
            obs = PGID[f"population/{m.slug}/{year}-01-01"]
            g.add((iri, PG.population, obs))
            g.add((obs, RDF.type, PG.PopulationCount))
            g.add((obs, PG.inhabitants, Literal(count, datatype=XSD.integer)))
            g.add((obs, DCTERMS.date, Literal(f"{year}-01-01", datatype=XSD.date)))
            g.add((obs, DCTERMS.source, src_pop))
    return g


def _provision_heading(text: str, kind: str, number: str) -> str:
    if kind == "chapter":
        pattern = rf"^#+\s+(Kapittel {re.escape(number)}\.\s.*)$"
    else:
        pattern = rf"^#+\s+(§ {re.escape(number)}\.\s.*)$"
    match = re.search(pattern, text, flags=re.MULTILINE)
    if not match:
        raise PlangrafError(f"heading for {kind} {number} not found", field="provision")
    return match.group(1).strip()


# Laws whose Lovdata text is in Nynorsk (Offentleglova: «Lov om rett til innsyn i dokument i
# offentleg verksemd»); the others are in Bokmål.
NYNORSK = {"LOV-2006-05-19-16"}
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


def _add_expression(g: Graph, work: URIRef, lang: str, title: str, short: str | None = None) -> None:
    """ELI puts titles on the expression (the text in one language), not on the work."""
    expression = URIRef(f"{work}/{lang}")
    g.add((work, ELI.is_realized_by, expression))
    g.add((expression, RDF.type, ELI.LegalExpression))
    g.add((expression, ELI.realizes, work))
    g.add((expression, ELI.language, URIRef(EU_LANGUAGE + ("NNO" if lang == "nn" else "NOB"))))
    g.add((expression, ELI.title, Literal(title, lang=lang)))
    if short:
        g.add((expression, ELI.title_short, Literal(short, lang=lang)))


def _add_in_force(g: Graph, p: URIRef, lovdata_id: str, number: str) -> None:
    period = in_force(lovdata_id, number)
    if period is None:
        return
    start, until, evidence = period
    if start:
        g.add((p, ELI.first_date_entry_in_force, Literal(start, datatype=XSD.date)))
    if until:
        g.add((p, ELI.date_no_longer_in_force, Literal(until, datatype=XSD.date)))
    g.add((p, PG.inForceEvidence, Literal(evidence, lang="nb")))


def _add_law(g: Graph, row: dict[str, str], src: URIRef) -> None:
    law = law_iri(row["lovdata_id"])
    lang = "nn" if row["lovdata_id"] in NYNORSK else "nb"
    name = row["korttittel"].split(" – ")[0]
    g.add((law, RDF.type, PG.Law))
    g.add((law, ELI.id_local, Literal(row["lovdata_id"])))
    _add_expression(g, law, lang, row["tittel"], row["korttittel"])
    g.add((law, SKOS.prefLabel, Literal(name, lang=lang)))
    g.add((law, RDFS.label, Literal(name, lang=lang)))
    g.add((law, RDFS.seeAlso, URIRef(row["eli_uri"])))
    g.add((law, RDFS.seeAlso, URIRef(row["lovdata_dokument_url"])))
    g.add((law, DCTERMS.source, src))
    note = "Headings and quotes are from the consolidated text as of 2026, not 2020."
    g.add((law, PG.note, Literal(note, lang="en")))


def _add_provision(g: Graph, lovdata_id: str, kind: str, number: str, heading: str, src: URIRef) -> URIRef:
    p = provision_iri(lovdata_id, kind, number)
    lang = "nn" if lovdata_id in NYNORSK else "nb"
    g.add((p, RDF.type, PG.Provision))
    g.add((p, ELI.is_part_of, law_iri(lovdata_id)))
    g.add((law_iri(lovdata_id), ELI.has_part, p))
    g.add((p, ELI.number, Literal(number)))
    _add_expression(g, p, lang, heading)
    g.add((p, SKOS.prefLabel, Literal(heading, lang=lang)))
    g.add((p, RDFS.label, Literal(heading, lang=lang)))
    g.add((p, DCTERMS.source, src))
    if kind == "section":
        _add_in_force(g, p, lovdata_id, number)
        chapter = (lovdata_id, "chapter", number.split("-")[0])
        if chapter in PROVISIONS:
            g.add((p, ELI.is_part_of, provision_iri(*chapter)))
    return p


def _add_koml_1992(g: Graph, src: URIRef) -> None:
    """The repealed kommuneloven of 1992: named by the 2018 act, its text not in the reference."""
    law = law_iri(KOML_1992)
    g.add((law, RDF.type, PG.Law))
    g.add((law, ELI.id_local, Literal(KOML_1992)))
    g.add((law, SKOS.prefLabel, Literal("Kommuneloven (1992)", lang="nb")))
    g.add((law, RDFS.label, Literal("Kommuneloven (1992)", lang="nb")))
    _add_expression(g, law, "nb", KOML_1992_TITLE)
    g.add((law, RDFS.seeAlso, URIRef("https://lovdata.no/eli/lov/1992/09/25/107")))
    g.add((law, DCTERMS.source, src))
    note = (
        "Repealed; its text is not among the reference texts, so no provision of it is quoted. "
        "The title is the one the 2018 act gives it (LOV-2018-06-22-83 § 31-1)."
    )
    g.add((law, PG.note, Literal(note, lang="en")))
    for number, heading in KOML_1992_SECTIONS.items():
        _add_provision(g, KOML_1992, "section", number, heading, src)


def _basis_iri(basis: Basis) -> URIRef:
    where = basis.section + (f"-{basis.paragraph}" if basis.paragraph else "") + (basis.letter or "")
    return PGID[f"statutory-basis/{basis.level}/{basis.law}-{where}-{basis.kind}"]


def _add_basis(g: Graph, basis: Basis, texts: dict[str, str], src: URIRef) -> None:
    node = _basis_iri(basis)
    level = PGID[f"plan-level/{basis.level}"]
    provision = provision_iri(basis.law, "section", basis.section)
    g.add((node, RDF.type, PG.StatutoryBasis))
    g.add((node, PG.basisOfLevel, level))
    g.add((node, PG.inProvision, provision))
    g.add((node, PG.basisKind, PGID[f"basis-kind/{basis.kind}"]))
    g.add((node, DCTERMS.source, src))
    g.add((provision, PG.requiresPlanLevel if basis.kind == "requires" else PG.governsPlanLevel, level))
    if basis.paragraph is not None and basis.quote is not None:
        section = read_section(texts[basis.law], basis.section)
        quote = quote_in(section, basis.paragraph, basis.letter, basis.quote)
        g.add((node, PG.paragraphNumber, Literal(basis.paragraph, datatype=XSD.positiveInteger)))
        g.add((node, PG.provisionText, Literal(quote, lang="nn" if basis.law in NYNORSK else "nb")))
        # the consolidated text is known to read so from its last noted amendment (or the
        # provision's entry into force); before that the words may have differed
        period = in_force(basis.law, basis.section)
        dates = [d for d in (last_amended(section), period[0] if period else None) if d]
        if dates:
            g.add((node, PG.wordingInForceFrom, Literal(max(dates), datatype=XSD.date)))
    if basis.letter:
        g.add((node, PG.letter, Literal(basis.letter)))


def build_laws(shared: Path) -> Graph:
    g = Graph()
    bind_prefixes(g)
    src = _source_node(g, LAWS_FILE)
    rows = list(csv.DictReader(io.StringIO(_read(shared, LAWS_FILE))))
    texts: dict[str, str] = {}
    for row in rows:
        texts[row["lovdata_id"]] = _read(shared, row["source_file"])
        _add_law(g, row, src)
    for lovdata_id, kind, number in PROVISIONS:
        heading = _provision_heading(texts[lovdata_id], kind, number)
        _add_provision(g, lovdata_id, kind, number, heading, src)
    _add_koml_1992(g, src)
    for basis in BASES:
        _add_basis(g, basis, texts, src)
    return g


def convert_reference(shared: Path, out: Path) -> dict[str, int]:
    """Convert ``shared`` reference files into Turtle in ``out``; return triple counts."""
    shared = Path(shared)
    out = Path(out)
    graphs = {
        "municipalities.ttl": build_municipalities(shared),
        "laws.ttl": build_laws(shared),
    }
    counts = {}
    header = (
        "# Generated by `plangraf convert-reference` from shared/reference/ — do not edit by hand.\n"
        "# Sources: see data/reference/SOURCES.md and the dcterms:source of each resource.\n"
    )
    for name, graph in graphs.items():
        text = graph.serialize(format="turtle")
        write_atomic(out / name, header + text)
        counts[name] = len(graph)
    return counts
