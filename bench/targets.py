"""Issue 21's targets, judged from one bench run's results (the dict :mod:`run` writes as JSON),
the tables printed from them, and the targets table written into ``docs/performance.md``.

Every measured step is a dict with ``wall_s``, ``cpu_s``, ``peak_mib`` and ``exit``. A target is
judged on wall time (``judge="wall"``) or, on a machine shared with other work, on CPU time
(``judge="cpu"``); the table shows both. ``met`` is None when the run did not measure it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS_START, DOCS_END = "<!-- bench-targets:start -->", "<!-- bench-targets:end -->"
COLD = ("cold_build", "validate", "queries")
"""The cold pipeline: ``plangraf build``, ``plangraf validate``, every query in one process."""
EDIT = ("edit_build", "edit_validate")
GIB = 1024

Add = Callable[[str, bool | None, str], None]


def failed(step: dict[str, Any] | None) -> str | None:
    """Why a measured step does not count (missing, timed out, exit other than 0 or 1), or None."""
    if step is None:
        return "not run"
    if "timed_out" in step:
        return f"killed after {step['timed_out']:.0f} s"
    if step.get("exit") not in (0, 1):
        return f"exit {step.get('exit')}: {step.get('error', '')}".strip()
    return None


def total(steps: dict[str, Any], names: tuple[str, ...], key: str) -> float | None:
    """The sum of ``key`` over the named steps; None if one of them did not run to the end."""
    if any(failed(steps.get(name)) for name in names):
        return None
    return sum(steps[name][key] for name in names)


def _both(steps: dict[str, Any], names: tuple[str, ...]) -> str:
    return f"{total(steps, names, 'wall_s'):.2f} s wall, {total(steps, names, 'cpu_s'):.2f} s CPU"


def compare(plangraf: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """plangraf's answers and Violations against the baseline's: every query's row count and
    digest of its sorted rows, and whether it conforms with the same (shape, focus) Violations."""
    if not plangraf.get("answers") or "answers" not in baseline or not plangraf.get("validation"):
        return {"checked": False}
    differing = sorted(n for n in plangraf["answers"] if plangraf["answers"][n] != baseline["answers"].get(n))
    ours, theirs = plangraf["validation"], baseline["validation"]
    same = all(ours[k] == theirs[k] for k in ("conforms", "violations", "violations_digest"))
    return {"checked": True, "queries_equal": not differing, "differing_queries": differing, "validation_equal": same}


def target_checks(study: dict[str, Any], sizes: list[dict[str, Any]], judge: str = "wall") -> list[dict[str, Any]]:
    """Each target of issue 21 with what the run measured; ``met`` is None if not measured."""
    key = "wall_s" if judge == "wall" else "cpu_s"
    checks: list[dict[str, Any]] = []

    def add(target: str, met: bool | None, measured: str) -> None:
        checks.append({"target": target, "met": met, "measured": measured})

    _study_targets(study, key, add)
    by_size = {entry["size"]: entry for entry in sizes}
    if 356 in by_size:
        _national_targets(by_size[356], key, add, _answers_elsewhere(sizes))
    else:
        add("356 targets", None, "size 356 not in this run")
    if 1000 in by_size:
        _nordic_targets(by_size[1000], by_size.get(356), key, add)
    else:
        add("1000 targets", None, "size 1000 not in this run")
    return checks


def _study_targets(study: dict[str, Any], key: str, add: Add) -> None:
    for target, names, limit in (
        ("study: plangraf build && plangraf validate, two commands from nothing, <= 2 s", ("build", "validate"), 2),
        ("study: plangraf claims --format json over all readings <= 15 s", ("claims",), 15),
        ("study: plangraf report <= 30 s", ("report",), 30),
    ):
        value = total(study, names, key)
        why = "skipped" if "skipped" in study else next(filter(None, (failed(study.get(n)) for n in names)), None)
        add(target, None if value is None else value <= limit, f"not measured: {why}" if why else _both(study, names))


def _answers_elsewhere(sizes: list[dict[str, Any]]) -> str:
    """The sizes at which the baseline's answers were compared with plangraf's, with the verdict."""
    checked = [e for e in sizes if e.get("equal", {}).get("checked")]
    verdicts = [
        f"{e['size']}: {'EQUAL' if e['equal']['queries_equal'] and e['equal']['validation_equal'] else 'DIFFERENT'}"
        for e in checked
    ]
    return ", ".join(verdicts) or "none"


def _national_targets(entry: dict[str, Any], key: str, add: Add, elsewhere: str = "none") -> None:
    steps = entry["plangraf"]["steps"]
    cold = total(steps, COLD, key)
    if cold is None:
        add("356: cold build + validate + all shipped queries <= 30 s", None, f"not measured: {_why(steps, COLD)}")
    else:
        add("356: cold build + validate + all shipped queries <= 30 s", cold <= 30, _cold_text(steps))
    edit = total(steps, EDIT, key)
    files = steps.get("edit_build", {}).get("files_read", "?")
    add(
        "356: one edited file, plangraf build + plangraf validate <= 5 s",
        None if edit is None else edit <= 5,
        f"not measured: {_why(steps, EDIT)}"
        if edit is None
        else f"{_both(steps, EDIT)} (build {steps['edit_build'][key]:.1f} s, validate "
        f"{steps['edit_validate'][key]:.1f} s; municipality files read again: {files} of 356"
        + (f"; {steps['edit_build']['edit']})" if "edit" in steps.get("edit_build", {}) else ")"),
    )
    noop = total(steps, ("noop_build",), key)
    add(
        "356: no-op plangraf build as a command <= 0.5 s",
        None if noop is None else noop <= 0.5,
        f"not measured: {_why(steps, ('noop_build',))}" if noop is None else _both(steps, ("noop_build",)),
    )
    _query_commands_target(steps.get("query_commands", {}), key, add)
    _baseline_target(entry, key, add, elsewhere)


def _why(steps: dict[str, Any], names: tuple[str, ...]) -> str:
    return "; ".join(f"{n} {failed(steps.get(n))}" for n in names if failed(steps.get(n)))


def _cold_text(steps: dict[str, Any]) -> str:
    parts = ", ".join(f"{n.replace('_', ' ')} {steps[n]['cpu_s']:.1f}" for n in COLD)
    peak = max(steps[n]["peak_mib"] for n in COLD)
    return f"{_both(steps, COLD)} (CPU s: {parts}; peak {peak:,.0f} MiB)"


def _query_commands_target(commands: dict[str, Any], key: str, add: Add) -> None:
    target = "356: every shipped query as a plangraf query command <= 0.5 s"
    broken = sorted(name for name, step in commands.items() if failed(step))
    if not commands or broken:
        add(target, None, f"not measured: {', '.join(broken) or 'no query commands'} failed")
        return
    slow = [name for name, step in commands.items() if step[key] > 0.5]
    name, worst = max(commands.items(), key=lambda kv: kv[1][key])
    add(
        target,
        not slow,
        f"{len(slow)} of {len(commands)} over 0.5 s; slowest {name} {worst['wall_s']:.2f} s wall, "
        f"{worst['cpu_s']:.2f} s CPU",
    )


def _baseline_target(entry: dict[str, Any], key: str, add: Add, elsewhere: str = "none") -> None:
    target = "356: >= 40x the naive owlrl + pyshacl pipeline, answers EQUAL"
    baseline, steps = entry["baseline"], entry["plangraf"]["steps"]
    cold = total(steps, COLD, key)
    if "bounded" in baseline and cold is not None:
        # stopped once it had taken ``bound`` times plangraf's cold pipeline: at least that ratio
        ratio = baseline[key] / cold
        add(
            target,
            ratio >= 40,
            f">= {ratio:.1f}x: the baseline was {baseline['bounded']} ({baseline['wall_s']:.0f} s wall, "
            f"{baseline['cpu_s']:.0f} s CPU, against plangraf's {cold:.1f} s); its answers could not be compared "
            f"at 356, and were at the sizes where it finished ({elsewhere})",
        )
        return
    if "answers" not in baseline or cold is None:
        note = baseline.get("skipped") or baseline.get("error") or "plangraf's cold pipeline did not finish"
        add(target, None, f"not measured: baseline {note}")
        return
    ratio = baseline[key] / cold
    equal = entry["equal"].get("queries_equal") and entry["equal"].get("validation_equal")
    add(
        target,
        ratio >= 40 and bool(equal),
        f"{ratio:.1f}x ({baseline['wall_s']:.0f} s wall, {baseline['cpu_s']:.0f} s CPU); "
        f"answers {'EQUAL' if equal else 'DIFFERENT'}",
    )


def _nordic_targets(entry: dict[str, Any], national: dict[str, Any] | None, key: str, add: Add) -> None:
    steps = entry["plangraf"]["steps"]
    cold = total(steps, COLD, key)
    before = total(national["plangraf"]["steps"], COLD, key) if national else None
    if cold is None or before is None:
        why = _why(steps, COLD) if cold is None else "size 356 not measured in this run"
        add("1000: cold build + validate + all queries <= 3x the 356 time", None, f"not measured: {why}")
    else:
        add(
            "1000: cold build + validate + all queries <= 3x the 356 time",
            cold <= 3 * before,
            f"{cold / before:.2f}x: {_cold_text(steps)}",
        )
    measured = [steps[n] for n in COLD if n in steps and not failed(steps[n])]
    if len(measured) < len(COLD):
        add("1000: peak memory <= 4 GiB", None, f"not measured: {_why(steps, COLD)}")
        return
    peak = {n: steps[n]["peak_mib"] for n in COLD}
    worst = max(peak, key=lambda n: peak[n])
    add(
        "1000: peak memory <= 4 GiB",
        peak[worst] <= 4 * GIB,
        f"{peak[worst]:,.0f} MiB ({worst.replace('_', ' ')}; "
        + ", ".join(f"{n.replace('_', ' ')} {v:,.0f}" for n, v in peak.items())
        + " MiB)",
    )


# --------------------------------------------------------------------------- output


STATUS = {True: "met", False: "**not met**", None: "not measured"}


def print_targets(checks: list[dict[str, Any]], judge: str) -> None:
    print(f"Targets (issue 21), judged on {judge} time:")
    for check in checks:
        verdict = {True: "met    ", False: "NOT MET", None: "n/a    "}[check["met"]]
        print(f"  {verdict} {check['target']}: {check['measured']}")


def print_size(entry: dict[str, Any]) -> None:
    """One size's steps: wall, CPU and peak memory of each command, then the checks."""
    size, steps = entry["size"], entry["plangraf"]["steps"]
    print(f"{'size':>5} {'step':<22} {'wall s':>9} {'CPU s':>9} {'peak MiB':>9}")
    rows = [(n, steps[n]) for n in (*COLD, "noop_build", "validate_pyshacl", *EDIT) if n in steps]
    baseline = entry["baseline"]
    if "wall_s" in baseline:
        rows.append(("baseline (naive)", baseline))
    for name, step in rows:
        note = failed(step)
        print(
            f"{size:>5} {name:<22} {step['wall_s']:9.2f} {step['cpu_s']:9.2f} {step['peak_mib']:9.0f}"
            + (f"  ({note})" if note else "")
        )
    commands = steps.get("query_commands", {})
    if commands:
        worst = sorted(commands.items(), key=lambda kv: -kv[1]["cpu_s"])[:5]
        print(f"{size:>5} query commands, slowest (CPU s): " + ", ".join(f"{n} {s['cpu_s']:.2f}" for n, s in worst))
    per_query = steps.get("queries", {}).get("per_query", {})
    if per_query:
        worst = sorted(per_query.items(), key=lambda kv: -kv[1]["cpu_s"])[:5]
        listed = ", ".join(f"{n} {s['cpu_s']:.2f}" for n, s in worst)
        print(f"{size:>5} queries in one process, slowest (CPU s): {listed}")
    _print_checks(entry)
    print()


