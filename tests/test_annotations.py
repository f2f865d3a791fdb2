"""GitHub annotations and the job summary: exact output, and record text that cannot escape either.

``runner_parse`` ports the GitHub Actions runner's parser (``ActionCommand.TryParseV2`` and its unescaping,
actions/runner ``src/Runner.Common/ActionCommand.cs``) so that the tests check what the runner would do with
each line, not just what the string looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from llmpapers.cli import main
from llmpapers.errors import Diagnostic, error, warning
from llmpapers.publish.annotations import escape_markdown, github_annotation, job_summary

REGISTERED = {"error", "warning", "notice", "debug", "add-mask", "stop-commands", "group", "endgroup", "echo"}


@dataclass
class Command:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def _unescape(text: str, mappings: list[tuple[str, str]]) -> str:
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


def runner_parse(line: str) -> Command | None:
    """What the runner reads in one log line: a ``::command props::data`` or nothing."""
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, props = info.partition(" ")
    if name not in REGISTERED:
        return None
    command = Command(name)
    for prop in (p for p in props.strip().split(",") if p):
        key, sep, value = prop.partition("=")
        if sep and key and value:
            command.properties[key] = _unescape(
                value, [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
            )
    command.data = _unescape(message[end + 2 :], [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")])
    return command


@pytest.mark.parametrize(
    ("diagnostic", "expected"),
    [
        pytest.param(
            error("data/records/orca.yaml", "year: must be a whole number, not '2022'", 7, 7),
            "::error file=data/records/orca.yaml,line=7,col=7,title=llmpapers::year: must be a whole number, not '2022'",
            id="error",
        ),
        pytest.param(
            warning("data/records/orca-2.yaml", "likely duplicate of 'orca', score 96.5", 3, 8),
            "::warning file=data/records/orca-2.yaml,line=3,col=8,title=llmpapers::likely duplicate of 'orca', score 96.5",
            id="warning",
        ),
        pytest.param(
            error("data/categories.yaml", "category 'moe' is defined twice"),
            "::error file=data/categories.yaml,title=llmpapers::category 'moe' is defined twice",
            id="no_line",
        ),
        pytest.param(
            error("data/venues.yaml", "'OSDI' names both OSDI and SOSP", 4),
            "::error file=data/venues.yaml,line=4,title=llmpapers::'OSDI' names both OSDI and SOSP",
            id="line_without_col",
        ),
        pytest.param(
            error("r.yaml", "title: 'x::error::pwned'", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::title: 'x::error::pwned'",
            id="title_holding_error_command",
        ),
        pytest.param(
            error("r.yaml", "x\n::warning::pwned", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::x%0A::warning::pwned",
            id="newline_then_warning_command",
        ),
        pytest.param(
            error("r.yaml", "x\r\n::add-mask::secret\n::stop-commands::token", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::x%0D%0A::add-mask::secret%0A::stop-commands::token",
            id="add_mask_and_stop_commands",
        ),
        pytest.param(
            error("r.yaml", "literal %0A and 100%", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::literal %250A and 100%25",
            id="literal_percent_0A",
        ),
        pytest.param(
            error("data/records/a,b:c.yaml", "m", 2, 3),
            "::error file=data/records/a%2Cb%3Ac.yaml,line=2,col=3,title=llmpapers::m",
            id="comma_and_colon_in_path",
        ),
        pytest.param(
            error("data/records/x::error::y\n.yaml", "m", 2, 3),
            "::error file=data/records/x%3A%3Aerror%3A%3Ay%0A.yaml,line=2,col=3,title=llmpapers::m",
            id="command_in_path",
        ),
        pytest.param(
            error("r.yaml", "esc \x1b[31m red, nel \x85, line sep \u2028, rlo \u202e", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::esc \\u001b[31m red, nel \\u0085, line sep \\u2028, rlo \\u202e",
            id="control_and_separator_characters",
        ),
        pytest.param(
            error("r.yaml", "##[error]legacy ##[add-mask]x", 1, 1),
            "::error file=r.yaml,line=1,col=1,title=llmpapers::##[error]legacy ##[add-mask]x",
            id="legacy_command_syntax_stays_data",
        ),
    ],
)
def test_github_annotation(diagnostic: Diagnostic, expected: str) -> None:
    assert github_annotation(diagnostic) == expected


def test_title_property_is_escaped() -> None:
    line = github_annotation(error("r.yaml", "m", 1, 1), title="dedupe: a, b\n::error::x")
    assert line == "::error file=r.yaml,line=1,col=1,title=dedupe%3A a%2C b%0A%3A%3Aerror%3A%3Ax::m"
    assert runner_parse(line).properties["title"] == "dedupe: a, b\n::error::x"


HOSTILE = [
    pytest.param("x\n::error::pwned", id="newline_error"),
    pytest.param("x\r::warning file=README.md::pwned", id="cr_warning"),
    pytest.param("::add-mask::secret", id="add_mask"),
    pytest.param("\n::stop-commands::token\n::token::", id="stop_commands"),
    pytest.param("%0A::error::x %25 %3A %2C %", id="percent_escapes"),
    pytest.param("a,line=99,col=1,title=fake::b", id="fake_properties"),
    pytest.param("x\u2028::error::y\u2029\x85\x0b\x0c\x1c", id="unicode_line_breaks"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_record_text_cannot_escape_an_annotation(text: str) -> None:
    """Whatever a message or path holds, the runner sees one command with exactly our properties."""
    line = github_annotation(error(f"data/records/{text}.yaml", f"title: {text!s}", 3, 4))
    assert len(line.splitlines()) == 1  # no line break of any kind, for the runner or a log viewer
    command = runner_parse(line)
    assert command is not None and command.name == "error"
    assert set(command.properties) == {"file", "line", "col", "title"}
    assert (command.properties["line"], command.properties["col"], command.properties["title"]) == (
        "3",
        "4",
        "llmpapers",
    )
    visible = re.sub(r"[\u2028\u2029\x85\x0b\x0c\x1c]", lambda m: f"\\u{ord(m.group()):04x}", text)
    assert command.properties["file"] == f"data/records/{visible}.yaml"
    assert command.data == f"title: {visible}"


def test_job_summary_exact() -> None:
    diagnostics = [
        error("data/records/orca.yaml", "year: must be a whole number, not '2022'", 7, 7),
        warning("data/records/orca-2.yaml", "likely duplicate", 3),
    ]
    assert job_summary(diagnostics) == (
        "### ❌ llmpapers validate failed\\: 1 error\\, 1 warning in 2 files\n"
        "\n"
        "| | file | line | problem |\n"
        "|---|---|---:|---|\n"
        "| error | data\\/records\\/orca\\.yaml | 7:7 | year\\: must be a whole number\\, not \\'2022\\' |\n"
        "| warning | data\\/records\\/orca\\-2\\.yaml | 3 | likely duplicate |\n"
        "\n"
    )


def test_job_summary_clean_and_warnings_only() -> None:
    assert job_summary([]) == "### ✅ llmpapers validate\\: no problems\n\n"
    assert job_summary([warning("a.yaml", "w")], "dedupe").startswith("### ⚠️ llmpapers dedupe passed with\\: 1 warning")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a | b", "a \\| b", id="pipe"),
        pytest.param("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;\\/script&gt;", id="html"),
        pytest.param("`code`", "\\`code\\`", id="backticks"),
        pytest.param("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)", id="link"),
        pytest.param(
            "![i](https://e.example/i.png)", "\\!\\[i\\]\\(https\\:\\/\\/e\\.example\\/i\\.png\\)", id="image"
        ),
        pytest.param("a\nb\r\nc\rd", "a\\\\nb\\\\nc\\\\nd", id="newlines"),
        pytest.param("**b** _i_ ~~s~~ $x$", "\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\$x\\$", id="emphasis_and_math"),
        pytest.param("&lt; &#60;", "&amp;lt\\; &amp;\\#60\\;", id="entities"),
        pytest.param("a\\|b", "a\\\\\\|b", id="backslash_before_pipe"),
        pytest.param("# h", "\\# h", id="heading"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


HOSTILE_MARKDOWN = (
    "x\n| forged | row |\n<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) "
    "![i](https://e.example/i.png) `code` **b** <https://e.example> https://e.example www.e.example "
    "[r]: https://e.example\n[r] $x$ \\| ::error::x"
)


def _unescaped_pipes(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", re.sub(r"\\\\", "", row)))


def test_job_summary_rows_keep_their_shape() -> None:
    text = job_summary([error(f"data/records/{HOSTILE_MARKDOWN}.yaml", HOSTILE_MARKDOWN, 1, 1)])
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 3  # header, rule, one problem: the newlines did not add rows
    assert all(_unescaped_pipes(row) == 5 for row in rows)
    body = rows[2]
    assert "<" not in body and ">" not in body
    assert not re.search(r"(?<!\\)[`\[\]]", re.sub(r"\\\\", "", body))


def test_job_summary_renders_as_text() -> None:
    """Rendered with GitHub's own Markdown library (cmark-gfm), the hostile text is one cell of plain text."""
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm not installed (pip install cmarkgfm)")
    from cmarkgfm.cmark import Options

    text = job_summary([error(f"data/records/{HOSTILE_MARKDOWN}.yaml", HOSTILE_MARKDOWN, 1, 1)])
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    assert html.count("<tr>") == 2 and html.count("<td") == 4
    for tag in ("<script", "<img", "<a ", "<code", "<strong", "<em", "<del", "<h1", "<p>"):
        assert tag not in html.split("</thead>", 1)[1], tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[a](javascript:alert(1))" in html and "\\n| forged | row |" in html


