"""Shared fixtures: a fresh copy of a fixture database, and a CLI runner.

The fixture databases (tests/fixtures/valid, invalid, site) hold their records only; the taxonomy and the
venue table they share are kept once, in tests/fixtures/taxonomy, and :func:`fixture_db` puts them into
every copy. Read a fixture database through such a copy, never in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
TAXONOMY = FIXTURES / "taxonomy"  # categories.yaml and venues.yaml of every fixture database
ROOT = Path(__file__).parent.parent


def fixture_db(name: str, target: Path) -> Path:
    """Copy fixture database ``tests/fixtures/NAME`` to ``target`` (new, or an empty folder) with the shared
    taxonomy and venue table; a file of the fixture's own would win. Returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for shared in sorted(TAXONOMY.iterdir()):
        shutil.copy2(shared, target / shared.name)  # as copytree copies: times too (the cache looks at them)
    shutil.copytree(FIXTURES / name, target, dirs_exist_ok=True)
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def copy_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Copy ``tests/fixtures/NAME`` to a temporary folder, chdir there, return its path."""

    def copy(name: str) -> Path:
        target = fixture_db(name, tmp_path / name)
        monkeypatch.chdir(tmp_path)
        return target

    return copy


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def make_record(rid: str = "x", **fields):
    """A valid paper record with every required field; ``fields`` replace or add to them."""
    from llmpapers.db.models import Record

    data = {
        "id": rid,
        "type": "paper",
        "title": "A Title",
        "categories": ["serving"],
        "sources": [{"list": "test", "as_listed": fields.get("title", "A Title")}],
        "added": "2026-01-01",
    }
    return Record.model_validate(data | fields)


def write_record(data_dir: Path, record_id: str, text: str) -> Path:
    path = data_dir / "records" / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server():
    """A local stand-in for arXiv, Semantic Scholar, Crossref, DBLP, GitHub and made-up sites
    (tests/service_server.py): the resolve, check and HTTP tests never leave the machine."""
    from service_server import ServiceServer

    s = ServiceServer()
    yield s
    s.close()
