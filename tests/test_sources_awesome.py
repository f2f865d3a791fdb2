"""The awesome-list parser: each seed style as a small fixture, bad lines, generality, and the four real seeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from llmpapers.db.models import Links, Record, Source, Venue
from llmpapers.db.store import load_venues
from llmpapers.db.venues import VenueTable
from llmpapers.errors import Severity
from llmpapers.ingest.awesome import parse
from llmpapers.ingest.candidate import Candidate, ParseResult

FIXTURES = Path(__file__).parent / "fixtures" / "awesome"
ROOT = Path(__file__).parent.parent
SEEDS = Path("/work/shared/seeds")


def _venue(name: str, kind: str = "conference", aliases: tuple[str, ...] = ()) -> Venue:
    return Venue(name=name, full=f"{name} (full name)", kind=kind, aliases=list(aliases))


# A fixed table, so that these tests do not move when data/venues.yaml is curated.
TABLE = VenueTable(
    [
        _venue("arXiv", "preprint", ("arxiv", "CoRR")),
        _venue("OSDI", aliases=("Proc.~USENIX OSDI", "USENIX OSDI")),
        _venue("SOSP", aliases=("Proc.~ACM SOSP",)),
        _venue("USENIX ATC", aliases=("ATC",)),
        _venue("NeurIPS", aliases=("NIPS",)),
        _venue("ISCA"),
        _venue("ACL"),
    ]
)


def view(c: Candidate) -> dict[str, Any]:
    """Every field that is set, except the list name (always the fixture's)."""
    out = {}
    for key, value in dataclasses.asdict(c).items():
        if key != "list_name" and value not in (None, [], ""):
            out[key] = getattr(value, "value", value)
    return out


def read(name: str) -> ParseResult:
    result = parse((FIXTURES / name).read_text(encoding="utf-8"), name.removesuffix(".md"), TABLE)
    assert all(c.list_name == name.removesuffix(".md") for c in result.candidates)
    return result


def diagnostics(result: ParseResult) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity.value, d.message) for d in result.diagnostics]


SERVING = "LLM Inference/Serving"
BATCH = "Second batch"


