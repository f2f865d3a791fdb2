"""Text helpers for importers: repair, de-LaTeX, case, names and tags, URLs."""

from __future__ import annotations

import doctest

import pytest

from llmpapers.ingest import text as normalize
from llmpapers.ingest.latex import latex_to_text as strip_latex
from llmpapers.ingest.names import split_authors
from llmpapers.ingest.text import (
    clean_heading,
    clean_title,
    display_case,
    looks_like_name,
    repair_text,
    split_name,
    split_tag,
)
from llmpapers.ingest.urls import arxiv_id, classify_url, doi_from_url, safe_url


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(normalize)
    assert result.attempted > 20
    assert result.failed == 0


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        pytest.param("Who Says Elephants Can‚Äôt Run", "Who Says Elephants Can’t Run", id="curly-quote"),
        pytest.param("üëç", "👍", id="emoji-lost-lead-byte"),
        pytest.param("üìôAwesome", "📙Awesome", id="emoji-prefix"),
        pytest.param("¬©Ô∏èLicense", "©️License", id="copyright-variation-selector"),
        pytest.param("TensorRT-LLM‚Äôs Docs", "TensorRT-LLM’s Docs", id="apostrophe"),
        pytest.param("Mélange", "Mélange", id="correct-accent-kept"),
        pytest.param("Müller über", "Müller über", id="correct-umlaut-kept"),
        pytest.param("  Fast   Distributed\tServing \n", "Fast Distributed Serving", id="whitespace"),
        pytest.param("Evil\u202eTitle\u200b", "EvilTitle", id="invisible-removed"),
        pytest.param("S³ and H₂O", "S³ and H₂O", id="scripts-kept"),
    ],
)
def test_repair_text(raw: str, fixed: str) -> None:
    assert repair_text(raw) == fixed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param(
            "$\\{$PetS$\\}$: A Unified Framework for $\\{$Parameter-Efficient$\\}$ Transformers Serving",
            "PetS: A Unified Framework for Parameter-Efficient Transformers Serving",
            id="brace-protection",
        ),
        pytest.param(
            "$\\{$MArk$\\}$: Exploiting Cloud Services for $\\{$Cost-Effective$\\}$,$\\{$SLO-Aware$\\}$ Serving",
            "MArk: Exploiting Cloud Services for Cost-Effective, SLO-Aware Serving",
            id="comma-before-group",
        ),
        pytest.param(
            "Microsecond-scale preemption for concurrent $\\{$GPU-accelerated$\\}$$\\{$DNN$\\}$ inferences",
            "Microsecond-scale preemption for concurrent GPU-accelerated DNN inferences",
            id="adjacent-groups",
        ),
        pytest.param(
            "Accelerating Distributed $\\{MoE\\}$ Training", "Accelerating Distributed MoE Training", id="inner"
        ),
        pytest.param("S$^3$: Increasing GPU Utilization", "S³: Increasing GPU Utilization", id="superscript"),
        pytest.param("S$^{3}$: Increasing", "S³: Increasing", id="superscript-braced"),
        pytest.param("H $ \\_2 $ O: Heavy-Hitter Oracle", "H₂O: Heavy-Hitter Oracle", id="spaced-subscript"),
        pytest.param(
            "Self-attention Does Not Need O($n^2$) Memory", "Self-attention Does Not Need O(n²) Memory", id="n2"
        ),
        pytest.param("PanGu-$\\Sigma$: Towards", "PanGu-Σ: Towards", id="greek"),
        pytest.param(
            "Alpa: Inter- and {Intra-Operator} Parallelism", "Alpa: Inter- and Intra-Operator Parallelism", id="b"
        ),
        pytest.param("{vLLM} \\& friends", "vLLM & friends", id="ampersand"),
        pytest.param("Proc.~USENIX OSDI", "Proc. USENIX OSDI", id="tie"),
        pytest.param("~2x faster decoding", "~2x faster decoding", id="approx-tilde-kept"),
        pytest.param("pages 10--20", "pages 10–20", id="en-dash-range"),
        pytest.param("Mix--Ture of thought", "Mix--Ture of thought", id="double-hyphen-in-word-kept"),
        pytest.param("Caf\\'e", "Café", id="accent"),
        pytest.param("Costs \\$5 and \\$10", "Costs $5 and $10", id="literal-dollars"),
        pytest.param("LLM.int8(): 8-bit Matrix Multiplication", "LLM.int8(): 8-bit Matrix Multiplication", id="plain"),
    ],
)
def test_strip_latex(raw: str, clean: str) -> None:
    assert strip_latex(raw) == clean


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        pytest.param("FP8 FORMATS FOR DEEP LEARNING", "FP8 Formats for Deep Learning", id="digits-kept"),
        pytest.param(
            "EFFICIENT STREAMING LANGUAGE MODELS WITH ATTENTION SINKS",
            "Efficient Streaming Language Models with Attention Sinks",
            id="small-words",
        ),
        pytest.param(
            "SHEARED LLAMA: ACCELERATING LANGUAGE MODEL PRE-TRAINING VIA STRUCTURED PRUNING",
            "Sheared LLaMA: Accelerating Language Model Pre-Training via Structured Pruning",
            id="acronym-and-hyphen",
        ),
        pytest.param("A SURVEY: THE STATE OF THE ART", "A Survey: The State of the Art", id="after-colon"),
        pytest.param("WHO SAYS ELEPHANTS CAN’T RUN", "Who Says Elephants Can’t Run", id="contraction"),
        pytest.param("FLASHATTENTION ON GPUS AND TPUS", "Flashattention on GPUs and TPUs", id="plural-acronyms"),
        pytest.param("GPT-4 Technical Report", "GPT-4 Technical Report", id="mixed-case-untouched"),
        pytest.param("SARATHI", "SARATHI", id="one-word-untouched"),
        pytest.param("QUICK: Quantization-aware Kernels", "QUICK: Quantization-aware Kernels", id="name-in-caps"),
        pytest.param("Attention is All you Need", "Attention is All you Need", id="odd-case-untouched"),
    ],
)
def test_display_case(title: str, shown: str) -> None:
    assert display_case(title) == shown


