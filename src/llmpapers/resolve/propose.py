"""What the services' answers change in a record: pure, no IO.

Which answers are about the record's work is decided by the import's own matcher (so the same guards hold:
FlashAttention is not FlashAttention-2, a bare name needs its year, an arXiv id whose title shares nothing
with the record is a conflict), plus one rule of its own: an answer whose arXiv id or DOI another accepted
answer vouched for is the same work, even under a new title (C-Pack's published version is renamed).

What is proposed, from the accepted answers only:

- empty fields are filled: authors, year, arXiv id, DOI, pages, volume, number, publisher;
- a preprint (venue arXiv, or none) with a published version gets that version: its venue, year and title,
  the preprint's title kept as an alias;
- a value the record already has and an answer contradicts is never replaced: it is reported with both
  values and the page that says otherwise;
- every value taken is vouched for by an ``evidence`` entry naming the page it came from.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from ..db.fields import page_range
from ..db.models import Evidence, Kind, Record
from ..db.store import record_text
from ..db.venues import VenueTable
from ..identity.matcher import Matcher
from ..identity.rules import revise
from ..identity.titles import compact, match_key, names_of
from ..ingest.candidate import Candidate
from .services import Found

PREPRINT_VENUES = frozenset({"arXiv", None})
_TODAY = dt.date(2000, 1, 1)  # the added date of a draft record, never written
PREFERENCE = ("crossref", "dblp", "s2", "arxiv")  # whose account of a field is taken first


@dataclass
class Proposal:
    before: Record
    after: Record
    changes: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)  # curated values an answer contradicts
    conflicts: list[str] = field(default_factory=list)  # an identifier of the record names another work
    refused: list[str] = field(default_factory=list)  # look-alikes the services offered

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self, path: str) -> str:
        """The change as a unified diff of the record's YAML file."""
        a, b = record_text(self.before).splitlines(True), record_text(self.after).splitlines(True)
        return "".join(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"))


def candidate_of(found: Found, table: VenueTable) -> Candidate:
    """An answer as the matcher reads a listing."""
    venue = "arXiv" if found.preprint else canonical_venue(found, table)
    return Candidate(
        title=found.title,
        as_listed=found.title,
        list_name=found.service,
        line=0,
        authors=list(found.authors),
        year=found.year,
        venue=venue,
        arxiv=found.arxiv,
        doi=found.doi,
    )


def canonical_venue(found: Found, table: VenueTable) -> str | None:
    if found.preprint or not found.venue:
        return "arXiv" if found.preprint else None
    m = table.match(found.venue)
    return m.venue.name if m else None


def accept(record: Record, answers: list[Found], table: VenueTable) -> tuple[list[Found], list[str], list[str]]:
    """The answers about ``record``'s work; and the conflicts and refused look-alikes, in words."""
    matcher = Matcher([record])
    own = {i.lower() for i in (record.links.arxiv, record.links.doi) if i}
    ids = set(own)  # identifiers of the work: the record's, then those accepted answers vouch for
    accepted: list[Found] = []
    pending = list(answers)
    progress = True
    while progress:  # an answer accepted may vouch for another one's identifiers
        progress = False
        for found in list(pending):
            match, _ = matcher.find(candidate_of(found, table))
            vouched = {i.lower() for i in (found.arxiv, found.doi) if i} & ids
            if (match is not None and not match.conflict) or (vouched - own) or (vouched and match is None):
                accepted.append(found)
                pending.remove(found)
                ids |= {i.lower() for i in (found.arxiv, found.doi) if i}
                progress = True
                seen = matcher.records[record.id]
                if match_key(found.title) not in {match_key(t) for t in (seen.title, *seen.aliases)}:
                    # the work's full title, from an answer taken by its identifier, helps match the others
                    matcher = Matcher([revise(seen, aliases=[*seen.aliases, found.title])])
    conflicts: list[str] = []
    refused: list[str] = []
    for found in pending:
        match, miss = matcher.find(candidate_of(found, table))
        if match is not None:  # the record's own identifier names a work with another title
            what = f"arXiv {found.arxiv}" if found.arxiv and found.arxiv.lower() in own else found.service
            conflicts.append(f"{what} is {found.title!r} ({found.page}), not this work: {match.reason}")
        elif miss is not None and miss.score >= 80:
            refused.append(f"{found.service}: {found.title!r} ({found.page}) is another work: {miss.reason}")
        elif _named_alike(record, found):
            refused.append(f"{found.service}: {found.title!r} ({found.page}) is another work of a like name")
    return accepted, conflicts, refused


def propose(record: Record, answers: list[Found], table: VenueTable) -> Proposal:
    accepted, conflicts, refused = accept(record, answers, table)
    proposal = Proposal(record, record, conflicts=conflicts, refused=refused)
    if not accepted:
        return proposal
    fields: dict = {}
    used: dict[str, list[str]] = {}  # evidence page -> fields it vouches for

    def take(name: str, value: object, found: Found, shown: str | None = None) -> None:
        if not name.startswith("links."):  # links are set together, below
            fields[name] = value
        used.setdefault(found.page, []).append(_evidence_name(name))
        proposal.changes.append(f"{name}: {shown or value} ({found.service}: {found.page})")

    def first(attr: str, pool: list[Found]) -> Found | None:
        return next((f for f in _ranked(pool) if getattr(f, attr)), None)

    published = [f for f in _ranked(accepted) if not f.preprint and canonical_venue(f, table) not in PREPRINT_VENUES]
    version = published[0] if published else None
    upgrade = record.venue in PREPRINT_VENUES and version is not None and record.type is Kind.PAPER
    pool = [f for f in accepted if f is version or f.preprint or f.service in ("s2",)] if version else accepted
    if upgrade and version is not None:
        venue = canonical_venue(version, table)
        take("venue", venue, version)
        if version.year and version.year != record.year:
            take("year", version.year, version)
        if match_key(version.title) != match_key(record.title):
            aliases = [a for a in record.aliases if a != version.title]
            fields["aliases"] = [*aliases, record.title] if record.title not in aliases else aliases
            take("title", version.title, version)
    elif version is not None:
        _disagree(proposal, "venue", record.venue, canonical_venue(version, table), version)
        _disagree(proposal, "year", record.year, version.year, version)
    sources = [version] if version is not None else accepted
    if not record.authors and (who := first("authors", sources) or first("authors", accepted)):
        take("authors", list(dict.fromkeys(who.authors)), who, f"{len(who.authors)} names")
    elif record.authors and (who := first("authors", sources)):
        if [person_key(a) for a in who.authors] != [person_key(a) for a in record.authors]:
            proposal.disagreements.append(
                f"authors: the record has {len(record.authors)} names ({record.authors[0]}, …); {who.service} "
                f"has {len(who.authors)} ({', '.join(who.authors[:3])}, …): {who.page}"
            )
    if record.year is None and "year" not in fields and (when := first("year", sources)):
        take("year", when.year, when)
    links = {}
    for name in ("arxiv", "doi"):
        have = getattr(record.links, name)
        offer = first(name, [f for f in accepted if not (name == "doi" and f.preprint)])
        if offer is None:
            continue
        if have is None:
            links[name] = getattr(offer, name)
            take(f"links.{name}", links[name], offer)
        elif have.lower() != str(getattr(offer, name)).lower():
            _disagree(proposal, f"links.{name}", have, getattr(offer, name), offer)
    if links:
        fields["links"] = record.links.model_copy(update=links)
    if version is not None:
        for name in ("pages", "volume", "number", "publisher"):
            src = version if getattr(version, name) else first(name, [f for f in pool if not f.preprint])
            offer = getattr(src, name) if src else None
            value = page_range(offer) if name == "pages" and offer else offer
            if src is None or not value:
                continue
            if getattr(record, name) is None and not (name == "publisher" and _publisher_known(version, table)):
                take(name, value, src)
            elif getattr(record, name) != value:
                _disagree(proposal, name, getattr(record, name), value, src)
    if fields:
        evidence = list(record.evidence)
        for page, names in used.items():
            if not page:
                continue
            at = next((i for i, e in enumerate(evidence) if e.url == page), None)
            vouched = list(dict.fromkeys([*(evidence[at].fields if at is not None else ()), *names]))
            entry = Evidence.model_validate({"url": page, "for": ", ".join(vouched)})
            if at is None:
                evidence.append(entry)
            else:  # the page already vouches for other fields: it now vouches for these too
                evidence[at] = entry
        fields["evidence"] = evidence
        proposal.after = revise(record, **fields)
    return proposal


def person_key(name: str) -> tuple[str, str]:
    """A name as two lists agree on it: family name and first initial (``Joseph E. Gonzalez`` is
    ``Joseph Gonzalez``; services differ in middle initials and accents, not in people).

    >>> person_key("Joseph E. Gonzalez") == person_key("Joseph Gonzalez"), person_key("Mickaël Seznec")
    (True, ('seznec', 'm'))
    """
    words = match_key(name).split()
    return (words[-1], words[0][:1]) if words else ("", "")


def _named_alike(record: Record, found: Found) -> bool:
    """The answer's name extends the record's (FlashAttention and FlashAttention-2): a look-alike."""
    ours = {compact(n) for n in names_of(record.title, record.short_name)}
    theirs = {compact(n) for n in names_of(found.title)}
    return any(a != b and (b.startswith(a) or a.startswith(b)) for a in ours for b in theirs)


def _ranked(answers: list[Found]) -> list[Found]:
    return sorted(answers, key=lambda f: PREFERENCE.index(f.service) if f.service in PREFERENCE else 9)


def _disagree(proposal: Proposal, name: str, ours: object, theirs: object, found: Found) -> None:
    if ours is not None and theirs is not None and ours != theirs:
        proposal.disagreements.append(f"{name}: the record has {ours}, {found.service} says {theirs}: {found.page}")


def _publisher_known(found: Found, table: VenueTable) -> bool:
    """The venue table already names this publisher for the venue (the record need not repeat it)."""
    m = table.match(found.venue or "") if found.venue else None
    return bool(m and m.venue.publisher and found.publisher and m.venue.publisher.lower() in found.publisher.lower())


def _evidence_name(name: str) -> str:
    return name.removeprefix("links.")


def enrich(candidate: Candidate, answers: list[Found], table: VenueTable) -> tuple[Candidate, Proposal]:
    """``candidate`` (a listing being imported or added) with what the accepted answers add: identifiers,
    authors, the published version; each value with its evidence. Nothing it has is replaced."""
    from dataclasses import replace

    from ..identity.merge import new_record

    draft = new_record(candidate, "draft", ["draft"], _TODAY)
    proposal = propose(draft, answers, table)
    after = proposal.after
    filled = replace(
        candidate,
        title=after.title,
        aliases=[*candidate.aliases, *(a for a in after.aliases if a not in candidate.aliases)],
        authors=candidate.authors or list(after.authors),
        year=after.year if after.venue != candidate.venue else candidate.year or after.year,
        venue=after.venue,
        arxiv=candidate.arxiv or after.links.arxiv,
        doi=candidate.doi or after.links.doi,
        pages=candidate.pages or after.pages,
        volume=candidate.volume or after.volume,
        number=candidate.number or after.number,
        evidence=[*candidate.evidence, *({"url": e.url, "for": e.for_} for e in after.evidence)],
    )
    return filled, proposal