def test_flat_bullets_with_venue_and_year_slots() -> None:
    result = read("001-flat-bullets.md")
    assert diagnostics(result) == []
    assert [view(c) for c in result.candidates] == [
        {"title": "Triton inference server", "as_listed": "Triton inference server", "line": 6, "section": SERVING,
         "type": "paper", "year": 2024},
        {"title": "Orca: A distributed serving system for Transformer-Based generative models",
         "as_listed": "Orca: A distributed serving system for Transformer-Based generative models", "line": 7,
         "section": SERVING, "short_name": "Orca", "type": "paper", "year": 2022, "venue": "OSDI",
         "venue_raw": "Proc.~USENIX OSDI"},
        {"title": "PetS: A Unified Framework for Parameter-Efficient Transformers Serving",
         "as_listed": "$\\{$PetS$\\}$: A Unified Framework for $\\{$Parameter-Efficient$\\}$ Transformers Serving",
         "line": 8, "section": SERVING, "short_name": "PetS", "type": "paper", "year": 2022, "venue": "USENIX ATC",
         "venue_raw": "USENIX ATC"},
        {"title": "vLLM", "as_listed": "vLLM", "line": 12, "section": BATCH, "type": "tool", "year": 2023},
        {"title": "AWS Inferentia", "as_listed": "AWS Inferentia", "line": 13, "section": BATCH, "type": "hardware",
         "year": 2023},
        {"title": "S³: Increasing GPU Utilization during Generative Inference for Higher Throughput",
         "as_listed": "S$^3$: Increasing GPU Utilization during Generative Inference for Higher Throughput",
         "line": 14, "section": BATCH, "short_name": "S³", "type": "paper", "year": 2023, "venue": "arXiv",
         "venue_raw": "arXiv"},
        {"title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
         "as_listed": "Efficient Memory Management for Large Language Model Serving with PagedAttention", "line": 15,
         "section": BATCH, "type": "paper", "year": 2023, "venue_raw": "OSP"},
        # two blank lines end the "Second batch:" group: the third group is under the heading again
        {"title": "H₂O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models",
         "as_listed": "H $ \\_2 $ O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models",
         "line": 18, "section": SERVING, "short_name": "H₂O", "type": "paper", "year": 2023, "venue": "arXiv",
         "venue_raw": "arxiv"},
        {"title": "The future of AI is hybrid", "as_listed": "The future of AI is hybrid", "line": 19,
         "section": SERVING, "type": "article", "year": 2023, "venue_raw": "Qualcomm"},
        {"title": "DeciLM 6B", "as_listed": "DeciLM 6B", "line": 20, "section": SERVING, "type": "model", "year": 2023},
        {"title": "Apache TVM Unity: a vision for the ML software and hardware ecosystem",
         "as_listed": "Apache TVM Unity: a vision for the ML software and hardware ecosystem", "line": 21,
         "section": SERVING, "short_name": "Apache TVM Unity", "type": "paper", "year": 2022},
        {"title": "Large Language Model Cascades with Mix-Ture of Thought Representations for Cost-Efficient Reasoning",
         "as_listed": "LARGE LANGUAGE MODEL CASCADES WITH MIX-TURE OF THOUGHT REPRESENTATIONS FOR COST-EFFICIENT "
         "REASONING", "line": 22, "section": SERVING, "type": "paper", "year": 2023, "venue": "arXiv",
         "venue_raw": "arxiv"},
        {"title": "Welder: Scheduling Deep Learning Memory Access via Tile-graph",
         "as_listed": "Welder: Scheduling Deep Learning Memory Access via Tile-graph", "line": 23, "section": SERVING,
         "short_name": "Welder", "type": "paper", "year": 2023, "venue": "OSDI",
         "venue_raw": "17th USENIX Symposium on Operating Systems Design and Implementation (OSDI 23)"},
    ]  # fmt: skip


def test_tables_under_headings_with_name_prefixes() -> None:
    result = read("002-tables.md")
    assert diagnostics(result) == []
    basic, training = "Basic Architectures of LLMs", "Parallelism Training System"
    assert [view(c) for c in result.candidates] == [
        {"title": "Transformer: Attention Is All You Need", "as_listed": "Transformer: Attention Is All You Need",
         "line": 11, "section": basic, "short_name": "Transformer", "type": "paper", "arxiv": "1706.03762"},
        {"title": "GPT: Improving Language Understanding by Generative Pre-Training",
         "as_listed": "GPT: Improving Language Understanding by Generative Pre-Training", "line": 12,
         "section": basic, "short_name": "GPT", "type": "paper",
         "pdf": "https://cdn.openai.com/research-covers/language-unsupervised/language_understanding_paper.pdf"},
        {"title": "Llama 2: Open Foundation and Fine-Tuned Chat Models",
         "as_listed": "Llama 2: Open Foundation and Fine-Tuned Chat Models", "line": 13, "section": basic,
         "short_name": "Llama 2", "type": "paper", "arxiv": "2307.09288"},
        {"title": "PanGu-Σ: Towards Trillion Parameter Language Model with Sparse Heterogeneous Computing",
         "as_listed": "PanGu-$\\Sigma$: Towards Trillion Parameter Language Model with Sparse Heterogeneous Computing",
         "line": 19, "section": training, "short_name": "PanGu-Σ", "type": "paper", "arxiv": "2303.10845"},
        {"title": "Alpa: Automating Inter- and Intra-Operator Parallelism for Distributed Deep Learning",
         "as_listed": "Alpa: Automating Inter- and {Intra-Operator} Parallelism for Distributed Deep Learning",
         "line": 20, "section": training, "short_name": "Alpa", "type": "paper",
         "paper": "https://www.usenix.org/conference/osdi22/presentation/zheng-lianmin"},
        {"title": "Deja Vu: Contextual Sparsity for Efficient LLMs at Inference Time",
         "as_listed": "Deja Vu: Contextual Sparsity for Efficient LLMs at Inference Time", "line": 21,
         "section": training, "type": "paper", "arxiv": "2310.17157"},
    ]  # fmt: skip


