"""``llmpapers categorize`` and ``llmpapers stats``: what the category rules say of the records, and counts.

suggest_categories(data_dir, ids)  -> each record with what it has and what the rules suggest
check_categories(data_dir, ids)    -> records whose curated categories disagree with the rules, and
                                      how often rules and curation agree
database_stats(data_dir)           -> counts by category, group, type, venue and year
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..db.models import Category, Record
from ..identity.categorize import Categorizer, Suggestion
from ..publish.stats import Stats, compute
from .database import valid_database


def _records(data_dir: Path, ids: list[str]) -> tuple[list[Record], Categorizer, dict[str, Path]]:
    db = valid_database(data_dir, "fix data/ before categorizing")
    records = [r for r in db.records if not ids or r.id in ids]
    return records, Categorizer(db.categories), db.paths


def suggest_categories(data_dir: Path, ids: list[str]) -> list[tuple[Record, list[Suggestion]]]:
    records, categorizer, _ = _records(data_dir, ids)
    return [(r, categorizer.suggest(r.title, r.short_name)) for r in records]


@dataclass
class CategoryCheck:
    disagree: list[tuple[Path, str]]  # the record's file, and why the rules disagree
    records: int  # records looked at
    spoken: int  # records the rules suggest anything for
    first: int  # of those, how many have the rules' first suggestion as their primary category
    among: int  # of those, how many have their primary among the suggestions


def check_categories(data_dir: Path, ids: list[str]) -> CategoryCheck:
    records, categorizer, paths = _records(data_dir, ids)
    disagree = [(paths[r.id], why) for r in records if (why := categorizer.check(r))]
    top = [(r, found) for r in records if (found := categorizer.suggest(r.title, r.short_name, limit=5))]
    first = sum(found[0].slug == r.primary for r, found in top)
    return CategoryCheck(disagree, len(records), len(top), first, len(top) - len(disagree))


def database_stats(data_dir: Path) -> tuple[Stats, list[Category]]:
    db = valid_database(data_dir, "fix data/ before counting")
    return compute(db.records, db.categories, db.venues), db.categories
