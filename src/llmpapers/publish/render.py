"""Render the site: records, categories, venues and options in; ``{relative path: text}`` out. No IO.

``render_site(records, categories, venues, options, env)`` returns every generated file of the MkDocs docs
folder, paths relative to it::

    index.md                  home: what this is, counts, newest additions, chart, downloads
    all.md                    every entry in one table, its filters' data on its rows (readable without JS;
                              assets/llmpapers.js filters, sorts and downloads it)
    <slug>.md                 one page per category (all of them, even empty ones), newest first
    works/<id>.md             one page per work (publish/work.py), and one per former id, redirecting
    assets/entries.json       every entry's fields as JSON, for other tools
    downloads/llmpapers.bib   the whole database (export.to_bibtex)
    downloads/llmpapers.json  the whole database (export.to_json)
    downloads/llmpapers.csl.json  the whole database as CSL-JSON (csl.to_csl_json)
    feed.xml                  Atom feed of the newest additions

``render_nav(categories)`` is mkdocs.yml's ``nav:``: home, all entries, the five groups, the hand-written pages.

Escaping: every string from data reaches a page only through a Jinja template with autoescape on, inside
raw HTML blocks that Python-Markdown passes through untouched (site/mkdocs.yml does not enable
``md_in_html``, and no block carries a ``markdown`` attribute). Escaped HTML also defuses Markdown:
``[x](javascript:…)``, ``{ onclick=… }`` and ``**`` inside an HTML block are plain text. The only Markdown
the templates write is headings of fixed text or years (integers). URLs come from validated ``http(s)``
model fields; generated search links are built here with ``urllib.parse.quote``. JSON is written with
``<``, ``>`` and ``&`` escaped, so it is safe even inlined. What the theme inserts unescaped (navigation
titles, a work page's title, description and search tags) is HTML-escaped here (:func:`nav_text`).

Search indexes each work's page (its title, names, authors, venue and relations); the cards on category
pages, the all-entries page, BibTeX, links and provenance are kept out of the index.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from ..db.models import Category, Kind, Record, Venue
from ..errors import LlmpapersError
from .chart import year_category_chart
from .csl import csl_items, to_csl_json
from .export import bibtex_entries, citation_keys, html_safe, join_bibtex, to_json, venue_index
from .work import WORKS, coins, work_description, works

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
HOME = "index.md"
ALL = "all.md"
ENTRIES_JSON = "assets/entries.json"
BIBTEX = "downloads/llmpapers.bib"
JSON = "downloads/llmpapers.json"
CSL_JSON = "downloads/llmpapers.csl.json"
FEED = "feed.xml"
HAND_WRITTEN = [("Contribute", "contribute.md"), ("About", "about.md")]
NEWEST = 12  # entries on the home page
FEED_SIZE = 50
INDEXED_AUTHORS = 10  # authors beyond this are shown but kept out of the search index
TYPE_LABELS = {
    Kind.PAPER: "paper",
    Kind.TOOL: "tool",
    Kind.MODEL: "model",
    Kind.HARDWARE: "hardware",
    Kind.ARTICLE: "article",
}


class RenderError(LlmpapersError):
    """The site cannot be rendered (two outputs for one path, a template error)."""


@dataclass(frozen=True)
class SiteOptions:
    """What the pages need from the settings: where entries are edited and where the site lives."""

    repo_url: str = ""
    branch: str = "main"
    site_url: str = ""
    records_path: str = "data/records"  # the records folder relative to the repository root

    @classmethod
    def from_settings(cls, settings) -> SiteOptions:
        try:
            rel = settings.data_dir.relative_to(settings.root).as_posix()
        except ValueError:
            rel = "data"
        return cls(settings.repo_url.rstrip("/"), settings.branch, settings.site_url, f"{rel}/records")


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


def make_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir or TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    return env


def plural(n: int, one: str, many: str | None = None) -> str:
    """The word for ``n`` things, the templates' only plural rule: ``{{ n }} {{ n|plural("entry", "entries") }}``.

    >>> plural(1, "entry", "entries"), plural(0, "entry", "entries"), plural(2, "tool")
    ('entry', 'entries', 'tools')
    """
    return one if n == 1 else many if many is not None else one + "s"


def safe_json(value: object, indent: int | None = None) -> str:
    """JSON that cannot close a ``<script>`` element or start an HTML comment when inlined."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    return html_safe(text)


def newest_first(records: Iterable[Record]) -> list[Record]:
    """By year (undated last), then by when they were added, then by title: the order of a category page."""
    ordered = sorted(records, key=lambda r: (r.title.casefold(), r.id))
    ordered.sort(key=lambda r: r.added, reverse=True)
    ordered.sort(key=lambda r: r.year if r.year is not None else -1, reverse=True)
    return ordered


def newest_added(records: Iterable[Record], n: int) -> list[Record]:
    """The ``n`` most recently added records (then newest year first)."""
    ordered = sorted(records, key=lambda r: (r.title.casefold(), r.id))
    ordered.sort(key=lambda r: (r.added, r.year if r.year is not None else -1), reverse=True)
    return ordered[:n]


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


def group_by_year(entries: Sequence[Entry]) -> list[tuple[int | None, list[Entry]]]:
    groups: list[tuple[int | None, list[Entry]]] = []
    for e in entries:
        if groups and groups[-1][0] == e.year:
            groups[-1][1].append(e)
        else:
            groups.append((e.year, [e]))
    return groups


def nav_text(text: str) -> str:
    """A navigation title: the theme inserts it as HTML, so escape it (and drop angle brackets)."""
    return html.escape(text.replace("<", "‹").replace(">", "›"), quote=True)


