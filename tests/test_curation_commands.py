"""The curator's commands end to end, on files: dedupe --merge (with repointing), --not-duplicate,
categorize, stats, and validate --strict / validate FILES."""

from __future__ import annotations

import pytest

from conftest import write_record
from llmpapers.cli import main
from llmpapers.db.store import load_record
from llmpapers.errors import warning

COPY = """\
id: orca-copy
type: paper
title: 'ORCA: A distributed serving system for transformer-based generative models'
aliases:
  - Orca, the serving system
authors:
  - Gyeong-In Yu
year: 2022
venue: arXiv
links:
  arxiv: '2201.00001'
  code: https://github.com/example/orca
categories:
  - kv-cache
related:
  - id: vllm
    rel: related
sources:
  - list: other-list
    as_listed: 'ORCA: A distributed serving system for transformer-based generative models'
    line: 3
added: 2026-11-20
"""

VLLM = """\
id: vllm
type: tool
title: vLLM
short_name: vLLM
year: 2023
links:
  code: https://github.com/vllm-project/vllm
categories:
  - inference-engines
related:
  - id: orca-copy
    rel: related
not_duplicates:
  - orca-copy
sources:
  - list: manual
    as_listed: vLLM
added: 2026-11-22
"""


@pytest.fixture
def db(copy_fixture):
    data = copy_fixture("valid")
    write_record(data, "orca-copy", COPY)
    write_record(data, "vllm", VLLM)
    return data


def record(data, rid):
    loaded, _, problems = load_record(data / "records" / f"{rid}.yaml")
    assert problems == []
    return loaded


