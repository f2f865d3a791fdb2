"""The database as BibTeX, JSON or an awesome-list README. Pure functions: records in, text out; the CLI writes.

A record such as ``data/records/orca.yaml`` (venue ``OSDI``, a conference) becomes::

    @inproceedings{orca,
      title = {{Orca}: A Distributed Serving System for Transformer-Based Generative Models},
      author = {Gyeong-In Yu},
      booktitle = {USENIX Symposium on Operating Systems Design and Implementation},
      year = {2022},
      url = {https://www.usenix.org/system/files/osdi22-yu.pdf}
    }

and, in ``to_markdown``, the bullet (record text escaped: ``[``, ``<``, ``*``… cannot start markup)::

    - [Orca: A Distributed Serving System for Transformer-Based Generative Models](https://www.usenix.org/…) — OSDI 2022

Choices:

- **Citation keys are record ids** (``orca``, ``flashattention-2``). Ids are unique, never reused and already
  the entry's anchor on the site, and they do not move when an author, a year or a title is corrected, as
  ``yu2022orca`` would. They are valid BibTeX keys as they are. Two records given with one id (which
  ``validate`` rejects) still get distinct keys: the copies, ordered by their content, get ``-2``, ``-3``…,
  skipping suffixes that are the ids of other records.
- **Entry types** follow the venue's kind: conference and workshop → ``@inproceedings`` with ``booktitle``;
  journal → ``@article`` with ``journal``; arXiv → ``@misc`` with ``eprint`` and ``archivePrefix = {arXiv}``
  (``primaryClass`` is never known, so never written); other preprint servers and other venues → ``@misc``
  with ``howpublished`` (the venue's full name). Without a venue: a paper with an arXiv id is an arXiv
  ``@misc``; anything else is ``@misc`` with ``url``, and tools, models, hardware and articles say what they
  are in ``howpublished`` (``Software``, ``Model``, ``Hardware``, ``Article``). ``eprint``/``archivePrefix``
  are written whenever an arXiv id exists, ``doi`` whenever a DOI does. Tools stay ``@misc`` rather than
  biblatex's ``@software``: plain BibTeX styles do not know ``@software`` and warn on every such entry.
- **Citation fields**: ``volume``, ``number``, ``pages`` (``611--626``), ``publisher`` (the record's, else
  the venue table's; never on ``@article``, which biblatex does not allow), ``month`` as the unbraced macro
  (``oct``). An entry without authors gets ``key`` (its name), which BibTeX styles sort and label it by.
- **url** is the work itself (:func:`work_url`): a paper's page, PDF or arXiv page, a tool's repository,
  hardware's product page. A paper's code repository is never its ``url``.
- **Escaping and case**: see :mod:`llmpapers.ingest.latex`. Text is written as UTF-8, not as LaTeX accents.
- **Markdown** lists each record once, under its primary category, with an ``also in: …`` note naming the
  others (listing it under every category would repeat a record up to five times in one README).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from ..db.citation import (
    ARXIV_PREFIX,
    EXPORT_MARK,
    HOWPUBLISHED,
    MONTH_MACROS,
    OTHER_CONTAINER,
    VENUE_CONTAINERS,
    is_organisation,
)
from ..db.models import Category, Kind, Record, Venue
from ..db.venues import VenueTable
from ..ingest.latex import escape, protect_title, url_value

Venues = Mapping[str, Venue] | VenueTable | Iterable[Venue]

# Which link is an entry's ``url``, by type: the work itself, never a paper's code repository.
URL_ORDER = {
    Kind.PAPER: ("paper", "pdf", "arxiv_url", "doi_url", "project"),
    Kind.TOOL: ("code", "project", "paper", "pdf"),
    Kind.MODEL: ("project", "code", "paper", "arxiv_url", "pdf"),
    Kind.HARDWARE: ("project", "paper", "pdf", "doi_url"),
    Kind.ARTICLE: ("paper", "project", "pdf", "arxiv_url", "doi_url"),
}
_SAFE_KEY = re.compile(r"^[^\s,{}()\"#%'=\\~]+$")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- citation keys ------------------------------------------------------------------------------------------


def _keyed(records: Iterable[Record]) -> list[tuple[str, Record]]:
    """Every record with its key, in key order; duplicate ids resolved deterministically."""
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_id[record.id].append(record)
    taken = set(by_id)
    out: list[tuple[str, Record]] = []
    for rid in sorted(by_id):
        group = by_id[rid]
        if len(group) > 1:
            group = sorted(group, key=lambda r: r.model_dump_json())
        out.append((rid, group[0]))
        n = 2
        for record in group[1:]:
            while f"{rid}-{n}" in taken:
                n += 1
            taken.add(f"{rid}-{n}")
            out.append((f"{rid}-{n}", record))
    return out


def citation_keys(records: Iterable[Record]) -> dict[str, str]:
    """Record id -> citation key: the id itself (see the module docstring for why)."""
    keys: dict[str, str] = {}
    for key, record in _keyed(records):
        keys.setdefault(record.id, key)
    return keys


# --- BibTeX -------------------------------------------------------------------------------------------------


def venue_index(venues: Venues) -> Mapping[str, Venue]:
    if isinstance(venues, Mapping):
        return venues
    if isinstance(venues, VenueTable):
        venues = venues.venues
    return {v.name: v for v in venues}


@lru_cache(maxsize=65536)
def format_author(name: str) -> str:
    """A name as BibTeX reads it: a person as written (``Woosuk Kwon``), an organisation (or any name with a
    comma or the word ``and``) in braces so that it stays one name: ``{NVIDIA Corporation}``."""
    text = escape(name)
    return "{" + text + "}" if is_organisation(name) else text


_escape_cached = lru_cache(maxsize=4096)(escape)  # venue names: a few dozen, written thousands of times


def _entry_fields(record: Record, venues: Mapping[str, Venue]) -> tuple[str, list[tuple[str, str]]]:
    links = record.links
    fields = [("title", protect_title(record.title, (record.short_name,) if record.short_name else ()))]
    if record.authors:
        fields.append(("author", " and ".join(format_author(a) for a in record.authors)))
    else:  # what BibTeX styles sort and label an entry without authors by (tools, hardware)
        fields.append(("key", escape(record.display_name)))
    venue = venues.get(record.venue) if record.venue else None
    container = VENUE_CONTAINERS.get(venue.kind) if venue else None
    if venue and container:
        entry_type, field = container
        fields.append((field, _escape_cached(venue.full)))
    else:
        entry_type, field = OTHER_CONTAINER
        if venue and not (venue.name == "arXiv" and links.arxiv):
            fields.append((field, _escape_cached(venue.full)))
        elif record.venue and not venue:  # a name the venue table does not know: written as it is
            fields.append((field, escape(record.venue)))
        elif not venue and record.type in HOWPUBLISHED:
            fields.append((field, HOWPUBLISHED[record.type]))
    fields += _numbering(record, entry_type)
    publisher = publisher_of(record, venue)
    if publisher and entry_type != "article":  # biblatex's @article has no publisher; its journal says it
        fields.append(("publisher", escape(publisher)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    if record.month is not None:
        fields.append(("month", MONTH_MACROS[record.month - 1]))
    if links.doi:
        fields.append(("doi", url_value(links.doi)))
    if links.arxiv:
        fields += [("eprint", url_value(links.arxiv)), ("archivePrefix", ARXIV_PREFIX)]
    url = work_url(record)
    if url:
        fields.append(("url", url_value(url)))
    return entry_type, fields


def publisher_of(record: Record, venue: Venue | None) -> str | None:
    """Who published the version cited: the record's own ``publisher``, else its venue's, for proceedings and
    journals (a preprint server or an "other" venue publishes nothing a citation names)."""
    if record.publisher:
        return record.publisher
    return venue.publisher if venue and venue.kind in VENUE_CONTAINERS else None


def work_url(record: Record) -> str | None:
    """The address of the work itself: the paper's page, its PDF or its arXiv page; a tool's repository."""
    return next((u for name in URL_ORDER[record.type] if (u := getattr(record.links, name))), None)


def _numbering(record: Record, entry_type: str) -> list[tuple[str, str]]:
    """Volume, number and pages; a page range written with BibTeX's en dash (``--``). Pages are digits,
    letters, ``:`` and one hyphen (the model checks), so they need no escaping. Proceedings with both a
    volume and a number (SIGMOD's PACMMOD) keep the volume: BibTeX styles refuse both in one @inproceedings."""
    number = None if entry_type != "article" and record.volume else record.number
    found = [(name, escape(value)) for name, value in (("volume", record.volume), ("number", number)) if value]
    if record.pages:
        found.append(("pages", record.pages.replace("-", "--")))
    return found


def bibtex_entry(record: Record, key: str, venues: Venues) -> str:
    """One entry, ending in a newline. ``key`` must be a valid BibTeX key (record ids are)."""
    if not _SAFE_KEY.match(key):
        raise ValueError(f"not a usable citation key: {key!r}")
    entry_type, fields = _entry_fields(record, venue_index(venues))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def bibtex_entries(records: Iterable[Record], venues: Venues) -> dict[str, str]:
    """Citation key -> entry text, in key order (what :func:`to_bibtex` joins; the site shows each one)."""
    index = venue_index(venues)
    return {key: bibtex_entry(record, key, index) for key, record in _keyed(records)}


def join_bibtex(entries: Mapping[str, str]) -> str:
    """Entries from :func:`bibtex_entries` as one file, after a ``@comment`` header naming the exporter."""
    header = f"@comment{{{EXPORT_MARK}: {_count(len(entries), 'entry', 'entries')}. Citation keys are record ids.}}\n"
    return "\n".join([header, *entries.values()])


def to_bibtex(records: Iterable[Record], venues: Venues) -> str:
    """Every record as an entry, in key order, after a ``@comment`` header that names the exporter."""
    return join_bibtex(bibtex_entries(records, venues))


# --- JSON ---------------------------------------------------------------------------------------------------

# Characters that would let a string end a <script> element or an HTML attribute, or end a JS line.
HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def html_safe(text: str) -> str:
    """``text`` (JSON) with the characters of :data:`HTML_SAFE` escaped; ``str.replace`` per character, which
    is many times faster than ``str.translate`` with a mapping on megabytes of JSON.

    >>> print(html_safe('{"t": "<b> & x"}'))
    {"t": "\\u003cb\\u003e \\u0026 x"}
    """
    for char, escaped in HTML_SAFE.items():
        if char in text:
            text = text.replace(char, escaped)
    return text


def to_json(records: Iterable[Record], categories: Sequence[Category], venues: Venues) -> str:
    """The whole database as one JSON document, deterministic and safe to inline in HTML.

    ``{"version": 1, "records": [...], "categories": [...], "venues": [...]}``: records in canonical form
    (:meth:`Record.to_yaml_dict`, so each validates as a record file) sorted by id; categories and venues in
    the order of their files.
    """
    data = {
        "version": 1,
        "records": [r.to_yaml_dict() for r in sorted(records, key=lambda r: r.id)],
        "categories": [c.model_dump(mode="json", by_alias=True, exclude_defaults=True) for c in categories],
        "venues": [v.model_dump(mode="json", exclude_defaults=True) for v in venue_index(venues).values()],
    }
    return html_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))) + "\n"


