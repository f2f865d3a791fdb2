"""The floor the site build is measured against: the same pages, written with Jinja alone, no MkDocs.

    .venv/bin/python benchmarks/floor.py PROJECT OUT

``PROJECT`` is a benchmark project (its pyproject.toml names data/, templates/ and site/) that ``llmpapers
build`` has built once: its first work's page is the frame. This is what a throwaway generator that knew the
theme's page by heart would do, and what the real build cannot do better than:

1. load and validate the records as ``llmpapers build`` does (``commands.database.load_valid``, the cache
   included);
2. render the same pages with the same templates (``publish.render.render_site``): every category page, the
   all-entries page and the home page with their blocks in place, every work's page, the downloads, the feed;
3. put each page into the frame with Jinja: the built page made into a template whose title and article are
   variables (``{% raw %}`` around everything else), one render per page, so each page has the bytes of a real
   one: navigation, header, icons and footer included;
4. write every file under ``OUT`` (the benchmark empties it first, as it empties the build's output).

Not done here, and done by the build: Markdown for the hand-written pages and the headings, the theme's
templates, its assets, the search index, the sitemap, reading back what was written. The ratio of the two is
what those cost.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import jinja2  # noqa: E402

from llmpapers.commands.database import load_valid  # noqa: E402
from llmpapers.config import load_settings  # noqa: E402
from llmpapers.publish.finish import built_path  # noqa: E402
from llmpapers.publish.render import SiteOptions, make_environment, render_site  # noqa: E402
from llmpapers.publish.work import WORKS  # noqa: E402

ARTICLE = re.compile(r'<article class="lp-work.*?</article>', re.S)
TITLE = re.compile(r"<title>.*?</title>", re.S)


def frame_template(page: str) -> jinja2.Template:
    """A built work's page as a Jinja template: ``title`` and ``body`` are variables, the rest is verbatim."""
    body, title = ARTICLE.search(page), TITLE.search(page)
    if body is None or title is None:
        raise SystemExit("floor: the frame page has no <article class='lp-work…'> or no <title>")
    cuts = sorted([(title.span(), "<title>{{ title }}</title>"), (body.span(), "{{ body }}")])
    source, at = [], 0
    for (start, end), variable in cuts:
        source += ["{% raw %}", page[at:start], "{% endraw %}", variable]
        at = end
    source += ["{% raw %}", page[at:], "{% endraw %}"]
    return jinja2.Environment(autoescape=False).from_string("".join(source))


def write(path: Path, text: str, folders: set[Path]) -> None:
    if path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    start = time.perf_counter()
    settings = load_settings(root=args.project)
    db, _ = load_valid(settings.data_dir)
    built = settings.build_dir / "site" / WORKS
    first = next((e.path for e in os.scandir(built) if e.is_dir()), None) if built.is_dir() else None
    if first is None:
        raise SystemExit(f"floor: no built work page under {built}: run `llmpapers build` there first")
    frame = frame_template(Path(first, "index.html").read_text(encoding="utf-8"))
    rendered = render_site(
        db.records,
        db.categories,
        db.venues,
        SiteOptions.from_settings(settings),
        make_environment(settings.templates_dir),
    )
    folders = {e.path for e in os.scandir(args.out / WORKS)} if (args.out / WORKS).is_dir() else set()
    folders = {Path(f) for f in folders}
    pages = 0
    for path in rendered.files:
        if path.endswith(".md"):
            text = frame.render(title=path, body=rendered.text(path))
            write(built_path(args.out, path), text, folders)
            pages += 1
        else:
            write(args.out / path, rendered.files[path], folders)
    for page in rendered.work_pages():
        write(
            args.out / WORKS / page.id / "index.html",
            frame.render(title=html.escape(page.title), body=page.body),
            folders,
        )
        pages += 1
    print(f"floor: {len(db.records)} records, {pages} pages in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
