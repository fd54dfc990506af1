"""Command line for REFI-QDA exchange and coder agreement: thin click commands over plangraf.qda."""

from __future__ import annotations

from pathlib import Path

import click

from plangraf.cli.common import command_paths, data_option, handle_errors
from plangraf.core.errors import PlangrafError

xsd_option = click.option(
    "--xsd",
    "xsd_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Folder with the REFI-QDA schemas (default: $PLANGRAF_REFI_XSD or the copy shipped with plangraf).",
)


@click.command("codebook")
@click.option("--format", "fmt", type=click.Choice(["qdc"]), default="qdc", show_default=True, help="Output format.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="File (default: stdout).")
@xsd_option
@click.pass_context
@handle_errors
def codebook_cmd(ctx: click.Context, fmt: str, out: Path | None, xsd_dir: Path | None) -> None:
    """Write plangraf's codebook (guidance, eGovWSF elements, relation kinds) as a REFI-QDA codebook."""
    from plangraf.core.atomic import write_atomic
    from plangraf.qda.service import write_codebook

    xml, codes = write_codebook(command_paths(ctx, study=False), xsd_dir)
    if out is None:
        click.echo(xml.decode("utf-8"), nl=False)
        return
    write_atomic(out, xml)
    count = sum(len(top.walk()) for top in codes)
    click.echo(f"Wrote {out}: {count} codes (valid against the REFI-QDA codebook schema)", err=True)


@click.command("import-qdpx")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@click.option("--map", "mapping", type=click.Path(path_type=Path, dir_okay=False), default=None, help="MAP.yaml.")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@xsd_option
@click.pass_context
@handle_errors
def import_qdpx_cmd(
    ctx: click.Context, archive: Path, data: Path | None, mapping: Path | None, dry_run: bool, xsd_dir: Path | None
) -> None:
    """Import the coded text selections of a REFI-QDA project (.qdpx, or .qde with its sources folder)."""
    from plangraf.qda.service import import_qdpx

    paths = command_paths(ctx, data, writes=not dry_run)
    plan = import_qdpx(paths, archive, mapping, dry_run=dry_run, xsd_dir=xsd_dir)
    for line in plan.warnings:
        click.echo(f"Warning: {line}", err=True)
    for line in plan.actions:
        click.echo(("Would: " if dry_run else "") + line)
    if plan.unmapped:
        click.echo("Unmapped codes (map them under codes: in a mapping file):")
        for name, count in sorted(plan.unmapped.items()):
            click.echo(f"  {name}: {count} coding(s)")
    verb = "Would change" if dry_run else "Changed"
    names = ", ".join(sorted(p.name for p in plan.changed)) or "nothing (already imported)"
    click.echo(f"{verb}: {names}; {len(plan.passages)} passage(s) read.")


@click.command("export-qdpx")
@data_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The .qdpx to write.")
@click.option(
    "--for",
    "tool",
    type=click.Choice(["nvivo", "atlasti", "maxqda"]),
    default=None,
    help="Write offsets in the unit this tool reads (NVivo: UTF-16 units; default: code points).",
)
@xsd_option
@click.pass_context
@handle_errors
def export_qdpx_cmd(ctx: click.Context, data: Path | None, out: Path, tool: str | None, xsd_dir: Path | None) -> None:
    """Write the study as a REFI-QDA project: a source per document, a selection per finding and coder."""
    from plangraf.qda.service import export_qdpx

    size = export_qdpx(command_paths(ctx, data), out, xsd_dir, tool)
    click.echo(f"Wrote {out} ({size} bytes; valid against the REFI-QDA project schema)")


@click.command("agreement")
@data_option
@click.option("--unit", type=click.Choice(["document", "passage"]), default="document", show_default=True)
@click.option(
    "--project",
    "project",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Compare the coders of this REFI-QDA project (.qdpx/.qde) over character ranges instead of the study.",
)
@click.option("--map", "mapping", type=click.Path(path_type=Path, dir_okay=False), default=None, help="MAP.yaml.")
@click.option(
    "--overlap",
    type=float,
    default=0.5,
    show_default=True,
    help="With --project: two ranges are one unit when they share at least this share of the shorter one.",
)
@click.option("--ordinal", is_flag=True, help="α ordinal over relation kinds (not coded < thematic < … < explicit).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@xsd_option
@click.pass_context
@handle_errors
def agreement_cmd(
    ctx: click.Context,
    data: Path | None,
    unit: str,
    project: Path | None,
    mapping: Path | None,
    overlap: float,
    ordinal: bool,
    fmt: str,
    xsd_dir: Path | None,
) -> None:
    """Agreement between coders: percent agreement, Cohen's κ per pair, Krippendorff's α."""
    if project is not None:
        from plangraf.qda import range_agreement
        from plangraf.qda.service import project_agreement

        ranges = project_agreement(
            command_paths(ctx, data), project, mapping, threshold=overlap, ordinal=ordinal, xsd_dir=xsd_dir
        )
        if len(ranges.coders) < 2:
            raise PlangrafError("fewer than two coders coded links in this project; agreement needs two or more")
        click.echo(range_agreement.render(ranges, fmt), nl=False)
        return
    if mapping or overlap != 0.5:
        raise PlangrafError("--map and --overlap apply to --project (agreement over character ranges)")
    from plangraf.qda.agreement import agreement_for_study, render

    result = agreement_for_study(command_paths(ctx, data).study, unit, ordinal)
    if len(result.coders) < 2:
        raise PlangrafError("fewer than two coders coded links in this study; agreement needs two or more")
    click.echo(render(result, fmt), nl=False)


COMMANDS = [codebook_cmd, import_qdpx_cmd, export_qdpx_cmd, agreement_cmd]
