"""Shared fixtures: a fresh copy of a fixture database, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def copy_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Copy ``tests/fixtures/NAME`` to a temporary folder, chdir there, return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        monkeypatch.chdir(tmp_path)
        return target

    return copy


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_record(data_dir: Path, record_id: str, text: str) -> Path:
    path = data_dir / "records" / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
