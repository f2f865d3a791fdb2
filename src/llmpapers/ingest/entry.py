"""The fields of one awesome-list entry: venue and year, authors, links, badges and type. No IO.

:class:`Fields` holds what :mod:`.awesome` decides once it has found an entry's title and the text around it:
which venue a text names (``[Proc.~USENIX OSDI]``, ``osdi22-yu``, a shields.io badge), what a link is by its
URL and label, and what kind of work the entry is. The rules are in :mod:`.awesome`'s docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..db.models import Kind
from ..db.venues import VenueTable
from ..errors import error, warning
from .candidate import Candidate, ParseResult
from .markdown import Image
from .names import split_authors
from .text import clean_title, looks_like_name, repair_text, split_name, split_tag, strip_decorations
from .urls import arxiv_id, classify_url, doi_from_url, is_standard, safe_url

PAPER_WORDS = 9  # a title this long that links only to a repository is a paper's, not a tool's name
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
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


_BLOG_HOSTS = re.compile(
    r"(?:^|\.)(?:medium\.com|substack\.com|zhihu\.com|hashnode\.dev|wordpress\.com|blogspot\.com)$"
)


def _page_kind(url: str) -> str:
    """``blog`` or ``docs`` when a URL is a blog post or a documentation page, else ``""``.

    >>> _page_kind("https://pytorch.org/blog/flash-decoding/"), _page_kind("https://docs.vllm.ai/en/latest/")
    ('blog', 'docs')
    >>> _page_kind("https://zhuanlan.zhihu.com/p/1"), _page_kind("https://arxiv.org/abs/2309.06180")
    ('blog', '')
    """
    parts = urlsplit(url.strip())
    host, path = parts.netloc.lower(), parts.path.lower()
    if _BLOG_HOSTS.search(host) or host.startswith("blog.") or re.search(r"/(?:blog|posts?)/", path):
        return "blog"
    if host.startswith(("docs.", "doc.")) or ".readthedocs." in host or re.search(r"/docs?/", path):
        return "docs"
    return ""


def is_label(text: str) -> bool:
    """Whether a link's text only names what the link is (``Paper``, ``[Github]``, ``pdf``), not a work."""
    return re.sub(r"[^\w\s]", "", text).strip().lower() in _LABEL_WORDS


@dataclass
class Draft:
    """A Candidate being read, and what is known about it before its title and type are settled."""

    c: Candidate
    text: str  # the bullet or cell as written
    raw: str  # the title text as written, tag included, slots and link markup removed
    hints: set[str] = field(default_factory=set)
    title_link: str | None = None
    venue_year: int | None = None


