"""Commands that answer from the graph: query, queries, claims, report, tables."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from plangraf.cli.common import (
    command_paths,
    data_option,
    endpoint_option,
    graph_option,
    handle_errors,
    no_rebuild_option,
    out_option,
    parse_params,
    rebuild_wanted,
)
from plangraf.core.errors import PlangrafError
from plangraf.core.formats import OUTPUT_FORMATS

delimiter_option = click.option(
    "--delimiter", default=",", show_default=True, help="CSV field separator; ';' for Norwegian Excel (with --bom)."
)
bom_option = click.option("--bom", is_flag=True, help="Start CSV with a UTF-8 byte-order mark, so Excel reads æøå.")


def _echo_result(result: Any, fmt: str, delimiter: str, bom: bool) -> None:
    """The answer on standard output; an Excel workbook as bytes, never onto a terminal."""
    if fmt != "xlsx":
        from plangraf.answers.query import format_result

        click.echo(format_result(result, fmt, delimiter=delimiter, bom=bom), nl=False)
        return
    if sys.stdout.isatty():
        raise PlangrafError("an .xlsx workbook is binary; send it to a file (> answer.xlsx)", field="--format")
    from plangraf.outputs.spreadsheet import workbook_bytes

    rows = [[row[c] for c in result.columns] for row in result.rows]
    click.echo(workbook_bytes([("answer", "", result.columns, rows)]), nl=False)


@click.command()
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice([*OUTPUT_FORMATS, "xlsx"]),
    default="table",
    show_default=True,
    help="xlsx: an Excel workbook on standard output (> answer.xlsx).",
)
@click.option("--allow-network", is_flag=True, help="Permit SERVICE, LOAD and FROM, which fetch URLs.")
@delimiter_option
@bom_option
@data_option
@out_option
@no_rebuild_option
@endpoint_option
@graph_option
@click.pass_context
@handle_errors
def query(
    ctx: click.Context,
    name_or_file: str,
    params: tuple[str, ...],
    fmt: str,
    allow_network: bool,
    delimiter: str,
    bom: bool,
    data: Path | None,
    build_dir: Path | None,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run a shipped query (by NAME) or a .rq FILE on the graph, or on --endpoint.

    Parameters are bound as typed RDF terms, never pasted into the query text (remotely,
    as an escaped VALUES block).
    """
    from plangraf.answers.query import check_values, precheck_query, resolve_query, run_query
    from plangraf.core.formats import check_delimiter
    from plangraf.graph.current import current_store

    paths = command_paths(ctx, data, build_dir)
    named = resolve_query(name_or_file, paths.queries)
    bound = parse_params(params)
    precheck_query(named, bound, allow_network=allow_network)  # fail before any build work
    delimiter = check_delimiter(delimiter)
    if endpoint:
        from plangraf.answers.remote import Endpoint, remote_query

        result = remote_query(Endpoint(endpoint), named, bound, graph=graph, allow_network=allow_network)
        _echo_result(result, fmt, delimiter, bom)
        return
    store = current_store(paths, rebuild=rebuild_wanted(ctx))
    check_values(store, named, bound)  # an unknown id would give an empty answer
    result = run_query(store, named, bound, allow_network=allow_network)
    _echo_result(result, fmt, delimiter, bom)


@click.command("queries")
@click.pass_context
@handle_errors
def list_queries(ctx: click.Context) -> None:
    """List the shipped queries with their summaries and parameters."""
    from plangraf.answers.query import shipped_queries

    for name, named in shipped_queries(command_paths(ctx, study=False).queries).items():
        params = ", ".join(f"{p.name}" + (f"={p.default}" if p.default else "") for p in named.params)
        click.echo(f"{name}" + (f"  [{params}]" if params else ""))
        click.echo(f"    {named.summary}")


@click.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: build/report.")
@click.option(
    "--lang",
    type=click.Choice(["nb", "en"]),
    default="nb",
    show_default=True,
    help="The pages' language: Norwegian (nb) or English (en), values included.",
)
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def report(ctx: click.Context, out: Path | None, lang: str, data: Path | None, build_dir: Path | None) -> None:
    """Write a static HTML report of the study: heatmaps with evidence, timeline, lineage,
    one page per municipality, SHACL summary and the claims check.

    Self-contained (no network, works from file://); an existing folder is replaced atomically.
    """
    from plangraf.outputs.report import study_report

    paths = command_paths(ctx, data, build_dir)
    target = study_report(paths, out or paths.build / "report", rebuild=rebuild_wanted(ctx), lang=lang)
    click.echo(f"Wrote {target / 'index.html'}")


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["csv", "markdown", "latex", "xlsx"]),
    default="csv",
    show_default=True,
    help="xlsx: one workbook, tables.xlsx, a sheet per table (links among them).",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: build/tables.")
@delimiter_option
@bom_option
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def tables(
    ctx: click.Context,
    fmt: str,
    out: Path | None,
    delimiter: str,
    bom: bool,
    data: Path | None,
    build_dir: Path | None,
) -> None:
    """Write the coverage matrices and the strategy-status table for papers; as CSV and xlsx
    also links, the findings x links long format (one row per link) for R and pandas."""
    from plangraf.core.formats import check_delimiter
    from plangraf.graph.current import current_union_and_store
    from plangraf.outputs.tables import write_tables

    delimiter = check_delimiter(delimiter)  # before any build work
    paths = command_paths(ctx, data, build_dir)
    graph, store = current_union_and_store(paths, rebuild=rebuild_wanted(ctx))
    target = out or paths.build / "tables"
    for path in write_tables(graph, paths.queries, target, fmt, store=store, delimiter=delimiter, bom=bom):
        click.echo(f"Wrote {path}")


