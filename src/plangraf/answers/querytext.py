"""What a SPARQL query's text asks for, read without running it: the features that would
fetch a URL (SERVICE, LOAD, FROM) and ``SELECT *``, with comments and strings set aside."""

from __future__ import annotations

import functools
import re
from typing import Any


def _walk(node: Any) -> Any:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for item in node:
            yield from _walk(item)


def network_features(text: str) -> list[str]:
    """SPARQL features in ``text`` that would fetch a URL (SERVICE, LOAD, FROM).

    Checked on the parse tree, so a keyword inside a string or comment does not count; a text
    without any of the keywords outside strings, comments and IRIs has none, unparsed.
    """
    if not _NETWORK_WORDS.search(mask_comments_and_strings(text)):
        return []
    return list(_network_features(text))


_NETWORK_WORDS = re.compile(r"(?<![?$:\w])(SERVICE|LOAD|FROM)\b(?!:)", re.IGNORECASE)  # not ?from, pg:from


# rdflib's parser takes 0.1-0.2 s for a shipped query, more than pyoxigraph needs to answer it;
# the parses depend on the text only, so each text is parsed once per process.
@functools.lru_cache(maxsize=256)
def _network_features(text: str) -> tuple[str, ...]:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    found: set[str] = set()
    tree: Any
    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - maybe an update
        try:
            tree = parseUpdate(text)
        except Exception:  # noqa: BLE001 - the real parse below reports the error
            return ()
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            found.add("SERVICE")
        elif node.name == "Load":
            found.add("LOAD")
        elif node.name == "DatasetClause":
            found.add("FROM")
    return tuple(sorted(found))


def mask_comments_and_strings(text: str) -> str:
    """Blank out comments and string literals (same length), so a search finds syntax only."""
    pattern = r'("""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|#[^\n]*|<[^<>\s]*>)'
    return re.sub(pattern, lambda m: " " * len(m.group(0)), text)


def selects_all(text: str) -> bool:
    """``SELECT *``: its columns are then taken as rdflib orders them (the rdflib path)."""
    return re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", mask_comments_and_strings(text), re.I) is not None
