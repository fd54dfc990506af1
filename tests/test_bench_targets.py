"""The bench's target logic (bench/targets.py) on recorded results: each verdict follows from the
measured values and the limits, a step that failed or was not run is "not measured" (never met),
the docs table is written between its markers only, and the committed results, the docs table
and the README agree with the verdicts recomputed from them. No timing is measured here: speed is
measured in bench/."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench_module(name: str) -> Any:
    """A module of bench/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def targets() -> Any:
    return _bench_module("targets")


def step(wall: float, cpu: float | None = None, peak: float = 100.0, exit: int = 0) -> dict[str, Any]:
    return {"wall_s": wall, "cpu_s": wall if cpu is None else cpu, "peak_mib": peak, "exit": exit}


ANSWERS = {"evidence": {"rows": 3, "digest": "a"}, "anchoring": {"rows": 0, "digest": "b"}}
VALIDATION = {"conforms": True, "violations": 0, "violations_digest": "c", "results": 5}


def size_entry(size: int, cold: float, peak: float, edit: float, query: float) -> dict[str, Any]:
    """A recorded size: the cold pipeline's three steps sum to ``cold``."""
    steps = {
        "cold_build": step(cold / 2, peak=peak),
        "validate": step(cold / 4),
        "queries": step(cold / 4),
        "noop_build": step(0.3),
        "edit_build": {**step(edit / 2), "files_read": 1},
        "edit_validate": step(edit / 2),
        "query_commands": {"evidence": step(0.2), "anchoring": step(query)},
    }
    baseline = {**step(cold * 50), "answers": copy.deepcopy(ANSWERS), "validation": dict(VALIDATION)}
    plangraf = {"steps": steps, "answers": copy.deepcopy(ANSWERS), "validation": dict(VALIDATION)}
    return {"size": size, "plangraf": plangraf, "baseline": baseline}


def with_equal(targets: Any, entry: dict[str, Any]) -> dict[str, Any]:
    entry["equal"] = targets.compare(entry["plangraf"], entry["baseline"])
    return entry


STUDY = {"build": step(1.0), "validate": step(0.5), "noop_build": step(0.1), "claims": step(16), "report": step(3)}


def verdicts(checks: list[dict[str, Any]]) -> dict[str, bool | None]:
    return {c["target"].split(" <=")[0].split(" >=")[0]: c["met"] for c in checks}


def test_each_verdict_follows_from_the_value_and_its_limit(targets):
    national = with_equal(targets, size_entry(356, cold=29.0, peak=2000, edit=6.0, query=0.6))
    nordic = with_equal(targets, size_entry(1000, cold=3 * 29.0 + 1, peak=4 * 1024 + 1, edit=9, query=1))
    got = verdicts(targets.target_checks(STUDY, [national, nordic]))
    assert got == {
        "study: plangraf build && plangraf validate, two commands from nothing,": 1.5 <= 2,
        "study: plangraf claims --format json over all readings": 16 <= 15,
        "study: plangraf report": 3 <= 30,
        "356: cold build + validate + all shipped queries": 29.0 <= 30,
        "356: one edited file, plangraf build + plangraf validate": 6.0 <= 5,
        "356: no-op plangraf build as a command": 0.3 <= 0.5,
        "356: every shipped query as a plangraf query command": 0.6 <= 0.5,
        "356:": 50 >= 40,  # the baseline took 50 times the cold pipeline, answers equal
        "1000: cold build + validate + all queries": 88.0 <= 3 * 29.0,
        "1000: peak memory": 4 * 1024 + 1 <= 4 * 1024,
    }


def test_judged_on_cpu_the_same_run_can_meet_a_target_its_wall_time_misses(targets):
    national = with_equal(targets, size_entry(356, cold=20.0, peak=2000, edit=4.0, query=0.2))
    national["plangraf"]["steps"]["noop_build"] = step(0.9, cpu=0.2)  # a loaded machine: wall >> CPU
    key = "356: no-op plangraf build as a command"
    assert verdicts(targets.target_checks(STUDY, [national], "wall"))[key] is False
    assert verdicts(targets.target_checks(STUDY, [national], "cpu"))[key] is True


def test_different_answers_fail_the_ratio_target_however_fast(targets):
    national = size_entry(356, cold=10.0, peak=2000, edit=4.0, query=0.2)
    national["baseline"]["answers"]["evidence"]["digest"] = "other"
    national = with_equal(targets, national)
    assert national["equal"] == {
        "checked": True,
        "queries_equal": False,
        "differing_queries": ["evidence"],
        "validation_equal": True,
    }
    check = next(c for c in targets.target_checks(STUDY, [national]) if "naive" in c["target"])
    assert check["met"] is False and "DIFFERENT" in check["measured"]