def _broken_database(copy_fixture):
    """tests/fixtures/valid plus every kind of hostile text a record can carry to the log."""
    data = copy_fixture("valid")
    records = data / "records"
    base = (records / "orca.yaml").read_text(encoding="utf-8")
    title = "title: 'Orca: A Distributed Serving System for Transformer-Based Generative Models'"
    (records / "orca.yaml").write_text(
        base.replace("year: 2022", "year: '2022'").replace(
            "short_name: Orca\n", 'short_name: Orca\n"bad\\n::warning::field": 1\n'
        ),
        encoding="utf-8",
    )
    (records / "orca-copy.yaml").write_text(
        base.replace("id: orca", "id: orca-copy").replace(
            title, 'title: "Orca\\n::error file=README.md,line=1::pwned"'
        ),
        encoding="utf-8",
    )
    (records / "orca-venue.yaml").write_text(
        base.replace("id: orca", "id: orca-venue")
        .replace(title, "title: 'Orca ::error::pwned ::add-mask::x ::stop-commands::y'")
        .replace("short_name: Orca\n", "")
        .replace("venue: OSDI", "venue: 'OSDI ::error::pwned %0A, ##[error]x'"),
        encoding="utf-8",
    )
    return data


BROKEN_ANNOTATIONS = [
    "::error file=valid/records/orca-copy.yaml,line=3,col=8,title=llmpapers::title: must be one line (no line breaks or tabs)",
    "::error file=valid/records/orca-venue.yaml,line=7,col=8,title=llmpapers::venue: 'OSDI ::error::pwned %250A, ##[error]x' is not a canonical venue; write 'OSDI'",
    "::error file=valid/records/orca.yaml,line=5,col=1,title=llmpapers::unknown field 'bad%0A::warning::field'; known fields: id, type, title, short_name, aliases, authors, year, month, venue, volume, number, pages, publisher, links, categories, related, not_duplicates, former_ids, sources, evidence, added",
    "::error file=valid/records/orca.yaml,line=8,col=7,title=llmpapers::year: must be a whole number, not '2022'",
    "validate failed: 4 errors in 3 files",
]


