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

from ..db.models import Kind, Links, Record, Related, Source, arxiv_url, doi_url
from ..db.venues import VenueTable
from ..ingest.candidate import Candidate
from .titles import (
    case_score,
    compact,
    match_key,
    names_compatible,
    names_of,
    same_version,
    slugify,
    split_prefix,
    title_slug,
    title_variants,
)

THRESHOLD = 90.0  # rapidfuzz ratio (0-100) at which two title keys are the same title
NEAR = 80.0  # pairs between NEAR and THRESHOLD, or stopped by a guard, are reported as kept apart
SOFTWARE = frozenset({Kind.TOOL, Kind.MODEL, Kind.HARDWARE})
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


def normalize_url(url: str) -> str:
    url = url.strip().lower().split("#", 1)[0]
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    url = url.removeprefix("www.").rstrip("/")
    return url.removesuffix(".git").removesuffix(".pdf")


def _record_keys(record: Record) -> set[str]:
    keys = set(title_variants(record.title))
    for alias in record.aliases:
        keys.update(title_variants(alias))
    if record.short_name and record.type in SOFTWARE:
        keys.add(match_key(record.short_name))
    return keys


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
        for key in _record_keys(record):
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
        if known and not self._conflicting_ids(c, self.records[known]):
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
                    if self._compatible(c, self.records[rid]) is None:
                        return Match(rid, 100.0, "same title" if k == keys[0] else "same title without prefix"), None
        best_miss: NearMiss | None = None
        for key in keys:
            for _, score, i in process.extract(key, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=NEAR, limit=8):
                rid = self.fuzzy_ids[i]
                record = self.records[rid]
                guard = self._compatible(c, record) or (
                    None if same_version(key, self.fuzzy_keys[i]) else "different version or name suffix"
                )
                if guard is None and score < THRESHOLD:
                    guard = f"below the threshold {THRESHOLD:g}"
                if guard is None:
                    return Match(rid, round(score, 1), f"similar title ({score:.1f})"), None
                if best_miss is None or score > best_miss.score:
                    best_miss = NearMiss(c.title, rid, round(score, 1), guard)
        return None, best_miss

    @staticmethod
    def _conflicting_ids(c: Candidate, record: Record) -> str | None:
        links = record.links
        if c.arxiv and links.arxiv and c.arxiv != links.arxiv:
            return f"different arXiv ids ({c.arxiv}, {links.arxiv})"
        if c.doi and links.doi and c.doi.lower() != links.doi.lower():
            return "different DOIs"
        return None

    @classmethod
    def _compatible(cls, c: Candidate, record: Record) -> str | None:
        """None when ``c`` may be ``record``; else why not."""
        conflict = cls._conflicting_ids(c, record)
        if conflict:
            return conflict
        if (c.type in SOFTWARE) != (record.type in SOFTWARE):
            return f"a {c.type.value} and a {record.type.value} are separate records"
        mine = names_of(c.title, c.short_name) | names_of(c.as_listed)
        if not names_compatible(mine, names_of(record.title, record.short_name)):
            return f"different names ({', '.join(sorted(mine))} / {record.short_name or record.title})"
        return None


# ------------------------------------------------------------------------------------------- merging


def _peer_reviewed(venue: str | None, table: VenueTable) -> bool:
    v = table.get(venue) if venue else None
    return bool(v and v.peer_reviewed)


def source_of(c: Candidate) -> Source:
    return Source.model_validate({"list": c.list_name, "section": c.section, "as_listed": c.as_listed, "line": c.line})


def merge_into(record: Record, c: Candidate, table: VenueTable, known: bool = False) -> tuple[Record, list[str]]:
    """``record`` with what ``c`` adds; and a list of the changes in words. Never drops anything.

    ``known``: the listing is already in the record's provenance, so its title, names and venue were
    weighed before (and may since have been curated); only new links and a new source line are taken.
    """
    data = record.model_dump(by_alias=True)
    changes: list[str] = []
    source = source_of(c)
    if source not in record.sources:
        data["sources"] = [*data["sources"], source.model_dump(by_alias=True)]
        changes.append(f"add source {c.list_name}:{c.line}")
    if known:
        linked, link_changes = merge_links(record, c)
        if not changes:
            return linked, link_changes
        data["links"] = linked.links.model_dump()
        return Record.model_validate(data), changes + link_changes

    same_words = match_key(c.title) == match_key(record.title)
    if same_words and c.title != record.title and case_score(c.title) > case_score(record.title) + 0.05:
        data["title"] = c.title
        changes.append(f"title case: {c.title!r}")
    elif not same_words:
        known = _record_keys(record)
        if not any(k in known for k in title_variants(c.title)) and c.title not in record.aliases:
            data["aliases"] = [*data["aliases"], c.title]
            changes.append(f"alias {c.title!r}")

    name = better_name(record.short_name, c.short_name, data["title"])
    if name != record.short_name:
        data["short_name"] = name
        changes.append(f"short name {name}")
    if not record.authors and c.authors:
        data["authors"] = list(dict.fromkeys(c.authors))
        changes.append(f"{len(c.authors)} authors")

    cand_peer, rec_peer = _peer_reviewed(c.venue, table), _peer_reviewed(record.venue, table)
    if c.venue and c.venue != record.venue and (cand_peer and not rec_peer or record.venue is None):
        changes.append(f"venue {record.venue or '-'} -> {c.venue}")
        data["venue"] = c.venue
        if c.year and c.year != record.year:
            changes.append(f"year {record.year or '-'} -> {c.year} (follows the venue)")
            data["year"] = c.year
    elif record.year is None and c.year:
        data["year"] = c.year
        changes.append(f"year {c.year}")

    links, link_changes = _merge_links(record.links, c)
    if link_changes:
        data["links"] = links
        changes += link_changes
    if not changes:
        return record, []
    return Record.model_validate(data), changes


def merge_links(record: Record, c: Candidate) -> tuple[Record, list[str]]:
    """``record`` with the links of ``c`` it lacks (a second URL for a slot goes to ``other``)."""
    links, changes = _merge_links(record.links, c)
    if not changes:
        return record, []
    return record.model_copy(update={"links": type(record.links).model_validate(links)}), changes


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


def _merge_links(links: Links, c: Candidate | Links) -> tuple[dict, list[str]]:
    """``links`` plus what ``c`` (a listing, or another record's links) has that they lack, as data."""
    data = links.model_dump()
    changes = []
    known = {normalize_url(u) for u in links.urls()}
    for slot in ("arxiv", "doi"):
        value = getattr(c, slot)
        if value and not data[slot]:
            data[slot] = value
            known.add(normalize_url(arxiv_url(value) if slot == "arxiv" else doi_url(value)))
            changes.append(f"{slot} {value}")
    for slot in ("paper", "pdf", "code", "project"):
        url = getattr(c, slot)
        if not url or normalize_url(url) in known:
            continue
        if not data[slot]:
            data[slot] = url
            changes.append(f"{slot} link")
        else:
            data["other"] = [*data["other"], url]
            changes.append(f"extra {slot} link in other")
        known.add(normalize_url(url))
    for url in c.other:
        if normalize_url(url) not in known:
            data["other"] = [*data["other"], url]
            known.add(normalize_url(url))
            changes.append("extra link")
    return data, changes


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
            "venue": c.venue,
            "links": links,
            "categories": categories,
            "sources": [source_of(c).model_dump(by_alias=True)],
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
            merged, changes = merge_links(current, c)
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
    updated = record.model_copy(update={"related": [*record.related, Related(id=dst, rel=rel)]})
    records[src] = plan.records[src] = updated
    plan.relations.append((src, rel, dst))