def test_long_bullets_with_badges_and_authors() -> None:
    result = read("003-badges.md")
    assert diagnostics(result) == []
    hw = "Hardware/System"
    assert [view(c) for c in result.candidates] == [
        {"title": "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
         "as_listed": "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", "line": 5,
         "section": hw, "short_name": "FlashAttention", "type": "paper",
         "authors": ["Tri Dao", "Daniel Y. Fu", "Stefano Ermon", "Atri Rudra", "Christopher Ré"], "year": 2022,
         "venue": "NeurIPS", "venue_raw": "NeurIPS'22", "arxiv": "2205.14135",
         "code": "https://github.com/Dao-AILab/flash-attention"},
        {"title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
         "as_listed": "Efficient Memory Management for Large Language Model Serving with PagedAttention", "line": 6,
         "section": hw, "type": "paper", "authors": ["Woosuk Kwon", "Zhuohan Li", "Siyuan Zhuang"], "year": 2023,
         "venue": "SOSP", "venue_raw": "SOSP 2023", "arxiv": "2309.06180", "code": "https://github.com/vllm-project/vllm"},
        {"title": "EdgeMoE: Fast On-Device Inference of MoE-based Large Language Models",
         "as_listed": "EdgeMoE: Fast On-Device Inference of MoE-based Large Language Models", "line": 7, "section": hw,
         "short_name": "EdgeMoE", "type": "paper", "authors": ["Rongjie Yi", "Liwei Guo"], "arxiv": "2308.14352"},
        # the [[Github]] link wins over the (broken) target of the star badge
        {"title": "Striped Attention: Faster Ring Attention for Causal Transformers",
         "as_listed": "Striped Attention: Faster Ring Attention for Causal Transformers", "line": 8, "section": hw,
         "type": "paper", "authors": ["William Brandon", "Aniruddha Nrusimha"], "arxiv": "2311.09431",
         "code": "https://github.com/exists-forall/striped_attention/"},
        {"title": "Efficiently Programming Large Language Models using SGLang",
         "as_listed": "Efficiently Programming Large Language Models using SGLang", "line": 9, "section": hw,
         "type": "paper", "authors": ["Lianmin Zheng", "Liangsheng Yin", "Ying Sheng"], "arxiv": "2312.07104",
         "code": "https://github.com/sgl-project/sglang/tree/main"},
        # the "author list" repeats the title: no authors
        {"title": "MELTing point: Mobile Evaluation of Language Transformers",
         "as_listed": "MELTing point: Mobile Evaluation of Language Transformers", "line": 10, "section": hw,
         "short_name": "MELTing point", "type": "paper", "arxiv": "2403.12844"},
        # no [[Github]] link: the star badge's target is the code
        {"title": "Mélange: Cost Efficient Large Language Model Serving by Exploiting GPU Heterogeneity",
         "as_listed": "Mélange: Cost Efficient Large Language Model Serving by Exploiting GPU Heterogeneity", "line": 11,
         "section": hw, "short_name": "Mélange", "type": "paper", "authors": ["Tyler Griggs", "Ion Stoica"],
         "arxiv": "2404.14527", "code": "https://github.com/tyler-griggs/melange-release"},
    ]  # fmt: skip


