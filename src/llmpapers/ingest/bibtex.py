"""Real-world ``.bib`` files -> :class:`Candidate` works, every entry that fails reported by line. No IO.

    @string{osdi = "Proc.~USENIX OSDI"}
    @InProceedings{DBLP:conf/osdi/YuJKKC22,
      author    = {Yu, Gyeong{-}In and {NVIDIA Corporation}},
      title     = "{Orca}: A Distributed Serving System for {Transformer-Based} Generative Models",
      booktitle = osdi # " 2022",
      year      = 2022, month = jul,
      url       = {https://arxiv.org/abs/2309.06180v2}}

gives ``Candidate(title='Orca: A Distributed Serving System for Transformer-Based Generative Models',
as_listed='{Orca}: A Distributed … Models', authors=['Gyeong-In Yu', 'NVIDIA Corporation'], year=2022,
venue='OSDI', venue_raw='Proc. USENIX OSDI 2022', arxiv='2309.06180', line=2, key='DBLP:conf/osdi/YuJKKC22')``.

bibtexparser 2 only splits the text (no middleware); values are read here, as BibTeX reads them: ``@string``
macros (case-insensitive, month names predefined) and ``#`` concatenation, braced, quoted or bare values over
several lines, whitespace collapsed. LaTeX is decoded only in values with a backslash or ``$``.

What is reported (``path`` = the list name, ``line`` = the entry's first line):

- errors, entry skipped: a block bibtexparser could not split (every ``library.failed_blocks`` item), an
  empty key, a value that runs into the next field, text after a value, fields left behind a stray ``}``,
  unbalanced braces in quotes, no title; a key or a field given twice (warnings with ``keep_first``);
- warnings, entry kept: an undefined macro (kept as its name), a year that is not four digits, a DOI or URL
  that is not one, a stray ``}``.

Type: ``@software`` or ``howpublished = {Software}`` (``Model``, …: what ``export`` writes), or a ``@misc``
whose only link is a repository, is a tool (model, …); a standard is an article; else a paper.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

from ..db.citation import (
    ARCHIVE_FIELDS,
    ARXIV_PREFIX,
    EXPORT_MARK,
    FIELDS,
    KIND_OF_LABEL,
    MONTH_MACROS,
    MONTHS,
    SOFTWARE_TYPES,
    VENUE_FIELDS,
    WEB_TYPES,
)
from ..db.fields import page_range
from ..db.models import ARXIV_RE, DOI_RE, MAX_TEXT, Kind
from ..db.venues import VenueMatch, VenueTable
from ..errors import error, warning
from .candidate import Candidate, ParseResult
from .latex import BadValue, evaluate, latex_to_text, snippet
from .names import split_names
from .text import display_case, repair_text
from .urls import arxiv_id, arxiv_of_doi, classify_url, doi_from_url, is_standard, safe_url

# A field name inside a value means two fields were glued together.
_GLUED = re.compile(r"(?:^|[\n,])\s*(" + "|".join(FIELDS) + r")\s*=\s*[{\"\d]", re.I)
_ASSIGNMENT = re.compile(r"([A-Za-z][\w-]*)\s*=")
_LEFTOVER = re.compile(r"^[\s,]*([A-Za-z][\w-]*)\s*=")
_KEY_IN_RAW = re.compile(r"@\s*(\w+)\s*[{(]\s*(?:([^,\s{}()=]+)\s*,)?")
_ARXIV_TEXT = re.compile(r"\barxiv\b|\bcorr\b", re.I)
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv:|abs/)\s*(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})", re.I)
_ARXIV_ID = re.compile(r"(?:arxiv:)?\s*(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_URL_IN_TEXT = re.compile(r"\\url\{([^{}]*)\}|(https?://[^\s{}]+)")
_UNESCAPE = re.compile(r"\\([_%#&~$])")
_MONTH_NAMES = frozenset(m.lower() for m in MONTHS.values())  # january … december, as evaluated
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs every failed block; here each becomes a diagnostic instead."""
    logger = logging.getLogger("bibtexparser.splitter")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


