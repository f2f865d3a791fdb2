"""What a record needs before people can cite it: authors, a direct link, its identifiers, its published venue.

One set of rules serves two readers: ``validate`` turns each gap into a warning at the field's line
(``--strict`` fails on them), and ``stats`` counts how many records have what they need. Pure.

>>> from llmpapers.db.models import Record
>>> r = Record.model_validate({"id": "x", "type": "paper", "title": "X", "venue": "arXiv", "categories": ["a"],
...     "sources": [{"list": "manual", "as_listed": "X"}], "added": "2026-01-01"})
>>> [g.kind for g in gaps(r, dois=set())]
['authors', 'link', 'arxiv']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .models import Kind, Record, Venue

# Hosts of source code: a URL there is the work's code, never its paper (unless it is a PDF file).
CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})

# Which links count as "a direct link to the work itself", by type. A paper's code is not the paper.
_DIRECT: dict[Kind, tuple[str, ...]] = {
    Kind.PAPER: ("paper", "pdf", "arxiv", "doi", "project"),
    Kind.ARTICLE: ("paper", "pdf", "arxiv", "doi", "project"),
    Kind.TOOL: ("code", "project", "paper"),
    Kind.MODEL: ("project", "code", "paper", "arxiv"),
    Kind.HARDWARE: ("project", "paper", "pdf", "doi"),
}


@dataclass(frozen=True)
class Gap:
    """One thing a record lacks: its kind (``authors``, ``link``, ``arxiv``, ``doi``, ``code-as-paper`` or
    ``evidence``), the field it belongs at, and what to do."""

    kind: str
    loc: tuple[str, ...]
    message: str


def needs_authors(record: Record) -> bool:
    return record.type in (Kind.PAPER, Kind.ARTICLE)


def has_direct_link(record: Record) -> bool:
    links = record.links
    return any(getattr(links, name) for name in _DIRECT[record.type])


def is_code_url(url: str) -> bool:
    """A repository page rather than a paper: github.com/org/repo, but not a PDF kept in a repository."""
    parts = urlsplit(url)
    return parts.hostname in CODE_HOSTS and not parts.path.lower().endswith(".pdf")


def doi_venues(venues: Iterable[Venue]) -> set[str]:
    """Names of the venues whose publisher registers a DOI for every paper."""
    return {v.name for v in venues if v.dois}


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def gaps(record: Record, dois: set[str]) -> list[Gap]:
    """What ``record`` lacks to be cited, in field order. ``dois`` is :func:`doi_venues` of the venue table."""
    found = []
    if needs_authors(record) and not record.authors:
        found.append(Gap("authors", ("title",), f"{_a(record.type.value)} needs its authors, complete and in order"))
    if not has_direct_link(record):
        wanted = ", ".join(_DIRECT[record.type])
        found.append(Gap("link", ("title",), f"no direct link to the work; add one of links.{{{wanted}}}"))
    if record.venue == "arXiv" and not record.links.arxiv:
        found.append(Gap("arxiv", ("venue",), "venue is arXiv but links.arxiv is missing; add the arXiv id"))
    if record.venue in dois and not record.links.doi:
        found.append(Gap("doi", ("venue",), f"{record.venue} registers a DOI for every paper; add links.doi"))
    for name in ("paper", "pdf"):
        url = getattr(record.links, name)
        if url and is_code_url(url):
            found.append(
                Gap("code-as-paper", ("links", name), f"links.{name} is a code repository; move it to links.code")
            )
    for i, entry in enumerate(record.evidence):
        for name in entry.fields:
            if not _has(record, name):
                found.append(Gap("evidence", ("evidence", i, "for"), f"evidence vouches for {name}, which is empty"))
    return found


def _has(record: Record, name: str) -> bool:
    value = getattr(record, name) if name in Record.model_fields else getattr(record.links, name)
    return value not in (None, [], "")


@dataclass
class Coverage:
    """How many records have what a citation needs, each as (have, of)."""

    authors: tuple[int, int] = (0, 0)
    link: tuple[int, int] = (0, 0)
    arxiv: tuple[int, int] = (0, 0)  # records at venue arXiv with an arXiv id
    doi: tuple[int, int] = (0, 0)  # records at a DOI-registering venue with a DOI
    evidence: tuple[int, int] = (0, 0)  # records that say where their values were looked up
    any_arxiv: int = 0  # records with an arXiv id, whatever their venue
    any_doi: int = 0


def coverage(records: list[Record], dois: set[str]) -> Coverage:
    authored = [r for r in records if needs_authors(r)]
    preprints = [r for r in records if r.venue == "arXiv"]
    registered = [r for r in records if r.venue in dois]
    return Coverage(
        authors=(sum(bool(r.authors) for r in authored), len(authored)),
        link=(sum(has_direct_link(r) for r in records), len(records)),
        arxiv=(sum(bool(r.links.arxiv) for r in preprints), len(preprints)),
        doi=(sum(bool(r.links.doi) for r in registered), len(registered)),
        evidence=(sum(bool(r.evidence) for r in records), len(records)),
        any_arxiv=sum(bool(r.links.arxiv) for r in records),
        any_doi=sum(bool(r.links.doi) for r in records),
    )
