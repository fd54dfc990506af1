"""validate's placeholder notes skip parsing a file whose text cannot hold a placeholder
(plangraf.study.placeholders): the notes are the ones parsing every file gives, for
placeholders written plainly, folded over lines, escaped or repeated by an alias."""

from __future__ import annotations

from pathlib import Path

from plangraf.study.placeholders import find_placeholders

FILES = {
    "plain.yaml": "name: Bergen\ncoder: 'TODO: your name'\n",
    "escaped.yaml": 'name: Oslo\nnote: "\\u0054ODO: the passage"\n',
    "folded.yaml": "name: Voss\ncoder: Your\n  Name\n",
    "source.yaml": "findings:\n  - source: example\n",
    "alias.yaml": "a: &x 'TODO: fill in'\nb: *x\n",
    "clean.yaml": "name: Time\nfindings:\n  - source: thesis\n    passage: A sentence.\n",
}


def test_skimmed_notes_are_those_of_parsing_every_file(tmp_path: Path) -> None:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    parsed = find_placeholders(tmp_path)
    known: dict[str, list[tuple[int | None, str, str]]] = {}
    skimmed = find_placeholders(tmp_path, known)
    assert skimmed == parsed
    assert {Path(p.file).name for p in parsed} == set(FILES) - {"clean.yaml"}
    assert len(known) == len(FILES)  # the clean file is remembered too, with no notes
    assert find_placeholders(tmp_path, known) == parsed
