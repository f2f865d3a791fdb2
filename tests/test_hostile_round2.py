"""Hostile input, round two (issue "Hostile input, round two"), cases 1 to 6: an entry too big for a record,
characters XML refuses, provenance text, look-alike letters, URLs that go somewhere else, a date in the future.
Each through the real loader, importer or CLI, on fixtures written here."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from llmpapers.cli import main
from llmpapers.db.models import latest_today
from llmpapers.db.store import load_record
from llmpapers.publish.verify import unreadable_outputs

DATA = Path(__file__).parent.parent / "data"
BASE = (
    "id: x\ntype: paper\ntitle: T\nauthors: [Jane Doe]\nyear: 2024\ncategories: [serving]\n"
    "links: {paper: 'https://example.org/x'}\nsources: [{list: m, as_listed: T}]\nadded: 2026-11-22\n"
)


def problems_of(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "records" / "x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _, _, problems = load_record(path)
    return [(p.line, p.message) for p in problems]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    return tmp_path / "data"


# ----------------------------------------------------------------------------- 1. one bad entry costs itself


def test_an_entry_too_big_for_a_record_costs_only_itself(tmp_path, data, runner):
    bib = tmp_path / "big.bib"
    bib.write_text(
        "@misc{a, title = {Deep " + "{}" * 2600 + "}, year = {2024}}\n"
        "@misc{b, title = {" + "{" * 10000 + "Nested" + "}" * 10000 + "}, year = {2024}}\n"
        "@misc{c, title = {An Ordinary Entry After Two Broken Ones}, year = {2024},"
        " url = {https://example.org/c}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "bibtex", str(bib), "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "big.bib:1: 'Deep' not imported: the title as written: 5,205 characters (at most 5,000)" in result.output
    assert "big.bib:2: 'Nested' not imported: the title as written: 20,006 characters" in result.output
    assert "internal error" not in result.output and "no category rule matched 'Deep'" not in result.output
    assert (data / "records" / "ordinary-entry-after.yaml").is_file(), result.output

    md = tmp_path / "big.md"
    md.write_text(
        "# L\n\n- [Deep " + "[]" * 2600 + "](https://example.org/a)\n"
        "- [A Listing That Survives Its Broken Neighbour](https://example.org/d)\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "awesome", str(md), "--data", str(data), "--dry-run"])
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert "big.md:3:" in result.output and "1 new" in result.output


# ---------------------------------------------------------------- 2, 3. characters that break the feed or hide


NOT_CHARACTERS = ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"]
TEXT_FIELDS = ["title", "short_name", "venue", "publisher", "number"]


@pytest.mark.parametrize("ch", NOT_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in NOT_CHARACTERS])
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_code_point_xml_refuses_is_refused_in_every_text_field(tmp_path, field, ch):
    escaped = f"\\U{ord(ch):08X}"  # YAML's own escape: the raw character is refused by the YAML reader already
    text = BASE + f'{field}: "A{escaped}B"\n' if field != "title" else BASE.replace("title: T", f'title: "A{escaped}B"')
    (problem,) = problems_of(tmp_path, text)
    assert f"contains U+{ord(ch):04X}, which is not a character (XML and the feed refuse it)" in problem[1]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"a\\0b"', "contains a control character (U+0000)"),
        ('"a\\u202Eb"', "contains a bidirectional control character (U+202E), which is invisible on the page"),
        ('"a\\u200Bb"', "contains a zero-width space (U+200B), which is invisible on the page"),
        ('"a\\nb"', "must be one line (no line breaks or tabs)"),
        ('"a\\u2028b"', "must be one line (no line breaks or tabs)"),
        ('"a\\uFFFEb"', "contains U+FFFE, which is not a character"),
    ],
)
def test_provenance_text_is_checked_like_other_text(tmp_path, value, message):
    (listed,) = problems_of(tmp_path, BASE.replace("as_listed: T", f"as_listed: {value}"))
    (section,) = problems_of(tmp_path, BASE.replace("as_listed: T", f"as_listed: T, section: {value}"))
    assert message in listed[1] and "sources.0.as_listed" in listed[1]
    assert message in section[1] and "sources.0.section" in section[1]


def test_a_title_with_a_line_separator_is_refused(tmp_path):
    (problem,) = problems_of(tmp_path, BASE.replace("title: T", 'title: "One\\u2028Two"'))
    assert problem == (3, "title: must be one line (no line breaks or tabs)")


def test_the_importer_drops_what_cannot_be_shown_from_provenance(tmp_path, data, runner):
    md = tmp_path / "l.md"
    md.write_text(
        "# L\n\n- [Serving\u200b Large Models\u202e on Spot Instances at Scale](https://example.org/s)\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "awesome", str(md), "--data", str(data)])
    assert result.exit_code == 0, result.output
    (written,) = [p for p in (data / "records").iterdir() if p.name == "serving-large-models.yaml"]
    record, _, problems = load_record(written)
    assert not problems and record is not None
    assert record.sources[0].as_listed == "Serving Large Models on Spot Instances at Scale"


def test_the_build_reads_back_what_it_wrote(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "feed.xml").write_text("<feed><title>A\ufffeB</title></feed>", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset><url><loc>https://x.org/</loc></url>", encoding="utf-8")
    problems = unreadable_outputs(site)
    assert len(problems) == 2
    assert problems[0].startswith("feed.xml: not well-formed (invalid token): line 1, column 14")
    assert problems[1].startswith("sitemap.xml: no element found")
    (site / "feed.xml").write_text("<feed><title>AB</title></feed>", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset><url><loc>https://x.org/</loc></url></urlset>", encoding="utf-8")
    assert unreadable_outputs(site) == []


# ----------------------------------------------------------------------------------------- 4. look-alikes


def test_a_look_alike_title_is_never_merged(tmp_path, data, runner):
    md = tmp_path / "l.md"
    md.write_text(
        "# L\n\n- [\u0410ttention Is All You Need](https://example.org/a1)\n"  # one Cyrillic А
        "- [\u0410tt\u0435nti\u043en Is All You Need](https://example.org/a2)\n",  # three
        encoding="utf-8",
    )
    before = (data / "records" / "transformer.yaml").read_text(encoding="utf-8")
    result = runner.invoke(main, ["import", "awesome", str(md), "--data", str(data)])
    assert "2 conflict(s) not imported" in result.output, result.output
    assert (
        "l.md:3: warning: '\u0410ttention Is All You Need' not imported: its title mixes scripts in " in result.output
    )
    assert "(Cyrillic \u0410), imitating 'Attention Is All You Need': check the listing" in result.output
    assert (data / "records" / "transformer.yaml").read_text(encoding="utf-8") == before


def test_dedupe_sees_through_look_alike_letters(data, runner):
    text = (data / "records" / "transformer.yaml").read_text(encoding="utf-8")
    fake = text.replace("id: transformer", "id: lookalike").replace(
        "title: Attention Is All You Need", "title: \u0410tt\u0435nti\u043en Is All You Need"
    )
    (data / "records" / "lookalike.yaml").write_text(fake, encoding="utf-8")
    result = runner.invoke(main, ["dedupe", "--data", str(data)])
    assert "duplicate 100.0  lookalike  transformer" in result.output, result.output
    assert result.exit_code == 1


# -------------------------------------------------------------------------------------------------- 5. URLs


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:pass@example.org/", "must not carry a user name or password"),
        ("https://arxiv.org@evil.com/abs/1", "must not carry a user name or password"),
        ("https://example.org:99999/", "has an invalid port"),
        ("https://example.org:/", "has an empty port"),
        ("https://a..b/", "has an invalid host name 'a..b'"),
        ("https://-a.org/", "has no host"),
        ("https://intranet/paper", "has an invalid host name 'intranet'"),
        ("http://127.0.0.1/", "points to a local or private address (127.0.0.1)"),
        ("http://localhost:8000/", "points to a local or private address (localhost)"),
        ("http://[::1]/", "points to a local or private address (::1)"),
        ("http://192.168.1.10/", "points to a local or private address (192.168.1.10)"),
        ("http://printer.local/", "points to a local or private address (printer.local)"),
    ],
)
def test_a_url_that_goes_elsewhere_is_refused(tmp_path, url, message):
    (problem,) = problems_of(tmp_path, BASE.replace("https://example.org/x", url))
    assert message in problem[1] and problem[0] == 7


@pytest.mark.parametrize("url", ["https://arxiv.org/abs/2309.06180", "https://8.8.8.8/", "https://example.org./x"])
def test_a_public_url_is_accepted(tmp_path, url):
    assert problems_of(tmp_path, BASE.replace("https://example.org/x", url)) == []


# ----------------------------------------------------------------------------------------- 6. added dates


def test_added_cannot_be_after_today(tmp_path):
    (problem,) = problems_of(tmp_path, BASE.replace("added: 2026-11-22", "added: 9999-12-31"))
    assert problem[0] == 9 and "added 9999-12-31 is after today" in problem[1]
    today = latest_today()
    assert problems_of(tmp_path, BASE.replace("added: 2026-11-22", f"added: {today}")) == []
    assert latest_today() >= dt.datetime.now(dt.UTC).date()


def test_validate_warns_on_mixed_scripts_and_international_hosts(data, runner):
    text = (data / "records" / "transformer.yaml").read_text(encoding="utf-8")
    fake = text.replace("id: transformer", "id: lookalike").replace(
        "title: Attention Is All You Need", "title: \u0410ttention Is All You Need"
    )
    fake = fake.replace("links:\n", "links:\n  project: https://xn--rxiv-7ve.org/abs/1706.03762\n", 1)
    (data / "records" / "lookalike.yaml").write_text(fake, encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert "lookalike.yaml:3:8: warning: title mixes scripts in '\u0410ttention' (Cyrillic \u0410): a look-alike?" in (
        result.output
    ), result.output
    assert "warning: links.project: the host 'xn--rxiv-7ve.org' is an internationalised name" in result.output


def test_a_raw_noncharacter_is_named_at_its_place(tmp_path):
    problems = problems_of(tmp_path, BASE.replace("title: T", "title: A\ufffeB"))
    assert problems == [(3, "U+FFFE, which is not a character; remove it")]
