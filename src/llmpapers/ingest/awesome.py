"""Read an awesome-list (markdown bullets or tables of works) into :class:`Candidate` listings. No IO.

The Markdown is read as GitHub shows it (:mod:`.markdown`, on markdown-it-py: CommonMark, tables, raw HTML):
what is a heading, a list item, a table row, code or HTML, and which text is a link or an image, is the parser's
word. This module gives that its meaning. One line is one entry: the first line of a list item, or a table
row. The styles of the seed lists, and what each line becomes (``c`` is the Candidate)::

    - Orca: A distributed serving system for Transformer-Based generative models[Proc.~USENIX OSDI][2022]
      c.title='Orca: A distributed serving system for Transformer-Based generative models', short_name='Orca',
      venue='OSDI', venue_raw='Proc.~USENIX OSDI', year=2022 (as_listed: the text before ``[Venue][Year]``)
    - vLLM[Github][2023]                      -> type=tool, venue=None  ([Webpage] -> article, [Hugging Face] -> model)
    | GPT3: Language Models are Few-Shot Learners | [[paper]](https://arxiv.org/abs/2005.14165) |
      c.title='GPT3: Language Models are Few-Shot Learners', short_name='GPT3', arxiv='2005.14165'
    * [![Publish](https://img.shields.io/badge/Conference-NeurIPS'22-blue)]() [![Star](...)](https://github.com/a/b)
      [FlashAttention: Fast ...](https://arxiv.org/abs/2205.14135). Tri Dao, Daniel Y. Fu. [[Paper]](...)[[Github]](...)
      c.venue='NeurIPS', year=2022, authors=['Tri Dao', 'Daniel Y. Fu'], arxiv='2205.14135', code=<the Github link>
    |2022.07|[Continuous Batching] Orca: A Distributed ... |[[osdi22-yu][pdf]](https://.../osdi22-yu.pdf)|👍|
      c.title='Orca: A Distributed ...', short_name='Orca', venue='OSDI', year=2022, date='2022.07', pdf=<url>,
      as_listed='[Continuous Batching] Orca: A Distributed ...' (the cell, trimmed); 👍 means no code
    1. [Efficient Memory Management ...](https://arxiv.org/abs/2309.06180) - Woosuk Kwon, Zhuohan Li, SOSP 2023
      c.authors=['Woosuk Kwon', 'Zhuohan Li'], venue='SOSP', year=2023, arxiv='2309.06180'

Rules:

- ``section`` is the nearest heading, repaired and without emoji; a short line ending in ``:`` (``Second
  batch:``) or a bold line just before a list labels the entries after it, until the next heading or two
  blank lines in a row.
- ``as_listed`` is the title text as written (tag included, link markup removed, trimmed): a bullet's first link
  that is not a ``[[Paper]]``-style link (with any text before it), else a leading ``**bold**`` span, else the
  text before ``[Venue][Year]``; the text after it gives authors and a ``Venue 2023``. ``title`` is
  :func:`~llmpapers.ingest.text.clean_title` of it without a leading ``[Tag]``; a ``Name: rest`` title keeps
  its full text (most such names belong to the title; merging treats ``Name: Title``, ``[Name] Title`` and
  ``Title`` alike). ``short_name`` is that ``Name`` when it looks like a name, else the tag when it does
  (``[FlashAttention-2]``, not ``[Continuous Batching]``).
- Tables: the header row names the columns (Title/Name, Date, Year, Venue, Authors, Code, Paper/Link/PDF);
  without a Title column the Paper column, else the first other column, holds the title. Date, Year, Venue and
  Authors cells are read as plain text (markup and link targets left out). Rows of ``|`` lines that GitHub
  would not show as a table (no header row, a malformed delimiter row) are read too: a row without a header is
  an optional date, the title, then links.
- ``venue`` is :meth:`VenueTable.match` of the text (also of slugs such as ``osdi22-yu``), ``venue_raw``
  the text itself; ``[None]`` and type words are no venue. ``year``: a year slot or column, else the year the
  venue text carries, else the date's. arXiv and DOI URLs become ids; other links go by
  :func:`~llmpapers.ingest.urls.classify_url`; only http(s) URLs are kept (any other is a warning).
- ``type``: a type word in the venue slot (``[Github]`` tool, ``[Webpage]`` article, ``[Hugging Face]``
  model); a company in the venue slot (``[Qualcomm]``) means a white paper or web page: article. Such a web
  page is hardware when its title names a chip (``AWS Inferentia``) and a model when it is a bare sized name
  (``ChatGLM2-6B``). Blog or tech-report links make an article; docs with a code link a tool; a title linked to
  a repository with no paper a tool. Otherwise paper.
- Skipped on purpose: headings, prose, HTML and HTML comments, code blocks and fences, table header and
  delimiter rows, badge-only and table-of-contents bullets (only in-page ``#`` links), the further lines of a
  list item. Bullets and rows under sections such as Contents, Contributing, License or Download, links to files
  such as ``v0.1.pdf``/``.zip``, and bullets written inside an HTML block (``<details>`` with no blank line
  after it: GitHub shows them as text) are warnings "not an entry". An entry line with no readable title or a
  malformed ``[Venue][Year]`` is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

from ..db.venues import VenueTable
from .candidate import Candidate, ParseResult
from .entry import YEAR, Draft, Fields, is_label
from .markdown import Document, Image, Line, Link, Mark, Piece, read
from .text import clean_heading, repair_text
from .urls import safe_url

_LABEL = re.compile(r"^\s*(?:\*\*(?P<bold>[^*]{1,60})\*\*:?|(?P<plain>[^\s|#>*<\-\[][^|<>\[\]]{0,50}?)\s*:)\s*$")
_BULLET = re.compile(r"(?:[-*+]|\d{1,9}[.)])\s+(?=\S)")  # a list item, as written where Markdown is not read
_GROUP = re.compile(r"(?:\[[^\[\]]*\]\s*)+")  # the text of [[Paper]](url), [[arxiv][pdf]](url)
_SLOT = re.compile(r"\[([^\[\]]*)\]\s*$")
_FILE = re.compile(r"\.(?:pdf|zip|tar\.gz|tgz|rar|7z)$", re.I)
_NON_ENTRY = re.compile(  # matched at the start of a section name
    r"(?:table of )?(?:contents|toc|contribut\w*|licen[sc]e|citation|cite|citing|acknowledge?ments?|star history|"
    r"stargazers|contact|sponsors?|downloads?|introduction|about|how to use|todo|news|updates?|changelog|"
    r"courses?|lectures?|talks?|events?|jobs?|community)\b",
    re.I,
)
# ``2024.05: We released …``, ``[2024/05/01] Our survey is out``: a news line that starts with its date
_NEWS = re.compile(r"^\W*\[?\d{4}[./-]\d{1,2}(?:[./-]\d{1,2})?\]?\s*[:：\-–]?\s*(?:\W*\s*)?"
                   r"(?:we|our|the|new|check|release[sd]?|update[sd]?|news|welcome|🔥|🎉|📢)\b", re.I)  # fmt: skip
_NOT_LABEL_START = re.compile(r"^(?:here|we|i|below|the|these|this|following|see|note|for|if|please)\b", re.I)
_ROLES = (
    ("title", r"title|name|paper title|paper name|work|system|method"),
    ("date", r"date|time|month|published|release"),
    ("year", r"year"),
    ("venue", r"venue|conf\w*|journal|publication|published in"),
    ("authors", r"authors?"),
    ("code", r"code|github|repo\w*|implementation|source"),
    ("links", r"links?|paper|pdf|url|arxiv|materials?|resources?"),
)


def parse(text: str, list_name: str, venues: VenueTable) -> ParseResult:
    """Every entry of the list as a Candidate, and a Diagnostic for every entry-like line that was not read."""
    return _Parser(list_name, venues, read(text)).run()


def _group(link: Link) -> list[str] | None:
    """The bracketed words of a ``[[Paper]]`` or ``[[arxiv][pdf]]`` link; None for any other link."""
    return re.findall(r"\[([^\[\]]*)\]", link.text) if _GROUP.fullmatch(link.text) else None


def _in_text(link: Link) -> str:
    """What a link leaves in an entry's text: its own text, unless it only names a kind (``[[Paper]]``, ``[pdf]``)."""
    return " " if _group(link) is not None or is_label(link.text) else link.text