@click.command()
@click.option(
    "--file",
    "claims_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Claims file (default: claims.yaml in the study folder).",
)
@click.option("--format", "-f", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def claims(ctx: click.Context, claims_file: Path | None, fmt: str, data: Path | None, build_dir: Path | None) -> None:
    """Recompute the study's summary claims from the findings, under every admissible reading.

    Each claim is recomputed under every combination of the study's alternative readings
    (`alternatives` in the study files), and gets a verdict: agree (under every reading),
    disagree (under none) or depends-on-coding (naming the readings under which it agrees).
    Then the claims are checked jointly: every minimal set of claims no single reading makes
    agree together is listed as inconsistent, with a reading under which each smaller part
    agrees. --format json prints one object with `claims`, `inconsistent_sets` and `search`
    (how many readings were evaluated). Disagreement is a result, not an error (exit 0). A claim that
    cannot be computed is named with its error, the others still run, and the exit code is 2.
    """
    from plangraf.answers.claims import load_claims, study_claims
    from plangraf.answers.query import format_result

    paths = command_paths(ctx, data, build_dir)
    path = claims_file or paths.study / "claims.yaml"
    if not path.exists():
        raise PlangrafError("claims file not found", file=str(path))
    load_claims(path)  # a malformed file fails before any build work
    report = study_claims(paths, path, rebuild=rebuild_wanted(ctx))
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_result(_claims_table(report), fmt), nl=False)
        _echo_claims_summary(report)
    errors = [c.error for c in report.claims if c.error]
    for error in errors:
        click.echo(f"Error: {error}", err=True)
    if errors:
        sys.exit(2)


def _claims_table(report: Any) -> Any:
    from plangraf.answers.query import QueryResult

    columns = [
        "claim",
        "group",
        "section",
        "stated",
        "computed",
        "verdict",
        "agrees_under",
        "stated_links_only",
        "municipalities",
    ]
    rows = [
        {
            "claim": c.id,
            "group": c.group or c.id,
            "section": c.section,
            "stated": c.stated,
            "computed": "; ".join(f"{label}: {n}" for label, n in c.computed_by_reading.items()),
            "verdict": c.verdict,
            "agrees_under": "; ".join(c.agreeing_readings) if c.verdict == "depends-on-coding" else "",
            "stated_links_only": _stated_only(c),
            "municipalities": "; ".join(c.municipalities),
        }
        for c in report.claims
    ]
    return QueryResult(columns, rows)


def _stated_only(claim: Any) -> str:
    """The count with only the source's stated links, and whether agreement rests on coders' links."""
    if claim.stated_links is None:
        return ""
    counted = len(claim.stated_links)
    return f"{counted} (agreement rests on coded links)" if claim.rests_on_coded_links else str(counted)


def _echo_claims_summary(report: Any) -> None:
    counts = report.as_json()["summary"]
    click.echo(
        f"{counts['claims']} claims ({counts['independent']} independent): {counts['agree']} agree, "
        f"{counts['depends-on-coding']} depend on coding, {counts['disagree']} disagree under every reading."
    )
    click.echo(f"Readings of the study evaluated: {report.readings} (exhaustive; {report.builds} built).")
    for found in report.inconsistent_sets:
        tried = found.readings_tried
        if len(found.claims) == 1:
            click.echo(f"Disagrees with the sections under every reading ({tried} tried): {found.claims[0]}")
        else:
            click.echo(f"Inconsistent together (no single reading of {tried} agrees): {', '.join(found.claims)}")
            for subset, reading in found.witnesses:
                click.echo(f"  {', '.join(subset)} agree under: {reading}")


@click.command("ids")
@click.argument("kind", required=False)
@click.option("--match", "-m", "text", default=None, metavar="TEXT", help="Only ids or labels containing TEXT.")
@click.option("--format", "-f", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def ids(
    ctx: click.Context, kind: str | None, text: str | None, fmt: str, data: Path | None, build_dir: Path | None
) -> None:
    """List the ids to type in study files and query parameters: KIND is guidance, goals,
    elements, plan-levels, relations, coders or municipalities (default: all of them)."""
    from plangraf.answers.query import QueryResult, format_result
    from plangraf.answers.vocab import KINDS, entries, matching
    from plangraf.graph.current import current_store

    if kind is not None and kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(kind, KINDS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise PlangrafError(f"unknown kind '{kind}'{hint} (known: {', '.join(KINDS)})", field="KIND")
    store = current_store(command_paths(ctx, data, build_dir), rebuild=rebuild_wanted(ctx))
    rows = [
        {"kind": e.kind, "id": e.id, "label_nb": e.label_nb, "label_en": e.label_en, "iri": e.iri}
        for k in ([kind] if kind else KINDS)
        for e in matching(entries(store, k), text)
    ]
    if not rows and text:
        raise PlangrafError(f"no {kind or 'id'} contains '{text}'", field="--match")
    columns = ["kind", "id", "label_nb", "label_en"] + (["iri"] if fmt != "table" else [])
    click.echo(format_result(QueryResult(columns, rows), fmt), nl=False)
