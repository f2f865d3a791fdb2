"""The awesome-list styles real lists use (issue "Read real lists faithfully"), each read into every field it
carries. The fixture tests/fixtures/awesome/real-formats.md is ours, written in those styles; titles, authors,
ids and links in it are real facts."""

from __future__ import annotations

from pathlib import Path

from llmpapers.db.store import load_venues
from llmpapers.db.venues import VenueTable
from llmpapers.ingest.awesome import parse

FIXTURES = Path(__file__).parent / "fixtures"


TABLE = VenueTable(load_venues(FIXTURES.parent.parent / "data")[0])  # the real venue table: ACL Findings and all


def _read():
    text = (FIXTURES / "awesome" / "real-formats.md").read_text(encoding="utf-8")
    result = parse(text, "real-formats", TABLE)
    return {c.line: c for c in result.candidates}, [(d.line, d.severity.value, d.message) for d in result.diagnostics]


def test_bold_title_then_authors_links_date_and_badge():
    by_line, _ = _read()
    snap = by_line[5]
    assert snap.title == "SnapKV: LLM Knows What You are Looking for Before Generation"
    assert (snap.short_name, snap.arxiv, snap.code) == (
        "SnapKV",
        "2404.14469",
        "https://github.com/FasterDecoding/SnapKV",
    )
    assert snap.authors[0] == "Yuhong Li" and snap.authors[-1] == "Deming Chen" and len(snap.authors) == 9
    assert (snap.venue, snap.year, snap.date) == ("NeurIPS", 2024, "2024.04")  # the badge's venue and its year
    lingua = by_line[7]
    assert (lingua.venue, lingua.year, lingua.date) == ("ACL Findings", 2024, "2023.10")  # ``--`` is an escaped ``-``
    assert len(lingua.authors) == 7


def test_a_linked_name_keeps_the_rest_of_its_title_and_the_venue_after_the_bar():
    by_line, _ = _read()
    h2o, specinfer, fa3 = by_line[12], by_line[13], by_line[14]
    assert h2o.title == "H2O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models"
    assert (h2o.short_name, h2o.venue, h2o.year) == ("H2O", "NeurIPS", 2023)
    assert specinfer.title.endswith("Tree-based Speculative Inference and Verification")
    assert (specinfer.venue, specinfer.year) == ("ASPLOS", 2024)  # after a full-width bar
    assert fa3.title == "FlashAttention-3: Fast and Accurate Attention with Asynchrony and Low-precision"
    assert (fa3.authors, fa3.year) == (["Tri Dao"], 2024)


def test_table_decorations_become_fields_not_title():
    by_line, _ = _read()
    medusa = by_line[20]
    assert medusa.title == "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads"
    assert (medusa.short_name, medusa.date, medusa.arxiv) == ("Medusa", "2024.01", "2401.10774")
    assert medusa.code == "https://github.com/FasterDecoding/Medusa"


def test_reference_and_html_links_and_a_venue_written_into_the_title():
    by_line, _ = _read()
    assert by_line[24].arxiv == "2309.17453"
    assert by_line[25].title.startswith("Efficient Memory Management") and by_line[25].arxiv == "2309.06180"
    orca = by_line[26]
    assert orca.title == "Orca: A Distributed Serving System for Transformer-Based Generative Models"
    assert (orca.venue, orca.year) == ("OSDI", 2022)


def test_news_and_javascript_lines_are_not_works():
    by_line, problems = _read()
    assert 32 not in by_line and 33 not in by_line
    assert (32, "warning") in [(line, sev) for line, sev, _ in problems]
    assert (33, "error", "entry skipped: its only link is not an http(s) URL: 'javascript:alert(1)'") in problems


def test_more_real_styles():
    text = (
        "## Quantization\n\n"
        "- ZeroQuant: Efficient and Affordable Post-Training Quantization for Large-Scale Transformers <br> NeurIPS 2022"
        " [[Paper]](https://arxiv.org/abs/2206.01861) [[Code (DeepSpeed)]](https://github.com/microsoft/DeepSpeed)\n"
        "- **[2026.05.27]**\n"
        "  - Paper: [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n"
        "- :star: [Deja Vu: Contextual Sparsity for Efficient LLMs at Inference Time.](https://arxiv.org/abs/2310.17157)\n"
        "|2024.06|[KVMerger]Model Tells You Where to Merge: Adaptive KV Cache Merging for LLMs on Long-Context Tasks|"
        "[[pdf]](https://arxiv.org/pdf/2407.08454)|\n"
    )
    found = {c.title: c for c in parse(text, "more", TABLE).candidates}
    zq = found["ZeroQuant: Efficient and Affordable Post-Training Quantization for Large-Scale Transformers"]
    assert (zq.venue, zq.year, zq.arxiv, zq.code) == (
        "NeurIPS",
        2022,
        "2206.01861",
        "https://github.com/microsoft/DeepSpeed",
    )
    assert found["Periodic RoPE for Infinite Context LLMs"].short_name is None  # "Paper:" is a label, not a name
    assert "Deja Vu: Contextual Sparsity for Efficient LLMs at Inference Time" in found
    kv = found["Model Tells You Where to Merge: Adaptive KV Cache Merging for LLMs on Long-Context Tasks"]
    assert kv.short_name == "KVMerger"


