"""``llmpapers resolve`` and ``llmpapers check``: the commands that ask public services (the only ones)."""

from __future__ import annotations

from pathlib import Path

import click

from .app import Context, command, main

_BUDGET = click.option(
    "--budget", type=click.IntRange(1), help="At most this many requests in this run (then stop and say so)."
)
_MAILTO = click.option(
    "--mailto", metavar="EMAIL", help="A contact address sent to the services (Crossref's polite pool); "
    "also LLMPAPERS_MAILTO.",
)  # fmt: skip
_NO_CACHE = click.option("--no-cache", is_flag=True, help="Ask again rather than reuse answers from .cache/.")


@command(main)
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@click.option("--write", is_flag=True, help="Apply the proposed changes to the record files.")
@_BUDGET
@_MAILTO
@_NO_CACHE
def resolve(ctx: Context, targets, write, budget, mailto, no_cache) -> int:  # noqa: ANN001
    """Ask arXiv, Semantic Scholar, Crossref and DBLP about records, and propose what to change.

    TARGET is a record id, or an arXiv id, DOI or URL that a record links. Each proposal is printed as a
    diff of the record's YAML with where each value came from; curated values are never replaced (a
    disagreement is printed with both values). Exit 1 when an identifier of a record names another work.
    """
    from ..commands.resolving import make_client, resolve_records, write_proposals

    data_dir = ctx.settings.data_dir
    with make_client(data_dir, budget, mailto, cache=not no_cache) as client:
        outcomes = resolve_records(data_dir, list(targets), client)
    trouble = False
    for o in outcomes:
        p = o.proposal
        click.echo(f"# {p.before.id}: " + (f"{len(p.changes)} change(s)" if p.changed else "nothing to change"))
        if p.changed:
            click.echo(p.diff(str(Path("records") / f"{p.before.id}.yaml")), nl=False)
        for line in p.changes:
            click.echo(f"  from   {line}")
        for line in p.disagreements:
            click.echo(f"  kept   {line}")
        for line in p.conflicts:
            click.echo(f"  CHECK  {line}")
        for line in p.refused:
            click.echo(f"  apart  {line}")
        for line in o.notes:
            click.echo(f"  note   {line}")
        trouble |= bool(p.conflicts)
    if write:
        for shown in write_proposals(data_dir, outcomes):
            click.echo(f"wrote {shown}")
    elif any(o.proposal.changed for o in outcomes):
        click.echo("(dry run: pass --write to apply)")
    click.echo(f"{client.requests} request(s), {client.waited:.1f} s waited for the services' limits", err=True)
    return 1 if trouble else 0


@command(main)
@click.argument("targets", nargs=-1, metavar="[TARGET...]")
@click.option("--links/--no-links", default=True, show_default=True, help="Check links and code repositories.")
@click.option("--ids/--no-ids", default=True, show_default=True, help="Resolve arXiv ids and DOIs of papers.")
@click.option("--write", is_flag=True, help="Apply what needs no person: published versions, filled fields, moves.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write what needs a person as Markdown to FILE (the weekly workflow's issue).")  # fmt: skip
@_BUDGET
@_MAILTO
@_NO_CACHE
def check(ctx: Context, targets, links, ids, write, report_file, budget, mailto, no_cache) -> int:  # noqa: ANN001
    """Check that the database is current: published versions of preprints, arXiv ids and DOIs that name
    another work, dead or moved links, moved or archived repositories.

    Without TARGETs every record is checked. Exit 1 when something needs a person.
    """
    from ..commands.resolving import apply_check, check_database, make_client, markdown_report

    data_dir = ctx.settings.data_dir
    with make_client(data_dir, budget, mailto, cache=not no_cache) as client:
        db, report = check_database(data_dir, client, links=links, ids=ids, only=list(targets) or None)
    for finding in report.findings:
        click.echo(finding.line())
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.by_kind().items())) or "all current"
    click.echo(f"{report.checked} record(s) checked: {counts}; {client.requests} request(s)")
    if report.stopped:
        click.echo(f"stopped early: {report.stopped}", err=True)
    if write:
        for shown in apply_check(data_dir, db, report):
            click.echo(f"wrote {shown}")
    if report_file:
        report_file.write_text(markdown_report(report), encoding="utf-8")
    needs = [f for f in report.findings if f.fix is None and f.kind not in ("upgrade", "fill")]
    return 1 if needs else 0
