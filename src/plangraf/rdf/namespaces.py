"""Namespaces and IRI helpers shared by every module."""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespaceMeta

PG = Namespace("https://w3id.org/plangraf/ontology#")
PGID = Namespace("https://w3id.org/plangraf/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_IRI = URIRef("https://w3id.org/plangraf/ontology")

PREFIXES: dict[str, Namespace | DefinedNamespaceMeta] = {
    "pg": PG,
    "pgid": PGID,
    "eli": ELI,
    "oa": OA,
    "adms": ADMS,
    "wd": WD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

_FOLD = str.maketrans({"ø": "o", "Ø": "o", "å": "a", "Å": "a", "æ": "ae", "Æ": "ae"})


def slugify(name: str) -> str:
    """ASCII slug of a Norwegian name: ``"Tønsberg"`` -> ``"tonsberg"``.

    ``"Herøy (Nordland)"`` -> ``"heroy-nordland"``; Sami letters lose their diacritics.
    """
    text = name.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text


def municipality_iri(slug: str) -> URIRef:
    return PGID[f"municipality/{slug}"]


def county_iri(number: str) -> URIRef:
    return PGID[f"county/{number}"]


def document_iri(doc_id: str) -> URIRef:
    return PGID[f"document/{doc_id}"]


def finding_iri(finding_id: str) -> URIRef:
    return PGID[f"finding/{finding_id}"]


def guidance_iri(guidance_id: str) -> URIRef:
    return PGID[f"guidance/{guidance_id}"]


def element_iri(element_id: str) -> URIRef:
    return PGID[f"egovwsf/{element_id}"]


def cooperation_iri(coop_id: str) -> URIRef:
    return PGID[f"cooperation/{coop_id}"]


def structure_iri(structure_id: str) -> URIRef:
    return PGID[f"structure/{structure_id}"]


def concept_iri(scheme: str, value: str) -> URIRef:
    return PGID[f"{scheme}/{value}"]


def bind_prefixes(graph) -> None:  # noqa: ANN001 - any rdflib Graph or Dataset
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def nb_label(graph, node, default: str | None = None) -> str:  # noqa: ANN001 - any rdflib Graph
    """The Norwegian (nb) skos:prefLabel of ``node``; an untagged one, else any, else ``default``.

    ``Graph.value`` would pick an arbitrary label when there are several languages.
    """
    labels = list(graph.objects(node, SKOS.prefLabel))
    for wanted in ("nb", None):
        for label in labels:
            if getattr(label, "language", None) == wanted:
                return str(label)
    if labels:
        return str(sorted(labels)[0])
    return default if default is not None else str(node)


def item_label(graph, node) -> str:  # noqa: ANN001 - any rdflib Graph
    """A guidance item's Norwegian label with the document it is stated in, «Brukeren i sentrum
    (Digital agenda for Norge – …)», since goals of two documents can share a label (issue 22);
    a document's (or any other node's) label alone."""
    label = nb_label(graph, node)
    document = graph.value(node, PG.statedIn)
    return f"{label} ({nb_label(graph, document)})" if document is not None else label
