"""How soon after page load the site's search answers, in Debian's chromium (headless, Playwright).

    .venv/bin/python benchmarks/search_timing.py build/bench/10k-s1/site-build/site [--query speculative]

Serves the built site on 127.0.0.1, opens the home page in a fresh browser context (nothing cached), and
measures from navigation start until the first search result for the query is on screen: the search index is
fetched and indexed by Material's worker meanwhile. Prints the median of several runs, with the index's size.
The target (issue 8): within 1 s at 10,000 records.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path, query: str, runs: int) -> tuple[list[float], list[float], list[float]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times: list[float] = []
    loads: list[float] = []
    fetched: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.locator("label.md-search__icon, .md-search__input").first.click()
                page.locator("input.md-search__input").press_sequentially(query)  # Material listens to keys
                page.wait_for_function(  # Material writes "N matching documents" once the worker answered
                    "/^[1-9][0-9,]* matching/.test(document.querySelector('.md-search-result__meta')?.textContent)",
                    timeout=30_000,
                )
                times.append(page.evaluate("performance.now()") / 1000)  # since navigation start
                loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                fetched.append(
                    page.evaluate(
                        "Math.max(0, ...performance.getEntriesByType('resource')"
                        ".filter(e => e.name.includes('search_index')).map(e => e.responseEnd))"
                    )
                    / 1000
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return times, loads, fetched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (holding search/search_index.json)")
    parser.add_argument("--query", default="speculative")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    index = (args.site / "search" / "search_index.json").read_bytes()
    times, loads, fetched = measure(args.site, args.query, args.runs)
    print(
        f"search index {len(index) / 1e6:.2f} MB ({len(gzip.compress(index)) / 1e6:.2f} MB gzipped); "
        f"first result for {args.query!r} {statistics.median(times):.2f} s after navigation start "
        f"(median of {len(times)}: {', '.join(f'{t:.2f}' for t in times)}); page loaded at "
        f"{statistics.median(loads):.2f} s, index fetched by {statistics.median(fetched):.2f} s, the rest is "
        "Material's worker building its index"
    )


if __name__ == "__main__":
    main()
