"""Which record a listing is: the indexes of the records by identifier and title key, and the order in
which identity is decided (see :mod:`.merge` for the rules in words and :mod:`.rules` for the guards). Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..db.models import Record, visible_text
from ..db.scripts import describe, mixed_words
from ..ingest.candidate import Candidate
from .rules import (
    NEAR,
    SOFTWARE,
    Work,
    conflicting_ids,
    exact_verdict,
    fuzzy_verdict,
    normalize_url,
    record_keys,
    titles_agree,
)
from .titles import compact, title_variants

PROVENANCE = "already imported from this list"
EXPORTED = "an llmpapers export of this record"


@dataclass(frozen=True)
class Match:
    record_id: str
    score: float
    reason: str
    conflict: bool = False  # an identifier says this record, the titles say another work: not merged


@dataclass(frozen=True)
class NearMiss:
    title: str
    record_id: str
    score: float
    reason: str


RARE = 4  # how many of a key's rarest terms (word pairs) choose the keys it is scored against
CAP = 2000  # ... while they bring at most this many keys (the rarest term's always)


def _terms(key: str) -> list[str]:
    """The index terms of a key: its pairs of neighbouring words (``memory management``), far rarer than single
    words, so that each lookup meets few keys; a one-word key is its word."""
    words = key.split()
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] or words


def _candidate_keys(c: Candidate) -> tuple[str, ...]:
    keys = list(title_variants(c.title)) + list(title_variants(c.as_listed))
    return tuple(dict.fromkeys(keys))


class Matcher:
    """Indexes of the records by identifier and title key; grows as new records are added."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records: dict[str, Record] = {}
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_url: dict[str, set[str]] = defaultdict(set)
        self.by_repo: dict[str, set[str]] = defaultdict(set)  # a software record's repository
        self.by_source: dict[tuple[str, str], list[str]] = defaultdict(list)  # a listing -> its records
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.fuzzy_keys: list[str] = []
        self.fuzzy_ids: list[str] = []
        self.by_term: dict[str, list[int]] = defaultdict(list)  # word pair -> positions in fuzzy_keys
        self.listed_now: set[tuple[str, str]] = set()  # listings indexed by this import, not an earlier one
        self.started = False
        for record in records:
            self.add(record)
        self.started = True

    def add(self, record: Record) -> None:
        self.records[record.id] = record
        links = record.links
        if links.arxiv:
            self.by_arxiv.setdefault(links.arxiv, record.id)
        if links.doi:
            self.by_doi.setdefault(links.doi.lower(), record.id)
        for url in (links.paper, links.pdf):
            if url:
                self.by_url[normalize_url(url)].add(record.id)
        if links.code and record.type in SOFTWARE:
            self.by_repo[normalize_url(links.code)].add(record.id)
        for source in record.sources:
            known = self.by_source[(source.list_, visible_text(source.as_listed))]
            if record.id not in known:
                known.append(record.id)
                if self.started:
                    self.listed_now.add((source.list_, visible_text(source.as_listed)))
        for key in record_keys(record):
            if record.id in self.by_key[key]:
                continue  # indexed when an earlier version of this record was added
            self.by_key[key].add(record.id)
            self.by_key[compact(key)].add(record.id)
            for term in set(_terms(key)):
                self.by_term[term].append(len(self.fuzzy_keys))
            self.fuzzy_keys.append(key)
            self.fuzzy_ids.append(record.id)

    def _listed(self, c: Candidate) -> str | None:
        """The record whose provenance has this listing, if one can be told. A listing this import already
        read (a list that writes one title twice) is matched as any other entry, by its title and year."""
        if (c.list_name, visible_text(c.as_listed)) in self.listed_now:
            return None
        known = self.by_source.get((c.list_name, visible_text(c.as_listed)), [])
        if len(known) <= 1:
            return known[0] if known else None
        at_line = [
            rid for rid in known if any((s.list_, s.line) == (c.list_name, c.line) for s in self.records[rid].sources)
        ]
        same_year = [rid for rid in known if c.year and self.records[rid].year == c.year]
        return next((found[0] for found in (at_line, same_year) if len(found) == 1), None)

    def find(self, c: Candidate) -> tuple[Match | None, NearMiss | None]:
        """The record ``c`` is, if any (see :meth:`_find`); never one whose title ``c`` imitates with look-alike
        letters (``Аttention`` with a Cyrillic А): that is a conflict to check, not a merge."""
        match, miss = self._find(c)
        mixed = mixed_words(f"{c.title} {c.short_name or ''}") if match is not None else []
        if match is not None and mixed and not mixed_words(title := self.records[match.record_id].title):
            why = f"its title mixes scripts in {describe(mixed)}, imitating {title!r}: check the listing"
            return Match(match.record_id, 0.0, why, conflict=True), None
        return match, miss

    def _find(self, c: Candidate) -> tuple[Match | None, NearMiss | None]:
        """The record ``c`` is, if any; else the closest record kept apart (for the report).

        A listing already in a record's provenance is that record, whatever curation changed since. When one
        list wrote two works the same way (two books called "Dynamic programming"), the one at the listing's
        line, else of its year, is meant; else neither is assumed.
        """
        work = Work.of_candidate(c)
        if known := self._listed(c):
            if not conflicting_ids(work, Work.of_record(self.records[known])):
                return Match(known, 100.0, PROVENANCE), None
        keys = _candidate_keys(c)
        if found := self._by_identifier(c):
            rid, reason = found
            other = self.records[rid]
            if not titles_agree(
                keys, record_keys(other), work.names, Work.of_record(other).names, c.authors, other.authors
            ):
                why = f"{reason}, but its title shares almost nothing with {other.title!r}: check the listing"
                return Match(rid, 0.0, why, conflict=True), None
            return Match(rid, 100.0, reason), None
        best_miss: NearMiss | None = None
        for key in keys:
            for k in (key, compact(key)):
                for rid in sorted(self.by_key.get(k, ())):
                    why = exact_verdict(work, Work.of_record(self.records[rid]), key)
                    if why is None:
                        return Match(rid, 100.0, "same title" if k == keys[0] else "same title without prefix"), None
                    if best_miss is None:
                        best_miss = NearMiss(c.title, rid, 100.0, why)
        for key in keys:
            near = self._near(key)
            for _, score, i in process.extract(key, near, scorer=fuzz.ratio, score_cutoff=NEAR, limit=8):
                rid = self.fuzzy_ids[i]
                guard = fuzzy_verdict(work, Work.of_record(self.records[rid]), score, key, self.fuzzy_keys[i])
                if guard is None:
                    return Match(rid, round(score, 1), f"similar title ({score:.1f})"), None
                if best_miss is None or score > best_miss.score:
                    best_miss = NearMiss(c.title, rid, round(score, 1), guard)
        return None, best_miss

    def _near(self, key: str) -> dict[int, str]:
        """The keys worth scoring against ``key``: those that share one of its :data:`RARE` rarest word pairs.

        Two keys that score :data:`NEAR` or more share most of their word pairs, so they share one of these
        (a pair with a misspelled word is simply not among them): each lookup costs the size of a few short
        posting lists, not the number of records, and an import takes time linear in its size.
        """
        terms = sorted((w for w in set(_terms(key)) if w in self.by_term), key=lambda w: len(self.by_term[w]))
        positions: set[int] = set()
        for term in terms[:RARE]:
            if positions and len(positions) + len(self.by_term[term]) > CAP:
                break  # a common term would bring back most of the index: the rarer ones already chose
            positions.update(self.by_term[term])
        return {i: self.fuzzy_keys[i] for i in positions}

    def _by_identifier(self, c: Candidate) -> tuple[str, str] | None:
        """The record that has ``c``'s arXiv id, DOI or paper page, and the reason; a page that several
        records share is no one's identity."""
        if c.arxiv and c.arxiv in self.by_arxiv:
            return self.by_arxiv[c.arxiv], f"same arXiv id {c.arxiv}"
        if c.doi and c.doi.lower() in self.by_doi:
            return self.by_doi[c.doi.lower()], f"same DOI {c.doi}"
        for url in (c.paper, c.pdf):
            owners = self.by_url.get(normalize_url(url)) if url else None
            if owners and len(owners) == 1:
                return next(iter(owners)), "same paper URL"
        owners = self.by_repo.get(normalize_url(c.code)) if c.code and c.type in SOFTWARE else None
        if owners and len(owners) == 1:  # a repository is a tool's own identity (never a paper's)
            return next(iter(owners)), "same repository"
        return None
