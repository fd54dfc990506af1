"""The plangraf command line: thin commands over the library functions.

Exit codes: 0 success; 1 the graph does not conform (``validate``); 2 bad input or usage.
The commands live in one module per group; this module makes the ``plangraf`` group and adds
them.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from plangraf.cli.answers import claims, ids, list_queries, query, report, tables
from plangraf.cli.common import OneLineErrors
from plangraf.cli.graph import build, export_cmd, push, run, serve, validate
from plangraf.cli.project import docs, init, publish
from plangraf.cli.qda import COMMANDS as QDA_COMMANDS  # REFI-QDA exchange and agreement (issue 13)
from plangraf.cli.reuse import COMMANDS as REUSE_COMMANDS  # text reuse (issue 14)
from plangraf.cli.study import convert_reference_cmd, new_municipality, synth
from plangraf.core.paths import project_root


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Project folder holding ontology/, data/ and queries/ (default: the checkout, else the installed copy).",
)
@click.version_option(package_name="plangraf")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """plangraf: which national digitalisation guidance do Norwegian municipalities'
    governing documents reflect, and where is the evidence?

    Typical use: plangraf build && plangraf validate && plangraf query reflected-guidance
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root if root is not None else project_root()
    ctx.obj["root_given"] = root is not None or bool(os.environ.get("PLANGRAF_HOME"))


for _command in (
    build,
    validate,
    query,
    list_queries,
    ids,
    export_cmd,
    push,
    serve,
    report,
    tables,
    claims,
    synth,
    convert_reference_cmd,
    new_municipality,
    run,
    init,
    publish,
    docs,
    *QDA_COMMANDS,
    *REUSE_COMMANDS,
):
    main.add_command(_command)
