"""What the pages show of each record (:class:`Entry`): plain strings, the links chosen, the BibTeX made.
Pure: records in, entries out; publish/render.py puts them into the templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..db.models import Kind, Record, Venue
from .export import bibtex_entries, citation_keys

if TYPE_CHECKING:
    from .render import SiteOptions

INDEXED_AUTHORS = 10  # authors beyond this are shown but kept out of the search index
TYPE_LABELS = {
    Kind.PAPER: "paper",
    Kind.TOOL: "tool",
    Kind.MODEL: "model",
    Kind.HARDWARE: "hardware",
    Kind.ARTICLE: "article",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Entry:
    """One record as the templates see it: plain strings, URLs already chosen."""

    id: str
    title: str
    short_name: str | None
    type: str
    venue: str | None
    year: int | None
    authors: list[str]
    aliases: list[str]
    href: str | None  # where the title links: the first place the work can be read
    links: list[Link]
    searches: list[Link]  # only for records without any link; never stored
    categories: list[str]
    primary: str  # the record's primary category: the page the entry belongs to
    bibtex: str
    edit_url: str | None
    added: str
    more_authors: list[str] = field(default_factory=list)
    coins: str = ""  # the COinS ContextObject reference managers find on list pages
    former_ids: list[str] = field(default_factory=list)  # anchors that old links to the card still reach
    has_code: bool = False
    has_pdf: bool = False

    @property
    def byline(self) -> str:
        """The authors, shortened for a list: ``Kwon, Li, Zhuang, … Stoica``."""
        names = self.authors + self.more_authors
        return ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])}, … {names[-1]}"

    @property
    def search_text(self) -> str:
        """What the all-entries text filter looks in: every name the work and its authors go by."""
        parts = [self.title, self.short_name or "", *self.authors, *self.more_authors, *self.aliases, self.venue or ""]
        return " | ".join(p for p in parts if p)


def read_url(record: Record) -> str | None:
    """Where the title links: the first of paper, arXiv, DOI, PDF, project, code."""
    links = record.links
    for url in (
        links.paper,
        links.arxiv_url,
        links.doi_url,
        links.pdf,
        links.project,
        links.code,
    ):
        if url:
            return url
    return None


def link_list(record: Record) -> list[Link]:
    links = record.links
    out = []
    if links.paper:
        out.append(Link("paper", links.paper))
    if links.pdf:
        out.append(Link("PDF", links.pdf))
    if links.arxiv:
        out.append(Link("arXiv", links.arxiv_url))
    if links.doi:
        out.append(Link("DOI", links.doi_url))
    if links.code:
        out.append(Link("code", links.code))
    if links.project:
        out.append(Link("project", links.project))
    for url in links.other:
        out.append(Link(urlsplit(url).hostname or "link", url))
    return out


def search_links(title: str) -> list[Link]:
    """Searches for a work nobody has linked yet (exact title); shown as searches, never stored."""
    q = quote(title, safe="")
    exact = quote(f'"{title}"', safe="")
    return [
        Link("arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        Link("Semantic Scholar", f"https://www.semanticscholar.org/search?q={exact}"),
        Link("Google Scholar", f"https://scholar.google.com/scholar?as_epq={q}&as_occt=title"),
    ]


def make_entries(
    records: Sequence[Record], venues: Sequence[Venue], options: SiteOptions, bibtex: Mapping[str, str] | None = None
) -> dict[str, Entry]:
    """What the templates show of each record; ``bibtex`` (from :func:`export.bibtex_entries`) if already made."""
    keys = citation_keys(list(records))
    bibtex = bibtex if bibtex is not None else bibtex_entries(records, venues)
    out = {}
    for r in records:
        links = link_list(r)
        out[r.id] = Entry(
            id=r.id,
            title=r.title,
            short_name=r.short_name if r.short_name and r.short_name != r.title else None,
            type=TYPE_LABELS[r.type],
            venue=r.venue,
            year=r.year,
            authors=list(r.authors[:INDEXED_AUTHORS]),
            more_authors=list(r.authors[INDEXED_AUTHORS:]),
            aliases=list(r.aliases),
            href=read_url(r),
            links=links,
            searches=[] if links else search_links(r.title),
            categories=list(r.categories),
            primary=r.primary,
            bibtex=bibtex[keys[r.id]].strip(),
            edit_url=f"{options.repo_url}/edit/{options.branch}/{options.records_path}/{r.id}.yaml"
            if options.repo_url
            else None,
            added=r.added.isoformat(),
            former_ids=list(r.former_ids),
            has_code=bool(r.links.code),
            has_pdf=bool(r.links.pdf or r.links.arxiv),
        )
    return out
