"""Commands for a researcher's own study and its release: ``init`` (and ``publish``).

Registered in :mod:`plangraf.cli`; each is a thin layer over a library function.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from plangraf.cli.common import command_paths, data_option
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """:func:`plangraf.cli.handle_errors`, looked up when the command runs: ``cli`` imports
    this module at its end, so importing ``cli`` here would be circular under ``python -m``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from plangraf.cli.common import handle_errors as one_line_errors

        return one_line_errors(func)(*args, **kwargs)

    return wrapper


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--example", default="Bamble", show_default=True, help="Municipality of the example findings file.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (same-named files are replaced).")
@click.pass_context
@handle_errors
def init(ctx: click.Context, directory: Path, example: str, force: bool) -> None:
    """Start a study in DIRECTORY: study.yaml, an example municipality, a README on coding,
    .gitignore and CI recipes (GitHub Actions, GitLab CI) that run plangraf validate."""
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.outputs.project import init_study

    paths = Paths(root=ctx.obj["root"])
    reference = load_reference(paths, load_ontology(paths))
    for path in init_study(directory, reference, example=example, force=force):
        click.echo(f"Wrote {path}")
    click.echo(f"Next: cd {shlex.quote(str(directory))} && plangraf validate")


@click.command("publish")
@click.argument("out", type=click.Path(path_type=Path, file_okay=False))
@click.option("--version", "version", default="1.0.0", show_default=True, help="The release's version.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the release folder will be served: its landing page, under a host you control (required).",
)
@click.option("--publisher", default=None, help="Publisher's name (required).")
@click.option(
    "--publisher-url",
    default=None,
    metavar="IRI",
    help="The publisher's IRI, e.g. its entry in the Central Coordinating Register for Legal Entities (required).",
)
@click.option("--contact-email", default=None, help="Contact point e-mail address for the catalogue (required).")
@click.option(
    "--licence",
    type=click.Choice(["CC-BY-4.0", "CC0-1.0"]),
    default=None,
    help="The release's licence (required): CC-BY-4.0 or CC0-1.0.",
)
@click.option("--force", is_flag=True, help="Replace an existing release folder (atomically).")
@data_option
@click.pass_context
@handle_errors
def publish(
    ctx: click.Context,
    out: Path,
    version: str,
    base_url: str | None,
    publisher: str | None,
    publisher_url: str | None,
    contact_email: str | None,
    licence: str | None,
    force: bool,
    data: Path | None,
) -> None:
    """Write a versioned release of the study to OUT: the graph as Turtle, N-Triples, TriG and
    JSON-LD with a JSON-LD context, the ontology and shapes, HTML documentation of the ontology,
    a DCAT-AP-NO description (dcat.ttl) and CITATION.cff. A study with Violations is refused,
    and so is one with placeholders left (TODO: values, "Your Name"), naming each."""
    from plangraf.outputs.publish import Release
    from plangraf.outputs.publish import publish as publish_release

    given = {"--publisher": publisher, "--publisher-url": publisher_url, "--contact-email": contact_email}
    missing = [name for name, value in {**given, "--base-url": base_url, "--licence": licence}.items() if not value]
    if missing:  # no made-up publisher, contact or landing page in a catalogue (issue 26)
        raise PlangrafError(f"a release needs {', '.join(missing)}; nothing published (see: plangraf docs publishing)")
    if base_url is not None and not base_url.endswith("/"):
        base_url += "/"
    assert publisher is not None and publisher_url is not None
    from plangraf.outputs.publish import LICENCES

    release = Release(
        version,
        publisher,
        publisher_url,
        base_url=base_url,
        contact_email=contact_email,
        license=LICENCES[str(licence)],
    )
    paths = command_paths(ctx, data)
    files = publish_release(paths, out, release, force=force)
    click.echo(f"Wrote {len(files)} files to {out}")


@click.command("docs")
@click.argument("topic", required=False)
@click.pass_context
@handle_errors
def docs(ctx: click.Context, topic: str | None) -> None:
    """Print the documentation on TOPIC (Markdown), or list the topics: works from an
    installed copy, which carries the docs."""
    from plangraf.outputs.docs import read_topic, topics

    folder = Paths(root=ctx.obj["root"]).docs
    if topic is None:
        for name, title in topics(folder).items():
            click.echo(f"{name:<18} {title}")
        click.echo("Read one with: plangraf docs TOPIC")
        return
    click.echo(read_topic(folder, topic), nl=False)
