"""What the command modules share: one-line errors with exit code 2, the common options, the
project paths of a command.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _quiet_broken_pipe() -> None:
    """Exit quietly when stdout's reader has gone: no error line, no flush error at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)


def _relative_file(error: PlangrafError) -> PlangrafError:
    """The error with its file relative to the current folder when it lies inside it."""
    if error.file:
        try:
            file = Path(error.file)
            if file.is_absolute() and file.resolve().is_relative_to(Path.cwd().resolve()):
                error.file = str(file.resolve().relative_to(Path.cwd().resolve()))
        except (OSError, ValueError):
            pass
    return error


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`PlangrafError` into a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlangrafError as exc:
            _fail(_relative_file(exc).one_line())
        except BrokenPipeError:  # `plangraf queries | head`: the reader has what it wanted
            _quiet_broken_pipe()
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}")

    return wrapper


NO_STUDY = (
    "no study here (no study.yaml in this folder): start one with 'plangraf init my-study', "
    "name one with --data FOLDER, or use the shipped 2020 study with --example"
)


def command_paths(
    ctx: click.Context, data: Path | None = None, out: Path | None = None, *, study: bool = True, writes: bool = False
) -> Paths:
    """The paths of a command; ``study``: the command reads a study, so one must be named,
    be the current folder, or be asked for with ``--example`` (never a silent fallback to the
    shipped study outside the project that holds it). ``writes``: the command writes into the
    study, which it may not do in the installed package's copy of the example."""
    from plangraf.core.resources import is_packaged

    obj = ctx.ensure_object(dict)
    root = obj["root"]
    if study and data is None and not obj.get("example") and _falls_back(obj):
        raise PlangrafError(NO_STUDY)
    if data is None and obj.get("example"):
        if writes and is_packaged(Path(root)):
            raise PlangrafError(
                "the shipped example is part of the installed package and is never written to; "
                "start a study of your own with 'plangraf init my-study'"
            )
        data = Path(root) / "data" / "study-2020"
    return Paths(root=root, data=data, out=out)


def _falls_back(obj: dict[str, Any]) -> bool:
    """True when no study is at hand and the shipped one would be read without being asked
    for: outside a study folder, with the installed copy, or outside the checkout."""
    from plangraf.core.resources import current_study, is_packaged

    if current_study() is not None or obj.get("root_given"):
        return False
    root = Path(obj["root"]).resolve()
    return is_packaged(root) or not Path.cwd().resolve().is_relative_to(root)


endpoint_option = click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="A SPARQL query endpoint, e.g. http://127.0.0.1:7878/query. Credentials come from "
    "PLANGRAF_ENDPOINT_USER/PLANGRAF_ENDPOINT_PASSWORD or ~/.netrc, never the command line.",
)


graph_option = click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="Named graph of the asserted triples on the endpoint (inferred: IRI/inferred). "
    "Default: https://w3id.org/plangraf/graph/asserted and .../inferred.",
)


def _use_example(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)["example"] = True


def data_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--data FOLDER`` and ``--example`` (the shipped 2020 study)."""
    func = click.option(
        "--example",
        is_flag=True,
        expose_value=False,
        callback=_use_example,
        help="Use the shipped 2020 study (data/study-2020) instead of a study folder.",
    )(func)
    return click.option(
        "--data",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Study folder to load (default: the current folder if it holds study.yaml).",
    )(func)


out_option = click.option(
    "--build-dir",
    "build_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Build folder (default: build/).",
)


def _keep_build(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)["rebuild"] = False


no_rebuild_option = click.option(
    "--no-rebuild",
    is_flag=True,
    expose_value=False,
    callback=_keep_build,
    help="Stop with an error naming what changed if the build is not of the current inputs (default: rebuild it).",
)


def rebuild_wanted(ctx: click.Context) -> bool:
    return bool(ctx.obj.get("rebuild", True))


class OneLineErrors(click.Group):
    """A click group whose usage errors are one line ("Error: ...") with exit code 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, **kwargs)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except click.exceptions.Abort:
            click.echo("Error: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"Error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise PlangrafError(f"'{value}' is not name=value", field="--param")
        name, _, val = value.partition("=")
        params[name.strip()] = val
    return params
