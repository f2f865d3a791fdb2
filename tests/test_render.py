"""Rendering the site (pure): golden files for a few entries and pages, ordering, counts, anchors, escaping.

Golden files live in tests/golden/render/; after an intended change, rewrite them with
``pytest tests/test_render.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import fixture_db
from llmpapers.db.models import Category, Record
from llmpapers.db.store import load_database
from llmpapers.publish.chart import year_category_svg
from llmpapers.publish.entries import make_entries, read_url, search_links
from llmpapers.publish.fill import SHELL_ID
from llmpapers.publish.render import (
    RenderError,
    SiteOptions,
    newest_added,
    newest_first,
    render_entry,
    render_nav,
    render_site,
    safe_json,
)

GOLDEN = Path(__file__).parent / "golden" / "render"
OPTIONS = SiteOptions(repo_url="https://github.com/llmpapers/llmpapers", branch="main", records_path="data/records")
GOLDEN_ENTRIES = ["orca", "pagedattention", "making-deep-learning-go-brrrr", "hostile-script", "hostile-markdown"]
GOLDEN_FILES = ["serving.md", "index.md", "all.md", "feed.xml"]
HOSTILE = ["hostile-script", "hostile-markdown", "hostile-attr"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = load_database(fixture_db("site", tmp_path_factory.mktemp("site")))
    assert database.ok, [d.format() for d in database.diagnostics]
    return database


def texts(rendered) -> dict[str, str]:
    """Every generated file as readers get it: stubs with their blocks back in place, the downloads, each work's page
    (``works/<id>.html``: its head tags, then its body)."""
    out = {path: rendered.text(path) for path in [*rendered.files, *rendered.downloads]}
    out.update({f"works/{p.id}.html": p.head + "\n" + p.body for p in rendered.work_pages()})
    return out


@pytest.fixture(scope="module")
def site(db) -> dict[str, str]:
    return texts(render_site(db.records, db.categories, db.venues, OPTIONS))


@pytest.fixture(scope="module")
def entries(db):
    return make_entries(db.records, db.venues, OPTIONS)


BIBTEX_BODY = re.compile(r"(<details class=\"lp-bib\"[^>]*><summary>BibTeX</summary><pre>)(.*?)(</pre>)", re.S)


def check_golden(name: str, actual: str, update: bool) -> None:
    """Compare with tests/golden/render/NAME. BibTeX snippets are export.py's output, tested there: the
    goldens keep only their first line, so a change in the BibTeX format does not churn these files."""
    actual = BIBTEX_BODY.sub(lambda m: m[1] + m[2].split("\n", 1)[0] + " …" + m[3], actual)
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}; run pytest --update-golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"golden/{name}", "rendered"
            )
        )
        pytest.fail(f"{name} differs from its golden file (pytest --update-golden rewrites it):\n{diff}")


@pytest.mark.parametrize("record_id", GOLDEN_ENTRIES)
def test_entry_matches_golden(record_id, db, entries, update_golden):
    entry = entries[record_id]
    html = render_entry(entry, entry.categories[0], db.categories)
    check_golden(f"entry-{record_id}.html", html + "\n", update_golden)


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_page_matches_golden(name, site, update_golden):
    check_golden(name, site[name], update_golden)


def test_every_category_has_a_page_and_the_nav_has_five_groups(db, site):
    assert len(db.categories) == 20
    for c in db.categories:
        assert f"{c.slug}.md" in site
    nav = render_nav(db.categories)
    assert [next(iter(item)) for item in nav][:2] == ["Home", "All entries"]
    groups = nav[2:-1]
    assert [next(iter(g)) for g in groups] == [
        "Inference &amp; serving",
        "Compression",
        "Models &amp; training",
        "Systems &amp; hardware",
        "Applications &amp; evaluation",
    ]
    assert sum(len(next(iter(g.values()))) for g in groups) == 20


def test_nav_titles_are_escaped():
    evil = Category(slug="evil", name='<script>x</script> & "q"', group="G", scope="s")
    nav = render_nav([evil])
    assert nav[2] == {"G": [{"‹script›x‹/script› &amp; &quot;q&quot;": "evil.md"}]}


def _record(rid: str, year: int | None, added: str, **extra) -> Record:
    return Record.model_validate(
        {
            "id": rid,
            "type": "paper",
            "title": extra.pop("title", f"Title {rid}"),
            "year": year,
            "categories": ["serving"],
            "sources": [{"list": "manual", "as_listed": "x"}],
            "added": added,
            **extra,
        }
    )


def test_newest_first_by_year_then_added_with_undated_last():
    records = [
        _record("a", 2021, "2026-01-05"),
        _record("b", 2023, "2026-01-01"),
        _record("c", None, "2026-02-01"),
        _record("d", 2023, "2026-03-01"),
        _record("e", 2021, "2026-01-05", title="Another"),
    ]
    assert [r.id for r in newest_first(records)] == ["d", "b", "e", "a", "c"]
    assert [r.id for r in newest_added(records, 3)] == ["d", "c", "e"]


def test_category_page_order_counts_and_year_headings(site):
    page = site["serving.md"]
    assert 'Serving systems <span class="lp-count">4 entries</span>' in page
    ids = re.findall(r'<h3 id="([a-z0-9-]+)"', page)
    assert ids == ["hostile-script", "pagedattention", "vllm", "orca"]
    headings = re.findall(r"^## (\d{4}) .*data-toc-label=\"\d{4} \((\d+)\)\"", page, re.M)
    assert headings == [("2024", "1"), ("2023", "2"), ("2022", "1")]
    assert "0 entries" in site["quantization.md"] and "No entries yet" in site["quantization.md"]


def test_home_counts_by_category_and_type(site):
    home = site["index.md"]
    assert '<a href="serving/">Serving systems</a> <span class="lp-count">4</span>' in home
    assert '<a class="lp-type-count" href="all/?type=paper"><strong>4</strong> papers</a>' in home
    assert "<strong>9 entries</strong>" in home
    newest = re.findall(r'<li><a href="works/([a-z0-9-]+)/">', home)
    assert newest[:2] == ["hostile-script", "hostile-markdown"]
    assert newest[-1] == "hostile-attr"  # added first of all


def test_anchor_is_the_id_on_every_category_page_and_search_indexes_the_work_page(db, site):
    for record in db.records:
        for slug in record.categories:
            page = site[f"{slug}.md"]
            assert len(re.findall(rf'<h3 id="{record.id}" data-search-exclude>', page)) == 1, (record.id, slug)
            assert f'href="../works/{record.id}/"' in page
        assert f'<article class="lp-work lp-{record.type.value}" id="{record.id}">' in site[f"works/{record.id}.html"]


def test_edit_link_points_to_the_record_file(db, site):
    assert (
        'href="https://github.com/llmpapers/llmpapers/edit/main/data/records/orca.yaml">edit this entry</a>'
        in site["serving.md"]
    )
    bare = texts(render_site(db.records, db.categories, db.venues, SiteOptions()))
    assert 'class="lp-edit"' not in "".join(bare.values())


def test_title_links_to_the_first_readable_link(db):
    by_id = db.by_id()
    assert read_url(by_id["orca"]) == "https://www.usenix.org/conference/osdi22/presentation/yu"
    assert read_url(by_id["pagedattention"]) == "https://arxiv.org/abs/2309.06180"
    assert read_url(by_id["vllm"]) == "https://docs.vllm.ai/"
    assert read_url(by_id["speculative-decoding"]) == "https://arxiv.org/abs/2211.17192"
    assert read_url(by_id["making-deep-learning-go-brrrr"]) is None


def test_search_links_only_for_records_without_links(entries, site):
    assert entries["orca"].searches == []
    searches = entries["making-deep-learning-go-brrrr"].searches
    assert [s.label for s in searches] == ["arXiv", "Semantic Scholar", "Google Scholar"]
    assert searches[0].url == (
        "https://arxiv.org/search/?query=Making%20Deep%20Learning%20Go%20Brrrr%20From%20First%20Principles"
        "&searchtype=title"
    )
    assert "%22Making%20Deep" in searches[1].url and "as_epq=Making%20Deep" in searches[2].url
    page = site["attention-kernels.md"]
    assert "No link yet." in page and page.count('class="lp-search"') == 3
    assert page.count("search Google Scholar") == 1
    hostile = search_links('<a href="x">&')
    assert all("<" not in s.url and '"' not in s.url and " " not in s.url for s in hostile)


MARKDOWN_LINE = re.compile(
    r"^(|---|search:|  exclude: true|hide:|  - navigation|  - toc"
    r'|## (\d{4}|Undated) <span class="lp-count">\d+</span> \{ #_(\d{4}|undated) '
    r'data-toc-label="(\d{4}|Undated) \(\d+\)" data-search-exclude \}'
    r"|## [A-Z][a-z ]+ \{ #[a-z-]+ \}"
    r"|title: LPSHELLTITLE|description: LPSHELLDESCRIPTION|shell: true)$"  # the works' frame (publish/fill.py)
)


def _markdown_lines(text: str) -> list[str]:
    """Lines outside raw HTML blocks: a block starts with '<' at line start and runs to a blank line."""
    out, in_html = [], False
    for line in text.split("\n"):
        if in_html:
            in_html = line != ""
        elif line.startswith("<"):
            in_html = True
        else:
            out.append(line)
    return out


@pytest.mark.parametrize("suffix", [".md"])
def test_generated_markdown_is_only_headings_and_html_blocks(db, suffix):
    """What MkDocs reads (the stubs, their blocks set aside) and the stubs with their blocks back."""
    rendered = render_site(db.records, db.categories, db.venues, OPTIONS)
    for path, text in [*rendered.files.items(), *texts(rendered).items()]:
        if path.endswith(suffix):
            bad = [line for line in _markdown_lines(text) if not MARKDOWN_LINE.match(line)]
            assert bad == [], f"{path}: Markdown outside HTML blocks: {bad}"


def test_hostile_strings_are_escaped_everywhere(site):
    text = "\n".join(t for path, t in site.items() if not path.endswith(".bib"))  # BibTeX is not HTML
    assert "<script>" not in text and "<img" not in text and "<svg onload" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in site["benchmarks-surveys.md"]
    assert not re.search(r"""(href|src)=["']?\s*javascript:""", text, re.I)
    unquoted = re.sub(r'"[^"]*"', '""', text)  # escaped data inside a quoted attribute value is text
    assert not re.search(r"<[^>]*\son[a-z]+=", unquoted), "an on…= attribute inside a tag"
    page = site["llm-applications.md"]
    assert "[x](javascript:alert(1))" in page  # shown as text inside an HTML block
    assert "{{ 7*7 }} {% raw %}" in page and "{# comment #} ${x}" in page  # Jinja syntax stays literal
    works = "".join(text for path, text in site.items() if path.startswith("works/"))  # aliases: on work pages
    assert "&lt;/div&gt;&lt;/article&gt;&lt;script&gt;" in works
    assert "{ onclick=alert(1) }" in works
    assert "&amp;amp;" in works  # a literal '&amp;' in data is shown as '&amp;'


