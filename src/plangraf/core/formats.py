"""The names of the output formats, apart from the code that writes them, so that the command
line can offer them (``--format``) without importing the RDF and SHACL libraries."""

from __future__ import annotations

#: query answers (``plangraf query``, ``claims``): a text table, CSV, TSV or JSON
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
#: validation reports: text for people, JSON, JUnit XML, GitHub Actions annotations
REPORT_FORMATS = ("text", "json", "junit", "github")
#: graph exports, by name: rdflib's serialiser name
EXPORT_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
