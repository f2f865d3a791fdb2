"""fmt: canonical text, atomic writes, idempotence, and no data lost."""

from __future__ import annotations

from conftest import write_record
from llmpapers.db.formatting import format_files
from llmpapers.db.store import load_record

MESSY = """type: paper
id: x
added: 2026-11-22
title: "Ranking #1: the title"
short_name: 'no'
links: {arxiv: '2301.00010', code: "https://github.com/a/b"}
categories: [serving, kv-cache]
sources:
- {list: m, as_listed: ' [Tag] Ranking #1: the title ', line: 3}
"""

CANONICAL = """id: x
type: paper
title: 'Ranking #1: the title'
short_name: 'no'
links:
  arxiv: '2301.00010'
  code: https://github.com/a/b
categories:
  - serving
  - kv-cache
sources:
  - list: m
    as_listed: ' [Tag] Ranking #1: the title '
    line: 3
added: 2026-11-22
"""


def test_fmt_rewrites_to_canonical_and_is_idempotent(tmp_path):
    path = write_record(tmp_path, "x", MESSY)
    before, _, _ = load_record(path)
    check = format_files(tmp_path, check=True)
    assert check.changed == [path] and path.read_text() == MESSY  # --check writes nothing
    format_files(tmp_path)
    assert path.read_text() == CANONICAL
    after, _, problems = load_record(path)
    assert problems == [] and after == before
    again = format_files(tmp_path, check=True)
    assert again.changed == [] and again.unchanged == 1


def test_fmt_leaves_broken_files_alone(tmp_path):
    broken = "id: x\ntitle: [unclosed\n"
    path = write_record(tmp_path, "x", broken)
    result = format_files(tmp_path)
    assert result.changed == [] and result.diagnostics
    assert path.read_text() == broken
    assert not list(path.parent.glob(".*.tmp"))
