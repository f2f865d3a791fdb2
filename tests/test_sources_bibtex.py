"""BibTeX import: one fixture per oddity, one file with all of them, and export -> parse round trips."""

from __future__ import annotations

import random
import re
import time

import bibtexparser
import pytest

from conftest import FIXTURES, TAXONOMY
from llmpapers.db.models import Record
from llmpapers.db.store import load_venues
from llmpapers.db.venues import VenueTable
from llmpapers.ingest.bibtex import is_llmpapers_export, parse
from llmpapers.ingest.candidate import Candidate
from llmpapers.publish.export import to_bibtex

BIB = FIXTURES / "bibtex"
VENUE_LIST = load_venues(TAXONOMY)[0]
VENUES = VenueTable(VENUE_LIST)
W = "warning"
E = "error"

# Each fixture: the diagnostics (line, severity, message) and the candidates (every field that is set).
CASES: dict[str, tuple[list[tuple[int, str, str]], list[dict]]] = {
    "string-macros": (
        [],
        [
            {"line": 5, "title": "Orca: A Distributed Serving System for Transformer-Based Generative Models",
             "as_listed": "{Orca}: A Distributed Serving System for {Transformer-Based} Generative Models",
             "authors": ["Gyeong-In Yu", "Joo Seong Jeong"], "year": 2022, "venue": "OSDI", "venue_raw": "Proc. USENIX OSDI"},
            {"line": 12, "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
             "as_listed": "Efficient Memory Management for Large Language Model Serving with {PagedAttention}",
             "authors": ["Woosuk Kwon", "Zhuohan Li"], "year": 2023, "venue": "SOSP", "venue_raw": "ACM SOSP"},
        ],
    ),
    "concatenation": (
        [],
        [
            {"line": 3, "title": "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
             "as_listed": "{FlashAttention}: Fast and Memory-Efficient Exact Attention with {IO}-Awareness",
             "authors": ["Tri Dao"], "year": 2022, "venue": "NeurIPS",
             "venue_raw": "Proceedings of the Advances in Neural Information Processing Systems 35"},
        ],
    ),
    "month-macros": (
        [],
        [
            {"line": 1, "title": "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism",
             "as_listed": "{Megatron-LM}: Training Multi-Billion Parameter Language Models Using Model Parallelism",
             "authors": ["Mohammad Shoeybi", "Mostofa Patwary"], "year": 2019, "venue": "arXiv",
             "venue_raw": "arXiv preprint arXiv:1909.08053", "arxiv": "1909.08053"},
            {"line": 9, "title": "Fast Inference from Transformers via Speculative Decoding",
             "as_listed": "Fast Inference from Transformers via Speculative Decoding",
             "authors": ["Yaniv Leviathan"], "year": 2022, "venue": "arXiv", "arxiv": "2211.17192"},
        ],
    ),
    "latex-accents": (
        [],
        [
            {"line": 1, "title": "Café: Über Schrödinger's KV Cache & Straße at 50%",
             "as_listed": "Caf\\'{e}: {\\\"U}ber Schr\\\"odinger's {KV} Cache \\& Stra{\\ss}e at 50\\%",
             "authors": ["Jörg Müller", "Antonín Dvořák", "Søren Østergaard"], "year": 2024, "venue": "TMLR",
             "venue_raw": "Transactions on Machine Learning Research"},
            {"line": 8, "title": "PetS: A Unified Framework for Parameter-Efficient Transformers Serving",
             "as_listed": "{$\\{$PetS$\\}$}: A Unified Framework for {$\\{$Parameter-Efficient$\\}$} Transformers Serving",
             "authors": ["Zhe Zhou", "Xuechao Wei"], "year": 2022, "venue": "USENIX ATC",
             "venue_raw": "2022 USENIX Annual Technical Conference (USENIX ATC 22)"},
        ],
    ),
    "quoted-values": (
        [],
        [
            {"line": 1, "title": "FlexGen: High-Throughput Generative Inference of Large Language Models with a Single GPU",
             "as_listed": "{FlexGen}: High-Throughput Generative Inference of Large Language Models with a Single {GPU}",
             "authors": ["Ying Sheng", "Lianmin Zheng"], "year": 2023, "venue": "ICML",
             "venue_raw": "International Conference on Machine Learning",
             "paper": "https://proceedings.mlr.press/v202/sheng23a.html"},
            {"line": 9, "title": 'Why "Attention" Is Not Enough, Really',
             "as_listed": 'Why {"}Attention{"} Is Not Enough, {Really}', "year": 2023},
        ],
    ),
    "multiline-values": (
        [],
        [
            {"line": 1, "title": "Scaling Laws for Neural Language Models", "as_listed": "Scaling Laws for Neural Language Models",
             "authors": ["Jared Kaplan", "Sam McCandlish"], "year": 2020, "venue": "arXiv", "venue_raw": "CoRR",
             "arxiv": "2001.08361"},
        ],
    ),
    "uppercase-types": (
        [],
        [
            {"line": 1, "title": "DeepSpeed-Inference: Enabling Efficient Inference of Transformer Models at Unprecedented Scale",
             "as_listed": "{DeepSpeed-Inference}: Enabling Efficient Inference of Transformer Models at Unprecedented Scale",
             "authors": ["Reza Yazdani Aminabadi"], "year": 2022, "venue": "SC",
             "venue_raw": "Proceedings of the International Conference for High Performance Computing, Networking, "
             "Storage and Analysis", "doi": "10.1109/SC41404.2022.00051"},
            {"line": 9, "title": "Efficiently Scaling Transformer Inference", "as_listed": "Efficiently Scaling Transformer Inference",
             "authors": ["Reiner Pope"], "year": 2023, "venue": "MLSys", "venue_raw": "Proceedings of Machine Learning and Systems"},
        ],
    ),
    "keys-slash-dot": (
        [],
        [
            {"line": 1, "title": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
             "as_listed": "Efficient Memory Management for Large Language Model Serving with PagedAttention",
             "year": 2023, "venue": "SOSP", "venue_raw": "Symposium on Operating Systems Principles",
             "doi": "10.1145/3600006.3613165"},
            {"line": 8, "title": "vLLM: Easy, Fast, and Cheap LLM Serving", "as_listed": "{vLLM}: Easy, Fast, and Cheap {LLM} Serving",
             "type": "tool", "year": 2023, "code": "https://github.com/vllm-project/vllm"},
        ],
    ),
    "corporate-authors": (
        [],
        [
            {"line": 1, "title": "TensorRT-LLM", "as_listed": "{TensorRT-LLM}", "type": "tool", "authors": ["NVIDIA Corporation"],
             "year": 2023, "code": "https://github.com/NVIDIA/TensorRT-LLM"},
            {"line": 9, "title": "GPT-4 Technical Report", "as_listed": "{GPT-4} Technical Report",
             "authors": ["OpenAI", "Josh Achiam", "Barnes and Noble Research"], "year": 2023, "venue": "arXiv",
             "arxiv": "2303.08774"},
        ],
    ),
    "duplicate-keys": (
        [
            (7, E, "duplicate key 'leviathan2023' (first on line 1); entry skipped. Give each entry its own key, "
             "or pass --keep-first to import the first only"),
            (14, E, "duplicate key 'Leviathan2023' (first on line 1); entry skipped. Give each entry its own key, "
             "or pass --keep-first to import the first only"),
        ],
        [
            {"line": 1, "title": "Fast Inference from Transformers via Speculative Decoding",
             "as_listed": "Fast Inference from Transformers via Speculative Decoding", "year": 2023, "venue": "ICML",
             "venue_raw": "International Conference on Machine Learning"},
        ],
    ),
    "duplicate-fields": (
        [
            (1, E, "entry 'xiao2024streamingllm' gives a field twice: 'title' (lines 2, 3); 'year' (lines 5, 6); "
             "entry skipped. Keep one value, or pass --keep-first to use the first"),
        ],
        [],
    ),
    "unbalanced-braces": (
        [
            (1, E, "entry 'ainslie2023gqa' could not be read: it does not end before the next entry: a '{' is not closed; "
             "entry skipped"),
            (14, E, "entry 'brace-in-quotes': field 'title' has a '{' that is never closed; entry skipped"),
        ],
        [
            {"line": 7, "title": "Fast Transformer Decoding: One Write-Head is All You Need",
             "as_listed": "Fast Transformer Decoding: One Write-Head is All You Need", "authors": ["Noam Shazeer"],
             "year": 2019, "venue": "arXiv", "venue_raw": "arXiv preprint arXiv:1911.02150", "arxiv": "1911.02150"},
        ],
    ),
    "missing-comma": (
        [
            (1, E, "entry 'frantar2023sparsegpt': field 'title' runs into 'author = …' (a missing comma?); entry skipped"),
            (8, E, "entry 'dettmers2022llmint8': field 'year' runs into 'doi = …' (a missing comma?); entry skipped"),
        ],
        [
            {"line": 15, "title": "SmoothQuant: Accurate and Efficient Post-Training Quantization for Large Language Models",
             "as_listed": "{SmoothQuant}: Accurate and Efficient Post-Training Quantization for Large Language Models",
             "year": 2023, "venue": "ICML", "venue_raw": "International Conference on Machine Learning"},
        ],
    ),
    "swallowed-field": (
        [(1, E, "entry 'zhang2023h2o': field 'title' runs into 'journal = …' (a missing '}' or comma?); entry skipped")],
        [],
    ),
    "stray-brace": (
        [
            (1, E, "entry 'sheng2024slora' ends early at a stray '}' on line 2: booktitle, year after it were not read; "
             "entry skipped"),
            (11, W, "stray '}' after entry 'chen2024punica' ignored"),
        ],
        [
            {"line": 7, "title": "Punica: Multi-Tenant LoRA Serving", "as_listed": "Punica: Multi-Tenant {LoRA} Serving",
             "year": 2024, "venue": "MLSys", "venue_raw": "Conference on Machine Learning and Systems"},
        ],
    ),
    "missing-key": (
        [
            (1, E, "entry could not be read: it has no citation key (or no comma after it); entry skipped"),
            (7, E, "entry has no citation key; entry skipped"),
        ],
        [{"line": 13, "title": "Splitwise", "as_listed": "Splitwise", "year": 2024}],
    ),
    "undefined-macro": (
        [
            (3, W, "entry 'zheng2024sglang': undefined macro 'neurips' in field 'booktitle' (kept as text)"),
            (9, W, "entry 'lin2024awq': undefined macro 'yr2024' in field 'booktitle' (kept as text)"),
        ],
        [
            {"line": 3, "title": "SGLang: Efficient Execution of Structured Language Model Programs",
             "as_listed": "{SGLang}: Efficient Execution of Structured Language Model Programs", "year": 2024,
             "venue": "NeurIPS", "venue_raw": "neurips"},
            {"line": 9, "title": "AWQ: Activation-aware Weight Quantization for On-Device LLM Compression and Acceleration",
             "as_listed": "{AWQ}: Activation-aware Weight Quantization for On-Device {LLM} Compression and Acceleration",
             "year": 2024, "venue_raw": "Conference on Machine Learning and Systems yr2024"},
        ],
    ),
    "arxiv-forms": (
        [],
        [
            {"line": 1, "title": "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads",
             "as_listed": "Medusa: Simple {LLM} Inference Acceleration Framework with Multiple Decoding Heads",
             "year": 2024, "venue": "arXiv", "arxiv": "2401.10774"},
            {"line": 8, "title": "EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty",
             "as_listed": "{EAGLE}: Speculative Sampling Requires Rethinking Feature Uncertainty", "year": 2024,
             "venue": "arXiv", "venue_raw": "arXiv preprint arXiv:2401.15077", "arxiv": "2401.15077"},
            {"line": 14, "title": "Mixtral of Experts", "as_listed": "Mixtral of Experts", "year": 2024, "venue": "arXiv",
             "venue_raw": "CoRR", "arxiv": "2401.04088"},
            {"line": 23, "title": "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
             "as_listed": "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", "year": 2023,
             "venue": "arXiv", "venue_raw": "arXiv", "arxiv": "2312.00752"},
            {"line": 31, "title": "QLoRA: Efficient Finetuning of Quantized LLMs", "as_listed": "{QLoRA}: Efficient Finetuning of Quantized {LLMs}",
             "year": 2023, "venue": "NeurIPS", "venue_raw": "Advances in Neural Information Processing Systems",
             "arxiv": "2305.14314", "doi": "10.5555/3666122.3666563"},
            {"line": 40, "title": "Llama 2: Open Foundation and Fine-Tuned Chat Models",
             "as_listed": "Llama 2: Open Foundation and Fine-Tuned Chat Models", "authors": ["Hugo Touvron", "Louis Martin"],
             "year": 2023, "venue": "arXiv", "arxiv": "2307.09288"},
        ],
    ),
    "bad-values": (
        [
            (1, W, "entry 'bad-values': year 'to appear' is not a 4-digit year; ignored"),
            (1, W, "entry 'bad-values': doi 'not-a-doi' is not a DOI (10.xxxx/…); ignored"),
            (1, W, "entry 'bad-values': url 'javascript:alert(1)' is not an http(s) URL; ignored"),
        ],
        [{"line": 1, "title": "Orca", "as_listed": "Orca"}],
    ),
}  # fmt: skip
ORDER = list(CASES)  # every-oddity.bib holds the fixtures in this order, joined by blank lines


