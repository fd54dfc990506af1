"""Generate a synthetic study in the findings format, for benchmarks at national scale.

:func:`synthesize` writes a study folder that :func:`plangraf.study.loader.load_study` reads
unchanged: ``study.yaml`` plus one ``<municipality>.yaml`` per municipality, each with about
ten governing documents and exactly :data:`FINDINGS_PER_MUNICIPALITY` coded findings. The mix
of plan levels, statuses, periods, topics, evidence kinds, guidance relations, eGovWSF elements,
memberships and coordination structures follows the proportions of a template study (by default
the shipped ``data/study-2020``), computed by :func:`proportions` when the study is generated.
Identifiers (municipalities, numbers, guidance, elements, cooperations) are read from the
reference graph, so every file passes the loader's checks. The output is a function of
(municipalities, seed, reference data, template) only: the same arguments give byte-identical files.

Nordic-sized studies (more than the 356 municipalities in the reference data) need more
municipalities than Norway has. The loader requires every study municipality to exist in the
reference data, so instead of changing the loader, :func:`synthesize` then also writes
``<out>/reference/nordic-municipalities.ttl``: copies of the real municipalities under new
identifiers (``nordic-0001-<slug>``), each with its own municipality-number resource carrying the
original's four-digit number, county and period. Add that file to the reference data of the build
(copy or link it next to ``data/reference/*.ttl``); the loader ignores the ``reference/`` sub-folder
of the study itself.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph

from plangraf.core import progress
from plangraf.core.yamlio import load_yaml
from plangraf.study.chain import plan_levels
from plangraf.study.checks import ReferenceIndex
from plangraf.study.loader import RESERVED_FILES
from plangraf.study.synth_reference import POPULATION_DATE, guidance_items, municipality_table, nordic_reference

FINDINGS_PER_MUNICIPALITY = 30


DOCUMENTS_PER_MUNICIPALITY = (8, 12)  # inclusive range, mean 10


STUDY_ID = "synthetic-study"


STUDY_DATE = "2020-09-01"


_WORDS = (
    "kommunen skal digitalisering tjenester innbyggere brukeren sentrum innovasjon samarbeid data deling "
    "informasjonssikkerhet personvern kompetanse gevinstrealisering effektiv forvaltning næringsliv ansatte "
    "løsninger helhetlige sammenhengende digitale plattformer velferdsteknologi skole helse omsorg strategi "
    "mål tiltak prioritere utvikle styrke sikre bidra gjennom felles nasjonale regionale kommunale arbeid "
    "prosesser automatisering selvbetjening kvalitet tilgjengelighet universell utforming bærekraft smartby"
).split()


_TITLES = {
    "planstrategi": "Kommunal planstrategi",
    "samfunnsdel": "Kommuneplanens samfunnsdel",
    "arealdel": "Kommuneplanens arealdel",
    "handlingsdel": "Handlings- og økonomiplan",
    "okonomiplan": "Økonomiplan",
    "budget": "Årsbudsjett",
    "kommuneplan": "Kommuneplan",
    "programme": "Program",
    "kommunedelplan": "Kommunedelplan",
    "temaplan": "Temaplan",
    "sector-strategy": "Strategi",
    "other-decision": "Politisk sak",
}


_TOPIC_TITLES = {
    "digitalisation": "digitalisering",
    "ikt": "IKT",
    "welfare-technology": "velferdsteknologi",
    "smart-city": "smartby",
    "school": "skole",
    "health-care": "helse og omsorg",
    "innovation": "innovasjon",
    "other": "annet",
}


_TOPIC_LEVELS = ("sector-strategy", "temaplan", "kommunedelplan")


def _counter(values: list[Any]) -> dict[Any, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: str(kv[0])))


def proportions(template: Path) -> dict[str, dict[Any, int]]:
    """Counts of every coded feature of a study folder (the weights :func:`synthesize` draws from)."""
    levels, statuses, topics, n_topics, periods, obtained, addresses = [], [], [], [], [], [], []
    evidence, n_reflects, how, guidance, n_elements, elements, memberships, kinds = [], [], [], [], [], [], [], []
    findings_per_doc, n_memberships, n_structures = [], [], []
    for path in sorted(Path(template).glob("*.yaml")):
        if path.name in RESERVED_FILES:
            continue
        data, _lines = load_yaml(path)
        n_memberships.append(len(data.get("memberships", [])))
        n_structures.append(len(data.get("structures", [])))
        memberships += [m["cooperation"] for m in data.get("memberships", [])]
        kinds += [s["kind"] for s in data.get("structures", [])]
        for doc in data.get("documents", []):
            levels.append(plan_levels(doc)[0])  # a document counts once, by its first level
            statuses.append(doc["status"])
            obtained.append(doc["obtained"])
            topics += doc.get("topics", [])
            if set(plan_levels(doc)) & set(_TOPIC_LEVELS):
                n_topics.append(len(doc.get("topics", [])))
            periods.append(("from" if "valid_from" in doc else "") + ("to" if "valid_to" in doc else "") or "none")
            if "addresses_digitalisation" in doc:
                addresses.append(doc["addresses_digitalisation"])
            findings_per_doc.append(len(doc.get("findings", [])))
            for finding in doc.get("findings", []):
                evidence.append(finding["evidence"])
                n_reflects.append(len(finding["reflects"]))
                how += [r["how"] for r in finding["reflects"]]
                guidance += [r["guidance"] for r in finding["reflects"]]
                n_elements.append(len(finding["elements"]))
                elements += finding["elements"]
    return {
        "plan_level": _counter(levels),
        "status": _counter(statuses),
        "topic": _counter(topics),
        "n_topics": _counter(n_topics),
        "period": _counter(periods),
        "obtained": _counter(obtained),
        "addresses_digitalisation": _counter(addresses),
        "evidence": _counter(evidence),
        "n_reflects": _counter(n_reflects),
        "how": _counter(how),
        "guidance": _counter(guidance),
        "n_elements": _counter(n_elements),
        "element": _counter(elements),
        "cooperation": _counter(memberships),
        "structure_kind": _counter(kinds),
        "n_memberships": _counter(n_memberships),
        "n_structures": _counter(n_structures),
        "findings_per_doc": _counter(findings_per_doc),
    }


def _default_template() -> Path:
    from plangraf.core.paths import project_root

    return project_root() / "data" / "study-2020"


class _Draw:
    """Weighted draws from the template's counts, with a floor so unseen ids still occur."""

    def __init__(self, rng: random.Random, counts: dict[str, dict[Any, int]]) -> None:
        self.rng = rng
        self.counts = counts

    def one(self, key: str, universe: list[Any] | None = None, floor: float = 0.0) -> Any:
        return self.many(key, 1, universe, floor)[0]

    def many(self, key: str, k: int, universe: list[Any] | None = None, floor: float = 0.0) -> list[Any]:
        """``k`` distinct values, weighted by the template counts (plus ``floor`` for every value of ``universe``)."""
        counts = self.counts[key]
        values = sorted(set(universe) if universe is not None else set(counts), key=str)
        weights = [counts.get(v, 0) + floor for v in values]
        chosen: list[Any] = []
        pool = list(zip(values, weights, strict=True))
        for _ in range(min(k, len(pool))):
            total = sum(w for _v, w in pool)
            if total <= 0:
                break
            x = self.rng.random() * total
            for i, (v, w) in enumerate(pool):
                x -= w
                if x < 0 or i == len(pool) - 1:
                    chosen.append(v)
                    pool.pop(i)
                    break
        return chosen


