"""Category suggestions from the rules in data/categories.yaml, and the stats figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmpapers.db.models import Record
from llmpapers.db.store import load_categories
from llmpapers.identity.categorize import Categorizer
from llmpapers.publish.stats import compute

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def categorizer():
    categories, problems = load_categories(DATA)
    assert problems == [] and len(categories) == 20
    return Categorizer(categories)


@pytest.mark.parametrize(
    ("title", "short_name", "expected_first"),
    [
        (
            "Efficient Memory Management for Large Language Model Serving with PagedAttention",
            "PagedAttention",
            "kv-cache",
        ),
        (
            "SpecInfer: Accelerating Generative LLM Serving with Tree-based Speculative Inference",
            "SpecInfer",
            "speculative-decoding",
        ),
        ("QLoRA: Efficient Finetuning of Quantized LLMs", "QLoRA", "peft"),
        ("TensorFlow: A system for Large-Scale machine learning", "TensorFlow", "systems-foundations"),
        ("TruthfulQA: Measuring How Models Mimic Human Falsehoods", "TruthfulQA", "benchmarks-surveys"),
        ("GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers", "GPTQ", "quantization"),
    ],
)
def test_suggestions(categorizer, title, short_name, expected_first):
    assert categorizer.slugs(title, short_name)[0] == expected_first


def test_no_keyword_no_suggestion_and_fallback(categorizer):
    assert categorizer.suggest("Musings on Things") == []
    assert categorizer.slugs("Musings on Things", fallback="LLM Inference/Serving") == ["serving"]


def test_check_reports_disagreement(categorizer):
    record = Record.model_validate({
        "id": "x", "type": "paper", "title": "GPTQ: Accurate Post-Training Quantization", "short_name": "GPTQ",
        "categories": ["moe"], "sources": [{"list": "m", "as_listed": "x"}], "added": "2026-11-22"})  # fmt: skip
    assert "primary category moe is not among the rules' suggestions: quantization" in categorizer.check(record)
    agreeing = record.model_copy(update={"categories": ["quantization"]})
    assert categorizer.check(agreeing) is None


def test_stats_counts():
    categories, _ = load_categories(DATA)
    base = {"type": "paper", "title": "T", "sources": [{"list": "m", "as_listed": "T"}], "added": "2026-11-22"}
    records = [
        Record.model_validate(
            {
                **base,
                "id": "a",
                "categories": ["serving", "kv-cache"],
                "year": 2023,
                "venue": "OSDI",
                "links": {"arxiv": "2309.06180"},
            }
        ),
        Record.model_validate({**base, "id": "b", "categories": ["quantization"], "year": 2023, "type": "tool"}),
    ]
    s = compute(records, categories)
    assert (s.records, s.with_link, s.no_venue) == (2, 1, 1)
    assert s.by_category["serving"] == 1 and s.by_primary["kv-cache"] == 0 and s.by_category["kv-cache"] == 1
    assert s.by_group["Inference & serving"] == 1 and s.by_group["Compression"] == 1
    assert s.by_type == {"paper": 1, "tool": 1} and s.by_year == {2023: 2} and s.by_venue == {"OSDI": 1}


def test_a_work_listed_by_its_bare_name(categorizer):
    assert categorizer.slugs("vLLM")[0] == "serving"
    assert categorizer.slugs("FlexGen")[0] == "offloading-edge"