def test_dated_table_with_tags_and_mis_decoded_text() -> None:
    result = read("004-dated-table.md")
    assert diagnostics(result) == [
        (10, "warning", "not an entry (a file to download): LLMs-Inference-Papers-v0.1.pdf: Introduction to LLMs and "
         "LLMs inference tech, 60"),
    ]  # fmt: skip
    sec = "Awesome LLM Inference Papers with Codes"
    assert [view(c) for c in result.candidates] == [
        {"title": "Training Multi-Billion Parameter Language Models Using Model Parallelism",
         "as_listed": "[Megatron-LM] Training Multi-Billion Parameter Language Models Using Model Parallelism",
         "line": 18, "section": sec, "short_name": "Megatron-LM", "type": "paper", "year": 2020, "venue": "arXiv",
         "venue_raw": "arxiv", "arxiv": "1909.08053", "code": "https://github.com/NVIDIA/Megatron-LM",
         "date": "2020.05"},
        # the tag is a topic; the title's own "Orca:" is the name. osdi22-yu is OSDI 2022. 👍 means no code
        {"title": "Orca: A Distributed Serving System for Transformer-Based Generative Models",
         "as_listed": "[Continuous Batching] Orca: A Distributed Serving System for Transformer-Based Generative Models",
         "line": 19, "section": sec, "short_name": "Orca", "type": "paper", "year": 2022, "venue": "OSDI",
         "venue_raw": "osdi22-yu", "pdf": "https://www.usenix.org/system/files/osdi22-yu.pdf", "date": "2022.07"},
        {"title": "FP8 Formats for Deep Learning", "as_listed": "[FP8] FP8 FORMATS FOR DEEP LEARNING", "line": 20,
         "section": sec, "short_name": "FP8", "type": "paper", "year": 2022, "venue": "arXiv", "venue_raw": "arxiv",
         "arxiv": "2209.05433", "date": "2022.09"},
        {"title": "Roformer: Enhanced Transformer with Rotary Position Embedding",
         "as_listed": "[RoPE] ROFORMER: ENHANCED TRANSFORMER WITH ROTARY  POSITION EMBEDDING", "line": 21,
         "section": sec, "short_name": "Roformer", "type": "paper", "year": 2021, "venue": "arXiv",
         "venue_raw": "arxiv", "arxiv": "2104.09864",
         "project": "https://huggingface.co/docs/transformers/model_doc/roformer", "date": "2021.04"},
        {"title": "Who Says Elephants Can’t Run: Bringing Large Scale MoE Models into Cloud Scale Production",
         "as_listed": "[WINT8/4] Who Says Elephants Can‚Äôt Run: Bringing Large Scale MoE Models into Cloud Scale "
         "Production", "line": 22, "section": sec, "short_name": "WINT8/4", "type": "paper", "year": 2022,
         "venue": "arXiv", "venue_raw": "arxiv", "arxiv": "2211.10017",
         "code": "https://github.com/NVIDIA/FasterTransformer", "date": "2022.11"},
        {"title": "Medusa: Simple Framework for Accelerating LLM Generation with Multiple Decoding Heads",
         "as_listed": "[Medusa] Medusa: Simple Framework for Accelerating LLM Generation with Multiple Decoding Heads",
         "line": 23, "section": sec, "short_name": "Medusa", "type": "article", "year": 2023,
         "paper": "https://sites.google.com/view/medusa-llm", "code": "https://github.com/FasterDecoding/Medusa",
         "date": "2023.09"},
        {"title": "Dissecting Batching Effects in GPT Inference",
         "as_listed": "[FLOP, I/O] Dissecting Batching Effects in GPT Inference", "line": 24, "section": sec,
         "type": "article", "year": 2023, "paper": "https://le.qun.ch/en/blog/2023/05/13/transformer-batching/",
         "date": "2023.05"},
        {"title": "NVIDIA TensorRT LLM", "as_listed": "[TensorRT-LLM] NVIDIA TensorRT LLM", "line": 25, "section": sec,
         "short_name": "TensorRT-LLM", "type": "tool", "year": 2023, "code": "https://github.com/NVIDIA/TensorRT-LLM",
         "project": "https://nvidia.github.io/TensorRT-LLM/", "date": "2023.10"},
        {"title": "Sheared LLaMA: Accelerating Language Model Pre-Training via Structured Pruning",
         "as_listed": "[LLM-Shearing] SHEARED LLAMA: ACCELERATING LANGUAGE MODEL PRE-TRAINING VIA STRUCTURED PRUNING",
         "line": 26, "section": sec, "short_name": "Sheared LLaMA", "type": "paper", "year": 2023, "venue": "arXiv",
         "venue_raw": "arxiv", "arxiv": "2310.06694", "code": "https://github.com/princeton-nlp/LLM-Shearing",
         "date": "2023.10"},
    ]  # fmt: skip


