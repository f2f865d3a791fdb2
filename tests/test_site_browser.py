"""The built fixture site in a real browser: Debian's chromium driven by Playwright, served on 127.0.0.1.

Skipped when /usr/bin/chromium (or Playwright) is missing; ``.ci/browser-deps`` installs chromium.
Every page is opened with a dialog handler that records any alert(): a hostile title must never run.
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import fixture_db
from llmpapers.commands.database import load_valid
from llmpapers.config import Settings
from llmpapers.publish.site import build_site

ROOT = Path(__file__).parent.parent

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    build = tmp_path_factory.mktemp("browser-build")
    data = fixture_db("site", tmp_path_factory.mktemp("browser-data"))
    db, _ = load_valid(data)
    settings = Settings(
        root=ROOT,
        data_dir=data,
        templates_dir=ROOT / "templates",
        site_dir=ROOT / "site",
        build_dir=build,
        repo_url="https://github.com/llmpapers/llmpapers",
        branch="main",
        site_url="",
    )
    result = build_site(settings, db)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(result.site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, base_url):
    """Open a path of the site in a fresh context; fail the test if any dialog (alert) opens."""
    contexts, dialogs = [], []

    def open_(path: str = "", **context_options):
        context = browser.new_context(**context_options)
        context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())  # offline
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base_url + path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def search(page, query: str):
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=20)  # Material listens to keys
    results = page.locator(".md-search-result__link")
    results.first.wait_for(timeout=10_000)
    return results


@pytest.mark.parametrize(
    "query, expected",
    [
        ("PagedAttention", "Efficient Memory Management for Large Language Model Serving with PagedAttention"),
        ("Orca", "Orca: A Distributed Serving System"),
        ("speculative", "Fast Inference from Transformers via Speculative Decoding"),
        ("SOSP", "Efficient Memory Management"),
        ("Leviathan", "Fast Inference from Transformers"),
    ],
)
def test_search_finds_the_entry(open_page, query, expected):
    page = open_page("")
    results = search(page, query)
    # Material folds a page's further hits under "N more on this page": present, maybe not visible
    sync_api.expect(results.filter(has_text=expected).first).to_be_attached()


def test_search_result_opens_the_work_page(open_page):
    page = open_page("")
    results = search(page, "PagedAttention")
    results.filter(has_text="Efficient Memory Management").first.click()
    page.wait_for_url(re.compile(r"/works/pagedattention/(\?h=[^#]*)?$"))
    sync_api.expect(page.locator("h1")).to_contain_text("Efficient Memory Management")


def test_search_finds_a_paper_by_its_code_and_a_person(open_page):
    page = open_page("")
    results = search(page, "vLLM")
    sync_api.expect(results.filter(has_text="Efficient Memory Management").first).to_be_attached()
    page = open_page("")
    results = search(page, "Woosuk Kwon")
    sync_api.expect(results.first).to_contain_text("Efficient Memory Management")


def test_hostile_titles_show_as_text_in_search_results(open_page):
    page = open_page("")
    results = search(page, "Robert")  # an author of the hostile record
    sync_api.expect(results.filter(has_text="alert(1)").first).to_be_visible()
    assert page.locator(".md-search-result script, .md-search-result img, .md-search-result svg[onload]").count() == 0


def test_a_work_page_has_everything_and_reference_managers_read_it(open_page):
    page = open_page("works/pagedattention/")
    sync_api.expect(page.locator("h1")).to_have_text(
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )
    head = {
        name: page.locator(f'head meta[name="{name}"]').evaluate_all("els => els.map(e => e.content)")
        for name in ("citation_title", "citation_author", "citation_doi", "citation_conference_title")
    }
    assert head["citation_title"] == [
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    ]
    assert head["citation_author"][0] == "Woosuk Kwon" and head["citation_doi"] == ["10.1145/3600006.3613165"]
    sync_api.expect(page.locator(".lp-related")).to_contain_text("Code: vLLM")
    sync_api.expect(page.locator("details.lp-bib pre").first).to_contain_text("@inproceedings{pagedattention,")
    sync_api.expect(page.locator("details.lp-csl pre")).to_contain_text('"DOI": "10.1145/3600006.3613165"')
    page.locator(".lp-related a").click()
    page.wait_for_url(re.compile(r"/works/vllm/$"))
    sync_api.expect(page.locator(".lp-related")).to_contain_text("Paper: Efficient Memory Management")


def test_cards_link_to_their_work_page_and_carry_coins(open_page):
    page = open_page("serving/")
    card = page.locator("article.lp-entry:has(#orca)")
    assert card.locator("span.Z3988").get_attribute("title").startswith("ctx_ver=Z39.88-2004")
    card.locator("a.lp-page").click()
    page.wait_for_url(re.compile(r"/works/orca/$"))
    sync_api.expect(page.locator(".lp-listed")).to_contain_text(
        "awesome-llm-inference (Awesome LLM Inference Papers with Codes)"
    )


def test_category_page_anchor_and_entry_details(open_page):
    page = open_page("serving/#orca")
    entry = page.locator("article.lp-entry:has(#orca)")
    sync_api.expect(page.locator("#orca")).to_be_in_viewport()
    sync_api.expect(entry.locator("h3 a").first).to_have_attribute(
        "href", "https://www.usenix.org/conference/osdi22/presentation/yu"
    )
    sync_api.expect(entry).to_contain_text("Orca · paper · OSDI · 2022")
    sync_api.expect(entry).to_contain_text("Gyeong-In Yu")
    sync_api.expect(entry.locator("a.lp-edit")).to_have_attribute("href", re.compile(r"/edit/main/.*/orca\.yaml$"))
    sync_api.expect(page.locator("h1")).to_contain_text("Serving systems")
    assert page.locator("article.lp-entry").count() == 4
    assert page.title().startswith("Serving systems")


def test_copy_bibtex_to_the_clipboard(open_page):
    page = open_page("serving/", permissions=["clipboard-read", "clipboard-write"])
    entry = page.locator("article.lp-entry:has(#orca)")
    entry.locator("details.lp-bib > summary").click()
    button = entry.locator("button.lp-copy")
    button.click()
    sync_api.expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{orca,") and "Gyeong-In Yu" in copied


def _status(page) -> str:
    return page.locator("#lp_status").inner_text()


def check(page, facet: str, value: str) -> None:
    if not page.locator(f"#lp_{facet}").evaluate("d => d.open"):
        page.locator(f"#lp_{facet} > summary").click()
    page.locator(f'#lp_{facet} input[value="{value}"]').check()


def test_filters_change_the_count(open_page):
    page = open_page("all/")
    sync_api.expect(page.locator("#lp_filters")).to_be_visible()
    status = page.locator("#lp_status")
    sync_api.expect(status).to_have_text("Showing all 9 entries.")
    check(page, "category", "serving")
    sync_api.expect(status).to_have_text("Showing 4 of 9 entries.")
    check(page, "type", "tool")
    sync_api.expect(status).to_have_text("Showing 1 of 9 entries.")
    sync_api.expect(page.locator("tbody tr:visible")).to_have_count(1)
    sync_api.expect(page.locator("tbody tr:visible")).to_contain_text("vLLM")
    page.click("#lp_reset")
    sync_api.expect(status).to_have_text("Showing all 9 entries.")
    page.fill("#lp_from", "2023")
    page.fill("#lp_to", "2023")
    sync_api.expect(status).to_have_text("Showing 2 of 9 entries.")
    page.click("#lp_reset")
    check(page, "venue", "SOSP")
    check(page, "venue", "OSDI")  # facets are multi-select: either venue
    sync_api.expect(status).to_have_text("Showing 2 of 9 entries.")
    assert "venue=SOSP%2COSDI" in page.url or "venue=OSDI%2CSOSP" in page.url
    page.click("#lp_reset")
    page.fill("#lp_q", "kwon memory")
    sync_api.expect(status).to_have_text("Showing 1 of 9 entries.")
    assert "text=kwon" in page.url
    page.fill("#lp_q", "<script>")
    sync_api.expect(status).to_have_text("Showing 1 of 9 entries.")
    page.click("#lp_reset")
    page.check("#lp_code")
    sync_api.expect(status).to_have_text("Showing 3 of 9 entries.")
    assert all(row.get_attribute("data-code") == "1" for row in page.locator("tbody tr:visible").all())


def test_filters_and_sort_read_the_query_string(open_page):
    page = open_page("all/?type=paper&from=2023&sort=title")
    sync_api.expect(page.locator("#lp_status")).to_have_text("Showing 2 of 9 entries.")
    sync_api.expect(page.locator('#lp_type input[value="paper"]')).to_be_checked()
    titles = page.locator("tbody tr:visible td:first-child a").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold)


def test_sorting_by_column(open_page):
    page = open_page("all/")
    page.locator('th[data-sort="year"] button').click()  # newest first already: now oldest first
    years = [int(y) for y in page.locator("tbody tr td:nth-child(4)").all_inner_texts() if y]
    assert years == sorted(years)
    assert page.locator('th[data-sort="year"]').get_attribute("aria-sort") == "ascending" and "sort=year" in page.url
    page.locator('th[data-sort="venue"] button').click()
    venues = [v for v in page.locator("tbody tr td:nth-child(3)").all_inner_texts() if v]
    assert venues == sorted(venues, key=str.casefold)


def test_download_the_filtered_set_as_bibtex(open_page):
    page = open_page("all/?venue=OSDI,SOSP")
    button = page.locator("#lp_download")
    sync_api.expect(button).to_have_text("Download these 2 as BibTeX")
    with page.expect_download() as info:
        button.click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert download.suggested_filename == "llmpapers-2.bib"
    assert "@inproceedings{orca," in text and "@inproceedings{pagedattention," in text and text.count("\n@") <= 3


def test_without_javascript_the_page_says_its_filters_are_not_applied(open_page):
    page = open_page("all/?type=tool", java_script_enabled=False)
    sync_api.expect(page.locator(".lp-noscript")).to_contain_text("filters in this page's address")
    assert page.locator("tbody tr").count() == 9


def test_hostile_titles_show_as_text(open_page):
    page = open_page("benchmarks-surveys/")
    title = page.locator("#hostile-script a").first
    sync_api.expect(title).to_have_text("<script>alert(1)</script>")
    assert page.locator("article script, article img, article svg").count() == 0
    page = open_page("llm-applications/")
    sync_api.expect(page.locator("#hostile-markdown")).to_contain_text("[x](javascript:alert(1))")
    sync_api.expect(page.locator("article.lp-entry:has(#hostile-markdown)")).to_contain_text("{{ 7*7 }} {% raw %}")
    page = open_page("architectures/")
    sync_api.expect(page.locator("#hostile-attr")).to_contain_text("Attribute list { onclick=alert(1) }")
    assert page.locator("[onclick], #evil, .evil").count() == 0
    page.locator("#hostile-attr").click()


def test_pages_read_without_javascript(open_page):
    page = open_page("all/", java_script_enabled=False)
    sync_api.expect(page.locator("tbody tr")).to_have_count(9)
    sync_api.expect(page.locator("#lp_filters")).to_be_hidden()
    sync_api.expect(page.locator("#lp_status")).to_have_text("9 entries.")
    page = open_page("serving/", java_script_enabled=False)
    sync_api.expect(page.locator("article.lp-entry")).to_have_count(4)
    page.locator("article.lp-entry:has(#orca) details.lp-bib > summary").click()
    sync_api.expect(page.locator("article.lp-entry:has(#orca) pre")).to_contain_text("@inproceedings{orca,")


def test_dark_mode_toggle(open_page):
    """The toggle cycles system preference -> light -> dark."""
    page = open_page("", color_scheme="light")
    body = page.locator("body")
    sync_api.expect(body).to_have_attribute("data-md-color-scheme", "default")
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    toggle.click()
    sync_api.expect(toggle).to_have_attribute("title", "Switch to dark mode")
    toggle.click()
    sync_api.expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_pages_fetch_nothing_from_elsewhere(open_page):
    """Viewing the site sends no request anywhere but the site itself (no fonts, widgets or chart data)."""
    outside = []
    for path in ("", "serving/", "all/"):
        page = open_page(path)
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
        page.reload()
        page.wait_for_load_state("networkidle")
    assert outside == []


def test_the_copy_button_on_a_work_page_announces_what_it_copied(open_page):
    page = open_page("works/orca/", permissions=["clipboard-read", "clipboard-write"])
    button = page.locator("details.lp-csl button.lp-copy")
    sync_api.expect(button).to_have_attribute("aria-label", "Copy CSL-JSON to the clipboard")
    button.click()
    sync_api.expect(page.locator("details.lp-csl [role=status]")).to_have_text("CSL-JSON copied to the clipboard")
    assert '"title": "Orca: A Distributed Serving System' in page.evaluate("navigator.clipboard.readText()")


# --- accessibility, phone and density ------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # .ci/browser-deps installs it from the npm lock
PAGES = ["", "serving/", "kv-cache/", "all/", "all/?category=serving&sort=title", "works/pagedattention/",
         "works/hostile-script/", "about/", "contribute/"]  # fmt: skip


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (npm ci, see .ci/browser-deps)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(open_page, scheme):
    found = {}
    for path in PAGES:
        page = open_page(path, color_scheme=scheme)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
                 ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}))
               .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ' ' + v.nodes[0].target.join(' '))"""
        )
        if violations:
            found[path] = violations
    assert found == {}


