"""The Markdown documentation by topic, for ``plangraf docs``: read from ``docs/`` of the
checkout or from the copy an installed wheel carries, so a new user needs no checkout."""

from __future__ import annotations

import difflib
from pathlib import Path

from plangraf.core.errors import PlangrafError


def topics(folder: Path) -> dict[str, str]:
    """Each topic (a ``.md`` file's name without suffix) with its title (its first heading)."""
    found = {}
    for path in sorted(Path(folder).glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        title = next((line.lstrip("# ").strip() for line in lines if line.startswith("#")), "")
        found[path.stem] = title
    return found


def read_topic(folder: Path, topic: str) -> str:
    """The Markdown of ``topic`` (``findings-format`` or ``findings-format.md``)."""
    known = topics(folder)
    if not known:
        raise PlangrafError("the documentation is missing from this installation", file=str(folder))
    name = topic.removesuffix(".md").removeprefix("docs/")
    starting = [k for k in known if k.startswith(name)]
    if name not in known and len(starting) == 1:  # a unique beginning: "findings" is findings-format
        name = starting[0]
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.6)
        hint = ("did you mean " + " or ".join(f"'{c}'" for c in close) + "? ") if close else ""
        raise PlangrafError(f"no documentation on '{topic}'; {hint}topics: {', '.join(known)}", field="topic")
    return (Path(folder) / f"{name}.md").read_text(encoding="utf-8")
