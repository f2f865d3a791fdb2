"""``llmpapers export bibtex|json|csl-json|markdown``: the database, or one category, as text.

The data is loaded and checked first: any error stops the export (a DataError) and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..db.store import atomic_write
from ..errors import ConfigError
from ..publish.csl import to_csl_json
from ..publish.export import to_bibtex, to_json, to_markdown
from .database import valid_database

FORMATS = ("bibtex", "json", "csl-json", "markdown")


@dataclass
class Exported:
    text: str
    records: int


def export(data_dir: Path, fmt: str, category: str | None = None, output: Path | None = None) -> Exported:
    """The export of every record (or of those in ``category``) as ``fmt``; written to ``output`` if given."""
    db = valid_database(data_dir, "nothing exported")
    records = db.records
    if category is not None:
        slugs = [c.slug for c in db.categories]
        if category not in slugs:
            raise ConfigError(f"unknown category {category!r}; valid slugs: {', '.join(slugs)}")
        records = [r for r in records if category in r.categories]
    if fmt == "bibtex":
        text = to_bibtex(records, db.venues)
    elif fmt == "json":
        text = to_json(records, db.categories, db.venues)
    elif fmt == "csl-json":
        text = to_csl_json(records, db.venues)
    elif fmt == "markdown" and category is None:
        text = to_markdown(records, db.categories)
    elif fmt == "markdown":
        name = next(c.name for c in db.categories if c.slug == category)
        text = to_markdown(records, db.categories, title=f"LLM-systems papers: {name}", focus=category)
    else:
        raise ConfigError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    if output is not None:
        atomic_write(output, text)
    return Exported(text, len(records))
