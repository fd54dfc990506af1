"""The result of a SHACL run: one issue per result, with severity, focus node, path, shape and messages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from plangraf.rdf.namespaces import SH

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


NO_LANGUAGE = "und"  # BCP 47 "undetermined": a message without a language tag (pyshacl's own)


@dataclass
class ValidationIssue:
    """One SHACL result. ``message`` is the English message (else an untagged one, else any);
    ``messages`` holds every message of the result by language (``"und"``: no language tag)."""

    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    messages: dict[str, str] = field(default_factory=dict)
    # the focus node as N-Triples (``<iri>``, ``_:label``); None for a literal or unknown
    focus_key: str | None = field(default=None, compare=False, repr=False)


@dataclass
class ValidationReport:
    conforms: bool
    issues: list[ValidationIssue] = field(default_factory=list)
    engine: str = field(default="", compare=False)  # the engine that made it: "compiled" or "pyshacl"

    @property
    def counts(self) -> Counter[str]:
        return Counter(i.severity for i in self.issues)

    @property
    def has_violations(self) -> bool:
        return any(i.severity == "Violation" for i in self.issues)

    def render(self) -> str:
        """A readable report: one line an issue, grouped by severity, then totals."""
        lines: list[str] = []
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        for issue in sorted(self.issues, key=lambda i: (order.get(i.severity, 3), i.shape, i.focus)):
            where = short_name(issue.focus)
            path = f" {short_name(issue.path)}" if issue.path else ""
            value = f" = {short_name(issue.value)}" if issue.value and issue.value != issue.focus else ""
            lines.append(
                f"{issue.severity:<9} {short_name(issue.shape)}  {where}{path}{value}\n          {issue.message}"
            )
        c = self.counts
        total = f"{c.get('Violation', 0)} violation(s), {c.get('Warning', 0)} warning(s), {c.get('Info', 0)} info"
        verdict = "Conforms: no violations." if not self.has_violations else "Does not conform."
        lines.append(f"{verdict} {total}.")
        return "\n".join(lines)


def short_name(term: str | None) -> str:
    """A compact, readable name: ``pgid:municipality/karmoy``, ``pgsh:NoHandlingsdel``."""
    if term is None:
        return ""
    for prefix, namespace in _SHORT_NAMES:
        if term.startswith(namespace):
            return prefix + term[len(namespace) :]
    return f"<{term}>" if term.startswith("http") else term


_SHORT_NAMES = [
    ("pgsh:", "https://w3id.org/plangraf/shapes#"),
    ("pgid:", "https://w3id.org/plangraf/id/"),
    ("pg:", "https://w3id.org/plangraf/ontology#"),
    ("dcterms:", "http://purl.org/dc/terms/"),
    ("dcat:", "http://www.w3.org/ns/dcat#"),
    ("skos:", "http://www.w3.org/2004/02/skos/core#"),
    ("prov:", "http://www.w3.org/ns/prov#"),
    ("adms:", "http://www.w3.org/ns/adms#"),
    ("oa:", "http://www.w3.org/ns/oa#"),
]
