"""Commands that bring works in and keep them single: ``import``, ``dedupe``, ``categorize``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .cli import Context, command, main, print_diagnostics
from .errors import DataError, summarize
from .store import Database, display_path

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _valid_db(ctx: Context) -> Database:
    from .pipeline import load_valid

    db, diagnostics = load_valid(ctx.settings.data_dir)
    if any(d.is_error for d in diagnostics):
        raise DataError(diagnostics, f"{summarize(diagnostics)}; fix data/ before importing")
    return db


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
) -> int:
    from .importing import apply_plan, plan_file

    db = _valid_db(ctx)
    name = list_name or file.stem
    plan, result = plan_file(db, file, kind, name, (added or dt.datetime.now()).date())
    shown = display_path(file)
    click.echo(f"{shown}: {len(result.candidates)} entries read (list '{name}')")
    counts = {"new": 0, "merge": 0, "unchanged": 0}
    for action in plan.actions:
        counts[action.kind] += 1
        c = action.candidate
        if action.kind == "new":
            click.echo(f"  new        {action.record.id:<28} {c.title[:70]}  [{', '.join(action.record.categories)}]")
        elif action.kind == "merge":
            m = action.match
            click.echo(f"  merge      {action.record.id:<28} line {c.line}: {m.reason}; {'; '.join(action.changes)}")
        elif verbose:
            click.echo(f"  unchanged  {action.record.id:<28} line {c.line}: {action.match.reason}")
    related = [
        rid
        for rid in plan.records
        if rid not in plan.created and not any(a.record.id == rid and a.kind != "unchanged" for a in plan.actions)
    ]
    for rid in related:
        click.echo(f"  relate     {rid:<28} {', '.join(f'{r.rel}: {r.id}' for r in plan.records[rid].related)}")
    misses = sorted(plan.near_misses, key=lambda m: -m.score)
    if misses:
        click.echo("kept apart (closest pairs):")
        for miss in misses[: None if verbose else 10]:
            click.echo(f"  {miss.score:5.1f}  {miss.title[:60]!r} vs {miss.record_id}: {miss.reason}")
    print_diagnostics(result.diagnostics)
    errors = [d for d in result.diagnostics if d.is_error]
    summary = (
        f"{counts['new']} new, {counts['merge']} merged, {counts['unchanged']} unchanged, "
        f"{len(result.diagnostics)} problem(s)"
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
def import_bibtex(ctx: Context, file: Path, **options) -> int:
    """Import a BibTeX FILE: every entry that parses is merged; every one that fails is reported by line."""
    return _import(ctx, "bibtex", file, **options)


@command(main)
@click.option("--merge", "merge_ids", nargs=2, metavar="KEEP DROP", help="Merge record DROP into KEEP.")
@click.option("--not-duplicate", "apart", nargs=2, metavar="A B", help="Record that A and B are different works.")
@click.option("--all", "show_all", is_flag=True, help="Also list pairs kept apart by a guard or the threshold.")
def dedupe(ctx: Context, merge_ids: tuple[str, str] | None, apart: tuple[str, str] | None, show_all: bool) -> int:
    """Report likely duplicate records with scores; merge a pair, or mark it as not duplicates.

    Exit 1 when likely duplicates remain (so CI can flag them), else 0.
    """
    from .dedupe import find_duplicates, merge_records, repoint
    from .store import record_path, write_record
    from .venues import VenueTable

    db = _valid_db(ctx)
    by_id = db.by_id()
    if merge_ids or apart:
        a, b = merge_ids or apart
        for rid in (a, b):
            if rid not in by_id:
                raise click.BadParameter(f"no record has id '{rid}'")
        if merge_ids:
            merged = merge_records(by_id[a], by_id[b], VenueTable(db.venues))
            write_record(ctx.settings.data_dir, merged)
            for other in db.records:
                if other.id not in (a, b) and (fixed := repoint(other, b, a)) is not other:
                    write_record(ctx.settings.data_dir, fixed)
            record_path(ctx.settings.data_dir, b).unlink()
            click.echo(f"merged {b} into {a}; removed {display_path(record_path(ctx.settings.data_dir, b))}")
        else:
            for x, y in ((a, b), (b, a)):
                rec = by_id[x]
                if y not in rec.not_duplicates:
                    write_record(
                        ctx.settings.data_dir, rec.model_copy(update={"not_duplicates": [*rec.not_duplicates, y]})
                    )
            click.echo(f"recorded that {a} and {b} are different works")
        return 0
    pairs = find_duplicates(db.records)
    likely = [p for p in pairs if p.merge]
    for p in pairs if show_all else likely:
        mark = "duplicate" if p.merge else "apart    "
        click.echo(f"{mark} {p.score:5.1f}  {p.a}  {p.b}  ({p.reason})")
    click.echo(
        f"{len(likely)} likely duplicate pair(s) among {len(db.records)} records"
        + ("" if show_all else f"; {len(pairs) - len(likely)} near pair(s) kept apart (--all lists them)")
    )
    return 1 if likely else 0


@command(main)
@click.option("--check", is_flag=True, help="List records whose curated categories disagree with the rules.")
@click.argument("ids", nargs=-1)
def categorize(ctx: Context, check: bool, ids: tuple[str, ...]) -> int:
    """Suggest categories from the rules in data/categories.yaml.

    Without --check, prints suggestions for the given record ids (or every record) next to what the
    record has. With --check, lists disagreements and how often rules and data agree; exit 1 if any.
    """
    from .categorize import Categorizer

    db = _valid_db(ctx)
    categorizer = Categorizer(db.categories)
    records = [r for r in db.records if not ids or r.id in ids]
    if check:
        disagree = [(r, why) for r in records if (why := categorizer.check(r))]
        for r, why in disagree:
            click.echo(f"{display_path(db.paths[r.id])}: {why}")
        silent = sum(not categorizer.suggest(r.title, r.short_name) for r in records)
        agree = len(records) - len(disagree)
        click.echo(
            f"rules agree with {agree} of {len(records)} records ({100 * agree / max(len(records), 1):.0f}%); "
            f"{silent} get no suggestion; {len(disagree)} disagree"
        )
        return 1 if disagree else 0
    for r in records:
        found = categorizer.suggest(r.title, r.short_name)
        shown = ", ".join(f"{s.slug} ({s.score:g})" for s in found) or "no suggestion"
        click.echo(f"{r.id}: has [{', '.join(r.categories)}]; rules suggest {shown}")
    return 0
