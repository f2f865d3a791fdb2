"""``llmpapers build`` and ``llmpapers serve``: validate data/, render the site, run MkDocs, say where it is.

In: the database (``--data``), templates/ and site/. Out: ``build/site/`` (HTML), printed as a path to open.
Invalid data stops the build with every problem printed and exit code 1; nothing is rendered.
"""

from __future__ import annotations

import time

import click

from ..errors import DataError, LlmpapersError, summarize
from .app import Context, command, main, print_diagnostics


def _load(ctx: Context):
    from ..commands.database import load_valid

    db, diagnostics = load_valid(ctx.settings.data_dir)
    if any(d.is_error for d in diagnostics):
        raise DataError(diagnostics, summarize(diagnostics, "build"))
    print_diagnostics(diagnostics)  # warnings only: they do not stop the build
    return db


def _report(result, seconds: float, n_records: int) -> None:
    from ..db.store import display_path

    for message in result.warnings:
        click.echo(f"mkdocs: warning: {message}", err=True)
    click.echo(
        f"built {n_records} entries into {result.pages} generated files in {seconds:.1f}s "
        f"({', '.join(f'{k} {v:.1f}s' for k, v in result.timings.items())})"
    )
    click.echo(f"site: {display_path(result.index)}")


@command(main)
@click.option("--strict", is_flag=True, help="Fail when MkDocs warns (broken links, missing pages).")
@click.option("--no-mkdocs", "pages_only", is_flag=True, help="Only write build/mkdocs.yml and build/docs/.")
def build(ctx: Context, strict: bool, pages_only: bool) -> int:
    """Validate data/, render the site and build it with MkDocs.

    Generated pages go to build/docs/, the finished site to build/site/ (the last line printed names its
    index.html). Exit 0 built, 1 invalid data or a failed build, 2 bad usage.
    """
    from ..publish.site import build_site

    start = time.perf_counter()
    db = _load(ctx)
    result = build_site(ctx.settings, db, strict=strict, run=not pages_only)
    if pages_only:
        from ..db.store import display_path

        click.echo(f"wrote the MkDocs project: {display_path(result.config_file)}")
        return 0
    _report(result, time.perf_counter() - start, len(db.records))
    return 0


@command(main)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(ctx: Context, dev_addr: str, open_browser: bool) -> int:
    """Build the site and serve it with live reload.

    Rebuilds when anything in data/, templates/ or site/ changes; invalid data is reported and the last
    good build stays on screen.
    """
    from ..publish.site import build_site, serve_site

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"expected HOST:PORT, not {dev_addr!r}", param_hint="--dev-addr")
    build_site(ctx.settings, _load(ctx))

    def rebuild() -> None:
        start = time.perf_counter()
        try:
            db = _load(ctx)
            _report(build_site(ctx.settings, db), time.perf_counter() - start, len(db.records))
        except DataError as exc:
            print_diagnostics(exc.diagnostics)
            click.echo(f"{exc}; still serving the last good build", err=True)
        except LlmpapersError as exc:
            click.echo(f"llmpapers: {exc}; still serving the last good build", err=True)

    click.echo(f"serving on http://{host}:{port}/ (Ctrl+C to stop)")
    serve_site(ctx.settings, rebuild, host, int(port), open_browser)
    return 0
