"""The database as every command starts with it: loaded through the cache and checked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..db import cache
from ..db.checks import check_database
from ..db.store import Database
from ..errors import ConfigError, DataError, Diagnostic, summarize


def load_valid(data_dir: Path) -> tuple[Database, list[Diagnostic]]:
    """The database and every problem found in it (loading and cross-record rules).

    Records come through :mod:`llmpapers.db.cache` (``LLMPAPERS_NO_CACHE=1`` turns it off); the
    cross-record rules run every time.
    """
    db = cache.load_database(data_dir)
    return db, check_database(db)


def validate_data(data_dir: Path, files: list[Path] | None = None, since: str | None = None) -> list[Diagnostic]:
    """What :func:`load_valid` reports; when nothing at all changed since the last run, that run's result.
    With ``files`` (or ``since``, a git revision), only the problems in those files (or in the records added
    or changed since then). The whole database is still checked, since a record can be wrong against another:
    a taken id, a dangling relation."""
    diagnostics = cache.validate(data_dir, check_database)
    chosen = [*(files or []), *(changed_records(data_dir, since) if since is not None else [])]
    if files or since is not None:
        wanted = {os.path.relpath(f) for f in chosen}
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


def changed_records(data_dir: Path, ref: str) -> list[Path]:
    """Record files added or modified since ``ref`` (committed, staged or not) and untracked ones; not deleted."""
    if ref.startswith("-"):
        raise ConfigError(f"--since takes a git revision, not {ref!r}")
    git = ["git", "-C", str(data_dir)]
    found: list[Path] = []
    for args in (
        ["diff", "--name-only", "-z", "--relative", "--no-renames", "--diff-filter=d", ref, "--", "records"],
        ["ls-files", "-z", "--others", "--exclude-standard", "--", "records"],
    ):
        try:
            done = subprocess.run([*git, *args], capture_output=True, check=False)
        except OSError as exc:
            raise ConfigError(f"--since needs git: {exc.strerror}") from None
        if done.returncode:
            shown = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConfigError(f"git {args[0]} {ref!r} failed: {shown[0] if shown else done.returncode}")
        names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
        found += [data_dir / name for name in names if name.endswith(".yaml")]
    return found
