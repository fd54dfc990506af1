"""The closure of a build as the union of each study file's share (issue 21), so that a build
after editing one file reasons over that file only.

Let ``B`` be the premises every file shares (the ontology, the imports, the reference data and
the study's own triples: ``study.yaml``, readings, alternatives, ingested texts, measured
reuse), ``D0`` its closure, and ``F_k`` the triples of municipality file ``k``. The file's
*share* is ``S_k = cl(D0 ∪ F_k) − D0``, computed semi-naively from the saturated ``D0``
(:meth:`plangraf.graph.reasoner.Saturated.share`) and kept in the per-file cache
(:mod:`plangraf.study.cache`, kind ``shares``) under the file's ``triples`` key and a
fingerprint of ``B``'s study part: an edit recomputes the edited file's share only.

Why ``cl(B ∪ ⋃ F_k) = D0 ∪ ⋃ S_k ∪ X``, with ``X`` found from the *contact nodes* below
(the argument is in ``docs/performance.md``, "Inference per file"):

1. Every ``S_k`` is computed under ``D0``'s schema and adds no schema triple (checked: a file
   whose share would change the schema, a chain axiom longer than two links, or a schema triple
   in ``X`` gives ``None`` and the caller computes the closure whole). Under a fixed schema the
   reasoner's rules are single-premise, except ``prp-trp`` and two-link ``prp-spo2``, each
   joining two triples of *joined* predicates on one node.
2. ``U = D0 ∪ ⋃ S_k`` is closed under the single-premise rules (each ``D0 ∪ S_k`` is closed,
   and a rule maps a premise of one of them into it), and under every join whose two premises
   lie in one ``D0 ∪ S_k``.
3. A join not covered by (2) has premises ``(x p y) ∈ S_a`` and ``(y q z) ∈ S_b``, ``a ≠ b``,
   neither in ``D0``: ``y`` is the object of a joined triple of ``S_a`` and the subject of one
   of ``S_b``, a contact node. With none, ``U`` is the closure. Otherwise every joined triple
   of the shares at a contact node is put on the reasoner's work list over ``U``: each such
   join fires when its first premise is taken from the list, and what it derives is joined
   semi-naively as in any run, so the fixpoint reached is the closure.

``tests/test_shares.py`` checks builds made with every share computed, with shares taken from
the cache after random edits, additions and deletions of files, and cold builds, quad for quad.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from plangraf.graph.reasoner import Saturated, Vocabulary, _Reasoner
from plangraf.rdf.termids import IdTriple, TermIds
from plangraf.study.cache import StudyCache, key_of

TermKey = tuple[str, ...]


@dataclass
class FileTriples:
    """One municipality file's asserted triples as ids, and its ``triples`` cache key."""

    file: str
    key: str | None
    triples: list[IdTriple]


def closure_by_files(
    ids: TermIds,
    vocab: Vocabulary,
    base: set[IdTriple],
    own: set[IdTriple],
    files: Sequence[FileTriples],
    cache: StudyCache | None,
) -> set[IdTriple] | None:
    """``cl(base ∪ own ∪ every file's triples)``, as the union of the files' shares (see the
    module), where ``base`` is the ontology, imports and reference data and ``own`` the study's
    own triples; ``None`` where that argument does not apply (then the closure is computed
    whole)."""
    premises: Any = base.union(own)  # ids as the reasoner's terms
    saturated: Any = Saturated(premises, vocab)
    schema = saturated.schema
    if any(len(chain) > 2 for links in schema.chains.values() for _prop, chain, _i in links):
        return None
    fingerprint = _fingerprint(ids, own) if cache is not None else ""
    codec = _Codec(ids)
    shares: list[tuple[str, set[IdTriple]]] = []
    for part in files:
        share = _cached_share(part, cache, fingerprint, codec, saturated)
        if share is None:
            return None
        shares.append((part.file, share))
    union = set(saturated.facts)
    for _file, share in shares:
        union |= share
    contacts = _contacts(shares, schema.joined)
    if not contacts:
        return union
    return _joined_at(union, shares, contacts, schema.joined, vocab)


