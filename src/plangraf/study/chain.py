"""The municipality's own chain: goals that follow up goals, budget lines that fund them.

A document in a study file may list ``goals`` (each may ``follows_up`` other municipal goals
or national and regional goals, with the basis of that link) and ``budget_lines`` (each may
``funds`` municipal goals of the same municipality). It may also give its ``legal_basis``
(provisions such as ``pbl § 11-1``), who adopted it (``adopted_by``, ``case_number``) and the
work it is a version of (``version_of``). The checks here run before anything is written: an
unknown id, a loop, or a budget line funding another municipality's goal stops the load with
one line naming the file and field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rdflib import Literal, URIRef

from plangraf.core.errors import PlangrafError
from plangraf.rdf.namespaces import DCTERMS, PG, PGID, PROV, RDF, RDFS, XSD, concept_iri, guidance_iri
from plangraf.reference.legal_bases import KOML, KOML_1992, PBL
from plangraf.study.links import Defaults, TripleSink

Path_ = tuple[str | int, ...]

# Short names a study file may use for the acts in ``legal_basis``.
LAW_NAMES = {"pbl": PBL, "koml": KOML, "koml-1992": KOML_1992}
# Plan levels a budget line may be recorded in.
BUDGET_LEVELS = {"budget", "okonomiplan", "handlingsdel"}


class Ctx(Protocol):
    def fail(self, message: str, here: Path_) -> PlangrafError: ...


def goal_iri(goal_id: str) -> URIRef:
    return PGID[f"municipal-goal/{goal_id}"]


def budget_line_iri(line_id: str) -> URIRef:
    return PGID[f"budget-line/{line_id}"]


def provision_for(text: str) -> str:
    """``pbl § 11-1`` -> ``LOV-2008-06-27-71/section/11-1`` (the id under ``law/``)."""
    name, _, number = text.partition(" § ")
    return f"{LAW_NAMES.get(name, name)}/section/{number}"


@dataclass
class _Where:
    ctx: Ctx
    here: Path_
    owner: str


@dataclass
class ChainIndex:
    """Every goal and budget line of a study, with where it was read and its municipality."""

    goals: dict[str, _Where] = field(default_factory=dict)
    lines: dict[str, _Where] = field(default_factory=dict)
    follows: dict[str, list[str]] = field(default_factory=dict)


def plan_levels(doc: dict[str, Any]) -> list[str]:
    """A document's plan levels: ``plan_level`` is one level or a list of them."""
    value = doc["plan_level"]
    return [value] if isinstance(value, str) else list(value)


def _index_document(doc: dict[str, Any], here: Path_, ctx: Ctx, owner: str, index: ChainIndex) -> None:
    for kind, items, key in (("goal", index.goals, "goals"), ("budget line", index.lines, "budget_lines")):
        for j, item in enumerate(doc.get(key, [])):
            where = here + (key, j, "id")
            if item["id"] in index.goals or item["id"] in index.lines:
                raise ctx.fail(f"duplicate {kind} id '{item['id']}'", where)
            items[item["id"]] = _Where(ctx, where, owner)
    if doc.get("budget_lines") and not set(plan_levels(doc)) & BUDGET_LEVELS:
        raise ctx.fail(
            f"budget lines belong in a document at plan level {', '.join(sorted(BUDGET_LEVELS))}",
            here + ("budget_lines",),
        )


def index_chain(parsed: Sequence[tuple[dict[str, Any], Ctx]]) -> ChainIndex:
    index = ChainIndex()
    for data, ctx in parsed:
        for i, doc in enumerate(data.get("documents", [])):
            _index_document(doc, ("documents", i), ctx, doc.get("owner", data["municipality"]), index)
    return index


def _check_follow_up(item: dict[str, Any], where: Path_, ctx: Ctx, index: ChainIndex, check: ChainCheck) -> None:
    target = item["goal"]
    if target not in index.goals and target not in check.guidance:
        raise ctx.fail(
            f"unknown goal '{target}': neither a municipal goal of the study nor a guidance id", where + ("goal",)
        )
    if item["basis"] == "stated" and "cited" not in item:
        raise ctx.fail("a stated follow-up needs cited: the section where the source states it", where + ("cited",))
    coder = item.get("coder") or (check.defaults.coder if item["basis"] == "coded" else None)
    if item["basis"] == "coded" and coder is None:
        raise ctx.fail("a coded follow-up needs a coder (or a default coder in study.yaml)", where + ("coder",))
    if coder is not None and coder not in check.coders:
        raise ctx.fail(f"unknown coder '{coder}'; listed in study.yaml: {sorted(check.coders)}", where + ("coder",))


def _check_goals(doc: dict[str, Any], here: Path_, ctx: Ctx, index: ChainIndex, check: ChainCheck) -> None:
    for j, goal in enumerate(doc.get("goals", [])):
        for k, item in enumerate(goal.get("follows_up", [])):
            _check_follow_up(item, here + ("goals", j, "follows_up", k), ctx, index, check)
            if item["goal"] in index.goals:
                index.follows.setdefault(goal["id"], []).append(item["goal"])
    for j, line in enumerate(doc.get("budget_lines", [])):
        mine = index.lines[line["id"]].owner
        for k, funded in enumerate(line.get("funds", [])):
            where = here + ("budget_lines", j, "funds", k)
            if funded not in index.goals:
                raise ctx.fail(f"unknown municipal goal '{funded}'", where)
            if index.goals[funded].owner != mine:
                raise ctx.fail(
                    f"budget line of {mine} funds goal '{funded}' of {index.goals[funded].owner}; "
                    "a budget funds only its own municipality's goals",
                    where,
                )


