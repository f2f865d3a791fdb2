"""Hostile input, round two: the messages. Each mistake is named at its exact place, says what to do, and
causes no false follow-on error in another file. Through the real loader and the real CLI."""

from __future__ import annotations

import pytest

from conftest import ROOT, write_record
from llmpapers.cli import main
from llmpapers.db.store import load_record
from llmpapers.db.yamlio import YamlProblems, load_text

BASE = "id: x\ntype: paper\ntitle: T\ncategories: [serving]\nsources: [{list: m, as_listed: T}]\nadded: 2026-11-22\n"
COMMENT = (
    "'#' starts a YAML comment here, and comments are not kept in records; "
    "if it belongs to the value, put the value in quotes"
)
QUOTE = "YAML syntax: a ': ' inside a value must be quoted: put the whole value in quotes"


def with_title(value: str) -> str:
    return BASE.replace("title: T", f"title: {value}")


def validate(runner, data, text: str, name: str = "x") -> str:
    write_record(data, name, text)
    result = runner.invoke(main, ["validate", "--data", data.name])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def problems(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(YamlProblems) as info:
        load_text(text)
    return [(p.line, p.col, p.message) for p in info.value.problems]


# 1. A duplicate key names where the first one was.


def test_duplicate_key_names_the_first_line_too(copy_fixture, runner):
    out = validate(runner, copy_fixture("valid"), BASE + "title: U\n")
    assert "valid/records/x.yaml:7:1: duplicate key 'title' (first on line 3)" in out


def test_every_repeat_names_the_first_key():
    text = "a: 1\nb: 2\n'a': 3\nc: 4\na: 5\n"
    assert problems(text) == [
        (3, 1, "duplicate key 'a' (first on line 1)"),
        (5, 1, "duplicate key 'a' (first on line 1)"),
    ]


def test_duplicate_key_in_a_nested_mapping():
    text = BASE + "links:\n  code: https://a.org\n  paper: https://b.org\n  code: https://c.org\n"
    assert problems(text) == [(10, 3, "duplicate key 'code' (first on line 8)")]


# 2. A comment is reported at its '#', once, wherever YAML starts one.


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("title: Foo #bar\n", id="after-space"),
        pytest.param("title: Foo\t#bar\n", id="after-tab"),
        pytest.param("title: 'Foo' #bar\n", id="after-quoted"),
        pytest.param("title: 'Foo'#bar\n", id="glued-to-single-quotes"),  # YAML reads 'Foo' and drops #bar
        pytest.param('title: "Foo"#bar\n', id="glued-to-double-quotes"),
        pytest.param("aliases: [a, b]#c\n", id="glued-to-flow-end"),
        pytest.param("title: T\n#c\n", id="line-start"),
        pytest.param("title: T\n  # c\n", id="indented-line"),
        pytest.param("title: |#c\n  x\n", id="block-header-glued"),
        pytest.param("title: >- #c\n  x\n", id="block-header"),
        pytest.param("title: T\r#c\n", id="after-lone-cr"),
        pytest.param("title: T\u2028 #c\n", id="after-line-separator"),
        pytest.param("title: T\r\nshort_name: S #c\r\n", id="crlf"),
    ],
)
def test_comment_is_reported_at_its_hash(text):
    found = problems(text)
    assert [m for _, _, m in found] == [COMMENT]
    line, col, _ = found[0]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").split("\n")
    assert lines[line - 1][col - 1] == "#"


def test_one_comment_is_one_problem():
    assert problems("title: Foo #1 #2 'x' [y]\n") == [(1, 12, COMMENT)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("title: Foo#bar\n", id="glued-plain"),
        pytest.param("title: 'Foo #bar'\n", id="quoted"),
        pytest.param("title: |\n  a #b\n  #c\n", id="in-block-scalar"),
        pytest.param("title: >\n  x #y\n", id="in-folded-scalar"),
    ],
)
def test_a_hash_inside_a_value_is_no_comment(text):
    assert load_text(text).data["title"].startswith(("Foo", "a", "x"))


def test_comment_column_through_the_cli(copy_fixture, runner):
    out = validate(runner, copy_fixture("valid"), with_title("Foo #bar"))
    assert f"valid/records/x.yaml:3:12: {COMMENT}" in out


# 3. An unquoted ': ' inside a value says to quote the value, at the ': '.


