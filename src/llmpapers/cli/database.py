"""``validate``, ``fmt`` and ``schema``: the database's own commands."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import summarize
from .app import FORMAT_OPTION, SUMMARY_OPTION, Context, append_summary, command, main, print_diagnostics


@command(main)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (a record that cannot be cited yet, too).")
@click.option(
    "--since",
    metavar="GIT_REF",
    help="Report only on records added or changed since GIT_REF (git diff, plus untracked files).",
)
@FORMAT_OPTION
@SUMMARY_OPTION
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
def validate(
    ctx: Context, strict: bool, since: str | None, output_format: str, summary: str | None, files: tuple[Path, ...]
) -> int:
    """Check every record, the taxonomy and the venue table.

    Prints each problem as path:line:col: message (or as a GitHub annotation with --format github),
    then one summary line. Warnings name what a record lacks to be cited: authors, a direct link, its
    arXiv id or DOI. Exit 0 when clean, 1 when there are errors (or warnings, with --strict), 2 on bad usage.
    With FILES or --since, only those records are reported on.
    """
    from ..commands.database import validate_data
    from ..publish.annotations import job_summary

    diagnostics = validate_data(ctx.settings.data_dir, list(files), since)
    print_diagnostics(diagnostics, output_format)
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    click.echo(summarize(diagnostics))
    append_summary(summary, job_summary(diagnostics, "validate"))
    return 1 if failed else 0


@command(main)
@click.option("--check", is_flag=True, help="Change nothing; list files that are not canonical and exit 1.")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def fmt(ctx: Context, check: bool, files: tuple[Path, ...]) -> int:
    """Rewrite record files in canonical form (key order, quoting, indentation).

    Files that do not load are reported and left untouched.
    """
    from ..db.formatting import format_files
    from ..db.store import display_path

    result = format_files(ctx.settings.data_dir, list(files), check=check)
    print_diagnostics(result.diagnostics)
    verb = "would reformat" if check else "reformatted"
    for path in result.changed:
        click.echo(f"{verb} {display_path(path)}")
    click.echo(
        f"{len(result.changed)} file(s) {verb}, {result.unchanged} already canonical"
        + (f", {len(result.diagnostics)} problem(s)" if result.diagnostics else "")
    )
    return 1 if result.diagnostics or (check and result.changed) else 0


@command(main)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE.")
def schema(ctx: Context, output: Path | None) -> int:
    """Print the JSON Schema of a record file (editors use it to validate and autocomplete)."""
    from ..db.schema import record_schema

    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from ..db.store import atomic_write

        atomic_write(output, text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    return 0
