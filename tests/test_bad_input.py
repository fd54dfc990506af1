"""The bad-input corpus: every case in tests/bad-input/ run through the CLI.

Each case is a folder with a ``case.yaml``::

    description: What is wrong, in one line.
    command: [build]                 # CLI arguments after "plangraf --root <project>"
    place:                           # files of the case folder, copied into the project
      larvik.yaml: data/study-2020/larvik.yaml
    remove: [data/study-2020/coding.csv]
    env: {PLANGRAF_MAX_INPUT_MB: "1"}
    grow: {data/study-2020/larvik.yaml: 2000000}    # pad with comment lines to this size
    expect: ["larvik.yaml:13", "unknown key 'colour'"]   # all must be in the message

The project is a copy of ontology/, data/reference/, queries/ and the mini study
(tests/fixtures/mini-study) as data/study-2020, with a build already made. A case passes
when plangraf exits with code 2, prints one line starting "Error:" that contains every
expected text, prints no traceback, and leaves build/ exactly as it was.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from plangraf.cli.main import main

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "bad-input").iterdir() if (p / "case.yaml").exists())


@pytest.fixture(scope="session")
def template(tmp_path_factory, root) -> Path:
    """A small project with a fresh build, copied for each case."""
    project = tmp_path_factory.mktemp("bad-input-template") / "project"
    shutil.copytree(root / "ontology", project / "ontology")
    shutil.copytree(root / "data" / "reference", project / "data" / "reference")
    shutil.copytree(root / "queries", project / "queries")
    shutil.copytree(HERE / "fixtures" / "mini-study", project / "data" / "study-2020")
    result = CliRunner().invoke(main, ["--root", str(project), "build"])
    assert result.exit_code == 0, result.output
    return project


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_corpus_is_large_and_covers_every_kind():
    assert len(CASES) >= 60
    kinds = {case.name.split("-")[0] for case in CASES}
    assert {"yaml", "csv", "rdf", "shapes", "query", "cli"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_a_clear_error_and_changes_nothing(case, template, tmp_path, monkeypatch):
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    project = tmp_path / "project"
    shutil.copytree(template, project)  # copy2 keeps times: the build stays fresh
    for name, destination in (spec.get("place") or {}).items():
        target = project / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / name, target)
    for name in spec.get("remove") or []:
        (project / name).unlink()
    for name, size in (spec.get("grow") or {}).items():
        # pad a file with comment lines up to size bytes, so the corpus itself stays small
        with (project / name).open("a", encoding="utf-8") as handle:
            line = "# " + "x" * 98 + "\n"
            for _ in range(int(size) // len(line) + 1):
                handle.write(line)
    for key, value in (spec.get("env") or {}).items():
        monkeypatch.setenv(key, str(value))
    before = snapshot(project / "build")
    args = [str(a).replace("{project}", str(project)).replace("{case}", str(case)) for a in spec["command"]]
    result = CliRunner().invoke(main, ["--root", str(project), *args])
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    for text in spec["expect"]:
        assert text in lines[0], (text, lines[0])
    assert snapshot(project / "build") == before