def render_nav(categories: Sequence[Category]) -> list:
    groups: dict[str, list] = {}
    for c in categories:
        groups.setdefault(c.group, []).append({nav_text(c.name): f"{c.slug}.md"})
    nav: list = [{"Home": HOME}, {"All entries": ALL}]
    nav += [{nav_text(group): pages} for group, pages in groups.items()]
    nav.append({"About": [{title: path} for title, path in HAND_WRITTEN]})
    return nav


def entries_json(entries: Sequence[Entry], categories: Sequence[Category]) -> str:
    """The data of the all-entries filter: short keys, one object per entry, in page order."""
    return (
        safe_json(
            {
                "categories": {c.slug: c.name for c in categories},
                "entries": [
                    {
                        "id": e.id,
                        "t": e.title,
                        "s": e.short_name or "",
                        "a": e.authors + e.more_authors,
                        "l": e.aliases,
                        "k": e.type,
                        "v": e.venue or "",
                        "y": e.year,
                        "c": e.categories,
                    }
                    for e in entries
                ],
            }
        )
        + "\n"
    )


def render_entry(entry: Entry, here: str, categories: Sequence[Category], env: jinja2.Environment | None = None) -> str:
    """One entry as it appears on the page of category ``here`` (for tests and previews)."""
    macros = (env or make_environment()).get_template("_macros.html.j2")
    module = macros.make_module({"names": {c.slug: c.name for c in categories}})
    return str(module.entry(entry, here, "../"))


def render_site(
    records: Sequence[Record],
    categories: Sequence[Category],
    venues: Sequence[Venue],
    options: SiteOptions,
    env: jinja2.Environment | None = None,
) -> dict[str, str]:
    """Every generated file of the docs folder; raises RenderError on a template error or a path clash."""
    env = env or make_environment()
    bibtex = bibtex_entries(records, venues)  # once: each entry's snippet, and all of them for the download
    entries = make_entries(records, venues, options, bibtex)
    index = venue_index(venues)
    csl = csl_items(records, index)  # once: the works' pages and the download
    pages = works(records, index, options.site_url, csl)
    for r in records:
        entries[r.id].coins = coins(r, index.get(r.venue) if r.venue else None)
    ordered = [entries[r.id] for r in newest_first(records)]
    names = {c.slug: c.name for c in categories}
    members: dict[str, list[Entry]] = {c.slug: [] for c in categories}
    for e in ordered:
        for slug in e.categories:
            members.setdefault(slug, []).append(e)
    type_counts = Counter(e.type for e in ordered)
    common = {"names": names, "options": options}
    out: dict[str, str] = {}

    def add(path: str, text: str) -> None:
        if path in out:
            raise RenderError(f"two generated files would be written to {path}")
        out[path] = text

    def render(template: str, **context: object) -> str:
        try:
            return env.get_template(template).render(**common, **context)
        except jinja2.TemplateError as exc:
            where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            raise RenderError(f"template {template}: {where}{exc}") from None

    for c in categories:
        add(
            f"{c.slug}.md",
            render("category.md.j2", category=c, entries=members[c.slug], years=group_by_year(members[c.slug])),
        )
    groups: dict[str, list[Category]] = {}
    for c in categories:
        groups.setdefault(c.group, []).append(c)
    newest = [entries[r.id] for r in newest_added(records, NEWEST)]
    add(
        HOME,
        render(
            "index.md.j2",
            total=len(ordered),
            groups=groups,
            counts={slug: len(m) for slug, m in members.items()},
            type_counts=[(t, type_counts.get(t, 0)) for t in TYPE_LABELS.values()],
            newest=newest,
            added_that_day=sum(1 for r in records if newest and r.added.isoformat() == newest[0].added),
            chart=year_category_chart(records, categories),
        ),
    )
    venue_names = sorted({e.venue for e in ordered if e.venue}, key=str.casefold)
    years = [e.year for e in ordered if e.year is not None]
    add(
        ALL,
        render(
            "all.md.j2",
            entries=ordered,
            categories=categories,
            types=list(TYPE_LABELS.values()),
            venues=venue_names,
            min_year=min(years, default=None),
            max_year=max(years, default=None),
        ),
    )
    titles = {e.id: e.title for e in ordered}
    for r in records:
        e, venue = entries[r.id], index.get(r.venue) if r.venue else None
        page = render(
            "work.md.j2",
            e=e,
            work=pages[r.id],
            titles=titles,
            all_authors=list(r.authors),
            venue_full=venue.full if venue else None,
            search_tags=[nav_text(t) for t in dict.fromkeys([e.short_name or "", *r.authors]) if t],  # ranked first
            page_title=nav_text(e.title),  # the theme writes these two into <head> unescaped
            description=nav_text(work_description(r, venue)),
        )
        add(f"{WORKS}/{r.id}.md", page)
        for old in r.former_ids:  # an address once published keeps working
            add(f"{WORKS}/{old}.md", render("moved.md.j2", e=e, page_title=nav_text(e.title)))
    add(ENTRIES_JSON, entries_json(ordered, categories))
    add(BIBTEX, join_bibtex(bibtex))
    add(JSON, to_json(list(records), list(categories), list(venues)))
    add(CSL_JSON, to_csl_json(records, venues, csl))
    feed = [entries[r.id] for r in newest_added(records, FEED_SIZE)]
    add(FEED, render("feed.xml.j2", entries=feed, updated=feed[0].added if feed else "1970-01-01"))
    return out
