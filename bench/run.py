"""Benchmark plangraf's pipeline against the naive baseline, side by side, on synthetic studies.

    python bench/run.py                                  # default sizes 10,50 (about 10 minutes)
    python bench/run.py --sizes 10,50,356,1000 --baseline-max 1000 --baseline-timeout 3600   # the full list

For every size (number of municipalities) a synthetic study is generated with
:func:`plangraf.study.synth.synthesize` into a temporary folder, then each pipeline runs in its own
subprocess (so peak memory, ``ru_maxrss``, is the pipeline's own):

(a) plangraf, as the commands run it: ``Build(paths).build()`` (load + targeted OWL RL inference,
    written to a build folder), ``validate_graph`` with the compiled engine (pyshacl-turbo) and,
    side by side up to ``--pyshacl-max`` municipalities, with pyshacl (the reports must be
    identical), every shipped query on a pyoxigraph store, the HTML report; then a no-op build
    (nothing changed) and a rebuild + validation after editing one municipality file;
(b) baseline: one rdflib graph of ontology + reference + study, ``owlrl.DeductiveClosure(
    OWLRL_Semantics).expand()`` over everything, plangraf's reflection records (``derive_reflections``,
    not OWL, so the same for both), ``pyshacl.validate(..., inference='rdfs')`` with the
    project shapes, every shipped query on the closure.

Both load the study with the same loader (files -> RDF). The table shows seconds per step and
the ratio baseline ÷ plangraf; the equality check compares every query's sorted rows and the
validation outcome (conforms + the set of (shape, focus) of Violations). The baseline is
skipped above ``--baseline-max`` municipalities or killed after ``--baseline-timeout`` seconds.
Also measured once: ``plangraf build && plangraf validate`` on the shipped study, as commands,
interpreter start-up included. Results go to ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


# --------------------------------------------------------------------------- workers


def _digest(rows: list[Any]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _query_answers(graph: Any, root: Path) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    from plangraf.answers.query import run_query, shipped_queries

    seconds: dict[str, float] = {}
    answers: dict[str, dict[str, Any]] = {}
    for name, query in shipped_queries(root / "queries").items():
        t = time.perf_counter()
        result = run_query(graph, query)
        seconds[name] = time.perf_counter() - t
        rows = sorted(
            json.dumps([row[c] for c in result.columns], ensure_ascii=False, default=str) for row in result.rows
        )
        answers[name] = {"rows": len(rows), "digest": _digest(rows)}
    return seconds, answers


def _violations(results: Any, shapes: Any) -> list[list[str]]:
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from plangraf.rdf.namespaces import SH

    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        shape = results.value(result, SH.sourceShape)
        if not isinstance(shape, URIRef):
            shape = next((p for p in shapes.subjects(SH.property, shape) if isinstance(p, URIRef)), shape)
        found.add((str(shape), str(results.value(result, SH.focusNode))))
    return sorted([list(v) for v in found])


def worker_plangraf(root: Path, study: Path, pyshacl: bool = True) -> dict[str, Any]:
    """The pipeline as the commands run it: a build written to a build folder (``Build``),
    validation with the compiled engine (and, side by side, pyshacl), the queries, the report;
    then a no-op build and a rebuild after editing one municipality file."""
    from plangraf.check.shacl import load_shapes, validate_graph
    from plangraf.core.paths import Paths
    from plangraf.graph.current import Build

    paths = Paths(root=root, data=study, out=study.parent / "build")
    shapes = load_shapes(paths.shapes)
    out: dict[str, Any] = {"seconds": {}}
    t = time.perf_counter()
    result = Build(paths).build()
    assert result is not None
    out["seconds"]["load"] = result.seconds["load"]
    out["seconds"]["inference"] = result.seconds["inference"]
    out["seconds"]["write"] = time.perf_counter() - t - result.seconds["load"] - result.seconds["inference"]
    t1 = time.perf_counter()
    graph = result.union()
    out["seconds"]["union"] = time.perf_counter() - t1
    out["triples_before"] = len(result.asserted)
    out["triples_after"] = len(graph)
    out["findings"] = [result.report.findings_read, result.report.findings_in_graph]
    _progress("plangraf: validation, compiled engine")
    t1 = time.perf_counter()
    report = validate_graph(graph, shapes, engine="compiled")
    out["seconds"]["validation"] = time.perf_counter() - t1
    out["conforms"] = report.conforms
    out["violations"] = sorted(
        [list(v) for v in {(i.shape, i.focus) for i in report.issues if i.severity == "Violation"}]
    )
    _progress("plangraf: validation as the command runs it: the build's store, compiled engine")
    from plangraf.rdf import bridge as oxbridge

    t1 = time.perf_counter()
    validate_graph(oxbridge.load_dataset_store(paths.build / "plangraf.trig"), shapes, engine="compiled")
    out["seconds"]["validation_from_build"] = time.perf_counter() - t1
    _progress("plangraf: queries on pyoxigraph")
    from plangraf.answers.query import query_store

    t1 = time.perf_counter()
    store = query_store(result.asserted, result.inferred)
    out["seconds"]["store"] = time.perf_counter() - t1
    out["seconds"]["queries"], out["answers"] = _query_answers(store, root)
    _progress("plangraf: report")
    out["seconds"]["report"] = _report_seconds(graph, root, report, store)
    out["seconds"]["total"] = time.perf_counter() - t
    if pyshacl:
        _progress("plangraf: validation, pyshacl (the reference engine), for comparison")
        t1 = time.perf_counter()
        reference = validate_graph(graph, shapes, engine="pyshacl")
        out["seconds"]["validation_pyshacl"] = time.perf_counter() - t1
        out["engines_equal"] = _report_key(reference) == _report_key(report)
        out["issues"] = len(reference.issues)
    del graph, store, result
    incremental, out["edit_files_read"] = _incremental(paths, shapes)
    out["seconds"].update(incremental)
    return out


def _report_key(report: Any) -> tuple[bool, list[list[Any]]]:
    issues = {(i.focus, i.path, i.shape, i.severity, i.message) for i in report.issues}
    return report.conforms, sorted([list(i) for i in issues], key=str)


def _incremental(paths: Any, shapes: Any) -> tuple[dict[str, float], int]:
    """A build with nothing changed, then one municipality file edited: rebuild + validate.
    Also returns how many municipality files the rebuild read again (the rest: the cache)."""
    from plangraf.check.shacl import validate_graph
    from plangraf.graph.current import Build

    seconds: dict[str, float] = {}
    _progress("plangraf: no-op build")
    t = time.perf_counter()
    assert Build(paths).build() is None
    seconds["noop_build"] = time.perf_counter() - t
    _progress("plangraf: one municipality file edited, rebuild + validate")
    edited = sorted(p for p in paths.study.glob("*.yaml") if p.name != "study.yaml")[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("source: synthetic", "source: synthetic (edited)", 1), encoding="utf-8")
    t = time.perf_counter()
    build = Build(paths)
    rebuilt = build.build()
    assert rebuilt is not None
    seconds["edit_rebuild"] = time.perf_counter() - t
    files_read = rebuilt.cache.get("read", -1)
    t1 = time.perf_counter()
    validate_graph(build.union(), shapes, engine="compiled")
    seconds["edit_validate"] = time.perf_counter() - t1
    seconds["edit_total"] = time.perf_counter() - t
    edited.write_text(text, encoding="utf-8")
    return seconds, files_read


def _report_seconds(graph: Any, root: Path, validation: Any, store: Any) -> float:
    """``plangraf report``'s work: collect from the graph (shipped queries on ``store``),
    render the pages, write the folder."""
    from plangraf.outputs.report import collect, render, write_report

    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_report(render(collect(graph, root / "queries", validation, [], store=store)), Path(tmp) / "report")
    return time.perf_counter() - t


def worker_baseline(root: Path, study: Path) -> dict[str, Any]:
    import owlrl
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    from plangraf.check.shacl import load_shapes
    from plangraf.core.paths import reference_files
    from plangraf.study.loader import load_study

    out: dict[str, Any] = {"seconds": {}}
    t = time.perf_counter()
    graph = Graph()
    graph.parse(root / "ontology" / "plangraf.ttl", format="turtle")
    for path in reference_files(root / "data" / "reference"):
        graph.parse(path, format="turtle")
    study_graph, report = load_study(study, graph)
    for triple in study_graph:
        graph.add(triple)
    out["seconds"]["load"] = time.perf_counter() - t
    out["triples_before"] = len(graph)
    out["findings"] = [report.findings_read, report.findings_in_graph]
    _progress("baseline: owlrl closure")
    t1 = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    # plangraf's data model, not OWL: the reflection records the queries look up (issue 10),
    # derived over the closure; without them the two pipelines cannot give the same answers
    from plangraf.graph.reflections import derive_reflections

    for triple in derive_reflections(graph):
        graph.add(triple)
    out["seconds"]["inference"] = time.perf_counter() - t1
    out["triples_after"] = len(graph)
    _progress("baseline: pyshacl inference='rdfs'")
    shapes = load_shapes(root / "ontology" / "shapes")
    t1 = time.perf_counter()
    conforms, results, _text = shacl_validate(
        graph, shacl_graph=shapes, inference="rdfs", advanced=True, allow_warnings=True, allow_infos=True
    )
    out["seconds"]["validation"] = time.perf_counter() - t1
    out["conforms"] = bool(conforms)
    out["violations"] = _violations(results, shapes)
    _progress("baseline: queries on rdflib")
    out["seconds"]["queries"], out["answers"] = _query_answers(graph, root)
    _progress("baseline: report")
    from plangraf.answers.query import query_store

    t1 = time.perf_counter()
    # The report code needs a store; its build is counted here. pyoxigraph cannot hold the
    # closure's literal-subject triples (not RDF), so they are left out of the store.
    from rdflib import Literal

    storable = Graph()
    for triple in graph:
        if not isinstance(triple[0], Literal):
            storable.add(triple)
    store = query_store(storable)
    out["seconds"]["report"] = time.perf_counter() - t1 + _report_seconds(graph, root, None, store)
    out["seconds"]["total"] = time.perf_counter() - t
    return out


def load_compare(root: Path, study: Path) -> dict[str, Any]:
    """The study loader three ways, one after the other in this process: with the reference
    checks (jsonschema alone, no cache, the garbage collector running: the loader as issue 12
    measured it), with compiled checks, and from the per-file cache with every file unchanged
    (what a rebuild after a small edit mostly does); the last two with the collector paused, as
    the build runs them. Seconds each, and whether the graphs are the same."""
    import tempfile

    from rdflib import Graph
    from rdflib.compare import isomorphic

    from plangraf.core.gcpause import collector_paused
    from plangraf.core.paths import Paths
    from plangraf.graph.identity import Identity
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.study.cache import StudyCache
    from plangraf.study.loader import load_study, read_study

    paths = Paths(root=root)
    ontology = load_ontology(paths)
    reference = load_reference(paths, ontology) + ontology
    seconds: dict[str, float] = {}
    graphs = {}
    for name, compiled in (("compiled", True), ("reference", False)):
        gc.collect()
        t = time.perf_counter()
        with collector_paused() if compiled else contextlib.nullcontext():
            graphs[name] = load_study(study, reference, compiled_checks=compiled)[0]
        seconds[name] = time.perf_counter() - t
    inputs = Identity.of(Paths(root=root, data=study)).inputs
    with tempfile.TemporaryDirectory() as folder:
        primer = StudyCache(Path(folder), inputs)
        read_study(study, reference, cache=primer)
        primer.commit()
        gc.collect()
        t = time.perf_counter()
        with collector_paused():
            cache = StudyCache(Path(folder), inputs)
            triples = read_study(study, reference, cache=cache)[0]
            graphs["cached"] = Graph()
            graphs["cached"].addN((s, p, o, graphs["cached"]) for s, p, o in triples)
        seconds["cached"] = time.perf_counter() - t
    same = isomorphic(graphs["reference"], graphs["compiled"]) and isomorphic(graphs["reference"], graphs["cached"])
    return {
        "seconds": seconds,
        "ratio": seconds["reference"] / seconds["compiled"],
        "ratio_cached": seconds["reference"] / seconds["cached"],
        "cache": cache.summary(),
        "same_graph": same,
    }


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def run_worker(kind: str, root: Path, study: Path, result_file: Path, pyshacl: bool = True) -> None:
    out = worker_plangraf(root, study, pyshacl) if kind == "plangraf" else worker_baseline(root, study)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # a forked validation child (PLANGRAF_VALIDATE_WORKERS=2) is not in RUSAGE_SELF
    out["peak_rss_children_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result_file.write_text(json.dumps(out, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- driver


def make_root(tmp: Path, extra_reference: str | None) -> Path:
    """A project folder for the build: the real ontology, shapes and queries, reference data plus extras."""
    root = tmp / "root"
    (root / "data" / "reference").mkdir(parents=True)
    for name in ("ontology", "queries"):
        (root / name).symlink_to(ROOT / name)
    for path in sorted((ROOT / "data" / "reference").iterdir()):
        (root / "data" / "reference" / path.name).symlink_to(path)
    if extra_reference:
        (root / "data" / "reference" / Path(extra_reference).name).symlink_to(extra_reference)
    return root


def measure(kind: str, root: Path, study: Path, timeout: float, pyshacl: bool = True) -> dict[str, Any]:
    result_file = study.parent / f"{kind}.json"
    cmd = [sys.executable, __file__, "--worker", kind, "--root", str(root), "--study", str(study)]
    cmd += ["--result", str(result_file)] + ([] if pyshacl else ["--no-pyshacl"])
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"skipped": f"killed after {timeout:.0f} s"}
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    out = json.loads(result_file.read_text(encoding="utf-8"))
    out["wall_s"] = wall
    return out


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    if "answers" not in a or "answers" not in b:
        return {"checked": False}
    differing = sorted(n for n in a["answers"] if a["answers"][n] != b["answers"].get(n))
    same_validation = a["conforms"] == b["conforms"] and a["violations"] == b["violations"]
    return {
        "checked": True,
        "queries_equal": not differing,
        "differing_queries": differing,
        "validation_equal": same_validation,
    }


def _command(args: list[str]) -> dict[str, Any]:
    """Run one plangraf command; its wall time and its CPU time (user + system, from the
    children's resource usage, so the shared machine's other load does not count)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "exit": done.returncode}


