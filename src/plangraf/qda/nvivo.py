"""What NVivo writes differently from the other tools (FACTS.md), where import must allow for it."""

from __future__ import annotations

import datetime as dt

from plangraf.qda.refi_read import Project


def nvivo_dates(project: Project) -> str:
    """Where an NVivo project's coding dates are: ``selection`` or ``none``.

    NVivo's ``Coding@creationDateTime`` is the export time; NVivo for Windows 12.6 also stamped
    every selection within minutes of the export (FACTS.md). Selection stamps are taken as coding
    dates unless there are none, or several that all fall within one hour: that is an export.
    """
    stamps = set()
    for source in project.sources:
        for sel in source.selections:
            try:
                stamp = dt.datetime.fromisoformat(sel.created.replace("Z", "+00:00"))
            except ValueError:
                continue
            stamps.add(stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC))  # no zone: read as UTC
    if not stamps:
        return "none"
    spread = max(stamps) - min(stamps)
    return "none" if len(stamps) > 1 and spread <= dt.timedelta(hours=1) else "selection"
