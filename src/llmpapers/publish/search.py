"""What the site's search worker (site/docs/assets/search-worker.js) reads about the works: one list, made
once per build, so that the browser has nothing to build before it can answer. Pure.

``search/works.txt.gz`` holds every work's id, title and text (plain text: the worker escapes it) and, for
each field, every work's text folded the way the worker folds a query, one work per line. The
worker searches these three strings with ``indexOf``; folding them here rather than in the browser saves
it most of a second at 50,000 works (lower-casing and a Unicode regex over megabytes of text).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

from .work import Searched

_MARKS = re.compile("[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[^\w\n]+|_+")


def fold(text: str) -> str:
    """No accents, lower case, letters and digits only, runs of anything else one space; line breaks kept.

    >>> fold("Schölkopf & Müller: GPT-4o")
    'scholkopf muller gpt 4o'
    """
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _NOT_WORD.sub(" ", text.lower())


def column(values: Sequence[str]) -> str:
    """One field of every work, folded, a line each, each between spaces (what the worker's ``column`` makes)."""
    if not values:
        return ""
    return " " + fold(" \n ".join(v.replace("\n", " ") for v in values)) + " "


SECTIONS = ("ids", "titles", "texts", "title", "tags", "text")
SEPARATOR = "\u001e"  # between sections; like U+001F, a control character no record may contain
FORMAT = "llmpapers-works 1"


def works_list(docs: Sequence[Searched]) -> str:
    """``search/works.txt.gz`` (before gzip) for the works' documents (publish/work.py ``search_document``):
    a few long strings rather than 50,000 small objects, which the worker would have to parse and keep, and
    no JSON to parse at all.

    A JSON header (``format``, ``count``), then six sections, separated by U+001E, each a line per work:
    what results show (``ids``, ``titles``, ``texts``: a text's lines separated by U+001F: its name, type,
    venue and year, its authors, then the rest) and what the worker searches, folded: the title, the names
    (its short name and authors, weighed as the theme weighs tags) and the rest of the text (not the authors
    again)."""
    unit = "\u001f"
    shown = [unit.join(x for x in (d.about[0], ", ".join(d.authors), *d.about[1:]) if x) for d in docs]
    sections = [
        json.dumps({"format": FORMAT, "count": len(docs)}),
        "\n".join(d.id for d in docs),
        "\n".join(d.title for d in docs),
        "\n".join(shown),
        column([d.title for d in docs]),
        column([" ".join([d.name, *d.authors]) for d in docs]),
        column([" ".join(d.about) for d in docs]),
    ]
    return SEPARATOR.join(sections)


def read_works_list(text: str) -> dict:
    """The header and sections of a works' list, by name (for tests and tools)."""
    header, *sections = text.split(SEPARATOR)
    return {**json.loads(header), **dict(zip(SECTIONS, sections, strict=True))}
