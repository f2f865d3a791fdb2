"""After MkDocs: put the generated blocks into the pages it built, write the downloads and every work's page
into the frame it built once, and list the works for search and in the sitemap. IO at the edge: files
under the built site; the joining itself is publish/fill.py. Each big piece is made, written and let go in
turn, so a build holds the records and one page at a time.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from html import escape
from pathlib import Path

from .fill import SHELL_ID, SHELL_PAGE, FillError, Shell, fill
from .render import Rendered
from .search import works_list
from .work import WORKS, Searched

SEARCH_WORKS = "search/works.txt.gz"
SITEMAP = "sitemap.xml"


def built_path(site_dir: Path, source: str) -> Path:
    """Where MkDocs (``use_directory_urls``) writes the page of ``source``: ``a.md`` → ``a/index.html``."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site_dir / f"{stem}.html"
    return site_dir / stem / "index.html"


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FillError(f"{what}: MkDocs did not write {path} ({exc.strerror})") from None


def fill_pages(site_dir: Path, rendered: Rendered) -> int:
    """Each stub page's blocks, rendered now and put back where its markers are; how many pages were filled."""
    for source, blocks in rendered.blocks.items():
        path = built_path(site_dir, source)
        path.write_text(fill(_read(path, source), blocks(), source), encoding="utf-8")
    return len(rendered.blocks)


def write_downloads(site_dir: Path, rendered: Rendered) -> int:
    """The whole database as BibTeX, JSON and CSL-JSON, one at a time; their size in bytes."""
    size = 0
    for rel, make in rendered.downloads.items():
        data = make().encode("utf-8")
        (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / rel).write_bytes(data)
        size += len(data)
    return size


def rewrite(path: Path, data: bytes) -> None:
    """Write ``data`` over the last build's file: not at all when it is the same (most pages of a rebuild),
    else in place, so that the file system frees no blocks (truncating tens of thousands of files costs
    several times writing them)."""
    try:
        with path.open("r+b") as f:
            if f.read() == data:
                return
            f.seek(0)
            f.write(data)
            f.truncate()
    except FileNotFoundError:
        path.write_bytes(data)


def set_aside(site_dir: Path, keep: Path) -> None:
    """Move the last build's works out of MkDocs' way before it empties the site folder: writing each page
    again into its folder costs far less than removing and making tens of thousands of folders."""
    shutil.rmtree(keep, ignore_errors=True)
    if (site_dir / WORKS).is_dir():
        keep.parent.mkdir(parents=True, exist_ok=True)
        (site_dir / WORKS).rename(keep)


def write_work_pages(site_dir: Path, rendered: Rendered, kept: Path | None = None) -> tuple[list[Searched], list[str]]:
    """Every work's page (and former address) from the frame; their search documents and their addresses
    for the sitemap (former addresses only redirect, so they are in neither). ``kept``: the works' folder of
    the last build, set aside by :func:`set_aside`, reused. The frame itself is removed."""
    frame = built_path(site_dir, SHELL_PAGE)
    shell = Shell.from_html(_read(frame, SHELL_PAGE))
    works = site_dir / WORKS
    existing: set[str] = set()
    if kept is not None and kept.is_dir():
        shutil.rmtree(kept / SHELL_ID, ignore_errors=True)  # left by a build that stopped half-way
        shutil.move(frame.parent, kept / SHELL_ID)
        works.rmdir()  # MkDocs made it for the frame alone
        kept.rename(works)
        frame = built_path(site_dir, SHELL_PAGE)
        existing = {entry.name for entry in os.scandir(works) if entry.is_dir()}
    docs, addresses, written = [], [], {SHELL_ID}
    for page in rendered.work_pages():
        folder = works / page.id
        address = page.address or page.id
        data = shell.page(address, page.title, page.description, page.head, page.body).encode("utf-8")
        if page.id in existing:
            rewrite(folder / "index.html", data)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_bytes(data)
        written.add(page.id)
        if page.search is not None:
            docs.append(page.search)
            addresses.append(f"{WORKS}/{page.id}/")
    for name in existing - written:  # a work removed, or renamed without keeping its former id
        shutil.rmtree(works / name)
    shutil.rmtree(frame.parent)
    return docs, addresses


def write_search_list(site_dir: Path, docs: list[Searched]) -> int:
    """The works as the search worker reads them (site/docs/assets/search-worker.js), beside the theme's
    own index of the hand-written pages, gzipped (any host serves it at a quarter of the size, and the
    browser unpacks it natively); its size in bytes."""
    path = site_dir / SEARCH_WORKS
    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(works_list(docs).encode("utf-8"), compresslevel=6, mtime=0)
    path.write_bytes(data)
    return len(data)


_SHELL_URL = re.compile(rf"\s*<url>\s*<loc>[^<]*/{WORKS}/{SHELL_ID}/</loc>.*?</url>", re.S)


def add_to_sitemap(site_dir: Path, addresses: list[str], site_url: str) -> None:
    """The works' addresses in sitemap.xml (and its gzip), where the frame's entry was, with its date. Without
    a ``site_url`` MkDocs lists no page, and neither does this."""
    path = site_dir / SITEMAP
    if not site_url or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    found = _SHELL_URL.search(text)
    if found is None:
        raise FillError(f"{SITEMAP}: no entry for the works' frame, so the works cannot be added")
    lastmod = re.search(r"<lastmod>[^<]*</lastmod>", found.group(0))
    base = site_url.rstrip("/")
    entries = "".join(
        f"\n    <url>\n         <loc>{escape(f'{base}/{a}')}</loc>\n"
        + (f"         {lastmod.group(0)}\n" if lastmod else "")
        + "    </url>"
        for a in addresses
    )
    text = text[: found.start()] + entries + text[found.end() :]
    path.write_text(text, encoding="utf-8")
    (site_dir / f"{SITEMAP}.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def finish_site(site_dir: Path, rendered: Rendered, site_url: str, kept: Path | None = None) -> dict[str, int]:
    """Everything the build does after MkDocs (``kept``: see :func:`write_work_pages`); counts for the report."""
    filled = fill_pages(site_dir, rendered)
    downloads = write_downloads(site_dir, rendered)
    docs, addresses = write_work_pages(site_dir, rendered, kept)
    size = write_search_list(site_dir, docs)
    add_to_sitemap(site_dir, addresses, site_url)
    return {"filled": filled, "works": len(addresses), "search_works_bytes": size, "downloads_bytes": downloads}