def test_validate_format_github_on_a_broken_record(copy_fixture, runner) -> None:
    _broken_database(copy_fixture)
    result = runner.invoke(main, ["validate", "--data", "valid", "--format", "github"])
    assert result.exit_code == 1
    assert result.output.splitlines() == BROKEN_ANNOTATIONS
    commands = [runner_parse(line) for line in result.output.splitlines()]
    assert [c.name for c in commands if c] == ["error"] * 4  # nothing else reaches the runner


def test_validate_summary_appends_every_problem(copy_fixture, runner, tmp_path) -> None:
    _broken_database(copy_fixture)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", "valid", "--format", "github", "--summary", str(summary)])
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### ❌ llmpapers validate failed\\: 4 errors in 3 files\n")
    assert sum(line.startswith("| error |") for line in text.splitlines()) == 4
    assert "\\'bad\\\\n\\:\\:warning\\:\\:field\\'" in text


def test_validate_summary_unset_is_a_no_op(copy_fixture, runner) -> None:
    copy_fixture("valid")
    result = runner.invoke(main, ["validate", "--data", "valid", "--format", "github", "--summary", ""])
    assert result.exit_code == 0 and result.output == "validate: no problems\n"


def test_validate_text_format_is_unchanged(copy_fixture, runner) -> None:
    _broken_database(copy_fixture)
    result = runner.invoke(main, ["validate", "--data", "valid", "--format", "text"])
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0]
        == "valid/records/orca-copy.yaml:3:8: title: must be one line (no line breaks or tabs)"
    )
