"""Progress lines: drawn on a terminal, absent otherwise (CI, pipes, tests)."""

from __future__ import annotations

import io

from llmpapers import progress as progress_module
from llmpapers.progress import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_terminal():
    stream = io.StringIO()
    items = list(range(10_000))
    assert progress(items, len(items), "x", stream=stream) is items  # handed back untouched: no cost
    assert stream.getvalue() == ""


def test_drawn_and_cleared_on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress_module, "INTERVAL", 0.0)
    stream = _Terminal()
    assert list(progress(range(5000), 5000, "merging list.md", stream=stream)) == list(range(5000))
    out = stream.getvalue()
    assert "\rmerging list.md  256/5,000  5%" in out and out.endswith("\r\033[K")


def test_small_jobs_draw_nothing():
    stream = _Terminal()
    assert list(progress(range(100), 100, "x", stream=stream)) == list(range(100))
    assert stream.getvalue() == ""