def _exe() -> Path:
    return Path(sys.executable).parent / "plangraf"


def cli_study_seconds() -> dict[str, Any]:
    """On the shipped study, as a user runs them, cold: ``plangraf build && plangraf validate``;
    ``plangraf build`` again with nothing changed (the no-op, start-up included);
    ``plangraf claims --format json`` (every reading) and ``plangraf report``."""
    exe = _exe()
    if not exe.exists():
        return {"skipped": "plangraf command not installed next to this Python"}
    with tempfile.TemporaryDirectory() as tmp:
        build = _command([str(exe), "build", "--build-dir", tmp])
        validate = _command([str(exe), "validate", "--build-dir", tmp, "-q"])
        noop = _command([str(exe), "build", "--build-dir", tmp])
        claims = _command([str(exe), "claims", "--build-dir", tmp, "--format", "json"])
        report = _command([str(exe), "report", "--build-dir", tmp, "--out", str(Path(tmp) / "report")])
    return {
        "build_s": build["wall_s"],
        "validate_s": validate["wall_s"],
        "total_s": build["wall_s"] + validate["wall_s"],
        "total_cpu_s": build["cpu_s"] + validate["cpu_s"],
        "noop_build_s": noop["wall_s"],
        "noop_build_cpu_s": noop["cpu_s"],
        "claims_s": claims["wall_s"],
        "claims_cpu_s": claims["cpu_s"],
        "report_s": report["wall_s"],
        "report_cpu_s": report["cpu_s"],
        "exit_codes": [build["exit"], validate["exit"], noop["exit"], claims["exit"], report["exit"]],
    }