def _check_legal_basis(doc: dict[str, Any], here: Path_, ctx: Ctx, check: ChainCheck) -> None:
    for j, text in enumerate(doc.get("legal_basis", [])):
        if provision_for(text) not in check.provisions:
            known = sorted(f"{n} § {p.rsplit('/', 1)[1]}" for n, law in LAW_NAMES.items() for p in check.provisions
                           if p.startswith(f"{law}/section/"))  # fmt: skip
            raise ctx.fail(f"unknown provision '{text}'; known: {', '.join(known)}", here + ("legal_basis", j))
    version = doc.get("version_of")
    if version is not None and version == doc["id"]:
        raise ctx.fail("a document is not a version of itself; name the work (another id)", here + ("version_of",))


def _find_loop(start: str, follows: dict[str, list[str]]) -> list[str] | None:
    """The first cycle reachable from ``start`` (as a list of ids), or None."""
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return path[path.index(node) :] + [node]
        if node in done:
            return None
        path.append(node)
        on_path.add(node)
        for nxt in follows.get(node, []):
            found = visit(nxt)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    return visit(start)


@dataclass
class ChainCheck:
    """What the chain checks compare against: reference ids, coders and defaults."""

    guidance: set[str]
    provisions: set[str]
    coders: set[str]
    defaults: Defaults


def check_chain(parsed: Sequence[tuple[dict[str, Any], Ctx]], check: ChainCheck) -> ChainIndex:
    """Check goals, follow-ups, budget lines and legal bases across the whole study."""
    index = index_chain(parsed)
    for data, ctx in parsed:
        for i, doc in enumerate(data.get("documents", [])):
            _check_goals(doc, ("documents", i), ctx, index, check)
            _check_legal_basis(doc, ("documents", i), ctx, check)
    for goal_id in sorted(index.follows):
        loop = _find_loop(goal_id, index.follows)
        if loop:
            where = index.goals[loop[0]]
            raise where.ctx.fail(f"follow-up chain loops: {' -> '.join(loop)}", where.here[:-1] + ("follows_up",))
    return index


def _target_iri(target: str, index_goals: set[str]) -> URIRef:
    return goal_iri(target) if target in index_goals else guidance_iri(target)


def _emit_item(graph: TripleSink, node: URIRef, kind: URIRef, item: dict[str, Any], section: Any) -> None:
    """Type, identifier, text (quote or summary), note and source section of a goal or line."""
    graph.add((node, RDF.type, kind))
    graph.add((node, DCTERMS.identifier, Literal(item["id"])))
    graph.add((node, RDFS.label, Literal(item["text"], lang="nb")))
    # the document's words as the source quotes them, or the source's summary of them
    # (not pg:evidenceKind, whose domain would make the goal a finding)
    words = PG.quote if item["evidence"] == "quote" else PG.summary
    graph.add((node, words, Literal(item["text"], lang="nb")))
    if "note" in item:
        graph.add((node, PG.note, Literal(item["note"], lang="en")))
    section(node, item["source"])


def _emit_follow_up(
    graph: TripleSink, goal: URIRef, item: dict[str, Any], target: URIRef, defaults: Defaults, section: Any
) -> None:
    node = URIRef(f"{goal}/follows-up/{item['goal']}")
    graph.add((goal, PG.followsUp, target))
    graph.add((node, RDF.type, PG.FollowUp))
    graph.add((node, PG.followUpFrom, goal))
    graph.add((node, PG.followUpOf, target))
    graph.add((node, PG.followUpBasis, concept_iri("basis", item["basis"])))
    coder = item.get("coder") or (defaults.coder if item["basis"] == "coded" else None)
    if coder:
        graph.add((node, PROV.wasAttributedTo, PGID[f"agent/{coder}"]))
    if "cited" in item:
        section(node, item["cited"], PG.citedSection)
    if "note" in item:
        graph.add((node, PG.note, Literal(item["note"], lang="en")))


def emit_document_chain(
    graph: TripleSink, doc: dict[str, Any], document: URIRef, goals: set[str], defaults: Defaults, section: Any
) -> None:
    """Write a document's goals, follow-ups, budget lines, legal basis and adoption."""
    for goal in doc.get("goals", []):
        g = goal_iri(goal["id"])
        _emit_item(graph, g, PG.MunicipalGoal, goal, section)
        graph.add((g, PG.statedIn, document))
        for item in goal.get("follows_up", []):
            _emit_follow_up(graph, g, item, _target_iri(item["goal"], goals), defaults, section)
    for line in doc.get("budget_lines", []):
        b = budget_line_iri(line["id"])
        _emit_item(graph, b, PG.BudgetLine, line, section)
        graph.add((b, PG.budgetLineOf, document))
        if "amount" in line:
            graph.add((b, PG.amount, Literal(str(line["amount"]), datatype=XSD.decimal)))
        for funded in line.get("funds", []):
            graph.add((b, PG.funds, goal_iri(funded)))
    _emit_adoption(graph, doc, document)


def _emit_adoption(graph: TripleSink, doc: dict[str, Any], document: URIRef) -> None:
    for text in doc.get("legal_basis", []):
        graph.add((document, PG.statedBasis, PGID[f"law/{provision_for(text)}"]))
    if "adopted_by" in doc:
        graph.add((document, PG.adoptedBy, concept_iri("adopting-body", doc["adopted_by"])))
    if "case_number" in doc:
        graph.add((document, PG.caseNumber, Literal(doc["case_number"])))
    if "version_of" in doc:
        graph.add((document, DCTERMS.isVersionOf, PGID[f"work/{doc['version_of']}"]))
