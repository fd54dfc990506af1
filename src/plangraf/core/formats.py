"""The names of the output formats, apart from the code that writes them, so that the command
line can offer them (``--format``) without importing the RDF and SHACL libraries."""

from __future__ import annotations

from plangraf.core.errors import PlangrafError

#: query answers (``plangraf query``, ``claims``): a text table, CSV, TSV or JSON
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")
#: validation reports: text for people, JSON, JUnit XML, GitHub Actions annotations
REPORT_FORMATS = ("text", "json", "junit", "github")
#: graph exports, by name: rdflib's serialiser name
EXPORT_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}


def check_delimiter(delimiter: str) -> str:
    """A CSV delimiter: one character (or ``tab``/``\\t``), not a quote, letter, digit or line break."""
    delimiter = _DELIMITER_NAMES.get(delimiter, delimiter)
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise PlangrafError(
            f"'{delimiter}' cannot separate CSV fields; use one character such as , ; or tab", field="delimiter"
        )
    return delimiter