def test_json_data_cannot_break_out_of_a_script_element():
    assert safe_json({"a": "</script><!--\u2028"}) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}'


def test_feed_is_atom_xml_with_newest_first(site):
    root = ET.fromstring(site["feed.xml"].encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == "<script>alert(1)</script>" and len(titles) == 9


def test_two_outputs_for_one_path_are_refused(db):
    clash = Category(slug="all", name="All", group="G", scope="s")
    with pytest.raises(RenderError, match="all.md"):
        render_site([], [*db.categories, clash], db.venues, OPTIONS)


def test_chart_is_valid_svg_with_a_row_per_category(db):
    evil = [*db.categories, Category(slug="x", name="<b>&</b>", group="G", scope="s")]
    svg = year_category_svg(db.records, evil)
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Serving systems" in labels and "<b>&</b>" in labels
    assert "2022" in labels and "2024" in labels
    assert "1 without a year" in root.findtext("{http://www.w3.org/2000/svg}title")


def test_chart_folds_old_years():
    records = [_record(f"r{y}", y, "2026-01-01") for y in (1990, 2000, 2010, 2020, 2024)]
    cats = [Category(slug="serving", name="Serving", group="G", scope="s")]
    svg = year_category_svg(records, cats)
    assert "≤2011" in svg and ">2024<" in svg and ">2012<" in svg
    assert str(dt.date.today().year + 2) not in svg


def test_an_empty_database_renders_every_page(db):
    site = texts(render_site([], db.categories, db.venues, OPTIONS))
    assert "0 entries" in site["serving.md"] and "<strong>0 entries</strong>" in site["index.md"]
    assert not [path for path in site if path.startswith("works/") and SHELL_ID not in path]
    ET.fromstring(site["feed.xml"].encode())
    ET.fromstring(year_category_svg([], db.categories))


def test_bibtex_snippet_is_the_export_entry_escaped(db, site):
    from markupsafe import escape

    from llmpapers.publish.export import bibtex_entry

    record = db.by_id()["hostile-script"]
    snippet = str(escape(bibtex_entry(record, "hostile-script", db.venues).strip()))
    assert f"<summary>BibTeX</summary><pre>{snippet}</pre>" in site["benchmarks-surveys.md"]


def test_a_former_id_keeps_its_address(db):
    from llmpapers.identity.rules import revise

    records = [revise(r, former_ids=["orca-a-distributed-serving"]) if r.id == "orca" else r for r in db.records]
    site = texts(render_site(records, db.categories, db.venues, SiteOptions()))
    moved = site["works/orca-a-distributed-serving.html"]
    assert '<meta http-equiv="refresh" content="0; url=../orca/">' in moved
    assert '<link rel="canonical" href="../orca/">' in moved and '<a href="../orca/">works/orca/</a>' in moved
    assert '<span id="orca-a-distributed-serving" class="lp-former"></span>' in site["serving.md"]


def test_one_id_rule_whichever_way_a_work_comes_in():
    from llmpapers.identity.merge import new_id
    from llmpapers.ingest.candidate import Candidate

    def listing(title, short=None):
        return Candidate(title=title, as_listed=title, list_name="l", line=1, short_name=short)

    assert new_id(listing("TensorRT-LLM"), set()) == "tensorrt-llm"
    assert (
        new_id(listing("Deja Vu: Contextual Sparsity for Efficient LLMs at Inference Time", "Deja Vu"), set())
        == "deja-vu"
    )
    long = listing("Accelerating Large Language Model Decoding with Speculative Sampling")
    assert new_id(long, set()) == "accelerating-llm-decoding"
    assert new_id(long, {"accelerating-llm-decoding"}) == "accelerating-llm-decoding-2"
