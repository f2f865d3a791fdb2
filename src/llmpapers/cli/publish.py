"""``llmpapers export bibtex|json|markdown``: the database (or one category) as a file or on stdout.

    $ llmpapers export bibtex -o all.bib
    wrote 430 entries to all.bib (123 KB)
    $ llmpapers export markdown --category kv-cache > README.md

The data is loaded and checked first: any error stops the export (exit 1) and nothing is written.
The summary goes to stderr, so stdout holds only the export.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..db.models import Record
from ..db.store import Database
from ..errors import ConfigError, DataError, summarize
from .app import Context, command, main

OUTPUT = click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE instead of stdout."
)
CATEGORY = click.option("--category", metavar="SLUG", help="Only records that have this category.")


@main.group("export")
def export_group() -> None:
    """Write the database, or one category, as BibTeX, JSON or an awesome-list README."""


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _export(
    ctx: Context, output: Path | None, category: str | None, render: Callable[[Database, list[Record]], str]
) -> int:
    from ..commands.database import load_valid
    from ..db.store import atomic_write, display_path

    db, diagnostics = load_valid(ctx.settings.data_dir)
    if any(d.is_error for d in diagnostics):
        raise DataError(diagnostics, f"{summarize(diagnostics)}; nothing exported")
    records = db.records
    if category is not None:
        slugs = [c.slug for c in db.categories]
        if category not in slugs:
            raise ConfigError(f"unknown category {category!r}; valid slugs: {', '.join(slugs)}")
        records = [r for r in records if category in r.categories]
    text = render(db, records)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        n = len(records)
        size = _size(len(text.encode("utf-8")))
        click.echo(f"wrote {n} {'entry' if n == 1 else 'entries'} to {display_path(output)} ({size})", err=True)
    return 0


@command(export_group, "bibtex")
@OUTPUT
@CATEGORY
def export_bibtex(ctx: Context, output: Path | None, category: str | None) -> int:
    """Every record as a BibTeX entry; citation keys are record ids."""
    from ..publish.export import to_bibtex

    return _export(ctx, output, category, lambda db, records: to_bibtex(records, db.venues))


@command(export_group, "json")
@OUTPUT
@CATEGORY
def export_json(ctx: Context, output: Path | None, category: str | None) -> int:
    """The records, categories and venues as one JSON document (records as in schema/record.schema.json)."""
    from ..publish.export import to_json

    return _export(ctx, output, category, lambda db, records: to_json(records, db.categories, db.venues))


@command(export_group, "markdown")
@OUTPUT
@CATEGORY
def export_markdown(ctx: Context, output: Path | None, category: str | None) -> int:
    """An awesome-list README: a section per category, each record once under its primary category."""
    from ..publish.export import to_markdown

    def render(db: Database, records: list[Record]) -> str:
        if category is None:
            return to_markdown(records, db.categories)
        name = next(c.name for c in db.categories if c.slug == category)
        return to_markdown(records, db.categories, title=f"LLM-systems papers: {name}", focus=category)

    return _export(ctx, output, category, render)
