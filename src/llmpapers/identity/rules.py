"""The rules of identity and merging, in one place: import, ``add`` and ``dedupe`` all decide with these.

Identity: two works are kept apart when their identifiers conflict (two arXiv ids, two DOIs), when one is
software and the other is not, when their names differ (``Sarathi`` / ``Sarathi-Serve``), or, for a fuzzy
title match, when their versions differ (``FlashAttention`` / ``FlashAttention-2``) or the score is below
``THRESHOLD``. :func:`kept_apart` says why, or ``None`` when they may be one work.

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
from .titles import case_score, match_key, names_compatible, names_of, same_version, split_prefix, title_variants

THRESHOLD = 90.0  # rapidfuzz ratio (0-100) at which two title keys are the same title
NEAR = 80.0  # pairs between NEAR and THRESHOLD, or stopped by a guard, are reported as kept apart
SOFTWARE = frozenset({Kind.TOOL, Kind.MODEL, Kind.HARDWARE})


# ------------------------------------------------------------------------------------------- identity


@dataclass(frozen=True)
class Work:
    """What identity looks at, of a record or of a listing."""

    label: str  # how the work is named in a reason: its short name, else its title
    type: Kind
    names: frozenset[str]
    arxiv: str | None
    doi: str | None

    @classmethod
    def of_record(cls, record: Record) -> Work:
        return cls(
            record.short_name or record.title,
            record.type,
            frozenset(names_of(record.title, record.short_name)),
            record.links.arxiv,
            record.links.doi,
        )

    @classmethod
    def of_candidate(cls, c: Candidate) -> Work:
        names = names_of(c.title, c.short_name) | names_of(c.as_listed)
        return cls(c.short_name or c.title, c.type, frozenset(names), c.arxiv, c.doi)


def conflicting_ids(a: Work, b: Work) -> str | None:
    """Why two works cannot be one by their identifiers, or ``None``."""
    if a.arxiv and b.arxiv and a.arxiv != b.arxiv:
        return f"different arXiv ids ({a.arxiv}, {b.arxiv})"
    if a.doi and b.doi and a.doi.lower() != b.doi.lower():
        return "different DOIs"
    return None


def kept_apart(a: Work, b: Work) -> str | None:
    """Why ``a`` and ``b`` are different works whatever their titles say, or ``None`` when they may be one."""
    if conflict := conflicting_ids(a, b):
        return conflict
    if (a.type in SOFTWARE) != (b.type in SOFTWARE):
        return f"a {a.type.value} and a {b.type.value} are separate records"
    if not names_compatible(set(a.names), set(b.names)):
        return f"different names ({a.label}, {b.label})"
    return None


def fuzzy_verdict(a: Work, b: Work, score: float, key_a: str, key_b: str) -> str | None:
    """For two titles that score ``score`` on keys ``key_a``/``key_b``: why they stay apart, or ``None``."""
    if why := kept_apart(a, b):
        return why
    if not same_version(key_a, key_b):
        return "different version or name suffix"
    if score < THRESHOLD:
        return f"below the threshold {THRESHOLD:g}"
    return None


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
