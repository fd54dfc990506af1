"""Commands for a researcher's own study and its release: ``init`` (and ``publish``).

Registered in :mod:`plangraf.cli`; each is a thin layer over a library function.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import build as build_mod
from .cli import handle_errors
from .project import init_study


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--example", default="Bamble", show_default=True, help="Municipality of the example findings file.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (same-named files are replaced).")
@click.pass_context
@handle_errors
def init(ctx: click.Context, directory: Path, example: str, force: bool) -> None:
    """Start a study in DIRECTORY: study.yaml, an example municipality, a README on coding,
    .gitignore and CI recipes (GitHub Actions, GitLab CI) that run plangraf validate."""
    paths = build_mod.Paths(root=ctx.obj["root"])
    reference = build_mod.load_reference(paths, build_mod.load_ontology(paths))
    for path in init_study(directory, reference, example=example, force=force):
        click.echo(f"Wrote {path}")
    click.echo(f"Next: cd {directory} && plangraf validate")
