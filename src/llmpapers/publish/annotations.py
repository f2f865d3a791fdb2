"""Diagnostics where contributors look on GitHub: annotations in the diff and a job summary. Pure.

``github_annotation(d)`` turns a :class:`~llmpapers.errors.Diagnostic` into one workflow command line,
which GitHub shows on the file and line of the pull request::

    ::error file=data/records/orca.yaml,line=7,col=7,title=llmpapers::year: must be a whole number, not '2022'

``job_summary(diagnostics)`` is a Markdown table of every problem, for ``$GITHUB_STEP_SUMMARY`` (GitHub shows
at most 10 error and 10 warning annotations per step; the summary lists them all).

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
from collections.abc import Iterable

from ..errors import Diagnostic, summarize, visible_char

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


def job_summary(diagnostics: Iterable[Diagnostic], what: str = "validate") -> str:
    """A Markdown section for ``$GITHUB_STEP_SUMMARY``: the summary line, then a table of every problem."""
    found = list(diagnostics)
    verdict = summarize(found, what)
    mark = "❌" if any(d.is_error for d in found) else ("⚠️" if found else "✅")
    lines = [f"### {mark} llmpapers {escape_markdown(verdict)}", ""]
    if found:
        lines += ["| | file | line | problem |", "|---|---|---:|---|"]
        for d in found:
            where = f"{d.line}:{d.col}" if d.line and d.col else (str(d.line) if d.line else "")
            kind = "error" if d.is_error else "warning"
            lines.append(f"| {kind} | {escape_markdown(d.path)} | {where} | {escape_markdown(d.message)} |")
        lines.append("")
    return "\n".join(lines) + "\n"
