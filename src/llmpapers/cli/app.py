"""The ``llmpapers`` command group: parse arguments, call one library function, print, exit.

Exit codes (as ruff's): 0 clean, 1 problems in the data, 2 bad usage or an internal error; 141 when the
reader of the output went away (``llmpapers validate | head``), as for a Unix tool stopped by SIGPIPE.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import Settings, load_settings
from ..errors import BadValue, ConfigError, DataError, Diagnostic, LlmpapersError, one_line

EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, what a shell reports for `git log | head`
DATE = click.DateTime(formats=["%Y-%m-%d"])
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
            except BadValue as exc:
                raise click.BadParameter(str(exc), param_hint=exc.option) from None
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
    """Each problem as ``path:line:col: message`` (``fmt="text"``) or as a GitHub annotation (``"github"``).

    A flood is capped (:func:`llmpapers.publish.annotations.cap`): at most ``MAX_PER_FILE`` problems of a
    file and ``MAX_PER_RUN`` in all, errors first; then ``path: … and N more problems in this file`` after
    a capped file and ``… and N more problems (M in all)`` at the end. The caller counts every problem.
    """
    from ..publish.annotations import cap, github_annotation, github_notice, more_in_all, more_in_file

    capped = cap(diagnostics)
    for d, more in capped.rows:
        if fmt == "github":
            click.echo(github_annotation(d))
            if more:
                click.echo(github_notice(more_in_file(more), d.path))
        else:
            click.echo(d.format())
            if more:
                click.echo(f"{one_line(d.path)}: {more_in_file(more)}")
    if capped.hidden:
        click.echo(github_notice(more_in_all(capped)) if fmt == "github" else more_in_all(capped))


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