def cli_commands(root: Path, study: Path) -> dict[str, Any]:
    """A synthetic study as separate commands: build, the no-op build, and every shipped query
    as its own ``plangraf query`` (each reads the build's persistent store)."""
    exe = _exe()
    if not exe.exists():
        return {"skipped": "plangraf command not installed next to this Python"}
    from plangraf.answers.query import shipped_queries

    base = [str(exe), "--root", str(root)]
    with tempfile.TemporaryDirectory() as tmp:
        where = ["--data", str(study), "--build-dir", tmp]
        build = _command([*base, "build", *where])
        noop = _command([*base, "build", *where])
        queries = {
            name: _command([*base, "query", name, *where, "--no-rebuild", "-f", "csv"])
            for name in shipped_queries(root / "queries")
        }
    return {"build": build, "noop_build": noop, "queries": queries}


STEPS = (
    "load",
    "inference",
    "write",
    "validation",
    "validation_from_build",
    "validation_pyshacl",
    "store",
    "queries_sum",
    "report",
    "total",
    "noop_build",
    "edit_rebuild",
    "edit_validate",
)


def _step(run: dict[str, Any], step: str) -> float | None:
    if "seconds" not in run:
        return None
    if step == "queries_sum":
        return sum(run["seconds"]["queries"].values())
    return run["seconds"].get(step)


