"""Hostile text in every field that reaches a page, the search index, the JSON, the feed or the BibTeX.

One record carries a different payload in each text field (HTML, script, event attributes, Markdown links
and images with bad schemes, attribute lists, Jinja syntax, 20,000 brackets); the taxonomy and the venue
table carry payloads too. The site is built for real and every output is inspected.
"""

from __future__ import annotations

import gzip
import json
import time

import bibtexparser
import pytest

from conftest import fixture_db
from llmpapers.commands.database import load_valid
from llmpapers.db.venues import VenueTable
from llmpapers.ingest.bibtex import parse as parse_bibtex
from llmpapers.publish.export import to_bibtex
from llmpapers.publish.search import read_works_list
from llmpapers.publish.site import build_site
from test_site_build import inspect, settings_for

PAYLOADS = {
    "title": "<script>alert('title')</script> {{ 7*7 }} {% raw %}",
    "short_name": "<img src=x onerror=alert(1)>",
    "authors": ["[x](javascript:alert('author'))", "![i](javascript:alert(2))", "Foo}, note = {X"],
    "aliases": ["{ onclick=alert(3) }", "<a href='javascript:alert(4)'>a</a>", "{"]
    + ["[" * 800 + f"{i}" for i in range(25)],  # 20,000 brackets (Python-Markdown takes 55 s on them in a paragraph)
}
CATEGORY_NAME = "<b onmouseover=alert(5)>Serving</b> [c](javascript:alert(6))"
VENUE = "OSDI<svg onload=alert(7)>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    fixture_db("site", data)
    cats = (data / "categories.yaml").read_text(encoding="utf-8")
    cats = cats.replace("    name: Serving systems\n", f"    name: '{CATEGORY_NAME}'\n", 1)
    (data / "categories.yaml").write_text(cats, encoding="utf-8")
    venues = (data / "venues.yaml").read_text(encoding="utf-8")
    venues = venues.replace("  - name: OSDI\n", f"  - name: '{VENUE}'\n", 1)
    (data / "venues.yaml").write_text(venues, encoding="utf-8")
    record = {
        "id": "everything-hostile",
        "type": "paper",
        **PAYLOADS,
        "year": 2024,
        "venue": VENUE,
        "links": {"paper": 'https://example.org/a?x=<b>&y="q"', "code": "https://example.org/'onmouseover='x"},
        "categories": ["serving", "kv-cache"],
        "sources": [{"list": "<script>x</script>", "section": "{{ 1+1 }}", "as_listed": "[[[<i>]]]", "line": 1}],
        "added": "2026-11-22",
    }
    (data / "records" / "everything-hostile.yaml").write_text(json.dumps(record), encoding="utf-8")  # JSON is YAML
    for path in (data / "records").glob("*.yaml"):  # other records may name the venue we renamed
        text = path.read_text(encoding="utf-8")
        if "venue: OSDI\n" in text:
            path.write_text(text.replace("venue: OSDI\n", f"venue: '{VENUE}'\n"), encoding="utf-8")
    db, problems = load_valid(data)
    assert [p.format() for p in problems if p.is_error] == []
    started = time.perf_counter()
    result = build_site(settings_for(data, tmp_path_factory.mktemp("build")), db)
    return result, db, time.perf_counter() - started


def test_build_time_stays_bounded(hostile):
    _, _, seconds = hostile
    assert seconds < 60  # a generous bound against a quadratic blow-up, not a performance target


def test_no_page_carries_injected_markup(hostile):
    result, _, _ = hostile
    for page in sorted(result.site_dir.rglob("*.html")):
        found = inspect(page)
        assert found.handlers == [], f"{page}: {found.handlers}"
        assert found.js_urls == [], f"{page}: {found.js_urls}"
        for script in found.scripts:
            assert "alert(" not in script["text"], page
            src = script["attrs"].get("src")
            assert not src or src.lstrip("./").startswith("assets/"), f"{page}: {src}"


def test_payloads_show_as_text(hostile):
    result, _, _ = hostile
    page = (result.site_dir / "serving" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; {{ 7*7 }} {% raw %}" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "[x](javascript:alert(&#39;author&#39;))" in page
    work = (result.site_dir / "works" / "everything-hostile" / "index.html").read_text(encoding="utf-8")
    assert "{ onclick=alert(3) }" in work  # aliases are shown on the work's page
    assert "&lt;b onmouseover=alert(5)&gt;Serving&lt;/b&gt;" in page


def test_search_index_json_feed_and_bibtex_are_safe(hostile):
    result, db, _ = hostile
    site = result.site_dir
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    assert "<script>" not in texts and "onerror=" not in texts.replace("onerror=alert(1)&gt;", "")
    # the works' list is data, not HTML: the search worker escapes it (test_site_browser shows the result)
    works = read_works_list(gzip.decompress((site / "search" / "works.txt.gz").read_bytes()).decode())
    assert set(works["ids"].split("\n")) == {r.id for r in db.records}
    assert len(works["titles"].split("\n")) == works["count"]  # no title breaks its line
    for name in ("downloads/llmpapers.json", "downloads/llmpapers.csl.json"):
        raw = (site / name).read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw, name  # safe to inline in HTML
        json.loads(raw)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in feed and "&lt;script&gt;" in feed
    bib = (site / "downloads" / "llmpapers.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    entry = next(e for e in library.entries if e.key == "everything-hostile")
    assert sorted(entry.fields_dict) == ["author", "booktitle", "title", "url", "year"]  # no smuggled field
    back = parse_bibtex(to_bibtex(db.records, db.venues), "x", VenueTable(db.venues))
    again = next(c for c in back.candidates if c.key == "everything-hostile")
    assert again.title == PAYLOADS["title"] and again.authors == PAYLOADS["authors"]
