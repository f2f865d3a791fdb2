"""Hostile and broken record files: each ends in a precise error (file, line, exit 1, nothing written)
or in correct data. One case per test, through the real loader and the real CLI."""

from __future__ import annotations

import os

import pytest

from llmpapers.cli import main
from llmpapers.db.formatting import format_files
from llmpapers.db.store import load_record
from llmpapers.db.yamlio import YamlProblems, load_text

BASE = "id: x\ntype: paper\ntitle: T\ncategories: [serving]\nsources: [{list: m, as_listed: T}]\nadded: 2026-11-22\n"
SRC = "sources: [{list: m, as_listed: T}]"


def with_title(value: str) -> str:
    return BASE.replace("title: T", f"title: {value}")


# (id, file bytes, expected (line, message) problems; [] = loads fine)
CASES = [
    (
        "python-tag",
        BASE + "short_name: !!python/object/apply:os.system [echo]\n",
        [(7, "YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed; write a plain value")],
    ),
    ("local-tag", BASE + "short_name: !foo bar\n", [(7, "YAML tags (!foo) are not allowed; write a plain value")]),
    (
        "str-tag",
        BASE + "short_name: !!str 123\n",
        [(7, "YAML tags (tag:yaml.org,2002:str) are not allowed; write a plain value")],
    ),
    (
        "anchor-alias",
        BASE.replace("title: T", "title: &t T") + "short_name: *t\n",
        [
            (3, "anchors (&t) are not allowed; write the value out"),
            (7, "aliases (*t) are not allowed; write the value out"),
        ],
    ),
    ("merge-key", BASE + "<<: {year: 2020}\n", [(7, "merge keys (<<) are not allowed; write the fields out")]),
    ("duplicate-key", BASE + "title: U\n", [(7, "duplicate key 'title' (first on line 3)")]),
    ("yaml11-no", BASE + "year: no\n", [(7, "year: must be a whole number, not 'no'")]),
    ("yaml11-on", BASE + "year: on\n", [(7, "year: must be a whole number, not 'on'")]),
    ("yaml11-octal", BASE + "year: 0123\n", [(7, "year: must be a whole number, not '0123'")]),
    ("yaml11-sexagesimal", BASE + "year: 12:30\n", [(7, "year: must be a whole number, not '12:30'")]),
    ("yaml11-float-arxiv", BASE + "links: {arxiv: 2301.00010}\n", []),
    ("yaml11-exponent", BASE + "year: 1e3\n", [(7, "year: must be a whole number, not '1e3'")]),
    (
        "unquoted-hash",
        with_title("Ranking #1 of all"),
        [
            (
                3,
                "'#' starts a YAML comment here, and comments are not kept in records; if it belongs to the value, "
                "put the value in quotes",
            )
        ],
    ),
    ("bom-crlf", ("\ufeff" + BASE).replace("\n", "\r\n"), []),
    ("nul", with_title("a\0b"), [(3, "control character U+0000; remove it")]),
    ("control", with_title("a\x1bb"), [(3, "control character U+001B; remove it")]),
    ("escaped-control", with_title('"a\\x07b"'), [(3, "title: contains a control character (U+0007)")]),
    (
        "bidi",
        with_title("abc\u202edef"),
        [(3, "title: contains a bidirectional control character (U+202E), which is invisible on the page")],
    ),
    (
        "zero-width",
        with_title("Flash\u200bAttention"),
        [(3, "title: contains a zero-width space (U+200B), which is invisible on the page")],
    ),
    ("empty", "", [(1, "file is empty")]),
    ("only-comment-space", "   \n\n", [(1, "file is empty")]),
    (
        "several-documents",
        BASE + "---\nid: y\n",
        [(7, "YAML syntax: file holds more than one YAML document (a second '---'); one record per file")],
    ),
    ("top-level-list", "- id: x\n", [(1, "the file must be a mapping of fields")]),
    ("top-level-scalar", "just text\n", [(1, "the file must be a mapping of fields")]),
    (
        "tab-indent",
        "id: x\nlinks:\n\tcode: https://a.org\n",
        [(3, "YAML syntax: found character that cannot start any token (indent with spaces, not tabs)")],
    ),
    ("deep-flow", "short_name: " + "[" * 40000 + "]" * 40000 + "\n", [(1, "nesting is deeper than 8 levels")]),
    ("deep-block", "".join(" " * i + f"k{i}:\n" for i in range(300)), [(9, "nesting is deeper than 8 levels")]),
    (
        "huge-file",
        BASE + "aliases:\n  - " + "x" * 200_000 + "\n",
        [(1, "file is too large (200,116 bytes; the limit is 131,072)")],
    ),
    ("long-field", with_title("x" * 5000), [(3, "title: is too long (5000 characters; the limit is 1000)")]),
    ("newline-in-title", with_title('"two\\nlines"'), [(3, "title: must be one line (no line breaks or tabs)")]),
    (
        "id-dot-dot",
        BASE.replace("id: x", "id: ../x"),
        [(1, "id: id must be lowercase letters, digits and single hyphens (like flashattention-2), not '../x'")],
    ),
    (
        "id-slash",
        BASE.replace("id: x", "id: a/x"),
        [(1, "id: id must be lowercase letters, digits and single hyphens (like flashattention-2), not 'a/x'")],
    ),
    (
        "url-javascript",
        BASE + "links: {code: 'javascript:alert(1)'}\n",
        [(7, "links.code: URL must start with http:// or https://, not javascript: ('javascript:alert(1)')")],
    ),
    (
        "url-data",
        BASE + "links: {paper: 'data:text/html,<script>x</script>'}\n",
        [(7, "links.paper: URL must start with http:// or https://, not data: ('data:text/html,<script>x</script>')")],
    ),
    (
        "url-file",
        BASE + "links: {pdf: 'file:///etc/passwd'}\n",
        [(7, "links.pdf: URL must start with http:// or https://, not file: ('file:///etc/passwd')")],
    ),
    (
        "url-relative",
        BASE + "links: {project: /about}\n",
        [(7, "links.project: URL must start with http:// or https://, not a relative URL ('/about')")],
    ),
    (
        "url-padded",
        BASE + "links: {code: ' https://github.com/a/b '}\n",
        [(7, "links.code: URL must not contain spaces: ' https://github.com/a/b '")],
    ),
    (
        "url-other-scheme",
        BASE + "links: {other: ['ftp://a.org/x']}\n",
        [(7, "links.other.0: URL must start with http:// or https://, not ftp: ('ftp://a.org/x')")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_hostile_record(tmp_path, text, expected):
    path = tmp_path / "records" / "x.yaml"
    path.parent.mkdir()
    raw = text.encode("utf-8")
    path.write_bytes(raw)
    record, _, problems = load_record(path)
    assert [(p.line, p.message) for p in problems] == expected
    assert (record is None) == bool(expected)
    if expected:  # fmt never touches a file it cannot read
        format_files(tmp_path)
        assert path.read_bytes() == raw


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("short_name: " + "[" * 40000 + "]" * 40000 + "\n", (1, 20), id="past-libyaml-limit"),
        pytest.param("short_name: " + "[" * 70 + "]" * 70 + "\n", (1, 20), id="within-libyaml-limit"),
        pytest.param("short_name: [[a, b], " + "{k: " * 1500 + "\n", (1, 46), id="unclosed-maps"),
    ],
)
def test_deep_flow_nesting_is_ours_at_the_first_level_too_deep(text, where):
    """libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 flow levels, reading far ahead of the parser; whichever
    stops first, the message and place are ours: the ninth level, the file's own mapping being the first."""
    with pytest.raises(YamlProblems) as info:
        load_text(text)
    assert [(p.line, p.col, p.message) for p in info.value.problems] == [(*where, "nesting is deeper than 8 levels")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            BASE.replace("T", "café").encode("latin-1"),
            (3, "file is not UTF-8 (byte 0xe9); save it as UTF-8"),
            id="latin-1",
        ),
        pytest.param(BASE.encode("utf-16"), (1, "file is UTF-16; save it as UTF-8"), id="utf-16"),
        pytest.param(BASE.encode("utf-16-be"), (1, "file is UTF-16; save it as UTF-8"), id="utf-16-no-bom"),
    ],
)
def test_wrong_encodings(tmp_path, raw, expected):
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    _, _, problems = load_record(path)
    assert [(p.line, p.message) for p in problems] == [expected]


