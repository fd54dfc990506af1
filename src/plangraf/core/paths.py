"""Where a project's inputs and outputs are: the ontology, imports, shapes, reference data, study, queries
and build folder (:class:`Paths`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from plangraf.core import resources

if TYPE_CHECKING:
    pass


def project_root() -> Path:
    """The folder holding ``ontology/``, ``queries/`` and ``data/reference/``: ``$PLANGRAF_HOME``,
    the source tree, or the installed package's copy (see :mod:`plangraf.core.resources`)."""
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

    @property
    def docs(self) -> Path:
        """The Markdown documentation (``docs/``; in a wheel ``plangraf/_share/docs``)."""
        return self.root / "docs"

    def inputs(self) -> list[Path]:
        files = [self.ontology, *import_files(self.imports)]
        if self.reference.is_dir():
            files += reference_files(self.reference)
        if self.study.is_dir():
            files += sorted(p for p in self.study.iterdir() if p.suffix in (".yaml", ".csv") or p.name == "reuse.ttl")
        return files


def reference_files(folder: Path) -> list[Path]:
    """RDF files of a reference folder: Turtle, N-Triples, JSON-LD or RDF/XML."""
    suffixes = {".ttl", ".nt", ".jsonld", ".rdf"}
    return sorted(p for p in Path(folder).iterdir() if p.suffix in suffixes and p.is_file())


def import_files(folder: Path) -> list[Path]:
    """The Turtle files of the imports folder (``ontology/imports``), sorted; none if it is missing."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.ttl") if p.is_file()) if folder.is_dir() else []