def print_table(results: list[dict[str, Any]]) -> None:
    head = f"{'size':>5} {'step':<12} {'plangraf s':>11} {'baseline s':>11} {'ratio':>7}"
    print(head)
    print("-" * len(head))
    for entry in results:
        a, b = entry["plangraf"], entry["baseline"]
        for step in STEPS:
            x, y = _step(a, step), _step(b, step)
            xs = f"{x:11.2f}" if x is not None else f"{'-':>11}"
            ys = f"{y:11.2f}" if y is not None else f"{'-':>11}"
            ratio = f"{y / x:7.1f}" if x and y else f"{'-':>7}"
            print(f"{entry['size']:>5} {step:<18} {xs} {ys} {ratio}")
        for label, key in (
            ("peak MiB", "peak_rss_mib"),
            ("triples in", "triples_before"),
            ("triples out", "triples_after"),
        ):
            x, y = a.get(key), b.get(key)
            xs = f"{x:11.0f}" if x is not None else f"{'-':>11}"
            ys = f"{y:11.0f}" if y is not None else f"{'-':>11}"
            ratio = f"{y / x:7.1f}" if x and y else f"{'-':>7}"
            print(f"{entry['size']:>5} {label:<18} {xs} {ys} {ratio}")
        if "seconds" in a:
            slow = sorted(a["seconds"]["queries"].items(), key=lambda kv: -kv[1])
            over = [f"{name} {sec:.2f} s" for name, sec in slow if sec >= 0.5]
            print(
                f"{entry['size']:>5} slowest query (plangraf): {slow[0][0]} {slow[0][1]:.2f} s; "
                f"queries at or over 0.5 s: {', '.join(over) if over else 'none'}"
            )
        note = b.get("skipped") or b.get("error")
        if note:
            print(f"{entry['size']:>5} baseline: {note}")
        eq = entry["equal"]
        if eq.get("checked"):
            verdict = "EQUAL" if eq["queries_equal"] and eq["validation_equal"] else "DIFFERENT"
            print(
                f"{entry['size']:>5} equality check: {verdict} (queries equal: {eq['queries_equal']}"
                f"{'' if eq['queries_equal'] else ' ' + ', '.join(eq['differing_queries'])}; "
                f"validation equal: {eq['validation_equal']})"
            )
        else:
            print(f"{entry['size']:>5} equality check: not run (no baseline)")
        if "engines_equal" in a:
            sec = a["seconds"]
            print(
                f"{entry['size']:>5} validation engines: compiled {sec['validation']:.2f} s, pyshacl "
                f"{sec['validation_pyshacl']:.2f} s ({sec['validation_pyshacl'] / sec['validation']:.1f}x); report "
                f"{'IDENTICAL' if a['engines_equal'] else 'DIFFERENT'} ({a.get('issues')} results)"
            )
        print()


