"""A work entered by hand (``llmpapers add``): a listing from flags, or from an arXiv id or URL.

The arXiv id is parsed offline. Metadata (title, authors, year, DOI) is fetched from the arXiv API only
when asked and reachable; without the network the flags given are used, and a missing title is an error.

    >>> parse_arxiv("https://arxiv.org/pdf/2309.06180v2.pdf")
    '2309.06180'
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from ..db.models import ARXIV_RE, Kind
from ..db.venues import VenueTable
from ..errors import LlmpapersError
from .candidate import Candidate
from .urls import arxiv_id, classify_url, doi_from_url

ARXIV_API = "https://export.arxiv.org/api/query?id_list={id}"
_ARXIV_REF = re.compile(r"(?:arxiv:\s*)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def parse_arxiv(text: str) -> str | None:
    """The arXiv id (without version) in an id, ``arXiv:`` reference or arXiv URL; None if there is none."""
    text = text.strip()
    if "/" in text and "://" in text:
        return arxiv_id(text)
    m = _ARXIV_REF.fullmatch(text)
    return m.group(1) if m and ARXIV_RE.match(m.group(1)) else None


@dataclass(frozen=True)
class ArxivMeta:
    title: str
    authors: list[str]
    year: int | None
    doi: str | None
    arxiv: str | None = None  # the entry's id, without its version
    journal_ref: str | None = None  # where the authors say it was published


def parse_arxiv_atom(xml_text: str) -> ArxivMeta | None:
    """Metadata from an arXiv API (Atom) response; None when the feed holds no entry."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise LlmpapersError(f"arXiv answered with something that is not XML: {exc}") from None
    entry = root.find("a:entry", _ATOM)
    if entry is None or entry.find("a:title", _ATOM) is None:
        return None
    title = " ".join((entry.findtext("a:title", "", _ATOM)).split())
    if not title or title.lower() == "error":
        return None
    authors = [" ".join(a.findtext("a:name", "", _ATOM).split()) for a in entry.findall("a:author", _ATOM)]
    published = entry.findtext("a:published", "", _ATOM)
    doi = (entry.findtext("arxiv:doi", "", _ATOM) or "").strip() or None
    raw_id = entry.findtext("a:id", "", _ATOM).rsplit("/abs/", 1)[-1]
    arxiv = parse_arxiv(raw_id) if raw_id else None
    ref = " ".join((entry.findtext("arxiv:journal_ref", "", _ATOM) or "").split()) or None
    year = int(published[:4]) if published[:4].isdigit() else None
    return ArxivMeta(title, [a for a in authors if a], year, doi, arxiv, ref)


Opener = Callable[..., object]


def fetch_arxiv(arxiv_id: str, opener: Opener = urllib.request.urlopen, timeout: float = 6.0) -> ArxivMeta | None:
    """Ask the arXiv API; None when the network cannot be reached (the caller falls back to flags)."""
    try:
        with opener(ARXIV_API.format(id=arxiv_id), timeout=timeout) as response:  # type: ignore[attr-defined]
            body = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, TimeoutError):
        return None
    return parse_arxiv_atom(body)


def classify(url: str) -> tuple[str, str]:
    """Which ``links`` slot a URL goes in, and its value there (arXiv and DOI links become identifiers)."""
    kind = classify_url(url)
    if kind == "arxiv":
        return "arxiv", arxiv_id(url) or url
    if kind == "doi":
        return "doi", doi_from_url(url) or url
    return kind, url


def from_flags(
    *,
    title: str | None,
    year: int | None,
    venue: str | None,
    urls: list[str],
    kind: Kind,
    short_name: str | None,
    authors: list[str],
    arxiv: str | None,
    table: VenueTable,
    meta: ArxivMeta | None = None,
) -> Candidate:
    """A candidate from what the user typed, completed by arXiv metadata where a flag is missing."""
    title = title or (meta.title if meta else None)
    if not title:
        raise LlmpapersError("a title is needed: give --title (arXiv metadata could not be fetched)")
    c = Candidate(title=title, as_listed=title, list_name="manual", line=1, type=kind, short_name=short_name)
    c.authors = authors or (meta.authors if meta else [])
    c.arxiv = arxiv
    c.doi = meta.doi if meta else None
    c.year = year or (meta.year if meta else None)
    if venue:
        match = table.match(venue)
        if match is None:
            raise LlmpapersError(f"unknown venue {venue!r}: use a name from data/venues.yaml or add it there")
        c.venue, c.venue_raw = match.venue.name, venue
        c.year = c.year or match.year
    elif arxiv:
        c.venue = "arXiv" if "arXiv" in table.names else None
    for url in urls:
        slot, value = classify(url)
        if slot == "arxiv":
            c.arxiv = c.arxiv or value
        elif getattr(c, slot) is None:
            setattr(c, slot, value)
        else:
            c.other.append(url)
    if c.arxiv and c.venue is None and "arXiv" in table.names:
        c.venue = "arXiv"
    if meta and arxiv:  # what came from arXiv's own record, and where a reviewer sees it
        taken = {"title": title == meta.title, "authors": c.authors == meta.authors and bool(meta.authors),
                 "year": c.year == meta.year and meta.year is not None, "doi": c.doi is not None}  # fmt: skip
        fields = [name for name, used in taken.items() if used] + ["arxiv"]
        c.evidence = [{"url": f"https://arxiv.org/abs/{arxiv}", "for": ", ".join(fields)}]
    return c
