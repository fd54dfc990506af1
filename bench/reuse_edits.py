"""The reuse benchmark of issue 25: edited copies in full-length municipal-style documents.

    python bench/reuse_edits.py                    # 40 documents of 5,000–30,000 words
    python bench/reuse_edits.py -n 4 --out /tmp/edits.json
    python bench/reuse_edits.py --pdf-documents 10   # render only the first 10 as PDFs

Documents are generated, never taken from the national texts:

* **prose**: municipal-style Norwegian from the study's own findings (the quotes of municipal
  documents and the thesis's summaries of them), recombined by a word-trigram Markov chain;
  sentences sharing a stemmed 4-gram with any national text are left out of the source, so
  the prose holds no reuse of its own;
* **copies**: runs of whole sentences (15–80 words, as they stand in the text, naming no title)
  of the national guidance texts, read from
  ``../shared/reference/guidance-texts`` (never copied into the repository), planted with
  0/10/15/20/25/30 % of their content words substituted (:func:`plangraf.reuse.edits.edit_copy`),
  half of them with inflection changes too;
* **distractors**: titles of national documents named in running text, quotations in «» with a
  source, and a reference list;
* **layout**: each document is laid out as a PDF text layer (:func:`plangraf.reuse.edits.render`:
  wrapped lines, line-end hyphenation, a header and a page-number footer on every page) and
  measured twice: **pdf**, the pages drawn into a real PDF and read back by ``plangraf
  ingest``'s extractor (:mod:`reuse_pdf`; every document, or the first ``--pdf-documents``);
  and **text**, the text layer cleaned page by page with the ingest's
  :func:`plangraf.reuse.normalise.clean_text`, furniture kept (the simulation, to compare).

The PDFs need fpdf2 (the test extra) and the DejaVu Sans font (Debian ``fonts-dejavu-core``).

Scores: a copy is **found** when reuse spans (verbatim, near-verbatim, paraphrase-candidate) of
its document cover at least 80 % of its content words (page furniture inside it not counted;
spans start and end on a content word); its class
is the class of the span covering most of it, checked against
:func:`plangraf.reuse.edits.expected_class`. A reported reuse span is **true** when at least half
of it lies in a planted copy. Targets (issue 25): recall ≥ 0.95 at ≤ 15 % edits, ≥ 0.8 at 25 %;
precision ≥ 0.98; no title counted as reuse.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from reuse_pdf import FONT, extraction_errors, locate, read_pdf, write_pdf  # noqa: E402

from plangraf.reuse.citation import Titles  # noqa: E402
from plangraf.reuse.corpus import Passage, load_reference, reference_titles, study_documents  # noqa: E402
from plangraf.reuse.edits import edit_copy, expected_class, render  # noqa: E402
from plangraf.reuse.measure import COUNTED, Reuse, measure, national_corpus  # noqa: E402
from plangraf.reuse.normalise import clean_text, is_function_word, stem  # noqa: E402
from plangraf.reuse.seq import TokSeq  # noqa: E402

LEVELS = (0.0, 0.10, 0.15, 0.20, 0.25, 0.30)
COVER = 0.8
TEXTS = ROOT.parent / "shared" / "reference" / "guidance-texts"
FURNITURE = ("\ue7fe", "\ue7ff")
_PRIVATE = re.compile("[\ue000-\uf8ff]")  # the planting and furniture marks
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
REUSE_CLASSES = ("verbatim", "near-verbatim", "paraphrase-candidate")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    stems = [stem(w) for w in _words(text)]
    return {tuple(stems[i : i + n]) for i in range(len(stems) - n + 1)}


def prose_source(national_text: str) -> list[list[str]]:
    """Sentences of the study's findings (quotes and summaries) that share no 4-gram with national text."""
    national = _grams(national_text)
    sentences = []
    for doc in study_documents(ROOT / "data" / "study-2020").values():
        for finding in doc.get("findings") or []:
            for sentence in re.split(r"(?<=[.!?])\s+|\n", str(finding.get("text") or "")):
                words = sentence.split()
                if len(words) >= 5 and not (_grams(sentence) & national):
                    sentences.append(words)
    return sentences


