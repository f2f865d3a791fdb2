"""The command line: exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import fixture_db
from llmpapers.cli import main


def test_validate_clean(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["validate", "--data", "valid"])
    assert result.exit_code == 0, result.output
    assert result.output == "validate: no problems\n"


def test_validate_problems_exit_1(copy_fixture, runner):
    copy_fixture("invalid")
    result = runner.invoke(main, ["validate", "--data", "invalid"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("invalid/records/ax.yaml:6:9: links.code:")
    assert lines[-1] == "validate failed: 26 errors, 4 warnings in 18 files"


def test_usage_error_exit_2(runner):
    result = runner.invoke(main, ["validate", "--no-such-flag"])
    assert result.exit_code == 2


def test_fmt_check_exit_codes(copy_fixture, runner):
    data = copy_fixture("valid")
    assert runner.invoke(main, ["fmt", "--check", "--data", "valid"]).exit_code == 0
    path = data / "records" / "orca.yaml"
    path.write_text(path.read_text().replace("id: orca\ntype: paper\n", "type: paper\nid: orca\n"))
    result = runner.invoke(main, ["fmt", "--check", "--data", "valid"])
    assert result.exit_code == 1 and "would reformat valid/records/orca.yaml" in result.output
    assert runner.invoke(main, ["fmt", "--data", "valid"]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", "--data", "valid"]).exit_code == 0


def test_schema_is_shipped_and_current(runner):
    from conftest import ROOT

    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False and "sources" in schema["required"]
    shipped = (ROOT / "schema" / "record.schema.json").read_text(encoding="utf-8")
    assert shipped == result.output, "run: llmpapers schema -o schema/record.schema.json"


def test_every_command_has_help(runner):
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_every_command_is_documented():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"llmpapers {name}" in readme, f"README does not mention `llmpapers {name}`"


def test_version(runner):
    from llmpapers import __version__

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"llmpapers, version {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [["validate"], ["dedupe", "--all"], ["categorize"], ["stats"], ["export", "bibtex"], ["fmt", "--check"]],
    ids=lambda a: " ".join(a),
)
def test_output_to_a_closed_pipe_ends_quietly(tmp_path, args):
    """`llmpapers … | head`: when the reader has gone, the command stops without a word, as Unix tools do
    (exit 141 = 128 + SIGPIPE). The pipe's reading end is closed before the command writes anything, so
    its first write fails: the same as `head` exiting early, without the race."""
    fixture_db("valid", tmp_path / "data")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "llmpapers", *args, "--data", str(tmp_path / "data")],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (141, "")


def test_add_bibtex_file_that_does_not_exist_says_so(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["add", "--data", "valid", "--bibtex", "missing.bib", "--dry-run"])
    assert result.exit_code == 2
    assert "Invalid value for --bibtex: missing.bib does not exist" in result.output
    result = runner.invoke(main, ["add", "--data", "valid", "--bibtex", "valid", "--dry-run"])
    assert result.exit_code == 2 and "valid is a folder, not a file" in result.output