def test_dedupe_lists_the_likely_pair(db, runner):
    result = runner.invoke(main, ["dedupe", "--data", "valid"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "duplicate 100.0  orca  orca-copy  (same title)"


def test_merge_keeps_everything_repoints_and_removes_the_dropped_file(db, runner):
    result = runner.invoke(main, ["dedupe", "--data", "valid", "--merge", "orca", "orca-copy"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "repointed valid/records/vllm.yaml: orca-copy -> orca",
        "merged orca-copy into orca; removed valid/records/orca-copy.yaml",
    ]
    assert not (db / "records" / "orca-copy.yaml").exists()
    orca = record(db, "orca")
    assert orca.title == "Orca: A Distributed Serving System for Transformer-Based Generative Models"
    assert [s.list_ for s in orca.sources] == ["awesome-llm-inference", "other-list"]
    assert (orca.venue, orca.year, orca.added.isoformat()) == ("OSDI", 2022, "2026-11-20")
    assert orca.links.arxiv == "2201.00001" and orca.links.code == "https://github.com/example/orca"
    assert orca.links.paper == "https://www.usenix.org/system/files/osdi22-yu.pdf"
    assert orca.categories == ["serving", "kv-cache"] and orca.aliases == ["Orca, the serving system"]
    assert [(r.id, r.rel) for r in orca.related] == [("vllm", "related")]
    vllm = record(db, "vllm")
    assert [(r.id, r.rel) for r in vllm.related] == [("orca", "related")] and vllm.not_duplicates == ["orca"]
    after = runner.invoke(main, ["validate", "--data", "valid"])
    assert (after.exit_code, after.output) == (0, "validate: no problems\n")
    assert runner.invoke(main, ["dedupe", "--data", "valid"]).exit_code == 0


@pytest.mark.parametrize(
    ("ids", "message"),
    [(["orca", "nope"], "no record has id 'nope'"), (["orca", "orca"], "'orca' is one record: give two different ids")],
)
def test_merge_refuses_bad_ids_and_changes_nothing(db, runner, ids, message):
    before = {p.name: p.read_bytes() for p in (db / "records").iterdir()}
    result = runner.invoke(main, ["dedupe", "--data", "valid", "--merge", *ids])
    assert result.exit_code == 2 and message in result.output
    assert {p.name: p.read_bytes() for p in (db / "records").iterdir()} == before


def test_merge_refuses_an_invalid_database(db, runner):
    (db / "records" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    before = (db / "records" / "orca-copy.yaml").read_bytes()
    result = runner.invoke(main, ["dedupe", "--data", "valid", "--merge", "orca", "orca-copy"])
    assert result.exit_code == 1 and "fix data/ before merging" in result.output
    assert (db / "records" / "orca-copy.yaml").read_bytes() == before


def test_not_duplicate_writes_both_sides_once(db, runner):
    result = runner.invoke(main, ["dedupe", "--data", "valid", "--not-duplicate", "orca", "orca-copy"])
    assert result.exit_code == 0 and result.output == "recorded that orca and orca-copy are different works\n"
    assert record(db, "orca").not_duplicates == ["orca-copy"]
    assert record(db, "orca-copy").not_duplicates == ["orca"]
    files = {p.name: p.read_bytes() for p in (db / "records").iterdir()}
    again = runner.invoke(main, ["dedupe", "--data", "valid", "--not-duplicate", "orca-copy", "orca"])
    assert again.exit_code == 0 and {p.name: p.read_bytes() for p in (db / "records").iterdir()} == files
    listed = runner.invoke(main, ["dedupe", "--data", "valid", "--all"])
    assert listed.exit_code == 0 and "kept apart: declared not duplicates" in listed.output


def test_categorize_suggests_and_checks(copy_fixture, runner):
    data = copy_fixture("valid")
    result = runner.invoke(main, ["categorize", "--data", "valid"])
    assert (result.exit_code, result.output) == (
        0,
        "orca: has [serving]; rules suggest serving (5), systems-foundations (2)\n",
    )
    check = runner.invoke(main, ["categorize", "--data", "valid", "--check"])
    assert check.exit_code == 0 and check.output.endswith("; 0 disagree\n")
    assert "first suggestion for 1 (100%)" in check.output
    path = data / "records" / "orca.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - serving", "  - quantization"), encoding="utf-8")
    check = runner.invoke(main, ["categorize", "--data", "valid", "--check"])
    assert check.exit_code == 1
    assert check.output.startswith(
        "valid/records/orca.yaml: primary category quantization is not among the rules' suggestions: serving"
    )
    assert check.output.endswith("; 1 disagree\n")


def test_stats_counts(db, runner):
    result = runner.invoke(main, ["stats", "--data", "valid"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "3 records; 3 (100%) have a link of some kind"
    assert "  paper            2" in lines and "  tool             1" in lines
    assert any(
        line.split()[:3] == ["serving", "Serving", "systems"] and line.split()[-2:] == ["1", "1"] for line in lines
    )


def test_validate_files_reports_only_those_files(db, runner):
    (db / "records" / "broken.yaml").write_text("id: broken\ntype: paper\n", encoding="utf-8")
    whole = runner.invoke(main, ["validate", "--data", "valid"])
    assert whole.exit_code == 1 and "valid/records/broken.yaml" in whole.output
    one = runner.invoke(main, ["validate", "--data", "valid", "valid/records/orca.yaml"])
    assert (one.exit_code, one.output) == (0, "validate: no problems\n")
    broken = runner.invoke(main, ["validate", "--data", "valid", "valid/records/broken.yaml"])
    assert broken.exit_code == 1
    assert {line.split(":")[0] for line in broken.output.splitlines()[:-1]} == {"valid/records/broken.yaml"}


def test_validate_strict_fails_on_warnings(db, runner, monkeypatch):
    from llmpapers.commands import database

    clean = runner.invoke(main, ["validate", "--data", "valid", "--strict"])
    assert (clean.exit_code, clean.output) == (0, "validate: no problems\n")
    found = [warning("valid/records/orca.yaml", "a warning for the test", 3, 8)]
    monkeypatch.setattr(database, "validate_data", lambda data_dir, files=None, since=None: found)
    lenient = runner.invoke(main, ["validate", "--data", "valid"])
    strict = runner.invoke(main, ["validate", "--data", "valid", "--strict"])
    expected = (
        "valid/records/orca.yaml:3:8: warning: a warning for the test\nvalidate passed with: 1 warning in 1 file\n"
    )
    assert (lenient.exit_code, lenient.output) == (0, expected)
    assert (strict.exit_code, strict.output) == (1, expected)
