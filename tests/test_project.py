"""`plangraf init`: a researcher's own study, and `new-municipality` writing into it."""

from __future__ import annotations

import os

import pytest
import yaml
from click.testing import CliRunner

from plangraf.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def in_folder(tmp_path):
    """Run the test with the current folder set to ``tmp_path`` (restored afterwards)."""
    before = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_init_writes_a_study_that_validates(tmp_path, in_folder):
    study = tmp_path / "my-study"
    result = invoke("init", str(study))
    assert result.exit_code == 0, result.output
    names = sorted(str(p.relative_to(study)) for p in study.rglob("*") if p.is_file())
    assert names == [
        ".github/workflows/plangraf.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        "README.md",
        "bamble.yaml",
        "study.yaml",
    ]
    config = yaml.safe_load((study / "study.yaml").read_text("utf-8"))
    assert config["id"] == "my-study"
    assert config["coders"] == [{"id": "coder-1", "name": "TODO: your name"}]  # a marked placeholder
    assert "coded" not in config  # never a placeholder date
    assert "# Who coded the links" in (study / "study.yaml").read_text("utf-8")  # fields are explained
    assert "plangraf validate --format github" in (study / ".github/workflows/plangraf.yml").read_text("utf-8")
    gitlab = yaml.safe_load((study / ".gitlab-ci.yml").read_text("utf-8"))
    assert "plangraf validate --format junit > plangraf-report.xml" in gitlab["plangraf-validate"]["script"]
    assert gitlab["plangraf-validate"]["artifacts"]["reports"]["junit"] == "plangraf-report.xml"
    os.chdir(study)  # the current folder is the study: no --data needed
    validated = invoke("validate")
    assert validated.exit_code == 0, validated.output
    assert "Conforms" in validated.output


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "data").mkdir()
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 2
    assert "not empty (data, notes.txt)" in result.output and "--force" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notes.txt"]  # nothing written
    forced = invoke("init", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "study.yaml").is_file() and (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_with_an_unknown_example_writes_nothing(tmp_path):
    target = tmp_path / "s"
    result = invoke("init", str(target), "--example", "Atlantis")
    assert result.exit_code == 2 and "no municipality named 'Atlantis'" in result.output
    assert not target.exists()


def test_new_municipality_writes_into_the_current_study(tmp_path, in_folder, root):
    shipped = sorted(p.name for p in (root / "data" / "study-2020").iterdir())
    study = tmp_path / "s"
    assert invoke("init", str(study)).exit_code == 0
    os.chdir(study)
    result = invoke("new-municipality", "Skien")
    assert result.exit_code == 0, result.output
    assert (study / "skien.yaml").is_file()
    assert sorted(p.name for p in (root / "data" / "study-2020").iterdir()) == shipped


def test_new_municipality_outside_a_study_names_the_way_out(tmp_path, in_folder):
    result = invoke("new-municipality", "Skien")
    assert result.exit_code == 2 and "no study here" in result.output
    assert list(tmp_path.iterdir()) == []
