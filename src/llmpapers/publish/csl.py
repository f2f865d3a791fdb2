"""The database as CSL-JSON, the citation format that pandoc, Quarto, Zotero and citeproc read. Pure.

Each record is one item, keyed by its record id (as in BibTeX)::

    {"id": "pagedattention", "type": "paper-conference",
     "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
     "author": [{"family": "Kwon", "given": "Woosuk"}, ...],
     "issued": {"date-parts": [[2023]]},
     "container-title": "ACM Symposium on Operating Systems Principles", "publisher": "ACM",
     "page": "611-626", "DOI": "10.1145/3600006.3613165", "URL": "https://arxiv.org/abs/2309.06180"}

Choices:

- **Item types** follow the venue's kind, as BibTeX's entry types do: conference and workshop →
  ``paper-conference``; journal → ``article-journal``; an arXiv preprint → ``article`` with publisher
  ``arXiv`` and number ``arXiv:<id>`` (how Zotero writes a preprint). Without a venue, tools and models are
  ``software``, hardware and articles ``webpage``, and a paper ``article``.
- **Names** are split by bibtexparser's BibTeX name parser into ``given``, ``family`` and the particle
  (``van``), with ``Jr.`` as ``suffix``. An organisation stays whole as ``literal``.
- ``URL`` is the work itself (:func:`~llmpapers.publish.export.work_url`), never a paper's code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts

from ..db.citation import is_organisation
from ..db.models import Kind, Record, Venue
from .export import Venues, html_safe, publisher_of, venue_index, work_url

_TYPES = {"conference": "paper-conference", "workshop": "paper-conference", "journal": "article-journal"}
_WITHOUT_VENUE = {
    Kind.PAPER: "article",
    Kind.TOOL: "software",
    Kind.MODEL: "software",
    Kind.HARDWARE: "webpage",
    Kind.ARTICLE: "webpage",
}
_SUFFIX = re.compile(r"^(?P<base>.+?),?\s+(?P<suffix>Jr\.?|Sr\.?|II|III|IV)$")


@lru_cache(maxsize=65536)
def _name(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(_parse_name(name).items())


def csl_name(name: str) -> dict[str, str]:
    """One author as CSL (see :func:`_parse_name`); names repeat across records, so each is parsed once."""
    return dict(_name(name))


def _parse_name(name: str) -> dict[str, str]:
    """One author as CSL: ``{"family", "given"}`` (plus the particle and suffix), or ``{"literal"}``.

    >>> csl_name("Ludwig van Beethoven"), csl_name("Martin Luther King, Jr."), csl_name("NVIDIA Corporation")
    ({'family': 'Beethoven', 'given': 'Ludwig', 'non-dropping-particle': 'van'}, \
{'family': 'King', 'given': 'Martin Luther', 'suffix': 'Jr.'}, {'literal': 'NVIDIA Corporation'})
    """
    if is_organisation(name) and not _SUFFIX.match(name):
        return {"literal": name}
    match = _SUFFIX.match(name)
    base, suffix = (match["base"], match["suffix"]) if match else (name, None)
    try:
        parts = parse_single_name_into_parts(base, strict=False)
    except Exception:  # noqa: BLE001 - bibtexparser raises plain errors on odd braces; keep the name whole
        return {"literal": name}
    if not parts.last:
        return {"literal": name}
    out = {"family": " ".join(parts.last)}
    if parts.first:
        out["given"] = " ".join(parts.first)
    if parts.von:
        out["non-dropping-particle"] = " ".join(parts.von)
    if suffix:
        out["suffix"] = suffix
    return out


def csl_item(record: Record, venues: Mapping[str, Venue]) -> dict[str, object]:
    """One record as a CSL-JSON item."""
    venue = venues.get(record.venue) if record.venue else None
    item: dict[str, object] = {"id": record.id, "title": record.title}
    if venue and venue.kind in _TYPES:
        item["type"] = _TYPES[venue.kind]
        item["container-title"] = venue.full
    elif record.links.arxiv and (venue is None or venue.name == "arXiv") and record.type == Kind.PAPER:
        item |= {"type": "article", "publisher": "arXiv", "number": f"arXiv:{record.links.arxiv}"}
    else:
        item["type"] = _WITHOUT_VENUE[record.type]
        if venue:
            item["publisher"] = venue.full
    if record.authors:
        item["author"] = [csl_name(a) for a in record.authors]
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year, record.month] if record.month else [record.year]]}
    for key, value in (("volume", record.volume), ("issue", record.number), ("page", record.pages)):
        if value:
            item[key] = value
    if publisher := publisher_of(record, venue):
        item["publisher"] = publisher
    if record.links.doi:
        item["DOI"] = record.links.doi
    url = work_url(record)
    if url:
        item["URL"] = url
    return item


def csl_items(records: Iterable[Record], venues: Venues) -> dict[str, dict[str, object]]:
    """Each record's CSL-JSON item, by id (made once for the download and the works' pages)."""
    index = venue_index(venues)
    return {r.id: csl_item(r, index) for r in records}


def to_csl_json(records: Iterable[Record], venues: Venues, items: Mapping[str, dict] | None = None) -> str:
    """Every record as a CSL-JSON array, sorted by id, one item per line (so a diff shows which changed).
    ``<``, ``>`` and ``&`` are written as JSON escapes, so no title can become markup where it is shown.
    ``items``: from :func:`csl_items`, if already made."""
    records = list(records)
    items = items if items is not None else csl_items(records, venues)
    lines = [json.dumps(items[r.id], ensure_ascii=False) for r in sorted(records, key=lambda r: r.id)]
    return html_safe("[\n" + ",\n".join(lines) + "\n]\n")