def shown(c: Candidate) -> dict:
    """The fields of a candidate that are set, as plain values (``list_name`` and ``key`` aside)."""
    out = {k: v for k, v in vars(c).items() if v not in (None, []) and k not in ("list_name", "key")}
    out["type"] = c.type.value
    if out["type"] == "paper":
        del out["type"]
    return out


def read(name: str):
    result = parse((BIB / f"{name}.bib").read_text(encoding="utf-8"), f"{name}.bib", VENUES)
    assert all(d.path == f"{name}.bib" for d in result.diagnostics)
    return [(d.line, d.severity.value, d.message) for d in result.diagnostics], [shown(c) for c in result.candidates]


@pytest.mark.parametrize("name", ORDER, ids=ORDER)
def test_each_oddity(name):
    diagnostics, candidates = read(name)
    assert diagnostics == CASES[name][0]
    assert candidates == CASES[name][1]


@pytest.mark.parametrize("name", [*ORDER, "every-oddity", "llmpapers-export"])
def test_no_failed_block_vanishes(name):
    """Every block bibtexparser sets aside is an error at its line."""
    text = (BIB / f"{name}.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text, parse_stack=[])
    result = parse(text, name, VENUES)
    reported = {d.line for d in result.diagnostics}
    for block in library.failed_blocks:
        assert block.start_line + 1 in reported, block


def test_every_oddity_file():
    texts = [(BIB / f"{name}.bib").read_text(encoding="utf-8") for name in ORDER]
    assert (BIB / "every-oddity.bib").read_text(encoding="utf-8") == "\n".join(texts), "regenerate every-oddity.bib"
    diagnostics, candidates = read("every-oddity")
    assert [(line, message) for line, _, message in diagnostics] == [
        (
            135,
            "duplicate key 'leviathan2023' (first on line 129); entry skipped. Give each entry its own key, "
            "or pass --keep-first to import the first only",
        ),
        (
            142,
            "duplicate key 'Leviathan2023' (first on line 129); entry skipped. Give each entry its own key, "
            "or pass --keep-first to import the first only",
        ),
        (
            149,
            "entry 'xiao2024streamingllm' gives a field twice: 'title' (lines 150, 151); 'year' (lines 153, 154); "
            "entry skipped. Keep one value, or pass --keep-first to use the first",
        ),
        (
            157,
            "entry 'ainslie2023gqa' could not be read: it does not end before the next entry: a '{' is not closed; entry skipped",
        ),
        (170, "entry 'brace-in-quotes': field 'title' has a '{' that is never closed; entry skipped"),
        (175, "entry 'frantar2023sparsegpt': field 'title' runs into 'author = …' (a missing comma?); entry skipped"),
        (182, "entry 'dettmers2022llmint8': field 'year' runs into 'doi = …' (a missing comma?); entry skipped"),
        (195, "entry 'zhang2023h2o': field 'title' runs into 'journal = …' (a missing '}' or comma?); entry skipped"),
        (
            201,
            "entry 'sheng2024slora' ends early at a stray '}' on line 202: booktitle, year after it were not read; entry skipped",
        ),
        (211, "stray '}' after entry 'chen2024punica' ignored"),
        (213, "entry could not be read: it has no citation key (or no comma after it); entry skipped"),
        (219, "entry has no citation key; entry skipped"),
        (232, "entry 'zheng2024sglang': undefined macro 'neurips' in field 'booktitle' (kept as text)"),
        (238, "entry 'lin2024awq': undefined macro 'yr2024' in field 'booktitle' (kept as text)"),
        (292, "entry 'bad-values': year 'to appear' is not a 4-digit year; ignored"),
        (292, "entry 'bad-values': doi 'not-a-doi' is not a DOI (10.xxxx/…); ignored"),
        (292, "entry 'bad-values': url 'javascript:alert(1)' is not an http(s) URL; ignored"),
    ]
    assert [(c["line"], c["title"]) for c in candidates] == [
        (5, "Orca: A Distributed Serving System for Transformer-Based Generative Models"),
        (12, "Efficient Memory Management for Large Language Model Serving with PagedAttention"),
        (21, "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"),
        (28, "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism"),
        (36, "Fast Inference from Transformers via Speculative Decoding"),
        (46, "Café: Über Schrödinger's KV Cache & Straße at 50%"),
        (53, "PetS: A Unified Framework for Parameter-Efficient Transformers Serving"),
        (60, "FlexGen: High-Throughput Generative Inference of Large Language Models with a Single GPU"),
        (68, 'Why "Attention" Is Not Enough, Really'),
        (73, "Scaling Laws for Neural Language Models"),
        (84, "DeepSpeed-Inference: Enabling Efficient Inference of Transformer Models at Unprecedented Scale"),
        (92, "Efficiently Scaling Transformer Inference"),
        (99, "Efficient Memory Management for Large Language Model Serving with PagedAttention"),
        (106, "vLLM: Easy, Fast, and Cheap LLM Serving"),
        (112, "TensorRT-LLM"),
        (120, "GPT-4 Technical Report"),
        (129, "Fast Inference from Transformers via Speculative Decoding"),
        (163, "Fast Transformer Decoding: One Write-Head is All You Need"),
        (189, "SmoothQuant: Accurate and Efficient Post-Training Quantization for Large Language Models"),
        (207, "Punica: Multi-Tenant LoRA Serving"),
        (225, "Splitwise"),
        (232, "SGLang: Efficient Execution of Structured Language Model Programs"),
        (238, "AWQ: Activation-aware Weight Quantization for On-Device LLM Compression and Acceleration"),
        (244, "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads"),
        (251, "EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty"),
        (257, "Mixtral of Experts"),
        (266, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"),
        (274, "QLoRA: Efficient Finetuning of Quantized LLMs"),
        (283, "Llama 2: Open Foundation and Fine-Tuned Chat Models"),
        (292, "Orca"),
    ]
    # The same as the fixtures one by one, shifted by where each starts in the combined file.
    offset, expected_diagnostics, expected_candidates = 0, [], []
    for name, text in zip(ORDER, texts, strict=True):
        lines_in = re.compile(r"(line |lines )(\d+)(?:, (\d+))?")
        for line, severity, message in CASES[name][0]:
            message = lines_in.sub(
                lambda m, o=offset: m.group(1) + ", ".join(str(int(n) + o) for n in m.groups()[1:] if n), message
            )
            expected_diagnostics.append((line + offset, severity, message))
        expected_candidates += [c | {"line": c["line"] + offset} for c in CASES[name][1]]
        offset += text.count("\n") + 1
    assert diagnostics == expected_diagnostics
    assert candidates == expected_candidates


def test_export_header_is_recognised():
    text = (BIB / "llmpapers-export.bib").read_text(encoding="utf-8")
    assert is_llmpapers_export(text)
    assert not is_llmpapers_export((BIB / "every-oddity.bib").read_text(encoding="utf-8"))
    result = parse(text, "all.bib", VENUES)
    assert not result.diagnostics and len(result.candidates) == 1
    if hasattr(result, "exported"):
        assert result.exported is True
    if hasattr(Candidate, "key"):
        assert result.candidates[0].key == "orca"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("@article{x, title = " + "{" * 20000, id="20000-open-braces"),
        pytest.param("@article{x, title = {" + "a" * 1_000_000 + "}}", id="1MB-title"),
        pytest.param("}" * 20000 + "\n@article{y, title = {T}}", id="20000-stray-braces"),
        pytest.param("@article{x,\n" + "title = {a},\n" * 20000 + "}", id="20000-duplicate-fields"),
        pytest.param("@article{z, title = " + " # ".join(["undefined"] * 5000) + "}", id="5000-undefined-macros"),
    ],
)
def test_hostile_input_is_bounded(text):
    start = time.perf_counter()
    result = parse(text, "h.bib", VENUES)
    assert time.perf_counter() - start < 5
    assert result.candidates or any(d.is_error for d in result.diagnostics)
    assert len(result.diagnostics) <= 2  # one per problem, not one per repetition


