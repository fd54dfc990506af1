"""The build of a project's current inputs, as every command reads it.

:class:`Build` is the one place that decides whether a build folder answers for the current
inputs: every command that reads a build goes through it, and it rebuilds (or, asked not to,
stops with a line naming what changed) when the build's identity differs. The helpers below
it give the graphs, the union or the query store of one fresh build.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.folder import CACHE, MANIFEST, OUTPUT_FILES, STORE, current_folder, read_manifest, store_fingerprint
from plangraf.graph.identity import Identity, summarise

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

    from plangraf.graph.build import BuildResult
    from plangraf.rdf.bridge import DatasetText

# Deciding that a build is fresh needs only the manifest and the inputs' hashes: the loader,
# rdflib and pyoxigraph are imported by the methods that read or make a build, so a no-op
# ``plangraf build`` does not pay for them at start-up.


class Build:
    """The build of ``paths`` (and ``readings``): fresh or stale, rebuilt when needed.

    With ``rebuild=False`` a stale build is an error naming what changed; otherwise it is
    rebuilt and written (or, if the build folder cannot be written, kept in memory).
    """

    def __init__(
        self,
        paths: Paths,
        *,
        readings: frozenset[str] = frozenset(),
        rebuild: bool = True,
        include_suggested: bool | None = None,
    ) -> None:
        self.paths = paths
        self.readings = frozenset(readings)
        self._manifests: dict[Path, dict[str, Any] | None] = {}
        # None: as the build folder has it (a build made with --include-suggested stays so for
        # every reader until built again without it); False for a new build.
        if include_suggested is None:
            manifest = self._manifest_in(current_folder(paths.build)) or {}
            include_suggested = bool(manifest.get("include_suggested", False))
        self.include_suggested = include_suggested
        self.rebuild = rebuild
        self._result: BuildResult | None = None
        self._folder: Path | None = None

    def _manifest_in(self, folder: Path) -> dict[str, Any] | None:
        """The manifest in ``folder``, decoded once per build folder: a build folder is written
        whole before it is swapped in and never changed after (at 356 municipalities the
        manifest is 4 MB of JSON, 50-90 ms to decode)."""
        if folder not in self._manifests:
            self._manifests[folder] = read_manifest(folder)
        return self._manifests[folder]

    @cached_property
    def identity(self) -> Identity:
        # the current build's manifest: an input whose stat it records unchanged is not read again
        known = self._manifest_in(current_folder(self.paths.build))
        return Identity.of(self.paths, self.readings, include_suggested=self.include_suggested, known=known)

    def changes(self) -> list[str]:
        """Why the build folder does not answer for the inputs; empty when it does."""
        folder = current_folder(self.paths.build)
        manifest = self._manifest_in(folder)
        if manifest is None:
            state = "missing" if not (folder / MANIFEST).exists() else "unreadable"
            return [f"{MANIFEST} {state}"]
        missing = [name for name in OUTPUT_FILES if not (folder / name).is_file()]
        if not (folder / STORE).is_dir():
            missing.append(STORE)
        if missing:
            return [f"{name} missing" for name in missing]
        return self.identity.changes_since(manifest)

    def is_fresh(self) -> bool:
        return not self.changes()

    def build(self, *, force: bool = False) -> BuildResult | None:
        """Build and write unless the build folder is fresh (then ``None``: nothing to do)."""
        if not force and self.is_fresh():
            return None
        return self._build_and_write(strict=True)

    def ensure(self) -> None:
        """Make sure there is a fresh build to read: in the folder, or in memory."""
        if self._result is not None or self._folder is not None:
            return
        reasons = self.changes()
        if not reasons:
            self._folder = current_folder(self.paths.build)
            return
        if not self.rebuild:
            raise PlangrafError(f"the build is out of date: {summarise(reasons)}", file=str(self.paths.build))
        self._build_and_write(strict=False)

    def _build_and_write(self, *, strict: bool) -> BuildResult:
        from plangraf.core.gcpause import collector_paused
        from plangraf.core.progress import steps
        from plangraf.graph.build import build_graph, write_build

        # one pause for both: turned back on between them, the collector would walk every
        # object the build made (about 0.25 s at 356 municipalities)
        with steps("build", ["load and infer", "write"]) as advance, collector_paused():
            advance("load and infer")
            result = build_graph(
                self.paths,
                readings=self.readings,
                include_suggested=self.include_suggested,
                cache_folder=self.paths.build / CACHE,
            )
            advance("write")
            try:
                write_build(result, self.paths)
            except OSError:
                if strict:
                    raise
        self._result = result
        return result

    # -- what commands read

    def manifest(self) -> dict[str, Any]:
        self.ensure()
        if self._folder is not None:
            return self._manifest_in(self._folder) or {}
        from plangraf.graph.build import manifest_of

        return manifest_of(self._result, self.paths) if self._result is not None else {}

    def graphs(self) -> tuple[Graph, Graph]:
        """(asserted, inferred)."""
        self.ensure()
        if self._result is not None:
            return self._result.asserted, self._result.inferred
        from plangraf.graph.current import load_built_from

        return load_built_from(self._trig())

    def union(self) -> Graph:
        """Asserted and inferred triples in one graph (what SHACL sees)."""
        self.ensure()
        if self._result is not None:
            return self._result.union()
        from plangraf.graph.current import union_from

        return union_from(self._trig())

    def store(self) -> ox.Store:
        """The built graphs as one pyoxigraph store for queries: the build folder's persistent
        store, opened read-only (its named graphs seen as one default graph by the queries),
        or, for a build made in memory only, a store of its graphs. A store that cannot be
        opened, or holds another number of quads than its manifest records, is rebuilt (or,
        asked not to rebuild, an error); it is never read as an answer."""
        self.ensure()
        if self._result is None:
            assert self._folder is not None
            try:
                return self._open_store(self._folder)
            except (OSError, ValueError, RuntimeError) as exc:  # pyoxigraph: RuntimeError for a corrupt store
                if not self.rebuild:
                    raise PlangrafError(
                        f"the build's store cannot be read ({exc}); build it again", file=str(self._folder / STORE)
                    ) from None
                self._folder = None
                self._build_and_write(strict=False)
        assert self._result is not None
        from plangraf.rdf import bridge as oxbridge

        return oxbridge.query_store(self._result.asserted, self._result.inferred)

    def dataset(self) -> DatasetText:
        """The built graphs as TriG text, for the compiled SHACL engine: the build folder's
        ``plangraf.trig``, read only when its SHA-256 is the one the manifest records (else the
        build is made again, or, asked not to, an error: a damaged file is never read as an
        answer), or, for a build made in memory only, its graphs written as TriG."""
        self.ensure()
        if self._result is None:
            assert self._folder is not None
            try:
                return self._read_dataset(self._folder)
            except (OSError, ValueError) as exc:
                if not self.rebuild:
                    raise PlangrafError(
                        f"the build's TriG file cannot be read ({exc}); build it again", file=str(self._trig())
                    ) from None
                self._folder = None
                self._build_and_write(strict=False)
        assert self._result is not None
        from plangraf.rdf import bridge as oxbridge

        asserted, inferred = self._result.named_quads()
        return oxbridge.DatasetText(oxbridge.serialize_quads(asserted + inferred, "trig").decode("utf-8"))

    def _read_dataset(self, folder: Path) -> DatasetText:
        import hashlib

        from plangraf.rdf.bridge import DatasetText

        data = (folder / "plangraf.trig").read_bytes()
        expected = (self._manifest_in(folder) or {}).get("trig", {}).get("sha256")
        if hashlib.sha256(data).hexdigest() != expected:
            raise ValueError("its SHA-256 is not the one the manifest records")
        return DatasetText(data.decode("utf-8"))

    def _open_store(self, folder: Path) -> ox.Store:
        """The store, opened read-only when its files are the ones the manifest's fingerprint
        records (:func:`~plangraf.graph.folder.store_fingerprint`), else only when it holds the
        manifest's number of quads (a full count: 0.1-0.2 s at national scale)."""
        from plangraf.rdf.stores import open_store

        recorded = (self._manifest_in(folder) or {}).get("store", {})
        as_written = recorded.get("fingerprint") is not None and recorded["fingerprint"] == store_fingerprint(
            folder / STORE
        )
        store = open_store(folder / STORE)
        if as_written:
            return store
        expected = recorded.get("quads")
        found = len(store)
        if found != expected:
            raise ValueError(f"it holds {found} quads, the manifest records {expected}")
        return store

    def trig(self) -> Path:
        """The TriG file of a fresh build (built and written first if needed)."""
        self.ensure()
        if self._folder is None:
            self._folder = current_folder(self.paths.build)
            if not self.is_fresh():  # built in memory only: the folder could not be written
                raise PlangrafError("the build folder cannot be written", file=str(self.paths.build))
        return self._trig()

    def _trig(self) -> Path:
        assert self._folder is not None
        return self._folder / "plangraf.trig"


