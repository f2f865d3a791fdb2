"""Render the site: records, categories, venues and options in; pages and files out (:class:`Rendered`). No IO.

``render_site(records, categories, venues, options, env)`` returns every generated page and file, paths
relative to the MkDocs docs folder (the big ones made only when asked, see :class:`Rendered`)::

    index.md                  home: what this is, counts, newest additions, chart, downloads
    all.md                    every entry in one table, its filters' data on its rows (readable without JS;
                              assets/llmpapers.js filters, sorts and downloads it); a stub: its form and
                              table wait outside MkDocs (publish/fill.py)
    <slug>.md                 one page per category (all of them, even empty ones), newest first; a stub:
                              its cards wait outside MkDocs
    works/_lpshell_.md        the frame of every work's page (publish/fill.py); the pages themselves,
                              one per work and one per former id (redirecting), come from
                              :attr:`Rendered.work_pages` and are written after MkDocs built the frame
    feed.xml                  Atom feed of the newest additions
    downloads/llmpapers.bib   the whole database (export.to_bibtex), written after MkDocs, as are
    downloads/llmpapers.json  the whole database (export.to_json) and
    downloads/llmpapers.csl.json  the whole database as CSL-JSON (csl.to_csl_json)

``render_nav(categories)`` is mkdocs.yml's ``nav:``: home, all entries, the five groups, the hand-written pages.

Escaping: every string from data reaches a page only through a Jinja template with autoescape on, inside
raw HTML blocks that Python-Markdown passes through untouched (site/mkdocs.yml does not enable
``md_in_html``, and no block carries a ``markdown`` attribute). Escaped HTML also defuses Markdown:
``[x](javascript:…)``, ``{ onclick=… }`` and ``**`` inside an HTML block are plain text. The only Markdown
the templates write is headings of fixed text or years (integers). URLs come from validated ``http(s)``
model fields; generated search links are built here with ``urllib.parse.quote``. JSON is written with
``<``, ``>`` and ``&`` escaped, so it is safe even inlined. What the theme inserts unescaped (navigation
titles) is HTML-escaped here (:func:`nav_text`); a work page's title and description are escaped when
they go into its frame (publish/fill.py).

Search finds each work by its own document (publish/work.py: its title, names, authors, venue and
relations); the cards on category pages, the all-entries page, BibTeX, links and provenance are not in
the index.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..db.models import Category, Record, Venue
from ..errors import LlmpapersError
from .chart import year_category_chart
from .csl import csl_items, to_csl_json
from .entries import TYPE_LABELS, Entry, make_entries
from .export import bibtex_entries, html_safe, join_bibtex, to_json, venue_index
from .fill import SHELL_PAGE, Fills, fill, shell_stub
from .work import (
    WORKS,
    WorkPage,
    coins,
    meta_tags,
    redirect_tags,
    relations,
    search_document,
    work_description,
    work_of,
)

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
HOME = "index.md"
ALL = "all.md"
BIBTEX = "downloads/llmpapers.bib"
JSON = "downloads/llmpapers.json"
CSL_JSON = "downloads/llmpapers.csl.json"
FEED = "feed.xml"
HAND_WRITTEN = [("Contribute", "contribute.md"), ("About", "about.md")]
NEWEST = 12  # entries on the home page
FEED_SIZE = 50


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


def render_entry(entry: Entry, here: str, categories: Sequence[Category], env: jinja2.Environment | None = None) -> str:
    """One entry as it appears on the page of category ``here`` (for tests and previews)."""
    macros = (env or make_environment()).get_template("_macros.html.j2")
    module = macros.make_module({"names": {c.slug: c.name for c in categories}})
    return str(module.entry(entry, here, "../"))


@dataclass
class Rendered:
    """What :func:`render_site` makes, the big parts only when asked, one at a time (at 50,000 records a
    page per work, the category pages' cards and the downloads would not fit in memory together).

    ``files``: the docs folder MkDocs builds (stubs, the feed); ``blocks[path]()``: the blocks a stub set
    aside (publish/fill.py); ``work_pages()``: the works' pages, for the frame MkDocs built once;
    ``downloads[path]()``: the whole database as BibTeX, JSON and CSL-JSON. The build writes the last three
    after MkDocs (publish/finish.py)."""

    files: dict[str, str]
    blocks: dict[str, Callable[[], dict[str, str]]]
    work_pages: Callable[[], Iterator[WorkPage]]
    downloads: dict[str, Callable[[], str]]

    def text(self, path: str) -> str:
        """A generated file as readers get it: a stub with its blocks back in place, or a download."""
        if path in self.downloads:
            return self.downloads[path]()
        return fill(self.files[path], self.blocks[path]() if path in self.blocks else {}, path)


def render_site(
    records: Sequence[Record],
    categories: Sequence[Category],
    venues: Sequence[Venue],
    options: SiteOptions,
    env: jinja2.Environment | None = None,
) -> Rendered:
    """Every generated page and file; raises RenderError on a template error or a path clash."""
    env = env or make_environment()
    bibtex = bibtex_entries(records, venues)  # once: each entry's snippet, and all of them for the download
    entries = make_entries(records, venues, options, bibtex)
    index = venue_index(venues)
    csl = csl_items(records, index)  # once: the works' pages and the download
    related = relations(records)
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
    blocks: dict[str, Callable[[], dict[str, str]]] = {}

    def add(path: str, text: str) -> None:
        if path in out:
            raise RenderError(f"two generated files would be written to {path}")
        out[path] = text

    loaded: dict[str, jinja2.Template] = {}

    def render(template: str, **context: object) -> str:
        try:
            if template not in loaded:  # once: get_template checks the file on disk at every call
                loaded[template] = env.get_template(template)
            return loaded[template].render(**common, **context)
        except jinja2.TemplateError as exc:
            where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
            raise RenderError(f"template {template}: {where}{exc}") from None

    def stub(path: str, template: str, **context: object) -> None:
        """A page whose big blocks MkDocs never sees: they are rendered when the built page is filled."""
        add(path, render(template, fill=Fills(keep=False).put, **context))

        def page_blocks() -> dict[str, str]:
            fills = Fills()
            render(template, fill=fills.put, **context)
            return fills.blocks

        blocks[path] = page_blocks

    for c in categories:
        years = group_by_year(members[c.slug])
        stub(f"{c.slug}.md", "category.md.j2", category=c, entries=members[c.slug], years=years)
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
    stub(
        ALL,
        "all.md.j2",
        entries=ordered,
        categories=categories,
        types=list(TYPE_LABELS.values()),
        venues=venue_names,
        min_year=min(years, default=None),
        max_year=max(years, default=None),
    )
    addresses = Counter([r.id for r in records] + [old for r in records for old in r.former_ids])
    if clash := next((a for a, n in addresses.items() if n > 1), None):
        raise RenderError(f"two generated files would be written to {WORKS}/{clash}/")
    add(SHELL_PAGE, shell_stub())
    titles = {e.id: e.title for e in ordered}

    def work_pages() -> Iterator[WorkPage]:
        for r in records:
            e, venue = entries[r.id], index.get(r.venue) if r.venue else None
            work = work_of(r, venue, related[r.id], csl[r.id], options.site_url)
            description = work_description(r, venue)
            context = {"titles": titles, "all_authors": list(r.authors), "venue_full": venue.full if venue else None}
            body = render("work.html.j2", e=e, work=work, **context)
            yield WorkPage(r.id, e.title, description, meta_tags(work.meta), body, search_document(e, work, titles))
            for old in r.former_ids:  # an address once published keeps working
                head = redirect_tags(f"../{e.id}/", canonical=not options.site_url)
                yield WorkPage(old, e.title, description, head, render("moved.html.j2", e=e), None, e.id)

    downloads = {
        BIBTEX: lambda: join_bibtex(bibtex),
        JSON: lambda: to_json(list(records), list(categories), list(venues)),
        CSL_JSON: lambda: to_csl_json(records, venues, csl),
    }
    feed = [entries[r.id] for r in newest_added(records, FEED_SIZE)]
    add(FEED, render("feed.xml.j2", entries=feed, updated=feed[0].added if feed else "1970-01-01"))
    return Rendered(out, blocks, work_pages, downloads)