def test_a_failed_killed_or_skipped_step_is_not_measured_never_met(targets):
    national = size_entry(356, cold=10.0, peak=2000, edit=4.0, query=0.2)
    national["plangraf"]["steps"]["validate"] = step(3.0, exit=2) | {"error": "Error: the build is out of date"}
    national["plangraf"]["steps"]["edit_build"] = step(3.0, exit=-9) | {"timed_out": 60.0}
    national["baseline"] = {"skipped": "skipped: above --baseline-max 10"}
    national = with_equal(targets, national)
    study = {"skipped": "plangraf command not installed next to this Python"}
    checks = {c["target"]: c for c in targets.target_checks(study, [national])}
    for name in (
        "356: cold build + validate + all shipped queries <= 30 s",
        "356: one edited file, plangraf build + plangraf validate <= 5 s",
        "356: >= 40x the naive owlrl + pyshacl pipeline, answers EQUAL",
        "1000 targets",
        "study: plangraf report <= 30 s",
    ):
        assert checks[name]["met"] is None, name
        assert checks[name]["measured"].startswith("not measured") or "not in this run" in checks[name]["measured"]
    assert "the build is out of date" in checks["356: cold build + validate + all shipped queries <= 30 s"]["measured"]
    assert "killed after 60 s" in checks["356: one edited file, plangraf build + plangraf validate <= 5 s"]["measured"]
    assert national["equal"] == {"checked": False}


def test_a_baseline_stopped_at_its_bound_proves_that_ratio_and_names_where_answers_were_compared(targets):
    small = with_equal(targets, size_entry(10, cold=2.0, peak=100, edit=1.0, query=0.1))
    national = size_entry(356, cold=60.0, peak=2000, edit=4.0, query=0.2)
    stopped = "stopped after 2400 s CPU without finishing"
    stopped_at = {"cpu_limited": 2400.0, "bounded": stopped, "bound": 40.0}
    national["baseline"] = {**step(2500.0, cpu=2400.0, exit=-24), **stopped_at}
    national = with_equal(targets, national)
    check = next(c for c in targets.target_checks(STUDY, [small, national], "cpu") if "naive" in c["target"])
    assert check["met"] is True
    assert check["measured"].startswith(">= 40.0x: the baseline was stopped after 2400 s CPU")
    assert "could not be compared at 356" in check["measured"] and "(10: EQUAL)" in check["measured"]
    national["baseline"]["cpu_s"] = 1800.0  # stopped at a bound below the target: proves nothing about 40x
    check = next(c for c in targets.target_checks(STUDY, [small, national], "cpu") if "naive" in c["target"])
    assert check["met"] is False and check["measured"].startswith(">= 30.0x")


@pytest.fixture(scope="module")
def bench_commands() -> Any:
    return _bench_module("commands")


def test_a_cpu_limit_stops_a_busy_command_after_that_much_cpu_time_and_spares_a_quick_one(bench_commands):
    import sys

    busy = bench_commands.run([sys.executable, "-c", "while True: pass"], timeout=60, cpu_limit=0.5)
    assert busy["cpu_limited"] == 0.5 and "timed_out" not in busy
    assert busy["exit"] < 0 and busy["cpu_s"] >= 0.5
    quick = bench_commands.run([sys.executable, "-c", "print(sum(range(10)))"], timeout=60, cpu_limit=5.0)
    assert quick["exit"] == 0 and "cpu_limited" not in quick


def test_the_docs_table_is_written_between_its_markers_only(targets, tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Before\n\n{targets.DOCS_START}\nold table\n{targets.DOCS_END}\n\nAfter.\n", encoding="utf-8")
    checks = [{"target": "356: something <= 1 s", "met": False, "measured": "2.00 s wall, 1.50 s CPU"}]
    run = {"arguments": "--sizes 356", "judge": "cpu", "load_average": "1.0", "machine": {"cores": 2, "python": "3"}}
    targets.write_docs_table(doc, checks, run)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\n") and text.endswith("\n\nAfter.\n") and "old table" not in text
    assert "| 356: something <= 1 s | **not met** | 2.00 s wall, 1.50 s CPU |" in text
    assert "judged on cpu time" in text
    without = tmp_path / "bare.md"
    without.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        targets.write_docs_table(without, checks, run)


def test_the_committed_results_and_docs_table_are_the_verdicts_of_those_results(targets):
    """bench/results.json is the last full run; its targets, and the table in docs/performance.md
    (which the README quotes), are what the target logic makes of its measurements."""
    recorded = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    checks = targets.target_checks(recorded["study_2020"], recorded["sizes"], recorded["judge"])
    assert checks == recorded["targets"]
    docs = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    table = docs.split(targets.DOCS_START, 1)[1].split(targets.DOCS_END, 1)[0]
    rows = targets.docs_rows(checks)
    assert [line for line in table.splitlines() if line.startswith("| ")][1:] == rows
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(row in readme.splitlines() for row in rows)
