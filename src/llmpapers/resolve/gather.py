"""Which services to ask about a work, and in what order: the IO half of ``resolve`` (the other is
:mod:`.propose`, pure).

For a record: the arXiv API and Semantic Scholar by its arXiv id (the published version's DOI comes back
from Semantic Scholar), Crossref by each DOI found, and DBLP by its title. A service that answers badly
(an error status, something not JSON) costs only its own answer, noted; a network that cannot be reached
at all stops the run (:class:`~llmpapers.resolve.http.NetworkError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..db.models import Record
from .http import Client
from .services import BadAnswer, Found, Services, ask_arxiv, ask_crossref, ask_dblp, ask_s2


@dataclass
class Answers:
    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # services that did not answer usefully, and why


def gather(client: Client, services: Services, title: str, arxiv: str | None, doi: str | None) -> Answers:
    """Everything the services say about the work with this title and these identifiers."""
    answers = Answers()

    def ask(what: str, call, *args) -> list[Found]:
        try:
            got = call(client, services, *args)
        except BadAnswer as exc:
            answers.notes.append(str(exc))
            return []
        got = got if isinstance(got, list) else [got] if got else []
        if not got:
            answers.notes.append(f"{what}: no answer")
        answers.found += got
        return got

    dois = [doi] if doi else []
    if arxiv:
        ask(f"arXiv {arxiv}", ask_arxiv, arxiv)
        for f in ask(f"Semantic Scholar arXiv:{arxiv}", ask_s2, f"arXiv:{arxiv}"):
            if f.doi and f.doi.lower() not in (d.lower() for d in dois):
                dois.append(f.doi)
    elif doi:
        ask(f"Semantic Scholar DOI:{doi}", ask_s2, f"DOI:{doi}")
    for d in dois:
        ask(f"Crossref {d}", ask_crossref, d)
    ask(f"DBLP {title!r}", ask_dblp, title)
    return answers


def gather_record(client: Client, services: Services, record: Record) -> Answers:
    return gather(client, services, record.title, record.links.arxiv, record.links.doi)