# --- Markdown -----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+!<>&~$|]")
# Backslash escapes that CommonMark (GitHub) and Python-Markdown (MkDocs) both honour; entities for the rest,
# so that no renderer reads a tag, an entity, strikethrough, math or a table cell in record text.
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;", "$": "&#36;", "|": "&#124;"}
_URL_UNSAFE = str.maketrans({c: f"%{ord(c):02X}" for c in "()<> \"'\\`"})


def md_escape(text: str) -> str:
    """Record text as inert Markdown: one line, every character that could start markup escaped.

    >>> print(md_escape("[x](javascript:alert(1)) <script> a_b & ~~s~~"))
    \\[x\\]\\(javascript:alert\\(1\\)\\) &lt;script&gt; a\\_b &amp; &#126;&#126;s&#126;&#126;
    """
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITIES.get(m.group(), "\\" + m.group()), " ".join(text.split()))


def _md_url(url: str) -> str | None:
    return url.translate(_URL_UNSAFE) if url.lower().startswith(("https://", "http://")) else None


def _anchor(text: str, used: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    n = used.get(slug, 0)
    used[slug] = n + 1
    return slug if n == 0 else f"{slug}-{n}"


def _bullet(record: Record, placed: str, names: Mapping[str, str]) -> str:
    title = md_escape(record.title)
    link = next((u for u in map(_md_url, record.links.urls()) if u), None)
    parts = [f"[{title}]({link})" if link else title]
    details = []
    short = record.short_name
    if short and not record.title.startswith(short):
        details.append(f"**{md_escape(short)}**")
    where = " ".join(md_escape(str(x)) for x in (record.venue, record.year) if x)
    if where:
        details.append(where)
    code = _md_url(record.links.code) if record.links.code else None
    if code and code != link:
        details.append(f"[code]({code})")
    others = [md_escape(names.get(slug, slug)) for slug in record.categories if slug != placed]
    if others:
        details.append("also in: " + ", ".join(others))
    return "- " + " — ".join([parts[0], " · ".join(details)] if details else parts)


def _sort_key(record: Record) -> tuple:
    return (-(record.year or 0), record.title.casefold(), record.id)


def to_markdown(
    records: Iterable[Record],
    categories: Sequence[Category],
    title: str = "LLM-systems papers",
    focus: str | None = None,
) -> str:
    """An awesome-list README: a heading per category group and per category, one bullet per record.

    Each record appears once, under its primary category (or under ``focus`` when it has that category,
    for a one-category README), newest first; empty categories are left out.
    """
    names = {c.slug: c.name for c in categories}
    placed: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        home = focus if focus and focus in record.categories else record.primary
        placed[home].append(record)
    shown = [c for c in categories if placed.get(c.slug)]
    unknown = sorted(slug for slug in placed if slug not in names)
    total = sum(len(v) for v in placed.values())
    used: dict[str, int] = {}
    used[_anchor(title, {})] = 1
    used[_anchor("Contents", {})] = 1
    lines = [
        f"# {md_escape(title)}",
        "",
        "<!-- Generated by `llmpapers export markdown` from data/: edit the records, not this file. -->",
        "",
        f"{_count(total, 'entry', 'entries')} in {_count(len(shown) + len(unknown), 'category', 'categories')}.",
        "",
        "## Contents",
        "",
    ]
    body: list[str] = []
    group = None
    for cat in shown:
        if cat.group != group:
            group = cat.group
            anchor = _anchor(group, used)
            lines.append(f"- [{md_escape(group)}](#{anchor})")
            body += ["", f"## {md_escape(group)}"]
        anchor = _anchor(cat.name, used)
        lines.append(f"  - [{md_escape(cat.name)}](#{anchor}) ({len(placed[cat.slug])})")
        body += ["", f"### {md_escape(cat.name)}", "", f"*{md_escape(cat.scope)}*", ""]
        body += [_bullet(r, cat.slug, names) for r in sorted(placed[cat.slug], key=_sort_key)]
    for slug in unknown:
        lines.append(f"- [{md_escape(slug)}](#{_anchor(slug, used)})")
        body += ["", f"## {md_escape(slug)}", ""]
        body += [_bullet(r, slug, names) for r in sorted(placed[slug], key=_sort_key)]
    return "\n".join(lines + body) + "\n"
