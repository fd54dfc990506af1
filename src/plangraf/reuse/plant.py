"""Plant copies of national passages into a synthetic study's document texts (for the reuse benchmark)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any


def plant_copies(
    out: Path, national: list[tuple[str, str]], share: float, seed: int, *, words: tuple[int, int] = (120, 400)
) -> list[dict[str, Any]]:
    """Write a text for every document of the synthetic study in ``out`` (``texts/<id>.txt`` and
    its sidecar), and plant in a ``share`` of them one to three passages copied from ``national``
    ((national document id, text) pairs). Filler words are drawn from the national texts' own
    vocabulary, so shared shingles happen by chance. A third of the copies lose one function word
    (near-verbatim); a fifth are shorter than 12 words. The truth is returned and written to
    ``texts/planted.json``: document, national document, character start and end, words, kind.
    """
    import hashlib
    import json
    import re

    from plangraf.reuse.corpus import study_documents
    from plangraf.reuse.normalise import FUNCTION_WORDS

    rng = random.Random(seed)
    vocabulary = [w for _doc, text in national for w in re.findall(r"\w+", text.lower())]
    sources = [(doc, text, list(re.finditer(r"\w+", text))) for doc, text in national]
    sources = [s for s in sources if len(s[2]) >= 40]
    texts_dir = Path(out) / "texts"
    texts_dir.mkdir(parents=True, exist_ok=True)
    truth: list[dict[str, Any]] = []
    for doc_id in sorted(study_documents(Path(out))):
        parts: list[str] = []
        n_copies = rng.randint(1, 3) if rng.random() < share else 0
        slots = sorted(rng.sample(range(6), n_copies))
        for slot in range(6):
            parts.append(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(*words) // 6)) + ".")
            if slot in slots:
                parts.append(_planted(rng, sources, FUNCTION_WORDS, doc_id, parts, truth))
        text = "\n\n".join(parts) + "\n"
        (texts_dir / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        sidecar = {"document": doc_id, "format": "text", "text_sha256": hashlib.sha256(text.encode()).hexdigest()}
        (texts_dir / f"{doc_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (texts_dir / "planted.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _planted(
    rng: random.Random,
    sources: list[tuple[str, str, list[Any]]],
    function_words: frozenset[str],
    doc_id: str,
    parts: list[str],
    truth: list[dict[str, Any]],
) -> str:
    """One copied passage; its truth record's offsets are in the final text (parts joined by blank lines)."""
    national_doc, text, toks = rng.choice(sources)
    length = rng.randint(6, 11) if rng.random() < 0.2 else rng.randint(12, 40)
    first = rng.randrange(0, len(toks) - length)
    chosen = toks[first : first + length]
    copy = text[chosen[0].start() : chosen[-1].end()]
    kind = "verbatim"
    inner = [m for m in chosen[1:-1] if m.group().lower() in function_words]
    if inner and rng.random() < 1 / 3:
        drop = rng.choice(inner)
        copy = copy[: drop.start() - chosen[0].start()] + copy[drop.end() - chosen[0].start() + 1 :]
        kind, length = "near-verbatim", length - 1
    copy = " ".join(copy.split())
    start = sum(len(p) + 2 for p in parts)
    truth.append(
        {
            "document": doc_id,
            "national_document": national_doc,
            "start": start,
            "end": start + len(copy),
            "words": length,
            "kind": kind,
        }  # fmt: skip
    )
    return copy
