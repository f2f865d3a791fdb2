"""``llmpapers export bibtex|json|csl-json|markdown``: the database (or one category) as a file or on stdout.

    $ llmpapers export bibtex -o all.bib
    wrote 430 entries to all.bib (123 KB)
    $ llmpapers export markdown --category kv-cache > README.md

The data is loaded and checked first: any error stops the export (exit 1) and nothing is written.
The summary goes to stderr, so stdout holds only the export.
"""

from __future__ import annotations

from pathlib import Path

import click

from .app import Context, command, main

OUTPUT = click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE instead of stdout."
)
CATEGORY = click.option("--category", metavar="SLUG", help="Only records that have this category.")


@main.group("export")
def export_group() -> None:
    """Write the database, or one category, as BibTeX, JSON, CSL-JSON or an awesome-list README."""


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _export(ctx: Context, fmt: str, output: Path | None, category: str | None) -> int:
    from ..commands.exporting import export
    from ..db.store import display_path

    result = export(ctx.settings.data_dir, fmt, category, output)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        n, size = result.records, _size(len(result.text.encode("utf-8")))
        click.echo(f"wrote {n} {'entry' if n == 1 else 'entries'} to {display_path(output)} ({size})", err=True)
    return 0


@command(export_group, "bibtex")
@OUTPUT
@CATEGORY
def export_bibtex(ctx: Context, output: Path | None, category: str | None) -> int:
    """Every record as a BibTeX entry; citation keys are record ids."""
    return _export(ctx, "bibtex", output, category)


@command(export_group, "json")
@OUTPUT
@CATEGORY
def export_json(ctx: Context, output: Path | None, category: str | None) -> int:
    """The records, categories and venues as one JSON document (records as in schema/record.schema.json)."""
    return _export(ctx, "json", output, category)


@command(export_group, "csl-json")
@OUTPUT
@CATEGORY
def export_csl_json(ctx: Context, output: Path | None, category: str | None) -> int:
    """Every record as a CSL-JSON item (pandoc --citeproc, Quarto, Zotero); item ids are record ids."""
    return _export(ctx, "csl-json", output, category)


@command(export_group, "markdown")
@OUTPUT
@CATEGORY
def export_markdown(ctx: Context, output: Path | None, category: str | None) -> int:
    """An awesome-list README: a section per category, each record once under its primary category."""
    return _export(ctx, "markdown", output, category)