def build_is_fresh(paths: Paths) -> bool:
    """True when the build folder was built from exactly these inputs (content hashes)."""
    from plangraf.graph.current import Build

    return Build(paths).is_fresh()


def load_built_from(trig: Path) -> tuple[Graph, Graph]:
    """Read (asserted, inferred) from a build's TriG file (parsed by pyoxigraph)."""
    asserted, inferred = _new_graph(), _new_graph()
    _parse_built(trig, asserted, inferred)
    return asserted, inferred


def union_from(trig: Path) -> Graph:
    """Asserted and inferred triples of a build's TriG file in one graph."""
    union = _new_graph()
    _parse_built(trig, union, union)
    return union


def _new_graph() -> Graph:
    from rdflib import Graph

    from plangraf.rdf.namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    return graph


def _parse_built(trig: Path, asserted: Graph, inferred: Graph) -> None:
    from plangraf.graph.build import ASSERTED_GRAPH, INFERRED_GRAPH
    from plangraf.rdf import bridge as oxbridge

    oxbridge.parse_graphs(trig, {str(ASSERTED_GRAPH): asserted, str(INFERRED_GRAPH): inferred})


def load_built(paths: Paths) -> tuple[Graph, Graph]:
    """Read (asserted, inferred) from the current build in a build folder."""
    from plangraf.graph.folder import current_folder

    return load_built_from(current_folder(paths.build) / "plangraf.trig")


def current_union(paths: Paths, *, rebuild: bool = True) -> Graph:
    """Asserted and inferred triples in one graph (what SHACL sees), from a fresh build."""
    from plangraf.graph.current import Build

    return Build(paths, rebuild=rebuild).union()


def current_store(paths: Paths, *, rebuild: bool = True) -> ox.Store:
    """The built graphs as one pyoxigraph store for queries, from a fresh build."""
    from plangraf.graph.current import Build

    return Build(paths, rebuild=rebuild).store()


def current_union_and_store(paths: Paths, *, rebuild: bool = True) -> tuple[Graph, ox.Store]:
    """The union graph and the query store of one fresh build (never two builds)."""
    from plangraf.graph.current import Build

    build = Build(paths, rebuild=rebuild)
    return build.union(), build.store()


def current_graphs(paths: Paths, *, rebuild: bool = True) -> tuple[Graph, Graph]:
    """(asserted, inferred) of a fresh build."""
    from plangraf.graph.current import Build

    return Build(paths, rebuild=rebuild).graphs()
