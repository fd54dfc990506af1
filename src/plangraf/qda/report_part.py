"""The report's coder parts: who coded each finding, and agreement when more than one coder coded.

Read from the graph (format v2: ``pg:Link`` nodes with ``pg:linkOf``, ``oa:hasBody``,
``pg:relation``, ``pg:basis`` and ``prov:wasAttributedTo``), so the report needs no study folder.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Graph, URIRef

from plangraf.qda.agreement import OVERLAP_RULE, agreement
from plangraf.rdf.namespaces import FOAF, OA, PG, PGID, PROV, RDFS, nb_label


def _local(node: Any, prefix: str) -> str:
    text = str(node)
    base = str(PGID) + prefix
    return text[len(base) :] if text.startswith(base) else text


def _name(graph: Graph, agent: Any) -> str:
    return str(graph.value(agent, FOAF.name) or graph.value(agent, RDFS.label) or _local(agent, "agent/"))


def finding_coders(graph: Graph) -> dict[str, list[str]]:
    """Finding IRI -> the names of the coders of its coded links."""
    out: dict[str, set[str]] = defaultdict(set)
    for link, finding in graph.subject_objects(PG.linkOf):
        if _local(graph.value(link, PG.basis), "basis/") not in ("coded", "None"):
            continue
        for agent in graph.objects(link, PROV.wasAttributedTo):
            out[str(finding)].add(_name(graph, agent))
    return {finding: sorted(names) for finding, names in out.items()}


def add_coders(graph: Graph, findings: dict[str, dict[str, Any]]) -> None:
    """Give each report finding record (keyed by finding id) a ``coders`` list."""
    coders = finding_coders(graph)
    for fid, record in findings.items():
        record["coders"] = coders.get(str(PGID) + "finding/" + fid, [])


def documents_from_graph(graph: Graph) -> list[dict[str, Any]]:
    """The study's documents, findings and coded links as the agreement module reads them."""
    docs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for link, finding in graph.subject_objects(PG.linkOf):
        basis = _local(graph.value(link, PG.basis), "basis/")
        agent = graph.value(link, PROV.wasAttributedTo)
        body = graph.value(link, OA.hasBody)
        if basis != "coded" or agent is None or body is None:
            continue
        record = {"guidance": _local(body, "guidance/"), "how": _local(graph.value(link, PG.relation), "relation/")}
        links[str(finding)].append({**record, "basis": "coded", "coder": _local(agent, "agent/")})
    for finding_iri, items in links.items():
        finding = URIRef(finding_iri)
        doc = graph.value(finding, PG.inDocument)
        exact = graph.value(graph.value(graph.value(finding, OA.hasTarget), OA.hasSelector), OA.exact)
        text = exact or graph.value(finding, PG.summary) or finding_iri
        docs[str(doc)].append({"text": str(text), "reflects": items})
    return [{"id": doc, "findings": findings} for doc, findings in sorted(docs.items())]


def agreement_block(graph: Graph) -> dict[str, Any] | None:
    """Agreement by document and by passage for the report; None with fewer than two coders."""
    documents = documents_from_graph(graph)
    blocks = {}
    for unit in ("document", "passage"):
        result = agreement(documents, {}, unit)
        if len(result.coders) < 2:
            return None
        rows = []
        for code, m in [*result.per_code.items(), ("", result.overall)]:
            label = nb_label(graph, URIRef(str(PGID) + "guidance/" + code), code) if code else "Alle koder"
            rows.append({"code": code, "label": label, "m": m})
        blocks[unit] = rows
        coders = result.coders
    pairs = [(a, b) for i, a in enumerate(coders) for b in coders[i + 1 :]]
    return {"coders": coders, "pairs": pairs, "units": blocks, "overlap_rule": OVERLAP_RULE}
