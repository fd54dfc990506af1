"""Commands that make study and reference files: synth, convert-reference, new-municipality."""

from __future__ import annotations

from pathlib import Path

import click

from plangraf.cli.common import command_paths, data_option, handle_errors
from plangraf.core.errors import PlangrafError


@click.command()
@click.option("--municipalities", "-n", type=click.IntRange(min=1), required=True, help="How many municipalities.")
@click.option("--seed", type=int, default=2020, show_default=True, help="Random seed (same seed, same files).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder to write.")
@click.option(
    "--plant-copies",
    type=click.FloatRange(0, 1),
    default=None,
    metavar="SHARE",
    help="Also write document texts, with national passages copied into this share of them (issue 14).",
)
@click.pass_context
@handle_errors
def synth(ctx: click.Context, municipalities: int, seed: int, out: Path, plant_copies: float | None) -> None:
    """Write a synthetic study in the findings format (about 10 documents and 30 findings
    per municipality, proportions drawn from the 2020 study), for benchmarks and load tests.

    Above 356 municipalities it also writes reference/nordic-municipalities.ttl with numbered
    copies of the municipalities; load it with the reference data.
    """
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.study.synth import synthesize

    if out.exists() and any(out.iterdir()):
        raise PlangrafError("folder exists and is not empty; choose a new one", file=str(out))
    paths = command_paths(ctx, study=False)
    reference = load_reference(paths, load_ontology(paths))
    summary = synthesize(municipalities, seed, out, reference)
    click.echo(
        f"Wrote {summary.get('municipalities', municipalities)} municipalities, "
        f"{summary.get('documents', '?')} documents, {summary.get('findings', '?')} findings to {out}"
    )
    if plant_copies is not None:
        from plangraf.cli.reuse import plant_into

        plant_into(paths.root, out, plant_copies, seed)


@click.command("convert-reference")
@click.option(
    "--shared",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("../shared/reference"),
    show_default=True,
    help="The shared reference folder to convert from.",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: data/reference.")
@click.option(
    "--expressions",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A CSV file of earlier wordings of quoted paragraphs, with their periods and sources.",
)
@click.pass_context
@handle_errors
def convert_reference_cmd(ctx: click.Context, shared: Path, out: Path | None, expressions: Path | None) -> None:
    """Regenerate data/reference/municipalities.ttl and laws.ttl from shared/reference/."""
    from plangraf.reference.convert import convert_reference

    counts = convert_reference(shared, out or command_paths(ctx, study=False).reference, expressions)
    for name, count in counts.items():
        click.echo(f"{name}: {count} triples")


@click.command("new-municipality")
@click.argument("name")
@data_option
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
@handle_errors
def new_municipality(ctx: click.Context, name: str, data: Path | None, force: bool) -> None:
    """Scaffold a findings file for municipality NAME (number, county and QID filled in) in
    the current study (the current folder when it holds study.yaml) or the --data folder."""
    from plangraf.core.resources import current_study
    from plangraf.outputs.scaffold import new_municipality_file

    study = data or current_study()
    if study is None:
        raise PlangrafError("no study here: run it in a study folder (one with study.yaml) or pass --data")
    paths = command_paths(ctx, study)
    path = new_municipality_file(name, paths, force=force)
    click.echo(f"Wrote {path}")
