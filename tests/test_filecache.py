"""The per-file cache of the study load (issue 12): a build from the cache is the build from
the files, an edit re-reads only the edited file, and a damaged, stale or half-written cache is
never an answer. (A file that changes during the build leaves no entry: tests/test_builds.py.)
Every cached build is compared with a build from the files."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import shutil
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from plangraf.cli.main import main
from plangraf.core.errors import PlangrafError
from plangraf.core.paths import Paths
from plangraf.graph.build import BuildResult, build_graph
from plangraf.graph.inputs import load_ontology, load_reference
from plangraf.study.cache import StudyCache, decode_triples, encode_triples, unpack_parsed
from plangraf.study.synth import synthesize

FIXTURES = Path(__file__).parent / "fixtures"
XSD = "http://www.w3.org/2001/XMLSchema#"  # not rdflib's closed namespace: it warns under pytest's collection


def cached_build(paths: Paths) -> BuildResult:
    assert paths.out is not None
    return build_graph(paths, cache_folder=paths.out / ".cache")


def same_build(a: BuildResult, b: BuildResult) -> None:
    """The same asserted and inferred triples (no blank nodes in either) and the same load report."""
    assert set(a.asserted) == set(b.asserted)
    assert set(a.inferred) == set(b.inferred)
    assert asdict(a.report) == asdict(b.report)
    assert a.counts == b.counts


def entries(out: Path, kind: str) -> list[Path]:
    folder = out / ".cache" / kind
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


@pytest.fixture(params=["study-2020", "synthetic"])
def study(request, tmp_path, root) -> Path:
    """A copy of the shipped study, or a synthetic study of 12 municipalities."""
    folder = tmp_path / "study"
    if request.param == "study-2020":
        shutil.copytree(root / "data" / "study-2020", folder)
    else:
        paths = Paths(root=root)
        synthesize(12, 5, folder, load_reference(paths, load_ontology(paths)))
    return folder


def municipality_files(study: Path) -> list[Path]:
    return sorted(p for p in study.glob("*.yaml") if p.name not in ("study.yaml", "claims.yaml"))


def test_a_build_from_the_cache_is_the_build_from_the_files(study, tmp_path, root):
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    files = len(municipality_files(study))
    first = cached_build(paths)
    assert first.cache == {"cached": 0, "read": files}
    assert len(entries(paths.build, "parsed")) == files and len(entries(paths.build, "triples")) == files
    second = cached_build(paths)
    assert second.cache == {"cached": files, "read": 0}
    same_build(second, first)
    same_build(second, build_graph(Paths(root=root, data=study)))  # and no cache at all


def test_an_edited_file_is_the_only_one_read_again(study, tmp_path, root):
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    files = municipality_files(study)
    cached_build(paths)
    edited = files[len(files) // 2]
    text = edited.read_text(encoding="utf-8")
    assert "    text: " in text
    edited.write_text(text.replace("    text: ", "    text: Endret. ", 1), encoding="utf-8")
    again = cached_build(paths)
    assert again.cache == {"cached": len(files) - 1, "read": 1}
    fresh = build_graph(Paths(root=root, data=study))
    same_build(again, fresh)
    assert any(str(o).startswith("Endret. ") for o in fresh.asserted.objects())
    # the old file's entries are gone, the new one's are there
    assert len(entries(paths.build, "triples")) == len(files)


def test_a_change_outside_the_municipality_files_reads_them_all_again(study, tmp_path, root):
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    files = len(municipality_files(study))
    cached_build(paths)
    with (study / "study.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# a comment changes the file's hash, so the context of every file\n")
    again = cached_build(paths)
    assert again.cache == {"cached": 0, "read": files}
    same_build(again, build_graph(Paths(root=root, data=study)))


def test_a_reading_is_cached_apart_from_the_files_as_written(tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(root / "data" / "study-2020", study)
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    reading = frozenset({"sandefjord-satsingsomrader-as-ks-paraphrase"})
    cached_build(paths)
    under = build_graph(paths, readings=reading, cache_folder=tmp_path / "build" / ".cache")
    assert under.cache["cached"] == 0  # the readings are part of every file's context
    expected = build_graph(Paths(root=root, data=study), readings=reading)
    same_build(under, expected)
    again = build_graph(paths, readings=reading, cache_folder=tmp_path / "build" / ".cache")
    assert again.cache == {"cached": len(municipality_files(study)), "read": 0}
    same_build(again, expected)


@pytest.mark.parametrize("damage", ["not a pickle", "one byte changed", "a pickle of another shape"])
def test_a_damaged_entry_is_a_miss_never_an_answer(damage, tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(root / "data" / "study-2020", study)
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    first = cached_build(paths)
    for entry in entries(paths.build, "triples") + entries(paths.build, "parsed"):
        blob = entry.read_bytes()
        if damage == "not a pickle":
            blob = b"not a pickle"
        elif damage == "one byte changed":  # still a pickle, e.g. an IRI with another letter
            at = blob.index(b"plangraf", 40) if b"plangraf" in blob[40:] else len(blob) // 2
            blob = blob[:at] + b"X" + blob[at + 1 :]
        else:  # a valid entry, hash included, of the wrong shape
            data = pickle.dumps(42)
            blob = hashlib.sha256(data).digest() + data
        entry.write_bytes(blob)
    again = cached_build(paths)
    assert again.cache == {"cached": 0, "read": len(municipality_files(study))}
    same_build(again, first)


def test_nothing_is_written_unless_every_file_was_read_as_hashed(tmp_path):
    cache = StudyCache(tmp_path / "cache", {"study/sola.yaml": "a" * 64})
    cache.put("parsed", "k", ({"municipality": "sola"}, {}))
    cache.read[str(tmp_path / "sola.yaml")] = "b" * 64  # read with other contents (changed and back)
    cache.commit()
    assert not (tmp_path / "cache").exists()
    cache.put("parsed", "k", ({"municipality": "sola"}, {}))
    cache.read[str(tmp_path / "sola.yaml")] = "a" * 64
    cache.commit()
    assert cache.get("parsed", "k", unpack_parsed) == ({"municipality": "sola"}, {})


def test_the_size_limit_holds_for_a_file_in_the_cache(tmp_path, root, monkeypatch):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    cached_build(paths)
    limit = (study / "larvik.yaml").stat().st_size - 1
    assert (study / "study.yaml").stat().st_size < limit and (study / "coding.csv").stat().st_size < limit
    monkeypatch.setenv("PLANGRAF_MAX_INPUT_MB", str(limit / (1024 * 1024)))  # megabytes of 2**20 bytes
    with pytest.raises(PlangrafError, match="over the input limit") as refused:
        cached_build(paths)  # the ontology and reference data are already parsed in this process
    assert refused.value.file == str(study / "larvik.yaml")


def test_a_changed_coding_sheet_reads_every_file_again(tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    cached_build(paths)
    with (study / "coding.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    again = cached_build(paths)
    assert again.cache == {"cached": 0, "read": 2}
    same_build(again, build_graph(Paths(root=root, data=study)))


def test_a_changed_goal_id_reads_every_file_again(tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(root / "data" / "study-2020", study)
    paths = Paths(root=root, data=study, out=tmp_path / "build")
    cached_build(paths)
    karmoy = study / "karmoy.yaml"
    text = karmoy.read_text(encoding="utf-8")
    karmoy.write_text(text.replace("budsjett-2021/digitalt-forstevalg", "budsjett-2021/x"), encoding="utf-8")
    again = cached_build(paths)  # the set of goal ids is part of every file's context
    assert again.cache == {"cached": 0, "read": len(municipality_files(study))}
    same_build(again, build_graph(Paths(root=root, data=study)))


def test_a_moved_study_folder_names_its_new_files(tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    cached_build(Paths(root=root, data=study, out=tmp_path / "build"))
    moved = tmp_path / "moved"
    study.rename(moved)
    again = cached_build(Paths(root=root, data=moved, out=tmp_path / "build"))
    assert again.cache == {"cached": 0, "read": 2}
    assert all(str(where[0]).startswith(str(moved)) for where in again.report.locations.values())
    same_build(again, build_graph(Paths(root=root, data=moved)))


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, root):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    blocked = tmp_path / "build"
    blocked.mkdir()
    (blocked / ".cache").write_text("a file where the cache folder would be", encoding="utf-8")
    result = build_graph(Paths(root=root, data=study, out=blocked), cache_folder=blocked / ".cache")
    assert result.cache == {"cached": 0, "read": 2}
    same_build(result, build_graph(Paths(root=root, data=study)))
    again = build_graph(Paths(root=root, data=study, out=blocked), cache_folder=blocked / ".cache")
    assert again.cache == {"cached": 0, "read": 2}  # nothing could be kept, nothing is reused


def test_the_build_command_says_which_files_it_read(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini-study", study)
    out = tmp_path / "build"
    first = CliRunner().invoke(main, ["build", "--data", str(study), "--build-dir", str(out)])
    assert first.exit_code == 0, first.output
    assert "from the cache" not in first.output
    again = CliRunner().invoke(main, ["build", "--data", str(study), "--build-dir", str(out), "--force"])
    assert again.exit_code == 0, again.output
    assert "Municipality files: 0 read, 2 unchanged (from the cache)." in again.output


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://w3id.org/plangraf/id/document/sola-2019"),
        Literal("Kommunedelplan for digitalisering", lang="nb"),
        Literal("plain"),
        Literal(Decimal("1.50")),
        Literal("1.50", datatype=URIRef(XSD + "decimal")),
        Literal("007", datatype=URIRef(XSD + "integer"), normalize=False),
        Literal(dt.date(2020, 1, 1)),
        Literal("2019-2023", datatype=URIRef(XSD + "gYear")),  # ill-typed: kept as written
        Literal(True),
        BNode("b1"),
    ],
)
def test_a_term_comes_back_exactly_as_it_was_written(term):
    subject = URIRef("https://w3id.org/plangraf/id/x")
    (back,) = decode_triples(*encode_triples([(subject, subject, term)]))
    assert back[2] == term and type(back[2]) is type(term)
    assert str(back[2]) == str(term)
    if isinstance(term, Literal):
        assert (back[2].language, back[2].datatype, back[2].value) == (term.language, term.datatype, term.value)
