"""Identity and merging: which record a candidate is, and what the merged record keeps. Pure.

Identity, in order: the same arXiv id, DOI or paper URL; then the same title under any of its variants
(``[Tag] Name: Title``, ``Name: Title`` and ``Title`` are one title); then a fuzzy title match (rapidfuzz
``ratio`` >= ``THRESHOLD``) that passes the guards: no conflicting identifiers, no paper-vs-software mix,
the same version numbers, no name-changing suffix (``Sarathi``/``Sarathi-Serve``), compatible short names.

Merging keeps everything: every provenance entry, every link (a second URL for a slot goes to ``other``),
the better-cased title (another wording becomes an alias), the peer-reviewed venue over arXiv (and its
year), and what the record already had. Categories and type in the record are curated and never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from ..db.models import Kind, Record, Related, Source
from ..db.venues import VenueTable
from ..ingest.candidate import Candidate
from .rules import (
    NEAR,
    SOFTWARE,
    THRESHOLD,
    Work,
    better_name,
    better_title,
    better_venue,
    conflicting_ids,
    fuzzy_verdict,
    kept_apart,
    merge_links,
    new_aliases,
    normalize_url,
    record_keys,
    revise,
)
from .titles import compact, match_key, slugify, title_slug, title_variants

__all__ = ["NEAR", "SOFTWARE", "THRESHOLD", "Matcher", "Plan", "merge_into", "new_record", "plan_import"]

PROVENANCE = "already imported from this list"
EXPORTED = "an llmpapers export of this record"


@dataclass(frozen=True)
class Match:
    record_id: str
    score: float
    reason: str


@dataclass(frozen=True)
class NearMiss:
    title: str
    record_id: str
    score: float
    reason: str


@dataclass
class Action:
    kind: Literal["new", "merge", "unchanged"]
    candidate: Candidate
    record: Record
    match: Match | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)  # final state of every record touched
    created: list[str] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (record, rel, other) added

    @property
    def changed(self) -> dict[str, Record]:
        return {rid: self.records[rid] for rid in sorted(self.records)}


def _candidate_keys(c: Candidate) -> tuple[str, ...]:
    keys = list(title_variants(c.title)) + list(title_variants(c.as_listed))
    return tuple(dict.fromkeys(keys))


class Matcher:
    """Indexes of the records by identifier and title key; grows as new records are added."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records: dict[str, Record] = {}
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        self.by_source: dict[tuple[str, str], str] = {}
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.fuzzy_keys: list[str] = []
        self.fuzzy_ids: list[str] = []
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        self.records[record.id] = record
        links = record.links
        if links.arxiv:
            self.by_arxiv.setdefault(links.arxiv, record.id)
        if links.doi:
            self.by_doi.setdefault(links.doi.lower(), record.id)
        for url in (links.paper, links.pdf):
            if url:
                self.by_url.setdefault(normalize_url(url), record.id)
        for source in record.sources:
            self.by_source.setdefault((source.list_, source.as_listed), record.id)
        for key in record_keys(record):
            if record.id in self.by_key[key]:
                continue  # indexed when an earlier version of this record was added
            self.by_key[key].add(record.id)
            self.by_key[compact(key)].add(record.id)
            self.fuzzy_keys.append(key)
            self.fuzzy_ids.append(record.id)

    def find(self, c: Candidate) -> tuple[Match | None, NearMiss | None]:
        """The record ``c`` is, if any; else the closest record kept apart (for the report).

        A listing already in a record's provenance is that record, whatever curation changed since.
        """
        known = self.by_source.get((c.list_name, c.as_listed))
        work = Work.of_candidate(c)
        if known and not conflicting_ids(work, Work.of_record(self.records[known])):
            return Match(known, 100.0, PROVENANCE), None
        if c.arxiv and c.arxiv in self.by_arxiv:
            return Match(self.by_arxiv[c.arxiv], 100.0, f"same arXiv id {c.arxiv}"), None
        if c.doi and c.doi.lower() in self.by_doi:
            return Match(self.by_doi[c.doi.lower()], 100.0, f"same DOI {c.doi}"), None
        for url in (c.paper, c.pdf):
            if url and normalize_url(url) in self.by_url:
                return Match(self.by_url[normalize_url(url)], 100.0, "same paper URL"), None
        keys = _candidate_keys(c)
        for key in keys:
            for k in (key, compact(key)):
                for rid in sorted(self.by_key.get(k, ())):
                    if kept_apart(work, Work.of_record(self.records[rid])) is None:
                        return Match(rid, 100.0, "same title" if k == keys[0] else "same title without prefix"), None
        best_miss: NearMiss | None = None
        for key in keys:
            for _, score, i in process.extract(key, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=NEAR, limit=8):
                rid = self.fuzzy_ids[i]
                guard = fuzzy_verdict(work, Work.of_record(self.records[rid]), score, key, self.fuzzy_keys[i])
                if guard is None:
                    return Match(rid, round(score, 1), f"similar title ({score:.1f})"), None
                if best_miss is None or score > best_miss.score:
                    best_miss = NearMiss(c.title, rid, round(score, 1), guard)
        return None, best_miss


