"""The layout by stage: docs/architecture.md's generated parts match the code's imports."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts" / "architecture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_architecture_doc_is_generated_from_the_current_imports():
    script = _script()
    current = script.DOC.read_text(encoding="utf-8")
    assert script.render(current) == current, "docs/architecture.md is out of date: run python scripts/architecture.py"


def test_every_stage_package_is_in_the_layers_and_the_diagram():
    script = _script()
    packages = sorted(p.name for p in (ROOT / "src" / "plangraf").iterdir() if (p / "__init__.py").is_file())
    assert sorted(script.stages()) == packages
    diagram = script.diagram()
    for stage in packages:
        assert f"{stage}[{stage}]" in diagram


def test_no_stage_imports_a_stage_above_it():
    script = _script()
    order = script.stages()
    upward = [(a, b) for a, b in script.stage_edges() if order.index(b) < order.index(a)]
    assert upward == []


def test_no_module_is_over_500_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "src" / "plangraf").rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 500} == {}
