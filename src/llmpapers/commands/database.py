"""The database as every command starts with it: loaded through the cache and checked."""

from __future__ import annotations

import os
from pathlib import Path

from ..db import cache
from ..db.checks import check_database
from ..db.store import Database
from ..errors import DataError, Diagnostic, summarize


def load_valid(data_dir: Path) -> tuple[Database, list[Diagnostic]]:
    """The database and every problem found in it (loading and cross-record rules).

    Records come through :mod:`llmpapers.db.cache` (``LLMPAPERS_NO_CACHE=1`` turns it off); the
    cross-record rules run every time.
    """
    db = cache.load_database(data_dir)
    return db, check_database(db)


def validate_data(data_dir: Path, files: list[Path] | None = None) -> list[Diagnostic]:
    """What :func:`load_valid` reports; when nothing at all changed since the last run, that run's result.
    With ``files``, only the problems in those files (the whole database is still checked, since a record
    can be wrong against another: a taken id, a dangling relation)."""
    diagnostics = cache.validate(data_dir, check_database)
    if files:
        wanted = {os.path.relpath(f) for f in files}
        diagnostics = [d for d in diagnostics if d.path in wanted]
    return diagnostics


def valid_database(data_dir: Path, refused: str) -> Database:
    """The database, or a :class:`DataError` listing its problems when any is an error.

    ``refused`` finishes the message, saying what was not done (``"fix data/ before importing"``).
    """
    db, diagnostics = load_valid(data_dir)
    if any(d.is_error for d in diagnostics):
        raise DataError(diagnostics, f"{summarize(diagnostics)}; {refused}")
    return db