_CONTROL = dict.fromkeys([*range(32), 127])


def _text(value: str) -> str:
    """Display text: LaTeX decoded where there is any, mis-decoded text repaired, control characters dropped."""
    text = latex_to_text(value)
    return text.translate(_CONTROL) if text.isascii() else repair_text(text)


class _Reader:
    def __init__(self, list_name: str, venues: VenueTable, keep_first: bool = False) -> None:
        self.list_name = list_name
        self.keep_first = keep_first  # a repeated key or field: keep the first (a warning), not an error
        self.venues = venues
        self.result = ParseResult()
        self.macros: dict[str, str] = dict(MONTHS)
        self.keys: dict[str, int] = {}
        self._matches: dict[str, VenueMatch | None] = {}

    def match(self, text: str) -> VenueMatch | None:
        if text not in self._matches:
            self._matches[text] = self.venues.match(text)
        return self._matches[text]

    def error(self, line: int, message: str) -> None:
        self.result.diagnostics.append(error(self.list_name, message, line))

    def warn(self, line: int, message: str) -> None:
        self.result.diagnostics.append(warning(self.list_name, message, line))

    def string(self, block: String, redefined: bool) -> None:
        line = (block.start_line or 0) + 1
        try:
            value, undefined = evaluate(block.value, self.macros)
        except BadValue as exc:
            self.error(line, f"@string {block.key!r} {exc}; the macro is not defined")
            return
        for name in dict.fromkeys(undefined):
            self.warn(line, f"@string {block.key!r}: undefined macro {name!r} (kept as text)")
        if redefined:
            self.warn(line, f"@string {block.key!r} is defined again; the later value is used")
        self.macros[block.key.lower()] = value

    def failed(self, block: ParsingFailedBlock) -> None:
        line = (block.start_line or 0) + 1
        m = _KEY_IN_RAW.match(block.raw or "")
        kind = m.group(1).lower() if m else "entry"
        kind = f"@{kind}" if kind in ("string", "comment", "preamble") else "entry"
        what = f"{kind} {m.group(2)!r}" if m and m.group(2) and kind == "entry" else kind
        reason = str(getattr(block.error, "abort_reason", None) or block.error).strip()
        if kind == "entry" and ("Expected comma after entry key" in reason or (m and not m.group(2))):
            why = "it has no citation key (or no comma after it)"
        elif 'closing `"`' in reason:
            why = "a '\"' is not closed before the next entry"
        elif "Unexpected block start" in reason:
            why = "it does not end before the next entry: a '{' is not closed"
        elif "end of file" in reason:
            why = "it never ends: a '{' or '\"' is not closed"
        elif "Expected a `=`" in reason:
            why = "a field has no '=' (or a comma is missing)"
        else:
            why = reason
        self.error(line, f"{what} could not be read: {why}; {'entry skipped' if kind == 'entry' else 'ignored'}")

    def entry(self, entry: Entry) -> Candidate | None:
        line = (entry.start_line or 0) + 1
        key = entry.key.strip()
        if not key:
            self.error(line, "entry has no citation key; entry skipped")
            return None
        first = self.keys.setdefault(key.lower(), line)
        if first != line:
            report, hint = (self.warn, " (--keep-first)") if self.keep_first else (self.error, _KEY_HINT)
            report(
                line, f"duplicate key {key!r} (first on line {first}); {'this ' * self.keep_first}entry skipped{hint}"
            )
            return None
        lines: dict[str, list[int]] = {}
        for field in entry.fields:
            lines.setdefault(field.key.strip().lower(), []).append((field.start_line or 0) + 1)
        repeated = [f"{name!r} (lines {', '.join(map(str, at))})" for name, at in lines.items() if len(at) > 1]
        if repeated and not self.keep_first:
            self.error(line, f"entry {key!r} gives a field twice: {'; '.join(repeated)}; entry skipped{_FIELD_HINT}")
            return None
        for field in repeated:
            self.warn(line, f"entry {key!r}: field {field} given twice; the first value is kept (--keep-first)")
        values: dict[str, str] = {}
        failed = False
        for field in entry.fields:
            name = field.key.strip().lower()
            if name in values:
                continue
            values[name] = ""
            try:
                text, undefined = evaluate(field.value, self.macros)
            except BadValue as exc:
                self.error(line, f"entry {key!r}: field {name!r} {exc}; entry skipped")
                failed = True
                continue
            for macro in dict.fromkeys(undefined):
                self.warn(line, f"entry {key!r}: undefined macro {macro!r} in field {name!r} (kept as text)")
            glued = _GLUED.search(text)
            if glued:
                self.error(
                    line,
                    f"entry {key!r}: field {name!r} runs into '{glued.group(1)} = …' (a missing '}}' or comma?); "
                    "entry skipped",
                )
                failed = True
            values[name] = " ".join(text.split())
        return None if failed else self.candidate(entry.entry_type.lower(), key, line, values)

    def candidate(self, entry_type: str, key: str, line: int, f: dict[str, str]) -> Candidate | None:
        raw_title = f.get("title", "")
        title = display_case(_text(raw_title))
        if not title:
            self.error(line, f"entry {key!r} has no title; entry skipped")
            return None
        if len(title) > MAX_TEXT:
            self.error(line, f"entry {key!r}: title of {len(title)} characters (at most {MAX_TEXT}); entry skipped")
            return None
        c = Candidate(title=title, as_listed=raw_title, list_name=self.list_name, line=line, key=key)
        c.authors = [n for n in map(_text, split_names(f.get("author", ""))) if n]
        year = f.get("year")
        if year:  # ``year = {}`` says nothing
            if m := re.fullmatch(r"(\d{4})[a-z]?", year):  # 2023a: a letter some styles add to tell keys apart
                c.year = int(m.group(1))
            else:
                self.warn(line, f"entry {key!r}: year {snippet(year)!r} is not a 4-digit year; ignored")
        if f.get("date"):
            c.date = f["date"]
            if c.year is None and re.match(r"\d{4}\b", f["date"]):
                c.year = int(f["date"][:4])
        self._links(c, key, line, f)
        self._venue(c, entry_type, f)
        self._numbering(c, key, line, f)
        return c

    def _numbering(self, c: Candidate, key: str, line: int, f: dict[str, str]) -> None:
        """Month, volume, number, pages and publisher, each kept only when it reads as one; none for a preprint
        (DBLP's ``volume = {abs/2001.08361}`` and ``publisher = {arXiv}`` say nothing a citation needs)."""
        venue = self.venues.get(c.venue) if c.venue else None
        if venue is not None and venue.kind == "preprint":
            return
        month = f.get("month", "").strip().lower()
        if month.isdigit() and 1 <= int(month) <= 12:
            c.month = int(month)
        elif month[:3] in MONTHS and (month in _MONTH_NAMES or month[:3] == month.rstrip(".")):
            c.month = MONTH_MACROS.index(month[:3]) + 1
        pages = _text(f.get("pages", "")).strip()
        c.pages = page_range(pages) if pages else None
        if pages and c.pages is None:
            self.warn(line, f"entry {key!r}: pages {snippet(pages)!r} are not a page range like 611--626; ignored")
        for name in ("volume", "number", "publisher"):
            value = _text(f.get(name, "")).strip()
            if value and len(value) <= (MAX_TEXT if name == "publisher" else 40):
                setattr(c, name, value)
        if c.publisher and venue is not None and venue.publisher == c.publisher:
            c.publisher = None  # what the venue table says already (an llmpapers export writes it)

    def _links(self, c: Candidate, key: str, line: int, f: dict[str, str]) -> None:
        doi = f.get("doi")
        if doi:
            # ``&nbsp; https://doi.org/…``: HTML pasted from a publisher's page
            doi = _DOI_PREFIX.sub("", html.unescape(_UNESCAPE.sub(r"\1", doi)).replace("\xa0", " ").strip()).strip()
            first, _, rest = doi.partition(" ")
            if rest and DOI_RE.match(first):  # ``10.48550/arXiv.2103.14749 arXiv-issued DOI via DataCite``
                self.warn(line, f"entry {key!r}: doi: text after {first!r} ignored")
                doi = first
            if arxiv_of_doi(doi):
                c.arxiv = arxiv_of_doi(doi)  # DataCite's DOI of an arXiv paper is its arXiv id, not a publisher's DOI
            elif DOI_RE.match(doi):
                c.doi = doi
            else:
                self.warn(line, f"entry {key!r}: doi {snippet(doi)!r} is not a DOI (10.xxxx/…); ignored")
        c.arxiv = _eprint_arxiv(f) or _arxiv_in_venue(f) or c.arxiv
        urls = [f["url"]] if f.get("url") else []
        for name in ("howpublished", "note"):  # ``howpublished = {\url{…}}``, ``note = {Available at \url{…}}``
            urls += [a or b for a, b in _URL_IN_TEXT.findall(f.get(name, ""))]
        for raw in urls:
            url = safe_url(_UNESCAPE.sub(r"\1", raw))
            if url is None:
                self.warn(line, f"entry {key!r}: url {snippet(raw)!r} is not an http(s) URL; ignored")
                continue
            kind = classify_url(url)
            if kind == "arxiv":
                c.arxiv = c.arxiv or arxiv_id(url)
            elif kind == "doi" and not c.doi:
                c.doi = doi_from_url(url)
            elif kind == "code" and not c.code:
                c.code = url
            elif kind != "code" and not c.paper:  # the page where the work can be read, whatever its form
                c.paper = url
            else:
                c.other.append(url)

    def _venue(self, c: Candidate, entry_type: str, f: dict[str, str]) -> None:
        arxiv_venue = self.venues.get("arXiv")
        howpublished = f.get("howpublished", "")
        label = KIND_OF_LABEL.get(howpublished.strip().lower())
        raw = next((f[name] for name in VENUE_FIELDS if f.get(name)), None)
        if raw:
            c.venue_raw = _text(raw)
            if _ARXIV_TEXT.search(raw):
                c.venue = arxiv_venue.name if arxiv_venue else None
            else:
                m = self.match(c.venue_raw)
                c.venue = m.venue.name if m else None
                if m and c.year is None:
                    c.year = m.year
        elif howpublished and not label and not _URL_IN_TEXT.search(howpublished):
            text = _text(howpublished)
            m = None if _ARXIV_TEXT.search(text) else self.match(text)
            if m:
                c.venue, c.venue_raw = m.venue.name, text
            elif _ARXIV_TEXT.search(text):
                c.venue, c.venue_raw = (arxiv_venue.name if arxiv_venue else None), text
        if label:
            c.type = label
        elif entry_type in SOFTWARE_TYPES:
            c.type = Kind.TOOL
        elif entry_type in WEB_TYPES and c.code and not (c.venue or c.venue_raw or c.arxiv or c.doi or c.paper):
            c.type = Kind.TOOL
        elif entry_type == "standard" or (
            entry_type in (*WEB_TYPES, "manual", "techreport")
            and not (c.venue or c.arxiv or c.doi)
            and is_standard(c.title, c.paper or c.pdf)
        ):
            c.type = Kind.ARTICLE  # a standard or a specification is a document, not a paper
        if c.venue or c.venue_raw or c.type is not Kind.PAPER:
            return
        publisher = f.get("publisher", "")
        archive = _archive(f)
        if _ARXIV_TEXT.search(publisher) or _ARXIV_TEXT.search(archive) or (c.arxiv and not raw):
            c.venue = arxiv_venue.name if arxiv_venue else None
            c.venue_raw = c.venue_raw or (_text(publisher) if _ARXIV_TEXT.search(publisher) else None)


