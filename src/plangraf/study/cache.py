"""A per-file cache for study loads (issue 12): each municipality file's checked content and the
triples it gives, kept in the build folder under content hashes, so a rebuild re-reads only the
files that changed.

Two kinds of entry, each a pickle named by a SHA-256 key:

- ``parsed``: the file's data and line map after YAML parsing and the schema check. Keyed by
  the file's content hash and plangraf's code (:func:`code_key`); nothing else goes into them.
- ``triples``: what the file gives the graph (its triples, the locations of its nodes and its
  counts). Keyed by the file's content hash, its path and the *context* of the load: every
  other input the emission reads (``study.yaml``, the CSV coding sheets, the reference data, the
  ontology, the readings and the study's municipal goal ids) and plangraf's code.
- ``shares``: the file's share of the closure (:mod:`plangraf.graph.shares`), keyed by its
  ``triples`` key and a fingerprint of the rest of the closure's premises.

Checks that span files (duplicate ids, cross references, the goal chain, CSV rows, the count of
findings and links) run on every load over all files, cached or not, and so does the size limit.
Entries are written only after the build has confirmed that no input changed while it ran and
that every study file was read with the contents hashed at its start (:meth:`StudyCache.commit`),
each by an atomic rename, so a killed or failed build never leaves a wrong entry. Each entry
carries the SHA-256 of its pickle: a damaged entry, or one of another shape, is a miss. Entries
not used by the latest load are removed on commit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef

from plangraf.study.links import Triple

CACHE_FORMAT = 1
KINDS = ("parsed", "triples", "shares")


@functools.cache
def code_key() -> str:
    """A hash of plangraf's own modules and schemas, and of the versions of the libraries that
    shape parsed data and terms (PyYAML with or without libyaml, the compiled schema checker,
    rdflib) and of Python: a changed loader invalidates every entry (the package version alone
    does not change while it is developed). Computed when this module is imported, so a
    checkout during a build cannot give the new code's key to the old code's output; the
    versions are the imported modules' own (package metadata takes tens of milliseconds to
    read, at every command's start)."""
    import fastjsonschema
    import rdflib
    import yaml

    root = Path(__file__).parents[1]  # the plangraf package
    digest = hashlib.sha256(f"cache-format-{CACHE_FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json") and path.is_file():
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    libraries = [
        f"PyYAML={yaml.__version__}",
        f"libyaml={getattr(yaml, '__with_libyaml__', False)}",
        f"fastjsonschema={fastjsonschema.VERSION}",
        f"rdflib={rdflib.__version__}",
        f"python={sys.version_info[:3]}",
    ]
    digest.update(json.dumps(libraries).encode("utf-8"))
    return digest.hexdigest()


def key_of(*parts: Any) -> str:
    """One SHA-256 over JSON-encoded parts (sorted keys)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- triples as a table


def encode_triples(triples: Iterable[Triple]) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, int]]]:
    """Triples as (distinct terms, rows of indexes): each term is stored once."""
    index: dict[tuple[Any, ...], int] = {}
    rows: list[tuple[int, int, int]] = []

    def code(term: Any) -> int:
        if type(term) is URIRef:
            key: tuple[Any, ...] = ("U", str(term))
        elif isinstance(term, Literal):
            key = ("L", str(term), term.language, str(term.datatype) if term.datatype is not None else None)
        elif isinstance(term, BNode):
            key = ("B", str(term))
        else:  # a subclass of URIRef or another kind of term: keep it as it is
            key = ("O", term)
        found = index.get(key)
        if found is None:
            found = index[key] = len(index)
        return found

    for s, p, o in triples:
        rows.append((code(s), code(p), code(o)))
    return list(index), rows


def decode_triples(terms: list[tuple[Any, ...]], rows: list[tuple[int, int, int]]) -> list[Triple]:
    """The inverse of :func:`encode_triples`."""
    made = decode_terms(terms)
    return [(made[s], made[p], made[o]) for s, p, o in rows]


def decode_terms(terms: list[tuple[Any, ...]]) -> list[Any]:
    """The terms of an :func:`encode_triples` table. IRIs were checked when first written, so
    they are made without rdflib's check again; literals keep their lexical form exactly."""
    made: list[Any] = []
    for term in terms:
        kind = term[0]
        if kind == "U":
            made.append(str.__new__(URIRef, term[1]))
        elif kind == "L":
            made.append(Literal(term[1], lang=term[2], datatype=term[3], normalize=False))
        elif kind == "B":
            made.append(BNode(term[1]))
        else:
            made.append(term[1])
    return made


# --------------------------------------------------------------------------- the cache


_DIGEST = 32  # an entry is the SHA-256 of its pickle, then the pickle
_STALE_TMP = 3600.0  # seconds after which a half-written entry is another build's leftover


