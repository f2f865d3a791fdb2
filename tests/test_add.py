"""llmpapers add: from flags, from an arXiv id (recorded API response, no network), from BibTeX."""

from __future__ import annotations

import io
import urllib.error
from pathlib import Path

import pytest

from llmpapers.cli import main
from llmpapers.db.store import load_record
from llmpapers.ingest import manual as adding

ATOM = (Path(__file__).parent / "fixtures" / "arxiv" / "2309.06180.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2309.06180", "2309.06180"),
        ("2309.06180v2", "2309.06180"),
        ("arXiv:2309.06180", "2309.06180"),
        ("https://arxiv.org/abs/2309.06180", "2309.06180"),
        ("http://arxiv.org/pdf/2309.06180v1.pdf", "2309.06180"),
        ("https://arxiv.org/pdf/2309.06180", "2309.06180"),
        ("cs/0112017", "cs/0112017"),
        ("https://example.org/2309.06180", None),
        ("not an id", None),
    ],
)
def test_parse_arxiv(text, expected):
    assert adding.parse_arxiv(text) == expected


def test_parse_recorded_atom():
    meta = adding.parse_arxiv_atom(ATOM)
    assert meta.title == "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    assert meta.authors == ["Woosuk Kwon", "Zhuohan Li"] and meta.year == 2023


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_fetch_uses_opener_and_survives_no_network():
    seen = []

    def recorded(url, timeout):
        seen.append(url)
        return _Response(ATOM.encode())

    def offline(url, timeout):
        raise urllib.error.URLError("no network")

    assert adding.fetch_arxiv("2309.06180", opener=recorded).year == 2023
    assert seen == ["https://export.arxiv.org/api/query?id_list=2309.06180"]
    assert adding.fetch_arxiv("2309.06180", opener=offline) is None


def test_add_from_flags_writes_canonical_record(copy_fixture, runner):
    data = copy_fixture("valid")
    result = runner.invoke(
        main,
        [
            "add",
            "--data",
            "valid",
            "--offline",
            "--added",
            "2026-11-22",
            "--title",
            "Fast Distributed Inference Serving for Large Language Models",
            "--short-name",
            "FastServe",
            "--year",
            "2023",
            "--venue",
            "arxiv",
            "--url",
            "https://arxiv.org/pdf/2305.05920.pdf",
            "--category",
            "serving",
        ],
    )
    assert result.exit_code == 0, result.output
    record, _, problems = load_record(data / "records" / "fastserve.yaml")
    assert problems == []
    assert (record.venue, record.links.arxiv, record.categories) == ("arXiv", "2305.05920", ["serving"])
    assert [s.list_ for s in record.sources] == ["manual"]
    assert runner.invoke(main, ["validate", "--data", "valid"]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", "--data", "valid"]).exit_code == 0


def test_add_from_arxiv_with_recorded_response(copy_fixture, runner, monkeypatch):
    data = copy_fixture("valid")
    monkeypatch.setattr(adding, "fetch_arxiv", lambda arxiv_id: adding.parse_arxiv_atom(ATOM))
    result = runner.invoke(
        main,
        [
            "add",
            "--data",
            "valid",
            "--arxiv",
            "https://arxiv.org/abs/2309.06180v1",
            "--short-name",
            "PagedAttention",
            "--added",
            "2026-11-22",
        ],
    )
    assert result.exit_code == 0, result.output
    record, _, _ = load_record(data / "records" / "pagedattention.yaml")
    assert record.title.endswith("with PagedAttention") and record.authors == ["Woosuk Kwon", "Zhuohan Li"]
    assert (record.year, record.venue, record.links.arxiv) == (2023, "arXiv", "2309.06180")
    assert "kv-cache" in record.categories or "serving" in record.categories
    assert [(e.url, e.fields) for e in record.evidence] == [
        ("https://arxiv.org/abs/2309.06180", ("title", "authors", "year", "arxiv"))
    ]


def test_add_offline_arxiv_needs_a_title(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["add", "--data", "valid", "--arxiv", "2309.06180", "--offline"])
    assert result.exit_code == 1 and "a title is needed" in result.output


def test_add_refuses_a_duplicate(copy_fixture, runner):
    data = copy_fixture("valid")
    result = runner.invoke(
        main,
        [
            "add",
            "--data",
            "valid",
            "--offline",
            "--category",
            "serving",
            "--title",
            "Orca: A distributed serving system for transformer-based generative models",
        ],
    )
    assert result.exit_code == 1
    assert "possible duplicate of orca, score 100" in result.output
    assert sorted(p.name for p in (data / "records").iterdir()) == ["orca.yaml"]


def test_add_rejects_bad_url_and_unknown_category(copy_fixture, runner):
    copy_fixture("valid")
    bad = runner.invoke(
        main,
        [
            "add",
            "--data",
            "valid",
            "--offline",
            "--title",
            "X Y Z",
            "--category",
            "serving",
            "--url",
            "javascript:alert(1)",
        ],
    )
    assert bad.exit_code == 1 and "URL must start with http" in bad.output
    unknown = runner.invoke(main, ["add", "--data", "valid", "--offline", "--title", "X Y Z", "--category", "nope"])
    assert unknown.exit_code == 2 and "unknown category 'nope'" in unknown.output


BIB = """@inproceedings{kwon2023efficient,
  title     = {Efficient Memory Management for Large Language Model Serving with {PagedAttention}},
  author    = {Kwon, Woosuk and Li, Zhuohan},
  booktitle = {Proceedings of the 29th Symposium on Operating Systems Principles},
  year      = {2023},
  doi       = {10.1145/3600006.3613165}
}
"""


@pytest.mark.parametrize("as_file", [False, True], ids=["string", "file"])
def test_add_from_bibtex(copy_fixture, runner, as_file, tmp_path):
    data = copy_fixture("valid")
    value = BIB
    if as_file:
        (tmp_path / "one.bib").write_text(BIB, encoding="utf-8")
        value = str(tmp_path / "one.bib")
    result = runner.invoke(
        main, ["add", "--data", "valid", "--bibtex", value, "--short-name", "PagedAttention", "--added", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    record, _, problems = load_record(data / "records" / "pagedattention.yaml")
    assert problems == [] and record.authors == ["Woosuk Kwon", "Zhuohan Li"]
    assert (record.venue, record.year, record.links.doi) == ("SOSP", 2023, "10.1145/3600006.3613165")


def test_add_from_broken_bibtex_says_where(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["add", "--data", "valid", "--bibtex", "@article{x, title = {Unclosed, year = 2023}"])
    assert result.exit_code == 1 and "--bibtex must hold exactly one readable entry" in result.output