def test_colon_in_title_says_to_quote_it(copy_fixture, runner):
    out = validate(runner, copy_fixture("valid"), with_title("vLLM: Easy, Fast, and Cheap LLM Serving"))
    assert f"valid/records/x.yaml:3:12: {QUOTE}, as in title: 'vLLM: Easy, Fast, and Cheap LLM Serving'" in out
    assert "mapping values are not allowed" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("authors:\n  - A\n  - B: x: y\n", (3, 9, f"{QUOTE}, as in - B: 'x: y'"), id="in-a-list"),
        pytest.param("title: Don't: Stop\n", (1, 13, f'{QUOTE}, as in title: "Don\'t: Stop"'), id="apostrophe"),
        pytest.param("title: a:b: c\n", (1, 11, f"{QUOTE}, as in title: 'a:b: c'"), id="colon-without-space-first"),
        pytest.param("title: 'a': b\n", (1, 11, QUOTE), id="after-quoted-part"),
        pytest.param("sources: [{list: m, as_listed: Orca: A}]\n", (1, 36, QUOTE), id="flow-mapping"),
        pytest.param(
            "title: vLLM: " + "x" * 70 + "\n",
            (1, 12, f"{QUOTE}, as in title: 'vLLM: {'x' * 44}…'"),
            id="long-value-shortened",
        ),
        pytest.param(
            "links:\n  code: https://a.org\n    paper: https://b.org\n",
            (
                3,
                10,
                "YAML syntax: 'paper:' is read as part of the value above it; indent 'paper' like the other keys of "
                "its mapping (or, if this ': ' belongs to that value, put the whole value in quotes)",
            ),
            id="key-indented-too-far",
        ),
    ],
)
def test_colon_messages(text, expected):
    assert problems(text) == [expected]


def test_tab_after_lone_carriage_returns_is_a_message_not_a_crash():
    """YAML counts a lone CR as a line break; the line it names may not exist when counting LFs only."""
    assert problems("a: b\r\r\r\t- x: y: z\n") == [
        (4, 1, "YAML syntax: found a tab character that violates indentation (indent with spaces, not tabs)")
    ]


# 4. An unquoted arXiv id (or DOI, pages...) is never silently changed; a number where text belongs is an error.


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        pytest.param("links: {arxiv: 2310.10000}", "arxiv", "2310.10000", id="arxiv-trailing-zeros"),
        pytest.param("links: {arxiv: 2309.06180}", "arxiv", "2309.06180", id="arxiv"),
        pytest.param("links: {doi: 10.1145/3600006.3613165}", "doi", "10.1145/3600006.3613165", id="doi"),
        pytest.param("links: {doi: 10.1000/1e3}", "doi", "10.1000/1e3", id="doi-exponent"),
    ],
)
def test_identifiers_stay_the_text_written(tmp_path, line, field, value):
    record, _, found = load_record(write_record(tmp_path, "x", BASE + line + "\n"))
    assert found == [] and getattr(record.links, field) == value


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            "links: {arxiv: 2310.10}",
            "links.arxiv: arXiv id must look like 2309.06180 (no version, no URL) or cs/0112017, not '2310.10'",
            id="short-arxiv-shown-as-written",
        ),
        pytest.param("pages: 12", "pages: must be text, not int 12; put it in quotes", id="pages"),
        pytest.param("volume: 3", "volume: must be text, not int 3; put it in quotes", id="volume"),
        pytest.param("number: 7", "number: must be text, not int 7; put it in quotes", id="number"),
        pytest.param("short_name: true", "short_name: must be text, not bool True; put it in quotes", id="bool"),
        pytest.param("year: 2023.0", "year: must be a whole number, not '2023.0'", id="float-year"),
    ],
)
def test_numbers_where_text_belongs_are_errors(tmp_path, line, message):
    record, _, found = load_record(write_record(tmp_path, "x", BASE + line + "\n"))
    assert record is None and [(p.line, p.message) for p in found] == [(7, message)]


@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md"])
def test_docs_say_what_an_unquoted_arxiv_id_does(doc):
    text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
    assert "(a number) are errors" not in text
    assert "`arxiv: 2310.10000` is the id `2310.10000`" in text


# 5. A record that fails to load causes no 'no record has id' in the records that name it.

PAGED = BASE.replace("id: x", "id: paged") + "related:\n  - id: vllm\n    rel: code\nnot_duplicates: [vllm, gone]\n"
VLLM = BASE.replace("id: x", "id: vllm").replace("type: paper", "type: tool")


@pytest.mark.parametrize(
    ("vllm", "own_error"),
    [
        pytest.param(VLLM.replace("title: T", "title: vLLM: Easy"), "vllm.yaml:3:12: YAML syntax", id="parse"),
        pytest.param(VLLM + "year: 20x\n", "vllm.yaml:7:7: year: must be a whole number", id="validate"),
        pytest.param(VLLM + "title: U\n", "vllm.yaml:7:1: duplicate key 'title'", id="duplicate-key"),
        pytest.param(VLLM.replace("id: vllm", "id: vllm-engine"), "vllm.yaml:1:5: id 'vllm-engine'", id="file-name"),
    ],
)
def test_a_broken_record_causes_no_follow_on_errors(copy_fixture, runner, vllm, own_error):
    data = copy_fixture("valid")
    write_record(data, "vllm", vllm)
    out = validate(runner, data, PAGED, "paged")
    assert own_error in out
    assert "no record has id 'vllm'" not in out
    assert "valid/records/paged.yaml:10:24: not_duplicates: no record has id 'gone'" in out


def test_a_missing_record_is_still_reported(copy_fixture, runner):
    out = validate(runner, copy_fixture("valid"), PAGED, "paged")
    assert "valid/records/paged.yaml:8:9: related: no record has id 'vllm'" in out
    assert "valid/records/paged.yaml:10:18: not_duplicates: no record has id 'vllm'" in out
