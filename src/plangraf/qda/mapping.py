"""The optional mapping file (``MAP.yaml``) for an import: sources, codes and coders to plangraf ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import line_of, load_yaml
from plangraf.qda.codebook import RELATION_KINDS
from plangraf.qda.refi_read import OFFSET_CONVENTIONS
from plangraf.qda.refi_xml import GUID, norm_guid

KEYS = {"sources", "codes", "coders", "offsets", "check_names", "default_relation", "default_elements", "source"}
KEYS |= {"coder_from", "dates"}
TARGET_PREFIXES = ("guidance/", "egovwsf/", "relation/")


@dataclass
class Mapping:
    sources: dict[str, str] = field(default_factory=dict)  # source name or GUID -> document id
    codes: dict[str, str] = field(
        default_factory=dict
    )  # code name or GUID -> guidance/..|egovwsf/..|relation/..|ignore
    coders: dict[str, str] = field(default_factory=dict)  # user name or GUID -> coder id
    offsets: str | None = None
    check_names: bool = True
    default_relation: str | None = None
    default_elements: list[str] = field(default_factory=list)
    source: str | None = None
    coder_from: str | None = None  # coding | selection: whose creatingUser is the coder
    dates: str | None = None  # coding | selection | none: where coding dates come from (NVivo: none)

    def __post_init__(self) -> None:
        # GUID keys are compared the REFI way: braces stripped, upper case
        for table in (self.sources, self.codes, self.coders):
            table.update({norm_guid(k): v for k, v in list(table.items()) if GUID.match(k.strip())})


def _fail(path: Path, lines: dict, here: tuple, message: str) -> PlangrafError:
    return PlangrafError(message, file=str(path), line=line_of(lines, here), field=".".join(map(str, here)) or None)


def _str_map(data: dict, key: str, path: Path, lines: dict) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(path, lines, (key,), "expected a mapping of names to plangraf ids")
    return {str(k): v for k, v in value.items()}


def load_mapping(path: Path | None) -> Mapping:
    """Read and check a mapping file; ``None`` gives the empty mapping."""
    if path is None:
        return Mapping()
    data, lines = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise _fail(path, lines, (), "expected a mapping at the top of the file")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise _fail(path, lines, (unknown[0],), f"unknown key; allowed: {sorted(KEYS)}")
    mapping = Mapping(
        sources=_str_map(data, "sources", path, lines),
        codes=_str_map(data, "codes", path, lines),
        coders=_str_map(data, "coders", path, lines),
        offsets=data.get("offsets"),
        check_names=data.get("check_names", True),
        default_relation=data.get("default_relation"),
        default_elements=list(data.get("default_elements") or []),
        source=data.get("source"),
        coder_from=data.get("coder_from"),
        dates=data.get("dates"),
    )
    if mapping.dates not in (None, "coding", "selection", "none"):
        raise _fail(path, lines, ("dates",), "expected coding, selection or none")
    if mapping.coder_from not in (None, "coding", "selection"):
        raise _fail(path, lines, ("coder_from",), "expected coding or selection")
    for name, target in mapping.codes.items():
        if target != "ignore" and not target.startswith(TARGET_PREFIXES):
            raise _fail(path, lines, ("codes", name), "expected guidance/<id>, egovwsf/<id>, relation/<kind> or ignore")
    if mapping.offsets is not None and mapping.offsets not in OFFSET_CONVENTIONS:
        raise _fail(path, lines, ("offsets",), f"expected one of {list(OFFSET_CONVENTIONS)}")
    if mapping.default_relation is not None and mapping.default_relation not in RELATION_KINDS:
        raise _fail(path, lines, ("default_relation",), f"expected one of {list(RELATION_KINDS)}")
    if not isinstance(mapping.check_names, bool):
        raise _fail(path, lines, ("check_names",), "expected true or false")
    return mapping
