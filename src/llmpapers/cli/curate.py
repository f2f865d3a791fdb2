"""Commands for curators: ``add`` a work, and ``stats`` about the database."""

from __future__ import annotations

import click

from ..db.models import Kind
from .app import DATE, Context, command, main


@command(main)
@click.option("--title", help="Full title of the work.")
@click.option("--year", type=int, help="Year of the version cited.")
@click.option("--venue", help="Venue, canonical or an alias from data/venues.yaml (e.g. 'OSDI 22').")
@click.option("--url", "urls", multiple=True, help="A link: arXiv, code host, PDF or paper page (repeatable).")
@click.option("--arxiv", "arxiv_ref", metavar="ID|URL", help="arXiv id or URL; metadata is fetched when online.")
@click.option("--bibtex", "bibtex", metavar="ENTRY|FILE", help="A BibTeX entry, or a .bib file holding one.")
@click.option("--type", "kind", type=click.Choice([k.value for k in Kind]), default="paper", show_default=True)
@click.option("--short-name", help="The name the work is known by (Orca, vLLM).")
@click.option("--author", "authors", multiple=True, help="An author (repeatable, in order).")
@click.option("--category", "categories", multiple=True, help="Category slug (repeatable; first is primary). "
              "Default: the rules' suggestions.")  # fmt: skip
@click.option("--id", "record_id", help="Record id (default: from the short name or title).")
@click.option("--offline", is_flag=True, help="Do not contact arXiv (also: LLMPAPERS_OFFLINE=1).")
@click.option(
    "--resolve",
    "resolve_",
    is_flag=True,
    help="Complete the record from arXiv, Semantic Scholar, Crossref and DBLP (authors, DOI, venue).",
)
@click.option("--force", is_flag=True, help="Write even when the work looks like a record already in data/.")
@click.option("--dry-run", is_flag=True, help="Print the record; write nothing.")
@click.option("--added", type=DATE, help="Date added (default: today).")
def add(ctx: Context, title, year, venue, urls, arxiv_ref, bibtex, kind, short_name, authors, categories, record_id,
        offline, resolve_, force, dry_run, added) -> int:  # fmt: skip
    """Add one work from flags, an arXiv id or URL (--arxiv), or a BibTeX entry (--bibtex).

    Checks for duplicates in data/ ("possible duplicate of X, score N"), suggests categories from the
    rules, writes data/records/<id>.yaml in canonical form and prints it.
    """
    from ..commands.adding import Request, add_work
    from ..db.store import display_path

    request = Request(
        title=title, year=year, venue=venue, urls=list(urls), arxiv=arxiv_ref, bibtex=bibtex, kind=Kind(kind),
        short_name=short_name, authors=list(authors), categories=list(categories), record_id=record_id,
        offline=offline, resolve=resolve_, force=force, dry_run=dry_run, added=added.date() if added else None,
    )  # fmt: skip
    result = add_work(ctx.settings.data_dir, request)
    for note in result.notes:
        click.echo(note, err=True)
    if result.record is None:
        return 1
    if result.written:
        click.echo(f"# wrote {display_path(result.path)}")
    else:
        click.echo(f"# {display_path(result.path)} (dry run: not written)")
    click.echo(result.text, nl=False)
    return 0


@command(main)
@click.option("--top-venues", default=25, show_default=True, help="How many venues to list.")
def stats(ctx: Context, top_venues: int) -> int:
    """Counts by category, group, type, venue and year, and how many records have a direct link."""
    from ..commands.curate import database_stats
    from ..publish.stats import format_text

    counts, categories = database_stats(ctx.settings.data_dir)
    click.echo(format_text(counts, categories, top_venues), nl=False)
    return 0
