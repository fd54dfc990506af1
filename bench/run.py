"""Benchmark plangraf's commands against the naive baseline, side by side, on synthetic studies,
and judge issue 21's targets.

    python bench/run.py --sizes 10,356 --baseline-max 10             # about 10 minutes on 2 cores
    python bench/run.py --sizes 10,356,1000 --docs docs/performance.md  # every target

Measured once: the shipped study's ``plangraf build && plangraf validate`` from nothing,
``plangraf claims --format json`` and ``plangraf report``, as commands. For every size (number
of municipalities) a synthetic study is generated (:func:`plangraf.study.synth.synthesize`) and
its pipeline runs as the commands run it (:mod:`commands`): a cold ``plangraf build``,
``plangraf validate``, every shipped query in one process on the build's store and each as its
own ``plangraf query NAME --no-rebuild``, a no-op ``plangraf build``, ``plangraf validate
--engine pyshacl`` beside the compiled engine (up to ``--pyshacl-max``), and one municipality
file edited, built and validated again. Every command's wall time, CPU time (user + system of
that child) and peak memory are recorded.

The naive baseline (owlrl closure + pyshacl + rdflib queries, :mod:`workers`) runs up to
``--baseline-max`` municipalities, killed after ``--baseline-timeout`` seconds; its answers and
Violations are checked EQUAL to plangraf's. Above that and up to ``--baseline-bound-max`` it
runs until it has taken ``--baseline-bound`` (40) times plangraf's cold pipeline, CPU time
enforced by the kernel when judged on CPU: stopped there, it proves that ratio, and its answers
are compared only where it finished. With ``--baseline-beside`` each baseline runs in a thread
beside the next sizes' measurements (each process's CPU time is its own).

    python bench/run.py --sizes 10,356,1000 --baseline-max 10 --baseline-bound-max 356 \
        --baseline-beside --judge cpu --docs docs/performance.md     # about an hour

The targets (:mod:`targets`) are printed with met / not met, written to ``--out`` (JSON) with
every measurement, and, with ``--docs``, as a table between the bench-targets markers of that
Markdown file.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import commands  # noqa: E402
import targets  # noqa: E402


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


def measure_size(size: int, args: argparse.Namespace, reference: Any, later: list[threading.Thread]) -> dict[str, Any]:
    """One synthetic study of ``size`` municipalities: plangraf's commands, then the baseline
    (with ``--baseline-beside`` in a thread of its own, appended to ``later``, while the next
    sizes are measured; its study folder is removed when it ends)."""
    from plangraf.study.synth import synthesize

    tmp = Path(tempfile.mkdtemp(prefix=f"plangraf-bench-{size}-"))
    t = time.perf_counter()
    summary = synthesize(size, args.seed, tmp / "study", reference)
    synth_s = time.perf_counter() - t
    _say(f"[{size}] synthesized {summary['documents']} documents, {summary['findings']} findings, {synth_s:.0f} s")
    root = make_root(tmp, summary["extra_reference"])
    plangraf = commands.synthetic_commands(
        root, tmp / "study", tmp / "build", size <= args.pyshacl_max, args.plangraf_timeout
    )
    entry: dict[str, Any] = {
        "size": size,
        "synthetic": {k: v for k, v in summary.items() if k not in ("files", "extra_reference")},
        "synth_s": synth_s,
        "plangraf": plangraf,
        "baseline": {"skipped": f"skipped: above --baseline-bound-max {args.baseline_bound_max}"},
    }

    def finish() -> None:
        if size <= max(args.baseline_max, args.baseline_bound_max):
            entry["baseline"] = _baseline(size, args, root, tmp / "study", plangraf["steps"])
        shutil.rmtree(tmp, ignore_errors=True)
        entry["equal"] = targets.compare(plangraf, entry["baseline"])
        targets.print_size(entry)

    if args.baseline_beside and size <= max(args.baseline_max, args.baseline_bound_max):
        later.append(threading.Thread(target=finish, name=f"baseline-{size}"))
        later[-1].start()
    else:
        finish()
    return entry


def _baseline(size: int, args: argparse.Namespace, root: Path, study: Path, steps: dict[str, Any]) -> dict[str, Any]:
    """The naive baseline at ``size``: run to the end up to ``--baseline-max``; above it, up to
    ``--baseline-bound-max``, stopped once it has taken ``--baseline-bound`` times plangraf's cold
    pipeline (CPU time or wall time, as judged), which proves that ratio without its answers."""
    cold = targets.total(steps, targets.COLD, "cpu_s" if args.judge == "cpu" else "wall_s")
    if size <= args.baseline_max or cold is None:
        _say(f"[{size}] baseline (naive owlrl + pyshacl), killed after {args.baseline_timeout:.0f} s")
        return commands.baseline(root, study, args.baseline_timeout)
    bound = args.baseline_bound * cold
    _say(f"[{size}] baseline (naive owlrl + pyshacl), stopped after {bound:.0f} s {args.judge} time")
    if args.judge == "cpu":
        return {**commands.baseline(root, study, bound * 10, cpu_limit=bound), "bound": args.baseline_bound}
    measured = commands.baseline(root, study, bound)
    if "skipped" in measured:  # killed by its timeout, which is the bound
        measured["bounded"] = measured.pop("skipped").replace("killed", "stopped") + " without finishing"
    return {**measured, "bound": args.baseline_bound}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,356", help="municipality counts, comma-separated (all: 10,356,1000)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--baseline-max", type=int, default=10, help="skip the baseline above this many municipalities")
    parser.add_argument("--baseline-timeout", type=float, default=900.0, help="seconds before the baseline is killed")
    parser.add_argument(
        "--baseline-bound-max",
        type=int,
        default=0,
        help="above --baseline-max and up to this size, stop the baseline at --baseline-bound times plangraf's time",
    )
    parser.add_argument("--baseline-bound", type=float, default=40.0, help="the ratio a bounded baseline proves")
    parser.add_argument(
        "--baseline-beside",
        action="store_true",
        help="run each baseline in a thread beside the next sizes' measurements (CPU times stay each process's own)",
    )
    parser.add_argument(
        "--pyshacl-max", type=int, default=50, help="run plangraf validate --engine pyshacl up to this size"
    )
    parser.add_argument(
        "--plangraf-timeout", type=float, default=1800.0, help="seconds before one plangraf command is killed"
    )
    parser.add_argument(
        "--judge",
        choices=("wall", "cpu"),
        default="wall",
        help="judge the targets on wall time, or on CPU time on a machine shared with other work",
    )
    parser.add_argument("--docs", type=Path, help="write the targets table into this Markdown file (between markers)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    import json

    from plangraf.core.paths import Paths
    from plangraf.graph.inputs import load_ontology, load_reference

    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    load_before = _load()
    print(f"plangraf benchmark: sizes {sizes}, seed {args.seed}, {os.cpu_count()} cores, load average {load_before}")
    if not commands.exe().exists():
        raise SystemExit(f"no plangraf command next to {sys.executable}: install the project (pip install -e .)")
    study = commands.study_commands()
    paths = Paths(root=ROOT)
    reference = load_reference(paths, load_ontology(paths))
    later: list[threading.Thread] = []
    results = [measure_size(size, args, reference, later) for size in sizes]
    for thread in later:
        thread.join()
    run = {
        "arguments": shlex.join(argv if argv is not None else sys.argv[1:]),
        "judge": args.judge,
        "load_average": f"{load_before} at the start, {_load()} at the end",
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "seed": args.seed,
    }
    checks = targets.target_checks(study, results, args.judge)
    targets.print_targets(checks, args.judge)
    out = {**run, "targets": checks, "study_2020": study, "sizes": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if args.docs:
        targets.write_docs_table(args.docs, checks, run)
        print(f"wrote the targets table into {args.docs}")


if __name__ == "__main__":
    main()
