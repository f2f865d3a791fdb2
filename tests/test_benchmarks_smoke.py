"""A small run of the benchmark (benchmarks/run.py): every stage runs, duplicates are found, look-alikes kept apart.

The full run (1k, 10k and 50k records, in fresh processes, with repeats) stays outside the test suite; this
one generates 300 records into a temporary folder and runs each stage once in this process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import generate  # noqa: E402
import run as bench  # noqa: E402

SIZE = 300


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("bench")
    logged: list[str] = []
    runs, where = bench.bench_size("300", SIZE, 1, out, 1, logged.append, inprocess=True, settle=0)
    return runs, where, logged


def test_generator_is_deterministic_and_writes_ground_truth(tmp_path: Path, smoke) -> None:
    _, where, _ = smoke
    truth = json.loads((where / "truth.json").read_text())
    assert truth["records"] == SIZE == len(list((where / "data" / "records").iterdir()))
    assert truth["duplicates"] and truth["lookalikes"]
    assert all(d["a"] != d["b"] for d in truth["duplicates"])  # separate records
    again = generate.generate(SIZE, tmp_path / "again", seed=1)
    assert again == truth
    names = sorted(p.name for p in (where / "data" / "records").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again" / "data" / "records").iterdir())
    one = names[len(names) // 2]
    assert (where / "data" / "records" / one).read_bytes() == (
        tmp_path / "again" / "data" / "records" / one
    ).read_bytes()


def test_every_stage_runs(smoke) -> None:
    runs, _, _ = smoke
    expected = set(bench.plan(SIZE)) | {"exhaustive"}
    assert expected <= set(runs.results)
    for stage, results in runs.results.items():
        for result in results:
            assert "error" not in result, (stage, result.get("error"))
            if "skipped" not in result:
                assert result["seconds"] >= 0, stage
    # The generated database is valid; like real lists, some of its records cannot be cited yet (warnings).
    assert runs.last("validate-warm")["errors"] == 0
    assert runs.last("validate-cli-warm")["exit"] == 0


def test_duplicates_found_and_lookalikes_apart(smoke) -> None:
    runs, _, _ = smoke
    dedupe = runs.last("dedupe")
    assert dedupe["dups"] > 0 and dedupe["dups_found"] == dedupe["dups"], dedupe["dups_missed"]
    assert dedupe["lookalikes"] > 0 and dedupe["lookalikes_merged"] == 0, dedupe["lookalikes_merged_examples"]
    assert dedupe["recall80"] == dedupe["recall90"] == 1.0  # exhaustive path at this size


def test_report_renders(smoke) -> None:
    runs, _, _ = smoke
    text = bench.report({"300": (SIZE, runs)}, 1, 0.0, "smoke")
    assert "| PyYAML `CSafeLoader`, same files (baseline) |" in text
    assert "injected duplicates found" in text
    assert bench.targets({"300": (SIZE, runs)}) == []  # the targets are judged at 10k and 50k only


def test_render_with_no_write_prints_and_leaves_the_results_file(smoke, tmp_path: Path, capsys) -> None:
    runs, _, _ = smoke
    raw = tmp_path / "raw.json"
    raw.write_text(
        json.dumps(
            {"command": "smoke", "repeat": 1, "started": 0.0, "runs": {"300": (SIZE, runs.results)}}, default=str
        )
    )
    results = tmp_path / "RESULTS.md"
    results.write_text("kept\n")
    assert bench.main(["--render", str(raw), "--no-write", "--results", str(results)]) == 0
    assert results.read_text() == "kept\n" and "| PyYAML `CSafeLoader`" in capsys.readouterr().out
    assert bench.main(["--render", str(raw), "--results", str(results)]) == 0
    assert "| PyYAML `CSafeLoader`" in results.read_text()