def _cached_share(
    part: FileTriples, cache: StudyCache | None, fingerprint: str, codec: _Codec, saturated: Any
) -> set[IdTriple] | None:
    key = key_of("share", part.key, fingerprint) if cache is not None and part.key is not None else None
    if cache is not None and key is not None:
        found = cache.get("shares", key, codec.decoder())
        if found is not None:
            return found
    share: set[IdTriple] | None = saturated.share(part.triples)
    if share is not None and cache is not None and key is not None:
        table = codec.encode(share)
        if table is not None:
            cache.put("shares", key, table)
    return share


def _contacts(shares: list[tuple[str, set[IdTriple]]], joined: set[Any]) -> set[int]:
    """Nodes that are the object of a joined triple of one file's share and the subject of a
    joined triple of another's (3. in the module)."""
    objects: dict[int, str] = {}
    subjects: dict[int, str] = {}
    shared: set[int] = set()
    for file, share in shares:
        for s, p, o in share:
            if p not in joined:
                continue
            seen = objects.setdefault(o, file)
            if seen != file:
                objects[o] = ""  # of two files or more
            seen = subjects.setdefault(s, file)
            if seen != file:
                subjects[s] = ""
    for node, file in objects.items():
        other = subjects.get(node)
        if other is not None and (other != file or file == ""):
            shared.add(node)
    return shared


def _joined_at(
    union: set[IdTriple],
    shares: list[tuple[str, set[IdTriple]]],
    contacts: set[int],
    joined: set[Any],
    vocab: Vocabulary,
) -> set[IdTriple] | None:
    """The closure of ``union``: the joined triples of the shares at ``contacts`` joined
    semi-naively against it (3. in the module); ``None`` if that changes the schema."""
    facts: Any = union  # ids as the reasoner's terms
    reasoner: Any = _Reasoner(facts, vocab)
    schema = reasoner.schema()
    size = reasoner._schema_size()
    reasoner.queue.extend(
        t for _file, share in shares for t in share if t[1] in joined and (t[0] in contacts or t[2] in contacts)
    )
    reasoner._fixpoint(schema)
    if reasoner._schema_size() != size:
        return None
    return reasoner.facts


def _fingerprint(ids: TermIds, study_own: Iterable[IdTriple]) -> str:
    """A hash of the study's own premises (what the shares depend on besides their file and the
    cache context), from their terms' N-Triples forms."""
    terms = ids.terms
    lines = sorted(f"{terms[s]} {terms[p]} {terms[o]}" for s, p, o in study_own)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class _Codec:
    """Shares as a table of terms and rows of indexes (cache entries outlive a process's ids)."""

    def __init__(self, ids: TermIds) -> None:
        self.ids = ids
        self._ids: dict[TermKey, int] = {}

    def encode(self, triples: set[IdTriple]) -> tuple[list[TermKey], list[IdTriple]] | None:
        """The table, or ``None`` with a blank node (its label is another parse's next time)."""
        index: dict[int, int] = {}
        rows = []
        for t in triples:
            rows.append(tuple(index.setdefault(x, len(index)) for x in t))
        keys = []
        for term_id in index:
            key = _key(self.ids.terms[term_id])
            if key is None:
                return None
            keys.append(key)
        return keys, rows  # type: ignore[return-value]

    def decoder(self) -> Callable[[Any], set[IdTriple] | None]:
        def decode(value: Any) -> set[IdTriple] | None:
            keys, rows = value
            known = self._ids
            local = [known.get(k) if k in known else self._id(k) for k in keys]
            return {(local[s], local[p], local[o]) for s, p, o in rows}

        return decode

    def _id(self, key: TermKey) -> int:
        if key[0] == "U":
            term: Any = ox.NamedNode(key[1])
        elif len(key) == 3 and key[0] == "L":
            term = ox.Literal(key[1], language=key[2])
        else:
            term = ox.Literal(key[1], datatype=ox.NamedNode(key[3]))
        found = self._ids[key] = self.ids.id(term)
        return found


def _key(term: Any) -> TermKey | None:
    if type(term) is ox.NamedNode:
        return ("U", term.value)
    if type(term) is ox.Literal:
        if term.language:
            return ("L", term.value, term.language)
        return ("L", term.value, "", term.datatype.value)
    return None
