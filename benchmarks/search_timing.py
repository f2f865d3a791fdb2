"""How soon after page load the site's search answers, in Debian's chromium (headless, Playwright).

    .venv/bin/python benchmarks/search_timing.py build/bench/10k-s1/site-build/site [--query speculative]

Serves the built site on 127.0.0.1, opens the home page in a fresh browser context (nothing cached), puts
the query into the search box as soon as the page has loaded (from inside the page, so that no automation
round trip is timed), and measures from navigation start until the count of results for it is on screen: meanwhile the
page fetches the search index and hands it to the search worker (site/docs/assets/search-worker.js).
Prints the median of several runs, with the index's size. The target: within 1 s at 10,000 and 50,000 records.
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


# Opens the search, puts the query in the box and releases a key (Material reads the box on key release),
# then notes when the result count appears: performance.now() is measured from navigation start.
QUERY = """query => {
  document.getElementById("__search").checked = true;
  const box = document.querySelector("input.md-search__input");
  box.value = query;
  box.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
  const meta = document.querySelector(".md-search-result__meta");
  new MutationObserver((_, observer) => {
    if (/^[1-9][0-9.,k]* matching/.test(meta.textContent)) {
      window.lpAnswered = performance.now();
      observer.disconnect();
    }
  }).observe(meta, { childList: true, characterData: true, subtree: true });
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path, query: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from navigation start to the first answer, and to the load event, for each run."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    times: list[float] = []
    loads: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)  # returns at the load event
                # the query goes in at once, from inside the page: no automation round trip in the timing
                page.evaluate(QUERY, query)
                page.wait_for_function(  # Material writes "N matching documents" once the worker answered
                    "/^[1-9][0-9.,k]* matching/.test(document.querySelector('.md-search-result__meta')?.textContent)",
                    timeout=30_000,
                    polling="raf",
                )
                times.append(page.evaluate("window.lpAnswered") / 1000)  # since navigation start
                loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return times, loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (holding search/works.txt.gz)")
    parser.add_argument("--query", default="speculative decoding")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    packed = (args.site / "search" / "works.txt.gz").read_bytes()
    times, loads = measure(args.site, args.query, args.runs)
    print(
        f"works' search list {len(gzip.decompress(packed)) / 1e6:.2f} MB ({len(packed) / 1e6:.2f} MB gzipped); "
        f"first result for {args.query!r} {statistics.median(times):.2f} s after navigation start "
        f"(median of {len(times)}: {', '.join(f'{t:.2f}' for t in times)}); page loaded at "
        f"{statistics.median(loads):.2f} s"
    )


if __name__ == "__main__":
    main()