def _archive(f: dict[str, str]) -> str:
    return next((f[name] for name in ARCHIVE_FIELDS if f.get(name)), "")


def _eprint_arxiv(f: dict[str, str]) -> str | None:
    eprint = f.get("eprint", "").strip()
    archive = _archive(f).strip().lower()
    if not eprint or archive not in ("", ARXIV_PREFIX.lower()):
        return None
    found = arxiv_id(eprint) or (m.group(1) if (m := _ARXIV_ID.fullmatch(eprint)) else None)
    return found if found and ARXIV_RE.match(found) else None


def _arxiv_in_venue(f: dict[str, str]) -> str | None:
    for name in ("journal", "booktitle", "howpublished", "volume", "note"):
        text = f.get(name, "")
        m = _ARXIV_IN_TEXT.search(text)
        if m and (name in ("volume", "note") or _ARXIV_TEXT.search(text)) and ARXIV_RE.match(m.group(1)):
            return m.group(1)
    return None


_KEY_HINT = ". Give each entry its own key, or pass --keep-first to import the first only"
_FIELD_HINT = ". Keep one value, or pass --keep-first to use the first"
_EXPORT_HEADER = re.compile(r"\s*@comment\s*\{\s*" + re.escape(EXPORT_MARK), re.I)


def is_llmpapers_export(text: str) -> bool:
    """Whether ``text`` starts with the header ``llmpapers export bibtex`` writes."""
    return bool(_EXPORT_HEADER.match(text))