def test_bibtex_note_urls_dashes_and_contributors():
    from llmpapers.ingest.bibtex import parse as parse_bib

    bib = (
        "@misc{a,\n title = {Serving---at Scale: A Note},\n"
        " author = {Doe, Jane and {The vLLM contributors} and contributors},\n"
        " note = {\\url{https://example.org/serving-note}},\n year = {2024}\n}\n"
    )
    (c,) = parse_bib(bib, "refs", TABLE).candidates
    assert (c.title, c.authors, c.paper) == (
        "Serving—at Scale: A Note",
        ["Jane Doe", "The vLLM contributors"],
        "https://example.org/serving-note",
    )


def test_contributing_add_example_works_on_the_database(tmp_path, runner):
    """CONTRIBUTING's first ``add`` example, run as written (dry run) on a copy of data/: a newcomer gets a record."""
    import re
    import shlex
    import shutil

    from llmpapers.cli import main

    root = FIXTURES.parent.parent
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("### With `llmpapers add`", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    first = re.sub(r"\\\n\s*", " ", block).splitlines()[0]
    args = shlex.split(first)[1:]  # without .venv/bin/llmpapers
    shutil.copytree(root / "data", tmp_path / "data")
    result = runner.invoke(main, [*args, "--data", str(tmp_path / "data"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "id: snapkv" in result.output and "possible duplicate" not in result.output


def test_what_a_title_links_to_says_what_the_work_is():
    text = (
        "## Reading\n\n"
        "- [Flash-Decoding for long-context inference](https://pytorch.org/blog/flash-decoding/)\n"
        "- [LLM Inference Performance Engineering: Best Practices](https://www.databricks.com/blog/llm-inference-performance-engineering-best-practices)\n"
        "- [vLLM documentation](https://docs.vllm.ai/en/latest/) [[code]](https://github.com/vllm-project/vllm)\n"
        "- [TensorRT-LLM](https://github.com/NVIDIA/TensorRT-LLM)\n"
        "- [Efficient Memory Management for Large Language Model Serving with PagedAttention](https://github.com/vllm-project/vllm)\n"
        "- [OCP Microscaling Formats (MX) v1.0 Specification](https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf)\n"
        "- [IEEE Standard for Floating-Point Arithmetic](https://ieeexplore.ieee.org/document/8766229)\n"
    )
    kinds = [c.type.value for c in parse(text, "types", TABLE).candidates]
    assert kinds == ["article", "article", "tool", "tool", "paper", "article", "article"]


def test_a_standard_in_a_bib_file_is_not_a_paper():
    from llmpapers.ingest.bibtex import parse as parse_bib

    bib = (
        "@standard{ieee754, title = {IEEE Standard for Floating-Point Arithmetic}, organization = {IEEE},"
        " year = {2019}, doi = {10.1109/IEEESTD.2019.8766229}}\n"
        "@misc{mx, title = {OCP Microscaling Formats (MX) v1.0 Specification},"
        " url = {https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf}}\n"
        "@article{fp8, title = {FP8 Formats for Deep Learning}, journal = {arXiv preprint arXiv:2209.05433}, year = {2022}}\n"
    )
    assert [c.type.value for c in parse_bib(bib, "refs", TABLE).candidates] == ["article", "article", "paper"]


def test_a_hand_kept_bib_file_costs_only_its_bad_entries(tmp_path, runner):
    """What the d2l, cs249r and smallfry bibliographies held: a work older than our years, ``2023a``, an empty
    year, a DOI pasted with HTML and arXiv's caption, one title for two works of one author. Imported into a
    copy of data/: the bad entry is named at its line and skipped, every other entry lands, and importing the
    file again changes nothing."""
    import shutil

    from llmpapers.cli import main

    shutil.copytree(FIXTURES.parent.parent / "data", tmp_path / "data")
    bib = FIXTURES / "bibtex" / "hand-kept.bib"
    args = ["import", "bibtex", str(bib), "--data", str(tmp_path / "data")]
    first = runner.invoke(main, args)
    assert first.exit_code == 1, first.output
    assert (
        "hand-kept.bib:4: 'Les Nouvelles Idées sur la Structure du Système Nerveux chez' not imported: " in first.output
    )
    assert "year 1894 is outside 1940.." in first.output
    assert "2023a" not in first.output and "year ''" not in first.output
    assert "merge      llama " in first.output
    assert "doi: text after '10.48550/arXiv.2103.14749' ignored" in first.output
    assert "4 new, 1 merged" in first.output and "internal error" not in first.output
    records = tmp_path / "data" / "records"
    assert "arxiv: '2103.14749'" in (records / "pervasive-label-errors.yaml").read_text()
    science, book = (records / "dynamic-programming.yaml").read_text(), (records / "dynamic-programming-1957.yaml")
    assert "year: 1966" in science and "year: 1957" in book.read_text()
    again = runner.invoke(main, args)
    assert "0 new, 0 merged, 5 unchanged" in again.output, again.output
    assert book.read_text().count("- list: hand-kept") == 1  # the 1966 listing did not land on the 1957 book
