"""Build the graph: ontology + imported vocabularies' axioms + reference data + a study, OWL RL
inference, output files.

The asserted triples and the inferred triples are kept in separate graphs, so exports can
include or leave out what the reasoner added. owlrl's closure also produces
``owl:sameAs`` self-links, triples about RDF/RDFS/OWL/XSD vocabulary, triples with a literal
as subject and trivial types such as ``owl:Thing``; :func:`filter_inferred` removes them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from . import oxbridge, resources
from .derive import reflection_triples
from .errors import PlangrafError
from .gcpause import collector_paused
from .memgraph import triples_of
from .namespaces import PREFIXES, bind_prefixes
from .rdfio import check_terms, defined_terms, parse_file, read_triples
from .study import LoadReport, read_study

if TYPE_CHECKING:
    from .builds import Identity
    from .filecache import StudyCache

ASSERTED_GRAPH = URIRef("https://w3id.org/plangraf/graph/asserted")
INFERRED_GRAPH = URIRef("https://w3id.org/plangraf/graph/inferred")

_VOCAB_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}


def project_root() -> Path:
    """The folder holding ``ontology/``, ``queries/`` and ``data/reference/``: ``$PLANGRAF_HOME``,
    the source tree, or the installed package's copy (see :mod:`plangraf.resources`)."""
    return resources.home()