# --- round trip: export -> parse ----------------------------------------------------------------------------


def rec(rid: str, **fields) -> Record:
    data = {"id": rid, "type": "paper", "title": "T", "categories": ["serving"], "added": "2026-01-01"}
    data["sources"] = [{"list": "test", "as_listed": fields.get("title", "T")}]
    return Record.model_validate(data | fields)


ROUND_TRIP = [
    rec("orca", title="Orca: A Distributed Serving System for Transformer-Based Generative Models", short_name="Orca",
        authors=["Gyeong-In Yu", "Joo Seong Jeong"], year=2022, venue="OSDI",
        links={"paper": "https://www.usenix.org/system/files/osdi22-yu.pdf"}),
    rec("pagedattention", title="Efficient Memory Management for Large Language Model Serving with PagedAttention",
        authors=["Woosuk Kwon"], year=2023, venue="SOSP", links={"arxiv": "2309.06180", "doi": "10.1145/3600006.3613165"}),
    rec("flashattention-2", title="FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning",
        authors=["Tri Dao"], year=2024, venue="ICLR", links={"arxiv": "2307.08691"}),
    rec("medusa", title="Medusa: Simple LLM Inference Acceleration Framework", year=2024, venue="arXiv",
        links={"arxiv": "2401.10774"}),
    rec("old-style", title="A Paper with an Old arXiv Id", year=2001, venue="arXiv", links={"arxiv": "cs/0112017"}),
    rec("vldb-paper", title="Journal Paper on KV-Cache I/O", year=2023, venue="VLDB", authors=["Ana María Núñez"]),
    rec("mapl", title="TVM: A Workshop Paper", year=2018, venue="MAPL", authors=["Tianqi Chen"]),
    rec("eprint", title="Secure Inference", year=2023, venue="IACR ePrint", links={"paper": "https://eprint.iacr.org/2023/1"}),
    rec("vllm", type="tool", title="vLLM: Easy, Fast, and Cheap LLM Serving", year=2023,
        links={"code": "https://github.com/vllm-project/vllm"}),
    rec("tensorrt-llm", type="tool", title="TensorRT-LLM", authors=["NVIDIA Corporation", "Meta AI", "Barnes and Noble"],
        links={"code": "https://github.com/NVIDIA/TensorRT-LLM"}),
    rec("llama-2-7b", type="model", title="Llama 2 7B", year=2023, links={"project": "https://huggingface.co/meta-llama/Llama-2-7b"}),
    rec("h100", type="hardware", title="NVIDIA H100 Tensor Core GPU", links={"project": "https://www.nvidia.com/h100/"}),
    rec("blog", type="article", title="How Continuous Batching Enables 23x Throughput", year=2023,
        links={"paper": "https://www.anyscale.com/blog/continuous-batching"}),
    rec("hostile-1", title="Foo}, note = {X", authors=["Mallory {Evil} O'Brien"], year=2020),
    rec("hostile-2", title="a lone { brace and 100% of $5 & #1 under_score ~ ^ \\ <x> |y| -- '' ``", year=2020),
    rec("hostile-3", title="@misc{evil, title = {pwned}}", authors=["Smith, John"], year=2021, venue="OSDI"),
]  # fmt: skip


