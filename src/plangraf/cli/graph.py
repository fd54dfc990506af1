"""Commands that make and check the graph: build, validate, export, push, serve, run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plangraf.check.engines import DEFAULT_ENGINE, ENGINES
from plangraf.cli.common import (
    command_paths,
    data_option,
    endpoint_option,
    graph_option,
    handle_errors,
    no_rebuild_option,
    out_option,
    rebuild_wanted,
)
from plangraf.core.errors import PlangrafError
from plangraf.core.formats import EXPORT_FORMATS, REPORT_FORMATS

if TYPE_CHECKING:
    from rdflib import Graph

    from plangraf.core.paths import Paths


@click.command()
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
    from plangraf.core.gcpause import collector_paused

    paths = command_paths(ctx, data, build_dir)
    # the build's objects are dropped before the collector is back on, which would walk them all
    with collector_paused():
        if _build_and_say(paths, force, include_suggested):
            from plangraf.graph.inputs import forget_bases

            forget_bases()


def _build_and_say(paths: Paths, force: bool, include_suggested: bool) -> bool:
    """``plangraf build``'s work and what it prints; everything it made is freed on return.
    Whether it built."""
    from types import SimpleNamespace

    from plangraf.graph.current import Build

    target = Build(paths, include_suggested=include_suggested)
    result = target.build(force=force)
    manifest = target.manifest() if result is None else {}
    # nothing rebuilt: the load report as the manifest records it (the loader is not imported)
    r: Any = result.report if result is not None else SimpleNamespace(**manifest["report"])
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
    return result is not None


@click.command()
@data_option
@out_option
@no_rebuild_option
@click.option(
    "--shapes",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of your own SHACL shapes (*.ttl), checked in addition to plangraf's.",
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
@click.option(
    "--file",
    "rdf_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Validate this RDF file (Turtle, N-Triples, TriG, JSON-LD, RDF/XML; a TriG file's graphs "
    "together) instead of the build, e.g. an export or a release's graph.",
)
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
    rdf_file: Path | None,
) -> None:
    """Validate the graph with the SHACL shapes.

    Uses build/ when it was built from the current inputs, else rebuilds it first; with
    --endpoint, validates the graph a SPARQL server holds (fetched, then checked locally); with
    --file, an RDF file. A graph without the OWL RL inferences the shapes rely on is reported
    as one Violation that says so. Exit 0 when there is no Violation (Warnings and Info are
    governance notes), 1 when there is, 2 on bad input.
    """
    from plangraf.check.incremental import NOTES_CACHE, validate_current
    from plangraf.check.report import from_error, from_validation, manifest_locations, study_notes
    from plangraf.check.report import render as render_report
    from plangraf.check.shacl import load_shapes, shapes_key, validate_graph

    built = not endpoint and rdf_file is None
    try:
        if endpoint and rdf_file is not None:
            raise PlangrafError("give --endpoint or --file, not both")
        paths = command_paths(ctx, data, build_dir, study=rdf_file is None)
        shapes_graph = load_shapes(paths.shapes)  # bad shapes fail before any build work
        if shapes is not None:  # added to plangraf's own, never instead of them
            shapes_graph += load_shapes(shapes)
        if built:  # the last report brought up to date where it can be (plangraf.check.incremental)
            key = shapes_key(paths.shapes, *([shapes] if shapes is not None else []))
            validated = validate_current(paths, shapes_graph, key, engine=engine, rebuild=rebuild_wanted(ctx))
            report, locations = validated.report, validated.locations
        else:
            from plangraf.check.inference_gap import explain_missing_inference, vocabulary_of

            outside = _graph_to_validate(endpoint, graph, rdf_file)
            locations = manifest_locations(paths.build)  # where the local study has these nodes, if built
            report = validate_graph(outside, shapes_graph, engine=engine)
            # a graph plangraf did not build may lack the inferences the shapes rely on
            report = explain_missing_inference(outside, shapes_graph, report, vocabulary_of(paths), engine=engine)
    except PlangrafError as exc:
        if fmt != "text":  # CI formats show a load error as a result too; the one line follows
            click.echo(render_report(from_error(exc), fmt))
        raise
    model = from_validation(report, locations, paths.study)
    if built:
        model.results.extend(study_notes(paths.study, paths.build / NOTES_CACHE))
    text = render_report(model, fmt)
    click.echo(text.splitlines()[-1] if quiet and fmt == "text" else text)
    sys.exit(1 if report.has_violations else 0)


def _graph_to_validate(endpoint: str | None, graph: str | None, rdf_file: Path | None) -> Graph:
    """The graph of ``--endpoint`` (its asserted and inferred graphs) or of ``--file``."""
    if rdf_file is not None:
        from plangraf.rdf.files import parse_file

        return parse_file(rdf_file)
    from plangraf.answers.remote import Endpoint, fetch_graph

    return fetch_graph(Endpoint(str(endpoint)), graph)


@click.command("export")
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
    from plangraf.graph.current import current_graphs
    from plangraf.outputs.export import export

    paths = command_paths(ctx, data, build_dir)
    asserted, inferred_graph = current_graphs(paths, rebuild=rebuild_wanted(ctx))
    written = export(asserted, inferred_graph, fmt, include_inferred=inferred, out=out)
    if out is None:
        click.echo(written, nl=False)
    else:
        click.echo(f"Wrote {written}", err=True)


@click.command()
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
    from plangraf.answers.remote import Endpoint
    from plangraf.answers.remote import push as push_graphs
    from plangraf.graph.current import current_graphs

    target = Endpoint(endpoint, store_url=store, timeout=timeout)
    paths = command_paths(ctx, data, build_dir)
    asserted, inferred_graph = current_graphs(paths, rebuild=rebuild_wanted(ctx))
    counts = push_graphs(target, asserted, inferred_graph, graph, include_inferred=inferred)
    for iri, count in counts.items():
        click.echo(f"<{iri}>: {count} triples on {target.store_url}")


@click.command()
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

    from plangraf.answers import serve as serve_mod
    from plangraf.graph.current import Build

    if port:
        serve_mod.check_port_free(port)  # before any build work
    paths = command_paths(ctx, data, build_dir)
    trig = Build(paths, rebuild=rebuild_wanted(ctx)).trig()
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


@click.command()
@data_option
@out_option
@click.option("--guidance", default="meld-st-27", show_default=True, help="Guidance document for the matrix columns.")
@click.pass_context
@handle_errors
def run(ctx: click.Context, data: Path | None, build_dir: Path | None, guidance: str) -> None:
    """The main job: build, validate, and print which guidance each municipality reflects."""
    from plangraf.answers.matrix import guidance_goals, matrix_heading, reflected_matrix, render_matrix
    from plangraf.answers.query import query_store, resolve_query, run_query
    from plangraf.answers.vocab import check_value
    from plangraf.check.shacl import load_shapes, validate_graph
    from plangraf.graph.build import build_graph, write_build
    from plangraf.rdf.namespaces import guidance_iri, nb_label
    from plangraf.study.loader import studied_municipalities

    paths = command_paths(ctx, data, build_dir)
    result = build_graph(paths)
    write_build(result, paths)
    r = result.report
    click.echo(
        f"Built {result.counts['total']} triples ({result.counts['inferred']} inferred) from "
        f"{r.municipalities} municipalities, {r.documents} documents, {r.findings_in_graph} findings."
    )
    graph = result.union()
    report = validate_graph(graph, load_shapes(paths.shapes))
    click.echo("Validation: " + report.render().splitlines()[-1])
    store = query_store(result.asserted, result.inferred)
    check_value(store, "--guidance", guidance, "guidance")
    answer = run_query(store, resolve_query("reflected-guidance", paths.queries))
    coverage = run_query(store, resolve_query("guidance-coverage", paths.queries), {"guidance": guidance})
    municipalities = sorted({row["municipality"] for row in answer.rows} | set(studied_municipalities(graph)))
    goals = guidance_goals(graph, guidance)
    title = nb_label(graph, guidance_iri(guidance), guidance)
    columns, rows = reflected_matrix(answer, goals, municipalities, coverage, document=title)
    click.echo("")
    click.echo(matrix_heading(title), nl=False)
    click.echo(render_matrix(columns, rows, goals), nl=False)
    sys.exit(1 if report.has_violations else 0)
