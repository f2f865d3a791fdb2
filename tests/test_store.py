"""The loader: every mistake in tests/fixtures/invalid is reported at its line, and only those."""

from __future__ import annotations

import pytest

from llmpapers.commands.database import validate_data
from llmpapers.db.store import load_database

# The full list, in the style of check-peps' test_with_fake_pep: adding a check means updating this list.
EVERY_MISTAKE = [
    (
        "records/ax.yaml",
        6,
        "links.code: URL must start with http:// or https://, not javascript: ('javascript:alert(1)')",
    ),
    (
        "records/bad-id.yaml",
        1,
        "id: id must be lowercase letters, digits and single hyphens (like flashattention-2), not 'Bad_ID'",
    ),
    (
        "records/bidi.yaml",
        3,
        "title: contains a bidirectional control character (U+202E), which is invisible on the page",
    ),
    ("records/bidi.yaml", 7, "year: year 1800 is outside 1940..{next_year}"),
    (
        "records/cmt.yaml",
        3,
        "'#' starts a YAML comment here, and comments are not kept in records; if it belongs to the value, put the value in quotes",
    ),
    ("records/dup.yaml", 4, "duplicate key 'title' (first on line 3)"),
    ("records/empty.yaml", 1, "file is empty"),
    ("records/lat.yaml", 2, "file is not UTF-8 (byte 0xe9); save it as UTF-8"),
    ("records/list.yaml", 1, "the file must be a mapping of fields"),
    ("records/lnk.yaml", 11, "merge keys (<<) are not allowed; write the fields out"),
    (
        "records/mismatch.yaml",
        2,
        "type: 'no' is not allowed; input should be 'paper', 'tool', 'model', 'hardware' or 'article'",
    ),
    ("records/mismatch.yaml", 6, "added: must be a date written YYYY-MM-DD, not '2026-13-45'"),
    (
        "records/multi.yaml",
        3,
        "YAML syntax: file holds more than one YAML document (a second '---'); one record per file",
    ),
    (
        "records/named.yaml",
        1,
        "id 'wrong-name' must match the file name; rename the file to wrong-name.yaml or set id: named",
    ),
    ("records/named.yaml", 3, "no direct link to the work; add one of links.{code, project, paper}"),
    ("records/rel-copy.yaml", 1, "id 'rel' must match the file name; rename the file to rel.yaml or set id: rel-copy"),
    ("records/rel-copy.yaml", 3, "no direct link to the work; add one of links.{code, project, paper}"),
    (
        "records/rel.yaml",
        1,
        "id 'rel' is already used by invalid/records/rel-copy.yaml; ids are unique (ignoring case)",
    ),
    ("records/rel.yaml", 3, "a paper needs its authors, complete and in order"),
    ("records/rel.yaml", 3, "no direct link to the work; add one of links.{paper, pdf, arxiv, doi, project}"),
    ("records/rel.yaml", 4, "categories: unknown category 'servng'; did you mean 'serving'?"),
    ("records/rel.yaml", 5, "venue: 'OSDI 22' is not a canonical venue; write 'OSDI'"),
    ("records/rel.yaml", 6, "related: no record has id 'nope'"),
    (
        "records/tab.yaml",
        2,
        "YAML syntax: found a tab character that violates indentation (indent with spaces, not tabs)",
    ),
    (
        "records/tag.yaml",
        2,
        "YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed; write a plain value",
    ),
    ("records/tag.yaml", 3, "anchors (&a) are not allowed; write the value out"),
    ("records/tag.yaml", 4, "aliases (*a) are not allowed; write the value out"),
    ("records/unk.yaml", 1, "missing required field 'title'"),
    ("records/unk.yaml", 3, "unknown field 'titel'; did you mean 'title'?"),
    ("records/yr.yaml", 4, "year: must be a whole number, not '0123'"),
]


def test_every_mistake_is_reported_at_its_line(copy_fixture):
    import datetime as dt

    data = copy_fixture("invalid")
    found = [(d.path, d.line, d.message) for d in validate_data(data)]
    expected = [(p, n, m.replace("{next_year}", str(dt.date.today().year + 1))) for p, n, m in EVERY_MISTAKE]
    assert found == [(f"invalid/{p}", n, m) for p, n, m in expected]


def test_valid_fixture_is_clean(copy_fixture):
    data = copy_fixture("valid")
    assert validate_data(data) == []
    db = load_database(data)
    assert [r.id for r in db.records] == ["orca"]
    assert db.records[0].sources[0].as_listed.startswith("[Continuous Batching] Orca")


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [
        pytest.param("year: no", None, "year: must be a whole number, not 'no'", id="yaml11-no"),
        pytest.param("year: 1e3", None, "year: must be a whole number, not '1e3'", id="yaml11-float"),
        pytest.param("year: '2023'", None, "year: must be a whole number, not '2023'", id="quoted-year"),
        pytest.param("short_name: on", "on", None, id="yaml11-on-stays-text"),
        pytest.param("short_name: 12:30", "12:30", None, id="sexagesimal-stays-text"),
        pytest.param("short_name: 0123", "0123", None, id="octal-stays-text"),
        pytest.param("short_name: 2301.00010", "2301.00010", None, id="float-looking-stays-text"),
    ],
)
def test_scalars_mean_what_was_written(tmp_path, line, value, message):
    from conftest import write_record
    from llmpapers.db.store import load_record

    base = (
        "id: x\ntype: paper\ntitle: T\ncategories: [serving]\nsources: [{list: m, as_listed: T}]\nadded: 2026-11-22\n"
    )
    path = write_record(tmp_path, "x", base + line + "\n")
    record, _, problems = load_record(path)
    if message:
        assert [(p.line, p.message) for p in problems] == [(7, message)]
    else:
        assert problems == [] and record.short_name == value


def test_utf16_and_bom(tmp_path):
    from conftest import write_record
    from llmpapers.db.store import load_record

    text = (
        "id: x\ntype: paper\ntitle: T\ncategories: [serving]\nsources: [{list: m, as_listed: T}]\nadded: 2026-11-22\n"
    )
    path = write_record(tmp_path, "x", "")
    path.write_bytes(text.encode("utf-16"))
    assert [p.message for p in load_record(path)[2]] == ["file is UTF-16; save it as UTF-8"]
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    record, _, problems = load_record(path)
    assert problems == [] and record.title == "T"


def test_alias_bomb_is_not_expanded(tmp_path):
    from conftest import write_record
    from llmpapers.db.store import load_record

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    path = write_record(tmp_path, "x", "\n".join(lines) + "\n")
    record, _, problems = load_record(path)
    assert record is None
    assert problems and all("not allowed" in p.message for p in problems)