def test_another_style_numbered_bold_and_linked_table() -> None:
    result = read("other-list.md")
    assert diagnostics(result) == [
        (19, "error", "entry skipped: its only link is not an http(s) URL: 'javascript:alert(1)'"),
        (23, "warning", "not an entry (section 'Contributing'): Please open a pull request with your paper."),
    ]
    serving = "Serving Systems"
    assert [view(c) for c in result.candidates] == [
        {"title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
         "as_listed": "Efficient Memory Management for Large Language Model Serving with PagedAttention", "line": 10,
         "section": serving, "type": "paper", "authors": ["Woosuk Kwon", "Zhuohan Li"], "year": 2023, "venue": "SOSP",
         "venue_raw": "SOSP 2023", "arxiv": "2309.06180"},
        {"title": "vLLM", "as_listed": "vLLM", "line": 11, "section": serving, "type": "tool",
         "code": "https://github.com/vllm-project/vllm"},
        {"title": "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized Large Language Model Serving",
         "as_listed": "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized Large Language Model "
         "Serving", "line": 12, "section": serving, "short_name": "DistServe", "type": "paper", "year": 2024,
         "venue": "OSDI", "venue_raw": "OSDI 2024", "pdf": "https://www.usenix.org/system/files/osdi24-zhong-yinmin.pdf",
         "code": "https://github.com/LLMServe/DistServe"},
        {"title": "Splitwise: Efficient Generative LLM Inference Using Phase Splitting",
         "as_listed": "Splitwise: Efficient Generative LLM Inference Using Phase Splitting", "line": 13,
         "section": serving, "short_name": "Splitwise", "type": "paper", "authors": ["Pratyush Patel", "Esha Choukse"],
         "year": 2024, "venue": "ISCA", "venue_raw": "ISCA 2024", "doi": "10.1109/ISCA59077.2024.00019",
         "other": ["https://example.org/splitwise-slides.pdf"]},
        {"title": "Mistral-7B-v0.1", "as_listed": "Mistral-7B-v0.1", "line": 18, "section": "Open weights",
         "type": "model", "project": "https://huggingface.co/mistralai/Mistral-7B-v0.1"},
        {"title": "LongBench: A Bilingual, Multitask Benchmark for Long Context Understanding",
         "as_listed": "LongBench: A Bilingual, Multitask Benchmark for Long Context Understanding", "line": 29,
         "section": "Benchmarks", "short_name": "LongBench", "type": "paper", "year": 2024, "venue": "ACL",
         "venue_raw": "ACL", "paper": "https://aclanthology.org/2024.acl-long.172/",
         "code": "https://github.com/THUDM/LongBench"},
        {"title": "vLLM Performance Dashboard", "as_listed": "vLLM Performance Dashboard", "line": 30,
         "section": "Benchmarks", "type": "paper", "paper": "https://perf.vllm.ai"},
    ]  # fmt: skip


def test_lines_that_cannot_be_read_are_errors_with_their_line() -> None:
    result = read("bad-lines.md")
    assert diagnostics(result) == [
        (4, "error", "cannot read [OSDI][20x3] as [Venue][Year]"),
        (5, "error", "cannot find a title in this entry: '[[Paper]](https://arxiv.org/abs/2309.06180)'"),
        (6, "error", "cannot find a title in this entry: '[](https://example.org/empty)'"),
        (10, "error", "table row has no title"),
    ]
    assert [(c.line, c.title) for c in result.candidates] == [(3, "A fine entry"), (11, "Works fine")]
    assert {d.path for d in result.diagnostics} == {"bad-lines"}
    assert result.diagnostics[0].format() == "bad-lines:4: cannot read [OSDI][20x3] as [Venue][Year]"


