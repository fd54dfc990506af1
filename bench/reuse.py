"""Benchmark the reuse measure on a synthetic national study with planted copies of national text.

    python bench/reuse.py                          # 356 municipalities, a third of the documents with copies
    python bench/reuse.py -n 50 --share 0.5 --out /tmp/reuse.json

A synthetic study is generated with :func:`plangraf.study.synth.synthesize`; then
:func:`plangraf.reuse.plant.plant_copies` writes a text for every document, filler drawn from the
national texts' own vocabulary, with passages copied from the national texts (the reference
data's goal texts, plus ``--texts``, by default ``../shared/reference/guidance-texts`` when
present) planted in a share of them. The reuse pass (:func:`plangraf.reuse.measure.measure_study`,
everything from reading the study to the merged spans) is timed, and its spans in the document
texts are compared with the planted truth:

* recall: planted copies of at least ``--min-copy`` (12) words with a reported span covering at
  least half of the copy;
* precision: reported spans of at least ``--min-copy`` words that overlap a planted copy.

Targets (issue 14): under 60 s at 356 municipalities; recall and precision at least 0.95.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from plangraf.core.paths import Paths  # noqa: E402
from plangraf.graph.inputs import load_ontology, load_reference  # noqa: E402
from plangraf.reuse.measure import Reuse, measure_study, national_corpus  # noqa: E402
from plangraf.reuse.plant import plant_copies  # noqa: E402
from plangraf.study.synth import synthesize  # noqa: E402


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score(rows: list[Reuse], truth: list[dict[str, Any]], min_copy: int) -> dict[str, Any]:
    """Recall over planted copies of ``min_copy`` words or more; precision over reported spans as long."""
    spans = [r for r in rows if not r.finding]
    by_doc: dict[str, list[Reuse]] = {}
    for r in spans:
        by_doc.setdefault(r.document, []).append(r)
    planted = [t for t in truth if t["words"] >= min_copy]
    found = [
        t
        for t in planted
        if any(
            _overlap(t["start"], t["end"], r.start, r.end) * 2 >= t["end"] - t["start"]
            for r in by_doc.get(t["document"], [])
        )
    ]
    same_doc = [
        t
        for t in found
        if any(
            r.national_document == t["national_document"]
            for r in by_doc.get(t["document"], [])
            if _overlap(t["start"], t["end"], r.start, r.end)
        )
    ]
    truth_by_doc: dict[str, list[dict[str, Any]]] = {}
    for t in truth:
        truth_by_doc.setdefault(t["document"], []).append(t)
    long_spans = [r for r in spans if r.words >= min_copy]
    true_spans = [
        r
        for r in long_spans
        if any(_overlap(t["start"], t["end"], r.start, r.end) for t in truth_by_doc.get(r.document, []))
    ]
    return {
        "planted_copies": len(planted),
        "found": len(found),
        "recall": round(len(found) / len(planted), 4) if planted else None,
        "attributed_to_the_planted_document": round(len(same_doc) / len(found), 4) if found else None,
        "reported_spans": len(long_spans),
        "true_spans": len(true_spans),
        "precision": round(len(true_spans) / len(long_spans), 4) if long_spans else None,
        "spans_in_synthetic_quotes": sum(1 for r in rows if r.finding),
    }


def run(municipalities: int, share: float, seed: int, texts: Path | None, min_copy: int) -> dict[str, Any]:
    paths = Paths(root=ROOT)
    reference = load_reference(paths, load_ontology(paths))
    with tempfile.TemporaryDirectory(prefix="plangraf-reuse-bench-") as tmp:
        study = Path(tmp) / "study"
        summary = synthesize(municipalities, seed, study, reference)
        national = [(p.document, p.text) for p in national_corpus(paths.reference, texts)[0]]
        truth = plant_copies(study, national, share, seed)
        t0 = time.perf_counter()
        rows = measure_study(ROOT, study, texts)
        seconds = time.perf_counter() - t0
    result = {
        "municipalities": municipalities,
        "documents": summary["documents"],
        "quoted_findings_and_texts": None,
        "share_with_copies": share,
        "seed": seed,
        "national_texts": str(texts) if texts else None,
        "seconds": round(seconds, 2),
        "target_seconds": 60,
        **score(rows, truth, min_copy),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    result.pop("quoted_findings_and_texts")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--municipalities", type=int, default=356)
    parser.add_argument("--share", type=float, default=1 / 3, help="Share of documents with planted copies.")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "shared" / "reference" / "guidance-texts")
    parser.add_argument("--min-copy", type=int, default=12)
    parser.add_argument("--out", type=Path, default=None, help="Write the result as JSON here too.")
    args = parser.parse_args()
    texts = args.texts if args.texts and args.texts.is_dir() else None
    result = run(args.municipalities, args.share, args.seed, texts, args.min_copy)
    for key, value in result.items():
        print(f"{key:36} {value}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
