"""The wheel on its own: built from the sources, installed into a fresh virtual environment
in a temporary folder with no checkout nearby, and run from `init` to `report`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraf.cli.main import main

MINI = Path(__file__).parent / "fixtures" / "mini-study"
SOURCES = [
    "pyproject.toml",
    "setup.cfg",
    "README.md",
    "src",
    "ontology",
    "queries",
    "data/reference",
    "data/study-2020",
    "docs",
]


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory, root) -> tuple[Path, dict[str, str]]:
    """(the installed ``plangraf`` executable, an environment without PLANGRAF_HOME)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a copy, so the build leaves nothing in the checkout
    for name in SOURCES:
        copy = shutil.copytree if (root / name).is_dir() else shutil.copy2
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        copy(root / name, source / name)
    # a checkout holds plangraf's own build/ output folder: `python -m build` must find the
    # build package, not take the folder for it, and setuptools must build elsewhere (issue 26)
    output = CliRunner().invoke(main, ["build", "--data", str(MINI), "--build-dir", str(source / "build")])
    assert output.exit_code == 0, output.output
    before = sorted(p.name for p in (source / "build").iterdir())
    env = {k: v for k, v in os.environ.items() if k not in ("PLANGRAF_HOME", "PYTHONPATH", "VIRTUAL_ENV")}
    wheels = base / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), "."], source, env)
    assert sorted(p.name for p in (source / "build").iterdir()) == before  # no lib/, no bdist.*/
    assert (source / ".setuptools-build" / "lib" / "plangraf" / "cli").is_dir()  # setup.cfg's build_base
    wheel = next(wheels.glob("plangraf-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith(("build/", "store/")) or n.endswith(".trig")]
    for packaged in ("ontology/plangraf.ttl", "ontology/shapes/plangraf-shapes.ttl", "queries/evidence.rq"):
        assert f"plangraf/_share/{packaged}" in names
    for vocabulary in ("dcat", "dcterms", "eli", "org", "prov"):  # the extracts the build loads (ontology/imports)
        assert f"plangraf/_share/ontology/imports/{vocabulary}.ttl" in names
    assert "plangraf/_share/data/reference/municipalities.ttl" in names
    assert "plangraf/_share/data/study-2020/study.yaml" in names
    assert "plangraf/_share/docs/findings-format.md" in names  # plangraf docs (issue 26)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        assert "Project-URL: Homepage, https://w3id.org/plangraf/" in archive.read(metadata).decode()
    environment = base / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    _run([str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], base, env)
    shutil.rmtree(source)
    return environment / "bin" / "plangraf", env


def test_installed_wheel_runs_init_to_report_without_a_checkout(installed, tmp_path):
    plangraf, env = installed
    home = tmp_path / "researcher"
    home.mkdir()
    _run([str(plangraf), "init", "study"], home, env)
    study = home / "study"
    built = _run([str(plangraf), "build"], study, env)
    assert "1 municipalities" in built.stdout, built.stdout
    assert (study / "build" / "plangraf.trig").is_file()  # the build goes into the study, not the package
    validated = _run([str(plangraf), "validate"], study, env)
    assert "Conforms" in validated.stdout
    answer = _run([str(plangraf), "query", "reflected-guidance", "-f", "csv"], study, env)
    assert "Bamble,Brukeren i sentrum," in answer.stdout, answer.stdout  # the example finding's link
    listed = _run([str(plangraf), "queries"], study, env)
    assert "evidence" in listed.stdout
    documented = _run([str(plangraf), "docs", "findings-format"], study, env)
    assert documented.stdout.startswith("# The findings format")
    ids = _run([str(plangraf), "ids", "relations"], study, env)
    assert "explicit-reference" in ids.stdout
    reported = _run([str(plangraf), "report"], study, env)
    assert (study / "build" / "report" / "index.html").is_file(), reported.stdout


def test_installed_wheel_runs_the_shipped_study_outside_any_study(installed, tmp_path):
    plangraf, env = installed
    refused = subprocess.run([str(plangraf), "run"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "--example" in refused.stderr  # never silently (issue 26)
    assert list(tmp_path.iterdir()) == []
    ran = _run([str(plangraf), "run", "--example"], tmp_path, env)
    assert "Validation: Conforms" in ran.stdout and "Porsgrunn" in ran.stdout, ran.stdout
    assert (tmp_path / "build" / "plangraf.trig").is_file()  # never into the installed package
