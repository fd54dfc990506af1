"""Opening a build's on-disk pyoxigraph store, without rdflib (a query command on the store
imports no rdflib: its import costs more than most answers take)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def open_store(folder: Path) -> ox.Store:
    """An on-disk store written by :func:`plangraf.rdf.bridge.write_store`, opened read-only (no
    lock taken, so any number of commands can read it at once). A missing or damaged store
    raises ``OSError``."""
    if not (folder / "CURRENT").is_file():
        raise OSError(f"{folder}: not a store")
    return ox.Store.read_only(str(folder))