# ------------------------------------------------------------------------------------------- merging


def source_of(c: Candidate) -> Source:
    return Source.model_validate({"list": c.list_name, "section": c.section, "as_listed": c.as_listed, "line": c.line})


def merge_into(record: Record, c: Candidate, table: VenueTable, known: bool = False) -> tuple[Record, list[str]]:
    """``record`` with what ``c`` adds; and a list of the changes in words. Never drops anything.

    ``known``: the listing is already in the record's provenance, so its title, names, venue and links were
    weighed before (and may since have been curated: a wrong arXiv id removed stays removed); at most a new
    source line is taken.
    """
    fields: dict = {}
    changes: list[str] = []
    source = source_of(c)
    if source not in record.sources:
        fields["sources"] = [*record.sources, source]
        changes.append(f"add source {c.list_name}:{c.line}")
    if known:
        return (revise(record, **fields) if changes else record), changes
    links, link_changes = merge_links(record.links, c)
    if link_changes:
        fields["links"] = links

    title = better_title(record.title, c.title)
    if title != record.title:
        fields["title"] = title
        changes.append(f"title case: {title!r}")
    aliases = new_aliases(record.title, record.aliases, record_keys(record), [c.title])
    if aliases != record.aliases:
        fields["aliases"] = aliases
        changes.append(f"alias {c.title!r}")
    name = better_name(record.short_name, c.short_name, title)
    if name != record.short_name:
        fields["short_name"] = name
        changes.append(f"short name {name}")
    if not record.authors and c.authors:
        fields["authors"] = list(dict.fromkeys(c.authors))
        changes.append(f"{len(c.authors)} authors")
    venue, year = better_venue(record.venue, record.year, c.venue, c.year, table)
    if venue != record.venue:
        fields["venue"] = venue
        changes.append(f"venue {record.venue or '-'} -> {venue}")
    if year != record.year:
        fields["year"] = year
        changes.append(
            f"year {record.year or '-'} -> {year} (follows the venue)" if venue != record.venue else f"year {year}"
        )
    if venue == c.venue and year == c.year:  # pages and numbers belong to the version the record cites
        for name in ("month", "volume", "number", "pages", "publisher"):
            if getattr(record, name) is None and getattr(c, name) is not None:
                fields[name] = getattr(c, name)
                changes.append(f"{name} {getattr(c, name)}")
    changes += link_changes
    return (revise(record, **fields) if changes else record), changes


def _with_links(record: Record, links) -> Record:
    return record if links is record.links else record.model_copy(update={"links": links})


def merge_links_of(record: Record, c: Candidate) -> tuple[Record, list[str]]:
    """``record`` with the links of ``c`` it lacks (a second URL for a slot goes to ``other``)."""
    links, changes = merge_links(record.links, c)
    return _with_links(record, links), changes


