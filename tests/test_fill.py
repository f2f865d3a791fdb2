"""Generated HTML put into pages MkDocs built (publish/fill.py, publish/finish.py): blocks back in place,
the works' frame filled per work, a lost placeholder an error, a rebuild that removes a work removes its page.
"""

from __future__ import annotations

import pytest

from conftest import fixture_db
from llmpapers.commands.database import load_valid
from llmpapers.publish.fill import BODY, DESCRIPTION, HEAD, SHELL_ID, TITLE, FillError, Fills, Shell, fill
from llmpapers.publish.finish import built_path, rewrite
from llmpapers.publish.search import fold, read_works_list, works_list
from llmpapers.publish.site import build_site
from llmpapers.publish.work import Searched
from test_site_build import settings_for

FRAME = (
    f'<html><head><title>{TITLE} - llmpapers</title><meta name=description content="{DESCRIPTION}">'
    f'<link rel="canonical" href="https://x.org/works/{SHELL_ID}/">{HEAD}</head>'
    f"<body><h1>{TITLE}</h1>{BODY}</body></html>"
)


def test_a_work_page_is_the_frame_with_its_own_escaped_values():
    page = Shell.from_html(FRAME).page("orca", 'A <b> & "C"', "who, where", "<meta x>", "<article>…</article>")
    assert "<title>A ‹b› &amp; &quot;C&quot; - llmpapers</title>" in page
    assert "<h1>A ‹b› &amp; &quot;C&quot;</h1>" in page and 'content="who, where"' in page
    assert 'href="https://x.org/works/orca/"' in page and "<meta x></head>" in page
    assert "<body><h1>" in page and "<article>…</article></body>" in page
    assert TITLE not in page and SHELL_ID not in page


@pytest.mark.parametrize("lost", [TITLE, HEAD, BODY])
def test_a_frame_that_lost_a_placeholder_is_refused(lost):
    with pytest.raises(FillError, match="lost its placeholders"):
        Shell.from_html(FRAME.replace(lost, ""))


def test_blocks_go_back_where_their_markers_are_and_a_lost_marker_is_an_error():
    fills = Fills()
    first, second = str(fills.put(lambda: "<div>cards</div>")), str(fills.put(lambda: "<p>x</p>"))
    stub = f"<h2>2024</h2>{first}<h2>2023</h2>{second}"
    assert fill(stub, fills.blocks) == "<h2>2024</h2>\n\n<div>cards</div>\n\n<h2>2023</h2>\n\n<p>x</p>\n\n"
    with pytest.raises(FillError, match=r"serving.md: .* \(1 of 2\)"):
        fill(stub.replace("<!-- lp-fill:1 -->", ""), fills.blocks, "serving.md")
    counted = Fills(keep=False)
    called = []
    counted.put(lambda: called.append(1) or "x")
    assert counted.blocks == {"<!-- lp-fill:0 -->": ""} and called == []  # the stub renders no block


def test_built_paths_follow_mkdocs_directory_urls(tmp_path):
    assert built_path(tmp_path, "index.md") == tmp_path / "index.html"
    assert built_path(tmp_path, "serving.md") == tmp_path / "serving" / "index.html"
    assert built_path(tmp_path, f"works/{SHELL_ID}.md") == tmp_path / "works" / SHELL_ID / "index.html"


def test_rewrite_leaves_an_unchanged_file_alone_and_shortens_a_longer_one(tmp_path):
    path = tmp_path / "index.html"
    path.write_bytes(b"abcdef")
    before = path.stat().st_mtime_ns
    rewrite(path, b"abcdef")
    assert path.stat().st_mtime_ns == before
    rewrite(path, b"xy")
    assert path.read_bytes() == b"xy"
    rewrite(tmp_path / "new.html", b"n")
    assert (tmp_path / "new.html").read_bytes() == b"n"


def test_the_search_list_folds_as_the_worker_does():
    assert fold("Schölkopf & Müller: GPT-4o_mini\nİstanbul") == "scholkopf muller gpt 4o mini\nistanbul"
    docs = [
        Searched("a", "Α Title: with\u00a0odd  spaces", ["A · paper · 2024"], ["Zoë Ng"], "A"),
        Searched("b", "Second", ["paper"], [], ""),
    ]
    listed = read_works_list(works_list(docs))
    assert listed["count"] == 2 and listed["ids"] == "a\nb"
    assert listed["texts"].split("\n")[0] == "A · paper · 2024\u001fZoë Ng"
    assert listed["title"] == " α title with odd spaces \n second "
    assert listed["tags"] == " a zoe ng \n  "


def test_a_rebuild_removes_the_page_of_a_work_removed_and_keeps_the_others(tmp_path):
    data = fixture_db("site", tmp_path / "data")
    settings = settings_for(data, tmp_path / "build")
    db, _ = load_valid(data)
    first = build_site(settings, db)
    orca = first.site_dir / "works" / "orca" / "index.html"
    paged = first.site_dir / "works" / "pagedattention" / "index.html"
    assert orca.is_file() and paged.is_file()
    stamp = paged.stat().st_mtime_ns
    (data / "records" / "orca.yaml").unlink()
    db, _ = load_valid(data)
    db.records[:] = [r for r in db.records if not any(x.id == "orca" for x in r.related)]
    second = build_site(settings, db)
    assert not orca.exists() and paged.stat().st_mtime_ns == stamp  # unchanged pages are not written again
    assert not (second.site_dir / "works" / SHELL_ID).exists() and not (tmp_path / "build" / ".works").exists()
