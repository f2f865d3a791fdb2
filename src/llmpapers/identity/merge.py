"""Identity and merging: which record a candidate is, and what the merged record keeps. Pure.

Identity, in order: the same arXiv id, DOI or paper URL (a URL only when it is one work's own: a page that
several entries of the list or several records share is a landing page, never an identity), vetoed when the
titles share almost nothing (a *conflict*, reported and not imported); then the same title under any of its
variants (``[Tag] Name: Title``, ``Name: Title`` and ``Title`` are one title); then a fuzzy title match
(rapidfuzz ``ratio`` >= ``THRESHOLD``) that passes the guards of :mod:`.rules`: no conflicting identifiers,
no paper-vs-software mix, the same version numbers, no name-changing suffix (``Sarathi``/``Sarathi-Serve``),
compatible short names, the same edition (year, venue), and never for a bare name.

Merging keeps everything: every provenance entry, every link (a second URL for a slot goes to ``other``),
the better-cased title (another wording becomes an alias), the peer-reviewed venue over arXiv (and its
year), and what the record already had. Categories and type in the record are curated and never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import ValidationError

from ..db.models import Kind, Record, Related, Source, valid_id, visible_text
from ..db.scripts import describe, mixed_words
from ..db.venues import VenueTable
from ..ingest.candidate import Candidate
from ..ingest.text import split_name
from .matcher import EXPORTED, PROVENANCE, Match, Matcher, NearMiss
from .rules import (
    NEAR,
    SOFTWARE,
    THRESHOLD,
    better_name,
    better_title,
    better_venue,
    merge_links,
    new_aliases,
    normalize_url,
    peer_reviewed,
    record_keys,
    revise,
)
from .titles import compact, match_key, slugify, title_slug

__all__ = ["NEAR", "SOFTWARE", "THRESHOLD", "Matcher", "Plan", "merge_into", "new_record", "plan_import"]


@dataclass
class Action:
    kind: Literal["new", "merge", "unchanged", "conflict"]
    candidate: Candidate
    record: Record
    match: Match | None = None
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # where the listing disagrees with the record (kept as is)


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)  # final state of every record touched
    created: list[str] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (record, rel, other) added
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line in the list, what to check there)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why the entry was not imported)

    @property
    def changed(self) -> dict[str, Record]:
        return {rid: self.records[rid] for rid in sorted(self.records)}


# ------------------------------------------------------------------------------------------- merging


def invalid_fields(exc: ValidationError) -> str:
    """What a record made from an entry would break, in words: ``year: year 1894 is outside 1940..2027``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        where = "the title as written" if where.endswith("as_listed") else where
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "string_too_long":
            msg = f"{len(err['input']):,} characters (at most {err['ctx']['max_length']:,})"
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def source_of(c: Candidate) -> Source:
    section = visible_text(c.section) if c.section else None
    listed = {"list": c.list_name, "section": section or None, "as_listed": visible_text(c.as_listed), "line": c.line}
    return Source.model_validate(listed)


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
    """The id of a new record: its name (``snapkv``), else the title's significant words; the same whichever
    way the work came in (a list, a .bib file, ``add``), since ids are permanent."""
    name = c.short_name or split_name(c.title)[0]
    base = slugify(name, 4) if name else title_slug(c.title)
    base = base[:60].strip("-") or "record"
    if not valid_id(base):  # ``con``: a device name on Windows
        base = f"{base}-work"
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
            "short_name": c.short_name or split_name(c.title)[0],
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
    candidates = _without_shared_pages(list(candidates), plan)
    for c in candidates:
        if exported and c.key in matcher.records:
            match, miss = Match(c.key, 100.0, EXPORTED), None
        else:
            match, miss = matcher.find(c)
        if miss:
            plan.near_misses.append(miss)
        if match is not None and match.conflict:
            plan.actions.append(Action("conflict", c, matcher.records[match.record_id], match))
            plan.warnings.append((c.line, f"{c.title[:60]!r} not imported: {match.reason}"))
            continue
        if match is None:
            rid = new_id(c, taken)
            try:
                record = new_record(c, rid, suggest(c), today)
            except ValidationError as exc:
                plan.errors.append((c.line, f"{c.title[:60]!r} not imported: {invalid_fields(exc)}"))
                continue
            taken.add(rid)
            matcher.add(record)
            if mixed := mixed_words(c.title):
                plan.warnings.append(
                    (c.line, f"{c.title[:60]!r} mixes scripts in {describe(mixed)}: check the listing")
                )
            plan.records[rid] = record
            plan.created.append(rid)
            plan.actions.append(Action("new", c, record))
            continue
        current = matcher.records[match.record_id]
        try:
            if match.reason == EXPORTED:
                merged, changes = merge_links_of(current, c)
            else:
                merged, changes = merge_into(current, c, table, known=match.reason == PROVENANCE)
        except ValidationError as exc:
            plan.errors.append((c.line, f"{c.title[:60]!r} not merged into {current.id}: {invalid_fields(exc)}"))
            continue
        if changes:
            matcher.add(merged)
            plan.records[merged.id] = merged
        notes = [] if match.reason in (PROVENANCE, EXPORTED) else disagreements(merged, c, table)
        plan.actions.append(Action("merge" if changes else "unchanged", c, merged, match, changes, notes))
    relate_code(plan, matcher.records)
    return plan


def _without_shared_pages(candidates: list[Candidate], plan: Plan) -> list[Candidate]:
    """The candidates, each paper or PDF link that several entries share moved to ``other``: a conference
    program or a lab's publication page is no paper's own page, so it must not make them one work."""
    titles: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        for url in {c.paper, c.pdf} - {None}:
            titles[normalize_url(url)].add(match_key(c.title))
    shared = {url for url, keys in titles.items() if len(keys) > 1}
    if not shared:
        return candidates
    out = []
    for c in candidates:
        moved = [url for url in (c.paper, c.pdf) if url and normalize_url(url) in shared]
        if moved:
            c = replace(
                c,
                paper=None if c.paper in moved else c.paper,
                pdf=None if c.pdf in moved else c.pdf,
                other=[*c.other, *(u for u in moved if u not in c.other)],
            )
            n = len(titles[normalize_url(moved[0])])
            plan.warnings.append((c.line, f"{moved[0]} is the link of {n} different entries: kept as another link, "
                                          "not as this paper's own page"))  # fmt: skip
        out.append(c)
    return out


def disagreements(record: Record, c: Candidate, table: VenueTable) -> list[str]:
    """Where a merged listing says otherwise than the record it merged into (the record is kept as it is)."""
    notes = []
    if c.venue and record.venue and c.venue != record.venue and peer_reviewed(c.venue, table):
        notes.append(f"the list says venue {c.venue}, the record {record.venue}")
    elif c.year and record.year and c.year != record.year and c.venue in (None, record.venue):
        notes.append(f"the list says year {c.year}, the record {record.year}")
    listed, kept = [match_key(a) for a in c.authors], [match_key(a) for a in record.authors]
    if listed and kept and listed != kept[: len(listed)]:  # a list that gives the first authors only agrees
        notes.append(f"the list's authors ({_few(c.authors)}) are not the record's ({_few(record.authors)})")
    return notes


def _few(names: list[str]) -> str:
    return ", ".join(names[:3]) + (", …" if len(names) > 3 else "")


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
