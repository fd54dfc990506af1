"""Build the graph: ontology + imported vocabularies' axioms + reference data + a study, OWL RL
inference, output files.

The asserted triples and the inferred triples are kept in separate graphs, so exports can
include or leave out what the reasoner added. owlrl's closure also produces
``owl:sameAs`` self-links, triples about RDF/RDFS/OWL/XSD vocabulary, triples with a literal
as subject and trivial types such as ``owl:Thing``; :func:`filter_inferred` removes them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.core.gcpause import collector_paused
from plangraf.core.paths import Paths
from plangraf.graph.identity import MANIFEST_FORMAT, Identity
from plangraf.graph.inference import infer
from plangraf.graph.inputs import base_graphs
from plangraf.graph.reflections import reflection_triples
from plangraf.rdf import bridge as oxbridge
from plangraf.rdf.files import check_terms, defined_terms
from plangraf.rdf.memindex import triples_of
from plangraf.rdf.namespaces import PREFIXES, bind_prefixes
from plangraf.study.loader import LoadReport, read_study

if TYPE_CHECKING:
    from plangraf.graph.identity import Identity
    from plangraf.graph.reasoner import Vocabulary
    from plangraf.graph.saved import Encoded
    from plangraf.rdf.termids import IdTriple, TermIds
    from plangraf.study.cache import StudyCache
    from plangraf.study.links import Triple
    from plangraf.study.loader import FileSegment


ASSERTED_GRAPH = URIRef("https://w3id.org/plangraf/graph/asserted")


INFERRED_GRAPH = URIRef("https://w3id.org/plangraf/graph/inferred")


@dataclass
class BuildResult:
    """A build: its report, counts and identity, and its asserted and inferred triples, held as
    rdflib graphs (the rdflib path) or as pyoxigraph quads (the id path,
    :mod:`plangraf.graph.encoded`); each form is made from the other when first asked for."""

    report: LoadReport
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    identity: Identity | None = None  # what it was built from (plangraf.graph.build)
    # municipality files taken from the per-file cache and read afresh (plangraf.study.cache)
    cache: dict[str, int] = field(default_factory=dict)
    graphs: tuple[Graph, Graph] | None = None
    quads: tuple[list[ox.Quad], list[ox.Quad]] | None = None
    encoded: Encoded | None = None  # the id path's rows (plangraf.graph.saved), quads made from them
    store_written: str = ""  # once written: "whole", or "delta" from the previous build's store
    exports_reused: list[str] = field(default_factory=list)  # Turtle files made from the previous build's

    @property
    def asserted(self) -> Graph:
        return self._graphs()[0]

    @property
    def inferred(self) -> Graph:
        return self._graphs()[1]

    def _graphs(self) -> tuple[Graph, Graph]:
        if self.graphs is None:
            asserted, inferred = self.named_quads()
            self.graphs = (_graph_of(asserted), _graph_of(inferred))
        return self.graphs

    def named_quads(self) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """(asserted, inferred) as pyoxigraph quads in their named graphs."""
        if self.quads is None:
            with collector_paused():
                if self.encoded is not None:
                    self.quads = (self.encoded.quads(0), self.encoded.quads(1))
                else:
                    self.quads = (
                        oxbridge.quads_of(ASSERTED_GRAPH, self.asserted),
                        oxbridge.quads_of(INFERRED_GRAPH, self.inferred),
                    )
        return self.quads

    def encoded_form(self) -> Encoded:
        """(asserted, inferred) as id rows in export order (:mod:`plangraf.graph.saved`)."""
        if self.encoded is None:
            from plangraf.graph.saved import Encoded

            asserted, inferred = self.named_quads()
            self.encoded = Encoded.of_quads([(str(ASSERTED_GRAPH), asserted), (str(INFERRED_GRAPH), inferred)])
        return self.encoded

    def union(self) -> Graph:
        """Asserted and inferred triples in one graph (what queries and SHACL see)."""
        g = Graph()
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in triples_of(self.asserted))
        g.addN((s, p, o, g) for s, p, o in triples_of(self.inferred))
        return g


def _graph_of(quads: list[ox.Quad]) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    convert = oxbridge.from_ox
    graph.addN((convert(q.subject), convert(q.predicate), convert(q.object), graph) for q in quads)  # type: ignore[arg-type]
    return graph


def build_graph(
    paths: Paths,
    *,
    readings: frozenset[str] = frozenset(),
    include_suggested: bool = False,
    cache_folder: Path | None = None,
    stated_only: bool = False,
    encoded: bool = True,
    by_files: bool = True,
) -> BuildResult:
    """Load and check all inputs, run inference. ``readings`` names the study's
    alternative readings to apply (see :mod:`plangraf.study.readings`); none: the files as written.
    ``include_suggested`` lets suggested links count in the answers (issue 14); ``stated_only``
    keeps only the links the source states (the claims check's view without coders' links).

    The inputs are hashed before and after loading: a file that changes in between fails
    the build rather than giving a graph of no one version of the inputs.

    With ``cache_folder``, unchanged municipality files are taken from a per-file cache there
    (:mod:`plangraf.study.cache`), which is updated once the inputs are known not to have changed;
    nothing else is written.

    The build runs on integer ids (:mod:`plangraf.graph.encoded`); ``encoded=False``, suggested
    links, or an OWL construct the targeted reasoner does not implement take the rdflib path,
    which is the oracle the id path is tested against. On ids the closure is the union of each
    municipality file's share (:mod:`plangraf.graph.shares`), taken from the cache for an
    unchanged file; ``by_files=False`` computes it whole (what the shares are tested against).
    """
    from plangraf.graph.identity import Identity
    from plangraf.study.cache import StudyCache

    with collector_paused():
        t0 = time.perf_counter()
        identity = Identity.of(paths, readings, include_suggested=include_suggested)
        cache = StudyCache(cache_folder, identity.inputs) if cache_folder is not None else None
        if encoded and not include_suggested:
            result = _build_encoded(paths, identity, readings, cache, stated_only, by_files)
            if result is not None:
                return result
            cache = StudyCache(cache_folder, identity.inputs) if cache_folder is not None else None
        asserted, report = _load(paths, identity, readings, include_suggested, cache, stated_only)
        seconds = {"load": time.perf_counter() - t0}
        t1 = time.perf_counter()
        # The one place where inference output is produced: everything the build derives
        # from ``asserted`` is added here, into ``inferred``.
        inferred = infer(asserted)
        # How each link reaches each item it counts for (path, hops): recorded once, looked up by queries.
        reflections = reflection_triples(asserted, inferred, include_suggested=include_suggested)
        inferred.addN((s, p, o, inferred) for s, p, o in reflections)
        seconds["inference"] = time.perf_counter() - t1
    result = BuildResult(graphs=(asserted, inferred), report=report, seconds=seconds, identity=identity)
    return _finished(result, len(asserted), len(inferred), cache)


def _finished(result: BuildResult, asserted: int, inferred: int, cache: StudyCache | None) -> BuildResult:
    result.counts = {"asserted": asserted, "inferred": inferred, "total": asserted + inferred}
    result.cache = cache.summary() if cache is not None else {}
    return result


def _build_encoded(
    paths: Paths,
    identity: Identity,
    readings: frozenset[str],
    cache: StudyCache | None,
    stated_only: bool,
    by_files: bool = True,
) -> BuildResult | None:
    """:func:`build_graph` on ids (:mod:`plangraf.graph.encoded`); ``None`` where the targeted
    reasoner does not apply (the caller then builds on the rdflib path)."""
    from plangraf.graph.encoded import infer_ids, reflections_ids
    from plangraf.graph.inputs import base
    from plangraf.graph.saved import Encoded
    from plangraf.graph.shares import FileTriples, closure_by_files
    from plangraf.reuse.ingest import check_ingested
    from plangraf.reuse.rdf import load_reuse

    t0 = time.perf_counter()
    fixed = base(paths, identity)
    segments: list[FileSegment] = []
    study_triples, report = read_study(
        paths.study,
        fixed.reference_view(),  # type: ignore[arg-type]
        readings=readings,
        cache=None if stated_only else cache,
        stated_only=stated_only,
        segments=segments,
    )
    ids = fixed.ids
    files = [FileTriples(s.file, s.key, _segment_ids(ids, s, study_triples)) for s in segments]
    in_files = {i for s in segments for i in range(s.start, s.end)} if segments else set()
    own_triples = [t for i, t in enumerate(study_triples) if i not in in_files]
    # a file's triples from the cache passed this check when they were cached, under the same
    # ontology (the cache context): the others are checked
    fresh = (t for s in segments if s.cached is None for t in study_triples[s.start : s.end])
    check_terms(chain(own_triples, fresh), fixed.terms, paths.study)
    own = set(ids.encode_rdflib(own_triples))
    own.update(ids.encode_rdflib(check_ingested(paths.study)))
    reuse = load_reuse(paths.study, fixed.terms)
    if reuse is not None:
        own.update(ids.encode_rdflib(reuse))
    asserted = set(fixed.encoded) | own
    for part in files:
        asserted.update(part.triples)
    _check_unchanged(identity, paths, readings, False)
    seconds = {"load": time.perf_counter() - t0}
    t1 = time.perf_counter()

    def by_share(vocab: Vocabulary) -> set[IdTriple] | None:
        return closure_by_files(ids, vocab, set(fixed.encoded), own, files, cache)

    inferred = infer_ids(ids, asserted, by_share if by_files else None)
    if inferred is None:
        return None
    inferred.update(reflections_ids(ids, asserted, inferred))
    seconds["inference"] = time.perf_counter() - t1
    if cache is not None:
        cache.commit()
    parts = [ids.encode(fixed.triples), own, *(part.triples for part in files)]
    graphs = [(str(ASSERTED_GRAPH), _sorted_rows(asserted, parts)), (str(INFERRED_GRAPH), sorted_rows(inferred))]
    encoded = Encoded(ids.terms, graphs, ordered=True)  # the quads are made only where needed
    result = BuildResult(encoded=encoded, report=report, seconds=seconds, identity=identity)
    return _finished(result, len(asserted), len(inferred), cache)


def _sorted_rows(rows: set[IdTriple], parts: Sequence[Iterable[IdTriple]]) -> list[IdTriple]:
    """``sorted(rows)``, where ``parts`` are the rows again (with repeats) in the order they were
    encoded: ids grow in that order, so their list is mostly sorted runs, which a sort merges in
    a fraction of the time a sort of the set's order takes."""
    found = list(chain.from_iterable(parts))
    found.sort()
    found = list(dict.fromkeys(found))
    return found if len(found) == len(rows) else sorted(rows)  # (parts are all drawn from ``rows``)


