"""``llmpapers dedupe``: likely duplicates in the database, the pull request's duplicate check, and the
two curator actions: merge one record into another, or declare two records different works.

    likely_duplicates(data_dir)             -> every likely pair, with the records compared
    check_changed(data_dir, files, since)   -> diagnostics for new and changed records against the rest
    merge_pair(data_dir, keep, drop)        -> DROP merged into KEEP, references repointed, DROP's file removed
    declare_different(data_dir, a, b)       -> each listed in the other's ``not_duplicates``

Each starts from a valid database and refuses an invalid one (:class:`~llmpapers.errors.DataError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..db.store import Database, display_path, record_path, write_record
from ..db.venues import VenueTable
from ..errors import ConfigError, DataError, Diagnostic, error, summarize, warning
from ..identity.dedupe import Pair, find_duplicates, merge_records, repoint
from ..identity.rules import revise
from .database import changed_records, load_valid, valid_database


@dataclass
class Duplicates:
    pairs: list[Pair]  # likely pairs first, then pairs kept apart
    records: int

    @property
    def likely(self) -> list[Pair]:
        return [p for p in self.pairs if p.merge]


def likely_duplicates(data_dir: Path) -> Duplicates:
    db = valid_database(data_dir, "fix data/ before looking for duplicates")
    return Duplicates(find_duplicates(db.records), len(db.records))


@dataclass
class ChangedCheck:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    changed: int = 0
    records: int = 0
    invalid: list[Diagnostic] | None = None  # the database's problems, when it could not be checked


def check_changed(data_dir: Path, files: list[Path], since: str | None) -> ChangedCheck:
    """The given records (and those changed since ``since``) against every other one: the same arXiv id or
    DOI as another record is an error, a likely duplicate a warning with its score. On an invalid database
    nothing is compared and ``invalid`` holds its problems."""
    wanted = [*files, *(changed_records(data_dir, since) if since is not None else [])]
    db, problems = load_valid(data_dir)
    if any(d.is_error for d in problems):
        return ChangedCheck(invalid=problems)
    owner = {path.resolve(): rid for rid, path in db.paths.items()}
    outside = [f for f in files if f.resolve() not in owner]
    if outside:
        raise ConfigError(f"not a record file in {display_path(data_dir / 'records')}: {display_path(outside[0])}")
    changed = {owner[p.resolve()] for p in wanted if p.resolve() in owner}
    found = [
        _diagnostic(db, pair, changed)
        for pair in find_duplicates(db.records)
        if pair.merge and {pair.a, pair.b} & changed
    ]
    return ChangedCheck(sorted(found), len(changed), len(db.records))


def _diagnostic(db: Database, pair: Pair, changed: set[str]) -> Diagnostic:
    by_id = db.by_id()
    loaded = {record.id: node for record, _, node in reversed(db.files)}
    this, other = (pair.a, pair.b) if pair.a in changed else (pair.b, pair.a)
    path, other_path = display_path(db.paths[this]), display_path(db.paths[other])
    for slot, label in (("arxiv", "arXiv id"), ("doi", "DOI")):
        value = getattr(by_id[this].links, slot)
        if value and value.lower() == (getattr(by_id[other].links, slot) or "").lower():
            message = (
                f"same {label} {value} as '{other}' ({other_path}): one work is one record; merge them with "
                f"`llmpapers dedupe --merge {other} {this}`, or correct the {label}"
            )
            return error(path, message, *loaded[this].line_of(("links", slot)))
    message = (
        f"likely duplicate of '{other}' ({other_path}), score {pair.score:.1f}: {pair.reason}; if one work, "
        f"`llmpapers dedupe --merge {other} {this}`; if not, `llmpapers dedupe --not-duplicate {this} {other}`"
    )
    return warning(path, message, *loaded[this].line_of(("title",)))


def _pair(data_dir: Path, a: str, b: str, refused: str) -> Database:
    db = valid_database(data_dir, refused)
    by_id = db.by_id()
    for rid in (a, b):
        if rid not in by_id:
            raise ConfigError(f"no record has id '{rid}'")
    if a == b:
        raise ConfigError(f"'{a}' is one record: give two different ids")
    return db


@dataclass
class Merged:
    written: list[Path]  # the merged record first, then every record repointed from DROP to KEEP
    removed: Path


def merge_pair(data_dir: Path, keep: str, drop: str) -> Merged:
    """Merge record ``drop`` into ``keep``: every source, link, alias and category is kept; records that
    referred to ``drop`` (related, not_duplicates) now refer to ``keep``; ``drop``'s file is removed last,
    after everything else is written, so an interrupted merge leaves both records rather than neither."""
    db = _pair(data_dir, keep, drop, "fix data/ before merging")
    by_id = db.by_id()
    merged = merge_records(by_id[keep], by_id[drop], VenueTable(db.venues))
    written = [write_record(data_dir, merged)]
    for other in db.records:
        if other.id not in (keep, drop) and (fixed := repoint(other, drop, keep)) is not other:
            written.append(write_record(data_dir, fixed))
    removed = record_path(data_dir, drop)
    removed.unlink()
    return Merged(written, removed)


def declare_different(data_dir: Path, a: str, b: str) -> list[Path]:
    """List ``a`` and ``b`` in each other's ``not_duplicates``; the files written (none if already so)."""
    db = _pair(data_dir, a, b, "fix data/ before changing records")
    by_id = db.by_id()
    written = []
    for x, y in ((a, b), (b, a)):
        record = by_id[x]
        if y not in record.not_duplicates:
            updated = revise(record, not_duplicates=[*record.not_duplicates, y])
            written.append(write_record(data_dir, updated))
    return written


def refuse(check: ChangedCheck) -> DataError:
    """The error for a check that could not run on an invalid database."""
    problems = check.invalid or []
    return DataError(problems, f"{summarize(problems)}; fix data/ before checking for duplicates")
