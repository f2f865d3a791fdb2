"""Diagnostics where contributors look on GitHub: annotations in the diff and a job summary. Pure.

``github_annotation(d)`` turns a :class:`~llmpapers.errors.Diagnostic` into one workflow command line,
which GitHub shows on the file and line of the pull request::

    ::error file=data/records/orca.yaml,line=7,col=7,title=llmpapers::year: must be a whole number, not '2022'

``job_summary(diagnostics)`` is a Markdown table of the problems, for ``$GITHUB_STEP_SUMMARY`` (GitHub shows
at most 10 error and 10 warning annotations per step; the summary lists more).

A flood is capped (a 120 KB file can hold 10,000 problems): :func:`cap` keeps at most ``MAX_PER_FILE`` problems
of a file and ``MAX_PER_RUN`` in all, errors first, for the terminal, the annotations and the summary alike;
each capped file gets one line ``path: … and N more problems in this file``, the run one line
``… and N more problems (M in all)``. Counts and exit codes still reflect every problem.

Record text is hostile until proven otherwise. A title holding a newline and ``::error::``, ``::add-mask::`` or
``::stop-commands::`` must not start a workflow command, and a title holding ``|``, ``<script>`` or a Markdown
link must not change the summary. So:

- annotations follow GitHub's escaping rules (``%`` ``\\r`` ``\\n`` in the message; also ``:`` and ``,`` in
  properties), which keeps every annotation on one line and its properties intact; other control, format and
  line-separator characters (ESC, U+2028, bidirectional overrides) are shown as ``\\u2028`` so that no log
  viewer or terminal acts on them. The runner reads a line that starts with ``::`` as that one command, so
  the legacy ``##[error]`` syntax inside a message stays text (steps printing record text in plain form
  pause workflow commands instead: see ``.github/workflows/pr.yml``);
- summary cells escape ``&`` ``<`` ``>`` as entities and every other ASCII punctuation character (``|``, backticks,
  brackets, ``*``, ``$`` …) with a backslash, and show line breaks as ``\\n``. (GitHub still links an e-mail
  address to ``mailto:``, with the address itself as the text; no escaping prevents that.)
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Diagnostic, summarize, visible_char

MAX_PER_FILE = 20  # problems shown of one file; the rest are counted
MAX_PER_RUN = 200  # problems shown in all
MAX_CELL = 300  # characters of a problem in the job summary (a message can quote a long value)

# GitHub's own escaping (actions/toolkit ``command.ts``: escapeData / escapeProperty).
_DATA_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}

_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_PUNCTUATION = frozenset(string.punctuation) - set(_MD_ENTITIES)
_MD_NEWLINE = "\\\\n"  # Markdown for a visible backslash-n: a line break cannot start a new row or block


def _visible(ch: str) -> str:
    return ch if ch in "\r\n" else visible_char(ch)


def escape_data(text: str) -> str:
    """A workflow command's message: one line whatever ``text`` holds."""
    return "".join(_DATA_ESCAPES.get(ch) or _visible(ch) for ch in text)


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): cannot end the property or the command."""
    return "".join(_PROPERTY_ESCAPES.get(ch) or _visible(ch) for ch in text)


def github_annotation(d: Diagnostic, title: str = "llmpapers") -> str:
    """``::error file=…,line=…,col=…,title=…::message`` (``::warning`` for a warning), safely escaped."""
    props = [f"file={escape_property(d.path)}"]
    if d.line > 0:
        props.append(f"line={d.line}")
        if d.col > 0:
            props.append(f"col={d.col}")
    props.append(f"title={escape_property(title)}")
    kind = "error" if d.is_error else "warning"
    return f"::{kind} {','.join(props)}::{escape_data(d.message)}"


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: no HTML, links, images, emphasis, code, math or table cells of its own."""
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in _MD_PUNCTUATION:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(_MD_NEWLINE)
        else:
            out.append(_visible(ch))
    return "".join(out)


@dataclass(frozen=True)
class Capped:
    """What to show of a list of problems: ``rows`` (each shown problem, in the order given, with how many
    more problems of its file are not shown, told after the last shown one, else 0), ``hidden`` (how many
    are not shown in all) and ``total``."""

    rows: list[tuple[Diagnostic, int]]
    hidden: int
    total: int


def cap(diagnostics: Iterable[Diagnostic], per_file: int = MAX_PER_FILE, per_run: int = MAX_PER_RUN) -> Capped:
    """At most ``per_file`` problems of each file and ``per_run`` in all, errors chosen before warnings."""
    found = list(diagnostics)
    if len(found) <= per_file and len(found) <= per_run:
        return Capped([(d, 0) for d in found], 0, len(found))
    ranked = sorted(range(len(found)), key=lambda i: not found[i].is_error)  # stable: in order, errors first
    taken: Counter[str] = Counter()
    chosen: list[int] = []
    for i in ranked:
        path = found[i].path
        if taken[path] < per_file:
            taken[path] += 1
            chosen.append(i)
            if len(chosen) == per_run:
                break
    chosen.sort()
    more = Counter(d.path for d in found)
    more.subtract(taken)
    last = {found[i].path: i for i in chosen}
    rows = [(found[i], more[found[i].path] if last[found[i].path] == i else 0) for i in chosen]
    return Capped(rows, len(found) - len(chosen), len(found))


def more_in_file(count: int) -> str:
    return f"… and {count} more problem{'s' if count != 1 else ''} in this file"


def more_in_all(capped: Capped) -> str:
    return f"… and {capped.hidden} more problem{'s' if capped.hidden != 1 else ''} ({capped.total} in all)"


def github_notice(message: str, path: str = "", title: str = "llmpapers") -> str:
    """``::notice file=…,title=…::message``, for what a capped list leaves out."""
    props = ([f"file={escape_property(path)}"] if path else []) + [f"title={escape_property(title)}"]
    return f"::notice {','.join(props)}::{escape_data(message)}"


def _cell(text: str) -> str:
    return escape_markdown(text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…")


def job_summary(diagnostics: Iterable[Diagnostic], what: str = "validate") -> str:
    """A Markdown section for ``$GITHUB_STEP_SUMMARY``: the summary line over every problem, then a table of
    the problems :func:`cap` keeps, with a row for what each capped file has more and a line for the rest."""
    found = list(diagnostics)
    verdict = summarize(found, what)
    mark = "❌" if any(d.is_error for d in found) else ("⚠️" if found else "✅")
    lines = [f"### {mark} llmpapers {escape_markdown(verdict)}", ""]
    if found:
        capped = cap(found)
        lines += ["| | file | line | problem |", "|---|---|---:|---|"]
        for d, more in capped.rows:
            where = f"{d.line}:{d.col}" if d.line and d.col else (str(d.line) if d.line else "")
            kind = "error" if d.is_error else "warning"
            lines.append(f"| {kind} | {_cell(d.path)} | {where} | {_cell(d.message)} |")
            if more:
                lines.append(f"| | {_cell(d.path)} | | {more_in_file(more)} |")
        lines.append("")
        if capped.hidden:
            lines += [more_in_all(capped), ""]
    return "\n".join(lines) + "\n"
