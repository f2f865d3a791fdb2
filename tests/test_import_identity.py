"""Identity on import as real lists exercise it: shared landing pages, wrong arXiv ids, arXiv DOIs, a tool's
repository, a paper whose only link is its code. Each case is a small list written here in the format the
failing real list used (titles, ids and links are real facts; the lists are ours)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_record
from llmpapers.cli import main

RECORDS = Path(__file__).parent / "fixtures" / "records"  # one citable paper and its tool, as records
PAGED = (RECORDS / "pagedattention.yaml").read_text(encoding="utf-8")
VLLM = (RECORDS / "vllm.yaml").read_text(encoding="utf-8")

LIST = """\
# LLM serving papers

## OSDI 2024

- [Llumnix: Dynamic Scheduling for Large Language Model Serving](https://www.usenix.org/conference/osdi24/technical-sessions)
- [ServerlessLLM: Low-Latency Serverless Inference for Large Language Models](https://www.usenix.org/conference/osdi24/technical-sessions)

## Wrong ids

- [Orca: A Distributed Serving System for Transformer-Based Generative Models](https://arxiv.org/abs/2309.06180)

## Code only

- [vLLM: Efficient Memory Management for Large Language Model Serving with PagedAttention](https://github.com/vllm-project/vllm)
- [vLLM](https://github.com/vllm-project/vllm/tree/main)
"""


def _db(copy_fixture):
    data = copy_fixture("valid")
    write_record(data, "pagedattention", PAGED)
    write_record(data, "vllm", VLLM)
    return data


def test_a_real_lists_traps_are_reported_not_merged(copy_fixture, runner, tmp_path):
    data = _db(copy_fixture)
    listing = tmp_path / "serving.md"
    listing.write_text(LIST, encoding="utf-8")
    result = runner.invoke(main, ["import", "awesome", str(listing), "--data", "valid", "--dry-run"])
    out = result.output
    assert result.exit_code == 0, out
    # the program page two papers share is no identity, and each is told so at its line
    assert "serving.md:5: warning: https://www.usenix.org/conference/osdi24/technical-sessions is the link of 2" in out
    assert "serving.md:6: warning:" in out
    assert "  new        llumnix" in out and "  new        serverlessllm" in out
    # Orca under PagedAttention's arXiv id: a conflict at its line, never an Orca alias on PagedAttention
    assert "  conflict   pagedattention               line 10:" in out
    assert (
        "serving.md:10: warning: 'Orca: A Distributed Serving System for Transformer-Based Gen' not imported: "
        "same arXiv id 2309.06180, but its title shares almost nothing with 'Efficient Memory" in out
    )
    # PagedAttention's title under the name vLLM, linked to its code, is the paper; the repository is the tool
    assert "  merge      pagedattention               line 14: same title without prefix" in out
    assert "  merge      vllm                         line 15: same repository" in out
    assert "1 conflict(s) not imported" in out
    assert not (data / "records" / "llumnix.yaml").exists()  # a dry run writes nothing


BIB = """\
@misc{kwon2023efficient,
  title = {Efficient Memory Management for Large Language Model Serving with PagedAttention},
  author = {Kwon, Woosuk and Li, Zhuohan},
  publisher = {arXiv},
  doi = {10.48550/ARXIV.2309.06180},
  year = {2023}
}
"""


def test_an_arxiv_doi_is_the_arxiv_id(copy_fixture, runner, tmp_path):
    _db(copy_fixture)
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    result = runner.invoke(main, ["import", "bibtex", str(bib), "--data", "valid", "--dry-run"])
    assert "  merge      pagedattention               line 1: same arXiv id 2309.06180" in result.output


def test_importing_twice_changes_nothing(copy_fixture, runner, tmp_path):
    _db(copy_fixture)
    listing = tmp_path / "serving.md"
    listing.write_text(LIST, encoding="utf-8")
    first = runner.invoke(main, ["import", "awesome", str(listing), "--data", "valid", "--added", "2026-11-22"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["import", "awesome", str(listing), "--data", "valid", "--dry-run"])
    assert "0 new, 0 merged" in again.output and "wrote" not in again.output, again.output