@dataclass
class Paths:
    """Where inputs are read from and outputs written to."""

    root: Path
    data: Path | None = None
    out: Path | None = None

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "plangraf.ttl"

    @property
    def imports(self) -> Path:
        """Extracts of the vocabularies the ontology reuses (ORG, ELI, DCAT, DCTERMS, PROV-O):
        their subclass, subproperty, domain, range and inverse axioms, for the reasoner and SHACL."""
        return self.root / "ontology" / "imports"

    @property
    def shapes(self) -> Path:
        return self.root / "ontology" / "shapes"

    @property
    def reference(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def study(self) -> Path:
        return self.data if self.data is not None else resources.default_study(self.root)

    @property
    def build(self) -> Path:
        return self.out if self.out is not None else resources.default_build(self.root)

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    def inputs(self) -> list[Path]:
        files = [self.ontology, *import_files(self.imports)]
        if self.reference.is_dir():
            files += reference_files(self.reference)
        if self.study.is_dir():
            files += sorted(p for p in self.study.iterdir() if p.suffix in (".yaml", ".csv") or p.name == "reuse.ttl")
        return files


@dataclass
class BuildResult:
    asserted: Graph
    inferred: Graph
    report: LoadReport
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    identity: Identity | None = None  # what it was built from (plangraf.builds)
    # municipality files taken from the per-file cache and read afresh (plangraf.filecache)
    cache: dict[str, int] = field(default_factory=dict)

    def union(self) -> Graph:
        """Asserted and inferred triples in one graph (what queries and SHACL see)."""
        g = Graph()
        bind_prefixes(g)
        g.addN((s, p, o, g) for s, p, o in triples_of(self.asserted))
        g.addN((s, p, o, g) for s, p, o in triples_of(self.inferred))
        return g


def reference_files(folder: Path) -> list[Path]:
    """RDF files of a reference folder: Turtle, N-Triples, JSON-LD or RDF/XML."""
    suffixes = {".ttl", ".nt", ".jsonld", ".rdf"}
    return sorted(p for p in Path(folder).iterdir() if p.suffix in suffixes and p.is_file())


def import_files(folder: Path) -> list[Path]:
    """The Turtle files of the imports folder (``ontology/imports``), sorted; none if it is missing."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.ttl") if p.is_file()) if folder.is_dir() else []


def load_ontology(paths: Paths) -> Graph:
    return parse_file(paths.ontology)


def load_imports(paths: Paths, into: Graph | None = None) -> Graph:
    """Parse the vocabulary extracts of ``ontology/imports`` into ``into`` (a new graph if
    ``None``) and return that graph. They define no ``pg:`` term, so the term check does not
    concern them."""
    graph = into if into is not None else Graph()
    if into is None:
        bind_prefixes(graph)
    for path in import_files(paths.imports):
        for triple in read_triples(path):
            graph.add(triple)
    return graph


def load_reference(paths: Paths, ontology: Graph, into: Graph | None = None) -> Graph:
    """Parse every RDF file in ``data/reference``, check its terms, add it to ``into`` (a
    new graph if ``None``) and return that graph."""
    if not paths.reference.is_dir():
        raise PlangrafError("reference folder not found", file=str(paths.reference))
    terms = defined_terms(ontology)
    graph = into if into is not None else Graph()
    if into is None:
        bind_prefixes(graph)
    for path in reference_files(paths.reference):
        part = read_triples(path)
        check_terms(part, terms, path)
        for triple in part:
            graph.add(triple)
    return graph


# What filter_inferred drops, as plain strings: str comparisons run in C, rdflib's __eq__ does not.
_TYPE = str(RDF.type)
_SAME_AS = str(OWL.sameAs)
_REFLEXIVE_STR = frozenset(map(str, _REFLEXIVE))
# trivial types, and owlrl's re-typing of every property (the ontology states what matters)
_DROPPED_TYPES = frozenset(
    map(str, _TRIVIAL_TYPES | {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, RDFS.Datatype})
)


def _kept(s: Node, p: Node, o: Node) -> bool:
    """False for closure noise: literal subjects, self-links, vocabulary axioms, trivial types,
    and owl:sameAs (only explicit owl:sameAs in the data is meaningful; the reasoner's are not
    exported)."""
    if isinstance(s, Literal) or str(s).startswith(_VOCAB_NAMESPACES):
        return False
    if type(p) is not URIRef:
        return True
    predicate = str(p)
    if predicate == _SAME_AS or (predicate in _REFLEXIVE_STR and s == o):
        return False
    return not (predicate == _TYPE and type(o) is URIRef and str(o) in _DROPPED_TYPES)


def filter_inferred(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Drop closure noise: literal subjects, self-links, vocabulary axioms, trivial types."""
    kept = Graph()
    bind_prefixes(kept)
    kept.addN((s, p, o, kept) for s, p, o in triples if _kept(s, p, o))
    return kept


def infer(asserted: Graph) -> Graph:
    """The OWL 2 RL entailments of ``asserted`` that matter, as new triples (filtered).

    Computed by the targeted reasoner in :mod:`plangraf.reasoner`, which gives exactly the
    triples :func:`infer_owlrl` gives for the constructs the ontology uses (tested on the study
    data) in a fraction of the time; with any construct it does not implement in the graph,
    owlrl is used instead. The asserted graph is read once (iterating rdflib's store is slow).
    """
    from .reasoner import infer_targeted, unsupported

    base = set(triples_of(asserted))
    if unsupported(base):
        return infer_owlrl(asserted)
    return filter_inferred(infer_targeted(base))


def infer_owlrl(asserted: Graph) -> Graph:
    """Run the full OWL 2 RL closure (owlrl) and return only the useful new triples."""
    import owlrl  # only needed as the fallback (and in tests): keeps owlrl's import off start-up

    closure = Graph()
    for t in asserted:
        closure.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    new = Graph()
    for t in closure:
        if t not in asserted:
            new.add(t)
    return filter_inferred(new)


# The ontology and the reference data, parsed and checked once per process for the same file
# contents (the claims check builds the study once per reading over the same base). One entry.
# The base is kept as a list of triples: adding a list to a graph is several times faster than
# copying another rdflib graph, whose memory store looks up each triple's contexts.
_BASE: dict[str, tuple[Graph, list[tuple[Node, Node, Node]]]] = {}


def _base_graphs(paths: Paths, identity: Identity) -> tuple[Graph, list[tuple[Node, Node, Node]]]:
    """The ontology, and the triples of the ontology with the imported vocabularies' axioms and
    the reference data, for the contents ``identity`` hashed; read-only."""
    key = json.dumps({k: v for k, v in identity.inputs.items() if not k.startswith("study/")}, sort_keys=True)
    if key not in _BASE:
        ontology = load_ontology(paths)
        base = Graph()
        base += ontology
        load_imports(paths, into=base)
        load_reference(paths, ontology, into=base)
        _BASE.clear()
        _BASE[key] = (ontology, list(base))
    return _BASE[key]


def build_graph(
    paths: Paths,
    *,
    readings: frozenset[str] = frozenset(),
    include_suggested: bool = False,
    cache_folder: Path | None = None,
) -> BuildResult:
    """Load and check all inputs, run inference. ``readings`` names the study's
    alternative readings to apply (see :mod:`plangraf.readings`); none: the files as written.
    ``include_suggested`` lets suggested links count in the answers (issue 14).

    The inputs are hashed before and after loading: a file that changes in between fails
    the build rather than giving a graph of no one version of the inputs.

    With ``cache_folder``, unchanged municipality files are taken from a per-file cache there
    (:mod:`plangraf.filecache`), which is updated once the inputs are known not to have changed;
    nothing else is written.
    """
    from .builds import Identity
    from .filecache import StudyCache

    with collector_paused():
        t0 = time.perf_counter()
        identity = Identity.of(paths, readings, include_suggested=include_suggested)
        cache = StudyCache(cache_folder, identity.inputs) if cache_folder is not None else None
        asserted, report = _load(paths, identity, readings, include_suggested, cache)
        seconds = {"load": time.perf_counter() - t0}
        t1 = time.perf_counter()
        # The one place where inference output is produced: everything the build derives
        # from ``asserted`` is added here, into ``inferred``.
        inferred = infer(asserted)
        # How each link reaches each item it counts for (path, hops): recorded once, looked up by queries.
        reflections = reflection_triples(asserted, inferred, include_suggested=include_suggested)
        inferred.addN((s, p, o, inferred) for s, p, o in reflections)
        seconds["inference"] = time.perf_counter() - t1
    counts = {"asserted": len(asserted), "inferred": len(inferred), "total": len(asserted) + len(inferred)}
    return BuildResult(
        asserted=asserted,
        inferred=inferred,
        report=report,
        counts=counts,
        seconds=seconds,
        identity=identity,
        cache=cache.summary() if cache is not None else {},
    )


def _load(
    paths: Paths, identity: Identity, readings: frozenset[str], include_suggested: bool, cache: StudyCache | None
) -> tuple[Graph, LoadReport]:
    """The asserted graph: the base, the study, ingested texts and measured reuse; the inputs
    checked unchanged since ``identity`` was taken, then the per-file cache updated."""
    from .reuse.ingest import check_ingested  # issue 14: ingested texts and measured reuse
    from .reuse.rdf import load_reuse, suggested_shortcuts

    ontology, base = _base_graphs(paths, identity)
    asserted = Graph()
    bind_prefixes(asserted)
    asserted.addN((s, p, o, asserted) for s, p, o in base)  # the ontology and the reference data, for lookups
    study_triples, report = read_study(paths.study, asserted, readings=readings, cache=cache)
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
    from .builds import MANIFEST_FORMAT, Identity

    after = Identity.of(paths, readings, include_suggested=include_suggested)
    changed = after.changes_since({"format": MANIFEST_FORMAT, **before.to_json()})
    if changed:
        raise PlangrafError(
            f"input changed during the build ({', '.join(changed)}); run it again", file=str(paths.study)
        )


def write_build(result: BuildResult, paths: Paths) -> dict[str, Path]:
    """Write the build outputs into a staging folder and swap it in whole (:mod:`plangraf.builds`).

    The files are serialised by pyoxigraph (:mod:`plangraf.oxbridge`), which writes the same
    triples as rdflib's serialisers in a fraction of the time. ``manifest.json`` records the
    identity of the inputs (content hashes), which every reader checks.
    """
    from .builds import MANIFEST, manifest_of, write_staged

    out = paths.build
    prefixes = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    with collector_paused():
        asserted = oxbridge.quads_of(ASSERTED_GRAPH, result.asserted)  # converted once for all three files
        inferred = oxbridge.quads_of(INFERRED_GRAPH, result.inferred)
    texts = {
        "plangraf.trig": oxbridge.serialize_quads(asserted + inferred, "trig", prefixes),
        "plangraf.ttl": oxbridge.serialize_quads(asserted, "turtle", prefixes),
        "inferred.ttl": oxbridge.serialize_quads(inferred, "turtle", prefixes),
    }
    write_staged(out, texts, manifest_of(result, paths))
    return {
        "trig": out / "plangraf.trig",
        "asserted": out / "plangraf.ttl",
        "inferred": out / "inferred.ttl",
        "manifest": out / MANIFEST,
    }


def build_is_fresh(paths: Paths) -> bool:
    """True when the build folder was built from exactly these inputs (content hashes)."""
    from .builds import Build

    return Build(paths).is_fresh()


def load_built_from(trig: Path) -> tuple[Graph, Graph]:
    """Read (asserted, inferred) from a build's TriG file (parsed by pyoxigraph)."""
    asserted = Graph()
    inferred = Graph()
    bind_prefixes(asserted)
    bind_prefixes(inferred)
    oxbridge.parse_graphs(trig, {str(ASSERTED_GRAPH): asserted, str(INFERRED_GRAPH): inferred})
    return asserted, inferred


def union_from(trig: Path) -> Graph:
    """Asserted and inferred triples of a build's TriG file in one graph."""
    union = Graph()
    bind_prefixes(union)
    oxbridge.parse_graphs(trig, {str(ASSERTED_GRAPH): union, str(INFERRED_GRAPH): union})
    return union


def load_built(paths: Paths) -> tuple[Graph, Graph]:
    """Read (asserted, inferred) from the current build in a build folder."""
    from .builds import current_folder

    return load_built_from(current_folder(paths.build) / "plangraf.trig")


# The helpers every command uses to read the build all go through one :class:`plangraf.builds.Build`,
# which checks the build's identity against the inputs and rebuilds when they differ
# (``rebuild=False``: a one-line error naming what changed), so no command reads a stale build.


def current_union(paths: Paths, *, rebuild: bool = True) -> Graph:
    """Asserted and inferred triples in one graph (what SHACL sees), from a fresh build."""
    from .builds import Build

    return Build(paths, rebuild=rebuild).union()


def current_store(paths: Paths, *, rebuild: bool = True) -> ox.Store:
    """The built graphs as one pyoxigraph store for queries, from a fresh build."""
    from .builds import Build

    return Build(paths, rebuild=rebuild).store()


def current_union_and_store(paths: Paths, *, rebuild: bool = True) -> tuple[Graph, ox.Store]:
    """The union graph and the query store of one fresh build (never two builds)."""
    from .builds import Build

    build = Build(paths, rebuild=rebuild)
    return build.union(), build.store()


def current_graphs(paths: Paths, *, rebuild: bool = True) -> tuple[Graph, Graph]:
    """(asserted, inferred) of a fresh build."""
    from .builds import Build

    return Build(paths, rebuild=rebuild).graphs()
