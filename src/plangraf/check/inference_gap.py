"""Explain a validation of a graph that lacks the OWL RL inferences some shapes rely on.

Some shapes answer rightly only on the asserted triples together with their inferences (they
carry ``pg:reliesOnInference``). A graph that plangraf did not build — a file, an export
without the inferred triples, an endpoint that holds only the asserted graph — may lack them,
and then such a shape reports every focus node it reads through an entailment (every finding
lacks ``pg:inDocument``: 96 Violations on the 2020 study).

:func:`explain_missing_inference` tells this apart from real Violations by adding the
inferences and validating again: the results of relying shapes that go away are replaced by
one result, of severity Violation, that says the graph lacks the inferences, how many
results came from which shape, and how to get the inferred graph. Results of relying shapes
that stay, and every result of the other shapes, are kept as they are. A graph that already
holds its inferences (nothing new is entailed) is not validated again.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
from rdflib import Graph, URIRef

from plangraf.check.results import ValidationIssue, ValidationReport, short_name
from plangraf.core.paths import Paths
from plangraf.rdf.namespaces import PG

GAP_SHAPE = "plangraf inference"
"""The ``shape`` of the result that explains a graph without its inferences."""


def relying_shapes(shapes: Graph) -> set[str]:
    """The IRIs of the shapes marked ``pg:reliesOnInference``."""
    return {str(s) for s in shapes.subjects(PG.reliesOnInference, None) if isinstance(s, URIRef)}


def vocabulary_of(paths: Paths) -> Graph:
    """The ontology and the imported vocabularies' axioms: what a build infers from."""
    from plangraf.graph.inputs import load_imports, load_ontology

    return load_imports(paths, into=load_ontology(paths))


def _key(issue: ValidationIssue) -> tuple[str, str, str | None, str | None]:
    return issue.shape, issue.focus, issue.path, issue.value


def explain_missing_inference(
    data: Graph | ox.Store, shapes: Graph, report: ValidationReport, vocabulary: Graph, *, engine: str
) -> ValidationReport:
    """``report`` (of ``data`` against ``shapes``), with the results that only the missing
    inferences cause replaced by one explaining result; ``report`` itself when there are none.

    ``vocabulary`` is the ontology and its imported vocabularies, added before inferring so that
    a graph without them is judged by the same axioms as a build."""
    from plangraf.check.shacl import as_graph, validate_graph
    from plangraf.graph.inference import infer

    relying = relying_shapes(shapes)
    suspect = [i for i in report.issues if i.shape in relying]
    if not suspect:
        return report
    graph = as_graph(data)
    premises = Graph()
    premises += graph
    premises += vocabulary
    entailed = [t for t in infer(premises) if t not in graph]
    if not entailed:  # the graph holds its inferences: its results stand
        return report
    completed = Graph()
    completed += premises
    completed.addN((s, p, o, completed) for s, p, o in entailed)
    again = validate_graph(completed, shapes, engine=engine)
    kept = {_key(i) for i in again.issues if i.shape in relying}
    artefacts = [i for i in suspect if _key(i) not in kept]
    if not artefacts:
        return report
    hidden = len({_key(i) for i in again.issues if i.shape in relying} - {_key(i) for i in suspect})
    dropped = {id(i) for i in artefacts}
    issues = [i for i in report.issues if id(i) not in dropped]
    issues.append(gap_issue(Counter(i.shape for i in artefacts), len(report.issues), hidden))
    return ValidationReport(conforms=False, issues=issues)


def gap_issue(by_shape: Counter[str], total: int, hidden: int = 0) -> ValidationIssue:
    """The one result that says the graph lacks the inferences its shapes rely on."""
    count = sum(by_shape.values())
    shapes_en = ", ".join(f"{short_name(s)}: {n}" for s, n in sorted(by_shape.items()))
    hidden_en = f" With the inferences, these shapes report {hidden} result(s) that this graph hides." if hidden else ""
    hidden_nb = f" Med slutningene gir disse formene {hidden} resultat(er) som denne grafen skjuler." if hidden else ""
    english = (
        f"The graph lacks the OWL RL inferences that the shapes marked pg:reliesOnInference rely on: "
        f"{count} of its {total} results come from such shapes ({shapes_en}) and go away once the "
        f"inferences are added, so they are not listed one by one.{hidden_en} Validate the asserted "
        "graph together with its inferred graph: the study's build (plangraf validate in the study "
        "folder), an export with the inferred triples (plangraf export includes them by default), a "
        "release's graph.trig (both named graphs) or an endpoint that holds the inferred graph beside "
        "the asserted one."
    )
    norwegian = (
        f"Grafen mangler OWL RL-slutningene som formene merket pg:reliesOnInference forutsetter: "
        f"{count} av de {total} resultatene kommer fra slike former ({shapes_en}) og forsvinner når "
        f"slutningene legges til, så de listes ikke hver for seg.{hidden_nb} Valider den påståtte grafen "
        "sammen med den sluttede: studiens bygg (plangraf validate i studiemappen), en eksport med de "
        "sluttede triplene (plangraf export tar dem med som standard), graph.trig i en utgivelse (begge "
        "navngitte grafer) eller et endepunkt som har den sluttede grafen ved siden av den påståtte."
    )
    return ValidationIssue(
        severity="Violation",
        shape=GAP_SHAPE,
        focus="",
        path=None,
        value=None,
        message=english,
        messages={"en": english, "nb": norwegian},
    )
