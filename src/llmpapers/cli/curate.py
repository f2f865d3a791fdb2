"""Commands for curators: ``add`` a work, and ``stats`` about the database."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
from pydantic import ValidationError

from ..db.models import Kind
from ..errors import LlmpapersError
from .app import Context, command, main
from .ingest import DATE, _valid_db


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
@click.option("--force", is_flag=True, help="Write even when the work looks like a record already in data/.")
@click.option("--dry-run", is_flag=True, help="Print the record; write nothing.")
@click.option("--added", type=DATE, help="Date added (default: today).")
def add(ctx: Context, title, year, venue, urls, arxiv_ref, bibtex, kind, short_name, authors, categories, record_id,
        offline, force, dry_run, added) -> int:  # fmt: skip
    """Add one work from flags, an arXiv id or URL (--arxiv), or a BibTeX entry (--bibtex).

    Checks for duplicates in data/ ("possible duplicate of X, score N"), suggests categories from the
    rules, writes data/records/<id>.yaml in canonical form and prints it.
    """
    from ..db.store import display_path, record_path, record_text, write_record
    from ..db.venues import VenueTable
    from ..identity.categorize import Categorizer
    from ..identity.merge import THRESHOLD, Matcher, new_id, new_record
    from ..ingest import manual

    db = _valid_db(ctx)
    table = VenueTable(db.venues)
    if bibtex:
        candidate = _from_bibtex(bibtex, table)
    else:
        arxiv = None
        if arxiv_ref:
            arxiv = manual.parse_arxiv(arxiv_ref)
            if arxiv is None:
                raise click.BadParameter(f"not an arXiv id or URL: {arxiv_ref!r}", param_hint="--arxiv")
        meta = None
        if arxiv and not offline and not os.environ.get("LLMPAPERS_OFFLINE"):
            meta = manual.fetch_arxiv(arxiv)
            click.echo(f"arXiv {arxiv}: " + (f"fetched '{meta.title}'" if meta else "not reachable; using the flags"),
                       err=True)  # fmt: skip
        if not title and not meta and not arxiv_ref:
            raise click.UsageError("give --title (with --year, --venue, --url ...), --arxiv or --bibtex")
        candidate = manual.from_flags(title=title, year=year, venue=venue, urls=list(urls), kind=Kind(kind),
                                      short_name=short_name, authors=list(authors), arxiv=arxiv, table=table,
                                      meta=meta)  # fmt: skip
    if bibtex and (short_name or kind != "paper"):
        candidate.short_name = short_name or candidate.short_name
        candidate.type = Kind(kind) if kind != "paper" else candidate.type

    match, miss = Matcher(db.records).find(candidate)
    if match:
        click.echo(f"possible duplicate of {match.record_id}, score {match.score:g} ({match.reason}): "
                   f"{display_path(db.paths[match.record_id])}", err=True)  # fmt: skip
        if not force:
            click.echo("nothing written; edit that record, or pass --force if this is a different work", err=True)
            return 1
    elif miss and miss.score >= THRESHOLD - 10:
        click.echo(f"note: similar to {miss.record_id}, score {miss.score:g}, kept apart ({miss.reason})", err=True)

    known = [c.slug for c in db.categories]
    for slug in categories:
        if slug not in known:
            raise click.BadParameter(f"unknown category '{slug}'; one of: {', '.join(known)}", param_hint="--category")
    suggested = Categorizer(db.categories).slugs(candidate.title, candidate.short_name)
    chosen = list(categories) or suggested
    if not chosen:
        raise click.UsageError(f"no category suggested for this title; pass --category (one of: {', '.join(known)})")
    if not categories:
        click.echo(f"categories suggested by the rules: {', '.join(chosen)} (override with --category)", err=True)
    taken = {r.id for r in db.records}
    rid = record_id or new_id(candidate, taken)
    if rid in taken:
        raise LlmpapersError(f"id '{rid}' is taken by {display_path(db.paths[rid])}; choose another with --id")
    try:
        record = new_record(candidate, rid, chosen, (added or dt.datetime.now()).date())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors())  # fmt: skip
        raise LlmpapersError(f"the new record is not valid: {problems}") from None
    text = record_text(record)
    if dry_run:
        click.echo(f"# {display_path(record_path(ctx.settings.data_dir, rid))} (dry run: not written)")
    else:
        path = write_record(ctx.settings.data_dir, record)
        click.echo(f"# wrote {display_path(path)}")
    click.echo(text, nl=False)
    return 0


def _from_bibtex(value: str, table):
    from ..commands.importing import read_source
    from ..ingest.bibtex import parse

    if "@" in value and "{" in value:  # the entry itself
        text = value
    else:  # a file name: a BibTeX entry always holds "@" and "{"
        path = Path(value)
        if not path.is_file():
            why = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise click.BadParameter(f"{value} {why} (give a .bib file or the entry's text)", param_hint="--bibtex")
        text = read_source(path)
    result = parse(text, "manual", table)
    errors = [d for d in result.diagnostics if d.is_error]
    if errors or len(result.candidates) != 1:
        detail = "; ".join(f"line {d.line}: {d.message}" for d in errors)
        raise LlmpapersError(f"--bibtex must hold exactly one readable entry (found {len(result.candidates)})"
                             + (f": {detail}" if detail else ""))  # fmt: skip
    return result.candidates[0]


@command(main)
@click.option("--top-venues", default=25, show_default=True, help="How many venues to list.")
def stats(ctx: Context, top_venues: int) -> int:
    """Counts by category, group, type, venue and year, and how many records have a direct link."""
    from ..publish.stats import compute, format_text

    db = _valid_db(ctx)
    click.echo(format_text(compute(db.records, db.categories), db.categories, top_venues), nl=False)
    return 0
