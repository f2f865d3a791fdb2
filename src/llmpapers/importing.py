"""The import pipeline: read a list, parse it, plan the merge into ``data/``, and write the plan.

``plan_file`` is everything but the writing; ``apply_plan`` is the only writer. A database with errors
is refused before anything is planned, and the records a plan writes are validated first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .categorize import Categorizer
from .errors import DataError, LlmpapersError, error
from .merge import Plan, plan_import
from .progress import progress
from .sources import Candidate, ParseResult
from .store import Database, display_path, write_record
from .venues import VenueTable
from .yamlio import YamlProblems, decode

Parser = Callable[[str, str, VenueTable], ParseResult]
FALLBACK_CATEGORY = "benchmarks-surveys"
MAX_LIST_BYTES = 64 * 1024 * 1024


def parser_for(kind: str) -> Parser:
    if kind == "awesome":
        from .sources.awesome import parse
    elif kind == "bibtex":
        from .sources.bibtex import parse
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


def suggester(db: Database) -> Callable[[Candidate], list[str]]:
    categorizer = Categorizer(db.categories)

    def suggest(c: Candidate) -> list[str]:
        return categorizer.slugs(c.title, c.short_name, fallback=c.section) or [FALLBACK_CATEGORY]

    return suggest


def plan_file(db: Database, path: Path, kind: str, list_name: str, today: dt.date) -> tuple[Plan, ParseResult]:
    text = read_source(path)
    table = VenueTable(db.venues)
    result = parser_for(kind)(text, list_name, table)
    for d in result.diagnostics:  # diagnostics name the list; show the file the user gave
        object.__setattr__(d, "path", display_path(path))
    candidates = progress(result.candidates, len(result.candidates), f"merging {display_path(path)}")
    plan = plan_import(db.records, candidates, table, suggester(db), today, exported=result.exported)
    return plan, result


def apply_plan(data_dir: Path, plan: Plan) -> list[Path]:
    return [write_record(data_dir, record) for record in plan.changed.values()]
