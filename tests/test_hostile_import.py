"""Hostile and broken awesome-lists: malformed tables, bad link schemes, one paper under several URL forms."""

from __future__ import annotations

import datetime as dt

from conftest import fixture_db
from llmpapers.cli import main
from llmpapers.db.models import Venue
from llmpapers.db.venues import VenueTable
from llmpapers.identity.merge import plan_import
from llmpapers.ingest.awesome import parse

TABLE = VenueTable([Venue(name="arXiv", full="arXiv preprint", kind="preprint")])

SEVERAL_URL_FORMS = """# Papers

- [Efficient Memory Management for Large Language Model Serving with PagedAttention](https://arxiv.org/abs/2309.06180)
- [Efficient memory management for LLM serving with PagedAttention](https://arxiv.org/pdf/2309.06180.pdf)
- [PagedAttention paper](http://arxiv.org/abs/2309.06180v2)
- [vLLM paper, HTML version](https://arxiv.org/pdf/2309.06180v1)
"""


def test_one_paper_under_several_url_forms_is_one_record():
    result = parse(SEVERAL_URL_FORMS, "list", TABLE)
    assert [c.arxiv for c in result.candidates] == ["2309.06180"] * 4
    plan = plan_import([], result.candidates, TABLE, lambda c: ["serving"], dt.date(2026, 11, 22))
    assert len(plan.created) == 1
    (record,) = plan.changed.values()
    assert record.links.arxiv == "2309.06180" and len(record.sources) == 4
    assert record.links.paper is None and record.links.pdf is None  # arXiv URLs become the id, not copies


def test_bad_link_schemes_never_become_links():
    text = "\n".join(
        [
            "- [A](javascript:alert(1)) [[Code]](data:text/html;base64,PHNjcmlwdD4=)",
            "- [B](file:///etc/passwd)",
            "- [C](vbscript:msgbox(1))",
            "- [D](  https://github.com/ok/repo  )",
        ]
    )
    result = parse(text, "list", TABLE)
    kept = {c.title: (c.paper, c.code, c.pdf, c.other) for c in result.candidates}
    assert kept["A"] == (None, None, None, [])  # its other link, data:, is dropped too, with a warning
    assert "B" not in kept and "C" not in kept  # an entry whose only link is not http(s) is no work
    assert kept["D"][1] == "https://github.com/ok/repo"
    assert [(d.line, d.severity.value) for d in result.diagnostics] == [
        (1, "warning"),
        (1, "warning"),
        (2, "error"),
        (3, "error"),
    ]


def test_malformed_tables_report_their_lines(tmp_path, runner, monkeypatch):
    fixture_db("valid", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text(
        "## Papers\n\n| Title | Link |\n|---|---|\n| Good Paper On Serving | [[paper]](https://a.org/x) |\n"
        "| | [[paper]](https://a.org/y) |\n| Unclosed [link](https://a.org/z |\n|---|\n| Another Good One |  |\n",
        encoding="utf-8",
    )
    before = sorted(p.name for p in (tmp_path / "data" / "records").iterdir())
    dry = runner.invoke(main, ["import", "awesome", "list.md", "--data", "data", "--dry-run"])
    assert "list.md:6:" in dry.output  # the row with no title is named by its line
    assert sorted(p.name for p in (tmp_path / "data" / "records").iterdir()) == before  # dry run wrote nothing
    strict = runner.invoke(main, ["import", "awesome", "list.md", "--data", "data", "--strict"])
    assert strict.exit_code == 1 and "nothing written" in strict.output
    assert sorted(p.name for p in (tmp_path / "data" / "records").iterdir()) == before


def test_an_entry_no_rule_can_place_is_flagged(tmp_path, runner, monkeypatch):
    fixture_db("valid", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text("# Misc\n\n- Musings on Things[2023]\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "awesome", "list.md", "--data", "data", "--added", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert (
        "list.md:3: warning: no category rule matched 'Musings on Things'; filed under benchmarks-surveys: check it"
    ) in result.output
