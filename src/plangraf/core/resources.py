"""Where plangraf's own files are: the ontology, shapes, queries and reference data.

In a checkout they are the top-level folders ``ontology/``, ``queries/`` and
``data/reference/``. An installed wheel carries copies of them inside the package, as
``plangraf/_share/ontology``, ``plangraf/_share/queries`` and ``plangraf/_share/data/reference``
(the mapping is in pyproject.toml), read with :mod:`importlib.resources`. Both have the
same layout, so :class:`plangraf.core.paths.Paths` takes either as its ``root``.

A researcher's study is never inside that folder: it is the current folder when that holds
a ``study.yaml`` (what ``plangraf init`` makes), or the folder passed with ``--data``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: the file whose presence marks a folder as plangraf's resource root
MARKER = Path("ontology") / "plangraf.ttl"


def source_root() -> Path | None:
    """The checkout this module runs from (``src/plangraf/core/../../..``), if it is one."""
    here = Path(__file__).resolve().parents[3]
    return here if (here / MARKER).is_file() else None


def packaged_root() -> Path | None:
    """The resource folder inside the installed package, if the wheel carries one."""
    shared = resources.files("plangraf") / "_share"
    if isinstance(shared, Path) and (shared / MARKER).is_file():
        return shared
    return None


def home() -> Path:
    """The resource root: ``$PLANGRAF_HOME``, else the checkout, else the installed package's
    copy, else the current folder (whose missing files are then reported by name)."""
    env = os.environ.get("PLANGRAF_HOME")
    if env:
        return Path(env)
    return source_root() or packaged_root() or Path.cwd()


def is_packaged(root: Path) -> bool:
    """True when ``root`` is the installed package's read-only copy (never write there)."""
    packaged = packaged_root()
    return packaged is not None and Path(root).resolve() == packaged.resolve()


def current_study() -> Path | None:
    """The current folder when it is a study (it holds ``study.yaml``)."""
    here = Path.cwd()
    return here if (here / "study.yaml").is_file() else None


def default_study(root: Path) -> Path:
    """The study read when none is named: the current folder if it is a study, else the
    shipped 2020 study of a checkout."""
    return current_study() or Path(root) / "data" / "study-2020"


def default_build(root: Path) -> Path:
    """The build folder when none is named: ``build/`` of the current study, of the current
    folder for an installed plangraf, else of the checkout."""
    study = current_study()
    if study is not None:
        return study / "build"
    if is_packaged(root):
        return Path.cwd() / "build"
    return Path(root) / "build"
