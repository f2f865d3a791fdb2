"""``llmpapers dedupe`` and ``llmpapers categorize``: duplicates and categories, reported or fixed."""

from __future__ import annotations

from pathlib import Path

import click

from .app import FORMAT_OPTION, SUMMARY_OPTION, Context, append_summary, command, main, print_diagnostics


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
    from ..commands import dedupe as ops
    from ..db.store import display_path
    from ..errors import summarize
    from ..publish.annotations import job_summary

    data_dir = ctx.settings.data_dir
    if merge_ids:
        keep, drop = merge_ids
        merged = ops.merge_pair(data_dir, keep, drop)
        for path in merged.written[1:]:
            click.echo(f"repointed {display_path(path)}: {drop} -> {keep}")
        click.echo(f"merged {drop} into {keep}; removed {display_path(merged.removed)}")
        return 0
    if apart:
        ops.declare_different(data_dir, *apart)
        click.echo(f"recorded that {apart[0]} and {apart[1]} are different works")
        return 0
    if files or since is not None:
        check = ops.check_changed(data_dir, list(files), since)
        if check.invalid is not None:
            if output_format == "text":
                raise ops.refuse(check)
            click.echo(f"dedupe: not checked: {summarize(check.invalid)} (llmpapers validate lists them)")
            return 1
        print_diagnostics(check.diagnostics, output_format)
        click.echo(f"checked {check.changed} new or changed record(s) against {check.records}")
        click.echo(summarize(check.diagnostics, "dedupe"))
        append_summary(summary, job_summary(check.diagnostics, "dedupe"))
        return 1 if any(d.is_error for d in check.diagnostics) else 0
    found = ops.likely_duplicates(data_dir)
    for p in found.pairs if show_all else found.likely:
        click.echo(f"{'duplicate' if p.merge else 'apart    '} {p.score:5.1f}  {p.a}  {p.b}  ({p.reason})")
    apart_count = len(found.pairs) - len(found.likely)
    click.echo(
        f"{len(found.likely)} likely duplicate pair(s) among {found.records} records"
        + ("" if show_all else f"; {apart_count} near pair(s) kept apart (--all lists them)")
    )
    return 1 if found.likely else 0


@command(main)
@click.option("--check", is_flag=True, help="List records whose curated categories disagree with the rules.")
@click.argument("ids", nargs=-1)
def categorize(ctx: Context, check: bool, ids: tuple[str, ...]) -> int:
    """Suggest categories from the rules in data/categories.yaml.

    Without --check, prints suggestions for the given record ids (or every record) next to what the
    record has. With --check, lists disagreements and how often rules and data agree; exit 1 if any.
    """
    from ..commands.curate import check_categories, suggest_categories
    from ..db.store import display_path

    if check:
        found = check_categories(ctx.settings.data_dir, list(ids))
        for path, why in found.disagree:
            click.echo(f"{display_path(path)}: {why}")
        spoken = max(found.spoken, 1)
        click.echo(
            f"rules suggest categories for {found.spoken} of {found.records} records; for those, the curated "
            f"primary category is the first suggestion for {found.first} ({100 * found.first / spoken:.0f}%) and "
            f"among the suggestions for {found.among} ({100 * found.among / spoken:.0f}%); "
            f"{len(found.disagree)} disagree"
        )
        return 1 if found.disagree else 0
    for record, suggestions in suggest_categories(ctx.settings.data_dir, list(ids)):
        shown = ", ".join(f"{s.slug} ({s.score:g})" for s in suggestions) or "no suggestion"
        click.echo(f"{record.id}: has [{', '.join(record.categories)}]; rules suggest {shown}")
    return 0
