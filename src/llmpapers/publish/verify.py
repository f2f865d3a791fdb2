"""Read back what the build wrote as XML (the feed, the sitemap) and fail the build when one does not parse:
a reader that meets ill-formed XML stops, and a build that exits 0 must not publish it. (XML refuses
characters that text may hold, such as U+FFFE; the JSON files are written by ``json.dumps``, whose output
always parses, so they are not read back.) IO at the edge: files under the built site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .render import FEED

SITEMAP = "sitemap.xml"
XML_FILES = (FEED, SITEMAP)


def unreadable_outputs(site_dir: Path) -> list[str]:
    """What is wrong with each XML file of a built site (``feed.xml: line 3, column 40: …``); empty when all
    parse. A file the build did not write (no sitemap without ``site_url``) is not checked."""
    problems = []
    for name in XML_FILES:
        path = site_dir / name
        if path.is_file():
            try:
                ET.parse(path)
            except ET.ParseError as exc:  # ``not well-formed (invalid token): line 1, column 3``
                problems.append(f"{name}: {exc}")
    return problems