def _text(pieces: list[Piece], link: Callable[[Link], str] = lambda x: x.text, marks: bool = True) -> str:
    """Pieces as text: a link as ``link(it)``, emphasis markers as written (or left out), images as spaces."""
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Link):
            out.append(link(p))
        elif isinstance(p, Mark):
            out.append(p.markup if marks else "")
        else:
            out.append(" ")
    return "".join(out)


def _before_entries(lines: list[Line], n: int) -> bool:
    """Whether the first line after line ``n`` that is not blank starts a list item or belongs to a table."""
    nxt = next((x for x in islice(lines, n, None) if x.kind != "blank"), None)
    return nxt is not None and nxt.kind in ("item", "header", "rule", "row")


_REST_OF_TITLE = re.compile(r"^\s*:?\s*(?P<rest>[^|｜]+?)(?:\s*[|｜]\s*|\s+[–—]\s+|\s+-\s+(?=\S)|$)(?P<tail>.*)$", re.S)
_MONTH_DATE = re.compile(r"\(\s*(?:[A-Z][a-z]{2,8}\.?\s+)?((?:19|20)\d\d)\s*\)\s*$")


def _name_then_title(raw: str, tail: str) -> tuple[str, str]:
    """``[H2O](url): Heavy-Hitter Oracle … | NeurIPS 2023`` and ``[FlashAttention-3:](url) Fast and …  – Tri Dao
    (Jul 2024)``: a linked name whose title goes on after the link. The title is the name, a colon and the text up
    to ``|`` (also ``｜``) or a dash; what follows is the tail (venue, authors, a date)."""
    named = raw.rstrip().endswith(":") or re.match(r"\s*:\s*\S", tail)
    if not named or len(raw.split()) > 3 or not (m := _REST_OF_TITLE.match(tail)) or len(m["rest"].split()) < 2:
        return raw, tail
    rest_tail = _MONTH_DATE.sub(lambda d: f", {d.group(1)}", m["tail"].strip())
    return f"{raw.rstrip().rstrip(':')}: {m['rest'].strip()}", rest_tail


