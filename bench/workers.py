"""The bench's two in-process workers, each run as a process of its own by :mod:`commands` (so
its CPU time and peak memory are its own):

    python bench/workers.py queries ROOT STUDY RESULT --build-dir BUILD
    python bench/workers.py baseline ROOT STUDY RESULT

``queries``: the build's persistent store opened read-only, as ``plangraf query`` opens it
(:class:`plangraf.graph.current.Build` with ``rebuild=False``), and every shipped query run on it
in one process: seconds (wall and CPU) per query, and each answer's row count and digest.

``baseline``: the naive pipeline: one rdflib graph of ontology + reference + study (the same
loader), ``owlrl.DeductiveClosure(OWLRL_Semantics).expand()`` over everything, plangraf's
reflection records (``derive_reflections``: plangraf's data model, not OWL, so the same for
both), ``pyshacl.validate(..., inference='rdfs')`` with the project's shapes, and every shipped
query on the closure with rdflib. Its answers and Violations are compared with plangraf's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def digest(rows: list[Any]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def query_answers(target: Any, queries: Path) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, Any]]]:
    """Every shipped query of ``queries`` on ``target`` (a store or an rdflib graph): wall and CPU
    seconds by query, and each answer's row count and digest (of its sorted rows)."""
    from plangraf.answers.query import run_query, shipped_queries

    seconds: dict[str, dict[str, float]] = {}
    answers: dict[str, dict[str, Any]] = {}
    for name, query in shipped_queries(queries).items():
        t, c = time.perf_counter(), time.process_time()
        result = run_query(target, query)
        seconds[name] = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c}
        rows = sorted(
            json.dumps([row[c] for c in result.columns], ensure_ascii=False, default=str) for row in result.rows
        )
        answers[name] = {"rows": len(rows), "digest": digest(rows)}
    return seconds, answers


def worker_queries(root: Path, study: Path, build: Path) -> dict[str, Any]:
    from plangraf.core.paths import Paths
    from plangraf.graph.current import Build

    t = time.perf_counter()
    store = Build(Paths(root=root, data=study, out=build), rebuild=False).store()
    open_s = time.perf_counter() - t
    per_query, answers = query_answers(store, root / "queries")
    return {"open_s": open_s, "per_query": per_query, "answers": answers}


def violations(results: Any, shapes: Any) -> list[list[str]]:
    """The (shape, focus) of every Violation in pyshacl's results graph; a property shape is
    named by the node shape that holds it, as plangraf's report names it."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from plangraf.rdf.namespaces import SH

    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        shape = results.value(result, SH.sourceShape)
        if not isinstance(shape, URIRef):
            shape = next((p for p in shapes.subjects(SH.property, shape) if isinstance(p, URIRef)), shape)
        found.add((str(shape), str(results.value(result, SH.focusNode))))
    return sorted([list(v) for v in found])


def worker_baseline(root: Path, study: Path) -> dict[str, Any]:
    import owlrl
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    from plangraf.check.shacl import load_shapes
    from plangraf.core.paths import reference_files
    from plangraf.graph.reflections import derive_reflections
    from plangraf.study.loader import load_study

    out: dict[str, Any] = {"seconds": {}}
    t = time.perf_counter()
    graph = Graph()
    graph.parse(root / "ontology" / "plangraf.ttl", format="turtle")
    for path in reference_files(root / "data" / "reference"):
        graph.parse(path, format="turtle")
    study_graph, _report = load_study(study, graph)
    for triple in study_graph:
        graph.add(triple)
    out["seconds"]["load"] = time.perf_counter() - t
    out["triples_before"] = len(graph)
    _progress("baseline: owlrl closure")
    t = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    # the reflection records the queries look up (issue 10), derived over the closure
    for triple in derive_reflections(graph):
        graph.add(triple)
    out["seconds"]["inference"] = time.perf_counter() - t
    out["triples_after"] = len(graph)
    _progress("baseline: pyshacl inference='rdfs'")
    shapes = load_shapes(root / "ontology" / "shapes")
    t = time.perf_counter()
    conforms, results, _text = shacl_validate(
        graph, shacl_graph=shapes, inference="rdfs", advanced=True, allow_warnings=True, allow_infos=True
    )
    out["seconds"]["validation"] = time.perf_counter() - t
    found = violations(results, shapes)
    out["validation"] = {"conforms": bool(conforms), "violations": len(found), "violations_digest": digest(found)}
    _progress("baseline: queries on rdflib")
    t = time.perf_counter()
    per_query, out["answers"] = query_answers(graph, root / "queries")
    out["seconds"]["queries"] = time.perf_counter() - t
    out["slowest_query"] = max(per_query.items(), key=lambda kv: kv[1]["cpu_s"])[0]
    return out


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("queries", "baseline"))
    parser.add_argument("root", type=Path)
    parser.add_argument("study", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--build-dir", type=Path)
    args = parser.parse_args()
    if args.kind == "queries":
        out = worker_queries(args.root, args.study, args.build_dir)
    else:
        out = worker_baseline(args.root, args.study)
    args.result.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