def test_export_then_parse_keeps_every_identifying_field():
    text = to_bibtex(ROUND_TRIP, VENUE_LIST)
    result = parse(text, "all.bib", VENUES)
    assert result.diagnostics == []
    by_record = sorted(ROUND_TRIP, key=lambda r: r.id)
    assert len(result.candidates) == len(by_record)
    for record, c in zip(by_record, result.candidates, strict=True):
        venue = record.venue or ("arXiv" if record.links.arxiv and record.type.value == "paper" else None)
        assert (c.title, c.authors, c.year, c.venue, c.arxiv, c.doi, c.type) == (
            record.title,
            record.authors,
            record.year,
            venue,
            record.links.arxiv,
            record.links.doi,
            record.type,
        ), record.id
        if hasattr(c, "key"):
            assert c.key == record.id


def test_every_venue_survives_the_round_trip():
    records = [rec(f"v{i}", title=f"Paper {i}", year=2023, venue=v.name) for i, v in enumerate(VENUE_LIST)]
    result = parse(to_bibtex(records, VENUE_LIST), "all.bib", VENUES)
    by_id = {r.id: r for r in records}
    keys = sorted(by_id)
    assert [c.venue for c in result.candidates] == [by_id[k].venue for k in keys]


def test_random_titles_and_authors_survive_the_round_trip():
    alphabet = "aZ9 {}\\%&#$_~^<>|\"'`-.,:;=@()[]!?éß—"
    rnd = random.Random(5)

    def text() -> str:
        words = ("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 7))) for _ in range(5))
        return " ".join(" ".join(words).split()).strip() or "x"

    records = [rec(f"r{i:03d}", title=text(), authors=[text(), text()], year=2020) for i in range(300)]
    result = parse(to_bibtex(records, VENUE_LIST), "all.bib", VENUES)
    assert result.diagnostics == []
    for record, c in zip(records, result.candidates, strict=True):
        assert (c.title, c.authors) == (record.title, record.authors)


def test_keep_first_turns_repeats_into_warnings():
    for name, expected in (
        ("duplicate-keys", [(7, W), (14, W)]),
        ("duplicate-fields", [(1, W), (1, W)]),
    ):
        result = parse((BIB / f"{name}.bib").read_text(encoding="utf-8"), name, VENUES, keep_first=True)
        assert [(d.line, d.severity.value) for d in result.diagnostics] == expected
        assert result.candidates[0].line == 1 and len(result.candidates) == 1
    (c,) = parse((BIB / "duplicate-fields.bib").read_text(encoding="utf-8"), "f", VENUES, keep_first=True).candidates
    assert (c.title, c.year) == ("Efficient Streaming Language Models with Attention Sinks", 2024)
