"""HTML we render ourselves, put into pages MkDocs built around a placeholder. Pure: strings in, strings out.

MkDocs builds every page through Python-Markdown and the theme's templates. For the pages we generate that
costs far more than writing them (Python-Markdown scans every raw HTML block, the search plugin parses the
result again, and the theme renders its navigation once per page), so the generated pages take two ways
around it, both keeping the theme, its navigation and its table of contents:

- **Fills.** A category page, the all-entries page or the home page reaches MkDocs as a stub: its headings
  (which make the table of contents) and, where its big HTML blocks were, a marker comment on a line of its
  own (``<!-- lp-fill:3 -->``), which Python-Markdown passes through as it is. After the build the marker is
  replaced by the block (:func:`fill`). The templates mark such blocks with ``{% call fill() %}…{% endcall %}``
  (:class:`Fills`).
- **The shell.** Every work page has the same frame: the same navigation (no work is in it), the same depth
  (``works/<id>/``), no table of contents. MkDocs builds one page, ``works/_lpshell_/``, whose title,
  description, head and body are placeholders; :class:`Shell` splits that page once and writes each work's
  page by joining the pieces with the work's own, escaped values.

Markers are HTML comments and upper-case tokens that no escaped value can contain (``<`` and ``>`` are
escaped in every value, and tokens are checked to occur exactly where expected).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..errors import LlmpapersError

SHELL_ID = "_lpshell_"  # not a valid record id (ids are a-z, 0-9 and hyphens), so never a work's address
SHELL_PAGE = f"works/{SHELL_ID}.md"
TITLE = "LPSHELLTITLE"
DESCRIPTION = "LPSHELLDESCRIPTION"
HEAD = "<!-- lp-fill:head -->"
BODY = "<!-- lp-fill:body -->"
_MARKER = re.compile(r"<!-- lp-fill:(\d+) -->")


class FillError(LlmpapersError):
    """A built page lost a placeholder (a theme override or an extension dropped it)."""


@dataclass
class Fills:
    """The blocks one page's template sets aside; ``put`` is what ``{% call fill() %}`` calls. With ``keep``
    false the blocks are not even rendered, only counted: the stub MkDocs reads costs next to nothing, and
    the page is rendered again, blocks and all, when its built page is filled."""

    keep: bool = True
    blocks: dict[str, str] = field(default_factory=dict)

    def put(self, caller: Callable[[], str]) -> Markup:
        marker = f"<!-- lp-fill:{len(self.blocks)} -->"
        self.blocks[marker] = str(caller()) if self.keep else ""
        return Markup(f"\n\n{marker}\n\n")  # a block of its own for Python-Markdown


def fill(page: str, blocks: dict[str, str], where: str = "page") -> str:
    """``page`` with each marker replaced by its block; every block must find its marker exactly once."""
    found = [m.group(0) for m in _MARKER.finditer(page)]
    if sorted(found) != sorted(blocks):
        raise FillError(f"{where}: the built page lost or repeated a placeholder ({len(found)} of {len(blocks)})")
    return _MARKER.sub(lambda m: blocks[m.group(0)], page) if blocks else page


def shell_stub() -> str:
    """The Markdown source of the shell page MkDocs builds once."""
    return (
        "---\n"
        f"title: {TITLE}\n"
        f"description: {DESCRIPTION}\n"
        "shell: true\n"
        "search:\n  exclude: true\n"
        "hide:\n  - navigation\n  - toc\n"
        "---\n"
        f'<h1 class="lp-work-title">{TITLE}</h1>\n\n{BODY}\n'  # an <h1>: the theme adds none
    )


@dataclass(frozen=True)
class Shell:
    """The built shell page split at its placeholders: :meth:`page` joins the pieces with a work's values."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]  # what goes between parts[i] and parts[i + 1]: "id", "title", …

    @classmethod
    def from_html(cls, page: str) -> Shell:
        tokens = {f"works/{SHELL_ID}/": "id", TITLE: "title", DESCRIPTION: "description", HEAD: "head", BODY: "body"}
        pattern = re.compile("|".join(re.escape(t) for t in tokens))
        pieces = pattern.split(page)
        slots = tuple(tokens[m.group(0)] for m in pattern.finditer(page))
        missing = {"title", "head", "body"} - set(slots)
        if missing or slots.count("body") != 1 or slots.count("head") != 1:
            raise FillError(f"the shell page lost its placeholders for {', '.join(sorted(missing)) or 'head/body'}")
        return cls(tuple(pieces), slots)

    def page(self, work_id: str, title: str, description: str, head: str, body: str) -> str:
        """A work's page (``work_id``: the work whose address the page names as its own). ``title`` and
        ``description`` are plain text (escaped here); ``head`` and ``body`` are HTML already escaped."""
        values = {
            "id": f"works/{work_id}/",
            "title": html.escape(title.replace("<", "‹").replace(">", "›")),
            "description": html.escape(description.replace("<", "‹").replace(">", "›")),
            "head": head,
            "body": body,
        }
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)
