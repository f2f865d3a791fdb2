"""The stages chained: load -> validate (-> render, export). The CLI calls these and nothing deeper."""

from __future__ import annotations

from pathlib import Path

from ..db import cache
from ..db.checks import check_database
from ..db.store import Database
from ..errors import Diagnostic


def load_valid(data_dir: Path) -> tuple[Database, list[Diagnostic]]:
    """The database and every problem found in it (loading and cross-record rules).

    Records come through :mod:`llmpapers.db.cache` (``LLMPAPERS_NO_CACHE=1`` turns it off); the
    cross-record rules run every time.
    """
    db = cache.load_database(data_dir)
    return db, check_database(db)


def validate_data(data_dir: Path) -> list[Diagnostic]:
    """What :func:`load_valid` reports; when nothing at all changed since the last run, that run's result."""
    return cache.validate(data_dir, check_database)
