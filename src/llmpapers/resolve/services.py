"""What four public services say about a work, read into one shape (:class:`Found`). Parsing is pure; each
``ask_*`` function makes one request through :class:`~llmpapers.resolve.http.Client`.

- arXiv API (Atom): the preprint's title, authors, first version's year, and a DOI or journal reference
  the authors added;
- Semantic Scholar Graph API: a paper by ``arXiv:<id>`` or ``DOI:<doi>``, with its other identifiers
  (``externalIds``: the arXiv id and the published version's DOI meet here);
- Crossref REST API: a DOI's work (title, authors, proceedings or journal, pages, volume, issue, year);
- DBLP search API: works by title; a published version and its CoRR (arXiv) version are two hits.

The base addresses come from :class:`Services` (tests point them at a local server).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from ..db.fields import ARXIV_RE, DOI_RE
from ..errors import LlmpapersError
from ..ingest.manual import parse_arxiv_atom
from .http import Client, Reply

S2_FIELDS = "title,authors,year,venue,externalIds,publicationDate"
ENV = "LLMPAPERS_SERVICES"  # name=url,… : where each service is (tests; a mirror)


class BadAnswer(LlmpapersError):
    """A service answered with something that is not what its documentation describes."""


@dataclass(frozen=True)
class Services:
    arxiv: str = "https://export.arxiv.org/api/query"
    s2: str = "https://api.semanticscholar.org/graph/v1/paper"
    crossref: str = "https://api.crossref.org/works"
    dblp: str = "https://dblp.org/search/publ/api"
    github: str = "https://api.github.com/repos"

    @classmethod
    def from_env(cls) -> Services:
        """The defaults, with ``LLMPAPERS_SERVICES=arxiv=http://…,dblp=http://…`` applied."""
        found = {}
        for item in filter(None, os.environ.get(ENV, "").split(",")):
            name, _, url = item.partition("=")
            if name.strip() not in cls.__dataclass_fields__ or not url.startswith(("http://", "https://")):
                raise LlmpapersError(f"{ENV}: {item!r} is not name=http(s)://… for one of arxiv, s2, crossref, dblp")
            found[name.strip()] = url.strip().rstrip("/")
        return replace(cls(), **found)


@dataclass(frozen=True)
class Found:
    """One service's account of one work."""

    service: str  # arxiv, s2, crossref, dblp
    page: str  # the public page a reviewer opens to check it (kept as evidence)
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None  # as the service names it (DBLP's acronym, Crossref's container title)
    arxiv: str | None = None
    doi: str | None = None
    pages: str | None = None
    volume: str | None = None
    number: str | None = None
    publisher: str | None = None
    preprint: bool = False  # the arXiv (CoRR) version, not a published one
    extra: dict[str, str] = field(default_factory=dict, compare=False)


# ---------------------------------------------------------------------------------------------- parsing


def parse_arxiv(text: str) -> Found | None:
    """An arXiv API feed's first entry (read by :func:`~llmpapers.ingest.manual.parse_arxiv_atom`, as ``add
    --arxiv`` reads it); ``None`` when it holds none (an unknown id)."""
    try:
        meta = parse_arxiv_atom(text)
    except LlmpapersError as exc:
        raise BadAnswer(str(exc)) from None
    if meta is None or not meta.arxiv:
        return None
    return Found(
        "arxiv",
        f"https://arxiv.org/abs/{meta.arxiv}",
        meta.title,
        tuple(meta.authors),
        meta.year,
        "arXiv",
        meta.arxiv,
        meta.doi if meta.doi and DOI_RE.match(meta.doi) else None,
        preprint=True,
        extra={"journal_ref": meta.journal_ref} if meta.journal_ref else {},
    )


def parse_s2(data: Any) -> Found | None:
    """A Semantic Scholar paper object; ``None`` for its "Paper not found" answer."""
    if not isinstance(data, dict) or "error" in data or not data.get("title"):
        return None
    ids = data.get("externalIds") or {}
    arxiv, doi = ids.get("ArXiv"), ids.get("DOI")
    doi = None if doi and doi.lower().startswith("10.48550/arxiv.") else doi  # DataCite's DOI of the preprint
    page = f"https://www.semanticscholar.org/paper/{data['paperId']}" if data.get("paperId") else ""
    page = page or (f"https://doi.org/{doi}" if doi else f"https://arxiv.org/abs/{arxiv}" if arxiv else "")
    return Found(
        "s2",
        page,
        " ".join(str(data["title"]).split()),
        tuple(a["name"] for a in data.get("authors") or [] if isinstance(a, dict) and a.get("name")),
        data.get("year") if isinstance(data.get("year"), int) else None,
        data.get("venue") or None,
        arxiv if arxiv and ARXIV_RE.match(arxiv) else None,
        doi if doi and DOI_RE.match(doi) else None,
        extra={"dblp": ids["DBLP"]} if ids.get("DBLP") else {},
    )


def parse_crossref(data: Any) -> Found | None:
    """A Crossref ``/works/<doi>`` answer."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or not message.get("DOI"):
        return None
    title = " ".join(" ".join(message.get("title") or []).split())
    authors = []
    for a in message.get("author") or []:
        name = " ".join(p for p in (a.get("given"), a.get("family")) if p) or a.get("name", "")
        if name:
            authors.append(" ".join(name.split()))
    date = (message.get("published") or message.get("issued") or {}).get("date-parts") or [[None]]
    year = date[0][0] if date and date[0] and isinstance(date[0][0], int) else None
    container = " ".join(message.get("container-title") or []) or None
    return Found(
        "crossref",
        f"https://doi.org/{message['DOI']}",
        title,
        tuple(authors),
        year,
        container,
        doi=str(message["DOI"]),
        pages=(message.get("page") or None),
        volume=(message.get("volume") or None),
        number=(message.get("issue") or None),
        publisher=(message.get("publisher") or None),
    )


def parse_dblp(data: Any) -> list[Found]:
    """The hits of a DBLP search answer, in its order."""
    try:
        hits = data["result"]["hits"].get("hit") or []
    except (KeyError, TypeError, AttributeError):
        raise BadAnswer("DBLP answered without result.hits") from None
    found = []
    for hit in hits if isinstance(hits, list) else [hits]:
        info = hit.get("info") or {}
        authors = (info.get("authors") or {}).get("author") or []
        authors = authors if isinstance(authors, list) else [authors]  # one author comes as an object
        names = tuple(_dblp_name(a) for a in authors)
        venue = info.get("venue")
        venue = " ".join(venue) if isinstance(venue, list) else venue
        volume = str(info.get("volume") or "")
        corr = venue == "CoRR"
        arxiv = volume.removeprefix("abs/") if corr and volume.startswith("abs/") else None
        year = str(info.get("year") or "")
        found.append(
            Found(
                "dblp",
                str(info.get("url") or info.get("ee") or ""),
                str(info.get("title") or "").rstrip("."),
                names,
                int(year) if year.isdigit() else None,
                venue or None,
                arxiv if arxiv and ARXIV_RE.match(arxiv) else None,
                (info.get("doi") or None) if not corr else None,
                pages=(str(info["pages"]) if info.get("pages") else None),
                volume=None if corr else (volume or None),
                number=(str(info["number"]) if info.get("number") else None),
                preprint=corr,
                extra={"key": str(info.get("key") or ""), "ee": str(info.get("ee") or "")},
            )
        )
    return found


def _dblp_name(author: Any) -> str:
    """DBLP's name without the homonym number it appends (``Hao Zhang 0001``)."""
    text = author.get("text", "") if isinstance(author, dict) else str(author)
    words = text.split()
    return " ".join(words[:-1] if words and words[-1].isdigit() and len(words) > 1 else words)


# ---------------------------------------------------------------------------------------------- asking


def ask_arxiv(client: Client, services: Services, arxiv_id: str) -> Found | None:
    return parse_arxiv(_ok(client.get(services.arxiv, {"id_list": arxiv_id}), "arXiv").text)


def ask_s2(client: Client, services: Services, key: str) -> Found | None:
    """``key``: ``arXiv:2309.06180`` or ``DOI:10.1145/…``."""
    reply = client.get(f"{services.s2}/{quote(key, safe=':/')}", {"fields": S2_FIELDS})
    if reply.status == 404:
        return None
    return parse_s2(_json(_ok(reply, "Semantic Scholar"), "Semantic Scholar"))


def ask_crossref(client: Client, services: Services, doi: str) -> Found | None:
    reply = client.get(f"{services.crossref}/{quote(doi, safe='/')}")
    if reply.status == 404:
        return None
    return parse_crossref(_json(_ok(reply, "Crossref"), "Crossref"))


def ask_dblp(client: Client, services: Services, title: str) -> list[Found]:
    reply = client.get(services.dblp, {"q": title, "format": "json", "h": "10"})
    return parse_dblp(_json(_ok(reply, "DBLP"), "DBLP"))


def _ok(reply: Reply, name: str) -> Reply:
    if reply.status != 200:
        why = reply.problem or f"HTTP {reply.status}"
        if reply.status == 429:
            why += " (rate-limited; try again later)"
        raise BadAnswer(f"{name} did not answer ({why}) for {reply.url}")
    return reply


def _json(reply: Reply, name: str) -> Any:
    try:
        return reply.json()
    except ValueError as exc:
        raise BadAnswer(f"{name} answered with something that is not JSON ({exc}) for {reply.url}") from None
