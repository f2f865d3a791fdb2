"""The committed database against its founding lists: every entry exactly once, and re-import is a no-op."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from llmpapers.commands.database import load_valid
from llmpapers.commands.importing import plan_file
from llmpapers.db.venues import VenueTable
from llmpapers.ingest.awesome import parse

DATA = Path(__file__).parent.parent / "data"
LISTS = [
    "awesome-llm-inference",
    "efficient-llm-hardware-system",
    "llm-papers-we-recommend",
    "awesome-ml-system-codesign",
]
EXPECTED_ENTRIES = {"awesome-llm-inference": 30, "efficient-llm-hardware-system": 30, "llm-papers-we-recommend": 71,
                    "awesome-ml-system-codesign": 376}  # fmt: skip


@pytest.fixture(scope="module")
def db():
    db, problems = load_valid(DATA)
    assert [p.format() for p in problems if p.is_error] == []
    return db


def test_committed_data_is_valid_and_sized(db):
    assert 420 <= len(db.records) <= 430


def test_every_seed_entry_is_in_exactly_one_record(db):
    table = VenueTable(db.venues)
    provenance = Counter((s.list_, s.line, s.as_listed) for r in db.records for s in r.sources)
    total = 0
    for name in LISTS:
        result = parse((DATA / "sources" / f"{name}.md").read_text(encoding="utf-8"), name, table)
        assert len(result.candidates) == EXPECTED_ENTRIES[name]
        for c in result.candidates:
            assert provenance[(name, c.line, c.as_listed)] == 1, (name, c.line, c.as_listed)
        total += len(result.candidates)
    assert total == 507
    assert sum(provenance.values()) == 507  # no provenance that no list accounts for


def test_reimporting_every_list_changes_nothing(db):
    for name in LISTS:
        plan, _ = plan_file(db, DATA / "sources" / f"{name}.md", "awesome", name, dt.date(2026, 11, 22))
        assert plan.changed == {}, f"{name}: {sorted(plan.changed)}"
        assert {a.kind for a in plan.actions} == {"unchanged"}