def _entry_of(block: object) -> Entry | None:
    """The entry of an entry block, also when bibtexparser set it aside for a duplicate key or field."""
    if isinstance(block, DuplicateFieldKeyBlock | DuplicateBlockKeyBlock):
        block = block.ignore_error_block
    return block if isinstance(block, Entry) else None


def parse(text: str, list_name: str, venues: VenueTable, keep_first: bool = False) -> ParseResult:
    """Every entry of a .bib text as a candidate; every problem as a diagnostic with its line.

    A key or a field given twice is an error that skips the entry, unless ``keep_first``: then the first
    entry or value is kept and the repeat is a warning."""
    with _quiet():
        library = bibtexparser.parse_string(text, parse_stack=[])
    reader = _Reader(list_name, venues, keep_first)
    blocks = library.blocks
    seen_strings: set[str] = set()
    for block in blocks:  # macros first, as bibtexparser resolves them: a later definition wins
        string = block.ignore_error_block if isinstance(block, DuplicateBlockKeyBlock) else block
        if isinstance(string, String):
            reader.string(string, string.key.lower() in seen_strings)
            seen_strings.add(string.key.lower())
    pending: tuple[Candidate | None, str, int] | None = None  # the last entry read, until we see what follows
    for block in blocks:
        if isinstance(block, ImplicitComment) and pending:
            candidate, key, line = pending
            leftover = _LEFTOVER.match(block.comment)
            if leftover:
                if candidate is not None:
                    fields = ", ".join(dict.fromkeys(m.group(1).lower() for m in _ASSIGNMENT.finditer(block.comment)))
                    reader.error(
                        line,
                        f"entry {key!r} ends early at a stray '}}' on line {(block.start_line or 0) + 1}: "
                        f"{fields} after it were not read; entry skipped",
                    )
                pending = (None, key, line)
            elif set(block.comment) <= set("}), \t\n"):
                reader.warn((block.start_line or 0) + 1, f"stray {block.comment.strip()!r} after entry {key!r} ignored")
            continue
        if pending and pending[0] is not None:
            reader.result.candidates.append(pending[0])
        pending = None
        if (entry := _entry_of(block)) is not None:
            pending = (reader.entry(entry), entry.key, (entry.start_line or 0) + 1)
        elif isinstance(block, ParsingFailedBlock) and not isinstance(block.ignore_error_block, String):
            reader.failed(block)
            pending = (None, "", (block.start_line or 0) + 1)
    if pending and pending[0] is not None:
        reader.result.candidates.append(pending[0])
    reader.result.exported = is_llmpapers_export(text)
    return reader.result
