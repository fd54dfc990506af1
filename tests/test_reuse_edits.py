"""The reuse benchmark's edited copies and PDF-like layout (plangraf.reuse.edits)."""

from __future__ import annotations

import random

from plangraf.reuse.align import NEAR_VERBATIM_EDITS, PARAPHRASE_EDITS
from plangraf.reuse.edits import LINE, LINES_PER_PAGE, Edited, edit_copy, expected_class, inflect, render
from plangraf.reuse.normalise import stem

TEXT = (
    "Kommunen skal utvikle digitale tjenester som gir innbyggerne enklere hverdag og bedre "
    "kvalitet i saksbehandlingen gjennom samarbeid med næringslivet og frivillige organisasjoner"
)
VOCABULARY = ["sykehus", "brannvesen", "havneområde", "skogbruk", "jernbane", "fiskeri", "museum", "idrettshall"]


def test_inflect_keeps_the_stem_and_leaves_short_words():
    assert inflect("tjenester") == "tjenestene"
    other = inflect("Kommunen")  # another form of the same stem, capital kept
    assert other != "Kommunen" and other[0] == "K" and stem(other.casefold()) == stem("kommunen")
    assert inflect("og") == "og"


def test_edit_copy_substitutes_the_share_asked_for_never_the_first_or_last_word():
    for rate in (0.0, 0.2, 0.5):
        edited = edit_copy(TEXT, rate, random.Random(7), VOCABULARY, inflect_rate=0.0)
        words, original = edited.text.split(), TEXT.split()
        assert words[0] == original[0] and words[-1] == original[-1]
        assert edited.substituted == round(rate * edited.content_words)
        changed = sum(a != b for a, b in zip(words, original, strict=True))
        assert changed == edited.substituted and edited.inflected == 0
        assert all(w in VOCABULARY for w, o in zip(words, original, strict=True) if w != o)
    same = edit_copy(TEXT, 0.0, random.Random(1), VOCABULARY, inflect_rate=0.0)
    assert same.text == TEXT and expected_class(same) == "verbatim"


def test_expected_class_follows_the_measures_thresholds():
    assert expected_class(Edited("x", 100, 0, 3)) == "near-verbatim"
    assert expected_class(Edited("x", 100, round(100 * NEAR_VERBATIM_EDITS), 0)) == "near-verbatim"
    assert expected_class(Edited("x", 100, round(100 * PARAPHRASE_EDITS), 0)) == "paraphrase-candidate"
    assert expected_class(Edited("x", 100, 90, 0)) == ""
    assert Edited("x", 0, 0, 0).share == 0.0


def test_render_wraps_hyphenates_and_numbers_the_pages():
    paragraphs = [" ".join(["digitaliseringsarbeidet"] * 30 + ["og"] * 40)] * 12
    text = render(paragraphs, "Kommuneplan", random.Random(3), hyphenate=1.0, marks=("[", "]"))
    pages = text.split("\f")
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        lines = page.split("\n")
        assert lines[0] == "[Kommuneplan]" and lines[-1] == f"[Side {number} av {len(pages)}]"
        body = lines[2:-2]
        assert len(body) <= LINES_PER_PAGE and all(len(line) <= LINE for line in body)
    assert any(line.endswith("-") for line in text.split("\n"))  # a long word broken at a line end
    joined = text.replace("-\n", "")
    assert "digitaliseringsarbeidet" in joined
