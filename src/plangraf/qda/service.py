"""High-level REFI-QDA operations over a project tree (what the command line calls)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.qda.codebook import Code, build_codebook, code_index, codebook_xml
from plangraf.qda.importer import Plan, run_import
from plangraf.qda.mapping import load_mapping
from plangraf.qda.range_agreement import RangeAgreement, range_agreement, readings
from plangraf.qda.refi_read import read_project
from plangraf.qda.refi_write import export_study
from plangraf.qda.refi_xml import CODEBOOK_XSD, PROJECT_XSD, schema_dir, validate


def origin() -> str:
    try:
        return f"plangraf {version('plangraf')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "plangraf"


def _check_valid(xml: bytes, xsd: Path, what: str) -> None:
    problems = validate(xml, xsd)
    if problems:
        raise PlangrafError(f"{what} line {problems[0].line}: {problems[0].message}", field="schema")


def write_codebook(paths: Paths, xsd_dir: Path | None = None) -> tuple[bytes, list[Code]]:
    """plangraf's codebook as ``.qdc`` bytes, checked against the codebook XSD."""
    codes = build_codebook(paths.reference)
    xml = codebook_xml(codes, origin())
    _check_valid(xml, schema_dir(xsd_dir) / CODEBOOK_XSD, "the codebook written fails its schema:")
    return xml, codes


def loader_check(paths: Paths, folder: Path) -> Callable[[dict[Path, str]], None]:
    """A check that loads the study as it would be after the import, in a temporary copy."""

    def check(changed: dict[Path, str]) -> None:
        from plangraf.study.loader import load_study

        reference = load_reference(paths, load_ontology(paths))
        with tempfile.TemporaryDirectory(prefix="plangraf-import-") as tmp:
            copy = Path(tmp) / folder.name
            shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
            for path, text in changed.items():
                (copy / path.name).write_text(text, encoding="utf-8")
            try:
                load_study(copy, reference)
            except PlangrafError as exc:
                message = exc.one_line().replace(str(copy), str(folder))
                raise PlangrafError(f"the imported study would not load: {message}") from None

    return check


def import_qdpx(
    paths: Paths,
    archive: Path,
    mapping_file: Path | None,
    *,
    dry_run: bool,
    xsd_dir: Path | None = None,
) -> Plan:
    """Import a REFI-QDA project into the study at ``paths.study``."""
    folder = paths.study
    project = read_project(archive, xsd_dir)
    codes = build_codebook(paths.reference)
    mapping = load_mapping(mapping_file)
    check = loader_check(paths, folder)
    return run_import(project, folder, code_index(codes), mapping, dry_run=dry_run, check=check)


def export_qdpx(paths: Paths, out: Path, xsd_dir: Path | None = None, tool: str | None = None) -> int:
    """Write the study as a ``.qdpx`` checked against the project XSD; return its size."""
    from plangraf.core.atomic import write_atomic

    codes = build_codebook(paths.reference)
    xml, archive = export_study(paths.study, codes, origin(), tool)
    _check_valid(xml, schema_dir(xsd_dir) / PROJECT_XSD, "the project written fails its schema:")
    write_atomic(out, archive)
    return len(archive)


def project_agreement(
    paths: Paths,
    archive: Path,
    mapping_file: Path | None,
    *,
    threshold: float,
    ordinal: bool,
    xsd_dir: Path | None = None,
) -> RangeAgreement:
    """Agreement over the character ranges of a REFI-QDA project (coders matched to the study's)."""
    from plangraf.qda.studyfiles import StudyFiles

    project = read_project(archive, xsd_dir)
    codes = code_index(build_codebook(paths.reference))
    found = readings(project, StudyFiles.read(paths.study), codes, load_mapping(mapping_file))
    return range_agreement(found, threshold, ordinal)
