"""Commands that bring works in and keep them single: ``import``, ``dedupe``, ``categorize``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..db.store import Database, display_path
from ..errors import ConfigError, DataError, summarize
from .app import FORMAT_OPTION, SUMMARY_OPTION, Context, append_summary, command, main, print_diagnostics

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _valid_db(ctx: Context) -> Database:
    from ..commands.database import load_valid

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
    from ..commands.importing import apply_plan, plan_file

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
@click.option(
    "--since",
    metavar="GIT_REF",
    help="Check only records added or changed since GIT_REF (git diff, plus untracked files) against the rest.",
)
@FORMAT_OPTION
@SUMMARY_OPTION
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def dedupe(
    ctx: Context,
    merge_ids: tuple[str, str] | None,
    apart: tuple[str, str] | None,
    show_all: bool,
    since: str | None,
    output_format: str,
    summary: str | None,
    files: tuple[Path, ...],
) -> int:
    """Report likely duplicate records with scores; merge a pair, or mark it as not duplicates.

    Exit 1 when likely duplicates remain (so CI can flag them), else 0.

    With record FILES or --since GIT_REF, check only those records (new or changed ones, as in a pull
    request) against all the others: a likely duplicate is a warning with its score, two records with
    the same arXiv id or DOI are an error. Exit 1 only on errors.
    """
    from ..db.store import record_path, write_record
    from ..db.venues import VenueTable
    from ..identity.dedupe import find_duplicates, merge_records, repoint

    if (files or since is not None) and not (merge_ids or apart):
        return _dedupe_changed(ctx, files, since, output_format, summary)
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


def _git_changed_records(data_dir: Path, ref: str) -> list[Path]:
    """Record files added or modified since ``ref`` (committed, staged or not) and untracked ones; not deleted."""
    import subprocess

    if ref.startswith("-"):
        raise ConfigError(f"--since takes a git revision, not {ref!r}")
    git = ["git", "-C", str(data_dir)]
    found: list[Path] = []
    for args in (
        ["diff", "--name-only", "-z", "--relative", "--no-renames", "--diff-filter=d", ref, "--", "records"],
        ["ls-files", "-z", "--others", "--exclude-standard", "--", "records"],
    ):
        try:
            done = subprocess.run([*git, *args], capture_output=True, check=False)
        except OSError as exc:
            raise ConfigError(f"--since needs git: {exc.strerror}") from None
        if done.returncode:
            shown = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConfigError(f"git {args[0]} {ref!r} failed: {shown[0] if shown else done.returncode}")
        names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
        found += [data_dir / name for name in names if name.endswith(".yaml")]
    return found


def _dedupe_changed(
    ctx: Context, files: tuple[Path, ...], since: str | None, output_format: str, summary: str | None
) -> int:
    """``dedupe FILES`` / ``dedupe --since REF``: the given records against every other one."""
    from ..commands.database import load_valid
    from ..errors import error, warning
    from ..identity.dedupe import find_duplicates
    from ..publish.annotations import job_summary

    data_dir = ctx.settings.data_dir
    wanted = [*files, *(_git_changed_records(data_dir, since) if since is not None else [])]
    db, problems = load_valid(data_dir)
    if any(d.is_error for d in problems):
        if output_format == "text":
            raise DataError(problems, f"{summarize(problems)}; fix data/ before checking for duplicates")
        click.echo(f"dedupe: not checked: {summarize(problems)} (llmpapers validate lists them)")
        return 1
    owner = {path.resolve(): rid for rid, path in db.paths.items()}
    outside = [f for f in files if f.resolve() not in owner]
    if outside:
        raise ConfigError(f"not a record file in {display_path(data_dir / 'records')}: {display_path(outside[0])}")
    changed = {owner[p.resolve()] for p in wanted if p.resolve() in owner}
    by_id = db.by_id()
    loaded = {record.id: node for record, _, node in reversed(db.files)}
    found = []
    for pair in find_duplicates(db.records):
        if not pair.merge or not ({pair.a, pair.b} & changed):
            continue
        this, other = (pair.a, pair.b) if pair.a in changed else (pair.b, pair.a)
        path, other_path = display_path(db.paths[this]), display_path(db.paths[other])
        shared = [
            (field, label)
            for field, label in (("arxiv", "arXiv id"), ("doi", "DOI"))
            if (value := getattr(by_id[this].links, field))
            and value.lower() == (getattr(by_id[other].links, field) or "").lower()
        ]
        if shared:
            field, label = shared[0]
            message = (
                f"same {label} {getattr(by_id[this].links, field)} as '{other}' ({other_path}): one work is one "
                f"record; merge them with `llmpapers dedupe --merge {other} {this}`, or correct the {label}"
            )
            found.append(error(path, message, *loaded[this].line_of(("links", field))))
        else:
            message = (
                f"likely duplicate of '{other}' ({other_path}), score {pair.score:.1f}: {pair.reason}; if one work, "
                f"`llmpapers dedupe --merge {other} {this}`; if not, `llmpapers dedupe --not-duplicate {this} {other}`"
            )
            found.append(warning(path, message, *loaded[this].line_of(("title",))))
    found.sort()
    print_diagnostics(found, output_format)
    click.echo(f"checked {len(changed)} new or changed record(s) against {len(db.records)}")
    click.echo(summarize(found, "dedupe"))
    append_summary(summary, job_summary(found, "dedupe"))
    return 1 if any(d.is_error for d in found) else 0


@command(main)
@click.option("--check", is_flag=True, help="List records whose curated categories disagree with the rules.")
@click.argument("ids", nargs=-1)
def categorize(ctx: Context, check: bool, ids: tuple[str, ...]) -> int:
    """Suggest categories from the rules in data/categories.yaml.

    Without --check, prints suggestions for the given record ids (or every record) next to what the
    record has. With --check, lists disagreements and how often rules and data agree; exit 1 if any.
    """
    from ..identity.categorize import Categorizer

    db = _valid_db(ctx)
    categorizer = Categorizer(db.categories)
    records = [r for r in db.records if not ids or r.id in ids]
    if check:
        disagree = [(r, why) for r in records if (why := categorizer.check(r))]
        for r, why in disagree:
            click.echo(f"{display_path(db.paths[r.id])}: {why}")
        top = [categorizer.suggest(r.title, r.short_name, limit=5) for r in records]
        spoken = [(r, found) for r, found in zip(records, top, strict=True) if found]
        first = sum(found[0].slug == r.primary for r, found in spoken)
        among = len(spoken) - len(disagree)
        click.echo(
            f"rules suggest categories for {len(spoken)} of {len(records)} records; for those, the curated primary "
            f"category is the first suggestion for {first} ({100 * first / max(len(spoken), 1):.0f}%) and among "
            f"the suggestions for {among} ({100 * among / max(len(spoken), 1):.0f}%); {len(disagree)} disagree"
        )
        return 1 if disagree else 0
    for r in records:
        found = categorizer.suggest(r.title, r.short_name)
        shown = ", ".join(f"{s.slug} ({s.score:g})" for s in found) or "no suggestion"
        click.echo(f"{r.id}: has [{', '.join(r.categories)}]; rules suggest {shown}")
    return 0