def _print_checks(entry: dict[str, Any]) -> None:
    size, eq = entry["size"], entry["equal"]
    baseline, steps = entry["baseline"], entry["plangraf"]["steps"]
    if "answers" in baseline and total(steps, COLD, "cpu_s"):
        cpu, wall = (baseline[k] / total(steps, COLD, k) for k in ("cpu_s", "wall_s"))  # type: ignore[operator]
        print(f"{size:>5} baseline / plangraf's cold pipeline: {cpu:.1f}x CPU, {wall:.1f}x wall")
    if eq.get("checked"):
        verdict = "EQUAL" if eq["queries_equal"] and eq["validation_equal"] else "DIFFERENT"
        differing = f" (differing queries: {', '.join(eq['differing_queries'])})" if eq["differing_queries"] else ""
        same = eq["validation_equal"]
        print(f"{size:>5} answers against the baseline: {verdict}{differing}; Violations equal: {same}")
    else:
        note = entry["baseline"].get("skipped") or entry["baseline"].get("bounded") or entry["baseline"].get("error")
        print(f"{size:>5} answers against the baseline: not checked (baseline {note or 'not run'})")
    engines = entry["plangraf"]["steps"].get("validate_pyshacl")
    if engines and not failed(engines):
        print(
            f"{size:>5} validation engines, compiled against pyshacl: "
            f"{'IDENTICAL' if engines['engines_equal'] else 'DIFFERENT'} ({engines['results']} results)"
        )


def docs_rows(checks: list[dict[str, Any]]) -> list[str]:
    return [f"| {c['target']} | {STATUS[c['met']]} | {c['measured']} |" for c in checks]


def write_docs_table(path: Path, checks: list[dict[str, Any]], run: dict[str, Any]) -> None:
    """Replace the text between the markers in ``path`` with this run's targets table."""
    text = path.read_text(encoding="utf-8")
    if DOCS_START not in text or DOCS_END not in text:
        raise SystemExit(f"{path}: no {DOCS_START} ... {DOCS_END} markers to write the table between")
    machine = run["machine"]
    table = "\n".join(
        [
            DOCS_START,
            f"Written by `python bench/run.py {run['arguments']}` on {time.strftime('%Y-%m-%d')} "
            f"({machine['cores']} cores, Python {machine['python']}; judged on {run['judge']} time, "
            f"load average {run['load_average']}).",
            "",
            "| target | status | measured |",
            "|---|---|---|",
            *docs_rows(checks),
            DOCS_END,
        ]
    )
    head, rest = text.split(DOCS_START, 1)
    path.write_text(head + table + rest.split(DOCS_END, 1)[1], encoding="utf-8")
