"""Hostile file system entries in data/: a records folder that is a link elsewhere, a named pipe, a socket or a
folder where a record file belongs, record files named ``.YAML``. Each is an error at its path, exit 1, never a
hang, never a traceback, whichever command loads the database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import fixture_db
from llmpapers.cli import main
from llmpapers.db import store

BASE = (
    "id: {id}\ntype: paper\ntitle: T\ncategories: [serving]\nsources: [{{list: m, as_listed: T}}]\nadded: 2026-11-22\n"
)
NO_LINKS = "symbolic links are not allowed in data/"
POSIX = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes and symbolic links")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the valid fixture database at ./valid, with its own cache folder."""
    monkeypatch.chdir(tmp_path)
    return fixture_db("valid", tmp_path / "valid")


def cli(data: Path, *args: str, no_cache: bool = False) -> subprocess.CompletedProcess:
    """``llmpapers ARGS --data DATA`` in a fresh process (a hang ends in a timeout, not a stuck suite)."""
    env = {**os.environ, "LLMPAPERS_NO_CACHE": "1" if no_cache else "0"}
    env.pop("LLMPAPERS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "llmpapers", *args, "--data", str(data.name)],
        cwd=data.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def assert_refused(result, *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for line in expected:
        assert line in result.stdout.splitlines() + result.stderr.splitlines(), result.stdout + result.stderr


# ------------------------------------------------------------------------------- a linked records folder


@POSIX
def test_records_folder_that_is_a_link_is_refused(data: Path, tmp_path: Path, runner) -> None:
    elsewhere = tmp_path / "elsewhere"
    (data / "records").rename(elsewhere)
    (elsewhere / "stray.yaml").write_text("not: [a record\n")  # would be reported if the link were followed
    os.symlink(elsewhere, data / "records")
    message = f"valid/records:1:1: {NO_LINKS}; commit the folder itself, not a link to it"
    for no_cache in (True, False, False):  # no cache, cold cache, whole result reused
        result = cli(data, "validate", no_cache=no_cache)
        assert_refused(result, message)
        assert "elsewhere" not in result.stdout and "stray" not in result.stdout
    assert store.record_names(data) == []
    for command in (["build", "--no-mkdocs"], ["export", "bibtex"], ["stats"], ["dedupe"]):
        result = runner.invoke(main, [*command, "--data", "valid"])
        assert result.exit_code == 1, (command, result.output)
        assert message in result.output, (command, result.output)


@POSIX
def test_linked_taxonomy_is_refused_even_when_dangling(data: Path, tmp_path: Path, runner) -> None:
    (data / "venues.yaml").rename(tmp_path / "venues.yaml")
    os.symlink(tmp_path / "venues.yaml", data / "venues.yaml")
    os.remove(data / "categories.yaml")
    os.symlink(tmp_path / "nowhere.yaml", data / "categories.yaml")
    result = runner.invoke(main, ["validate", "--data", "valid"])
    assert result.exit_code == 1
    assert f"valid/venues.yaml:1:1: {NO_LINKS}; commit the file itself" in result.output
    assert f"valid/categories.yaml:1:1: {NO_LINKS}; commit the file itself" in result.output


# ---------------------------------------------------------------------------- entries that are not files


@POSIX
@pytest.mark.parametrize("no_cache", [True, False])
def test_named_pipe_is_reported_not_opened(data: Path, no_cache: bool) -> None:
    os.mkfifo(data / "records" / "x.yaml")
    message = "valid/records/x.yaml: not a regular file (a named pipe); data/ holds only plain files: remove it"
    for _ in range(2):  # the second run takes the file's outcome, or the whole result, from the cache
        assert_refused(cli(data, "validate", no_cache=no_cache), message)
    assert_refused(cli(data, "fmt", "--check", no_cache=no_cache), message)


@POSIX
@pytest.mark.parametrize("name", ["venues.yaml", "categories.yaml"])
def test_a_named_pipe_for_a_table_does_not_hang_the_cache(data: Path, name: str) -> None:
    (data / name).unlink()
    os.mkfifo(data / name)
    result = cli(data, "validate")
    assert (
        result.returncode == 1 and f"valid/{name}: not a regular file (a named pipe)" in result.stdout + result.stderr
    )


@POSIX
def test_socket_folder_and_device_are_reported(data: Path, runner) -> None:
    records = data / "records"
    (records / "folder.yaml").mkdir()
    (records / "folder.yaml" / "inside.yaml").write_text(BASE.format(id="inside"))
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("valid/records/sock.yaml")
        if os.path.exists("/dev/null"):
            os.symlink("/dev/null", records / "null.yaml")
        result = runner.invoke(main, ["validate", "--data", "valid"])
    finally:
        server.close()
    assert result.exit_code == 1
    assert "valid/records/folder.yaml: not a regular file (a folder); data/ holds only plain files: remove it" in (
        result.output
    )
    assert "valid/records/sock.yaml: not a regular file (a socket); data/ holds only plain files: remove it" in (
        result.output
    )
    assert "inside" not in result.output


def test_entries_are_checked_without_opening_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").mkdir()
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    loaded, problems = store.read_yaml(tmp_path / "x.yaml")
    assert loaded is None and [p.message for p in problems] == [
        "not a regular file (a folder); data/ holds only plain files: remove it"
    ]
    assert opened == []


# ----------------------------------------------------------------------------------- .YAML, .Yaml, .YML


@pytest.mark.parametrize(
    ("name", "renamed"),
    [("UPPER.YAML", "upper.yaml"), ("x.Yaml", "x.yaml"), ("x.YML", "x.yaml"), ("Some-Paper.yAmL", "some-paper.yaml")],
)
def test_record_file_suffix_in_the_wrong_case(data: Path, runner, name: str, renamed: str) -> None:
    (data / "records" / name).write_text(BASE.format(id=Path(renamed).stem))
    message = f"valid/records/{name}:1:1: record files end in lowercase .yaml; rename {name} to {renamed}"
    for _ in range(2):  # cold, then through the cache
        result = runner.invoke(main, ["validate", "--data", "valid"])
        assert result.exit_code == 1, result.output
        assert message in result.output.splitlines()
        assert result.output.splitlines()[-1] == "validate failed: 1 error in 1 file"
    result = runner.invoke(main, ["build", "--no-mkdocs", "--data", "valid"])
    assert result.exit_code == 1 and message in result.output


def test_record_names_still_lists_only_what_it_did(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("a.yaml", "b.yml", "c", "README.md", "d.json", "E.YAML", "f.Yml", ".hidden.yaml.swp"):
        (records / name).write_text("")
    assert store.record_names(tmp_path) == ["E.YAML", "a.yaml", "b.yml", "c", "f.Yml"]