@pytest.mark.parametrize(
    ("text", "titles", "problems"),
    [
        pytest.param("# T\n\n- [Serving](#serving)\n  - [KV cache](#kv-cache)\n", [], [], id="table-of-contents"),
        pytest.param("[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n- ![b](https://x.org/b.svg)\n",
                     [], [], id="badges-only"),
        pytest.param("```\n- Not an entry[arXiv][2023]\n```\n- An entry[arXiv][2023]\n", ["An entry"], [], id="fence"),
        pytest.param("<!-- \n- Hidden[arXiv][2023]\n-->\n- Shown[2023]\n", ["Shown"], [], id="html-comment"),
        pytest.param("Some prose: not an entry.\n\nMore prose\n", [], [], id="prose"),
        pytest.param("| Name | Notes |\n|---|---|\n| SGLang | fast |\n", ["SGLang"], [], id="name-column"),
        pytest.param("| 2023.05 | Headerless Title | [[pdf]](https://x.org/a.pdf) |\n", ["Headerless Title"], [],
                     id="table-without-header"),
        pytest.param("## License\n\n| A | B |\n|---|---|\n| MIT | yes |\n", [], [(5, "warning")], id="license-table"),
        pytest.param("- Serving:\n  - Orca[OSDI][2022]\n", ["Orca"], [], id="bullet-label"),
        pytest.param("- <script>alert(1)</script>[arXiv][2023]\n", ["<script>alert(1)</script>"], [],
                     id="markup-is-text"),
        pytest.param("- Evil\u202eTitle[arXiv][2023]\n", ["EvilTitle"], [], id="bidi-removed"),
        pytest.param("- [Bad](javascript:alert(1))\n", [], [(1, "error")], id="javascript-link"),
    ],
)  # fmt: skip
def test_general_lines(text: str, titles: list[str], problems: list[tuple[int, str]]) -> None:
    result = parse(text, "inline", TABLE)
    assert [c.title for c in result.candidates] == titles
    assert [(d.line, d.severity.value) for d in result.diagnostics] == problems
    assert all(c.code is None and c.paper is None for c in result.candidates if "javascript" in text)


def test_section_labels_last_until_a_heading_or_two_blank_lines() -> None:
    text = (
        "# Papers\n- A[2020]\n\nBatch two:\n\n- B[2021]\n\n- C[2021]\n\n\n- D[2022]\n# Tools\n**Engines**\n- E[2023]\n"
    )
    assert [(c.title, c.section) for c in parse(text, "inline", TABLE).candidates] == [
        ("A", "Papers"), ("B", "Batch two"), ("C", "Batch two"), ("D", "Papers"), ("E", "Engines"),
    ]  # fmt: skip


def test_as_listed_keeps_the_text_exactly() -> None:
    text = "|Date|Title|Paper|\n|---|---|---|\n|2023.05|[FastServe] Fast  Serving ‚Äô |[[arxiv][pdf]](https://arxiv.org/pdf/2305.05920.pdf)|\n"
    (c,) = parse(text, "inline", TABLE).candidates
    assert c.as_listed == "[FastServe] Fast  Serving ‚Äô"
    assert c.title == "Fast Serving ’"
    assert (c.short_name, c.arxiv, c.venue, c.year, c.date) == ("FastServe", "2305.05920", "arXiv", 2023, "2023.05")


# --- the four real seed lists ------------------------------------------------------------------------------------
# Counted by hand from the files: 001 has 376 lines starting "- " (61 under the heading, 193 after "Second batch:",
# 122 in the unheaded third group); 002 has 71 table rows under seven headings (9+2+13+26+4+10+7); 003 has 30
# "* " bullets (lines 5-34); 004 has 30 dated rows (lines 25-54). The naive count below checks the same by regex.
SEED_COUNTS = {"001": (376, r"^- "), "002": (71, r"^\| (?!Title|-)"), "003": (30, r"^\* "), "004": (30, r"^\|\d{4}\.")}


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[list[str], ParseResult]]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not here")
    venues, problems = load_venues(ROOT / "data")
    assert not problems
    table = VenueTable(venues)
    out = {}
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name[:3]] = (text.splitlines(), parse(text, path.stem, table))
    return out


