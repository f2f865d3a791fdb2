"""The Markdown syntax of an awesome-list, read by markdown-it-py: what each line is, and the links in a text. No IO.

:func:`read` parses the text once (CommonMark with GitHub's tables and raw HTML) and gives one :class:`Line` per
source line, so that a reader can go through the list line by line, with line numbers as in ``str.splitlines``::

    blank    an empty line
    skip     inside a code block, a fence or an HTML comment: neither text nor blank
    heading  an ATX or setext heading (``text`` is its content)
    item     the first line of a list item (``text`` is that line without its marker; ``more`` the rest of
             its first paragraph, lines joined by spaces)
    header   a table's header row (``cells``); ``rule`` its delimiter row, or a stray one in the body
    row      a table row (``cells``, and ``header``: the header row above it, if any)
    html     in an HTML block (Markdown is not read there, as on GitHub)
    text     anything else: prose, the other lines of an item

Lines of a paragraph that start with ``|`` are rows too: a table without a header row, or one whose delimiter row
does not fit GitHub's rules, is still a table to a reader of lists.

:meth:`Document.inline` reads one line's inline Markdown into pieces: text as written, :class:`Link` and
:class:`Image` (a badge: an image, alone in a link or not, or an HTML ``<img>``), and :class:`Mark` for
emphasis markers. Only links, images, emphasis and HTML are parsed; backslash escapes, entities and code spans
are left as written, so the text of the pieces is the source text.

>>> doc = read("# Serving\\n\\n- [Orca](https://x.org/orca) [[pdf]](https://x.org/o.pdf)[OSDI][2022]\\n")
>>> [(line.kind, line.text) for line in doc.lines]
[('heading', 'Serving'), ('blank', ''), ('item', '[Orca](https://x.org/orca) [[pdf]](https://x.org/o.pdf)[OSDI][2022]')]
>>> doc.inline(doc.lines[2].text)
[Link(text='Orca', url='https://x.org/orca'), ' ', Link(text='[pdf]', url='https://x.org/o.pdf'), '[OSDI][2022]']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMG_TAG = re.compile(r"<img\b", re.I)
_A_OPEN = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>""", re.I)
_A_CLOSE = re.compile(r"</a\s*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_INLINE = re.compile(r"\]\(|[*_<\n]")  # what any inline syntax we parse needs, without link references


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": True, "maxNesting": 100})  # 100: markdown-it's default, not CommonMark's 20
    md.enable(["table", "code", "fence", "blockquote", "hr", "list", "reference", "html_block", "heading"])
    md.enable(["lheading", "link", "image", "emphasis", "html_inline", "newline"])
    md.disable(["normalize", "inline", "text_join"])  # lines are split by read(); inline() parses on demand
    md.validateLink = lambda url: True  # every scheme is a link: the reader warns about those it does not keep
    md.normalizeLink = lambda url: url  # URLs as written, not percent-encoded
    return md


_MD = _parser()


@dataclass(frozen=True, slots=True)
class Line:
    kind: str  # blank, skip, heading, item, header, rule, row, html or text (see the module's docstring)
    text: str = ""  # the line stripped; a heading's or an item's text
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] | None = None
    more: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    text: str  # as written, images in it left out
    url: str


@dataclass(frozen=True, slots=True)
class Image:
    alt: str
    src: str
    href: str = ""  # the link the image is wrapped in: [![alt](src)](href)


@dataclass(frozen=True, slots=True)
class Mark:
    markup: str  # ``*``, ``_``, ``**`` or ``__``
    opening: bool


Piece = str | Link | Image | Mark
_BLANK, _SKIP = Line("blank"), Line("skip")


@dataclass
class Document:
    lines: list[Line]
    env: dict[str, Any]  # link reference definitions, for inline()

    def inline(self, text: str) -> list[Piece]:
        """The inline Markdown of one line as pieces; adjacent text is one string."""
        if not _INLINE.search(text) and not self.env.get("references"):
            return [text] if text else []  # nothing here could be a link, an image, emphasis or HTML
        tokens: list[Token] = []
        _MD.inline.parse(text, _MD, self.env, tokens)
        return _pieces(tokens)