def sorted_rows(rows: Iterable[IdTriple]) -> list[IdTriple]:
    """``sorted(rows)``: sorted by subject alone (integers: a fraction of the time tuples take),
    then each subject's few rows sorted as tuples."""
    by_subject = sorted(rows, key=itemgetter(0))
    out: list[IdTriple] = []
    add = out.extend
    for _subject, group in groupby(by_subject, itemgetter(0)):
        add(sorted(group))
    return out


def _segment_ids(ids: TermIds, segment: FileSegment, triples: list[Triple]) -> list[IdTriple]:
    """A municipality file's triples as ids; from the cache, each distinct term is looked up
    once (its table gives the terms in the order the triples first use them, so the ids are
    the ones encoding the triples one by one gives)."""
    cached = segment.cached
    if cached is None:
        return ids.encode_rdflib(triples[segment.start : segment.end])
    local = [ids.of_rdflib(term) for term in cached.terms]
    return [(local[s], local[p], local[o]) for s, p, o in cached.rows]


def _load(
    paths: Paths,
    identity: Identity,
    readings: frozenset[str],
    include_suggested: bool,
    cache: StudyCache | None,
    stated_only: bool = False,
) -> tuple[Graph, LoadReport]:
    """The asserted graph: the base, the study, ingested texts and measured reuse; the inputs
    checked unchanged since ``identity`` was taken, then the per-file cache updated."""
    from plangraf.reuse.ingest import check_ingested  # issue 14: ingested texts and measured reuse
    from plangraf.reuse.rdf import load_reuse, suggested_shortcuts

    ontology, base = base_graphs(paths, identity)
    asserted = Graph()
    bind_prefixes(asserted)
    asserted.addN((s, p, o, asserted) for s, p, o in base)  # the ontology and the reference data, for lookups
    study_triples, report = read_study(
        paths.study, asserted, readings=readings, cache=None if stated_only else cache, stated_only=stated_only
    )
    check_terms(study_triples, defined_terms(ontology), paths.study)
    asserted.addN((s, p, o, asserted) for s, p, o in study_triples)
    asserted += check_ingested(paths.study)
    reuse = load_reuse(paths.study, defined_terms(ontology))
    if reuse is not None:
        asserted += reuse
    if include_suggested:
        asserted += suggested_shortcuts(asserted)
    _check_unchanged(identity, paths, readings, include_suggested)
    if cache is not None:
        cache.commit()
    return asserted, report


