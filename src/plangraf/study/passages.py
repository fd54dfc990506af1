"""The findings rules of one document: one passage, one finding; an element present or absent, not both.

``docs/findings-format.md`` ("One passage, one finding", "Absence") states the rules; the
loader applies them before it writes a triple:

- two findings of one document with the same passage (the same text once spacing, case,
  quotation marks and a final full stop are set aside) are one finding recorded twice: merge
  them and give the finding every section that holds the passage;
- an eGovWSF element listed under ``elements`` of one finding and ``absent_elements`` of
  another (or the same) finding of one document says both that the document has the element
  and that it lacks it.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from plangraf.core.errors import PlangrafError
from plangraf.core.yamlio import Path_

_QUOTES = re.compile(r"[«»“”\"'‘’]")


class FailContext(Protocol):
    def fail(self, message: str, here: Path_) -> PlangrafError: ...


def passage_key(text: str) -> str:
    """What makes two passages the same: their words, apart from spacing, case, quotation marks
    and a final full stop."""
    words = " ".join(_QUOTES.sub("", text).casefold().split())
    return words.rstrip(" .")


def check_document_passages(doc: dict[str, Any], ctx: FailContext, here: Path_) -> None:
    """Fail on the first finding that repeats another's passage or contradicts its elements."""
    texts: dict[str, str] = {}
    present: dict[str, str] = {}
    absent: dict[str, str] = {}
    for j, finding in enumerate(doc.get("findings", [])):
        fhere = here + ("findings", j)
        key = passage_key(finding["text"])
        if key in texts:
            raise ctx.fail(
                f"finding '{finding['id']}' has the same passage as '{texts[key]}': one passage, one finding "
                "(merge them and list every section in source)",
                fhere + ("text",),
            )
        texts[key] = finding["id"]
        _check_elements(finding, fhere, ctx, present, absent)


def _check_elements(
    finding: dict[str, Any], here: Path_, ctx: FailContext, present: dict[str, str], absent: dict[str, str]
) -> None:
    for element in finding.get("elements", []):
        present.setdefault(element, finding["id"])
    for element in finding.get("absent_elements", []):
        absent.setdefault(element, finding["id"])
    for element in sorted(set(present) & set(absent)):
        if finding["id"] in (present[element], absent[element]):
            raise ctx.fail(
                f"eGovWSF element '{element}' is present in finding '{present[element]}' and absent in finding "
                f"'{absent[element]}' of the same document; an element is present or absent, not both",
                here + ("absent_elements" if absent[element] == finding["id"] else "elements",),
            )
