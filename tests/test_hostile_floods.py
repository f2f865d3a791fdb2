"""Floods of problems: one record file with 10,000 bad lines and hundreds of small bad files. What is printed,
annotated and summarized is capped (per file, per run); the counts and the exit status still cover every
problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import fixture_db
from llmpapers.cli import main
from llmpapers.cli.app import print_diagnostics
from llmpapers.errors import error, warning
from llmpapers.publish.annotations import MAX_PER_FILE, MAX_PER_RUN, cap, job_summary

HEAD = "id: {id}\ntype: paper\ntitle: T\nsources: [{{list: m, as_listed: T}}]\nadded: 2026-11-22\n"
BAD_SLUGS = 10_000
SMALL_FILES = 300
TOTAL = BAD_SLUGS + SMALL_FILES
SHOWN_LINE = re.compile(r"^valid/records/[\w.-]+:\d+:\d+: ")


@pytest.fixture
def flooded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The valid fixture database plus a 120 KB record with 10,000 invalid category slugs and 300 records
    with an unknown field each."""
    monkeypatch.chdir(tmp_path)
    data = fixture_db("valid", tmp_path / "valid")
    slugs = "".join(f"  - Bad_{i}\n" for i in range(BAD_SLUGS))
    (data / "records" / "flood.yaml").write_text(HEAD.format(id="flood") + "categories:\n" + slugs)
    for i in range(SMALL_FILES):
        (data / "records" / f"small-{i}.yaml").write_text(
            HEAD.format(id=f"small-{i}") + "categories: [serving]\nx: 1\n"
        )
    return data


def test_text_output_is_capped_and_counts_everything(flooded: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--data", "valid"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    shown = [line for line in lines if SHOWN_LINE.match(line)]
    assert len(shown) == MAX_PER_RUN == 200
    assert sum(line.startswith("valid/records/flood.yaml:") for line in shown) == MAX_PER_FILE == 20
    assert "valid/records/flood.yaml: … and 9980 more problems in this file" in lines
    assert lines[-2:] == [
        f"… and {TOTAL - MAX_PER_RUN} more problems ({TOTAL} in all)",
        f"validate failed: {TOTAL} errors in {SMALL_FILES + 1} files",
    ]
    assert len(lines) == MAX_PER_RUN + 3


def test_github_annotations_and_summary_are_capped(flooded: Path, runner, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = runner.invoke(main, ["validate", "--data", "valid", "--format", "github", "--summary", str(summary)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == MAX_PER_RUN
    assert sum(line.startswith("::error file=valid/records/flood.yaml,") for line in lines) == MAX_PER_FILE
    assert "::notice file=valid/records/flood.yaml,title=llmpapers::… and 9980 more problems in this file" in lines
    assert f"::notice title=llmpapers::… and {TOTAL - MAX_PER_RUN} more problems ({TOTAL} in all)" in lines
    assert len(lines) == MAX_PER_RUN + 3
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) < 100_000
    assert text.startswith(f"### ❌ llmpapers validate failed\\: {TOTAL} errors in {SMALL_FILES + 1} files\n")
    assert text.count("\n| error | ") == MAX_PER_RUN
    assert "| | valid\\/records\\/flood\\.yaml | | … and 9980 more problems in this file |" in text
    assert text.endswith(f"\n… and {TOTAL - MAX_PER_RUN} more problems ({TOTAL} in all)\n\n")


@pytest.mark.parametrize("command", [["stats"], ["build", "--no-mkdocs"], ["export", "bibtex"]])
def test_commands_refusing_the_data_print_it_capped(flooded: Path, runner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--data", "valid"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sum(bool(SHOWN_LINE.match(line)) for line in lines) == MAX_PER_RUN
    assert f"… and {TOTAL - MAX_PER_RUN} more problems ({TOTAL} in all)" in lines
    assert len(lines) <= MAX_PER_RUN + 4
    assert any(f" failed: {TOTAL} errors in " in line for line in lines)


def test_cap_shows_errors_first_and_keeps_order() -> None:
    found = [warning("a.yaml", f"w{i}", i + 1) for i in range(30)] + [
        error("a.yaml", f"e{i}", 100 + i) for i in range(5)
    ]
    capped = cap(found)
    messages = [d.message for d, _ in capped.rows]
    assert messages == [f"w{i}" for i in range(15)] + [f"e{i}" for i in range(5)]  # in the order given
    assert [more for _, more in capped.rows] == [0] * 19 + [15]  # told after the file's last shown problem
    assert (capped.hidden, capped.total) == (15, 35)

    many = [warning(f"w{i:03}.yaml", "w") for i in range(250)] + [error(f"e{i:03}.yaml", "e") for i in range(250)]
    capped = cap(many)
    assert len(capped.rows) == MAX_PER_RUN and all(d.is_error for d, _ in capped.rows)
    assert all(more == 0 for _, more in capped.rows)  # files shown not at all are in the final count only
    assert (capped.hidden, capped.total) == (300, 500)


def test_few_problems_are_all_shown(capsys) -> None:
    found = [error("a.yaml", "bad", 1, 1), warning("b.yaml", "meh")]
    assert cap(found).rows == [(found[0], 0), (found[1], 0)] and cap(found).hidden == 0
    print_diagnostics(found)
    assert capsys.readouterr().out == "a.yaml:1:1: bad\nb.yaml: warning: meh\n"
    assert "more problem" not in job_summary(found)


def test_summary_stays_small_with_huge_messages() -> None:
    found = [
        error(f"data/records/r{i}.yaml", "year: must be a whole number, not '" + "|" * 50_000 + "'", 1, 1)
        for i in range(500)
    ]
    text = job_summary(found)
    assert len(text.encode()) < 300_000  # 500 x 50 KB uncapped
    assert text.startswith("### ❌ llmpapers validate failed\\: 500 errors in 500 files\n")
    assert text.count("\n| error | ") == MAX_PER_RUN
