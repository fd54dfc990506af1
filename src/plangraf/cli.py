"""The plangraf command line: thin commands over the library functions.

Exit codes: 0 success; 1 the graph does not conform (``validate``); 2 bad input or usage.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox
from rdflib import Graph

from . import build as build_mod
from .engines import DEFAULT_ENGINE, ENGINES
from .errors import PlangrafError
from .export import EXPORT_FORMATS, export
from .matrix import guidance_goals, matrix_heading, reflected_matrix, render_matrix
from .namespaces import guidance_iri, nb_label
from .query import (
    OUTPUT_FORMATS,
    check_query,
    format_result,
    query_store,
    resolve_query,
    run_query,
    shipped_queries,
)
from .scaffold import new_municipality_file
from .study import studied_municipalities
from .validate import load_shapes, validate_graph
from .validate_report import REPORT_FORMATS, build_data_and_locations, from_validation, manifest_locations
from .validate_report import render as render_report


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`PlangrafError` into a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlangrafError as exc:
            _fail(exc.one_line())
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}")

    return wrapper


def _paths(ctx: click.Context, data: Path | None = None, out: Path | None = None) -> build_mod.Paths:
    root = ctx.obj["root"]
    return build_mod.Paths(root=root, data=data, out=out)


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
data_option: Callable[[Callable[..., Any]], Callable[..., Any]] = click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Study folder to load (default: data/study-2020).",
)
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


def _rebuild(ctx: click.Context) -> bool:
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
        except click.exceptions.Abort:
            click.echo("Error: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"Error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


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
    ctx.obj["root"] = root if root is not None else build_mod.project_root()


@main.command()
@data_option
@out_option
@click.option("--force", is_flag=True, help="Build even if build/ is already of the current inputs.")
@click.option(
    "--include-suggested/--no-include-suggested",
    default=False,
    help="Let suggested links (basis: suggested) count in answers; commands that read the build keep it so.",
)
@click.pass_context
@handle_errors
def build(ctx: click.Context, data: Path | None, build_dir: Path | None, force: bool, include_suggested: bool) -> None:
    """Load ontology, reference data and a study; run OWL RL inference; write build/.

    Writes build/plangraf.trig (asserted and inferred triples in two named graphs),
    build/plangraf.ttl (asserted), build/inferred.ttl and build/manifest.json, which records
    a content hash of every input. If build/ was already made from exactly these inputs,
    nothing is done. Nothing is written if any input is bad; a new build replaces the old
    one whole.
    """
    from .builds import Build
    from .study import LoadReport

    paths = _paths(ctx, data, build_dir)
    target = Build(paths, include_suggested=include_suggested)
    result = target.build(force=force)
    manifest = target.manifest() if result is None else {}
    r = result.report if result is not None else LoadReport(**manifest["report"])
    click.echo(
        f"Read {len(r.files)} study file(s): {r.municipalities} municipalities, {r.documents} documents, "
        f"{r.structures} structures, {r.memberships} memberships."
    )
    click.echo(
        f"Findings and links: read {r.findings_read} and {r.links_read} from the files; "
        f"the graph holds {r.findings_in_graph} and {r.links_in_graph} (counted by query)."
    )
    if r.alternatives:
        reading = ", ".join(r.reading) or "none: the files as written"
        click.echo(f"Alternative readings: {r.alternatives} declared; applied: {reading}.")
    c = result.counts if result is not None else manifest["counts"]
    timing = (
        f"load {result.seconds['load']:.1f} s, inference {result.seconds['inference']:.1f} s"
        if result is not None
        else "up to date: nothing rebuilt"
    )
    click.echo(f"Triples: {c['asserted']} asserted, {c['inferred']} inferred, {c['total']} in all ({timing}).")
    if result is not None and result.cache.get("cached"):
        click.echo(
            f"Municipality files: {result.cache['read']} read, {result.cache['cached']} unchanged (from the cache)."
        )
    click.echo(f"{'Wrote' if result is not None else 'Unchanged'} {paths.build / 'plangraf.trig'}")


@main.command()
@data_option
@out_option
@no_rebuild_option
@click.option(
    "--shapes",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of SHACL shapes (default: ontology/shapes).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line (text format).")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="SHACL engine: compiled (pyshacl-turbo; falls back to pyshacl, with a note, if missing or "
    "refusing a shape) or pyshacl, the reference.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="text; json; junit (JUnit XML for CI test reports); github (annotations on the YAML lines).",
)
@endpoint_option
@graph_option
@click.pass_context
@handle_errors
def validate(
    ctx: click.Context,
    data: Path | None,
    build_dir: Path | None,
    shapes: Path | None,
    quiet: bool,
    engine: str,
    fmt: str,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Validate the graph with the SHACL shapes.

    Uses build/ when it was built from the current inputs, else rebuilds it first; with
    --endpoint, validates the graph a SPARQL server holds (fetched, then checked locally). Exit 0 when there is
    no Violation (Warnings and Info are governance notes), 1 when there is, 2 on bad input.
    """
    paths = _paths(ctx, data, build_dir)
    shapes_graph = load_shapes(shapes or paths.shapes)  # bad shapes fail before any build work
    if endpoint:
        from .remote import Endpoint, fetch_graph

        target: Graph | ox.Store = fetch_graph(Endpoint(endpoint), graph)
        locations = manifest_locations(paths.build)  # where the local study has these nodes, if built
    else:
        target, locations = build_data_and_locations(paths, compiled=engine == "compiled", rebuild=_rebuild(ctx))
    report = validate_graph(target, shapes_graph, engine=engine)
    text = render_report(from_validation(report, locations, paths.study), fmt)
    click.echo(text.splitlines()[-1] if quiet and fmt == "text" else text)
    sys.exit(1 if report.has_violations else 0)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise PlangrafError(f"'{value}' is not name=value", field="--param")
        name, _, val = value.partition("=")
        params[name.strip()] = val
    return params


