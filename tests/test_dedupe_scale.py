"""Blocked duplicate search at a few thousand synthetic records: as good as scoring every pair.

``find_duplicates`` scores every pair of title keys up to ``EXHAUSTIVE`` keys and uses sorted
neighbourhoods above; here the blocked path is forced on a generated database (benchmarks/generate.py,
without writing files) and compared with rapidfuzz over all pairs of keys at the same thresholds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from llmpapers.db.models import Record
from llmpapers.identity import dedupe
from llmpapers.identity.merge import NEAR, THRESHOLD

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import generate  # noqa: E402
import run as bench  # noqa: E402

SIZE = 2500


@pytest.fixture(scope="module")
def database() -> tuple[list[Record], dict, dict[tuple[str, str], float]]:
    gen = generate.Generator(SIZE, 7, ["arXiv", "OSDI", "SOSP", "NeurIPS"], ["serving", "kv-cache", "quantization"])
    gen.build()
    records = [Record.model_validate(w.data) for w in gen.works]
    ordered = sorted(records, key=lambda r: r.id)
    keys, owner = dedupe._keys(ordered)
    best, _ = bench.exhaustive_pairs(keys, owner, NEAR)
    reference = {(ordered[i].id, ordered[j].id): score for (i, j), score in best.items()}
    truth = {"duplicates": gen.duplicates, "lookalikes": gen.lookalikes}
    return records, truth, reference


def test_blocked_path_finds_the_exhaustive_pairs(database, monkeypatch: pytest.MonkeyPatch) -> None:
    records, truth, reference = database
    monkeypatch.setattr(dedupe, "EXHAUSTIVE", 100)  # force sorted neighbourhoods
    pairs = dedupe.find_duplicates(records)
    found = {(p.a, p.b) for p in pairs}
    for cutoff in (THRESHOLD, NEAR):
        want = {pair for pair, score in reference.items() if score >= cutoff}
        assert len(want) > 50
        recall = len(want & found) / len(want)
        assert recall >= 0.99, f"recall {recall:.4f} of {len(want)} pairs scoring {cutoff:g} or more"
    quality = bench.dedupe_quality(pairs, truth, None)
    assert quality["dups_found"] == quality["dups"], quality["dups_missed"]
    assert quality["lookalikes_merged"] == 0, quality["lookalikes_merged_examples"]


def test_exhaustive_path_is_exact(database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below EXHAUSTIVE keys every pair scoring NEAR or more is reported (checked on a slice)."""
    records, _, reference = database
    some = sorted(records, key=lambda r: r.id)[:800]
    ids = {r.id for r in some}
    pairs = dedupe.find_duplicates(some)
    want = {pair for pair in reference if pair[0] in ids and pair[1] in ids}
    assert want <= {(p.a, p.b) for p in pairs}
