"""Start a researcher's own study: ``plangraf init DIR``.

The files come from ``plangraf/project_templates``: ``study.yaml`` with its fields explained,
one example municipality, a README on coding a document, a ``.gitignore`` and CI recipes for
GitHub Actions and GitLab CI that validate the study on every push.
"""

from __future__ import annotations

import datetime as dt
from importlib import metadata, resources
from pathlib import Path

from rdflib import Graph

from plangraf.core.atomic import write_atomic
from plangraf.core.errors import PlangrafError
from plangraf.outputs.scaffold import find_municipality
from plangraf.rdf.namespaces import slugify

#: template name -> where it goes in the new study
FILES = {
    "study.yaml": "study.yaml",
    "municipality.yaml": "{slug}.yaml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "github-workflow.yml": ".github/workflows/plangraf.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
}


def check_target(target: Path, *, force: bool) -> None:
    """Refuse a folder that is not empty (naming what is in it) unless ``force``."""
    if target.exists() and not target.is_dir():
        raise PlangrafError("not a folder", file=str(target))
    if force or not target.exists():
        return
    present = sorted(p.name for p in target.iterdir())
    if present:
        shown = ", ".join(present[:10]) + (f" and {len(present) - 10} more" if len(present) > 10 else "")
        raise PlangrafError(f"folder is not empty ({shown}); use --force to write into it anyway", file=str(target))


def _version() -> str:
    try:
        return metadata.version("plangraf")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0.1.0"


def template_values(target: Path, example: dict[str, str], today: dt.date) -> dict[str, str]:
    """The values filled into the templates: the study id from the folder name, the example
    municipality, and today's date for the day the study describes."""
    study_id = slugify(target.resolve().name) or "my-study"
    return {
        **example,
        "study_id": study_id,
        "title": f"{target.resolve().name}: a plangraf document study",
        "study_date": today.isoformat(),
        "population_date": f"{today.year}-01-01",
        "coder_id": "coder-1",
        "county": example["number"][:2],  # a municipality number starts with its county's
        "county_name": example["county"],
        "version": _version(),
    }


def init_study(
    target: Path, reference: Graph, *, example: str = "Bamble", force: bool = False, today: dt.date | None = None
) -> list[Path]:
    """Write a new study into ``target``; return the files written. Nothing is written when
    the folder is not empty (unless ``force``) or the example municipality is unknown."""
    check_target(target, force=force)
    day = today or dt.date.today()
    info = find_municipality(reference, example, on_date=day.isoformat())
    values = template_values(target, info, day)
    templates = resources.files("plangraf.outputs") / "project_templates"
    rendered = {
        name.format(**values): (templates / source).read_text("utf-8").format(**values)
        for source, name in FILES.items()
    }
    return [write_atomic(target / name, text) for name, text in rendered.items()]
