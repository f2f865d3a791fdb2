"""Exports: BibTeX entry types, keys, case protection and escaping; JSON; Markdown; the export commands."""

from __future__ import annotations

import html
import json
import random

import bibtexparser
import markdown
import pytest

from conftest import TAXONOMY
from conftest import make_record as rec
from llmpapers.cli import main
from llmpapers.db.models import Record
from llmpapers.db.schema import record_schema
from llmpapers.db.store import load_categories, load_venues
from llmpapers.ingest.latex import latex_to_text, protect_title
from llmpapers.publish.export import bibtex_entry, citation_keys, md_escape, to_bibtex, to_json, to_markdown

VENUES = load_venues(TAXONOMY)[0]
CATEGORIES = load_categories(TAXONOMY)[0]


def parsed(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_conference_entry_exact():
    record = rec(
        "orca",
        title="Orca: A Distributed Serving System for Transformer-Based Generative Models",
        short_name="Orca",
        authors=["Gyeong-In Yu", "NVIDIA Corporation"],
        year=2022,
        venue="OSDI",
        links={"paper": "https://www.usenix.org/system/files/osdi22-yu.pdf", "doi": "10.5555/3600006.3613165"},
    )
    assert bibtex_entry(record, "orca", VENUES) == (
        "@inproceedings{orca,\n"
        "  title = {{Orca}: A Distributed Serving System for Transformer-Based Generative Models},\n"
        "  author = {Gyeong-In Yu and {NVIDIA Corporation}},\n"
        "  booktitle = {USENIX Symposium on Operating Systems Design and Implementation},\n"
        "  year = {2022},\n"
        "  doi = {10.5555/3600006.3613165},\n"
        "  url = {https://www.usenix.org/system/files/osdi22-yu.pdf}\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("fields", "entry_type", "expected"),
    [
        pytest.param(
            {"venue": "SOSP"},
            "inproceedings",
            {"booktitle": "ACM Symposium on Operating Systems Principles", "publisher": "ACM"},
            id="conference",
        ),
        pytest.param(
            {"venue": "MAPL"},
            "inproceedings",
            {"booktitle": "ACM SIGPLAN International Workshop on Machine Learning and Programming Languages"},
            id="workshop",
        ),
        pytest.param({"venue": "VLDB"}, "article", {"journal": "Proceedings of the VLDB Endowment"}, id="journal"),
        pytest.param(
            {"venue": "arXiv", "links": {"arxiv": "2309.06180"}},
            "misc",
            {"eprint": "2309.06180", "archivePrefix": "arXiv", "url": "https://arxiv.org/abs/2309.06180"},
            id="arxiv",
        ),
        pytest.param(
            {"venue": "arXiv", "links": {"paper": "https://x.org/p"}},
            "misc",
            {"howpublished": "arXiv preprint", "url": "https://x.org/p"},
            id="arxiv-venue-without-id",
        ),
        pytest.param(
            {"links": {"arxiv": "2309.06180"}},
            "misc",
            {"eprint": "2309.06180", "archivePrefix": "arXiv", "url": "https://arxiv.org/abs/2309.06180"},
            id="arxiv-only-paper",
        ),
        pytest.param(
            {"venue": "IACR ePrint"}, "misc", {"howpublished": "Cryptology ePrint Archive"}, id="other-preprint-server"
        ),
        pytest.param(
            {"links": {"paper": "https://x.org/p"}}, "misc", {"url": "https://x.org/p"}, id="paper-without-venue"
        ),
        pytest.param(
            {"type": "tool", "links": {"code": "https://github.com/vllm-project/vllm", "paper": "https://x.org/p"}},
            "misc",
            {"howpublished": "Software", "url": "https://github.com/vllm-project/vllm"},
            id="tool",
        ),
        pytest.param(
            {"type": "model", "links": {"project": "https://huggingface.co/m/m", "code": "https://github.com/m/m"}},
            "misc",
            {"howpublished": "Model", "url": "https://huggingface.co/m/m"},
            id="model",
        ),
        pytest.param(
            {"type": "hardware", "links": {"project": "https://nvidia.com/h100"}},
            "misc",
            {"howpublished": "Hardware", "url": "https://nvidia.com/h100"},
            id="hardware",
        ),
        pytest.param(
            {"type": "article", "links": {"paper": "https://blog.x.org/post"}},
            "misc",
            {"howpublished": "Article", "url": "https://blog.x.org/post"},
            id="article",
        ),
        pytest.param(
            {"type": "tool", "venue": "OSDI", "links": {"arxiv": "2309.06180"}},
            "inproceedings",
            {
                "booktitle": "USENIX Symposium on Operating Systems Design and Implementation",
                "eprint": "2309.06180",
                "archivePrefix": "arXiv",
            },
            id="venue-wins-over-type",
        ),
    ],
)
def test_entry_types(fields, entry_type, expected):
    text = bibtex_entry(rec("k", year=2023, **fields), "k", VENUES)
    (entry,) = parsed(text).entries
    assert entry.entry_type == entry_type
    assert {f.key: f.value for f in entry.fields} == {"title": "A Title", "key": "A Title", "year": "2023"} | expected
    assert "primaryClass" not in text


def test_keys_are_ids_and_survive_edits():
    before = [rec("pagedattention", title="Efficient Memory Management", authors=["Woosuk Kwon"], year=2023)]
    after = [rec("pagedattention", title="Efficient Memory Management for LLM Serving", authors=["W. Kwon"], year=2024)]
    assert citation_keys(before) == citation_keys(after) == {"pagedattention": "pagedattention"}
    assert citation_keys([rec("flashattention-2"), rec("flashattention")]) == {
        "flashattention": "flashattention",
        "flashattention-2": "flashattention-2",
    }


def test_duplicate_ids_get_distinct_keys_in_any_input_order():
    records = [rec("a", title="First"), rec("a", title="Second"), rec("a-2", title="Other"), rec("b")]
    outputs = set()
    for seed in range(6):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        outputs.add(to_bibtex(shuffled, VENUES))
    (text,) = outputs  # one output, whatever the order of the input
    keys = [e.key for e in parsed(text).entries]
    assert keys == ["a", "a-3", "a-2", "b"]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("title", "short_name", "expected"),
    [
        ("vLLM: Easy, Fast, and Cheap LLM Serving", None, "{vLLM}: Easy, Fast, and Cheap {LLM} Serving"),
        ("FlashAttention-2: Faster Attention", None, "{FlashAttention-2}: Faster Attention"),
        ("Language Models are Few-Shot Learners (GPT-3)", None, "Language Models are Few-Shot Learners ({GPT-3})"),
        ("Serving on A100 GPUs with I/O", None, "Serving on {A100} {GPUs} with {I/O}"),
        ("Transformer-Based Models in C++", None, "Transformer-Based Models in {C}++"),
        ("Serving with Orca", "Orca", "Serving with {Orca}"),
        ("Orcas are not Orca", "Orca", "Orcas are not {Orca}"),
    ],
)
def test_capitals_are_protected(title, short_name, expected):
    assert protect_title(title, [short_name] if short_name else []) == expected
    assert latex_to_text(expected) == title


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Foo}, note = {X", id="field-injection"),
        pytest.param("a lone { brace", id="lone-open-brace"),
        pytest.param("a lone } brace", id="lone-close-brace"),
        pytest.param("back\\slash \\} and \\{ and \\", id="backslashes"),
        pytest.param("100% of $5 & #1 under_score ~tilde^ <x> |bar|", id="specials"),
        pytest.param("Quotes \"inside\", -- dashes --- and `` ticks ''", id="quotes-and-dashes"),
        pytest.param("@article{evil, title={x}}", id="entry-in-title"),
    ],
)
def test_no_value_breaks_out_of_its_field(title):
    record = rec("k", title=title, authors=[title, "Ada Lovelace"], year=2020)
    text = to_bibtex([record], VENUES)
    (entry,) = parsed(text).entries
    assert [f.key for f in entry.fields] == ["title", "author", "year"]
    assert latex_to_text(entry["title"]) == title
    assert text.count("{") == text.count("}")


