"""The prefixes of :data:`plangraf.rdf.namespaces.PREFIXES` as plain strings, for code that
must not import rdflib (a query command on the store: rdflib takes longer to import than most
answers take). Tested equal to ``PREFIXES``."""

from __future__ import annotations

PREFIX_IRIS: dict[str, str] = {
    "pg": "https://w3id.org/plangraf/ontology#",
    "pgid": "https://w3id.org/plangraf/id/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "adms": "http://www.w3.org/ns/adms#",
    "wd": "http://www.wikidata.org/entity/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