class Prose:
    """A word-trigram Markov chain over the source sentences."""

    def __init__(self, sentences: list[list[str]], rng: random.Random) -> None:
        self.rng = rng
        self.starts = [tuple(s[:2]) for s in sentences]
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for s in sentences:
            words = [*s, "<end>"]
            for i in range(len(words) - 2):
                self.next[(words[i], words[i + 1])].append(words[i + 2])

    def sentence(self) -> str:
        a, b = self.rng.choice(self.starts)
        out = [a, b]
        while len(out) < 45:
            following = self.next.get((out[-2], out[-1]))
            if not following:
                break
            word = self.rng.choice(following)
            if word == "<end>":
                break
            out.append(word)
        text = " ".join(out)
        return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def national_runs(passages: list[Passage], titles: Titles) -> list[tuple[str, str]]:
    """Runs of whole sentences of 15–80 words from the national texts' blocks, naming no title
    (titles are the distractors): (document, text)."""
    runs = []
    for p in passages:
        if not p.source.startswith("http"):
            continue
        for paragraph in p.text.split("\n"):
            sentences = [m.span() for m in _SENTENCE.finditer(paragraph)]
            for i in range(len(sentences)):
                for j in range(i, len(sentences)):
                    text = paragraph[sentences[i][0] : sentences[j][1]].strip()  # contiguous national text
                    seq = TokSeq.of(text)
                    if 15 <= len(seq) <= 80 and not titles.covered(seq, 0, len(seq)):
                        runs.append((p.document, text))
    return sorted(set(runs))