class Fields:
    """Venues, links, badges, authors and types of entries; the candidates and diagnostics read so far."""

    def __init__(self, list_name: str, venues: VenueTable) -> None:
        self.list_name, self.venues = list_name, venues
        self.result = ParseResult()

    def _diag(self, n: int, message: str, is_error: bool = True) -> None:
        self.result.diagnostics.append((error if is_error else warning)(self.list_name, message, n))

    def _tail(self, tail: str) -> tuple[list[str], str | None, int | None, str | None]:
        """Authors and a trailing ``Venue 2023`` from the text after a title: ``. A B, C D. [[Paper]](...)``."""
        authors: list[str] = []
        venue_text, year, date = None, None, None
        tail = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", " ", tail)  # *Authors.* as plain text
        for seg in re.split(r"(?<=\w\w)\.\s+|\s+[-–—|｜]\s+|；|;\s*", tail.strip(" .,;:-–—|")):
            head, _, last = seg.strip(" .*_()").rpartition(",")
            last = last.strip(" *_().")
            ym = YEAR.search(last)
            if ym or (len(last.split()) <= 3 and not split_authors(last) and self._match(last)[0]):
                dated = re.fullmatch(r"\d{4}[./-]\d{1,2}(?:[./-]\d{1,2})?", last)  # 2024.05: a date, not a venue
                if dated:
                    date = last
                else:
                    year = int(ym.group(1)) if ym else year
                    venue_text = last if YEAR.sub("", last).strip(" '’") else venue_text
                seg = head
            authors = authors or split_authors(seg)
        return authors, venue_text, year, date

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

    def _venue(self, d: Draft, text: str) -> None:
        t = repair_text(text)
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
        d.venue_year = year or (int(y.group(1)) if (y := YEAR.search(t)) else None)

    def _link(self, d: Draft, labels: list[str], url: str, column: str) -> None:
        c, words = d.c, " ".join(repair_text(x) for x in labels).lower()
        if column == "title":  # what the title links to says what the work is: a post, or documentation
            words = _page_kind(url)
        if re.search(r"blog|zhihu|medium|\bpost\b|report", words):
            d.hints.add("article")
        elif re.search(r"\bdocs?\b|documentation", words):
            d.hints.add("docs")
        elif column == "links" and not c.venue:  # [[osdi22-yu][pdf]], [[arxiv][pdf]], [[NeurIPS 2023]]
            for label in labels:
                use = label.strip().lower() == "arxiv" or not is_label(label)
                if use and (name := self._match(label))[0]:
                    name, year = name
                    c.venue, c.venue_raw, d.venue_year = name, repair_text(label), year
                    break
        u = safe_url(url)
        if u is None:
            if url.strip() and not url.strip().startswith("#"):
                self._diag(c.line, f"ignored a link that is not an http(s) URL: {url.strip()[:80]!r}", False)
            return
        kind = classify_url(u)
        kind = "project" if column == "code" and kind == "paper" else kind
        kind = "other" if re.search(r"slides|video|talk|poster|demo|dataset|bibtex", words) else kind
        if kind == "arxiv" and c.arxiv in (None, arxiv_id(u)):
            c.arxiv = arxiv_id(u)
        elif kind == "doi" and c.doi in (None, doi_from_url(u)):
            c.doi = doi_from_url(u)
        elif kind in ("code", "project", "pdf", "paper") and getattr(c, kind) in (None, u):
            setattr(c, kind, u)
        elif u not in (c.code, c.project, c.pdf, c.paper, *c.other):
            c.other.append(u)

    def _badges(self, d: Draft, badges: list[Image]) -> None:
        """A shields.io ``Conference-NeurIPS'22`` badge names the venue; a star badge's target may be the code."""
        for badge in badges:
            path = unquote(urlsplit(badge.src).path)
            if "/badge/" in path and not d.c.venue_raw:
                spec = re.sub(r"\.(?:svg|png)$", "", path.split("/badge/", 1)[1]).replace("--", "\x00")
                parts = [p.replace("\x00", "-").replace("_", " ").strip() for p in spec.split("-")]
                if len(parts) >= 3 and re.fullmatch(r"(?i)conference|journal|venue|publish(?:ed)?|accepted", parts[0]):
                    self._venue(d, parts[1])
                elif len(parts) == 2 and badge.alt.strip().lower() in ("publish", "conference", "venue"):
                    self._venue(d, parts[0])
                elif len(parts) == 2:  # label-colour: ``NeurIPS2024-blue``, ``ACL2024--findings-orange``
                    spaced = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", parts[0]).replace("-", " ")
                    if self._match(spaced)[0]:
                        self._venue(d, spaced)
            elif "/github/stars/" in path and not d.c.code:
                u = safe_url(badge.href)
                d.c.code = u if u and classify_url(u) == "code" else None

    def _finish(self, d: Draft) -> None:
        c = d.c
        tag, rest = split_tag(strip_decorations(d.raw))
        title, _, after = re.sub(r"^[*_]+|[*_]+$", "", rest.strip()).partition(" | ")
        if after and (self._match(after.strip())[0] or self._match(re.sub(r"['’]\s*", "", after))[0]):
            rest = title  # ``Title | SOSP' 24``: the venue was written into the title cell
            if not c.venue:
                self._venue(d, re.sub(r"['’]\s*", "", after.strip()))
        c.title = clean_title(re.sub(r"^[*_]+|[*_]+$", "", rest.strip()))
        if not re.sub(r"[\W_]", "", c.title) or not c.as_listed:
            return self._diag(c.line, f"cannot find a title in this entry: {' '.join(d.text.split())[:80]!r}")
        if len(c.title) > 1000:
            return self._diag(c.line, "the title is longer than 1000 characters")
        tag = repair_text(tag) if tag else None
        if tag and not c.date and re.fullmatch(r"\d{4}(?:[./-]\d{1,2}){0,2}", tag):
            c.date, tag = tag, None
        name, _ = split_name(c.title)
        c.short_name = name or (tag if tag and looks_like_name(tag) else None)
        if name and tag and tag.casefold() == name.casefold() and not tag.isupper():
            c.short_name = tag  # [Medusa] MEDUSA: … is Medusa
        c.year = c.year or d.venue_year
        if c.year is None and c.date and (y := YEAR.match(c.date)):
            c.year = int(y.group(1))
        c.type = self._kind(d)
        self.result.candidates.append(c)

    @staticmethod
    def _kind(d: Draft) -> Kind:
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
        link = safe_url(d.title_link) if d.title_link else None
        if not (c.arxiv or c.doi or c.venue) and is_standard(c.title, link or c.pdf or c.paper):
            return Kind.ARTICLE  # a standard or a specification is a document, not a paper
        if link and not (c.arxiv or c.doi or c.pdf or c.paper or c.venue):
            parts = urlsplit(link).path.strip("/").split("/")
            if classify_url(link) == "code":  # a tool, unless the title is a paper's (whose link is its code)
                return Kind.PAPER if len(c.title.split()) >= PAPER_WORDS else Kind.TOOL
            if urlsplit(link).netloc.endswith("huggingface.co") and len(parts) == 2:
                return Kind.MODEL if parts[0] not in ("docs", "datasets", "spaces", "blog", "papers") else Kind.PAPER
        return Kind.PAPER
