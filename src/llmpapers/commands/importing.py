"""The import pipeline: read a list, parse it, plan the merge into ``data/``, and write the plan.

``plan_file`` is everything but the writing; ``apply_plan`` is the only writer. A database with errors
is refused before anything is planned, and the records a plan writes are validated first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..db.store import Database, display_path, write_record
from ..db.venues import VenueTable
from ..db.yamlio import YamlProblems, decode
from ..errors import DataError, LlmpapersError, error, warning
from ..identity.categorize import Categorizer
from ..identity.merge import Plan, plan_import
from ..ingest.candidate import Candidate, ParseResult
from ..progress import progress
from .database import valid_database

Parser = Callable[[str, str, VenueTable], ParseResult]
FALLBACK_CATEGORY = "benchmarks-surveys"
MAX_LIST_BYTES = 64 * 1024 * 1024


def parser_for(kind: str) -> Parser:
    if kind == "awesome":
        from ..ingest.awesome import parse
    elif kind == "bibtex":
        from ..ingest.bibtex import parse
    else:  # pragma: no cover - the CLI offers only the two
        raise LlmpapersError(f"unknown import format {kind!r}")
    return parse


def read_source(path: Path) -> str:
    """The text of a list or .bib file; an unreadable or non-UTF-8 file is a DataError with its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LlmpapersError(f"cannot read {display_path(path)}: {exc.strerror or exc}") from None
    try:
        return decode(raw, limit=MAX_LIST_BYTES)
    except YamlProblems as exc:
        raise DataError([error(display_path(path), p.message, p.line, p.col) for p in exc.problems]) from None


class Suggester:
    """Categories for a new record from the rules (the section heading when the title says nothing);
    ``FALLBACK_CATEGORY`` when neither does, remembering the candidate so that the plan can say so."""

    def __init__(self, db: Database) -> None:
        self.categorizer = Categorizer(db.categories)
        self.fell_back: list[Candidate] = []

    def __call__(self, c: Candidate) -> list[str]:
        found = self.categorizer.slugs(c.title, c.short_name, fallback=c.section)
        if not found:
            self.fell_back.append(c)
        return found or [FALLBACK_CATEGORY]


def plan_file(
    db: Database,
    path: Path,
    kind: str,
    list_name: str,
    today: dt.date,
    keep_first: bool = False,
    resolver: Callable[[Candidate, VenueTable], Candidate] | None = None,
) -> tuple[Plan, ParseResult]:
    """The plan of importing ``path``; ``keep_first``: a .bib key or field given twice keeps its first;
    ``resolver``: completes each entry from the services first (``import --resolve``), so that identity
    rests on identifiers rather than on how the list wrote the work."""
    text = read_source(path)
    table = VenueTable(db.venues)
    parse = parser_for(kind)
    result = parse(text, list_name, table, keep_first=True) if keep_first else parse(text, list_name, table)
    if resolver is not None:
        result.candidates = [
            resolver(c, table) for c in progress(result.candidates, len(result.candidates), "resolving", slow=True)
        ]
    shown = display_path(path)
    result.diagnostics = [replace(d, path=shown) for d in result.diagnostics]  # name the file the user gave
    suggest = Suggester(db)
    candidates = progress(result.candidates, len(result.candidates), f"merging {shown}")
    plan = plan_import(db.records, candidates, table, suggest, today, exported=result.exported)
    skipped = {line for line, _ in plan.errors}
    result.diagnostics += [
        warning(shown, f"no category rule matched {c.title[:60]!r}; filed under {FALLBACK_CATEGORY}: check it", c.line)
        for c in suggest.fell_back
        if c.line not in skipped
    ]
    result.diagnostics += [warning(shown, message, line) for line, message in plan.warnings]
    result.diagnostics += [error(shown, message, line) for line, message in plan.errors]
    result.diagnostics.sort(key=lambda d: d.line or 0)  # in the order of the file
    return plan, result


def apply_plan(data_dir: Path, plan: Plan) -> list[Path]:
    return [write_record(data_dir, record) for record in plan.changed.values()]


def plan_import_file(
    data_dir: Path,
    path: Path,
    kind: str,
    list_name: str,
    today: dt.date,
    keep_first: bool = False,
    resolve: bool = False,
) -> tuple[Plan, ParseResult]:
    """:func:`plan_file` against the database in ``data_dir``, which must be valid."""
    db = valid_database(data_dir, "fix data/ before importing")
    if not resolve:
        return plan_file(db, path, kind, list_name, today, keep_first)
    from ..resolve.gather import gather
    from ..resolve.propose import enrich
    from ..resolve.services import Services
    from .resolving import make_client

    services = Services.from_env()
    with make_client(data_dir) as client:

        def resolver(c: Candidate, table: VenueTable) -> Candidate:
            return enrich(c, gather(client, services, c.title, c.arxiv, c.doi).found, table)[0]

        return plan_file(db, path, kind, list_name, today, keep_first, resolver)
