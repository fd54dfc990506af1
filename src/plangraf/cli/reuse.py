"""CLI commands for text reuse: ingest, reuse, suggest, review. A thin layer over plangraf.reuse."""

from __future__ import annotations

from pathlib import Path

import click

from plangraf.cli.common import command_paths, data_option, handle_errors

# plangraf.reuse.measure.DEFAULT_MIN_WORDS, written here so that loading the CLI does not import
# the measuring code (rdflib, the stemmer); tests/test_cli_startup.py checks the two are equal.
DEFAULT_MIN_WORDS = 8

REUSE_COLUMNS = [
    "municipality",
    "document",
    "finding",
    "national_document",
    "edition",
    "reuse_class",
    "score",
    "containment",
    "words",
    "passage",
    "national_passage",
    "national_source",
    "goal",
    "editions",
    "citation",
    "edits",
]
TABLE_COLUMNS = REUSE_COLUMNS[:2] + REUSE_COLUMNS[3:11]


def _texts_default(root: Path) -> Path | None:
    shared = root.parent / "shared" / "reference" / "guidance-texts"
    return shared if shared.is_dir() else None


@click.command()
@data_option
@click.option(
    "--texts",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of national texts (### URL blocks). Default: ../shared/reference/guidance-texts if present.",
)
@click.option("--no-texts", is_flag=True, help="Use only the national passages of the reference data.")
@click.option("--min-words", type=click.IntRange(min=3), default=DEFAULT_MIN_WORDS, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--write", is_flag=True, help="Also write the spans as RDF to STUDY/reuse.ttl, which the build loads.")
@click.pass_context
@handle_errors
def reuse(
    ctx: click.Context, data: Path | None, texts: Path | None, no_texts: bool, min_words: int, fmt: str, write: bool
) -> None:
    """Measure reuse of national texts in the study's quotes and ingested documents."""
    from plangraf.answers.query import QueryResult, format_result
    from plangraf.reuse.corpus import known_documents, load_reference
    from plangraf.reuse.measure import measure_study
    from plangraf.reuse.rdf import write_reuse

    paths = command_paths(ctx, data, writes=write)
    folder = None if no_texts else (texts or _texts_default(paths.root))
    rows = measure_study(paths.root, paths.study, folder, min_words)
    if write:
        known = known_documents(load_reference(paths.reference))
        click.echo(f"Wrote {write_reuse(rows, known, paths.study)}", err=True)
    dicts = [{**r.as_dict(), "editions": " ".join(r.editions)} for r in rows]
    if fmt == "json":
        dicts = [r.as_dict() for r in rows]
    if fmt != "table":
        click.echo(format_result(QueryResult(REUSE_COLUMNS, dicts), fmt), nl=False)
        return
    reuse_rows = [d for d in dicts if d["reuse_class"] != "citation"]
    click.echo(format_result(QueryResult(TABLE_COLUMNS, reuse_rows), fmt), nl=False)
    citations = [d for d in dicts if d["reuse_class"] == "citation"]
    if citations:  # reported apart: a title, a reference or a quotation with its source is not klipp og lim
        click.echo("\nCitations (not counted as reuse):")
        click.echo(
            format_result(QueryResult(TABLE_COLUMNS[:2] + ["citation"] + TABLE_COLUMNS[2:], citations), fmt), nl=False
        )


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@click.option("--document", required=True, metavar="ID", help="The study's id of the governing document.")
@click.option("--force", is_flag=True, help="Replace a text already stored for the document.")
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, file: Path, data: Path | None, document: str, force: bool) -> None:
    """Store the text of FILE (PDF, HTML, DOCX or UTF-8 text) as the study's document ID."""
    from plangraf.reuse.ingest import ingest as ingest_document

    paths = command_paths(ctx, data, writes=True)
    done = ingest_document(file, paths.study, document, force=force)
    for warning in done.warnings:
        click.echo(f"Warning: {file}: {warning}", err=True)
    pages = len(done.sidecar["pages"])
    ocr = done.sidecar.get("ocr")
    read = [str(p["page"]) for p in ocr["pages"]] if ocr else []
    click.echo(
        f"Wrote {done.text_path} ({done.sidecar['characters']} characters"
        + (f", {pages} pages" if pages else "")
        + (f", OCR mean confidence {ocr['mean_confidence']}" if ocr else "")
        + (f" (page {', '.join(read)})" if ocr and len(read) < pages else "")
        + f", {len(done.sidecar['quotes'])} quotes found) and {done.sidecar_path.name}"
    )


@click.command()
@data_option
@click.option("--texts", type=click.Path(path_type=Path, file_okay=False), default=None, help="As for reuse.")
@click.option("--no-texts", is_flag=True, help="Use only the national passages of the reference data.")
@click.option("--min-words", type=click.IntRange(min=3), default=DEFAULT_MIN_WORDS, show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Review file to write (default: STUDY/review/reuse-suggestions.yaml).",
)
@click.pass_context
@handle_errors
def suggest(
    ctx: click.Context, data: Path | None, texts: Path | None, no_texts: bool, min_words: int, out: Path | None
) -> None:
    """Write measured reuse as suggested links into the findings files, and a review file."""
    from plangraf.reuse.suggest import suggest as suggest_links

    paths = command_paths(ctx, data, writes=True)  # suggested links go into the findings files
    folder = None if no_texts else (texts or _texts_default(paths.root))
    review_file = out or paths.study / "review" / "reuse-suggestions.yaml"
    entries = suggest_links(paths.root, paths.study, folder, review_file, min_words)
    click.echo(f"Wrote {len(entries)} suggestion(s) to {review_file}")
    for entry in entries:
        click.echo(f"  {entry['id']}  {entry['how']} ({entry['class']}, score {entry['score']})")


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--coder", default=None, help="Coder id (default: the study's coder).")
@click.option("--date", "date", default=None, help="Date of the review, YYYY-MM-DD (default: today).")
@click.option("--accept", "accept", multiple=True, metavar="ID", help="Accept this suggestion (repeatable).")
@click.option("--reject", "reject", multiple=True, metavar="ID", help="Reject this suggestion (repeatable).")
@click.option(
    "--upgrade",
    "upgrade",
    multiple=True,
    metavar="ID",
    help="Upgrade the coded link the suggestion names (repeatable).",
)
@handle_errors
def review(
    file: Path,
    coder: str | None,
    date: str | None,
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    upgrade: tuple[str, ...],
) -> None:
    """Apply the decisions of review FILE (as edited, plus --accept/--reject/--upgrade)."""
    from plangraf.reuse.review import review as apply_review

    decisions = (
        {sid: "accept" for sid in accept} | {sid: "reject" for sid in reject} | {sid: "upgrade" for sid in upgrade}
    )
    outcome = apply_review(file, coder, date, decisions)
    click.echo(
        f"Accepted {len(outcome.accepted)}, rejected {len(outcome.rejected)}, "
        f"pending {len(outcome.pending)}; updated {', '.join(str(f) for f in outcome.files) or 'no findings file'}"
    )


def plant_into(root: Path, out: Path, share: float, seed: int) -> None:
    """``plangraf synth --plant-copies``: document texts with copies of the national texts."""
    from plangraf.reuse.measure import national_corpus
    from plangraf.reuse.plant import plant_copies

    national, _titles = national_corpus(root / "data" / "reference", _texts_default(root))
    truth = plant_copies(out, [(p.document, p.text) for p in national], share, seed)
    click.echo(f"Planted {len(truth)} copies of national passages; the truth is in {out / 'texts' / 'planted.json'}")


COMMANDS = [reuse, ingest, suggest, review]