def test_seeds_every_entry_read_once_with_no_errors(seeds: dict[str, tuple[list[str], ParseResult]]) -> None:
    assert sorted(seeds) == sorted(SEED_COUNTS)
    total = 0
    for key, (lines, result) in seeds.items():
        expected, pattern = SEED_COUNTS[key]
        naive = sum(bool(re.match(pattern, line)) for line in lines)
        assert (len(result.candidates), naive) == (expected, expected), key
        assert not [d.format() for d in result.diagnostics if d.severity is Severity.ERROR]
        assert len({c.line for c in result.candidates}) == expected  # one entry per line
        for c in result.candidates:  # as_listed is the text exactly as written on that line
            assert c.as_listed and c.as_listed in lines[c.line - 1], (key, c.line)
            assert c.title and c.title == c.title.strip() and "$" not in c.title and "‚Ä" not in c.title
        total += len(result.candidates)
    assert total == 507


def test_seed_warnings_are_only_the_pdf_downloads(seeds: dict[str, tuple[list[str], ParseResult]]) -> None:
    found = [(d.path[:3], d.line, d.severity) for _, r in seeds.values() for d in r.diagnostics]
    assert found == [("004", 16, Severity.WARNING), ("004", 17, Severity.WARNING)]


def test_seed_sections_and_types(seeds: dict[str, tuple[list[str], ParseResult]]) -> None:
    def count(key: str, field: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in seeds[key][1].candidates:
            value = getattr(getattr(c, field), "value", getattr(c, field))
            out[value] = out.get(value, 0) + 1
        return out

    assert count("001", "section") == {"LLM Inference/Serving": 61 + 122, "Second batch": 193}
    assert count("001", "type") == {"paper": 338, "tool": 25, "article": 7, "hardware": 4, "model": 2}
    assert count("002", "section") == {
        "Basic Architectures of LLMs": 9, "Multimodal Large Language Models": 2, "Parallelism Training System": 13,
        "LLM Serving System": 26, "Serving LLMs with Multiple LoRAs": 4, "Parameter-Efficient Fine-Tuning (PEFT)": 10,
        "Compression (Quantization, Sparsity)": 7,
    }  # fmt: skip
    assert count("003", "section") == {"Hardware/System": 30}
    assert count("004", "section") == {"Awesome LLM Inference Papers with Codes": 30}
    assert count("004", "type") == {"paper": 25, "article": 4, "tool": 1}
    by_line = {c.line: c for c in seeds["001"][1].candidates}
    assert (by_line[277].type.value, by_line[277].venue_raw) == ("article", "Qualcomm")
    assert by_line[109].title == "PipeSwitch: Fast pipelined context switching for deep learning applications"
    assert (by_line[109].venue, by_line[109].year) == ("OSDI", 2020)


def test_seed_candidates_fit_the_record_model(seeds: dict[str, tuple[list[str], ParseResult]]) -> None:
    """Titles, names, authors, URLs and identifiers all pass the validators a record file must pass."""
    for n, c in enumerate(c for _, r in seeds.values() for c in r.candidates):
        links = Links(paper=c.paper, pdf=c.pdf, arxiv=c.arxiv, doi=c.doi, code=c.code, project=c.project, other=c.other)
        source = Source(list=c.list_name, section=c.section, as_listed=c.as_listed, line=c.line)
        Record(
            id=f"r{n}",
            type=c.type,
            title=c.title,
            short_name=c.short_name,
            authors=c.authors,
            year=c.year,
            venue=c.venue,
            links=links,
            categories=["serving"],
            sources=[source],
            added=dt.date(2026, 1, 1),
        )