def new_id(c: Candidate, taken: set[str]) -> str:
    base = slugify(c.short_name, 4) if c.short_name else title_slug(c.title)
    base = base[:60].strip("-") or "record"
    if base not in taken:
        return base
    if c.year and f"{base}-{c.year}" not in taken:
        return f"{base}-{c.year}"
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_record(c: Candidate, record_id: str, categories: list[str], today: dt.date) -> Record:
    links = {k: getattr(c, k) for k in ("paper", "pdf", "arxiv", "doi", "code", "project") if getattr(c, k)}
    if c.other:
        links["other"] = list(dict.fromkeys(c.other))
    return Record.model_validate(
        {
            "id": record_id,
            "type": c.type,
            "title": c.title,
            "short_name": c.short_name,
            "aliases": [a for a in dict.fromkeys(c.aliases) if a != c.title],
            "authors": list(dict.fromkeys(c.authors)),
            "year": c.year,
            "month": c.month,
            "venue": c.venue,
            "volume": c.volume,
            "number": c.number,
            "pages": c.pages,
            "publisher": c.publisher,
            "links": links,
            "categories": categories,
            "sources": [source_of(c).model_dump(by_alias=True)],
            "evidence": c.evidence,
            "added": today,
        }
    )


Suggest = Callable[[Candidate], list[str]]


def plan_import(
    records: list[Record],
    candidates: Iterable[Candidate],
    table: VenueTable,
    suggest: Suggest,
    today: dt.date,
    exported: bool = False,
) -> Plan:
    """What importing ``candidates`` into ``records`` does: new records, merges and near misses.

    ``exported``: the candidates come from an llmpapers export, whose citation keys are record ids; such an
    entry is its record, and brings no provenance (exporting and importing again changes nothing).
    """
    matcher = Matcher(records)
    plan = Plan()
    taken = {r.id for r in records}
    for c in candidates:
        if exported and c.key in matcher.records:
            match, miss = Match(c.key, 100.0, EXPORTED), None
        else:
            match, miss = matcher.find(c)
        if miss:
            plan.near_misses.append(miss)
        if match is None:
            rid = new_id(c, taken)
            taken.add(rid)
            record = new_record(c, rid, suggest(c), today)
            matcher.add(record)
            plan.records[rid] = record
            plan.created.append(rid)
            plan.actions.append(Action("new", c, record))
            continue
        current = matcher.records[match.record_id]
        if match.reason == EXPORTED:
            merged, changes = merge_links_of(current, c)
        else:
            merged, changes = merge_into(current, c, table, known=match.reason == PROVENANCE)
        if changes:
            matcher.add(merged)
            plan.records[merged.id] = merged
        plan.actions.append(Action("merge" if changes else "unchanged", c, merged, match, changes))
    relate_code(plan, matcher.records)
    return plan


def relate_code(plan: Plan, records: dict[str, Record]) -> None:
    """Link a paper to the software record built from it: the tool's name is the repository's name.

    Only pairs with a record this import created: relations between existing records are curated.
    """
    created = set(plan.created)
    tools = {}
    for record in records.values():
        if record.type is Kind.TOOL:
            for name in filter(None, (record.short_name, record.title)):
                tools.setdefault(compact(match_key(name)), record.id)
            if record.links.code:
                tools.setdefault(normalize_url(record.links.code), record.id)
    for record in list(records.values()):
        if record.type is not Kind.PAPER or not record.links.code:
            continue
        url = normalize_url(record.links.code)
        repo = compact(match_key(url.split("/")[2])) if url.startswith("github.com/") and url.count("/") >= 2 else None
        tool_id = tools.get(url) or (tools.get(repo) if repo else None)
        if tool_id and created & {tool_id, record.id} and not any(r.id == tool_id for r in record.related):
            _relate(plan, records, record.id, tool_id, "code")
            _relate(plan, records, tool_id, record.id, "paper")


def _relate(plan: Plan, records: dict[str, Record], src: str, dst: str, rel: str) -> None:
    record = plan.records.get(src, records[src])
    if any(r.id == dst for r in record.related):
        return
    updated = revise(record, related=[*record.related, Related(id=dst, rel=rel)])
    records[src] = plan.records[src] = updated
    plan.relations.append((src, rel, dst))
