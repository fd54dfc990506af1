"""Time and memory of the reuse pass on long texts (issue 25, item 6): linear in the text.

    python bench/reuse_scale.py                      # 22,600 and 136,000 words and a 50 MB saved page
    python bench/reuse_scale.py --sizes 22600 --no-page

The thesis's own text (``../shared/sources``, 22,600 words, which quotes the national texts) is
measured as it is. Each other text is municipal-style prose (the generator of ``bench/reuse_edits.py``: the study's own
findings recombined, no national text in it) with a national passage planted every 2,000 words.
The saved page is that prose as HTML, 50 MB with a menu, a cookie banner and a footer; it is
extracted with the ingest's HTML extractor in one process, and the reuse pass runs on the
extracted text in another. Every measurement runs in a fresh process, which reports its wall
time, its CPU time (the machine's two cores are shared) and its peak resident memory
(``ru_maxrss``: everything the process held, imports included). The reuse pass is
:func:`plangraf.reuse.measure.measure` of the text against the reference data and
``../shared/reference/guidance-texts``, from reading the text to the merged
spans. Targets: the 50 MB page within 60 s and 1 GB; time growing no faster than the text.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

TEXTS = ROOT.parent / "shared" / "reference" / "guidance-texts"
PAGE_MB = 50


def _prose_words(words: int, seed: int) -> str:
    from reuse_edits import Prose, national_runs, prose_source

    from plangraf.reuse.citation import Titles
    from plangraf.reuse.measure import national_corpus

    rng = random.Random(seed)
    national, titles = national_corpus(ROOT / "data" / "reference", TEXTS)
    prose = Prose(prose_source("\n".join(p.text for p in national)), rng)
    runs = national_runs(national, Titles.of(titles))
    paragraphs, count, next_copy = [], 0, 2000
    while count < words:
        sentences = [prose.sentence() for _ in range(rng.randint(3, 8))]
        if count >= next_copy:
            sentences.append(rng.choice(runs)[1])
            next_copy += 2000
        paragraphs.append(" ".join(sentences))
        count += sum(len(s.split()) for s in sentences)
    return "\n\n".join(paragraphs) + "\n"


def _page(megabytes: int, seed: int) -> str:
    """A saved web page of about ``megabytes`` MB: menu, cookie banner, paragraphs, footer."""
    block = _prose_words(40_000, seed)
    body = "".join(f"<p>{p}</p>\n" for p in block.split("\n\n"))
    head = (
        "<!DOCTYPE html><html lang=nb><head><meta charset=utf-8><title>Handlingsplan</title></head><body>\n"
        "<nav><ul>" + "".join(f"<li><a href='/side{n}'>Meny {n}</a></li>" for n in range(40)) + "</ul></nav>\n"
        "<div class=cookie>Vi bruker informasjonskapsler. <button>Godta</button></div>\n<main>\n"
    )
    foot = "</main><footer>Kommune · Postboks 1 · Telefon 12 34 56 78</footer></body></html>\n"
    repeat = max(1, (megabytes * 1_000_000 - len(head) - len(foot)) // len(body.encode("utf-8")) + 1)
    return head + body * repeat + foot


def _child(kind: str, path: str) -> None:
    """In a fresh process: extract a page, or run the reuse pass on a text; print JSON."""
    t0 = time.perf_counter()
    start = resource.getrusage(resource.RUSAGE_SELF)
    c0 = start.ru_utime + start.ru_stime
    if kind == "extract":
        from plangraf.reuse.extract import EXTRACTORS

        raw = Path(path).read_bytes()
        text = EXTRACTORS["html"](raw, Path(path)).text
        Path(path).with_suffix(".txt").write_text(text, encoding="utf-8")
        out: dict[str, Any] = {"characters": len(text)}
    else:
        from plangraf.reuse.corpus import Passage
        from plangraf.reuse.measure import measure, national_corpus

        national, titles = national_corpus(ROOT / "data" / "reference", TEXTS)
        text = Path(path).read_text(encoding="utf-8")
        passage = Passage(text, "bench", "texts/bench.txt", "bench")
        rows = measure([passage], national, titles=titles)
        out = {"words": len(passage.seq), "spans": len(rows)}
    out["seconds"] = round(time.perf_counter() - t0, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime - c0, 2)
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


def _run(kind: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[22_600, 136_000])
    parser.add_argument("--no-page", action="store_true", help="Leave out the 50 MB saved page.")
    parser.add_argument(
        "--thesis",
        type=Path,
        default=ROOT.parent / "shared" / "sources" / "000_05322923a5d30b02.txt",
        help="The thesis's own text (22,600 words), measured too when present.",
    )
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--out", type=Path, default=None, help="Write the result as JSON here too.")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="plangraf-reuse-scale-") as tmp:
        if args.thesis and args.thesis.is_file():
            results.append({"input": "the thesis (OCR text)", **_run("reuse", args.thesis)})
        for words in args.sizes:
            path = Path(tmp) / f"text-{words}.txt"
            path.write_text(_prose_words(words, args.seed), encoding="utf-8")
            results.append({"input": f"{words:,} words", **_run("reuse", path)})
        if not args.no_page:
            page = Path(tmp) / "page.html"
            page.write_text(_page(PAGE_MB, args.seed), encoding="utf-8")
            size = round(page.stat().st_size / 1_000_000, 1)
            results.append({"input": f"saved page {size} MB: extract", **_run("extract", page)})
            reuse = _run("reuse", page.with_suffix(".txt"))
            results.append({"input": f"saved page {size} MB: reuse", **reuse})
            met = reuse["seconds"] <= 60 and reuse["peak_mb"] <= 1024
            results[-1]["target"] = "≤ 60 s and ≤ 1 GB: " + ("met" if met else "not met")
    print("| input | words | spans | seconds | CPU seconds | peak MB | target |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['input']} | {r.get('words', '')} | {r.get('spans', '')} | {r['seconds']} | {r['cpu_seconds']} "
            f"| {r['peak_mb']} | {r.get('target', '')} |"
        )
    if args.out:
        meta = {"python": platform.python_version(), "machine": platform.machine()}
        args.out.write_text(json.dumps({"results": results, **meta}, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