def _distractors(rng: random.Random, titles: list[str], quotable: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = [(f"Arbeidet bygger på {rng.choice(titles)} og på kommunens egne behov.", "title") for _ in range(3)]
    for _ in range(2):
        _doc, text = rng.choice(quotable)
        form = rng.choice(["«{}» (KS 2016, s. {})", "Som det heter i strategien: «{}» (s. {})"])
        out.append((form.format(text.rstrip("."), rng.randint(2, 40)), "quotation"))
    return out


def _reference_list(rng: random.Random, titles: list[str]) -> list[tuple[str, str]]:
    entries = [("Referanser", "")]
    for title in rng.sample(titles, min(4, len(titles))):
        entries.append((f"KS ({rng.randint(2015, 2020)}). {title}. Oslo: KS.", "reference"))
    return entries


def _strip_marks(
    text: str, marks: dict[str, tuple[int, str]]
) -> tuple[str, dict[int, list[int]], list[tuple[int, int]]]:
    """Remove the planting marks; return the clean text, each planted item's [start, end), and furniture."""
    out: list[str] = []
    spans: dict[int, list[int]] = defaultdict(list)
    furniture: list[tuple[int, int]] = []
    at = 0
    for char in text:
        if char in marks:
            spans[marks[char][0]].append(at)
        elif char == FURNITURE[0]:
            furniture.append((at, at))
        elif char == FURNITURE[1]:
            furniture[-1] = (furniture[-1][0], at)
        else:
            out.append(char)
            at += 1
    return "".join(out), spans, furniture


@dataclass
class Document:
    """A generated document: its id, running header, pages as a text layer (with the planting and
    furniture marks), the marks, the truth (planted copies and distractors, in document order,
    each with its ``text``), and the source paragraphs without marks."""

    id: str
    header: str
    rendered: str
    marks: dict[str, tuple[int, str]]
    items: list[dict[str, Any]]
    source: str


def make_document(
    n: int, rng: random.Random, prose: Prose, runs: list[tuple[str, str]], titles: list[str], vocabulary: list[str]
) -> Document:
    """One document, laid out as a PDF's text layer, with the truth (see :class:`Document`)."""
    target = rng.randint(5000, 30000)
    items: list[dict[str, Any]] = []
    plants: list[tuple[str, dict[str, Any]]] = []
    for level in LEVELS:
        for _ in range(2):
            doc, text = rng.choice(runs)
            edited = edit_copy(text, level, rng, vocabulary, inflect_rate=0.1 if rng.random() < 0.5 else 0.0)
            item = {"kind": "copy", "level": level, "national_document": doc, "class": expected_class(edited)}
            item |= {"share": round(edited.share, 3), "words": len(text.split()), "text": edited.text}
            plants.append((edited.text, item))
    plants += [(t, {"kind": k, "text": t}) for t, k in _distractors(rng, titles, runs)]
    rng.shuffle(plants)
    paragraphs: list[str] = []
    marks: dict[str, tuple[int, str]] = {}
    words = 0
    slots = sorted(rng.sample(range(1, 200), len(plants)))
    for p in range(200):
        sentences = [prose.sentence() for _ in range(rng.randint(3, 8))]
        if slots and slots[0] == p:
            slots.pop(0)
            text, item = plants.pop()
            number = len(items)
            items.append(item)
            first, last = chr(0xE000 + 2 * number), chr(0xE001 + 2 * number)
            marks[first], marks[last] = (number, "start"), (number, "end")
            sentences.insert(rng.randint(0, len(sentences)), f"{first}{text}{last}")
        paragraphs.append(" ".join(sentences))
        words += sum(len(s.split()) for s in sentences)
        if words >= target and not plants:
            break
    for text, kind in _reference_list(rng, titles):
        number = len(items)
        first, last = chr(0xE000 + 2 * number), chr(0xE001 + 2 * number)
        marks[first], marks[last] = (number, "start"), (number, "end")
        items.append({"kind": kind or "heading", "text": text})
        paragraphs.append(f"{first}{text}{last}")
    header = f"Kommune {n} · Handlingsplan for digitalisering 2020–2023"
    rendered = render(paragraphs, header, rng, marks=FURNITURE)
    source = _PRIVATE.sub("", "\n\n".join(paragraphs))
    return Document(f"bench-{n}", header, rendered, marks, items, source)


def text_layer(doc: Document) -> tuple[str, list[dict[str, Any]]]:
    """The text-level variant: the rendered text layer cleaned page by page with the ingest's
    ``clean_text`` (furniture stays), and the items with their offsets in it."""
    cleaned = "\f".join(clean_text(page) for page in doc.rendered.split("\f"))
    text, spans, furniture = _strip_marks(cleaned, doc.marks)
    items = copy.deepcopy(doc.items)
    for number, item in enumerate(items):
        item["start"], item["end"] = spans[number]
        item["furniture"] = [f for f in furniture if item["start"] <= f[0] < item["end"]]
    return text, items


def pdf_layer(doc: Document, folder: Path) -> tuple[str, list[dict[str, Any]], int]:
    """The PDF variant: the same pages drawn into a PDF and read back by ``plangraf ingest``'s
    extractor; the items found in its text again (:func:`reuse_pdf.locate`), and how many were lost."""
    pages = [[_PRIVATE.sub("", line) for line in page.split("\n")] for page in doc.rendered.split("\f")]
    text = read_pdf(write_pdf(pages, folder / f"{doc.id}.pdf"))
    items = copy.deepcopy(doc.items)
    lost = locate(items, text, doc.header)
    return text, items, lost


def _covered(item: dict[str, Any], spans: list[Reuse], text: str) -> tuple[float, Reuse | None]:
    """Share of the item's content words inside the spans (furniture left out; spans start and end
    on content words), and the span covering most of it."""
    words = [
        m.span()
        for m in re.finditer(r"\w+", text[item["start"] : item["end"]])
        if not any(f0 <= item["start"] + m.start() < f1 for f0, f1 in item["furniture"])
        and not is_function_word(m.group().casefold())
    ]
    if not words:
        return 0.0, None
    inside: Counter[int] = Counter()
    covered = 0
    for w0, w1 in words:
        hits = [k for k, r in enumerate(spans) if r.start <= item["start"] + w0 and item["start"] + w1 <= r.end]
        covered += bool(hits)
        inside.update(hits)
    best = spans[inside.most_common(1)[0][0]] if inside else None
    return covered / len(words), best


def score(docs: list[tuple[str, str, list[dict]]], rows: list[Reuse]) -> dict[str, Any]:
    """Recall per edit level and class, precision, citations (see the module's docstring)."""
    by_doc: dict[str, list[Reuse]] = defaultdict(list)
    for r in rows:
        by_doc[r.document].append(r)
    levels: dict[float, Counter[str]] = defaultdict(Counter)
    classes: dict[str, Counter[str]] = defaultdict(Counter)
    titles_as_reuse = citations = distractors_as_reuse = 0
    true_spans = reported = 0
    for doc_id, text, items in docs:
        reuse = [r for r in by_doc[doc_id] if r.reuse_class in REUSE_CLASSES]
        for item in items:
            if item["kind"] == "copy":
                share, best = _covered(item, reuse, text)
                found = share >= COVER
                levels[item["level"]].update({"planted": 1, "found": found})
                right = found and best is not None and best.reuse_class == item["class"]
                levels[item["level"]].update({"class_right": right})
                classes[item["class"]].update({"planted": 1, "found_in_class": right})
            elif item["kind"] in ("title", "quotation", "reference"):
                hit = [r for r in by_doc[doc_id] if r.start < item["end"] and item["start"] < r.end]
                as_reuse = any(r.reuse_class != "citation" for r in hit)
                distractors_as_reuse += as_reuse
                titles_as_reuse += as_reuse and item["kind"] == "title"
                citations += any(r.reuse_class == "citation" for r in hit)
        copies = [i for i in items if i["kind"] == "copy"]
        for r in reuse:
            reported += 1
            home = [i for i in copies if 2 * (min(r.end, i["end"]) - max(r.start, i["start"])) >= r.end - r.start]
            true_spans += bool(home)
            classes[r.reuse_class].update(
                {"reported": 1, "reported_right": bool(home) and home[0]["class"] == r.reuse_class}
            )
    return {
        "levels": {f"{int(k * 100)}%": _rates(v) for k, v in sorted(levels.items())},
        "classes": {k: _class_rates(v) for k, v in sorted(classes.items())},
        "reported_reuse_spans": reported,
        "true_spans": true_spans,
        "precision": round(true_spans / reported, 4) if reported else None,
        "titles_counted_as_reuse": titles_as_reuse,
        "distractors_counted_as_reuse": distractors_as_reuse,
        "distractors_reported_as_citation": citations,
    }


def _rates(c: Counter[str]) -> dict[str, Any]:
    return {
        "planted": c["planted"],
        "recall": round(c["found"] / c["planted"], 4),
        "class_right": round(c["class_right"] / c["planted"], 4),
    }


def _class_rates(c: Counter[str]) -> dict[str, Any]:
    return {
        "planted": c["planted"],
        "recall": round(c["found_in_class"] / c["planted"], 4) if c["planted"] else None,
        "reported": c["reported"],
        "precision": round(c["reported_right"] / c["reported"], 4) if c["reported"] else None,
    }


def targets(result: dict[str, Any]) -> list[tuple[str, bool]]:
    levels = result["levels"]
    low = [v["recall"] for k, v in levels.items() if int(k.rstrip("%")) <= 15]
    return [
        ("recall >= 0.95 at <= 15 % edits", min(low) >= 0.95),
        ("recall >= 0.8 at 25 % edits", levels["25%"]["recall"] >= 0.8),
        ("precision >= 0.98", (result["precision"] or 0) >= 0.98),
        ("no title counted as reuse", result["titles_counted_as_reuse"] == 0),
    ]


VARIANTS = {
    "text": "text layer, simulated (furniture kept, cleaned page by page)",
    "pdf": "rendered PDF, read by plangraf ingest's extractor",
}


def run(documents: int, seed: int, texts: Path, pdf_documents: int | None = None) -> dict[str, Any]:
    rng = random.Random(seed)
    national, titles = national_corpus(ROOT / "data" / "reference", texts)
    prose = Prose(prose_source("\n".join(p.text for p in national)), rng)
    runs = national_runs(national, Titles.of(titles))
    long_titles = sorted(
        t for t in reference_titles(load_reference(ROOT / "data" / "reference")) if len(t.split()) >= 6
    )
    vocabulary = sorted(
        {w for s in prose.starts for w in s} | {w for ws in prose.next.values() for w in ws} - {"<end>"}
    )
    vocabulary = [w for w in vocabulary if w.isalpha() and w.islower() and len(w) > 3]
    docs = [make_document(n, rng, prose, runs, long_titles, vocabulary) for n in range(documents)]
    layers = [(doc, *text_layer(doc)) for doc in docs]
    result: dict[str, Any] = {"documents": documents, "seed": seed, "variants": {}}
    result["variants"]["text"] = _measured(layers, national, titles)
    rendered = docs[: documents if pdf_documents is None else pdf_documents]
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        pdfs = [(doc, *pdf_layer(doc, Path(folder))) for doc in rendered]
        render_and_read = time.perf_counter() - t0
        pages = sum(doc.rendered.count("\f") + 1 for doc in rendered)
        megabytes = sum(f.stat().st_size for f in Path(folder).glob("*.pdf")) / 1048576
    pdf = _measured([(doc, text, items) for doc, text, items, _ in pdfs], national, titles)
    pdf |= {
        "pages": pages,
        "pdf_megabytes": round(megabytes, 1),
        "render_and_extract_seconds": round(render_and_read, 1),
    }
    pdf["lost_items"] = sum(lost for *_, lost in pdfs)
    result["variants"]["pdf"] = pdf
    result |= {"counted_classes": list(COUNTED), "python": platform.python_version()}
    return result


def _measured(layers: list[tuple[Document, str, list[dict[str, Any]]]], national: list[Passage], titles: Any) -> dict:
    """Measure the documents' texts and score the spans against the truth."""
    municipal = [Passage(text, doc.id, f"texts/{doc.id}.txt", "bench") for doc, text, _ in layers]
    t0 = time.perf_counter()
    rows = measure(municipal, national, titles=titles)
    seconds = time.perf_counter() - t0
    errors: Counter[str] = Counter()
    for doc, text, _ in layers:
        errors.update(extraction_errors(doc.source, text, doc.header))
    result = {
        "documents": len(layers),
        "words": sum(len(p.seq) for p in municipal),
        "seconds": round(seconds, 2),
        **score([(doc.id, text, items) for doc, text, items in layers], rows),
        "extraction": dict(errors),
    }
    result["targets"] = {name: ("met" if ok else "not met") for name, ok in targets(result)}
    return result


def table(result: dict[str, Any]) -> str:
    """One variant's result as the Markdown tables docs/reuse.md shows."""
    lines = ["| edits | copies | recall | class right |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['planted']} | {v['recall']} | {v['class_right']} |" for k, v in result["levels"].items()]
    lines += [
        "",
        "| class | planted | recall (class checked) | reported | precision (class checked) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {v['planted']} | {v['recall']} | {v['reported']} | {v['precision']} |"
        for k, v in result["classes"].items()
    ]
    lines += ["", "| target | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in result["targets"].items()]
    return "\n".join(lines)


def comparison(result: dict[str, Any]) -> str:
    """The two variants side by side: recall per edit level, precision, what extraction left."""
    variants = result["variants"]
    levels = list(variants["text"]["levels"])
    head = ["variant", "documents", *(f"recall {k}" for k in levels), "precision", "furniture lines left"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, v in variants.items():
        cells = [key, v["documents"], *(v["levels"][k]["recall"] for k in levels), v["precision"]]
        lines.append("| " + " | ".join(str(c) for c in [*cells, v["extraction"]["furniture_lines_left"]]) + " |")
    return "\n".join(lines)


SUMMARY = (
    "documents", "words", "seconds", "reported_reuse_spans", "true_spans", "precision",
    "titles_counted_as_reuse", "distractors_counted_as_reuse", "distractors_reported_as_citation",
    "pages", "pdf_megabytes", "render_and_extract_seconds", "lost_items",
)  # fmt: skip


def report(result: dict[str, Any]) -> str:
    """What the benchmark prints: the comparison, then each variant's summary and tables."""
    out = [comparison(result)]
    for key, v in result["variants"].items():
        out += ["", f"**{key}**: {VARIANTS[key]}", "", "```"]
        out += [f"{name:32} {v[name]}" for name in SUMMARY if name in v]
        out += [f"{'extraction_' + name:32} {count}" for name, count in v["extraction"].items()]
        out += ["```", "", table(v)]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--documents", type=int, default=40)
    parser.add_argument(
        "--pdf-documents", type=int, default=None, help="Render only the first N documents as PDFs (default: all)."
    )
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--out", type=Path, default=None, help="Write the result as JSON here too.")
    args = parser.parse_args()
    if not args.texts.is_dir():
        sys.exit(f"national texts folder not found: {args.texts}")
    if not FONT.is_file():
        sys.exit(f"font not found: {FONT} (Debian: apt-get install fonts-dejavu-core)")
    result = run(args.documents, args.seed, args.texts, args.pdf_documents)
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
