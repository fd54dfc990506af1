"""plangraf's commands as a user runs them, each measured on its own: wall time, CPU time (user +
system of that child and of anything it waited for, from ``os.wait4``, so other load on a shared
machine does not count) and peak resident memory (``ru_maxrss``).

:func:`study_commands` runs the shipped study's commands; :func:`synthetic_commands` a synthetic
study's pipeline: the cold build, validate, every shipped query in one process on the build's
store (:mod:`workers`) and each as its own ``plangraf query`` command, the no-op build, pyshacl
beside the compiled engine, and one municipality file edited (a link recoded) built and validated again.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKERS = Path(__file__).resolve().parent / "workers.py"


def exe() -> Path:
    """The ``plangraf`` command installed next to this Python."""
    return Path(sys.executable).parent / "plangraf"


def _env() -> dict[str, str]:
    """This checkout's ``src`` first on the path, so the commands run the code being measured,
    and Python's bytecode cache on, as a user's Python has it (a machine that sets
    PYTHONDONTWRITEBYTECODE would have every command of a fresh checkout compile its modules
    again, about 0.04 s each)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    return env


def _cpu_limit(seconds: float) -> Callable[[], None]:
    """Set in the child before it starts: the kernel stops it (SIGXCPU) after ``seconds`` of CPU
    time, however long that takes on a shared machine, and it writes no core file."""

    def limit() -> None:
        # 2 % and 2 s more, so that the CPU time the child's rusage reports is at least
        # ``seconds``: the kernel stops it on its own finer count, which at 356 municipalities
        # was 0.6 % above the rusage figure (stopped at a 2,252 s limit, 2,239 s in rusage)
        soft = math.ceil(seconds * 1.02) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 30))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return limit


def run(
    args: list[str], timeout: float | None = None, keep_stdout: bool = False, cpu_limit: float | None = None
) -> dict[str, Any]:
    """Run one command; ``wall_s``, ``cpu_s``, ``peak_mib`` and ``exit`` (and ``stdout`` if asked;
    ``error``, the last line of standard error, when it failed; ``timed_out`` when killed after
    ``timeout`` seconds of wall time; ``cpu_limited`` when stopped after ``cpu_limit`` seconds of CPU)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        limit = _cpu_limit(cpu_limit) if cpu_limit is not None else None
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=_env(), cwd=ROOT, preexec_fn=limit)
        killed = threading.Event()
        timer = threading.Timer(timeout, lambda: (killed.set(), proc.kill())) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        measured: dict[str, Any] = {
            "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024,
            "exit": proc.returncode,
        }
        if killed.is_set():
            measured["timed_out"] = timeout
        elif cpu_limit is not None and proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            measured["cpu_limited"] = cpu_limit
        if keep_stdout:
            out.seek(0)
            measured["stdout"] = out.read().decode("utf-8", "replace")
        if proc.returncode not in (0, 1):
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            measured["error"] = lines[-1] if lines else f"exit {proc.returncode}"
    return measured


def study_commands(root: Path = ROOT) -> dict[str, Any]:
    """On the shipped study, cold: ``plangraf build`` then ``plangraf validate``; ``plangraf build``
    again with nothing changed; ``plangraf claims --format json`` (every reading) and
    ``plangraf report``."""
    if not exe().exists():
        return {"skipped": "plangraf command not installed next to this Python"}
    base = [str(exe()), "--root", str(root)]
    with tempfile.TemporaryDirectory() as tmp:
        where = ["--data", str(root / "data" / "study-2020"), "--build-dir", tmp]
        return {
            "build": run([*base, "build", *where]),
            "validate": run([*base, "validate", *where, "-q"]),
            "noop_build": run([*base, "build", *where]),
            "claims": run([*base, "claims", *where, "--format", "json"]),
            "report": run([*base, "report", *where, "--out", str(Path(tmp) / "report")]),
        }


def synthetic_commands(root: Path, study: Path, build: Path, pyshacl: bool, timeout: float) -> dict[str, Any]:
    """A synthetic study's pipeline as commands, in a new build folder ``build``. Returns the
    measurements by step, plus ``validation`` (what the compiled engine found, for the equality
    check) and ``answers`` (each query's row count and digest, from the one-process run)."""
    base = [str(exe()), "--root", str(root)]
    where = ["--data", str(study), "--build-dir", str(build)]
    out: dict[str, Any] = {}
    _progress("cold plangraf build")
    out["cold_build"] = _build_step(run([*base, "build", *where], timeout, keep_stdout=True))
    _progress("plangraf validate")
    out["validate"] = run([*base, "validate", *where, "--no-rebuild", "-f", "json"], timeout, keep_stdout=True)
    compiled = _validation(out["validate"])
    _progress("every shipped query in one process, on the build's store")
    out["queries"], answers = _queries_in_one_process(root, study, build, timeout)
    _progress("every shipped query as a plangraf query command")
    out["query_commands"] = {
        name: run([*base, "query", name, *where, "--no-rebuild", "-f", "csv"], timeout)
        for name in sorted(p.stem for p in (root / "queries").glob("*.rq"))
    }
    _progress("no-op plangraf build")
    out["noop_build"] = run([*base, "build", *where], timeout)
    if pyshacl:
        _progress("plangraf validate --engine pyshacl, beside the compiled engine")
        out["validate_pyshacl"] = _engines(base, where, compiled, timeout)
    _progress("one municipality file edited: plangraf build, plangraf validate")
    edited, text, recoded = _edit(study)
    out["edit_build"] = _build_step(run([*base, "build", *where], timeout, keep_stdout=True))
    out["edit_build"]["edit"] = f"{edited.name}: {recoded}"
    out["edit_validate"] = run([*base, "validate", *where, "--no-rebuild", "-q"], timeout)
    edited.write_text(text, encoding="utf-8")
    out["validate"].pop("stdout", None)
    return {"steps": out, "validation": _summary(compiled), "answers": answers}


def _edit(study: Path) -> tuple[Path, str, str]:
    """A coder's edit of one municipality file: the first finding link coded ``paraphrase`` in
    the first file (by name) that has one recoded as ``thematic``, which changes the link's
    relation, the reflections derived from it and what validation must look at again (an edit
    of a file's top-level ``source`` line, the earlier bench's, changes no triple at all).
    Returns the file, its text before the edit and what was changed."""
    files = sorted(p for p in study.glob("*.yaml") if p.name != "study.yaml")
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "how: paraphrase" in text:
            path.write_text(text.replace("how: paraphrase", "how: thematic", 1), encoding="utf-8")
            return path, text, "a link recoded from paraphrase to thematic"
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text.replace("source: synthetic", "source: synthetic (edited)", 1), encoding="utf-8")
    return files[0], text, "its source line (no link coded paraphrase in the study)"


