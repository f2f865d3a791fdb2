"""Read back what the build wrote for machines (the feed, the sitemap, the JSON downloads) and fail the build
when one of them does not parse: a reader that meets ill-formed XML stops, and a build that exits 0 must not
publish it. IO at the edge: files under the built site."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .render import CSL_JSON, ENTRIES_JSON, FEED, JSON

SITEMAP = "sitemap.xml"
XML_FILES = (FEED, SITEMAP)
JSON_FILES = (ENTRIES_JSON, JSON, CSL_JSON)


def unreadable_outputs(site_dir: Path) -> list[str]:
    """What is wrong with each machine-read file of a built site (``feed.xml: line 3, column 40: …``); empty
    when all parse. A file the build did not write (no sitemap without ``site_url``) is not checked."""
    problems = []
    for name in XML_FILES:
        path = site_dir / name
        if path.is_file():
            try:
                ET.parse(path)
            except ET.ParseError as exc:  # ``not well-formed (invalid token): line 1, column 3``
                problems.append(f"{name}: {exc}")
    for name in JSON_FILES:
        path = site_dir / name
        if path.is_file():
            try:
                json.loads(path.read_bytes())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                problems.append(f"{name}: {exc}")
    return problems