def _bold(pieces: list[Piece]) -> tuple[int, int] | None:
    """Where a ``**bold**`` span that begins the text (links that name a kind aside) opens and closes."""
    start = next((i for i, p in enumerate(pieces) if _text([p], _in_text).strip()), None)
    if start is None or pieces[start] != Mark("**", True):
        return None
    depth = 0
    for i in range(start, len(pieces)):
        if isinstance(p := pieces[i], Mark) and p.markup == "**":
            depth += 1 if p.opening else -1
            if depth == 0:
                return start, i
    return None


class _Parser(Fields):
    """The walk through a list's lines: sections, labels, table rows and bullets, each entry's title and text."""

    def __init__(self, list_name: str, venues: VenueTable, doc: Document) -> None:
        super().__init__(list_name, venues)
        self.doc = doc
        self.heading: str | None = None
        self.label: str | None = None
        self.roles: dict[tuple[str, ...], list[str]] = {}

    @property
    def section(self) -> str | None:
        return self.label or self.heading

    def _skip(self, n: int, shown: str, why: str | None = None) -> bool:
        """Warn about an entry-like line that is not a work: under a section like License, or a file download."""
        why = why or (f"section {self.section!r}" if self.section and _NON_ENTRY.match(self.section) else None)
        if why:
            self._diag(n, f"not an entry ({why}): {' '.join(shown.split())[:80]}", is_error=False)
        return why is not None

    def run(self) -> ParseResult:
        lines, blanks = self.doc.lines, 0
        for n, line in enumerate(lines, 1):
            if line.kind == "skip":
                continue
            if line.kind == "blank":
                blanks += 1
                self.label = None if blanks >= 2 else self.label
                continue
            blanks = 0
            if line.kind == "heading":
                self.heading, self.label = clean_heading(line.text) or None, None
            elif line.kind == "row":
                if not self._skip(n, line.text):
                    self._row(n, line.cells, self._roles(line.header) if line.header is not None else None)
            elif line.kind == "html" and (m := _BULLET.match(line.text)):
                self._bullet(n, line.text[m.end() :], "inside an HTML block: end the block with a blank line")
            elif line.kind in ("item", "text", "html") and (m := _LABEL.match(line.text)) and _before_entries(lines, n):
                text = (m["bold"] or m["plain"]).strip()
                if len(text.split()) <= 4 and not _NOT_LABEL_START.match(text):
                    self.label = clean_heading(text) or None
                elif line.kind == "item":
                    self._bullet(n, line.text)
            elif line.kind == "item":
                self._bullet(n, line.text, more=line.more)
        return self.result

    # --- tables ---------------------------------------------------------------------------------------------
    def _roles(self, header: tuple[str, ...]) -> list[str]:
        if header in self.roles:
            return self.roles[header]
        names = [re.sub(r"[^\w\s]", "", clean_heading(h)).strip().lower() for h in header]
        roles = [next((r for r, pat in _ROLES if re.fullmatch(pat, h)), "other") for h in names]
        if "title" not in roles:  # Paper | Code: the paper column holds the title; else the first free column
            spare = [k for k, r in enumerate(roles) if r == "links" and names[k] == "paper"]
            spare = spare or [k for k, r in enumerate(roles) if r in ("other", "links")] or [0]
            roles[spare[0]] = "title"
        self.roles[header] = roles
        return roles

    def _row(self, n: int, cells: tuple[str, ...], roles: list[str] | None) -> None:
        if not any(re.sub(r"[\s|]", "", c) for c in cells):
            return
        if roles is None:  # a table without a header row: an optional date, then the title, then links
            roles = ["date"] if re.fullmatch(r"\d{4}(?:[./-]\d{1,2}){0,2}", cells[0]) else []
            roles += ["title"] + ["links"] * len(cells)
        t = roles.index("title")
        if t >= len(cells) or not re.sub(r"[\W_]", "", cells[t]):
            return self._diag(n, "table row has no title")
        d = self._entry(n, cells[t])
        if d is None:
            return
        for role, cell in zip(roles, cells, strict=False):
            if role == "title":
                continue
            if role in ("code", "links", "other"):
                self._links(d, cell, "code" if role == "code" else "links")
                continue
            text = repair_text(_text(self.doc.inline(cell), marks=False))  # the cell's text, no markup
            if role == "date" and text:
                d.c.date = text
            elif role == "year" and (y := YEAR.search(text)):
                d.c.year = int(y.group(1))
            elif role == "venue" and text:
                self._venue(d, re.sub(r"[*_`]", "", text))
            elif role == "authors" and text:
                d.c.authors = d.c.authors or self._tail(text)[0]
        self._finish(d)

    # --- bullets --------------------------------------------------------------------------------------------
    def _bullet(self, n: int, text: str, why: str | None = None, more: str = "") -> None:
        pieces = self.doc.inline(text)
        if more and not any(isinstance(p, Link) and p.url.startswith(("http://", "https://")) for p in pieces):
            text = f"{text} {more}"  # **Title**, then a line of authors, links, date and badges
            pieces = self.doc.inline(text)
        links = [p for p in pieces if isinstance(p, Link)]
        words = re.sub(r"[\W_]", "", _text(pieces, lambda x: " "))
        if not words and all(_group(x) is None and x.url.startswith("#") for x in links):
            return  # badges only, or a table-of-contents line
        first = next((x.text for x in links if _group(x) is None and not is_label(x.text)), "")
        why = why or ("a file to download" if _FILE.search(first.strip()) else None)
        why = why or ("news, not a work" if _NEWS.match(_text(pieces, lambda x: x.text)) else None)
        if self._skip(n, _text(pieces), why):
            return
        if d := self._entry(n, text, pieces):
            self._finish(d)

    def _entry(self, n: int, text: str, pieces: list[Piece] | None = None) -> Draft | None:
        """Title, tag, links, badges, authors and ``[Venue][Year]`` slots of one bullet or title cell."""
        pieces = self.doc.inline(text) if pieces is None else pieces
        links = [(k, p, _group(p)) for k, p in enumerate(pieces) if isinstance(p, Link)]
        groups = [(parts, p.url) for _, p, parts in links if parts is not None]
        labelled = [([p.text], p.url) for _, p, parts in links if parts is None and is_label(p.text)]
        k, title = next(((k, p) for k, p, parts in links if parts is None and not is_label(p.text)), (0, None))
        bold = None if title else _bold(pieces)
        if title:  # the first link that is not a [[Paper]]: the title, after whatever text comes before it
            pre = _text(pieces[:k], _in_text).strip()
            pre = "" if pre.endswith((":", "：")) and is_label(pre.rstrip(":： ")) else pre  # ``Paper: [Title](…)``
            raw, tail = (f"{pre} {title.text}" if pre else title.text), _text(pieces[k + 1 :], _in_text)
            raw, tail = _name_then_title(raw, tail)
        elif bold:  # **Title** and what follows
            raw, tail = _text(pieces[bold[0] + 1 : bold[1]], _in_text), _text(pieces[bold[1] + 1 :], _in_text)
        else:
            raw, tail = _text(pieces, _in_text), ""
        if "\n" in raw:  # ``Title <br> NeurIPS 2022 [[Paper]](…)``: a line break ends the title
            raw, _, rest = raw.partition("\n")
            tail = f"{rest} {tail}"
        raw, tail = raw.strip(), " ".join(tail.split())
        d = Draft(Candidate(title="", as_listed=raw, list_name=self.list_name, line=n, section=self.section), text, raw)
        src, slots = (tail if title or bold else raw), []
        while len(slots) < 2 and (s := _SLOT.search(src)):
            slots.insert(0, s.group(1))
            src = src[: s.start()].rstrip()
        is_year = bool(slots) and bool(YEAR.fullmatch(slots[-1].strip()))
        if len(slots) == 2 and not is_year:
            self._diag(n, f"cannot read [{slots[0]}][{slots[1]}] as [Venue][Year]")
            return None
        if slots and (is_year or self._slot_venue(slots[-1])):
            if is_year:
                d.c.year = int(slots.pop().strip())
            if slots:
                self._venue(d, slots[0])
            if title or bold:
                tail = src
            else:
                d.raw = d.c.as_listed = src.strip()
        authors, venue_text, year, date = self._tail(repair_text(tail)) if tail else ([], None, None, None)
        d.c.date = d.c.date or date
        d.c.authors = [a for a in authors if a.lower() != d.raw.lower()]
        if venue_text and not d.c.venue_raw:
            self._venue(d, venue_text)
        d.c.year = d.c.year or year
        if title:
            if safe_url(title.url) is None and not title.url.strip().startswith("#") and not groups + labelled:
                self._diag(n, f"entry skipped: its only link is not an http(s) URL: {title.url.strip()[:80]!r}")
                return None
            d.title_link = title.url
            self._link(d, [], title.url, "title")
        for labels, url in groups + labelled:
            self._link(d, labels, url, "links")
        self._badges(d, [p for p in pieces if isinstance(p, Image)])
        return d

    def _links(self, d: Draft, cell: str, column: str) -> None:
        pieces = self.doc.inline(cell)
        links = [(_group(p), p) for p in pieces if isinstance(p, Link)]
        for parts, link in links:
            if parts is not None:
                self._link(d, parts, link.url, column)
        for parts, link in links:
            if parts is None:
                self._link(d, [link.text], link.url, column)
        self._badges(d, [p for p in pieces if isinstance(p, Image)])
