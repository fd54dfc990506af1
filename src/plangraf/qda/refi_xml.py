"""QDA-XML plumbing shared by reader and writers: namespaces, GUIDs, schema validation."""

from __future__ import annotations

import functools
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangraf.core.errors import PlangrafError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_XSD = "Project-mrt2019.xsd"
CODEBOOK_XSD = "Codebook-mrt2019.xsd"
_NS_VARIANT = re.compile(r"^urn:QDA-XML:(project|codebook):(.+)$")
GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def guid_for(iri: str) -> str:
    """The stable GUID of an IRI: a name-based UUID (version 5, URL namespace), upper case."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri)).upper()


def norm_guid(value: str | None) -> str:
    """A GUID compared the REFI way: braces stripped, case ignored (NVivo writes lower case)."""
    if not value:
        return ""
    match = GUID.match(value.strip())
    return (match.group(1) if match else value.strip()).upper()


def local(tag: str) -> str:
    """An element's local name, without its namespace."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def kind_of(ns: str) -> tuple[str, str] | None:
    """('project'|'codebook', version) for any ``urn:QDA-XML:{project|codebook}:*`` namespace."""
    match = _NS_VARIANT.match(ns)
    return (match.group(1), match.group(2)) if match else None


SCHEMA_DIR = Path(__file__).resolve().parent / "xsd"  # the REFI-QDA 1.0 schemas (MIT), shipped in the package


def schema_dir(override: Path | None = None) -> Path:
    """The folder of the REFI-QDA schemas: ``override``, else ``$PLANGRAF_REFI_XSD``, else the packaged copy.

    Validation is never skipped: a folder without the schemas is an error, not a warning.
    """
    env = os.environ.get("PLANGRAF_REFI_XSD")
    return Path(override) if override else Path(env) if env else SCHEMA_DIR


@functools.lru_cache(maxsize=4)
def _schema(xsd: Path) -> Any:
    from lxml import etree

    if not xsd.is_file():
        raise PlangrafError("REFI-QDA schema not found", file=str(xsd))
    try:
        return etree.XMLSchema(etree.parse(str(xsd), etree.XMLParser(no_network=True, resolve_entities=False)))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise PlangrafError(f"not a usable XML schema: {exc}", file=str(xsd)) from None


@dataclass
class SchemaProblem:
    line: int
    message: str


def validate(xml: bytes, xsd: Path) -> list[SchemaProblem]:
    """Validate a document against an XSD with lxml (libxml2); return the problems, empty when valid.

    The document must already have passed defusedxml (no DTD, no entities); lxml parses it again
    with entity resolution and network access off.
    """
    from lxml import etree

    schema = _schema(Path(xsd).resolve())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        return [SchemaProblem(exc.lineno or 0, str(exc))]
    if schema.validate(tree):
        return []
    return [SchemaProblem(err.line, err.message) for err in schema.error_log]
