"""Export, then import into a copy of data/: no file changes (the whole committed database)."""

from __future__ import annotations

import shutil
from pathlib import Path

from llmpapers.cli import main

DATA = Path(__file__).parent.parent / "data"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "records").iterdir())}


def test_bibtex_export_reimports_with_no_change(tmp_path, runner, monkeypatch):
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path / "data")
    assert runner.invoke(main, ["export", "bibtex", "-o", "all.bib", "--data", "data"]).exit_code == 0
    assert (tmp_path / "all.bib").stat().st_mode & 0o044 == 0o044  # readable by others, like any file
    result = runner.invoke(main, ["import", "bibtex", "all.bib", "--data", "data"])
    assert result.exit_code == 0, result.output
    assert f"0 new, 0 merged, {len(before)} unchanged, 0 problem(s); wrote 0 file(s)" in result.output
    assert _snapshot(tmp_path / "data") == before


def test_json_and_markdown_exports_cover_every_record(tmp_path, runner, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    data = str(DATA)
    out = runner.invoke(main, ["export", "json", "--data", data])
    assert out.exit_code == 0
    records = json.loads(out.output)["records"]
    assert len(records) == len(list((DATA / "records").iterdir()))
    md = runner.invoke(main, ["export", "markdown", "--data", data, "--category", "kv-cache"])
    entries = md.output.split("### KV cache", 1)[1].count("\n- ")
    assert md.exit_code == 0 and entries == sum("kv-cache" in r["categories"] for r in records)
