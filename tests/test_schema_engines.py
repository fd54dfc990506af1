"""The compiled schema check (fastjsonschema) against the reference (jsonschema): the same
verdict on every municipality and study file we have — the study, the fixtures, a synthetic
study, the bad-input corpus — and on mutations of the study files that break one field each.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.core.yamlio import load_yaml
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study import schema as schema_check
from plangraf.study.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]


def reference_conforms(data: Any, name: str) -> bool:
    return not list(Draft202012Validator(schema_check.schema(name)).iter_errors(data))


def _kind(path: Path) -> str:
    return "study" if path.name == "study.yaml" else "municipality"


def _files(tmp_path: Path) -> list[Path]:
    paths = Paths(root=ROOT)
    ontology = load_ontology(paths)
    synthesize(12, 3, tmp_path / "synth", load_reference(paths, ontology) + ontology)
    folders = [ROOT / "data/study-2020", *sorted((ROOT / "tests/fixtures").glob("*")), tmp_path / "synth"]
    found = [f for folder in folders for f in sorted(folder.glob("*.yaml")) if f.name not in ("claims.yaml",)]
    found += [f for f in sorted((ROOT / "tests/bad-input").glob("*/*.yaml")) if f.name != "case.yaml"]
    return found


def _parsed(path: Path) -> Any:
    try:
        return load_yaml(path)[0]
    except PlangrafError:
        return None  # not YAML plangraf reads; the corpus tests cover it


def _mutations(data: dict[str, Any]) -> list[Any]:
    """One broken field each: a key removed, a value of the wrong type, an unknown key, a
    value outside an enumeration, in the file and in its first document and finding."""
    out: list[Any] = []
    targets: list[tuple[Any, ...]] = [()]
    if data.get("documents"):
        targets.append(("documents", 0))
        if data["documents"][0].get("findings"):
            targets.append(("documents", 0, "findings", 0))
    for target in targets:
        node = data
        for key in target:
            node = node[key]
        for key in list(node):
            for change in ("drop", "type", "enum"):
                copied = copy.deepcopy(data)
                here = copied
                for k in target:
                    here = here[k]
                if change == "drop":
                    del here[key]
                elif change == "type":
                    here[key] = {"not": "this"} if isinstance(here[key], (str, list)) else "text"
                else:
                    here[key] = "no-such-value"
                out.append(copied)
        copied = copy.deepcopy(data)
        here = copied
        for k in target:
            here = here[k]
        here["colour"] = "blue"
        out.append(copied)
    return out


def test_compiled_and_reference_schema_checks_agree(tmp_path):
    files = _files(tmp_path)
    assert len(files) > 60
    checked = rejected = 0
    for path in files:
        data = _parsed(path)
        if data is None:
            continue
        kind = _kind(path)
        cases = [data] + (_mutations(data) if isinstance(data, dict) and path.parent.name == "study-2020" else [])
        for case in cases:
            expected = reference_conforms(case, kind)
            assert schema_check.conforms(case, kind) == expected, (path, kind)
            checked += 1
            rejected += not expected
    # both verdicts occur many times, so agreement is not agreement on one answer
    assert checked > 500 and 100 < rejected < checked - 50, (checked, rejected)


def test_a_rejected_file_gets_the_reference_message(tmp_path):
    data, lines = load_yaml(ROOT / "data/study-2020/larvik.yaml")
    data["documents"][0]["status"] = "maybe"
    with pytest.raises(PlangrafError) as compiled:
        schema_check.check(data, lines, "municipality", Path("larvik.yaml"))
    with pytest.raises(PlangrafError) as reference:
        schema_check.check(data, lines, "municipality", Path("larvik.yaml"), compiled=False)
    assert str(compiled.value) == str(reference.value)
    message = str(compiled.value)
    assert message.startswith("larvik.yaml:23: documents[0].status:") and "'maybe' is not allowed" in message