def test_focus_is_visible_and_every_page_has_a_skip_link(open_page):
    page = open_page("all/")
    for box in ("#lp_q", "#lp_from"):
        page.locator(box).focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus reached by keyboard, as :focus-visible needs
        style = page.locator(box).evaluate(
            "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
        )
        assert not style.startswith("none"), (box, style)
    for path in ("", "all/", "works/orca/", "serving/"):
        page = open_page(path)
        page.keyboard.press("Tab")
        sync_api.expect(page.locator("a.md-skip")).to_be_focused()


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_never_scrolls_sideways(open_page, path):
    page = open_page(path, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_category_page_shows_six_entries_per_screen(open_page):
    page = open_page("serving/", viewport={"width": 1280, "height": 800})
    heights = page.locator("article.lp-entry").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height + parseFloat(getComputedStyle(e).marginBottom))"
    )
    assert sum(heights) / len(heights) <= (800 - 96) / 6  # below the header and tabs


def test_a_deep_link_to_an_entry_is_highlighted_and_the_chart_links_its_cells(open_page):
    page = open_page("serving/#orca")
    outline = page.locator("article.lp-entry:has(#orca)").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page = open_page("")
    cell = page.locator("svg.lp-chart a").first
    href = cell.get_attribute("href")
    assert href.startswith("all/?category=") and "&from=" in href and cell.get_attribute("aria-label")
    rows = page.locator("details.lp-chart-table table tbody tr")
    assert rows.count() == page.locator("svg.lp-chart text[text-anchor=end]").count()  # a row per category
    assert page.locator(f'details.lp-chart-table a[href="{href}"]').count() == 1  # the same numbers, linked


def test_no_page_asks_another_host_for_anything(browser, base_url):
    """Fonts, scripts, images, search: everything comes from the site itself (the route in open_page aborts
    them quietly; here every request is recorded)."""
    context = browser.new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    for path in PAGES:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    search(page, "Orca")
    context.close()
    foreign = sorted({url for url in asked if not url.startswith(base_url) and not url.startswith("data:")})
    assert foreign == []
