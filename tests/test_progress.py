"""Progress goes to standard error on a terminal only: quiet in pipes and in CI."""

from __future__ import annotations

from plangraf.core import progress


def test_quiet_in_ci_and_when_not_a_terminal(monkeypatch, capsys):
    monkeypatch.delenv("PLANGRAF_PROGRESS", raising=False)
    monkeypatch.setenv("CI", "true")
    assert list(progress.each(range(3), "work")) == [0, 1, 2]
    with progress.steps("build", ["a", "b"]) as advance:
        advance("a")
        advance("b")
    assert capsys.readouterr() == ("", "")
    monkeypatch.delenv("CI")
    assert progress.enabled() is False  # pytest's captured stderr is not a terminal


def test_shown_on_standard_error_when_enabled(monkeypatch, capsys):
    monkeypatch.setenv("PLANGRAF_PROGRESS", "1")
    assert list(progress.each(range(3), "synth")) == [0, 1, 2]
    with progress.steps("build", ["load and infer", "write"]) as advance:
        advance("load and infer")
        advance("write")
    out, err = capsys.readouterr()
    assert out == ""
    assert "synth" in err and "/3" in err and "build" in err and "write" in err


def test_report_shows_its_steps_on_standard_error(tmp_path):
    """report (read the build, validate, claims, queries, write) says how far it is on
    standard error, and keeps standard output for its result."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    study = root / "tests" / "fixtures" / "provenance-study"
    env = {**__import__("os").environ, "PLANGRAF_PROGRESS": "1"}
    base = [sys.executable, "-m", "plangraf.cli", "--root", str(root)]
    out = tmp_path / "report"
    report = subprocess.run(
        [*base, "report", "--data", str(study), "--build-dir", str(tmp_path / "b"), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    assert report.stdout.strip() == f"Wrote {out / 'index.html'}"
    for step in ("report", "validate", "queries", "write"):
        assert step in report.stderr, report.stderr
