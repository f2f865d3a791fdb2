"""A page per work, at ``works/<id>/``: everything we know of it, how to cite it, what it relates to (in both
directions), where it is listed, and the metadata reference managers read. Pure: records in, page context out.

Reference managers: the page's ``<head>`` carries Highwire Press ``citation_*`` tags (what Google Scholar
and Zotero's Embedded Metadata translator read, so the browser connector saves the work in one click);
list pages carry a COinS span per entry (an OpenURL ContextObject, which Zotero finds on any page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlencode

from ..db.models import INVERSE, Kind, Record, Venue

WORKS = "works"
REL_LABELS = {
    "code": "Code",
    "paper": "Paper",
    "successor": "Followed by",
    "predecessor": "Follows",
    "related": "Related",
}


@dataclass
class Work:
    """What a work's page shows besides its entry."""

    meta: list[tuple[str, str]]  # Highwire citation_* tags, in order
    related: list[tuple[str, str]] = field(default_factory=list)  # (label, record id), both directions
    listed: list[tuple[str, str]] = field(default_factory=list)  # (list, section) it was found in
    csl: str = ""  # its CSL-JSON item, pretty-printed


@dataclass(frozen=True)
class WorkPage:
    """A page at ``works/<id>/``: the work's own, or (``search`` None) a former id's, sending readers on to
    ``works/<address>/``. ``title`` and ``description`` are plain text; ``head`` and ``body`` escaped HTML."""

    id: str
    title: str
    description: str
    head: str
    body: str
    search: Searched | None  # what search finds it by (:func:`search_document`); None: not searched
    address: str = ""  # the work's own id, where the page's canonical link points; "": ``id``


def meta_tags(meta: list[tuple[str, str]]) -> str:
    """The ``<meta>`` elements of a work's Highwire tags."""
    return "".join(f'\n  <meta name="{escape(name)}" content="{escape(value)}">' for name, value in meta)


def redirect_tags(target: str, canonical: bool) -> str:
    """What sends a reader of a former address on at once (the page's text says where, without script);
    with ``canonical``, a link naming the new address as the work's (the theme writes one itself, to the
    ``address`` of the :class:`WorkPage`, when the site has a ``site_url``)."""
    url = escape(target)
    link = f'\n  <link rel="canonical" href="{url}">' if canonical else ""
    return f'\n  <meta http-equiv="refresh" content="0; url={url}">' + link


@dataclass(frozen=True)
class Searched:
    """What search finds a work by and shows of it (publish/search.py), plain text: the worker escapes it."""

    id: str
    title: str
    about: list[str]  # its name, type, venue and year, then the names lists gave it and its relations
    authors: list[str]  # every author
    name: str = ""  # its short name


def search_document(entry: Any, work: Work, titles: Mapping[str, str]) -> Searched:
    """The ``Entry`` of publish/render.py as search sees it."""
    meta = " · ".join(str(x) for x in (entry.short_name, entry.type, entry.venue, entry.year) if x)
    about = [meta]
    if entry.aliases:
        about.append("Also listed as: " + ", ".join(entry.aliases))
    about += [f"{label}: {titles[other]}" for label, other in work.related]
    return Searched(entry.id, entry.title, about, entry.authors + entry.more_authors, entry.short_name or "")


def relations(records: Sequence[Record]) -> dict[str, list[tuple[str, str]]]:
    """Each record's relations, its own and those others declare towards it (``vllm`` says its paper is
    ``pagedattention``: the paper's page shows its code), each once, in a stable order."""
    ids = {r.id for r in records}
    out: dict[str, dict[tuple[str, str], None]] = {r.id: {} for r in records}
    for r in records:
        for rel in r.related:
            if rel.id in ids:
                out[r.id][(rel.rel, rel.id)] = None
                out[rel.id][(INVERSE[rel.rel], r.id)] = None
    order = list(REL_LABELS)
    return {
        rid: [(REL_LABELS[rel], other) for rel, other in sorted(pairs, key=lambda p: (order.index(p[0]), p[1]))]
        for rid, pairs in out.items()
    }


