"""Read an awesome-list (markdown bullets or tables of works) into :class:`Candidate` listings. No IO.

One line is one entry. The styles of the seed lists, and what each line becomes (``c`` is the Candidate)::

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
- ``as_listed`` is the title text as written (tag included, link markup removed, trimmed). ``title`` is
  :func:`~llmpapers.ingest.normalize.clean_title` of it without a leading ``[Tag]``; a ``Name: rest`` title keeps
  its full text (most such names belong to the title; merging treats ``Name: Title``, ``[Name] Title`` and
  ``Title`` alike). ``short_name`` is that ``Name`` when it looks like a name, else the tag when it does
  (``[FlashAttention-2]``, not ``[Continuous Batching]``).
- Tables: the header row names the columns (Title/Name, Date, Year, Venue, Authors, Code, Paper/Link/PDF);
  without a Title column the Paper column, else the first other column, holds the title.
- ``venue`` is :meth:`VenueTable.match` of the text (also of slugs such as ``osdi22-yu``), ``venue_raw``
  the text itself; ``[None]`` and type words are no venue. ``year``: a year slot or column, else the year the
  venue text carries, else the date's. arXiv and DOI URLs become ids; other links go by
  :func:`~llmpapers.ingest.normalize.classify_url`; only http(s) URLs are kept (any other is a warning).
- ``type``: a type word in the venue slot (``[Github]`` tool, ``[Webpage]`` article, ``[Hugging Face]``
  model); a company in the venue slot (``[Qualcomm]``) means a white paper or web page: article. Such a web
  page is hardware when its title names a chip (``AWS Inferentia``) and a model when it is a bare sized name
  (``ChatGLM2-6B``). Blog or tech-report links make an article; docs with a code link a tool; a title linked to
  a repository with no paper a tool. Otherwise paper.
- Skipped on purpose: headings, prose, HTML, code blocks, table header and separator rows, badge-only and
  table-of-contents bullets (only in-page ``#`` links). Bullets and rows under sections such as Contents,
  Contributing, License or Download, and links to files such as ``v0.1.pdf``/``.zip``, are warnings "not an
  entry". An entry line with no readable title or a malformed ``[Venue][Year]`` is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..db.models import Kind
from ..db.venues import VenueTable
from ..errors import error, warning
from . import normalize as nz
from .candidate import Candidate, ParseResult

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*$")
_ITEM = re.compile(r"^\s*(?:>\s*)?(?:[-*+]|\d{1,3}[.)])\s+(.*?)\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LABEL = re.compile(r"^\s*(?:\*\*(?P<bold>[^*]{1,60})\*\*:?|(?P<plain>[^\s|#>*<\-\[][^|<>\[\]]{0,50}?)\s*:)\s*$")
_BADGE = re.compile(r"\[!\[([^\]]*)\]\(([^)]*)\)\]\(([^)]*)\)|!\[([^\]]*)\]\(([^)]*)\)|<img\b[^>]*>")
_URL = r"\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
_GROUP = re.compile(r"\[((?:\[[^\[\]]*\]\s*)+)\]" + _URL)  # [[Paper]](url), [[arxiv][pdf]](url)
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]" + _URL)
_SLOT = re.compile(r"\[([^\[\]]*)\]\s*$")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_FILE = re.compile(r"\.(?:pdf|zip|tar\.gz|tgz|rar|7z)$", re.I)
_NON_ENTRY = re.compile(  # matched at the start of a section name
    r"(?:table of )?(?:contents|toc|contribut\w*|licen[sc]e|citation|cite|citing|acknowledge?ments?|star history|"
    r"stargazers|contact|sponsors?|downloads?|introduction|about|how to use|todo)\b",
    re.I,
)
_NOT_LABEL_START = re.compile(r"^(?:here|we|i|below|the|these|this|following|see|note|for|if|please)\b", re.I)
_LABEL_WORDS = set(
    "paper pdf code github gitlab project homepage website web page site blog slides video talk poster demo docs doc "
    "documentation link url abs html openreview dataset data model models huggingface hf bibtex cite zhihu "
    "repo repository arxiv".split()
)
_SLOT_KINDS = {  # a type written where the venue goes: ``vLLM[Github][2023]``
    word: Kind(kind)
    for kind, words in {
        "tool": "github|gitlab|code|software|tool|library|repo",
        "article": "webpage|web page|website|web|blog|blog post|docs|documentation|tech report|technical report|"
        "whitepaper|white paper|report",
        "model": "hugging face|huggingface|model|model card",
        "hardware": "hardware|product",
    }.items()
    for word in words.split("|")
}
_COMPANIES = set(
    "qualcomm nvidia google microsoft meta openai intel amd apple amazon aws anthropic ibm huawei alibaba baidu "
    "tencent bytedance deepmind databricks anyscale graphcore sambanova cerebras groq arm samsung".split()
)
_NONE = {"", "none", "n/a", "na", "-", "null", "unknown", "tbd"}
_CHIP = re.compile(r"\b(?:[GTIN]PU|Inferentia|Trainium|Graphcore|Samba[Nn]ova|Cerebras|Groq|Gaudi|[HAB][12]00|wafer)\b")
_SIZED = re.compile(r"^[\w.]+-\d+(?:\.\d+)?[BMbm]$")
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
    return _Parser(list_name, venues).run(text.splitlines())


def _strip_badges(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    badges = [(m[1] or m[4] or "", m[2] or m[5] or "", m[3] or "") for m in _BADGE.finditer(text)]
    return _BADGE.sub(" ", text), badges


def _is_label(text: str) -> bool:
    return re.sub(r"[^\w\s]", "", text).strip().lower() in _LABEL_WORDS


def _cells(line: str) -> list[str]:
    body = line.strip().removeprefix("|")
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", body)]


@dataclass
class _Draft:
    """A Candidate being read, and what is known about it before its title and type are settled."""

    c: Candidate
    text: str  # the bullet or cell as written
    raw: str  # the title text as written, tag included, slots and link markup removed
    hints: set[str] = field(default_factory=set)
    title_link: str | None = None
    venue_year: int | None = None


class _Parser:
    def __init__(self, list_name: str, venues: VenueTable) -> None:
        self.list_name, self.venues = list_name, venues
        self.result = ParseResult()
        self.heading: str | None = None
        self.label: str | None = None

    @property
    def section(self) -> str | None:
        return self.label or self.heading

    def _diag(self, n: int, message: str, is_error: bool = True) -> None:
        self.result.diagnostics.append((error if is_error else warning)(self.list_name, message, n))

    def _skip(self, n: int, shown: str, why: str | None = None) -> bool:
        """Warn about an entry-like line that is not a work: under a section like License, or a file download."""
        why = why or (f"section {self.section!r}" if self.section and _NON_ENTRY.match(self.section) else None)
        if why:
            self._diag(n, f"not an entry ({why}): {' '.join(shown.split())[:80]}", is_error=False)
        return why is not None

    def run(self, lines: list[str]) -> ParseResult:
        roles: list[str] | None = None
        blanks, fence, comment = 0, False, False
        for i, line in enumerate(lines):
            n, stripped = i + 1, line.strip()
            if stripped.startswith(("```", "~~~")):
                fence = not fence
                continue
            if comment or stripped.startswith("<!--"):
                comment = "-->" not in stripped
                continue
            if fence:
                continue
            if not stripped:
                blanks += 1
                roles = None
                self.label = None if blanks >= 2 else self.label
                continue
            blanks = 0
            nxt = next((x for x in lines[i + 1 :] if x.strip()), "")
            item = _ITEM.match(line)
            if m := _HEADING.match(line):
                self.heading, self.label, roles = nz.clean_heading(m.group(2).rstrip("#")) or None, None, None
            elif stripped.startswith("|"):
                if _SEPARATOR.match(stripped):
                    continue
                if i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1]) and "-" in lines[i + 1]:
                    roles = self._roles(_cells(stripped))
                elif not self._skip(n, stripped):
                    self._row(n, _cells(stripped), roles)
            elif (m := _LABEL.match(item.group(1) if item else stripped)) and (
                _ITEM.match(nxt) or nxt.strip().startswith("|")
            ):
                text = (m["bold"] or m["plain"]).strip()
                if len(text.split()) <= 4 and not _NOT_LABEL_START.match(text):
                    self.label = nz.clean_heading(text) or None
                elif item:
                    self._bullet(n, item.group(1))
            elif item:
                self._bullet(n, item.group(1))
            else:
                roles = None  # prose or HTML: not entries
        return self.result

    # --- tables ---------------------------------------------------------------------------------------------
    @staticmethod
    def _roles(header: list[str]) -> list[str]:
        names = [re.sub(r"[^\w\s]", "", nz.clean_heading(h)).strip().lower() for h in header]
        roles = [next((r for r, pat in _ROLES if re.fullmatch(pat, h)), "other") for h in names]
        if "title" not in roles:  # Paper | Code: the paper column holds the title; else the first free column
            spare = [k for k, r in enumerate(roles) if r == "links" and names[k] == "paper"]
            spare = spare or [k for k, r in enumerate(roles) if r in ("other", "links")] or [0]
            roles[spare[0]] = "title"
        return roles

    def _row(self, n: int, cells: list[str], roles: list[str] | None) -> None:
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
            text = nz.repair_text(cell)
            if role == "date" and text:
                d.c.date = text
            elif role == "year" and (y := _YEAR.search(text)):
                d.c.year = int(y.group(1))
            elif role == "venue" and text:
                self._venue(d, re.sub(r"[*_`]", "", text))
            elif role == "authors" and text:
                d.c.authors = d.c.authors or self._tail(text)[0]
            elif role != "title":
                self._links(d, cell, "code" if role == "code" else "links")
        self._finish(d)

    # --- bullets --------------------------------------------------------------------------------------------
    def _bullet(self, n: int, text: str) -> None:
        body = _strip_badges(text)[0]
        links = [(m.group(1), m.group(2)) for m in _LINK.finditer(_GROUP.sub(" ", body))]
        words = re.sub(r"[\W_]", "", _LINK.sub(" ", _GROUP.sub(" ", body)))
        if not words and not _GROUP.search(body) and all(u.strip().startswith("#") for _, u in links):
            return  # badges only, or a table-of-contents line
        first = next((t for t, _ in links if not _is_label(t)), "")
        if self._skip(n, _LINK.sub(r"\1", body), "a file to download" if _FILE.search(first.strip()) else None):
            return
        if d := self._entry(n, text):
            self._finish(d)

    def _entry(self, n: int, text: str) -> _Draft | None:
        """Title, tag, links, badges, authors and ``[Venue][Year]`` slots of one bullet or title cell."""
        body, badges = _strip_badges(text)
        groups = [(re.findall(r"\[([^\[\]]*)\]", m.group(1)), m.group(2)) for m in _GROUP.finditer(body)]
        body = _GROUP.sub(" ", body)
        links = list(_LINK.finditer(body))
        title_m = next((m for m in links if not _is_label(m.group(1))), None)
        labelled = [([m.group(1)], m.group(2)) for m in links if m is not title_m and _is_label(m.group(1))]
        bold = None
        if title_m:
            pre = body[: title_m.start()].strip()
            raw = f"{pre} {title_m.group(1)}" if pre else title_m.group(1)
            tail = _LINK.sub(lambda m: " " if _is_label(m.group(1)) else m.group(1), body[title_m.end() :])
        else:
            body = _LINK.sub(lambda m: " " if _is_label(m.group(1)) else m.group(1), body)
            bold = re.match(r"\s*\*\*(.+?)\*\*(.*)$", body)
            raw, tail = (bold.group(1), bold.group(2)) if bold else (body, "")
        raw, tail = raw.strip(), tail.strip()
        d = _Draft(
            Candidate(title="", as_listed=raw, list_name=self.list_name, line=n, section=self.section), text, raw
        )
        src, slots = (tail if title_m or bold else raw), []
        while len(slots) < 2 and (s := _SLOT.search(src)):
            slots.insert(0, s.group(1))
            src = src[: s.start()].rstrip()
        is_year = bool(slots) and bool(_YEAR.fullmatch(slots[-1].strip()))
        if len(slots) == 2 and not is_year:
            self._diag(n, f"cannot read [{slots[0]}][{slots[1]}] as [Venue][Year]")
            return None
        if slots and (is_year or self._slot_venue(slots[-1])):
            if is_year:
                d.c.year = int(slots.pop().strip())
            if slots:
                self._venue(d, slots[0])
            if title_m or bold:
                tail = src
            else:
                d.raw = d.c.as_listed = src.strip()
        authors, venue_text, year = self._tail(nz.repair_text(tail)) if tail else ([], None, None)
        d.c.authors = [a for a in authors if a.lower() != d.raw.lower()]
        if venue_text and not d.c.venue_raw:
            self._venue(d, venue_text)
        d.c.year = d.c.year or year
        if title_m:
            d.title_link = title_m.group(2)
            self._link(d, [], title_m.group(2), "title")
        for labels, url in groups + labelled:
            self._link(d, labels, url, "links")
        self._badges(d, badges)
        return d

    def _tail(self, tail: str) -> tuple[list[str], str | None, int | None]:
        """Authors and a trailing ``Venue 2023`` from the text after a title: ``. A B, C D. [[Paper]](...)``."""
        authors: list[str] = []
        venue_text, year = None, None
        for seg in re.split(r"(?<=\w\w)\.\s+|\s+[-–—|]\s+|;\s*", tail.strip(" .,;:-–—|")):
            head, _, last = seg.strip(" .*_()").rpartition(",")
            last = last.strip(" *_()")
            ym = _YEAR.search(last)
            if ym or (len(last.split()) <= 3 and not nz.split_authors(last) and self._match(last)[0]):
                year = int(ym.group(1)) if ym else year
                venue_text = last if _YEAR.sub("", last).strip(" '’") else venue_text
                seg = head
            authors = authors or nz.split_authors(seg)
        return authors, venue_text, year

    # --- venues, links, types -------------------------------------------------------------------------------
    def _match(self, text: str) -> tuple[str | None, int | None]:
        """Canonical venue and year of a venue text, also of a slug such as ``osdi22-yu``."""
        if m := self.venues.match(text):
            return m.venue.name, m.year
        slug = re.fullmatch(r"([A-Za-z]+)[-_ ]?'?(\d{2}|\d{4})(?:[-_].*)?", text.strip())
        if slug and (m := self.venues.match(slug.group(1))):
            year = int(slug.group(2))
            return m.venue.name, year + 2000 if year < 100 else year
        return None, None

    def _slot_venue(self, text: str) -> bool:
        t = text.strip().lower()
        return t in _SLOT_KINDS or t in _COMPANIES or t in _NONE or self._match(text)[0] is not None

    def _venue(self, d: _Draft, text: str) -> None:
        t = nz.repair_text(text)
        low = t.lower()
        if low in _NONE:
            return
        if low in _SLOT_KINDS:
            d.hints.add(f"slot:{_SLOT_KINDS[low].value}")
            return
        if low in _COMPANIES:
            d.hints.add("slot:company")
        d.c.venue_raw = t
        d.c.venue, year = self._match(t)
        d.venue_year = year or (int(y.group(1)) if (y := _YEAR.search(t)) else None)

    def _links(self, d: _Draft, cell: str, column: str) -> None:
        body, badges = _strip_badges(cell)
        for m in _GROUP.finditer(body):
            self._link(d, re.findall(r"\[([^\[\]]*)\]", m.group(1)), m.group(2), column)
        for m in _LINK.finditer(_GROUP.sub(" ", body)):
            self._link(d, [m.group(1)], m.group(2), column)
        self._badges(d, badges)

    def _link(self, d: _Draft, labels: list[str], url: str, column: str) -> None:
        c, words = d.c, " ".join(nz.repair_text(x) for x in labels).lower()
        if re.search(r"blog|zhihu|medium|\bpost\b|report", words):
            d.hints.add("article")
        elif re.search(r"\bdocs?\b|documentation", words):
            d.hints.add("docs")
        elif column == "links" and not c.venue:  # [[osdi22-yu][pdf]], [[arxiv][pdf]], [[NeurIPS 2023]]
            for label in labels:
                use = label.strip().lower() == "arxiv" or not _is_label(label)
                if use and (name := self._match(label))[0]:
                    name, year = name
                    c.venue, c.venue_raw, d.venue_year = name, nz.repair_text(label), year
                    break
        u = nz.safe_url(url)
        if u is None:
            if url.strip() and not url.strip().startswith("#"):
                self._diag(c.line, f"ignored a link that is not an http(s) URL: {url.strip()[:80]!r}", False)
            return
        kind = nz.classify_url(u)
        kind = "project" if column == "code" and kind == "paper" else kind
        kind = "other" if re.search(r"slides|video|talk|poster|demo|dataset|bibtex", words) else kind
        if kind == "arxiv" and c.arxiv in (None, nz.arxiv_id(u)):
            c.arxiv = nz.arxiv_id(u)
        elif kind == "doi" and c.doi in (None, nz.doi_from_url(u)):
            c.doi = nz.doi_from_url(u)
        elif kind in ("code", "project", "pdf", "paper") and getattr(c, kind) in (None, u):
            setattr(c, kind, u)
        elif u not in (c.code, c.project, c.pdf, c.paper, *c.other):
            c.other.append(u)

    def _badges(self, d: _Draft, badges: list[tuple[str, str, str]]) -> None:
        """A shields.io ``Conference-NeurIPS'22`` badge names the venue; a star badge's target may be the code."""
        for alt, img, target in badges:
            path = unquote(urlsplit(img).path)
            if "/badge/" in path and not d.c.venue_raw:
                spec = re.sub(r"\.(?:svg|png)$", "", path.split("/badge/", 1)[1]).replace("--", "\x00")
                parts = [p.replace("\x00", "-").replace("_", " ").strip() for p in spec.split("-")]
                if len(parts) >= 3 and re.fullmatch(r"(?i)conference|journal|venue|publish(?:ed)?|accepted", parts[0]):
                    self._venue(d, parts[1])
                elif len(parts) == 2 and alt.strip().lower() in ("publish", "conference", "venue"):
                    self._venue(d, parts[0])
            elif "/github/stars/" in path and not d.c.code:
                u = nz.safe_url(target)
                d.c.code = u if u and nz.classify_url(u) == "code" else None

    def _finish(self, d: _Draft) -> None:
        c = d.c
        tag, rest = nz.split_tag(d.raw)
        c.title = nz.clean_title(re.sub(r"^[*_]+|[*_]+$", "", rest.strip()))
        if not re.sub(r"[\W_]", "", c.title) or not c.as_listed:
            return self._diag(c.line, f"cannot find a title in this entry: {' '.join(d.text.split())[:80]!r}")
        if len(c.title) > 1000:
            return self._diag(c.line, "the title is longer than 1000 characters")
        tag = nz.repair_text(tag) if tag else None
        if tag and not c.date and re.fullmatch(r"\d{4}(?:[./-]\d{1,2}){0,2}", tag):
            c.date, tag = tag, None
        name, _ = nz.split_name(c.title)
        c.short_name = name or (tag if tag and nz.looks_like_name(tag) else None)
        c.year = c.year or d.venue_year
        if c.year is None and c.date and (y := _YEAR.match(c.date)):
            c.year = int(y.group(1))
        c.type = self._kind(d)
        self.result.candidates.append(c)

    @staticmethod
    def _kind(d: _Draft) -> Kind:
        c = d.c
        slot = next((h.split(":", 1)[1] for h in d.hints if h.startswith("slot:")), None)
        if slot in ("article", "company"):  # a web page: of a chip, of a model, or an article
            return Kind.HARDWARE if _CHIP.search(c.title) else Kind.MODEL if _SIZED.match(c.title) else Kind.ARTICLE
        if slot:
            return Kind(slot)
        if "article" in d.hints:
            return Kind.ARTICLE
        if "docs" in d.hints:
            return Kind.TOOL if c.code else Kind.ARTICLE
        link = nz.safe_url(d.title_link) if d.title_link else None
        if link and not (c.arxiv or c.doi or c.pdf or c.paper or c.venue):
            parts = urlsplit(link).path.strip("/").split("/")
            if nz.classify_url(link) == "code":
                return Kind.TOOL
            if urlsplit(link).netloc.endswith("huggingface.co") and len(parts) == 2:
                return Kind.MODEL if parts[0] not in ("docs", "datasets", "spaces", "blog", "papers") else Kind.PAPER
        return Kind.PAPER
