"""``llmpapers import awesome|bibtex``: merge a list or a .bib file into data/, printing the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .app import DATE, Context, command, main, print_diagnostics


@main.group("import")
def import_group() -> None:
    """Merge the entries of an awesome-list or a BibTeX file into data/."""


def _import(
    ctx: Context,
    kind: str,
    file: Path,
    list_name: str | None,
    dry_run: bool,
    strict: bool,
    added: dt.datetime | None,
    verbose: bool,
    resolve: bool = False,
    keep_first: bool = False,
) -> int:
    from ..commands.importing import apply_plan, plan_import_file
    from ..db.store import display_path

    name = list_name or file.stem
    today = (added or dt.datetime.now()).date()
    plan, result = plan_import_file(ctx.settings.data_dir, file, kind, name, today, keep_first, resolve)
    click.echo(f"{display_path(file)}: {len(result.candidates)} entries read (list '{name}')")
    counts = {"new": 0, "merge": 0, "unchanged": 0, "conflict": 0}
    for action in plan.actions:
        counts[action.kind] += 1
        c = action.candidate
        if action.kind == "new":
            click.echo(f"  new        {action.record.id:<28} {c.title[:70]}  [{', '.join(action.record.categories)}]")
        elif action.kind == "merge":
            m = action.match
            click.echo(f"  merge      {action.record.id:<28} line {c.line}: {m.reason}; {'; '.join(action.changes)}")
        elif action.kind == "conflict":
            click.echo(f"  conflict   {action.record.id:<28} line {c.line}: {c.title[:60]!r} not imported")
        elif verbose:
            click.echo(f"  unchanged  {action.record.id:<28} line {c.line}: {action.match.reason}")
        for note in action.notes:
            click.echo(f"  {'':<10} {'':<28} disagrees, record kept: {note}")
    for rid, rel, other in plan.relations:
        click.echo(f"  relate     {rid:<28} {rel}: {other}")
    misses = sorted(plan.near_misses, key=lambda m: -m.score)
    if misses:
        click.echo("kept apart (closest pairs):")
        for miss in misses[: None if verbose else 10]:
            click.echo(f"  {miss.score:5.1f}  {miss.title[:60]!r} vs {miss.record_id}: {miss.reason}")
    print_diagnostics(result.diagnostics)
    errors = [d for d in result.diagnostics if d.is_error]
    summary = (
        f"{counts['new']} new, {counts['merge']} merged, {counts['unchanged']} unchanged, "
        + (f"{counts['conflict']} conflict(s) not imported, " if counts["conflict"] else "")
        + f"{len(result.diagnostics)} problem(s)"
    )
    if dry_run or (strict and errors):
        reason = "dry run" if dry_run else "--strict and the input has errors"
        click.echo(f"{summary}; {reason}: nothing written")
    else:
        written = apply_plan(ctx.settings.data_dir, plan)
        click.echo(f"{summary}; wrote {len(written)} file(s)")
    return 1 if errors else 0


def _import_options(func):
    func = click.option("--verbose", "-v", is_flag=True, help="Also list unchanged entries and every near miss.")(func)
    func = click.option(
        "--resolve", is_flag=True, help="Complete each entry from arXiv, Semantic Scholar, Crossref and DBLP first."
    )(func)
    func = click.option("--added", type=DATE, help="Date for new records (default: today).")(func)
    func = click.option("--strict", is_flag=True, help="Write nothing if any entry cannot be read.")(func)
    func = click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")(func)
    func = click.option("--list", "list_name", help="Name of the source list in provenance (default: file name).")(func)
    return click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))(func)


@command(import_group, "awesome")
@_import_options
def import_awesome(ctx: Context, file: Path, **options) -> int:
    """Import an awesome-list (Markdown bullets or tables) FILE.

    Prints the plan (new records, merges with score and reason, near misses kept apart, unreadable
    lines) and applies it unless --dry-run. Importing the same file twice changes nothing.
    """
    return _import(ctx, "awesome", file, **options)


@command(import_group, "bibtex")
@_import_options
@click.option(
    "--keep-first", is_flag=True, help="A key or field given twice: import the first (a warning), not an error."
)
def import_bibtex(ctx: Context, file: Path, **options) -> int:
    """Import a BibTeX FILE: every entry that parses is merged; every one that fails is reported by line."""
    return _import(ctx, "bibtex", file, **options)