@main.command()
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("--format", "-f", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
@click.option("--allow-network", is_flag=True, help="Permit SERVICE, LOAD and FROM, which fetch URLs.")
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
    data: Path | None,
    build_dir: Path | None,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run a shipped query (by NAME) or a .rq FILE on the graph, or on --endpoint.

    Parameters are bound as typed RDF terms, never pasted into the query text (remotely,
    as an escaped VALUES block).
    """
    paths = _paths(ctx, data, build_dir)
    named = resolve_query(name_or_file, paths.queries)
    bound = _parse_params(params)
    check_query(named, bound, allow_network=allow_network)  # fail before any build work
    if endpoint:
        from .remote import Endpoint, remote_query

        result = remote_query(Endpoint(endpoint), named, bound, graph=graph, allow_network=allow_network)
        click.echo(format_result(result, fmt), nl=False)
        return
    result = run_query(build_mod.current_store(paths, rebuild=_rebuild(ctx)), named, bound, allow_network=allow_network)
    click.echo(format_result(result, fmt), nl=False)


@main.command("queries")
@click.pass_context
@handle_errors
def list_queries(ctx: click.Context) -> None:
    """List the shipped queries with their summaries and parameters."""
    for name, named in shipped_queries(_paths(ctx).queries).items():
        params = ", ".join(f"{p.name}" + (f"={p.default}" if p.default else "") for p in named.params)
        click.echo(f"{name}" + (f"  [{params}]" if params else ""))
        click.echo(f"    {named.summary}")


@main.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="turtle", show_default=True)
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None, help="File to write.")
@click.option("--inferred/--no-inferred", default=True, show_default=True, help="Include inferred triples.")
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def export_cmd(
    ctx: click.Context, fmt: str, out: Path | None, inferred: bool, data: Path | None, build_dir: Path | None
) -> None:
    """Export the graph (Turtle by default) to standard output or --out, atomically."""
    paths = _paths(ctx, data, build_dir)
    asserted, inferred_graph = build_mod.current_graphs(paths, rebuild=_rebuild(ctx))
    written = export(asserted, inferred_graph, fmt, include_inferred=inferred, out=out)
    if out is None:
        click.echo(written, nl=False)
    else:
        click.echo(f"Wrote {written}", err=True)


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="The SPARQL query endpoint.")
@click.option("--store", default=None, metavar="URL", help="Graph Store endpoint (default: derived from --endpoint).")
@graph_option
@click.option("--inferred/--no-inferred", default=True, show_default=True, help="Also push the inferred graph.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per HTTP request.")
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def push(
    ctx: click.Context,
    endpoint: str,
    store: str | None,
    graph: str | None,
    inferred: bool,
    timeout: float,
    data: Path | None,
    build_dir: Path | None,
) -> None:
    """Upload the built graph to a SPARQL server with the Graph Store HTTP Protocol.

    Each named graph is replaced in one PUT, so readers never see half an upload; the
    triple count is checked afterwards. Credentials come from the environment or ~/.netrc.
    """
    from .remote import Endpoint
    from .remote import push as push_graphs

    target = Endpoint(endpoint, store_url=store, timeout=timeout)
    paths = _paths(ctx, data, build_dir)
    asserted, inferred_graph = build_mod.current_graphs(paths, rebuild=_rebuild(ctx))
    counts = push_graphs(target, asserted, inferred_graph, graph, include_inferred=inferred)
    for iri, count in counts.items():
        click.echo(f"<{iri}>: {count} triples on {target.store_url}")


@main.command()
@click.option("--port", default=7878, show_default=True, help="Port on 127.0.0.1 (0: a free port).")
@click.option("--writable", is_flag=True, help="Allow SPARQL Update and Graph Store writes.")
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def serve(ctx: click.Context, port: int, writable: bool, data: Path | None, build_dir: Path | None) -> None:
    """Serve the built graph with an Oxigraph SPARQL server on 127.0.0.1 until Ctrl-C
    (or SIGTERM or SIGHUP, which stop it the same way).

    Read-only by default. The query endpoint is http://127.0.0.1:PORT/query; Oxigraph's
    query page is at http://127.0.0.1:PORT/.
    """
    import tempfile

    from . import serve as serve_mod
    from .builds import Build

    paths = _paths(ctx, data, build_dir)
    trig = Build(paths, rebuild=_rebuild(ctx)).trig()
    port = port or serve_mod.free_port()
    with serve_mod.stop_on_signals(), tempfile.TemporaryDirectory(prefix="plangraf-serve-") as store:
        process = None
        try:  # Ctrl-C at any point after this (loading, starting, serving) stops cleanly
            serve_mod.load_store(Path(store), [trig])
            process = serve_mod.start_server(port, Path(store), read_only=not writable)
            click.echo(f"Serving {paths.build / 'plangraf.trig'} at http://127.0.0.1:{port}/query", err=False)
            click.echo(f"Query page: http://127.0.0.1:{port}/   (Ctrl-C to stop)")
            sys.stdout.flush()
            process.wait()
        except KeyboardInterrupt:
            click.echo("Stopping.")
        finally:
            if process is not None:
                serve_mod.stop_server(process)


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: build/report.")
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def report(ctx: click.Context, out: Path | None, data: Path | None, build_dir: Path | None) -> None:
    """Write a static HTML report of the study: heatmaps with evidence, timeline, lineage,
    one page per municipality, SHACL summary and the claims check.

    Self-contained (no network, works from file://); an existing folder is replaced atomically.
    """
    from .claims import study_claims
    from .report import collect, render, write_report

    paths = _paths(ctx, data, build_dir)
    graph, store = build_mod.current_union_and_store(paths, rebuild=_rebuild(ctx))
    validation = validate_graph(graph, load_shapes(paths.shapes))
    claims_file = paths.study / "claims.yaml"
    claims = study_claims(paths, claims_file, rebuild=_rebuild(ctx)).claims if claims_file.exists() else []
    contents = collect(graph, paths.queries, validation, claims, store=store)
    target = write_report(render(contents), out or paths.build / "report")
    click.echo(f"Wrote {target / 'index.html'}")


@main.command()
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["csv", "markdown", "latex"]), default="csv", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: build/tables.")
@data_option
@out_option
@no_rebuild_option
@click.pass_context
@handle_errors
def tables(ctx: click.Context, fmt: str, out: Path | None, data: Path | None, build_dir: Path | None) -> None:
    """Write the coverage matrices and the strategy-status table for papers."""
    from .tables import write_tables

    paths = _paths(ctx, data, build_dir)
    graph, store = build_mod.current_union_and_store(paths, rebuild=_rebuild(ctx))
    for path in write_tables(graph, paths.queries, out or paths.build / "tables", fmt, store=store):
        click.echo(f"Wrote {path}")


@main.command()
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
    (`alternatives` in the study files) that touch it, and gets a verdict: agree (under every
    combination), disagree (under none) or depends-on-coding (naming the readings under which
    it agrees). Then the claims are checked jointly: the sets of claims no single reading makes
    agree together are listed as inconsistent. --format json prints one object with `claims`
    and `inconsistent_sets`. Disagreement is a result, not an error (exit 0). A claim that
    cannot be computed is named with its error, the others still run, and the exit code is 2.
    """
    from .claims import load_claims, study_claims

    paths = _paths(ctx, data, build_dir)
    path = claims_file or paths.study / "claims.yaml"
    if not path.exists():
        raise PlangrafError("claims file not found", file=str(path))
    load_claims(path)  # a malformed file fails before any build work
    report = study_claims(paths, path, rebuild=_rebuild(ctx))
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
    from .query import QueryResult

    columns = ["claim", "group", "section", "stated", "computed", "verdict", "agrees_under", "municipalities"]
    rows = [
        {
            "claim": c.id,
            "group": c.group or c.id,
            "section": c.section,
            "stated": c.stated,
            "computed": "; ".join(f"{label}: {n}" for label, n in c.computed_by_reading.items()),
            "verdict": c.verdict,
            "agrees_under": "; ".join(c.agreeing_readings) if c.verdict == "depends-on-coding" else "",
            "municipalities": "; ".join(c.municipalities),
        }
        for c in report.claims
    ]
    return QueryResult(columns, rows)


def _echo_claims_summary(report: Any) -> None:
    counts = report.as_json()["summary"]
    click.echo(
        f"{counts['claims']} claims ({counts['independent']} independent): {counts['agree']} agree, "
        f"{counts['depends-on-coding']} depend on coding, {counts['disagree']} disagree under every reading."
    )
    for found in report.inconsistent_sets:
        tried = len(found.readings_tried)
        if len(found.claims) == 1:
            click.echo(f"Disagrees with the sections under every reading ({tried} tried): {found.claims[0]}")
        else:
            click.echo(f"Inconsistent together (no single reading of {tried} agrees): {', '.join(found.claims)}")


@main.command()
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
    from .synth import synthesize

    if out.exists() and any(out.iterdir()):
        raise PlangrafError("folder exists and is not empty; choose a new one", file=str(out))
    paths = _paths(ctx)
    reference = build_mod.load_reference(paths, build_mod.load_ontology(paths))
    summary = synthesize(municipalities, seed, out, reference)
    click.echo(
        f"Wrote {summary.get('municipalities', municipalities)} municipalities, "
        f"{summary.get('documents', '?')} documents, {summary.get('findings', '?')} findings to {out}"
    )
    if plant_copies is not None:
        from .cli_reuse import plant_into

        plant_into(paths.root, out, plant_copies, seed)


@main.command("convert-reference")
@click.option(
    "--shared",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("../shared/reference"),
    show_default=True,
    help="The shared reference folder to convert from.",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Default: data/reference.")
@click.pass_context
@handle_errors
def convert_reference_cmd(ctx: click.Context, shared: Path, out: Path | None) -> None:
    """Regenerate data/reference/municipalities.ttl and laws.ttl from shared/reference/."""
    from .convert_reference import convert_reference

    counts = convert_reference(shared, out or _paths(ctx).reference)
    for name, count in counts.items():
        click.echo(f"{name}: {count} triples")


@main.command("new-municipality")
@click.argument("name")
@data_option
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
@handle_errors
def new_municipality(ctx: click.Context, name: str, data: Path | None, force: bool) -> None:
    """Scaffold a findings file for municipality NAME (number, county and QID filled in) in
    the current study (the current folder when it holds study.yaml) or the --data folder."""
    from .resources import current_study

    study = data or current_study()
    if study is None:
        raise PlangrafError("no study here: run it in a study folder (one with study.yaml) or pass --data")
    paths = _paths(ctx, study)
    path = new_municipality_file(name, paths, force=force)
    click.echo(f"Wrote {path}")


@main.command()
@data_option
@out_option
@click.option("--guidance", default="meld-st-27", show_default=True, help="Guidance document for the matrix columns.")
@click.pass_context
@handle_errors
def run(ctx: click.Context, data: Path | None, build_dir: Path | None, guidance: str) -> None:
    """The main job: build, validate, and print which guidance each municipality reflects."""
    paths = _paths(ctx, data, build_dir)
    result = build_mod.build_graph(paths)
    build_mod.write_build(result, paths)
    r = result.report
    click.echo(
        f"Built {result.counts['total']} triples ({result.counts['inferred']} inferred) from "
        f"{r.municipalities} municipalities, {r.documents} documents, {r.findings_in_graph} findings."
    )
    graph = result.union()
    report = validate_graph(graph, load_shapes(paths.shapes))
    click.echo("Validation: " + report.render().splitlines()[-1])
    store = query_store(result.asserted, result.inferred)
    answer = run_query(store, resolve_query("reflected-guidance", paths.queries))
    coverage = run_query(store, resolve_query("guidance-coverage", paths.queries), {"guidance": guidance})
    municipalities = sorted({row["municipality"] for row in answer.rows} | set(studied_municipalities(graph)))
    goals = guidance_goals(graph, guidance)
    columns, rows = reflected_matrix(answer, goals, municipalities, coverage)
    click.echo("")
    click.echo(matrix_heading(nb_label(graph, guidance_iri(guidance), guidance)), nl=False)
    click.echo(render_matrix(columns, rows, goals), nl=False)
    sys.exit(1 if report.has_violations else 0)


def _register_commands() -> None:
    """Add the commands that live in their own modules (they import this one)."""
    from .cli_project import init, publish
    from .cli_qda import COMMANDS as QDA_COMMANDS  # REFI-QDA exchange and agreement (issue 13)
    from .cli_reuse import COMMANDS as REUSE_COMMANDS  # text reuse (issue 14)

    for command in (init, publish, *QDA_COMMANDS, *REUSE_COMMANDS):
        main.add_command(command)


if __name__ == "__main__":  # pragma: no cover - python -m plangraf.cli: run the package module's group
    from plangraf.cli import main as _packaged_main

    _packaged_main()
else:
    _register_commands()