def test_escaping_round_trips_random_text():
    alphabet = "aZ9 {}\\%&#$_~^<>|\"'`-.,:;=@()[]!?éß—"
    rnd = random.Random(9)
    for _ in range(2000):
        title = " ".join("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))) for _ in range(4)).split()
        title = " ".join(title) or "x"  # BibTeX collapses runs of spaces: titles have single spaces
        value = protect_title(title)
        assert latex_to_text(value) == title, (title, value)
        (entry,) = parsed(f"@misc{{k,\n  title = {{{value}}},\n  year = {{2020}}\n}}\n").entries
        assert entry["title"] == value and entry["year"] == "2020"


def test_json_is_the_database_and_validates():
    records = [
        rec("orca", title="Orca </script><b>&amp;", venue="OSDI", year=2022),
        rec("b", type="tool", links={"code": "https://github.com/a/b"}, categories=["kv-cache", "serving"]),
    ]
    text = to_json(records, CATEGORIES, VENUES)
    assert text == to_json(records[::-1], CATEGORIES, VENUES)
    assert not any(c in text for c in "<>&\u2028")
    data = json.loads(text)
    assert list(data) == ["version", "records", "categories", "venues"] and data["version"] == 1
    assert [r["id"] for r in data["records"]] == ["b", "orca"]
    assert data["records"][1]["title"] == "Orca </script><b>&amp;"
    assert [Record.model_validate(r) for r in data["records"]] == sorted(records, key=lambda r: r.id)
    schema = record_schema()
    for r in data["records"]:
        assert set(schema["required"]) <= set(r) <= set(schema["properties"])
    assert [c["slug"] for c in data["categories"]] == [c.slug for c in CATEGORIES]
    assert data["venues"][1] == {
        "name": "OSDI",
        "full": "USENIX Symposium on Operating Systems Design and Implementation",
        "kind": "conference",
        "aliases": ["Proc.~USENIX OSDI", "USENIX OSDI"],
    }


HOSTILE = [
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "*bold* _it_ `code` ~~gone~~ $x$ &lt;b&gt; {: onclick=alert(1) }",
    "![img](https://x.org/a.png) [[wiki]] | cell |",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_markdown_escapes_record_text(title):
    links = {"paper": "https://x.org/p?a=(1)", "code": "https://github.com/a/b)c"}
    record = rec("h", title=title, short_name="<b>", venue="OSDI", year=2023, links=links)
    text = to_markdown([record], CATEGORIES)
    assert text.splitlines()[-1] == (
        f"- [{md_escape(title)}](https://x.org/p?a=%281%29) — **&lt;b&gt;** · OSDI 2023 · [code](https://github.com/a/b%29c)"
    )
    li = markdown.markdown(text, extensions=["attr_list", "tables"]).split("<li>")[-1]
    li = li.replace("&#126;", "~").replace("&#36;", "$").replace("&#124;", "|")  # numeric entities, shown as such
    assert li == (
        f'<a href="https://x.org/p?a=%281%29">{html.escape(title, quote=False)}</a> — <strong>&lt;b&gt;</strong>'
        ' · OSDI 2023 · <a href="https://github.com/a/b%29c">code</a></li>\n</ul>'
    )


def test_markdown_groups_by_primary_category_with_also_in():
    records = [
        rec("orca", title="Orca", venue="OSDI", year=2022, links={"paper": "https://x.org/orca"}),
        rec("pa", title="PagedAttention", year=2023, categories=["kv-cache", "serving"], links={"arxiv": "2309.06180"}),
        rec("vllm", type="tool", title="vLLM", year=2023, links={"code": "https://github.com/vllm-project/vllm"}),
    ]
    text = to_markdown(records, CATEGORIES)
    assert text == (
        "# LLM-systems papers\n\n"
        "<!-- Generated by `llmpapers export markdown` from data/: edit the records, not this file. -->\n\n"
        "3 entries in 2 categories.\n\n"
        "## Contents\n\n"
        "- [Inference &amp; serving](#inference--serving)\n"
        "  - [Serving systems](#serving-systems) (2)\n"
        "  - [KV cache](#kv-cache) (1)\n\n"
        "## Inference &amp; serving\n\n"
        "### Serving systems\n\n"
        f"*{md_escape(CATEGORIES[0].scope)}*\n\n"
        "- [vLLM](https://github.com/vllm-project/vllm) — 2023\n"
        "- [Orca](https://x.org/orca) — OSDI 2022\n\n"
        "### KV cache\n\n"
        f"*{md_escape(CATEGORIES[1].scope)}*\n\n"
        "- [PagedAttention](https://arxiv.org/abs/2309.06180) — 2023 · also in: Serving systems\n"
    )
    focused = to_markdown(records, CATEGORIES, title="Serving", focus="serving")
    assert "- [PagedAttention](https://arxiv.org/abs/2309.06180) — 2023 · also in: KV cache\n" in focused
    assert "### KV cache" not in focused


# --- the commands ---------------------------------------------------------------------------------------------


def test_export_bibtex_to_stdout_and_file(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["export", "bibtex", "--data", "valid"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("@comment{Exported by llmpapers: 1 entry.")
    assert "@inproceedings{orca," in result.stdout and result.stderr == ""
    result = runner.invoke(main, ["export", "bibtex", "--data", "valid", "-o", "out/all.bib"])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "wrote 1 entry to out/all.bib (371 bytes)\n"


@pytest.mark.parametrize(
    ("fmt", "orca"),
    [("bibtex", "@inproceedings{orca,"), ("json", '"id":"orca"'), ("markdown", "- [Orca: A Distributed")],
)
def test_export_category_filter(copy_fixture, runner, fmt, orca):
    copy_fixture("valid")
    kept = runner.invoke(main, ["export", fmt, "--data", "valid", "--category", "serving"])
    empty = runner.invoke(main, ["export", fmt, "--data", "valid", "--category", "kv-cache"])
    assert kept.exit_code == empty.exit_code == 0
    assert orca in kept.stdout and orca not in empty.stdout


def test_export_unknown_category_exits_2(copy_fixture, runner, tmp_path):
    copy_fixture("valid")
    result = runner.invoke(main, ["export", "json", "--data", "valid", "--category", "servng", "-o", "x.json"])
    assert result.exit_code == 2
    assert result.stderr.startswith("llmpapers: unknown category 'servng'; valid slugs: serving, kv-cache, ")
    assert not (tmp_path / "x.json").exists()


def test_export_refuses_invalid_data(copy_fixture, runner, tmp_path):
    copy_fixture("invalid")
    result = runner.invoke(main, ["export", "markdown", "--data", "invalid", "-o", "README.md"])
    assert result.exit_code == 1
    assert "nothing exported" in result.output
    assert not (tmp_path / "README.md").exists()
