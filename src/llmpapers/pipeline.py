"""The stages chained: load -> validate (-> render, export). The CLI calls these and nothing deeper."""

from __future__ import annotations

from pathlib import Path

from .errors import Diagnostic
from .store import Database, load_database
from .validate import check_database


def load_valid(data_dir: Path) -> tuple[Database, list[Diagnostic]]:
    """The database and every problem found in it (loading and cross-record rules)."""
    db = load_database(data_dir)
    return db, check_database(db)


def validate_data(data_dir: Path) -> list[Diagnostic]:
    return load_valid(data_dir)[1]
