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