def _text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return (" ".join(chosen)).capitalize() + "."


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _choose(table: list[dict[str, str]], municipalities: int, rng: random.Random) -> list[tuple[str, dict[str, str]]]:
    """Which municipalities: a seeded sample of the real list, then numbered copies beyond it."""
    if municipalities <= len(table):
        return [(row["slug"], row) for row in sorted(rng.sample(table, municipalities), key=lambda r: r["slug"])]
    chosen = [(row["slug"], row) for row in table]
    for i in range(municipalities - len(table)):
        orig = table[i % len(table)]
        chosen.append((f"nordic-{i + 1:04d}-{orig['slug']}", orig))
    return chosen


def _response(slug: str, data: dict[str, Any], day: int) -> dict[str, Any]:
    """A municipality's answer to the request, ``day`` days into the answering period."""
    return {
        "municipality": slug,
        "answered": f"2020-{6 + (18 + day) // 30:02d}-{1 + (18 + day) % 28:02d}",
        "documents_received": [d["title"] for d in data["documents"] if d["obtained"] == "sent"][:4],
        "source": "synthetic",
    }


def _study_file(seed: int, asked: int, counties: list[str], responses: list[dict[str, Any]]) -> dict[str, Any]:
    """The synthetic study's ``study.yaml``."""
    return {
        "id": STUDY_ID,
        "title": "Syntetisk studie av kommunenes styringsdokumenter",
        "question": "Hvordan har kommunene innarbeidet nasjonale føringer og strategier på digitaliseringsområdet?",
        "method": "Syntetiske data generert av plangraf.study.synth for ytelsesmålinger.",
        "institution": "plangraf",
        "year": 2021,
        "source_id": STUDY_ID,
        "study_date": STUDY_DATE,
        "source": "synthetic",
        "note": f"Synthetic data (plangraf.study.synth, seed {seed}); not a real study.",
        "sample": {
            "criterion": "alle kommuner",
            "threshold": 0,
            "population_date": POPULATION_DATE,
            "counties": counties,
            "asked": asked,
            "answered": len(responses),
            "source": "synthetic",
        },
        "requested": "2020-06-18",
        "reminder": "2020-09-02",
        "coder": "synthetic-coder",
        "coded": "2021-05-31",
        "coders": [{"id": "synthetic-coder", "name": "plangraf.study.synth", "source": "synthetic"}],
        "responses": responses,
        "coding_questions": ["1. Strategien(e) kommunen har", "2. Planen(e) kommunen har"],
    }


