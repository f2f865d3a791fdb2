"""``llmpapers add``: one new work from flags, an arXiv id or URL, or a BibTeX entry, as a checked record.

:func:`add_work` reads the request into a listing (``ingest.manual`` or ``ingest.bibtex``), looks it up in
the database with the same matcher as an import (a likely duplicate stops it unless ``force``), chooses
categories (given, or the rules' suggestions), gives it a free id and writes it in canonical form. The
notes it returns are what a curator should read on the way (fetched metadata, a near miss, the
categories chosen); the CLI prints them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..db.models import Kind, Record
from ..db.store import display_path, record_path, record_text, write_record
from ..db.venues import VenueTable
from ..errors import BadValue, ConfigError, LlmpapersError
from ..identity.categorize import Categorizer
from ..identity.matcher import Matcher
from ..identity.merge import THRESHOLD, invalid_fields, new_id, new_record
from ..ingest import manual
from ..ingest.bibtex import parse as parse_bibtex
from ..ingest.candidate import Candidate
from .database import valid_database
from .importing import read_source


@dataclass
class Request:
    title: str | None = None
    year: int | None = None
    venue: str | None = None
    urls: list[str] = field(default_factory=list)
    arxiv: str | None = None  # an id or URL
    bibtex: str | None = None  # an entry, or the name of a .bib file holding one
    kind: Kind = Kind.PAPER
    short_name: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    record_id: str | None = None
    offline: bool = False
    resolve: bool = False  # complete the record from arXiv, Semantic Scholar, Crossref and DBLP
    force: bool = False
    dry_run: bool = False
    added: dt.date | None = None


@dataclass
class Added:
    record: Record | None  # None when a likely duplicate stopped it
    text: str = ""
    path: Path | None = None
    written: bool = False
    notes: list[str] = field(default_factory=list)


def add_work(data_dir: Path, request: Request) -> Added:
    db = valid_database(data_dir, "fix data/ before adding")
    table = VenueTable(db.venues)
    notes: list[str] = []
    candidate = _listing(request, table, notes)
    if request.resolve:
        candidate = _resolved(data_dir, candidate, table, notes)
    match, miss = Matcher(db.records).find(candidate)
    if match:
        notes.append(
            f"possible duplicate of {match.record_id}, score {match.score:g} ({match.reason}): "
            f"{display_path(db.paths[match.record_id])}"
        )
        if not request.force:
            notes.append("nothing written; edit that record, or pass --force if this is a different work")
            return Added(None, notes=notes)
    elif miss and miss.score >= THRESHOLD - 10:
        notes.append(f"note: similar to {miss.record_id}, score {miss.score:g}, kept apart ({miss.reason})")

    known = [c.slug for c in db.categories]
    for slug in request.categories:
        if slug not in known:
            raise BadValue("--category", f"unknown category '{slug}'; one of: {', '.join(known)}")
    chosen = request.categories or Categorizer(db.categories).slugs(candidate.title, candidate.short_name)
    if not chosen:
        raise ConfigError(f"no category suggested for this title; pass --category (one of: {', '.join(known)})")
    if not request.categories:
        notes.append(f"categories suggested by the rules: {', '.join(chosen)} (override with --category)")
    taken = {r.id for r in db.records}
    rid = request.record_id or new_id(candidate, taken)
    if rid in taken:
        raise LlmpapersError(f"id '{rid}' is taken by {display_path(db.paths[rid])}; choose another with --id")
    try:
        record = new_record(candidate, rid, chosen, request.added or dt.date.today())
    except ValidationError as exc:
        raise LlmpapersError(f"the new record is not valid: {invalid_fields(exc)}") from None
    if request.dry_run:
        return Added(record, record_text(record), record_path(data_dir, rid), False, notes)
    return Added(record, record_text(record), write_record(data_dir, record), True, notes)


def _resolved(data_dir: Path, candidate: Candidate, table: VenueTable, notes: list[str]) -> Candidate:
    """``candidate`` completed from the services (``add --resolve``); what was taken, and from where, noted."""
    from ..resolve.gather import gather
    from ..resolve.propose import enrich
    from ..resolve.services import Services
    from .resolving import make_client

    with make_client(data_dir) as client:
        answers = gather(client, Services.from_env(), candidate.title, candidate.arxiv, candidate.doi)
    candidate, proposal = enrich(candidate, answers.found, table)
    notes += [f"resolved {line}" for line in proposal.changes]
    notes += [f"kept {line}" for line in proposal.disagreements]
    notes += [f"CHECK {line}" for line in proposal.conflicts]
    return candidate


def _listing(request: Request, table: VenueTable, notes: list[str]) -> Candidate:
    """The request as a listing, the way an import would have read it."""
    if request.bibtex:
        candidate = _from_bibtex(request.bibtex, table)
        candidate.short_name = request.short_name or candidate.short_name
        if request.kind is not Kind.PAPER:
            candidate.type = request.kind
        return candidate
    arxiv = None
    if request.arxiv:
        arxiv = manual.parse_arxiv(request.arxiv)
        if arxiv is None:
            raise BadValue("--arxiv", f"not an arXiv id or URL: {request.arxiv!r}")
    meta = None
    if arxiv and not request.offline and not os.environ.get("LLMPAPERS_OFFLINE"):
        meta = manual.fetch_arxiv(arxiv)
        notes.append(f"arXiv {arxiv}: " + (f"fetched '{meta.title}'" if meta else "not reachable; using the flags"))
    if not request.title and not meta and not request.arxiv:
        raise ConfigError("give --title (with --year, --venue, --url ...), --arxiv or --bibtex")
    return manual.from_flags(
        title=request.title,
        year=request.year,
        venue=request.venue,
        urls=request.urls,
        kind=request.kind,
        short_name=request.short_name,
        authors=request.authors,
        arxiv=arxiv,
        table=table,
        meta=meta,
    )


def _from_bibtex(value: str, table: VenueTable) -> Candidate:
    if "@" in value and "{" in value:  # the entry itself
        text = value
    else:  # a file name: a BibTeX entry always holds "@" and "{"
        path = Path(value)
        if not path.is_file():
            why = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise BadValue("--bibtex", f"{value} {why} (give a .bib file or the entry's text)")
        text = read_source(path)
    result = parse_bibtex(text, "manual", table)
    errors = [d for d in result.diagnostics if d.is_error]
    if errors or len(result.candidates) != 1:
        detail = "; ".join(f"line {d.line}: {d.message}" for d in errors)
        raise LlmpapersError(
            f"--bibtex must hold exactly one readable entry (found {len(result.candidates)})"
            + (f": {detail}" if detail else "")
        )
    return result.candidates[0]
