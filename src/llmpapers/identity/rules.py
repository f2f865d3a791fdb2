"""The rules of identity and merging, in one place: import, ``add`` and ``dedupe`` all decide with these.

Identity: two works are kept apart when their identifiers conflict (two arXiv ids, two DOIs), when one is
software and the other is not, when their names differ (``Sarathi`` / ``Sarathi-Serve``), or, for a fuzzy
title match, when their versions differ (``FlashAttention`` / ``FlashAttention-2``), their editions differ
(years more than one apart, two different peer-reviewed venues, one venue in two years) or the score is below
``THRESHOLD``. A title of at most three words (a bare name: ``Deja Vu``, ``LLM Energy Leaderboard``) is never
matched fuzzily, and matches exactly only within one year. :func:`kept_apart` says why, or ``None`` when they
may be one work. An identifier match (arXiv id, DOI, a paper's own page) is vetoed when the titles share
almost nothing (:func:`titles_agree`): a list's wrong arXiv id must not merge two works.

Merging field by field: the better-cased title wins (another wording becomes an alias), a missing short
name or a better-cased one is taken, authors fill an empty list, a peer-reviewed venue replaces arXiv or
nothing and brings its year, and links are added, never replaced (a second URL for a slot goes to
``other``). :func:`revise` is the one place a record is rebuilt and validated with changed fields.
Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..db.models import Kind, Links, Record, arxiv_url, doi_url
from ..db.venues import VenueTable
from ..ingest.candidate import Candidate
from ..ingest.urls import normalize_url
from .titles import (
    case_score,
    compact,
    match_key,
    names_compatible,
    names_of,
    same_version,
    shared_words,
    split_prefix,
    title_variants,
)

THRESHOLD = 90.0  # rapidfuzz ratio (0-100) at which two title keys are the same title
NEAR = 80.0  # pairs between NEAR and THRESHOLD, or stopped by a guard, are reported as kept apart
AGREE = 0.2  # share of the shorter title's telling words two titles need for an identifier to join them
SHORT = 3  # a title key of at most this many words is a bare name: exact matches only, within one year
LONG = 6  # an exact title key of at least this many words is the same work whatever name a list puts on it
SOFTWARE = frozenset({Kind.TOOL, Kind.MODEL, Kind.HARDWARE})
PREPRINTS = frozenset({"arXiv", "IACR ePrint"})  # venues that say nothing about which edition a work is


# ------------------------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class Work:
    """What identity looks at, of a record or of a listing."""

    label: str  # how the work is named in a reason: its short name, else its title
    type: Kind
    names: frozenset[str]
    arxiv: str | None
    doi: str | None
    year: int | None = None
    venue: str | None = None
    named: bool = False  # the title itself starts with a name (``Orca: …``)

    @classmethod
    def of_record(cls, record: Record) -> Work:
        return cls(
            record.short_name or record.title,
            record.type,
            frozenset(names_of(record.title, record.short_name)),
            record.links.arxiv,
            record.links.doi,
            record.year,
            record.venue,
            split_prefix(record.title)[1] is not None,
        )

    @classmethod
    def of_candidate(cls, c: Candidate) -> Work:
        names = names_of(c.title, c.short_name) | names_of(c.as_listed)
        named = split_prefix(c.title)[1] is not None
        return cls(c.short_name or c.title, c.type, frozenset(names), c.arxiv, c.doi, c.year, c.venue, named)


def conflicting_ids(a: Work, b: Work) -> str | None:
    """Why two works cannot be one by their identifiers, or ``None``."""
    if a.arxiv and b.arxiv and a.arxiv != b.arxiv:
        return f"different arXiv ids ({a.arxiv}, {b.arxiv})"
    if a.doi and b.doi and a.doi.lower() != b.doi.lower():
        return "different DOIs"
    return None


def kept_apart(a: Work, b: Work, names: bool = True) -> str | None:
    """Why ``a`` and ``b`` are different works whatever their titles say, or ``None`` when they may be one.
    ``names=False`` skips the names guard (for an exact long title, which no two works share)."""
    if conflict := conflicting_ids(a, b):
        return conflict
    if (a.type in SOFTWARE) != (b.type in SOFTWARE):
        return f"a {a.type.value} and a {b.type.value} are separate records"
    if names and not names_compatible(set(a.names), set(b.names)):
        return f"different names ({a.label}, {b.label})"
    return None


def editions_differ(a: Work, b: Work, bare: bool = False) -> str | None:
    """Why two works that look alike are different editions or works: years more than one apart (any
    difference for a bare name), two different peer-reviewed venues, or one venue in two years."""
    if a.year and b.year and (abs(a.year - b.year) > 1 or (bare and a.year != b.year)):
        return f"different years ({a.year}, {b.year})"
    va, vb = (v if v not in PREPRINTS else None for v in (a.venue, b.venue))
    if va and vb and va != vb:
        return f"different venues ({va}, {vb})"
    if va and va == vb and a.year and b.year and a.year != b.year:
        return f"{va} {a.year} and {va} {b.year}"
    return None


def is_bare(key: str) -> bool:
    """A key of at most :data:`SHORT` words as the title writes them (``LLM`` is one word): a name, not a title.

    >>> is_bare("large language model perf leaderboard"), is_bare("attention is all you need")
    (True, False)
    """
    words = key.replace("large language models", "llms").replace("large language model", "llm").split()
    return len(words) <= SHORT


def fuzzy_verdict(a: Work, b: Work, score: float, key_a: str, key_b: str) -> str | None:
    """For two titles that score ``score`` on keys ``key_a``/``key_b``: why they stay apart, or ``None``."""
    if why := kept_apart(a, b):
        return why
    if not same_version(key_a, key_b):
        return "different version or name suffix"
    if is_bare(key_a) or is_bare(key_b):
        return "a bare name matches only exactly"
    if why := editions_differ(a, b):
        return why
    if score < THRESHOLD:
        return f"below the threshold {THRESHOLD:g}"
    return None


def exact_verdict(a: Work, b: Work, key: str) -> str | None:
    """For two works with the same title key: why they stay apart, or ``None``. A long title that one of the
    two writes without a name of its own is one work whatever name the other puts before it (a list's
    ``vLLM: Efficient Memory Management…`` is PagedAttention's paper); two named titles keep the names guard
    (``Orca: …`` and ``Orca-2: …``)."""
    if why := kept_apart(a, b, names=len(key.split()) < LONG or (a.named and b.named)):
        return why
    if is_bare(key):
        return editions_differ(a, b, bare=True)
    return None


def titles_agree(
    keys_a: Iterable[str],
    keys_b: Iterable[str],
    names_a: Iterable[str],
    names_b: Iterable[str],
    authors_a: list[str] = (),
    authors_b: list[str] = (),
) -> bool:
    """Whether two works joined by an identifier can be one work: a shared name, the same first author, or
    titles that share telling words (a published version's new title does: ``C-Pack: Packaged Resources…``
    and ``C-Pack: Packed Resources…``). Two titles that share only words like *serving* or *large language
    model*, with nothing else in common, do not: a list's wrong arXiv id joins two such works."""
    if {compact(n) for n in names_a} & {compact(n) for n in names_b}:
        return True
    if authors_a and authors_b and match_key(authors_a[0]).split()[-1:] == match_key(authors_b[0]).split()[-1:]:
        return True
    keys_b = list(keys_b)
    return any(shared_words(x, y) >= AGREE for x in keys_a for y in keys_b)


def record_keys(record: Record) -> set[str]:
    """Every title key a record answers to: its title's and aliases' variants, a software record's name."""
    keys = set(title_variants(record.title))
    for alias in record.aliases:
        keys.update(title_variants(alias))
    if record.short_name and record.type in SOFTWARE:
        keys.add(match_key(record.short_name))
    return keys


# -------------------------------------------------------------------------------------------- merging


def better_title(current: str, offered: str) -> str:
    """``offered`` when it is the same words as ``current``, better cased; else ``current``."""
    if offered != current and match_key(offered) == match_key(current):
        if case_score(offered) > case_score(current) + 0.05:
            return offered
    return current


def better_name(current: str | None, offered: str | None, title: str) -> str | None:
    """The short name to keep: the current one, unless it is missing or the same name worse cased
    (``Gptq`` -> ``GPTQ``, ``Specinfer`` -> ``SpecInfer``, also as the title's own ``Name:`` prefix writes it)."""
    if not current:
        return offered
    options = [current]
    if offered and offered.casefold() == current.casefold():
        options.append(offered)
    _, prefix, _ = split_prefix(title)
    if prefix and prefix.casefold() == current.casefold():
        options.append(prefix)
    return max(options, key=lambda n: sum(ch.isupper() for ch in n))


def peer_reviewed(venue: str | None, table: VenueTable) -> bool:
    v = table.get(venue) if venue else None
    return bool(v and v.peer_reviewed)


def better_venue(
    venue: str | None, year: int | None, offered: str | None, offered_year: int | None, table: VenueTable
) -> tuple[str | None, int | None]:
    """The venue and year to keep: a peer-reviewed venue over arXiv, any venue over none, the year with it;
    otherwise the current ones, with a missing year filled."""
    if (
        offered
        and offered != venue
        and (venue is None or peer_reviewed(offered, table) and not peer_reviewed(venue, table))
    ):
        return offered, offered_year or year
    return venue, year or offered_year


def new_aliases(title: str, aliases: Iterable[str], keys: set[str], offered: Iterable[str]) -> list[str]:
    """``aliases`` plus each offered title that none of ``keys`` already answers to; never the title itself."""
    out = list(aliases)
    for text in offered:
        if text != title and text not in out and not any(k in keys for k in title_variants(text)):
            out.append(text)
    return out


def merge_links(links: Links, other: Candidate | Links) -> tuple[Links, list[str]]:
    """``links`` plus what ``other`` (a listing, or another record's links) has that they lack; and the changes."""
    data = links.model_dump()
    changes = []
    known = {normalize_url(u) for u in links.urls()}
    for slot in ("arxiv", "doi"):
        value = getattr(other, slot)
        if value and not data[slot]:
            data[slot] = value
            known.add(normalize_url(arxiv_url(value) if slot == "arxiv" else doi_url(value)))
            changes.append(f"{slot} {value}")
    for slot in ("paper", "pdf", "code", "project"):
        url = getattr(other, slot)
        if not url or normalize_url(url) in known:
            continue
        if not data[slot]:
            data[slot] = url
            changes.append(f"{slot} link")
        else:
            data["other"] = [*data["other"], url]
            changes.append(f"extra {slot} link in other")
        known.add(normalize_url(url))
    for url in other.other:
        if normalize_url(url) not in known:
            data["other"] = [*data["other"], url]
            known.add(normalize_url(url))
            changes.append("extra link")
    return (Links.model_validate(data) if changes else links), changes


def revise(record: Record, **fields: Any) -> Record:
    """``record`` with ``fields`` replaced, validated as a whole like a record read from its file."""
    if not fields:
        return record
    data = record.model_dump(by_alias=True)
    for name, value in fields.items():
        data[name] = _plain(value)
    return Record.model_validate(data)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    dump = getattr(value, "model_dump", None)
    return dump(by_alias=True) if dump else value