def _cold(sec: dict[str, Any]) -> float:
    """Build (load, inference, write) + validate (compiled) + the query store + all queries."""
    validation = sec.get("validation_from_build", sec["validation"])  # what `plangraf validate` does
    parts = ("load", "inference", "write", "store")
    return sum(sec[k] for k in parts) + validation + sum(sec["queries"].values())


def target_checks(results: list[dict[str, Any]], cli: dict[str, Any], timeout: float) -> list[dict[str, Any]]:
    """Each target of issue 21 with what this run measured; ``met`` is None if not measured."""
    by_size = {entry["size"]: entry for entry in results}
    checks: list[dict[str, Any]] = []

    def add(target: str, met: bool | None, measured: str) -> None:
        checks.append({"target": target, "met": met, "measured": measured})

    _study_targets(cli, add)
    national = by_size.get(356, {})
    if "seconds" in national.get("plangraf", {}):
        _national_targets(national, add)
    else:
        add("356 targets", None, "size 356 not in this run")
    nordic = by_size.get(1000, {}).get("plangraf", {})
    if "seconds" in national.get("plangraf", {}) and "seconds" in nordic:
        growth = _cold(nordic["seconds"]) / _cold(national["plangraf"]["seconds"])
        add("1000: cold total <= 3x the 356 figure", growth <= 3, f"{growth:.2f}x")
        add("1000: peak memory <= 4 GiB", nordic["peak_rss_mib"] <= 4096, f"{nordic['peak_rss_mib']:.0f} MiB")
    else:
        add("1000 targets", None, "sizes 356 and 1000 not both in this run")
    return checks