def citation_meta(record: Record, venue: Venue | None, page_url: str = "") -> list[tuple[str, str]]:
    """The Highwire Press tags of a work."""
    meta = [("citation_title", record.title)]
    meta += [("citation_author", a) for a in record.authors]
    if record.year:
        date = f"{record.year}/{record.month:02d}" if record.month else str(record.year)
        meta.append(("citation_publication_date", date))
    if venue is not None and venue.name != "arXiv":
        kind = "citation_journal_title" if venue.kind == "journal" else "citation_conference_title"
        meta.append((kind, venue.full))
    elif record.links.arxiv:
        meta.append(("citation_technical_report_institution", "arXiv"))
        meta.append(("citation_technical_report_number", f"arXiv:{record.links.arxiv}"))
    for name, value in (("citation_volume", record.volume), ("citation_issue", record.number)):
        if value:
            meta.append((name, value))
    if record.pages:
        first, _, last = record.pages.partition("-")
        meta.append(("citation_firstpage", first))
        if last:
            meta.append(("citation_lastpage", last))
    if record.publisher or (venue and venue.publisher):
        meta.append(("citation_publisher", record.publisher or venue.publisher))  # type: ignore[union-attr]
    if record.links.doi:
        meta.append(("citation_doi", record.links.doi))
    pdf = record.links.pdf or (f"https://arxiv.org/pdf/{record.links.arxiv}" if record.links.arxiv else None)
    if pdf and record.type in (Kind.PAPER, Kind.ARTICLE):
        meta.append(("citation_pdf_url", pdf))
    if page_url:
        meta.append(("citation_abstract_html_url", page_url))
    return meta


def coins(record: Record, venue: Venue | None) -> str:
    """The ``title`` of a COinS span (Z39.88 KEV): a journal article or a proceedings paper, else a generic
    document. Returned unescaped: the template escapes it as an attribute."""
    journal = venue is not None and venue.kind == "journal"
    kev: list[tuple[str, str]] = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal" if journal or venue else "info:ofi/fmt:kev:mtx:dc"),
    ]
    if venue is not None:
        kev += [("rft.genre", "article" if journal else "proceeding"), ("rft.atitle", record.title)]
        kev.append(("rft.jtitle", venue.full))
    else:
        kev += [("rft.type", record.type.value), ("rft.title", record.title)]
    kev += [("rft.au", a) for a in record.authors]
    if record.year:
        kev.append(("rft.date", str(record.year)))
    if record.pages:
        kev.append(("rft.pages", record.pages))
    if record.links.doi:
        kev.append(("rft_id", f"info:doi/{record.links.doi}"))
    elif record.links.arxiv:
        kev.append(("rft_id", f"https://arxiv.org/abs/{record.links.arxiv}"))
    return urlencode(kev)


def work_description(record: Record, venue: Venue | None) -> str:
    """One line for search engines and link previews: who, where, when."""
    who = ", ".join(record.authors[:3]) + (" et al." if len(record.authors) > 3 else "")
    where = " ".join(str(x) for x in (venue.name if venue else record.venue, record.year) if x)
    parts = [p for p in (who, where) if p]
    return f"{record.title}" + (f" ({'; '.join(parts)})" if parts else "")


def work_of(record: Record, venue: Venue | None, related: list[tuple[str, str]], csl: dict, site_url: str = "") -> Work:
    """The page context of one record: ``related`` from :func:`relations`, ``csl`` its CSL-JSON item."""
    import json

    url = f"{site_url.rstrip('/')}/{WORKS}/{record.id}/" if site_url else ""
    listed = list(dict.fromkeys((s.list_, s.section or "") for s in record.sources))
    return Work(citation_meta(record, venue, url), related, listed, json.dumps(csl, ensure_ascii=False, indent=2))