def _db(copy_fixture):
    return copy_fixture("valid")


def test_ids_differing_only_in_case_and_wrong_file_name(copy_fixture, runner):
    data = _db(copy_fixture)
    (data / "records" / "Orca.yaml").write_text((data / "records" / "orca.yaml").read_text())
    result = runner.invoke(main, ["validate", "--data", "valid"])
    assert result.exit_code == 1
    assert "valid/records/orca.yaml:1:1: id 'orca' is already used by valid/records/Orca.yaml" in result.output
    assert "valid/records/Orca.yaml:1:5: id 'orca' must match the file name" in result.output


def test_symlink_in_data_is_refused(copy_fixture, runner, tmp_path):
    data = _db(copy_fixture)
    outside = tmp_path / "outside.yaml"
    outside.write_text(BASE)
    os.symlink(outside, data / "records" / "x.yaml")
    result = runner.invoke(main, ["validate", "--data", "valid"])
    assert result.exit_code == 1
    assert "valid/records/x.yaml:1:1: symbolic links are not allowed in data/; commit the file itself" in result.output


def test_billion_laughs_is_cheap(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    path = tmp_path / "x.yaml"
    path.write_text("\n".join(lines) + "\n")
    record, _, problems = load_record(path)
    assert record is None and len(problems) == 9 + 8 * 9  # every anchor and alias named, nothing expanded
