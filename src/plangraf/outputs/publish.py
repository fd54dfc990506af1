"""``plangraf publish OUT``: a versioned release of a study's graph for a data catalogue.

The release folder holds the graph (Turtle, N-Triples, TriG, JSON-LD), a JSON-LD context for
the plangraf vocabulary, the ontology and shapes, a DCAT-AP-NO description of the dataset and
its distributions (``dcat.ttl``), HTML documentation of the ontology made by pyLODE
(``ontology/index.html``) and a ``CITATION.cff``. A study with SHACL Violations is not
published. The folder is made beside ``OUT`` and renamed into place, so readers see the old
release or the new one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from plangraf.check.shacl import load_shapes, validate_graph
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.build import BuildResult, build_graph
from plangraf.outputs.export import serialize
from plangraf.rdf.namespaces import ONTOLOGY_IRI, PG, PREFIXES
from plangraf.study.placeholders import refuse_placeholders

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
CC_BY_4_0 = URIRef(EU + "licence/CC_BY_4_0")
#: the licences a release may carry: SPDX id (CITATION.cff) -> EU licence authority IRI (DCAT)
LICENCES = {"CC-BY-4.0": CC_BY_4_0, "CC0-1.0": URIRef(EU + "licence/CC0")}
IANA = "https://www.iana.org/assignments/media-types/"
RELEASES = "https://w3id.org/plangraf/release/"

#: file name -> (export format, EU file type, media type, title)
GRAPH_FILES = {
    "graph.ttl": ("turtle", "RDF_TURTLE", "text/turtle", "Turtle"),
    "graph.nt": ("nt", "RDF_N_TRIPLES", "application/n-triples", "N-Triples"),
    "graph.trig": ("trig", "RDF_TRIG", "application/trig", "TriG (asserted and inferred named graphs)"),
    "graph.jsonld": ("jsonld", "JSON_LD", "application/ld+json", "JSON-LD"),
}


@dataclass
class Release:
    """What a catalogue needs to know about a release beyond the study itself."""

    version: str
    publisher_name: str
    publisher_url: str
    base_url: str | None = None  # where the release folder is served; default: RELEASES/<study id>/<version>/
    contact_email: str | None = None
    license: URIRef = CC_BY_4_0
    issued: dt.date = field(default_factory=dt.date.today)

    @property
    def url(self) -> str:
        return self.base_url or RELEASES


def check_out(out: Path, *, force: bool) -> None:
    if out.exists() and not force:
        raise PlangrafError("release folder exists; use --force to replace it", file=str(out))
    if out.exists() and not out.is_dir():
        raise PlangrafError("not a folder", file=str(out))


def publish(paths: Paths, out: Path, release: Release, *, force: bool = False) -> list[Path]:
    """Build and validate the study, then write the release to ``out`` (replaced atomically);
    return the files written. Nothing is written for a study with Violations. Progress on
    standard error step by step."""
    from plangraf.core.progress import steps

    check_out(out, force=force)
    refuse_placeholders(paths.study)  # a coder "TODO: your name" would become a cited author
    with steps("publish", ["build", "validate", "write"]) as advance:
        advance("build")
        result = build_graph(paths)
        union = result.union()
        advance("validate")
        report = validate_graph(union, load_shapes(paths.shapes))
        if report.has_violations:
            raise PlangrafError("the study does not conform, nothing published: " + report.render().splitlines()[-1])
        if release.base_url is None:
            identifier = union.value(_study(union), DCTERMS.identifier)
            release = replace(release, base_url=f"{RELEASES}{identifier}/{release.version}/")
        advance("write")
        _write_release(paths, out, release, result, union)
    return sorted(p for p in out.rglob("*") if p.is_file())


def _write_release(paths: Paths, out: Path, release: Release, result: BuildResult, union: Graph) -> None:
    """Write the release into a staging folder beside ``out``, then put it in place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        ontology = Graph().parse(paths.ontology)
        write_graphs(staging, result.asserted, result.inferred, vocabulary_context(ontology))
        copy_model(paths, staging)
        (staging / "dcat.ttl").write_text(dcat_description(union, release).serialize(format="turtle"), "utf-8")
        (staging / "CITATION.cff").write_text(citation(union, release), "utf-8")
        (staging / "ontology" / "index.html").write_text(ontology_html(paths.ontology), "utf-8")
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_folder(new: Path, out: Path) -> None:
    """Put ``new`` at ``out``: two renames on one file system, the old release removed last."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        out.rename(old / out.name)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_graphs(folder: Path, asserted: Graph, inferred: Graph, context: dict[str, object]) -> None:
    for name, (fmt, _type, _media, _title) in GRAPH_FILES.items():
        if fmt == "jsonld":
            graph = Graph()
            for t in asserted:
                graph.add(t)
            for t in inferred:
                graph.add(t)
            text = graph.serialize(format="json-ld", context=context["@context"], auto_compact=True)
        else:
            text = serialize(asserted, inferred, fmt, include_inferred=True)
        (folder / name).write_text(text, "utf-8")
    (folder / "context.jsonld").write_text(json.dumps(context, indent=2, ensure_ascii=False) + "\n", "utf-8")


def copy_model(paths: Paths, folder: Path) -> None:
    (folder / "ontology").mkdir()
    shutil.copy2(paths.ontology, folder / "ontology" / "plangraf.ttl")
    (folder / "shapes").mkdir()
    for shape in sorted(paths.shapes.glob("*.ttl")):
        shutil.copy2(shape, folder / "shapes" / shape.name)


def vocabulary_context(ontology: Graph) -> dict[str, object]:
    """A JSON-LD context: the prefixes, and a short term for every class and property of the
    plangraf vocabulary (object properties as IRIs, datatype properties with their range)."""
    context: dict[str, object] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for cls in _own_terms(ontology, OWL.Class):
        context[cls[len(PG) :]] = cls
    for prop in _own_terms(ontology, OWL.ObjectProperty):
        context[prop[len(PG) :]] = {"@id": prop, "@type": "@id"}
    for prop in _own_terms(ontology, OWL.DatatypeProperty):
        term: dict[str, str] = {"@id": prop}
        kind = ontology.value(URIRef(prop), RDFS.range)
        if isinstance(kind, URIRef) and kind.startswith(str(XSD)):
            term["@type"] = str(kind)
        context[prop[len(PG) :]] = term
    return {"@context": context}


def _own_terms(ontology: Graph, kind: URIRef) -> list[str]:
    """IRIs of the plangraf terms of one kind (class, object or datatype property), sorted."""
    return sorted({str(t) for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef) and t.startswith(PG)})


def _study(union: Graph) -> URIRef:
    study = next(iter(union.subjects(RDF.type, PG.Study)), None)
    if not isinstance(study, URIRef):
        raise PlangrafError("the study has no study.yaml description; nothing to publish")
    return study


def _concept(g: Graph, iri: str, scheme: str) -> URIRef:
    """A term of an EU controlled vocabulary, with the scheme the DCAT-AP-NO shapes check."""
    node = URIRef(iri)
    g.add((node, SKOS.inScheme, URIRef(scheme)))
    return node


def dcat_description(union: Graph, release: Release) -> Graph:
    """The dataset and its distributions in DCAT-AP-NO."""
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)):
        g.bind(prefix, ns)
    study = _study(union)
    identifier = str(union.value(study, DCTERMS.identifier) or "study")
    dataset = URIRef(f"{release.url}dataset")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    for title in union.objects(study, DCTERMS.title):
        g.add((dataset, DCTERMS.title, title))
    question = union.value(study, PG.researchQuestion)
    description = f"Knowledge graph of the plangraf study «{identifier}»" + (f": {question}" if question else ".")
    g.add((dataset, DCTERMS.description, Literal(description, lang="nb")))
    g.add((dataset, DCAT.keyword, Literal("digitalisering", lang="nb")))
    g.add((dataset, DCAT.keyword, Literal("kommunal planlegging", lang="nb")))
    g.add((dataset, DCAT.theme, _concept(g, EU + "data-theme/GOVE", EU + "data-theme")))
    g.add((dataset, DCTERMS.spatial, _concept(g, EU + "country/NOR", EU + "country")))
    g.add((dataset, DCTERMS.language, _concept(g, EU + "language/NOB", EU + "language")))
    g.add((dataset, DCTERMS.license, _concept(g, str(release.license), EU + "licence")))
    g.add((dataset, DCTERMS.issued, Literal(release.issued.isoformat(), datatype=XSD.date)))
    g.add((dataset, OWL.versionInfo, Literal(release.version)))
    g.add((dataset, DCAT.landingPage, URIRef(release.url)))
    _publisher(g, dataset, release)
    _contact(g, dataset, release)
    _temporal(g, dataset, union, study)
    _conforms_to(g, dataset)
    for name, (_fmt, file_type, media, label) in GRAPH_FILES.items():
        _distribution(g, dataset, release, name, file_type, media, label)
    return g


def _publisher(g: Graph, dataset: URIRef, release: Release) -> None:
    agent = URIRef(release.publisher_url)
    g.add((dataset, DCTERMS.publisher, agent))
    g.add((dataset, DCTERMS.creator, agent))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(release.publisher_name)))


def _contact(g: Graph, dataset: URIRef, release: Release) -> None:
    contact = URIRef(f"{release.url}dataset#contact")
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(release.publisher_name)))
    if release.contact_email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{release.contact_email}")))
    g.add((contact, VCARD.hasURL, URIRef(release.url)))


def _temporal(g: Graph, dataset: URIRef, union: Graph, study: URIRef) -> None:
    """The day the study describes (its study date)."""
    day = union.value(study, PG.studyDate)
    if day is None:
        return
    period = BNode()
    g.add((dataset, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(str(day), datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(str(day), datatype=XSD.date)))


def _conforms_to(g: Graph, dataset: URIRef) -> None:
    for standard, title in (
        (ONTOLOGY_IRI, "The plangraf ontology"),
        (URIRef("https://w3id.org/plangraf/shapes"), "The plangraf SHACL shapes"),
    ):
        g.add((dataset, DCTERMS.conformsTo, standard))
        g.add((standard, RDF.type, DCTERMS.Standard))
        g.add((standard, DCTERMS.title, Literal(title, lang="en")))


def _distribution(
    g: Graph, dataset: URIRef, release: Release, name: str, file_type: str, media: str, title: str
) -> None:
    dist = URIRef(f"{release.url}{name}#distribution")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(title, lang="en")))
    g.add((dist, DCAT.accessURL, URIRef(release.url)))
    g.add((dist, DCAT.downloadURL, URIRef(release.url + name)))
    g.add((dist, DCTERMS.format, _concept(g, EU + "file-type/" + file_type, EU + "file-type")))
    g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
    g.add((dist, DCTERMS.license, _concept(g, str(release.license), EU + "licence")))
    g.add((dist, DCTERMS.conformsTo, ONTOLOGY_IRI))


_CODERS = """
PREFIX pg: <https://w3id.org/plangraf/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?name WHERE {
  { ?x a pg:Finding } UNION { ?x a pg:Link }
  ?x prov:wasAttributedTo ?agent . ?agent foaf:name ?name .
}"""


def citation(union: Graph, release: Release) -> str:
    """CITATION.cff (Citation File Format 1.2.0): the coders as authors."""
    study = _study(union)
    title = next((str(t) for t in union.objects(study, DCTERMS.title)), "plangraf study")
    names = sorted({str(row[0]) for row in union.query(_CODERS)})  # type: ignore[index]
    authors = [{"name": name} for name in names] or [{"name": release.publisher_name}]
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": title,
        "version": release.version,
        "date-released": release.issued.isoformat(),
        "authors": authors,
        "license": next((spdx for spdx, iri in LICENCES.items() if iri == release.license), str(release.license)),
        "url": release.url,
        "keywords": ["knowledge graph", "digitalisation", "municipal planning", "Norway"],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def one_language(graph: Graph, language: str) -> Graph:
    """The graph with, wherever a subject has a property in ``language``, that property's
    literals in other languages left out: pyLODE glues every label it finds together
    ("føringselementguidance item"), so its page gets one language."""
    keep = Graph()
    for prefix, namespace in graph.namespaces():
        keep.bind(prefix, namespace)
    has = {(s, p) for s, p, o in graph if isinstance(o, Literal) and o.language == language}
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language not in (None, language) and (s, p) in has:
            continue
        keep.add((s, p, o))
    return keep


def ontology_html(ontology: Path) -> str:
    """HTML documentation of the ontology by pyLODE, in English (its progress messages kept
    quiet)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub  # its import calls logging.basicConfig(level=DEBUG)

        for handler in root.handlers[:]:  # so "INFO:root" and "DEBUG:asyncio" lines never reach stderr
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(logging.WARNING)
        html = str(OntPub(ontology=one_language(Graph().parse(ontology), "en")).make_html())
    finally:
        root.setLevel(level)
    return html.replace("</head>", FIT_WINDOW + "</head>", 1)


FIT_WINDOW = (
    "<style>/* plangraf: the page fits its window; pyLODE sets examples in <pre> lines that do not wrap */\n"
    "pre { white-space: pre-wrap; overflow-wrap: anywhere; } td, dd, code { overflow-wrap: anywhere; }\n"
    "#content { max-width: 100%; }</style>\n"
)
"""Added to pyLODE's page: long example lines and IRIs wrap instead of widening the page."""