def _engines(base: list[str], where: list[str], compiled: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
    """``plangraf validate --engine pyshacl``, the reference engine: measured, and whether its
    results are exactly the compiled engine's (``engines_equal``)."""
    measured = run([*base, "validate", *where, "--no-rebuild", "--engine", "pyshacl", "-f", "json"], timeout, True)
    reference = _validation(measured)
    measured.pop("stdout", None)
    same = reference is not None and compiled is not None and reference["issues"] == compiled["issues"]
    measured["engines_equal"] = same
    measured["results"] = None if reference is None else len(reference["issues"])
    return measured


_TIMING = re.compile(r"\(load ([\d.]+) s, inference ([\d.]+) s\)")
_TRIPLES = re.compile(r"Triples: (\d+) asserted, (\d+) inferred, (\d+) in all")
_FILES = re.compile(r"Municipality files: (\d+) read, (\d+) unchanged")


def _build_step(measured: dict[str, Any]) -> dict[str, Any]:
    """What ``plangraf build`` printed about itself: its load and inference seconds, the triples,
    how many municipality files it read (the rest came from the per-file cache)."""
    text = measured.pop("stdout", "")
    if timing := _TIMING.search(text):
        measured["load_s"], measured["inference_s"] = float(timing[1]), float(timing[2])
    if triples := _TRIPLES.search(text):
        measured["asserted"], measured["inferred"], measured["triples"] = map(int, triples.groups())
    if files := _FILES.search(text):
        measured["files_read"], measured["files_cached"] = int(files[1]), int(files[2])
    return measured


def _validation(measured: dict[str, Any]) -> dict[str, Any] | None:
    """``plangraf validate -f json``'s answer: whether it conforms, the (shape, focus) of every
    Violation, and every SHACL result (for comparing the two engines); None if it failed."""
    try:
        report = json.loads(measured.get("stdout", ""))
    except ValueError:
        return None
    shacl = [r for r in report["results"] if not r["shape"].startswith("plangraf ")]  # not the study notes
    return {
        "conforms": report["conforms"],
        "violations": sorted({(r["shape"], r["focus"]) for r in shacl if r["severity"] == "Violation"}),
        "issues": sorted({(r["focus"], r["path"], r["shape"], r["severity"], r["message"]) for r in shacl}, key=str),
    }


def _summary(validation: dict[str, Any] | None) -> dict[str, Any] | None:
    from workers import digest

    if validation is None:
        return None
    violations = [list(v) for v in validation["violations"]]
    return {
        "conforms": validation["conforms"],
        "violations": len(violations),
        "violations_digest": digest(violations),
        "results": len(validation["issues"]),
    }


def _queries_in_one_process(
    root: Path, study: Path, build: Path, timeout: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:mod:`workers`' ``queries``: the build's store opened read-only, every shipped query run on it."""
    result = build.parent / "queries.json"
    args = [sys.executable, str(WORKERS), "queries", str(root), str(study), str(result), "--build-dir", str(build)]
    measured = run(args, timeout)
    if measured["exit"] != 0 or not result.exists():
        return measured, {}
    found = json.loads(result.read_text(encoding="utf-8"))
    measured["open_s"] = found["open_s"]
    measured["per_query"] = found["per_query"]
    return measured, found["answers"]


def baseline(root: Path, study: Path, timeout: float, cpu_limit: float | None = None) -> dict[str, Any]:
    """The naive pipeline (:mod:`workers`' ``baseline``) in a process of its own; with
    ``cpu_limit``, stopped once it has used that much CPU time (``bounded``: it took longer)."""
    result = study.parent / "baseline.json"
    args = [sys.executable, str(WORKERS), "baseline", str(root), str(study), str(result)]
    measured = run(args, timeout, cpu_limit=cpu_limit)
    if "cpu_limited" in measured:
        return {"bounded": f"stopped after {cpu_limit:.0f} s CPU without finishing", **measured}
    if "timed_out" in measured:
        return {"skipped": f"killed after {timeout:.0f} s", **measured}
    if measured["exit"] != 0:
        return {"error": measured.get("error", f"exit {measured['exit']}"), **measured}
    return {**json.loads(result.read_text(encoding="utf-8")), **measured}


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)