def test_clean_title_combines_the_three() -> None:
    assert clean_title(" ROFORMER: ENHANCED  TRANSFORMER ") == "Roformer: Enhanced Transformer"
    assert clean_title("H $ \\_2 $ O: Heavy‚ÄôHitter") == "H₂O: Heavy’Hitter"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "[Continuous Batching] Orca: A Distributed", ("Continuous Batching", "Orca: A Distributed"), id="topic"
        ),
        pytest.param("[FlashAttention-2] Faster Attention", ("FlashAttention-2", "Faster Attention"), id="name"),
        pytest.param("[LLM.int8()] 8-bit Matrix", ("LLM.int8()", "8-bit Matrix"), id="parens-in-tag"),
        pytest.param("[Paper](https://x.org)", (None, "[Paper](https://x.org)"), id="link-is-not-a-tag"),
        pytest.param("[Tag]", (None, "[Tag]"), id="tag-alone"),
        pytest.param("Orca: A Distributed", (None, "Orca: A Distributed"), id="no-tag"),
    ],
)
def test_split_tag(title: str, expected: tuple[str | None, str]) -> None:
    assert split_tag(title) == expected


@pytest.mark.parametrize(
    ("title", "name"),
    [
        pytest.param("Orca: A Distributed Serving System", "Orca", id="orca"),
        pytest.param("GPT3.5: Fine-Tuning Language Models", "GPT3.5", id="dotted-version"),
        pytest.param("Llama 2: Open Foundation", "Llama 2", id="name-and-number"),
        pytest.param("FlashAttention-2: Faster Attention", "FlashAttention-2", id="hyphen-version"),
        pytest.param("PetS: A Unified Framework", "PetS", id="camel"),
        pytest.param("S³: Increasing GPU Utilization", "S³", id="superscript"),
        pytest.param("LLM.int8(): 8-bit Matrix Multiplication", "LLM.int8()", id="call"),
        pytest.param("Apache TVM Unity: a vision", "Apache TVM Unity", id="three-words-with-acronym"),
        pytest.param("MELTing point: Mobile Evaluation", "MELTing point", id="caps-prefix"),
        pytest.param("Transformer: Attention Is All You Need", "Transformer", id="one-word"),
        pytest.param("Inference without interference: Disaggregate llm inference", None, id="sentence"),
        pytest.param("Tool calling: Enhancing medication consultation", None, id="two-plain-words"),
        pytest.param("Deja Vu: Contextual Sparsity", None, id="two-capitalised-words"),
        pytest.param("Towards MoE Deployment: Mitigating", None, id="towards"),
        pytest.param("Compressing LLMs: The Truth is Rarely Pure", None, id="gerund"),
        pytest.param("LLM in a flash: Efficient Inference", None, id="small-words"),
        pytest.param("Small models, big insights: Leveraging", None, id="comma"),
        pytest.param("Survey: Large Language Models", None, id="generic-word"),
        pytest.param("Is the GPU Half-Empty or Half-Full? Practical Scheduling", None, id="no-colon"),
        pytest.param("Efficient Transformers: A Survey", None, id="plain-phrase"),
    ],
)
def test_split_name(title: str, name: str | None) -> None:
    found, rest = split_name(title)
    assert found == name
    assert rest == (title.split(": ", 1)[1] if name else title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Megatron-LM", True, id="hyphen"),
        pytest.param("WINT8/4", True, id="slash"),
        pytest.param("Continuous Batching", False, id="topic"),
        pytest.param("FLOP, I/O", False, id="list"),
        pytest.param("KV Cache FP8 + WINT4", False, id="long"),
        pytest.param("2023.05", False, id="date"),
        pytest.param("A" * 33, False, id="too-long"),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        pytest.param("Tri Dao, Daniel Y. Fu, Christopher Ré", ["Tri Dao", "Daniel Y. Fu", "Christopher Ré"], id="list"),
        pytest.param("Lianmin Zheng*, Ying Sheng*", ["Lianmin Zheng", "Ying Sheng"], id="stars"),
        pytest.param("Tri Dao", ["Tri Dao"], id="one"),
        pytest.param("Ludwig van Beethoven and Ada Lovelace", ["Ludwig van Beethoven", "Ada Lovelace"], id="and"),
        pytest.param("MELTing point: Mobile Evaluation of Language Transformers", [], id="a-title"),
        pytest.param("OSDI 2024", [], id="a-venue"),
        pytest.param("", [], id="empty"),
    ],
)
def test_split_authors(text: str, authors: list[str]) -> None:
    assert split_authors(text) == authors


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        pytest.param(
            "üìôAwesome LLM Inference Papers with Codes", "Awesome LLM Inference Papers with Codes", id="mojibake"
        ),
        pytest.param("¬©Ô∏èLicense", "License", id="copyright"),
        pytest.param("🚀 Serving 🚀", "Serving", id="emoji-both-sides"),
        pytest.param(":rocket: **Serving**", "Serving", id="shortcode-bold"),
        pytest.param("[Serving](#serving)", "Serving", id="link"),
        pytest.param("Compression (Quantization, Sparsity)", "Compression (Quantization, Sparsity)", id="parens"),
        pytest.param("LLM Inference/Serving", "LLM Inference/Serving", id="plain"),
    ],
)
def test_clean_heading(heading: str, section: str) -> None:
    assert clean_heading(heading) == section


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://arxiv.org/abs/2309.06180", "2309.06180", id="abs"),
        pytest.param("http://arxiv.org/abs/1706.03762", "1706.03762", id="http"),
        pytest.param("https://arxiv.org/pdf/1909.08053.pdf", "1909.08053", id="pdf-suffix"),
        pytest.param("https://arxiv.org/pdf/2307.08691v2", "2307.08691", id="pdf-version"),
        pytest.param("https://arxiv.org/abs/2308.14352v1", "2308.14352", id="abs-version"),
        pytest.param("http://export.arxiv.org/abs/2305.05920", "2305.05920", id="export"),
        pytest.param("https://browse.arxiv.org/pdf/2306.00978.pdf", "2306.00978", id="browse"),
        pytest.param("https://www.arxiv.org/abs/1409.3215/", "1409.3215", id="www-slash"),
        pytest.param("https://arxiv.org/abs/cs/0112017", "cs/0112017", id="old-style"),
        pytest.param("https://arxiv.org/abs/2309.06180?context=cs", "2309.06180", id="query"),
        pytest.param("https://huggingface.co/papers/2309.06180", None, id="not-arxiv"),
        pytest.param("https://notarxiv.org/abs/2309.06180", None, id="lookalike-host"),
        pytest.param("javascript:arxiv.org/abs/2309.06180", None, id="javascript"),
        pytest.param("", None, id="empty"),
    ],
)
def test_arxiv_id(url: str, expected: str | None) -> None:
    assert arxiv_id(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://doi.org/10.1145/3600006.3613165", "10.1145/3600006.3613165", id="resolver"),
        pytest.param("http://dx.doi.org/10.1145/3600006.3613165", "10.1145/3600006.3613165", id="dx"),
        pytest.param("https://dl.acm.org/doi/10.1145/3600006.3613165", "10.1145/3600006.3613165", id="acm"),
        pytest.param("https://dl.acm.org/doi/pdf/10.1145/3600006.3613165", "10.1145/3600006.3613165", id="acm-pdf"),
        pytest.param(
            "https://link.springer.com/article/10.1007/s11263-021-01453-z", "10.1007/s11263-021-01453-z", id="s"
        ),
        pytest.param("https://doi.org/10.5555%2F3295222", "10.5555/3295222", id="encoded"),
        pytest.param("https://www.usenix.org/conference/osdi22/presentation/yu", None, id="usenix"),
        pytest.param("https://doi.org/not-a-doi", None, id="not-a-doi"),
        pytest.param("ftp://doi.org/10.1145/1", None, id="ftp"),
    ],
)
def test_doi_from_url(url: str, expected: str | None) -> None:
    assert doi_from_url(url) == expected


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        pytest.param("https://arxiv.org/pdf/2309.06180.pdf", "arxiv", id="arxiv-pdf"),
        pytest.param("https://dl.acm.org/doi/10.1145/3600006.3613165", "doi", id="doi"),
        pytest.param("https://github.com/vllm-project/vllm", "code", id="github"),
        pytest.param("https://github.com/sgl-project/sglang/tree/main", "code", id="github-tree"),
        pytest.param("https://gitlab.com/group/project", "code", id="gitlab"),
        pytest.param("https://github.com/", "paper", id="github-home"),
        pytest.param("https://huggingface.co/Deci/DeciLM-6b", "project", id="huggingface"),
        pytest.param("https://nvidia.github.io/TensorRT-LLM/", "project", id="github-pages"),
        pytest.param("https://www.usenix.org/system/files/osdi22-yu.pdf", "pdf", id="pdf"),
        pytest.param("https://cdn.openai.com/research-covers/language_understanding_paper.PDF", "pdf", id="pdf-upper"),
        pytest.param("https://www.usenix.org/conference/osdi22/presentation/yu", "paper", id="page"),
        pytest.param("https://sites.google.com/view/medusa-llm", "paper", id="blog"),
    ],
)
def test_classify_url(url: str, kind: str) -> None:
    assert classify_url(url) == kind


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://arxiv.org/abs/1706.03762", "https://arxiv.org/abs/1706.03762", id="https"),
        pytest.param(" <http://example.org/a> ", "http://example.org/a", id="angle-brackets"),
        pytest.param("HTTPS://example.org/", "HTTPS://example.org/", id="upper-scheme"),
        pytest.param("javascript:alert(1)", None, id="javascript"),
        pytest.param("JavaScript:alert(1)", None, id="javascript-case"),
        pytest.param("data:text/html,<script>", None, id="data"),
        pytest.param("ftp://example.org/x", None, id="ftp"),
        pytest.param("#paperlist", None, id="anchor"),
        pytest.param("/relative/path", None, id="relative"),
        pytest.param("https://", None, id="no-host"),
        pytest.param("https://-bad.example", None, id="bad-host"),
        pytest.param("https://exa mple.org", None, id="space"),
        pytest.param("https://example.org/\u202e", None, id="bidi"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected
