"""The record model: what one YAML file in ``data/records/`` may hold. No IO here.

A record, in canonical form (``llmpapers fmt`` writes keys in this order)::

    id: pagedattention
    type: paper
    title: Efficient Memory Management for Large Language Model Serving with PagedAttention
    short_name: PagedAttention
    authors:
      - Woosuk Kwon
    year: 2023
    venue: SOSP
    links:
      arxiv: '2309.06180'
      code: https://github.com/vllm-project/vllm
    categories:
      - serving
      - kv-cache
    related:
      - id: vllm
        rel: code
    sources:
      - list: awesome-llm-inference
        section: Hardware/System
        as_listed: Efficient Memory Management for Large Language Model Serving with PagedAttention
        line: 7
    added: 2026-11-22

Checks that need more than one record (ids unique, categories and venues known, related ids present)
live in ``validate.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from .fields import (  # noqa: F401  (re-exported: the rest of the package imports them from here)
    ARXIV_RE,
    DOI_RE,
    ID_RE,
    MAX_TEXT,
    MIN_YEAR,
    PAGES_RE,
    ArxivId,
    Doi,
    Pages,
    RecordId,
    Short,
    Slug,
    Text,
    Url,
    clean_listed,
    clean_text,
    latest_today,
    valid_id,
    visible_text,
)


class Kind(str, Enum):
    PAPER = "paper"
    TOOL = "tool"
    MODEL = "model"
    HARDWARE = "hardware"
    ARTICLE = "article"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def arxiv_url(arxiv_id: str) -> str:
    """The abstract page of an arXiv id: ``2309.06180`` -> ``https://arxiv.org/abs/2309.06180``."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def doi_url(doi: str) -> str:
    """The resolver URL of a DOI: ``10.1145/1.2`` -> ``https://doi.org/10.1145/1.2``."""
    return f"https://doi.org/{doi}"


class Links(_Strict):
    """Where a work can be read or used. ``arxiv`` and ``doi`` are identifiers, the rest are URLs."""

    paper: Url | None = Field(None, description="the page where the work itself can be read")
    pdf: Url | None = Field(None, description="a direct PDF link")
    arxiv: ArxivId | None = Field(None, description="arXiv identifier without version, e.g. 2309.06180")
    doi: Doi | None = Field(None, description="DOI without the resolver, e.g. 10.1145/3600006.3613165")
    code: Url | None = Field(None, description="source code repository")
    project: Url | None = Field(None, description="project page, documentation or model card")
    other: list[Url] = Field(default_factory=list, description="further links (slides, video, blog)")

    @property
    def arxiv_url(self) -> str | None:
        return arxiv_url(self.arxiv) if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.doi) if self.doi else None

    def urls(self) -> list[str]:
        """Every link as a URL, identifiers expanded, best first."""
        found = (self.paper, self.pdf, self.arxiv_url, self.doi_url, self.code, self.project)
        return [u for u in found if u] + list(self.other)

    def is_empty(self) -> bool:
        return not self.urls()


class Source(_Strict):
    """One listing of the work: which list, under which heading, and the title exactly as written."""

    list_: Text = Field(alias="list", description="the source list (a file under data/sources/ or 'manual')")
    section: Text | None = Field(None, description="the heading the entry was listed under")
    as_listed: Annotated[str, Field(min_length=1, max_length=5000), AfterValidator(clean_listed)] = Field(
        description="the entry's title text exactly as the list wrote it, tags included"
    )
    line: StrictInt | None = Field(None, ge=1, description="line of the entry in the source list")


Relation = Literal["code", "paper", "related", "successor", "predecessor"]
INVERSE: dict[str, str] = {
    "code": "paper",
    "paper": "code",
    "related": "related",
    "successor": "predecessor",
    "predecessor": "successor",
}


class Related(_Strict):
    """A link to another record: ``rel: code`` means that record is this work's code."""

    id: RecordId
    rel: Relation


# What an evidence entry may vouch for: a record field or a link.
EVIDENCE_FIELDS = (
    "title", "short_name", "aliases", "authors", "year", "month", "venue", "volume", "number", "pages",
    "publisher", "type", "paper", "pdf", "arxiv", "doi", "code", "project", "other",
)  # fmt: skip


class Evidence(_Strict):
    """Where a value was looked up: a public page that shows it, and which fields it vouches for."""

    url: Url = Field(description="the public page that shows the values (publisher, arXiv, DBLP, a .bib file)")
    for_: Annotated[str, Field(max_length=300)] = Field(
        alias="for", description="the fields this page vouches for, comma-separated: authors, year, doi"
    )

    @field_validator("for_")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        names = [n.strip() for n in value.split(",")]
        for name in names:
            if name not in EVIDENCE_FIELDS:
                raise ValueError(f"evidence names {name!r}, which is not a field; use {', '.join(EVIDENCE_FIELDS)}")
        if len(set(names)) != len(names):
            raise ValueError(f"evidence names a field twice: {value!r}")
        return ", ".join(names)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in self.for_.split(","))


class Record(_Strict):
    id: RecordId = Field(description="stable lowercase id, equal to the file name; the anchor on the site")
    type: Kind = Field(description="paper, tool, model, hardware or article")
    title: Text = Field(description="the full title, as the work itself gives it")
    short_name: Annotated[str, Field(max_length=80), AfterValidator(clean_text)] | None = Field(
        None, description="the name the work is known by (Orca, vLLM)"
    )
    aliases: list[Text] = Field(default_factory=list, description="other titles the work has been listed under")
    authors: list[Annotated[str, Field(max_length=300), AfterValidator(clean_text)]] = Field(default_factory=list)
    year: StrictInt | None = Field(
        None,
        description="year of the version cited (the venue's year); for tools, models and hardware, the first release",
    )
    month: StrictInt | None = Field(None, description="month of publication (1-12), where the venue needs it")
    venue: Text | None = Field(None, description="canonical venue name from data/venues.yaml")
    volume: Short | None = Field(None, description="journal or proceedings volume")
    number: Short | None = Field(None, description="journal issue number")
    pages: Pages | None = Field(None, description="pages as the proceedings give them: 117-130")
    publisher: Text | None = Field(None, description="publisher of the proceedings or journal (ACM, IEEE, …)")
    links: Links = Field(default_factory=Links)
    categories: list[Slug] = Field(min_length=1, description="category slugs; the first is the primary one")
    related: list[Related] = Field(default_factory=list)
    not_duplicates: list[RecordId] = Field(
        default_factory=list, description="records that look alike but are different works"
    )
    former_ids: list[RecordId] = Field(
        default_factory=list, description="ids this record had before: their addresses on the site redirect here"
    )
    sources: list[Source] = Field(min_length=1, description="every listing this record came from")
    evidence: list[Evidence] = Field(
        default_factory=list, description="where each looked-up value can be checked: a page and the fields it shows"
    )
    added: dt.date = Field(description="the day the record entered the database")

    @field_validator("year")
    @classmethod
    def _sane_year(cls, value: int | None) -> int | None:
        if value is not None and not MIN_YEAR <= value <= dt.date.today().year + 1:
            raise ValueError(f"year {value} is outside {MIN_YEAR}..{dt.date.today().year + 1}")
        return value

    @field_validator("added")
    @classmethod
    def _not_after_today(cls, value: dt.date) -> dt.date:
        if value > latest_today():
            raise ValueError(f"added {value} is after today ({latest_today()}): it is the day the record entered")
        return value

    @field_validator("month")
    @classmethod
    def _month(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 12:
            raise ValueError(f"month is a number from 1 to 12, not {value}")
        return value

    @field_validator("categories", "aliases", "authors", "not_duplicates", "former_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        seen = set()
        for item in value:
            if item in seen:
                raise ValueError(f"lists {item!r} twice")
            seen.add(item)
        return value

    @model_validator(mode="after")
    def _self_refs(self) -> Record:
        if self.id in self.not_duplicates or any(r.id == self.id for r in self.related):
            raise ValueError("a record cannot relate to itself")
        if self.id in self.former_ids:
            raise ValueError("former_ids lists the record's own id")
        return self

    @property
    def primary(self) -> str:
        return self.categories[0]

    @property
    def display_name(self) -> str:
        return self.short_name or self.title

    def to_yaml_dict(self) -> dict[str, Any]:
        """Plain data in canonical key order, without empty values."""
        data = self.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data["added"] = self.added.isoformat()
        ordered = {k: data[k] for k in FIELD_ORDER if k in data}
        if "links" in ordered:
            ordered["links"] = {k: ordered["links"][k] for k in LINK_ORDER if k in ordered["links"]}
        return ordered


FIELD_ORDER = list(Record.model_fields)
LINK_ORDER = list(Links.model_fields)


class Category(_Strict):
    slug: Slug
    name: Text
    group: Text
    scope: Text
    rules: CategoryRules | None = None


class CategoryRules(_Strict):
    """How ``categorize`` suggests this category: any match suggests it."""

    keywords: list[Text] = Field(default_factory=list, description="whole words or phrases, case-insensitive")
    short_names: list[Text] = Field(default_factory=list, description="short names that belong here")
    patterns: list[Text] = Field(default_factory=list, description="regular expressions over the title")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for p in value:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from None
        return value


Category.model_rebuild()


class Venue(_Strict):
    name: Text = Field(description="canonical short name shown on the site, e.g. OSDI")
    full: Text = Field(description="full name")
    kind: Literal["conference", "journal", "workshop", "preprint", "other"]
    publisher: Text | None = Field(None, description="who publishes the proceedings or journal (ACM, IEEE, …)")
    dois: bool = Field(False, description="the publisher registers a DOI for every paper")
    aliases: list[Text] = Field(default_factory=list, description="other ways lists write this venue")

    @property
    def peer_reviewed(self) -> bool:
        return self.kind in ("conference", "journal", "workshop")
