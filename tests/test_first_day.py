"""Issue 26: a new user's first day outside a checkout — no silent fallback to the shipped
study, and the docs at hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main


@pytest.fixture
def elsewhere(tmp_path, monkeypatch) -> Path:
    """A current folder that is neither a study nor the checkout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANGRAF_HOME", raising=False)
    return tmp_path


@pytest.mark.parametrize("command", [["build"], ["validate"], ["query", "evidence"], ["ids"], ["report"], ["run"]])
def test_outside_a_study_commands_refuse_and_say_how_to_start(elsewhere, command):
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "plangraf init" in result.output and "--example" in result.output
    assert list(elsewhere.iterdir()) == []  # nothing written, here or anywhere


def test_validate_in_a_ci_format_reports_the_refusal_too(elsewhere):
    result = CliRunner().invoke(main, ["validate", "-f", "github"])
    assert result.exit_code == 2
    assert result.stdout.startswith("::error title=plangraf load::no study here")


def test_commands_without_a_study_still_run(elsewhere):
    assert CliRunner().invoke(main, ["queries"]).exit_code == 0


def test_example_uses_the_shipped_study(elsewhere):
    result = CliRunner().invoke(main, ["build", "--example", "--build-dir", str(elsewhere / "b")])
    assert result.exit_code == 0, result.output
    assert "10 municipalities" in result.output


def test_docs_lists_topics_and_prints_one(elsewhere):
    listed = CliRunner().invoke(main, ["docs"])
    assert listed.exit_code == 0 and "findings-format    The findings format" in listed.output
    shown = CliRunner().invoke(main, ["docs", "findings"])  # a unique beginning is enough
    assert shown.exit_code == 0 and shown.output.startswith("# The findings format")
    typo = CliRunner().invoke(main, ["docs", "publshing"])
    assert typo.exit_code == 2 and "did you mean 'publishing'?" in typo.output


def test_generated_files_point_at_the_docs_command(tmp_path):
    from plangraf.core.paths import Paths
    from plangraf.outputs.scaffold import new_municipality_file

    study = tmp_path / "study"
    study.mkdir()
    (study / "study.yaml").write_text("id: s\\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    text = new_municipality_file("Skien", Paths(root=root, data=study)).read_text(encoding="utf-8")
    assert "plangraf docs findings-format" in text and "docs/findings-format.md" not in text


def test_a_new_study_validates_with_each_placeholder_warned_on_its_line(elsewhere):
    """init and new-municipality write TODO: placeholders; validate warns of each (exit 0),
    and of a respondent whose file was deleted; the scaffold itself validates."""
    import json

    runner = CliRunner()
    assert runner.invoke(main, ["init", "study"]).exit_code == 0
    study = elsewhere / "study"
    args = ["--data", str(study), "--build-dir", str(elsewhere / "build")]
    assert runner.invoke(main, ["new-municipality", "Skien", "--data", str(study)]).exit_code == 0
    (study / "study.yaml").write_text(
        (study / "study.yaml")
        .read_text("utf-8")
        .replace("responses:", "responses:\n  - municipality: bergen\n    answered: 2020-09-01", 1),
        "utf-8",
    )
    result = runner.invoke(main, ["validate", "-f", "json", *args])
    assert result.exit_code == 0, result.output
    notes = [r for r in json.loads(result.stdout)["results"] if r["shape"].startswith("plangraf ")]
    lines = {(r["file"], r["focus"]): r["line"] for r in notes}
    study_lines = (study / "study.yaml").read_text("utf-8").splitlines()
    coder_line = lines[("study/study.yaml", "coders[0].name")]
    assert study_lines[coder_line - 1].strip() == 'name: "TODO: your name"'
    assert ("study/skien.yaml", "source") in lines
    assert any(r["shape"] == "plangraf respondent" and r["value"] == "bergen" for r in notes)


def test_the_installed_example_is_never_written_to(elsewhere, monkeypatch):
    """With an installed plangraf, --example reads the package's copy; a command that writes
    into a study refuses it (nothing in the package changes)."""
    import shutil

    from plangraf.core import resources

    root = elsewhere / "installed"  # stands for the package's copy: the refusal comes before any reading
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini-study", root / "data" / "study-2020")
    monkeypatch.setattr(resources, "packaged_root", lambda: root)
    text = elsewhere / "strategi.txt"
    text.write_text("Digitaliseringsstrategi", encoding="utf-8")
    before = sorted((root / "data" / "study-2020").iterdir())
    result = CliRunner().invoke(main, ["--root", str(root), "ingest", str(text), "--example", "--document", "x"])
    assert result.exit_code == 2 and "never written to" in result.output, result.output
    assert sorted((root / "data" / "study-2020").iterdir()) == before