def synthesize(
    municipalities: int, seed: int, out: Path, reference: Graph, *, template: Path | None = None
) -> dict[str, Any]:
    """Write a synthetic study of ``municipalities`` municipalities into ``out``; return a summary.

    ``reference`` is the reference graph (``data/reference``); ``template`` the study whose
    proportions are drawn from (default: the shipped ``data/study-2020``). The summary holds the
    counts written and, for more municipalities than the reference data has, the path of the
    extra reference file to load with the reference data.
    """
    if municipalities < 1:
        raise ValueError("municipalities must be at least 1")
    rng = random.Random(seed)
    counts = proportions(template or _default_template())
    draw = _Draw(rng, counts)
    index = ReferenceIndex.from_graph(reference, POPULATION_DATE)
    guidance_ids = guidance_items(reference, index.guidance)
    element_ids = sorted(index.elements)
    cooperation_ids = sorted(index.cooperations)
    table = municipality_table(reference)

    chosen = _choose(table, municipalities, rng)
    copies = [(slug, row) for slug, row in chosen if slug != row["slug"]]

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {
        "municipalities": 0,
        "documents": 0,
        "findings": 0,
        "memberships": 0,
        "structures": 0,
        "files": [],
        "extra_reference": None,
    }
    responses = []
    counties: set[str] = set()
    for slug, row in progress.each(chosen, "synth"):
        counties.add(row["county"])
        data = _municipality(slug, row, rng, draw, guidance_ids, element_ids, cooperation_ids)
        path = out / f"{slug}.yaml"
        path.write_text(_dump(data), encoding="utf-8")
        summary["files"].append(path.name)
        summary["municipalities"] += 1
        summary["documents"] += len(data["documents"])
        summary["findings"] += sum(len(d.get("findings", [])) for d in data["documents"])
        summary["memberships"] += len(data.get("memberships", []))
        summary["structures"] += len(data.get("structures", []))
        if rng.random() < 10 / 12:  # the 2020 study: 10 of 12 answered
            responses.append(_response(slug, data, rng.randrange(0, 90)))
    study = _study_file(seed, len(chosen), sorted(counties), responses)
    (out / "study.yaml").write_text(_dump(study), encoding="utf-8")
    summary["files"].insert(0, "study.yaml")
    if copies:
        ref_dir = out / "reference"
        ref_dir.mkdir(exist_ok=True)
        extra = ref_dir / "nordic-municipalities.ttl"
        extra.write_text(nordic_reference(copies), encoding="utf-8")
        summary["extra_reference"] = str(extra)
    summary["expected_findings"] = summary["findings"]
    return summary


def _levels(n_docs: int, rng: random.Random, draw: _Draw) -> list[str]:
    """Plan levels of a municipality's documents: the 2020 study has a samfunnsdel for every
    municipality and a handlingsdel for nine in ten; the rest follow the template's mix."""
    levels = ["samfunnsdel"]
    if rng.random() < 0.9:
        levels.append("handlingsdel")
    others = {k: v for k, v in draw.counts["plan_level"].items() if k not in ("samfunnsdel", "handlingsdel")}
    other_draw = _Draw(rng, {"plan_level": others})
    while len(levels) < n_docs:
        levels.append(other_draw.one("plan_level", floor=0.5 if others else 0.0) if others else "sector-strategy")
    return levels


def _finding(
    finding_id: str, rng: random.Random, draw: _Draw, guidance_ids: list[str], element_ids: list[str]
) -> dict[str, Any]:
    """One synthetic finding with its links and eGovWSF elements."""
    reflects = []
    for guidance in draw.many("guidance", draw.one("n_reflects"), guidance_ids, floor=0.2):
        reflects.append(
            {"guidance": guidance, "how": draw.one("how", ["explicit-reference", *draw.counts["how"]], 0.3)}
        )
    finding: dict[str, Any] = {
        "id": finding_id,
        "evidence": draw.one("evidence"),
        "text": _text(rng, rng.randint(12, 40)),
    }
    if rng.random() < 0.4:
        finding["location"] = rng.choice(["visjon", "mål", "innledning", "satsingsområder", "tiltak"])
    finding["reflects"] = reflects
    finding["elements"] = draw.many("element", max(1, draw.one("n_elements")), element_ids, floor=0.5)
    finding["source"] = "synthetic"
    return finding