def _check_unchanged(before: Identity, paths: Paths, readings: frozenset[str], include_suggested: bool) -> None:
    from plangraf.graph.identity import MANIFEST_FORMAT, Identity

    after = Identity.of(paths, readings, include_suggested=include_suggested)
    changed = after.changes_since({"format": MANIFEST_FORMAT, **before.to_json()})
    if changed:
        raise PlangrafError(
            f"input changed during the build ({', '.join(changed)}); run it again", file=str(paths.study)
        )


def write_build(result: BuildResult, paths: Paths) -> dict[str, Path]:
    """Write the build outputs into a staging folder and swap it in whole (:mod:`plangraf.graph.folder`).

    The build is a persistent pyoxigraph store (``store/``, the asserted and the inferred
    triples in their two named graphs), which commands open read-only instead of parsing a
    file, and the same triples as TriG and Turtle exports, serialised by pyoxigraph
    (:mod:`plangraf.graph.exports`). The triples are also saved as ids (``store-ids``,
    :mod:`plangraf.graph.saved`): the next build writes its store and exports from this
    build's, changing only what differs (:mod:`plangraf.graph.storewrite`). ``manifest.json``
    records the identity of the inputs (content hashes), which every reader checks, the store's
    number of quads and the SHA-256 of the TriG and of the saved ids.
    """
    with collector_paused():  # millions of objects alive: full collections would walk them all
        return _write_build(result, paths)


