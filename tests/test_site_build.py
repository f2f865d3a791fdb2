"""Building the site: the fixture database through MkDocs (and Zensical), then every built page inspected.

The 10,000-record check is slow and runs only with ``LLMPAPERS_SLOW=1``; it prints the build time and the
size of the search index.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest

from conftest import TAXONOMY, fixture_db
from llmpapers.cli import main
from llmpapers.commands.database import load_valid
from llmpapers.config import Settings
from llmpapers.db.models import Record
from llmpapers.db.store import load_database, write_record
from llmpapers.errors import LlmpapersError
from llmpapers.publish.finish import finish_site
from llmpapers.publish.search import read_works_list
from llmpapers.publish.site import SiteBuildError, build_site, render_files

ROOT = Path(__file__).parent.parent
REPO = "https://github.com/llmpapers/llmpapers"


def settings_for(data: Path, build: Path, site: Path = ROOT / "site", root: Path = ROOT) -> Settings:
    return Settings(
        root=root,
        data_dir=data,
        templates_dir=ROOT / "templates",
        site_dir=site,
        build_dir=build,
        repo_url=REPO,
        branch="main",
        site_url="",
    )


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory) -> Path:
    """A stand-in for the repository root holding a complete copy of tests/fixtures/site at the same place,
    so that a build with this root writes the edit links it writes for the fixture in place."""
    root = tmp_path_factory.mktemp("root")
    fixture_db("site", root / "tests" / "fixtures" / "site")
    return root


@pytest.fixture(scope="module")
def site_data(fixture_root) -> Path:
    """The site fixture database, complete (records, taxonomy, venues)."""
    return fixture_root / "tests" / "fixtures" / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory, fixture_root, site_data):
    build = tmp_path_factory.mktemp("build")
    db, diagnostics = load_valid(site_data)
    assert not any(d.is_error for d in diagnostics)
    result = build_site(settings_for(site_data, build, root=fixture_root), db, strict=True)
    return result, db


class Inspector(HTMLParser):
    """Collects ids, scripts, event-handler attributes and javascript: URLs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.js_urls: list[str] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value or "")
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                if "".join(value.split()).lower().startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.js_urls.append(value)
        if tag == "script":
            self._in_script = {"attrs": dict(attrs), "text": ""}
            self.scripts.append(self._in_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["text"] += data


def inspect(path: Path) -> Inspector:
    parser = Inspector()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_prints_nothing_alarming_and_builds_every_page(built):
    result, db = built
    assert result.warnings == []
    site = result.site_dir
    assert result.index == site / "index.html" and result.index.is_file()
    for slug in [c.slug for c in db.categories] + ["all", "about", "contribute"]:
        assert (site / slug / "index.html").is_file(), slug
    assert (site / "search" / "search_index.json").is_file()
    assert (site / "assets" / "llmpapers.js").is_file() and (site / "assets" / "llmpapers.css").is_file()
    assert not (site / "orca").exists(), "no page per record"


def test_anchors_are_record_ids_on_every_category_page(built):
    result, db = built
    for record in db.records:
        for slug in record.categories:
            ids = inspect(result.site_dir / slug / "index.html").ids
            assert ids.count(record.id) == 1, (record.id, slug)
    ids = inspect(result.site_dir / "all" / "index.html").ids
    assert {r.id for r in db.records} <= set(ids)


def test_no_injected_script_handler_or_javascript_url_in_any_page(built):
    result, _ = built
    pages = sorted(result.site_dir.rglob("*.html"))
    assert len(pages) >= 24
    for page in pages:
        found = inspect(page)
        assert found.handlers == [], f"{page}: {found.handlers}"
        assert found.js_urls == [], f"{page}: {found.js_urls}"
        for script in found.scripts:
            src = script["attrs"].get("src")
            if src:
                assert src.lstrip("./").startswith("assets/"), f"{page}: script from {src}"
            assert "alert(" not in script["text"], f"{page}: {script['text'][:200]}"
    text = (result.site_dir / "benchmarks-surveys" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_search_lists_every_work_with_names_authors_venues_and_relations(built):
    result, db = built
    index = json.loads((result.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith(("works/", "all/"))]  # the theme's: pages
    assert not [d for d in index["docs"] if "/#" in d["location"] and "lp-entry" in d.get("text", "")]
    listed = read_works_list(gzip.decompress((result.site_dir / "search" / "works.txt.gz").read_bytes()).decode())
    columns = [listed[name].split("\n") for name in ("ids", "titles", "texts")]
    assert all(len(c) == listed["count"] for c in columns)
    docs = {work_id: {"title": title, "text": text} for work_id, title, text in zip(*columns, strict=True)}
    for field in ("title", "tags", "text"):  # what the worker searches: a line per work, folded
        assert len(listed[field].split("\n")) == listed["count"]
    assert " efficient memory management for large language model serving with pagedattention " in listed["title"]
    assert sorted(docs) == sorted(r.id for r in db.records)
    paged = docs["pagedattention"]
    assert "PagedAttention" in paged["title"] + paged["text"] and "SOSP" in paged["text"]
    assert "Woosuk Kwon" in paged["text"] and "Ion Stoica" in paged["text"]  # every author, not the first ten
    assert " woosuk kwon " in listed["tags"]  # names weigh more than the rest of the text
    assert "[PagedAttention] Efficient" in paged["text"]  # aliases are searchable
    assert "vLLM" in paged["text"]  # the paper is found by its code's name
    assert "Orca" in docs["orca"]["title"] and "OSDI" in docs["orca"]["text"]
    assert docs["hostile-script"]["title"] == "<script>alert(1)</script>"  # data: the worker escapes it
    for work_id, doc in docs.items():  # BibTeX, link rows and provenance stay out of the index
        assert "@" not in doc["text"] and "Edit this entry" not in doc["text"], work_id


def test_downloads_parse_and_hold_every_record(built):
    result, db = built
    site = result.site_dir
    data = json.loads((site / "downloads" / "llmpapers.json").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in data["records"]) == sorted(r.id for r in db.records)
    library = bibtexparser.parse_string((site / "downloads" / "llmpapers.bib").read_text(encoding="utf-8"))
    assert len(library.entries) == len(db.records) and not library.failed_blocks
    assert 'type="application/atom+xml" title="llmpapers: newest entries" href="../feed.xml"' in (
        site / "serving" / "index.html"
    ).read_text(encoding="utf-8")
    feed = ET.parse(site / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(db.records)


def test_edit_links_and_generated_search_links(built):
    result, _ = built
    page = (result.site_dir / "serving" / "index.html").read_text(encoding="utf-8")
    assert f'href="{REPO}/edit/main/tests/fixtures/site/records/orca.yaml"' in page
    page = (result.site_dir / "attention-kernels" / "index.html").read_text(encoding="utf-8")
    assert "search Semantic Scholar" in page and "https://scholar.google.com/scholar?as_epq=" in page


def test_second_build_rewrites_nothing(built, site_data, tmp_path):
    _, db = built
    settings = settings_for(site_data, tmp_path / "b")
    first = build_site(settings, db, run=False)
    again = build_site(settings, db, run=False)
    assert first.changed > 20 and again.changed == 0


def test_stale_generated_files_are_removed(site_data, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "site", site)
    db = load_database(site_data)
    settings = settings_for(site_data, tmp_path / "b", site)
    build_site(settings, db, run=False)
    assert (tmp_path / "b" / "docs" / "about.md").is_file()
    (site / "docs" / "about.md").unlink()
    build_site(settings, db, run=False)
    assert not (tmp_path / "b" / "docs" / "about.md").exists()


def test_a_hand_written_page_that_would_be_overwritten_is_an_error(site_data, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "site", site)
    (site / "docs" / "serving.md").write_text("# mine\n")
    with pytest.raises(SiteBuildError, match="serving.md is also generated"):
        build_site(settings_for(site_data, tmp_path / "b", site), load_database(site_data), run=False)
    assert issubclass(SiteBuildError, LlmpapersError)


def _project(tmp_path: Path, fixture_name: str) -> Path:
    """A copy of the project (templates, site, pyproject) around a copy of fixture database ``fixture_name``."""
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "site", root / "site")
    fixture_db(fixture_name, root / "data")
    (root / "pyproject.toml").write_text(f'[tool.llmpapers]\nrepo_url = "{REPO}"\n')
    return root


def test_cli_build_prints_where_the_site_is(tmp_path, runner, monkeypatch):
    root = _project(tmp_path, "site")
    monkeypatch.chdir(root)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "site: build/site/index.html"
    assert (root / "build" / "site" / "serving" / "index.html").is_file()


def test_cli_build_refuses_invalid_data(tmp_path, runner, monkeypatch):
    root = _project(tmp_path, "site")
    record = root / "data" / "records" / "orca.yaml"
    record.write_text(record.read_text().replace("year: 2022", "year: twenty"))
    monkeypatch.chdir(root)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1
    assert "data/records/orca.yaml:" in result.output and "year" in result.output
    assert "build failed: 1 error, 3 warnings in 4 files" in result.output
    assert not (root / "build").exists()


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None, reason="zensical is not installed")
def test_the_generated_project_also_builds_with_zensical(built, tmp_path, site_data, fixture_root):
    """Zensical builds the staged project, frame and stubs included, and the same finishing step completes it."""
    result, db = built
    project = tmp_path / "z"
    shutil.copytree(result.config_file.parent, project, ignore=shutil.ignore_patterns("site"))
    proc = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project / "site"
    settings = settings_for(site_data, tmp_path / "unused", root=fixture_root)
    finish_site(site, render_files(settings, db), settings.site_url)
    for record in db.records:
        assert inspect(site / "works" / record.id / "index.html").ids.count(record.id) == 1
        for slug in record.categories:
            assert inspect(site / slug / "index.html").ids.count(record.id) == 1
    for page in site.rglob("*.html"):
        found = inspect(page)
        assert found.handlers == [] and found.js_urls == [], page
        assert not any("alert(" in s["text"] for s in found.scripts), page
    assert (site / "downloads" / "llmpapers.bib").is_file()


# --- scale -----------------------------------------------------------------------------------------------

WORDS = (
    "efficient scalable serving inference attention kernel quantization sparse memory cache speculative decoding "
    "transformer language model large distributed training parallel pipeline expert mixture low-rank adaptation "
    "compression pruning distillation throughput latency GPU accelerator compiler runtime system framework"
).split()
NAMES = "Wei Jing Alex Maria Yuki Ahmed Priya Lucas Chen Sofia Omar Hana Zhang Li Wang Smith Kim Garcia Tanaka".split()


def synthesize(data: Path, n: int, seed: int = 7) -> None:
    """``n`` plausible records (1–3 categories, 0–8 authors, a venue most of the time) in ``data``."""
    rnd = random.Random(seed)
    shutil.copy(TAXONOMY / "categories.yaml", data / "categories.yaml")
    shutil.copy(TAXONOMY / "venues.yaml", data / "venues.yaml")
    base = load_database(TAXONOMY)
    cats, venues = [c.slug for c in base.categories], [v.name for v in base.venues]
    for i in range(n):
        title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 12))).capitalize()
        links = {}
        if rnd.random() < 0.6:
            links["arxiv"] = f"{rnd.randint(1501, 2412)}.{rnd.randint(10000, 99999)}"
        if rnd.random() < 0.4:
            links["code"] = f"https://github.com/org{i}/repo{i}"
        authors = {f"{rnd.choice(NAMES)} {rnd.choice(NAMES)}" for _ in range(rnd.randint(0, 8))}
        record = {
            "id": f"work-{i:05d}",
            "type": rnd.choice(["paper"] * 6 + ["tool", "model", "hardware", "article"]),
            "title": f"{title} {i}",
            "short_name": f"Sys{i}" if rnd.random() < 0.4 else None,
            "authors": sorted(authors),
            "year": rnd.randint(2012, 2025),
            "venue": rnd.choice(venues) if rnd.random() < 0.8 else None,
            "links": links,
            "categories": rnd.sample(cats, rnd.choice([1, 1, 1, 2, 2, 3])),
            "sources": [{"list": "synthetic", "as_listed": title}],
            "added": f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        }
        write_record(data, Record.model_validate(record))


@pytest.mark.skipif(not os.environ.get("LLMPAPERS_SLOW"), reason="slow: set LLMPAPERS_SLOW=1")
@pytest.mark.parametrize("n", [10_000])
def test_scale_build_time_and_search_index_size(tmp_path, n, capsys):
    data = tmp_path / "data"
    (data / "records").mkdir(parents=True)
    synthesize(data, n)
    start = time.perf_counter()
    db, diagnostics = load_valid(data)
    loaded = time.perf_counter() - start
    assert len(db.records) == n and not any(d.is_error for d in diagnostics)
    result = build_site(replace(settings_for(data, tmp_path / "build")), db)
    index = gzip.decompress((result.site_dir / "search" / "works.txt.gz").read_bytes())
    pages = len(list(result.site_dir.rglob("*.html")))
    report = (
        f"{n} records: load {loaded:.1f}s, "
        + ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        + f"; {pages} HTML pages; works' search list {len(index) / 1e6:.2f} MB raw, "
        f"{len(gzip.compress(index)) / 1e6:.2f} MB gzipped"
    )
    with capsys.disabled():
        print("\n" + report)
    assert result.timings["mkdocs"] < 120
    assert len(gzip.compress(index)) < 3_000_000