def _municipality(
    slug: str,
    row: dict[str, str],
    rng: random.Random,
    draw: _Draw,
    guidance_ids: list[str],
    element_ids: list[str],
    cooperation_ids: list[str],
) -> dict[str, Any]:
    n_docs = rng.randint(*DOCUMENTS_PER_MUNICIPALITY)
    levels = _levels(n_docs, rng, draw)

    # Findings: FINDINGS_PER_MUNICIPALITY spread over the documents, some documents without any.
    with_findings = [i for i in range(n_docs) if rng.random() >= 0.1] or [0]
    per_doc = Counter(rng.choice(with_findings) for _ in range(FINDINGS_PER_MUNICIPALITY))

    documents: list[dict[str, Any]] = []
    strategies: list[str] = []  # the sector strategies so far, which a later one may replace
    for i, level in enumerate(levels):
        documents.append(
            _document(slug, row, i, level, per_doc.get(i, 0), strategies, rng, draw, guidance_ids, element_ids)
        )

    data: dict[str, Any] = {"municipality": slug, "number": row["number"], "source": "synthetic"}
    n_members = draw.one("n_memberships") if draw.counts["n_memberships"] else 0
    data["memberships"] = [
        {"cooperation": c, "source": "synthetic"}
        for c in sorted(draw.many("cooperation", n_members, cooperation_ids, floor=0.5))
    ]
    data["documents"] = documents
    structures = _structures(slug, documents, rng, draw)
    if structures:
        data["structures"] = structures
    return data


def _document(
    slug: str,
    row: dict[str, str],
    i: int,
    level: str,
    n_findings: int,
    strategies: list[str],
    rng: random.Random,
    draw: _Draw,
    guidance_ids: list[str],
    element_ids: list[str],
) -> dict[str, Any]:
    """Document ``i`` of a municipality, at ``level``, with ``n_findings`` findings (a sector
    strategy is added to ``strategies``)."""
    topics: list[str] = []
    if level in _TOPIC_LEVELS:
        n_topics = max(1, draw.one("n_topics"))
        topics = draw.many("topic", n_topics, list(_TOPIC_TITLES), floor=0.5)
    title = _TITLES[level]
    if topics:
        title = f"{title} for {_TOPIC_TITLES[topics[0]]}"
    period = draw.one("period")
    start = rng.randint(2012, 2021)
    end = start + rng.randint(2, 4)
    doc_id = f"{slug}-{level}-{i + 1:02d}"
    doc: dict[str, Any] = {"id": doc_id}
    if period != "none":
        title = f"{title} {start}–{end}" if "to" in period else f"{title} fra {start}"
    doc["title"] = title
    doc["plan_level"] = level
    if topics:
        doc["topics"] = topics
    doc["status"] = draw.one("status")
    if "from" in period:
        doc["valid_from"] = start
    if "to" in period:
        doc["valid_to"] = end
    doc["obtained"] = draw.one("obtained")
    doc["citation"] = f"{row['name']} kommune, {start}"
    if level == "samfunnsdel":
        doc["addresses_digitalisation"] = draw.one("addresses_digitalisation")
    if level == "sector-strategy" and strategies and rng.random() < 0.15:
        doc["replaces"] = strategies[-1]
    if level == "sector-strategy":
        strategies.append(doc_id)
    doc["source"] = "synthetic"
    findings = [_finding(f"{doc_id}-f{j + 1:02d}", rng, draw, guidance_ids, element_ids) for j in range(n_findings)]
    if findings:
        doc["findings"] = findings
    return doc


def _structures(slug: str, documents: list[dict[str, Any]], rng: random.Random, draw: _Draw) -> list[dict[str, Any]]:
    """The municipality's digitalisation structures, each tied to one of its documents."""
    structures: list[dict[str, Any]] = []
    for k in range(draw.one("n_structures") if draw.counts["n_structures"] else 0):
        kind = draw.one("structure_kind", ["forum", "fund", "portfolio-board", "other"], floor=0.3)
        structures.append(
            {
                "id": f"{slug}-structure-{k + 1}",
                "name": f"Digitaliseringsforum {k + 1}",
                "kind": kind,
                "documents": [documents[rng.randrange(len(documents))]["id"]],
                "source": "synthetic",
            }
        )
    return structures
