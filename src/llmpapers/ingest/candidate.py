"""Importers turn outside files into :class:`Candidate` works; :mod:`llmpapers.identity.merge` decides
what they become.

Every importer is a pure function ``parse(text, list_name, venues) -> ParseResult``: the candidates it read, and a
diagnostic for every line or block that looked like an entry but could not be read (never skipped silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..db.models import Kind
from ..errors import Diagnostic


@dataclass
class Candidate:
    """One listing of a work, normalised but not yet merged.

    ``title`` is the display title (LaTeX residue removed, mis-decoded text repaired, shouting tamed);
    ``as_listed`` is the title text exactly as the source wrote it, tags included.
    """

    title: str
    as_listed: str
    list_name: str
    line: int
    section: str | None = None
    short_name: str | None = None
    type: Kind = Kind.PAPER
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None  # canonical venue name when the text matched the venue table
    venue_raw: str | None = None  # the venue text as written, when there was one
    arxiv: str | None = None
    doi: str | None = None
    paper: str | None = None  # where the work can be read (not arXiv/DOI: those are identifiers)
    pdf: str | None = None
    code: str | None = None
    project: str | None = None
    other: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    date: str | None = None  # a date the list gave (e.g. ``2023.05``), kept for the year when there is no other
    key: str | None = None  # the citation key, for entries of a .bib file
    # What a citation needs besides authors and venue, as a .bib file gives them (pages as ``611-626``).
    month: int | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    # Where values were looked up (``add --arxiv``): ``{"url": ..., "for": "title, authors"}`` per page.
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ParseResult:
    candidates: list[Candidate] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    exported: bool = False  # the text is an llmpapers export: citation keys are record ids
