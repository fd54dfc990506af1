"""Regenerate the generated parts of docs/architecture.md from the code's own imports.

The import graph is built by grimp (the library import-linter checks the layering with):
the stage diagram shows which stage package imports which, and the module table lists
every module with the first line of its docstring. Run ``python scripts/architecture.py``
after moving or adding a module; ``tests/test_architecture.py`` fails while the document is
out of date (``--check`` does the same from the shell).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "plangraf"
BEGIN_DIAGRAM, END_DIAGRAM = "<!-- diagram: generated -->", "<!-- /diagram -->"
BEGIN_TABLE, END_TABLE = "<!-- modules: generated -->", "<!-- /modules -->"


def stages() -> list[str]:
    """The stage packages of plangraf, in the order of the layers contract (top first)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    import tomllib

    contracts = tomllib.loads(text)["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    return [name.strip() for layer in layers for name in layer.split("|")]


def stage_edges() -> set[tuple[str, str]]:
    """(importer stage, imported stage) for every direct import between two stages."""
    graph = grimp.build_graph("plangraf", include_external_packages=False)
    edges: set[tuple[str, str]] = set()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[1] != parts[1]:
                edges.add((parts[1], other[1]))
    return edges


def diagram() -> str:
    names = stages()
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"    {name}[{name}]" for name in names]
    lines += [
        f"    {a} --> {b}" for a, b in sorted(stage_edges(), key=lambda e: (names.index(e[0]), names.index(e[1])))
    ]
    lines.append("```")
    return "\n".join(lines)


def _summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.split("\n\n")[0].replace("\n", " ").strip()
    return first.replace("|", "\\|")


def module_table() -> str:
    rows = ["| module | what it is |", "|---|---|"]
    for stage in stages():
        folder = PACKAGE / stage
        for path in sorted(folder.glob("*.py")):
            name = f"plangraf.{stage}" + ("" if path.stem == "__init__" else f".{path.stem}")
            rows.append(f"| `{name}` | {_summary(path)} |")
    return "\n".join(rows)


def _replace(text: str, begin: str, end: str, body: str) -> str:
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def render(text: str) -> str:
    """The document with both generated parts replaced."""
    text = _replace(text, BEGIN_DIAGRAM, END_DIAGRAM, diagram())
    return _replace(text, BEGIN_TABLE, END_TABLE, module_table())


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{DOC} is out of date: run python scripts/architecture.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
