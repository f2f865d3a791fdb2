"""The ``llmpapers`` command: parse arguments, call one pipeline function, print, exit.

Exit codes (as ruff's): 0 clean, 1 problems in the data, 2 bad usage or an internal error; 141 when the
reader of the output went away (``llmpapers validate | head``), as for a Unix tool stopped by SIGPIPE.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Settings, load_settings
from .errors import ConfigError, DataError, Diagnostic, LlmpapersError, summarize

EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, what a shell reports for `git log | head`
DATA_HELP = "Database folder (default: data_dir from [tool.llmpapers] in pyproject.toml, else ./data)."


class Context:
    def __init__(self, data_dir: Path | None) -> None:
        self._data_dir = data_dir
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(data_dir=self._data_dir)
        return self._settings


def command(group: click.Group, name: str | None = None, **kwargs: Any) -> Callable:
    """Register a command that gets a :class:`Context` and turns library errors into exit codes."""

    def decorate(func: Callable) -> Callable:
        @group.command(name, **kwargs)
        @click.option("--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), help=DATA_HELP)
        @functools.wraps(func)
        def wrapper(data_dir: Path | None, **params: Any) -> None:
            ctx = Context(data_dir)
            try:
                code = func(ctx, **params)
                sys.stdout.flush()  # here, where a closed pipe is caught, rather than at exit
            except ConfigError as exc:
                click.echo(f"llmpapers: {exc}", err=True)
                sys.exit(2)
            except DataError as exc:
                print_diagnostics(exc.diagnostics)
                click.echo(str(exc), err=True)
                sys.exit(1)
            except LlmpapersError as exc:
                click.echo(f"llmpapers: {exc}", err=True)
                sys.exit(1)
            except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
                raise
            except BrokenPipeError:  # the reader went away (`llmpapers validate | head`): stop quietly
                _silence_stdout()
                sys.exit(EXIT_BROKEN_PIPE)
            except Exception as exc:  # noqa: BLE001 - a bug: say so, exit 2, keep the trace on request
                if os.environ.get("LLMPAPERS_DEBUG"):
                    traceback.print_exc()
                click.echo(f"llmpapers: internal error: {exc!r} (set LLMPAPERS_DEBUG=1 for the trace)", err=True)
                sys.exit(2)
            sys.exit(code or 0)

        return wrapper

    return decorate


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    for d in diagnostics:
        if fmt == "github":
            from .annotations import github_annotation

            click.echo(github_annotation(d))
        else:
            click.echo(d.format())


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="llmpapers")
def main() -> None:
    """A curated bibliography of LLM-systems work, kept as one YAML file per record in data/."""


FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col: message; github: GitHub Actions annotations (::error file=…,line=…::message).",
)
SUMMARY_OPTION = click.option(
    "--summary",
    metavar="FILE",
    help='Append a Markdown table of every problem to FILE (in GitHub Actions: --summary "$GITHUB_STEP_SUMMARY").',
)


def append_summary(target: str | None, text: str) -> None:
    """Append ``text`` to the job summary file ``target``; nothing when it is unset (as outside GitHub Actions)."""
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)


@command(main)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@FORMAT_OPTION
@SUMMARY_OPTION
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
def validate(ctx: Context, strict: bool, output_format: str, summary: str | None, files: tuple[Path, ...]) -> int:
    """Check every record, the taxonomy and the venue table.

    Prints each problem as path:line:col: message (or as a GitHub annotation with --format github),
    then one summary line. Exit 0 when clean, 1 when there are problems, 2 on bad usage.
    """
    from .annotations import job_summary
    from .pipeline import validate_data

    diagnostics = validate_data(ctx.settings.data_dir)
    if files:
        wanted = {os.path.relpath(f) for f in files}
        diagnostics = [d for d in diagnostics if d.path in wanted]
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
    from .formatting import format_files
    from .store import display_path

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
    from .schema import record_schema

    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from .store import atomic_write

        atomic_write(output, text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    return 0


# Commands defined in other modules register themselves on `main` when imported (one line each).
from . import cli_curate, cli_export, cli_import, cli_site  # noqa: E402,F401