def read(text: str) -> Document:
    """Every line of ``text`` classified; see the module's docstring."""
    raw = text.splitlines()
    env: dict[str, Any] = {}
    tokens = _MD.parse("\n".join(raw), env)
    lines = [Line("text", s) if (s := line.strip()) else _BLANK for line in raw]
    item = False  # the token follows list_item_open: it starts the item
    for i, tok in enumerate(tokens):
        first, item = item, tok.type == "list_item_open"
        if tok.map is None:
            continue
        a, b = tok.map
        if tok.type in ("fence", "code_block") or (tok.type == "html_block" and tok.content.lstrip()[:4] == "<!--"):
            lines[a:b] = [_SKIP] * (b - a)
        elif tok.type == "html_block":
            lines[a:b] = [Line("html", x.text) if x.kind == "text" else x for x in lines[a:b]]
            if first:
                lines[a] = Line("item", tok.content.split("\n", 1)[0].strip())
        elif tok.type == "heading_open":
            lines[a] = Line("heading", tokens[i + 1].content.strip())
        elif tok.type == "paragraph_open":
            if first:
                head, _, rest = tokens[i + 1].content.partition("\n")
                lines[a] = Line("item", head.strip(), more=" ".join(rest.split()))
            _pipe_rows(lines, a + 1 if first else a, b)
        elif tok.type == "table_open":
            _table(lines, tokens, i)
    return Document(lines, env)


def _table(lines: list[Line], tokens: list[Token], start: int) -> None:
    """The rows of the table that starts at ``tokens[start]``; a body row above a delimiter row is a header."""
    rows: list[tuple[int, list[str]]] = []
    for tok in tokens[start + 1 :]:
        if tok.type == "table_close":
            break
        if tok.type == "tr_open" and tok.map:
            rows.append((tok.map[0], []))
        elif tok.type == "inline" and rows:
            rows[-1][1].append(tok.content.strip())
    header: tuple[str, ...] | None = None
    for k, (n, row) in enumerate(rows):
        cells, below = tuple(row), lines[rows[k + 1][0]].text if k + 1 < len(rows) else ""
        if k == 0:
            header, lines[n + 1] = cells, Line("rule", lines[n + 1].text)
            lines[n] = Line("header", lines[n].text, cells)
        elif _SEPARATOR.match(lines[n].text):
            lines[n] = Line("rule", lines[n].text)
        elif _SEPARATOR.match(below) and "-" in below:
            header, lines[n] = cells, Line("header", lines[n].text, cells)
        else:
            lines[n] = Line("row", lines[n].text, cells, header)


def _pipe_rows(lines: list[Line], a: int, b: int) -> None:
    """Lines ``a:b`` of a paragraph that start with ``|``: rows of a table Markdown does not see as one."""
    header: tuple[str, ...] | None = None
    for n in range(a, b):
        text = lines[n].text
        if not text.startswith("|"):
            header = None  # prose between rows ends a table
        elif _SEPARATOR.match(text):
            lines[n] = Line("rule", text)
        elif n + 1 < b and _SEPARATOR.match(lines[n + 1].text) and "-" in lines[n + 1].text:
            header = _cells(text)
            lines[n] = Line("header", text, header)
        else:
            lines[n] = Line("row", text, _cells(text), header)


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip().removeprefix("|")
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return tuple(c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", body))


def _pieces(tokens: list[Token]) -> list[Piece]:
    out: list[Piece] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "link_open":
            j = next((k for k in range(i + 1, len(tokens)) if tokens[k].type == "link_close"), len(tokens))
            inner = _pieces(tokens[i + 1 : j])
            images = [p for p in inner if isinstance(p, Image)]
            text = "".join(" " if isinstance(p, Image) else p.markup if isinstance(p, Mark) else str(p) for p in inner)
            href = str(tok.attrs.get("href", ""))
            if len(images) == 1 and not text.strip():
                _add(out, Image(images[0].alt, images[0].src, href))
            else:
                out.extend(images)
                _add(out, Link(text, href))
            i = j + 1
            continue
        if tok.type == "html_inline" and (m := _A_OPEN.match(tok.content)):  # <a href="…">text</a>
            j = next((k for k in range(i + 1, len(tokens)) if _A_CLOSE.match(tokens[k].content)), None)
            if j is not None:
                inner = _pieces(tokens[i + 1 : j])
                text = "".join(p if isinstance(p, str) else p.text if isinstance(p, Link) else " " for p in inner)
                _add(out, Link(text, m.group(1)))
                i = j + 1
                continue
        if tok.type == "image":
            _add(out, Image(tok.content, str(tok.attrs.get("src", ""))))
        elif tok.type in ("strong_open", "strong_close", "em_open", "em_close"):
            _add(out, Mark(tok.markup, tok.nesting == 1))
        elif tok.type == "html_inline" and _IMG_TAG.match(tok.content):
            _add(out, Image("", ""))  # an HTML badge: its attributes are not read
        elif tok.type in ("softbreak", "hardbreak"):
            _add(out, " ")
        elif tok.type == "html_inline" and _BR.match(tok.content):
            _add(out, "\n")  # a line break the author wrote: what comes after it is not the title
        else:
            _add(out, tok.content)
        i += 1
    return out


def _add(out: list[Piece], piece: Piece) -> None:
    if isinstance(piece, str) and out and isinstance(out[-1], str):
        out[-1] += piece
    elif piece != "":
        out.append(piece)
