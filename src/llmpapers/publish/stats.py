"""Counts over the database: what a citation needs (authors, links, ids), then by category, group, type,
venue and year. Pure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..db.completeness import Coverage, coverage, doi_venues
from ..db.models import Category, Record, Venue


@dataclass
class Stats:
    records: int = 0
    with_link: int = 0
    by_category: dict[str, int] = field(default_factory=dict)  # any category, taxonomy order
    by_primary: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, int] = field(default_factory=dict)  # records with at least one category in the group
    by_type: dict[str, int] = field(default_factory=dict)
    by_venue: dict[str, int] = field(default_factory=dict)  # most first
    by_year: dict[int, int] = field(default_factory=dict)  # oldest first
    no_year: int = 0
    no_venue: int = 0
    coverage: Coverage = field(default_factory=Coverage)


def compute(records: list[Record], categories: list[Category], venue_table: list[Venue] = ()) -> Stats:
    group_of = {c.slug: c.group for c in categories}
    order = [c.slug for c in categories]
    any_cat: Counter[str] = Counter()
    primary: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    for r in records:
        any_cat.update(r.categories)
        primary[r.primary] += 1
        groups.update({group_of.get(s, "?") for s in r.categories})
    venues = Counter(r.venue for r in records if r.venue)
    years = Counter(r.year for r in records if r.year)
    group_order = list(dict.fromkeys(c.group for c in categories))
    return Stats(
        records=len(records),
        with_link=sum(not r.links.is_empty() for r in records),
        by_category={s: any_cat[s] for s in order},
        by_primary={s: primary[s] for s in order},
        by_group={g: groups[g] for g in group_order},
        by_type=dict(Counter(r.type.value for r in records).most_common()),
        by_venue=dict(sorted(venues.items(), key=lambda kv: (-kv[1], kv[0].lower()))),
        by_year=dict(sorted(years.items())),
        no_year=sum(r.year is None for r in records),
        no_venue=sum(r.venue is None for r in records),
        coverage=coverage(records, doi_venues(venue_table)),
    )


def _share(have: int, of: int) -> str:
    return f"{have:>5} of {of:<5} {100 * have / of:5.1f}%" if of else f"{have:>5} of {of:<5}    -"


def format_coverage(cov: Coverage) -> list[str]:
    """What a citation needs, one line each: how many records have it, of how many need it."""
    rows = [
        ("authors on papers and articles", cov.authors),
        ("a direct link to the work", cov.link),
        ("an arXiv id where the venue is arXiv", cov.arxiv),
        ("a DOI where the venue registers one", cov.doi),
        ("evidence of where values came from", cov.evidence),
    ]
    lines = ["citable (have / need):"] + [f"  {label:<38} {_share(*pair)}" for label, pair in rows]
    return lines + [f"  arXiv ids in all: {cov.any_arxiv}; DOIs in all: {cov.any_doi}"]


def format_text(stats: Stats, categories: list[Category], top_venues: int = 25) -> str:
    """The figures as aligned plain text (what ``llmpapers stats`` prints)."""
    names = {c.slug: c.name for c in categories}
    pct = 100 * stats.with_link / max(stats.records, 1)
    lines = [f"{stats.records} records; {stats.with_link} ({pct:.0f}%) have a link of some kind", ""]
    lines += format_coverage(stats.coverage) + ["", "by group:"]
    lines += [f"  {g:<32} {n:>5}" for g, n in stats.by_group.items()]
    lines += ["", "by category (any / primary):"]
    lines += [f"  {s:<22} {names.get(s, ''):<40} {stats.by_category[s]:>5} {stats.by_primary[s]:>5}"
              for s in stats.by_category]  # fmt: skip
    lines += ["", "by type:"] + [f"  {t:<12} {n:>5}" for t, n in stats.by_type.items()]
    lines += ["", f"by venue (top {top_venues}; {stats.no_venue} without a venue):"]
    lines += [f"  {v:<32} {n:>5}" for v, n in list(stats.by_venue.items())[:top_venues]]
    lines += ["", f"by year ({stats.no_year} without a year):"]
    lines += [
        f"  {y}  {n:>4}  {'#' * n}" if n <= 60 else f"  {y}  {n:>4}  {'#' * 60}+" for y, n in stats.by_year.items()
    ]
    return "\n".join(lines) + "\n"
