"""The pieces the cache is made of: the store's one loop with another loader, the listing, the scan, and
records that come back from the cache exactly as validation made them."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import FIXTURES, fixture_db
from llmpapers.db import cache, fingerprint, store


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.llmpapers]\n")
    target = fixture_db("invalid", tmp_path / "data")
    shutil.copy(FIXTURES / "valid" / "records" / "orca.yaml", target / "records" / "orca.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setattr(cache, "RACY_NS", 40_000_000)
    time.sleep(0.06)
    return Path("data")


def test_store_runs_any_loader_in_its_loop(data: Path) -> None:
    seen: list[Path] = []

    def load(path: Path):  # noqa: ANN202
        seen.append(path)
        return store.load_record(path)

    ours, plain = store.load_database(data, load=load), store.load_database(data)
    assert seen == store.record_files(data)
    assert ours.records == plain.records and ours.diagnostics == plain.diagnostics and ours.paths == plain.paths


def test_record_names_sort_as_paths(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("b.yaml", "B.yaml", "a.yml", "a-b.yaml", "a.yaml", "a_b.yaml", "é.yaml", "noext", "x.json"):
        (records / name).write_text("x")
    expected = sorted(p for p in records.iterdir() if p.name.endswith((".yaml", ".yml")) or p.suffix == "")
    assert store.record_files(tmp_path) == expected
    assert store.record_names(tmp_path) == [p.name for p in expected]


def test_scan_sees_every_change_of_the_listing(data: Path) -> None:
    before = fingerprint.scan(data)
    assert before.names == store.record_names(data) and None not in before.keys
    assert before.newest < before.started and fingerprint.scan(data).state == before.state
    path = data / "records" / "orca.yaml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))  # only the ctime changes
    after = fingerprint.scan(data)
    assert after.state != before.state and after.newest >= before.started - 1_000_000_000


def test_a_vanished_file_is_never_settled(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = store.record_names(data)
    monkeypatch.setattr(fingerprint, "record_names", lambda _: [*names, "gone.yaml"])
    sc = fingerprint.scan(data)
    assert sc.keys[-1] is None and sc.newest == sc.started


def test_cached_records_are_the_validated_ones(data: Path) -> None:
    cold = cache.load_database(data)
    warm = cache.load_database(data, stats=(stats := cache.CacheStats()))
    assert stats.hits == len(store.record_files(data)) and stats.misses == 0
    assert warm.records == cold.records
    for a, b in zip(warm.records, cold.records, strict=True):
        assert a.model_fields_set == b.model_fields_set and a.model_dump() == b.model_dump()
        assert a.links.model_fields_set == b.links.model_fields_set
        with pytest.raises(ValidationError, match="frozen"):
            a.title = "changed"


def test_cache_file_holds_plain_pickles(data: Path) -> None:
    """The record cache is pydantic's own pickling of the models: any unpickler reads it back."""
    cache.load_database(data)
    blob = cache.cache_file(data).read_bytes()
    key, entries = pickle.loads(blob[len(cache.MAGIC) + cache.DIGEST :])
    assert key == cache.fingerprint(data)
    records = {name: record for name, (_, record, _) in entries.items() if record is not None}
    assert records["orca.yaml"] == store.load_database(data).by_id()["orca"]


def test_no_cache_reads_and_writes_nothing(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    stats = cache.CacheStats()
    db = cache.load_database(data, stats=stats)
    assert not stats.enabled and not stats.written and stats.path is None
    assert db.diagnostics == store.load_database(data).diagnostics
    assert not (data.parent / ".cache").exists()