def _study_targets(cli: dict[str, Any], add: Any) -> None:
    for target, key, limit in (
        ("study: plangraf build && plangraf validate, two commands from nothing, <= 2 s wall", "total_s", 2),
        ("study: plangraf claims --format json over all readings <= 15 s", "claims_s", 15),
        ("study: plangraf report <= 30 s", "report_s", 30),
    ):
        value = cli.get(key)
        cpu = cli.get(key.replace("_s", "_cpu_s"))
        measured = "not measured" if value is None else f"{value:.2f} s wall, {cpu:.2f} s CPU"
        add(target, None if value is None else value <= limit, measured)


def _national_targets(entry: dict[str, Any], add: Any) -> None:
    national = entry["plangraf"]
    sec = national["seconds"]
    add("356: cold build + validate + all shipped queries <= 30 s", _cold(sec) <= 30, f"{_cold(sec):.1f} s")
    add(
        "356: one edited file, build + validate <= 5 s",
        sec["edit_total"] <= 5,
        f"{sec['edit_total']:.1f} s (rebuild {sec['edit_rebuild']:.1f} s, validate {sec['edit_validate']:.1f} s; "
        f"files read again: {national.get('edit_files_read', '?')} of 356)",
    )
    commands = entry.get("commands", {})
    if "noop_build" in commands:
        noop = commands["noop_build"]
        add(
            "356: no-op plangraf build as a command <= 0.5 s",
            noop["wall_s"] <= 0.5,
            f"{noop['wall_s']:.2f} s wall, {noop['cpu_s']:.2f} s CPU",
        )
        slow = {n: q for n, q in commands["queries"].items() if q["wall_s"] > 0.5}
        worst = max(commands["queries"].items(), key=lambda kv: kv[1]["wall_s"])
        add(
            "356: every shipped query as a plangraf query command <= 0.5 s",
            not slow,
            f"{len(slow)} of {len(commands['queries'])} over 0.5 s; slowest {worst[0]} "
            f"{worst[1]['wall_s']:.2f} s wall, {worst[1]['cpu_s']:.2f} s CPU",
        )
    baseline = entry.get("baseline", {})
    if "seconds" in baseline:
        ratio = baseline["seconds"]["total"] / sec["total"]
        equal = entry["equal"].get("queries_equal") and entry["equal"].get("validation_equal")
        add(
            "356: >= 40x the naive owlrl + pyshacl pipeline, answers EQUAL",
            ratio >= 40 and bool(equal),
            f"{ratio:.1f}x",
        )
    else:
        add("356: >= 40x the naive owlrl + pyshacl pipeline", None, "baseline not run at 356")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50", help="municipality counts, comma-separated (full: 10,50,356,1000)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--baseline-max", type=int, default=50, help="skip the baseline above this many municipalities")
    parser.add_argument("--baseline-timeout", type=float, default=900.0, help="seconds before the baseline is killed")
    parser.add_argument(
        "--pyshacl-max", type=int, default=356, help="run pyshacl beside the compiled engine up to this size"
    )
    parser.add_argument(
        "--plangraf-timeout", type=float, default=3600.0, help="seconds before plangraf's own run is killed"
    )
    parser.add_argument("--docs", type=Path, help="write the targets table into this Markdown file (between markers)")
    parser.add_argument("--no-pyshacl", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=("plangraf", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--study", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.root, args.study, args.result, not args.no_pyshacl)
        return

    from plangraf.core.paths import Paths
    from plangraf.graph.inputs import load_ontology, load_reference
    from plangraf.study.synth import synthesize

    paths = Paths(root=ROOT)
    ontology = load_ontology(paths)
    reference = load_reference(paths, ontology)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: list[dict[str, Any]] = []
    print(
        f"plangraf benchmark: sizes {sizes}, seed {args.seed}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    cli = cli_study_seconds()
    print(f"study-2020: plangraf build && plangraf validate: {cli.get('total_s', float('nan')):.2f} s wall {cli}")
    print()
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"plangraf-bench-{size}-") as tmp_name:
            tmp = Path(tmp_name)
            t = time.perf_counter()
            summary = synthesize(size, args.seed, tmp / "study", reference)
            synth_s = time.perf_counter() - t
            root = make_root(tmp, summary["extra_reference"])
            print(
                f"[{size}] synthesized {summary['documents']} documents, {summary['findings']} findings "
                f"in {synth_s:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            loads = load_compare(root, tmp / "study")
            print(f"[{size}] load: {loads}", file=sys.stderr, flush=True)
            a = measure("plangraf", root, tmp / "study", args.plangraf_timeout, size <= args.pyshacl_max)
            commands = cli_commands(root, tmp / "study")
            print(f"[{size}] commands: {commands}", file=sys.stderr, flush=True)
            print(f"[{size}] plangraf: {a.get('seconds', {}).get('total', a)}", file=sys.stderr, flush=True)
            if size > args.baseline_max:
                b = {
                    "skipped": f"skipped: above --baseline-max {args.baseline_max} "
                    f"(would take > {args.baseline_timeout:.0f} s)"
                }
            else:
                b = measure("baseline", root, tmp / "study", args.baseline_timeout)
            print(f"[{size}] baseline: {b.get('seconds', {}).get('total', b)}", file=sys.stderr, flush=True)
        entry = {
            "size": size,
            "synthetic": {k: v for k, v in summary.items() if k not in ("files", "extra_reference")},
            "synth_s": synth_s,
            "plangraf": a,
            "baseline": b,
            "equal": compare(a, b),
            "load": loads,
            "commands": commands,
        }
        results.append(entry)
    print()
    print_table(results)
    ratios = {}
    for entry in results:
        a, b = entry["plangraf"], entry["baseline"]
        ratios[entry["size"]] = {
            step: (_step(b, step) / _step(a, step)) if _step(a, step) and _step(b, step) else None for step in STEPS
        }
    checks = target_checks(results, cli, args.baseline_timeout)
    print("Targets (issue 21):")
    for check in checks:
        print(
            f"  {'met    ' if check['met'] else 'NOT MET' if check['met'] is False else 'n/a    '} {check['target']}: "
            f"{check['measured']}"
        )
    out = {
        "targets": checks,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "seed": args.seed,
        "cli_study_2020": cli,
        "sizes": results,
        "ratios": ratios,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if args.docs:
        write_docs_table(args.docs, checks, out["machine"], sizes)
        print(f"wrote the targets table into {args.docs}")


DOCS_START, DOCS_END = "<!-- bench-targets:start -->", "<!-- bench-targets:end -->"


def write_docs_table(path: Path, checks: list[dict[str, Any]], machine: dict[str, Any], sizes: list[int]) -> None:
    """Replace the text between the markers in ``path`` with this run's targets table."""
    text = path.read_text(encoding="utf-8")
    if DOCS_START not in text or DOCS_END not in text:
        raise SystemExit(f"{path}: no {DOCS_START} ... {DOCS_END} markers to write the table between")
    status = {True: "met", False: "**not met**", None: "not measured"}
    rows = [f"| {c['target']} | {status[c['met']]} | {c['measured']} |" for c in checks]
    table = "\n".join(
        [
            DOCS_START,
            f"Written by `python bench/run.py --sizes {','.join(map(str, sizes))} --docs {path.name}` on "
            f"{time.strftime('%Y-%m-%d')} ({machine['cores']} cores, Python {machine['python']}).",
            "",
            "| target | status | measured |",
            "|---|---|---|",
            *rows,
            DOCS_END,
        ]
    )
    head, rest = text.split(DOCS_START, 1)
    path.write_text(head + table + rest.split(DOCS_END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main()
