"""The record cache and the whole-result cache: used when nothing changed, never stale when anything did.

Every check compares with a cold run of the loader the cache stands in for (``store.load_database`` and
the cross-record rules), on a database with problems of every kind (the ``invalid`` fixture) plus valid
records.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import fixture_db
from llmpapers.commands.database import load_valid, validate_data
from llmpapers.db import cache
from llmpapers.db.checks import check_database
from llmpapers.db.fingerprint import scan
from llmpapers.db.store import load_database, record_files

FIXTURES = Path(__file__).parent / "fixtures"
SETTLE = 0.06  # seconds; RACY_NS is lowered to 40 ms here so that the tests need not wait 3 s


def cold(data: Path) -> list:
    """What the loader without any cache reports."""
    return check_database(load_database(data))


def run(data: Path) -> tuple[list, cache.CacheStats]:
    stats = cache.CacheStats()
    return cache.validate(data, check_database, stats), stats


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The invalid fixture plus two valid records, in a project of its own; files already settled."""
    (tmp_path / "pyproject.toml").write_text("[tool.llmpapers]\n")
    target = tmp_path / "data"
    fixture_db("invalid", target)
    for name in ("orca.yaml",):
        shutil.copy(FIXTURES / "valid" / "records" / name, target / "records" / name)
    text = (target / "records" / "orca.yaml").read_text().replace("id: orca", "id: orca-two")
    (target / "records" / "orca-two.yaml").write_text(text.replace("Orca: A", "Orca Two: A"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setattr(cache, "RACY_NS", 40_000_000)
    time.sleep(SETTLE)
    return Path("data")  # relative, as a user passes --data: paths in messages stay relative


def test_cache_is_used_on_the_second_run(data: Path) -> None:
    first, stats = run(data)
    assert first == cold(data) and first  # the fixture is full of problems
    assert stats.misses == len(record_files(data)) and stats.hits == 0 and stats.written
    assert (data.parent / ".cache" / "llmpapers").is_dir()
    second, stats = run(data)
    assert second == first and stats.reason == "whole result reused"
    db = cache.load_database(data, stats=(stats := cache.CacheStats()))
    assert stats.hits == len(record_files(data)) and stats.misses == 0 and not stats.written
    assert check_database(db) == first


def test_same_database_as_the_store(data: Path) -> None:
    """Records, diagnostics, paths and files as store.load_database gives them, and the same lines."""
    for _ in range(2):  # cold, then from the cache
        ours, theirs = cache.load_database(data), load_database(data)
        assert ours.records == theirs.records and ours.paths == theirs.paths
        assert ours.diagnostics == theirs.diagnostics
        assert [(r, p) for r, p, _ in ours.files] == [(r, p) for r, p, _ in theirs.files]
        for (_, _, lazy), (_, _, loaded) in zip(ours.files, theirs.files, strict=True):
            assert lazy.data == loaded.data
            assert lazy.line_of(("sources", 0, "as_listed")) == loaded.line_of(("sources", 0, "as_listed"))
            assert lazy.line_of(("id",), key=True) == loaded.line_of(("id",), key=True)


def test_edit_same_size_same_mtime_is_seen(data: Path) -> None:
    run(data)
    path = data / "records" / "orca.yaml"
    st = path.stat()
    text = path.read_text()
    edited = text.replace("venue: OSDI", "venue: OSDX")  # same size: an unknown venue now
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime restored; the ctime cannot be
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size
    after, stats = run(data)
    assert after == cold(data)
    assert any("OSDX" in d.message for d in after)
    assert stats.reason != "whole result reused" and stats.misses == 1


def test_edit_within_the_same_tick_is_not_served(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed just before (or while) a run is read again next time, never trusted to its lstat."""
    run(data)
    monkeypatch.setattr(cache, "RACY_NS", 3_000_000_000)
    path = data / "records" / "orca.yaml"
    path.write_text(path.read_text().replace("venue: OSDI", "venue: SOSP"))  # young now
    after, stats = run(data)
    assert after == cold(data) and stats.racy == 1 and stats.misses == 1
    again, stats = run(data)  # read again; and no whole result was kept while a file was young
    assert again == after and stats.reason != "whole result reused" and stats.misses == 1


def test_deleted_file(data: Path) -> None:
    run(data)
    (data / "records" / "tab.yaml").unlink()
    after, stats = run(data)
    assert after == cold(data) and not any(d.path.endswith("tab.yaml") for d in after)
    assert stats.dropped == 1


def test_added_file(data: Path) -> None:
    run(data)
    text = (data / "records" / "orca.yaml").read_text().replace("id: orca", "id: orca")
    (data / "records" / "orca-copy.yaml").write_text(text)  # wrong id for its name, and a repeated id
    after, _ = run(data)
    assert after == cold(data)
    assert any(d.path.endswith("orca-copy.yaml") for d in after)


def test_taxonomy_change(data: Path) -> None:
    run(data)
    categories = data / "categories.yaml"
    categories.write_text(categories.read_text().replace("slug: serving", "slug: servers"))
    after, stats = run(data)
    assert after == cold(data)
    assert any("unknown category 'serving'" in d.message for d in after)
    assert stats.reason.startswith("cache outdated")


def test_venue_table_change(data: Path) -> None:
    run(data)
    venues = data / "venues.yaml"
    venues.write_text(venues.read_text().replace("name: OSDI", "name: OSDI-X"))
    after, _ = run(data)
    assert after == cold(data)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:-10] + bytes(10), id="tail-zeroed"),
        pytest.param(lambda b: b"garbage", id="garbage"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:], id="one-bit"),
    ],
)
def test_corrupt_cache_is_ignored_and_rebuilt(data: Path, damage) -> None:
    run(data)
    for path in (cache.cache_file(data), cache.result_file(data)):
        path.write_bytes(damage(path.read_bytes()))
    after, stats = run(data)
    assert after == cold(data)
    assert stats.reason.startswith(("cache corrupt", "no cache")) and stats.written
    assert run(data)[1].reason == "whole result reused"


def test_cache_of_another_format_is_ignored(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(data)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)  # as a change of code or versions does
    after, stats = run(data)
    assert after == cold(data) and stats.reason.startswith("cache outdated")


def test_working_directory_change_renders_paths_again(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(data)
    monkeypatch.chdir(data)
    after, _ = run(Path("."))
    assert after == cold(Path("."))
    assert any(d.path.startswith("records/") for d in after)
    db = cache.load_database(Path("."))  # per-file diagnostics from the record cache, re-rendered too
    assert check_database(db) == after


def test_no_cache_env(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    assert validate_data(data) == cold(data)
    db, diagnostics = load_valid(data)
    assert diagnostics == cold(data)
    assert not (data.parent / ".cache").exists()


def test_pipeline_uses_the_cache(data: Path) -> None:
    first = validate_data(data)
    assert cache.cache_file(data).is_file() and cache.result_file(data).is_file()
    assert validate_data(data) == first == cold(data)
    db, diagnostics = load_valid(data)
    assert diagnostics == first and db.records == load_database(data).records


def test_unwritable_cache_folder_is_not_an_error(data: Path) -> None:
    (data.parent / ".cache").write_text("a file where the folder would go")
    after, stats = run(data)
    assert after == cold(data) and not stats.written


def test_listing_matches_the_store(tmp_path: Path) -> None:
    records = tmp_path / "data" / "records"
    records.mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "Z.yaml", "noext", ".hidden", "x.yaml.tmp", "c.json", "é.yaml", "a.yaml"):
        (records / name).write_text("x")
    (records / "sub").mkdir()
    assert scan(tmp_path / "data").files == record_files(tmp_path / "data")
    assert scan(tmp_path / "nowhere").files == record_files(tmp_path / "nowhere") == []


def test_fingerprint_follows_code_date_and_taxonomy(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    before = cache.fingerprint(data)
    assert cache.fingerprint(data) == before

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):  # noqa: ANN206
            return dt.date(2099, 1, 1)

    with monkeypatch.context() as m:
        m.setattr(cache.dt, "date", Tomorrow)
        assert cache.fingerprint(data) != before
    assert cache.fingerprint(data) == before
    (data / "venues.yaml").write_text((data / "venues.yaml").read_text() + "\n")
    assert cache.fingerprint(data) != before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_loading_shows_progress_only_on_a_terminal(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llmpapers import progress

    monkeypatch.setattr(progress, "MIN_TOTAL", 1)
    monkeypatch.setattr(progress, "CHECK_EVERY", 1)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    cache.load_database(data, use_cache=False)
    assert quiet.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    cache.load_database(data, use_cache=False)
    shown = terminal.getvalue()
    assert "loading records" in shown and f"/{len(record_files(data))}" in shown and shown.endswith("\r\033[K")
    assert list(progress.progress(range(5), 5, "x", stream=terminal)) == [0, 1, 2, 3, 4]


def test_odd_entries_as_the_store_reports_them(data: Path) -> None:
    records = data / "records"
    (records / "link.yaml").symlink_to(records / "orca.yaml")
    (records / "folder.yaml").mkdir()
    (records / "empty.yaml").write_text("")
    (records / "big.yaml").write_text("title: " + "x" * 200_000 + "\n")
    (records / "wide.yaml").write_bytes("id: wide\n".encode("utf-16"))
    time.sleep(SETTLE)
    for _ in range(3):  # cold, from the record cache, from the whole result
        assert run(data)[0] == cold(data)
    assert {"link.yaml", "folder.yaml", "empty.yaml", "big.yaml", "wide.yaml"} <= {
        Path(d.path).name for d in cold(data)
    }