@dataclass
class StudyCache:
    """The cache folder of one build folder, with the content hashes of the build's inputs
    (labels as in :func:`plangraf.graph.identity.graph_inputs`: ``study/sola.yaml``, ``reference/…``).

    ``read`` collects the hash of every study file as the loader read it (path -> SHA-256):
    :meth:`commit` writes nothing unless each is the hash the build started from."""

    folder: Path
    inputs: Mapping[str, str]
    read: dict[str, str] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    misses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    _pending: dict[tuple[str, str], bytes] = field(default_factory=dict)
    _used: set[tuple[str, str]] = field(default_factory=set)

    def digest(self, path: Path) -> str | None:
        """The content hash the build recorded for a study file (``None``: not one of its inputs)."""
        return self.inputs.get(f"study/{path.name}")

    def context(self, **parts: Any) -> str:
        """The key of everything but the file itself that the emission of a file depends on: the
        inputs other than the municipality files, plangraf's code, and ``parts``."""
        others = {k: v for k, v in self.inputs.items() if not (k.startswith("study/") and k.endswith(".yaml"))}
        study_yaml = {k: v for k, v in self.inputs.items() if k in ("study/study.yaml", "study/claims.yaml")}
        return key_of(code_key(), others, study_yaml, parts)

    def summary(self) -> dict[str, int]:
        """Municipality files whose triples came from the cache (``cached``) and that were read
        and turned into triples again (``read``)."""
        return {"cached": self.hits["triples"], "read": self.misses["triples"]}

    def get(self, kind: str, key: str, unpack: Callable[[Any], Any]) -> Any | None:
        """The entry as ``unpack`` makes it from the stored value, or ``None`` on a miss: absent,
        damaged (its hash does not match), or refused by ``unpack`` (``None`` or an exception)."""
        self._used.add((kind, key))
        try:
            blob = self._path(kind, key).read_bytes()
            if hashlib.sha256(blob[_DIGEST:]).digest() != blob[:_DIGEST]:
                raise ValueError("damaged entry")
            value = unpack(pickle.loads(blob[_DIGEST:]))
            if value is None:
                raise ValueError("entry of another shape")
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never an answer
            self.misses[kind] += 1
            return None
        self.hits[kind] += 1
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep an entry to write on :meth:`commit`, pickled now (the load may go on to change
        the objects it holds)."""
        self._used.add((kind, key))
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending[(kind, key)] = hashlib.sha256(data).digest() + data

    def unchanged(self) -> bool:
        """Every study file was read with the contents the build hashed before it started."""
        return all(self.digest(Path(path)) == digest for path, digest in self.read.items())

    def commit(self) -> None:
        """Write the pending entries (each atomically) and remove the entries this load did not
        use; nothing if a study file was read with other contents than the build hashed. A
        cache folder that cannot be written is left as it is: the cache only saves time."""
        if self.unchanged():
            for (kind, key), blob in self._pending.items():
                try:
                    self._write(kind, key, blob)
                except OSError:
                    continue
            self._prune()
        self._pending.clear()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.pickle"

    def _write(self, kind: str, key: str, blob: bytes) -> None:
        target = self._path(kind, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _prune(self) -> None:
        """Remove the entries this load did not use, and half-written ones over an hour old
        (a younger one may be another build's, being written now)."""
        now = time.time()
        for kind in KINDS:
            folder = self.folder / kind
            try:
                for entry in folder.iterdir():
                    if entry.name.startswith(".tmp-"):
                        if now - entry.stat().st_mtime > _STALE_TMP:
                            entry.unlink(missing_ok=True)
                    elif (kind, entry.stem) not in self._used:
                        entry.unlink(missing_ok=True)
            except OSError:
                continue


def unpack_parsed(value: Any) -> tuple[dict[str, Any], dict[Any, int]] | None:
    """A ``parsed`` entry: (data, line map); ``None`` if it has another shape."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict) and isinstance(value[1], dict):
        return value
    return None


@dataclass
class CachedTriples:
    """A ``triples`` entry as read: the file's triples, and the same as a table (its distinct
    terms and rows of indexes, in the order the triples first use them), so a build can give
    each term its id once (:func:`plangraf.graph.build.build_graph`)."""

    triples: list[Triple]
    terms: list[Any]
    rows: list[tuple[int, int, int]]
    locations: dict[str, Any]
    counters: dict[str, int]


def unpack_triples(value: Any) -> CachedTriples | None:
    """A ``triples`` entry: (table, locations, counters), the table's terms decoded; ``None``
    if it has another shape (a table that does not decode raises)."""
    if not (isinstance(value, tuple) and len(value) == 3):
        return None
    table, locations, counters = value
    if not (isinstance(table, tuple) and len(table) == 2 and isinstance(locations, dict)):
        return None
    if not (isinstance(counters, dict) and all(isinstance(n, int) for n in counters.values())):
        return None
    terms, rows = table
    made = decode_terms(terms)
    triples = [(made[s], made[p], made[o]) for s, p, o in rows]  # a row past the table raises
    return CachedTriples(triples, made, rows, locations, counters)


code_key()  # at import: see its docstring