def _write_build(result: BuildResult, paths: Paths) -> dict[str, Path]:
    from plangraf.graph.exports import TURTLE_FILES, write_exports
    from plangraf.graph.folder import MANIFEST, STORE, current_folder, store_fingerprint, write_staged
    from plangraf.graph.saved import SAVED, encode_saved
    from plangraf.graph.storewrite import previous_build, write_store

    out = paths.build
    prefixes = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    encoded = result.encoded_form()
    terms, flats = encoded.texts(), [encoded.flat(i) for i in range(len(encoded.graphs))]
    # the previous build's rows, to write the store and the exports as a delta (plangraf.graph.storewrite)
    previous = previous_build(current_folder(out) if (out / MANIFEST).exists() else None, encoded, terms, flats)
    texts, result.exports_reused = write_exports(
        encoded, prefixes, (previous.folder, previous.saved, previous.delta) if previous else None
    )
    exports = {name: hashlib.sha256(texts[name]).hexdigest() for name in TURTLE_FILES}
    saved = encode_saved(encoded, terms, flats, exports)
    manifest = manifest_of(result, paths)
    manifest["store"] = {"quads": sum(len(rows) for _name, rows in encoded.graphs)}
    manifest["trig"] = {"sha256": hashlib.sha256(texts["plangraf.trig"]).hexdigest()}  # checked by its readers
    texts[SAVED] = saved  # what the next build's delta starts from (plangraf.graph.saved)
    manifest["ids"] = {"sha256": hashlib.sha256(saved).hexdigest()}

    def store(folder: Path) -> None:
        result.store_written = write_store(folder, encoded, previous)
        manifest["store"]["fingerprint"] = store_fingerprint(folder)  # closed: its files as readers find them

    write_staged(out, texts, manifest, {STORE: store})
    return {
        "store": out / STORE,
        "trig": out / "plangraf.trig",
        "asserted": out / "plangraf.ttl",
        "inferred": out / "inferred.ttl",
        "manifest": out / MANIFEST,
    }


def manifest_of(result: BuildResult, paths: Paths) -> dict[str, Any]:
    from dataclasses import fields

    from plangraf.rdf.namespaces import PGID

    identity = result.identity if result.identity is not None else Identity.of(paths)
    return {
        "format": MANIFEST_FORMAT,
        **identity.to_json(),
        "study": str(paths.study.resolve()),
        "counts": result.counts,
        # a shallow dict: the manifest is written as JSON at once, and asdict's deep copy of the
        # locations took seconds at national scale
        "report": {f.name: getattr(result.report, f.name) for f in fields(result.report)},
        "graphs": {"asserted": str(ASSERTED_GRAPH), "inferred": str(INFERRED_GRAPH)},
        "id_base": str(PGID),
    }
