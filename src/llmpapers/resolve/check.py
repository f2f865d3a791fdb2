"""``llmpapers check``: is the database still current? The network edge; the verdicts are plain data.

For each record: its proposal from :mod:`.propose` (a preprint with a published version, an arXiv id or a
DOI that names another work, a value the services contradict), its links (dead, moved for good, rate
limited: HEAD, else a one-byte GET; redirects followed and reported), and its code repository on GitHub
(moved or archived). arXiv and DOI links are checked by identifier, through the services, never scraped.

A link that cannot be reached is dead; but when nothing has been reached yet and three hosts in a row
fail, the machine is offline, and the run stops with that error rather than report every link dead. The
client's budget bounds the run: when it is spent the run stops and says how far it got.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..db.models import Record
from ..db.venues import VenueTable
from ..ingest.urls import normalize_url
from .gather import gather_record
from .http import BudgetSpent, Client, NetworkError, Reply
from .propose import Proposal, propose
from .services import Services

PERMANENT = frozenset({301, 308})


@dataclass(frozen=True)
class Finding:
    record_id: str
    kind: str  # upgrade, conflict, disagreement, dead, moved, rate-limited, archived, unreachable-service
    where: str  # the field: links.paper, links.code, venue, …
    message: str
    fix: str | None = None  # the new value --write puts in ``where`` (a moved link); None: a person decides

    def line(self) -> str:
        return f"{self.record_id}: {self.where}: {self.kind}: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # record id -> a proposal that changes it
    checked: int = 0  # records done
    stopped: str = ""  # why the run ended early

    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return counts


class _Offline:
    """Tells a dead link from a machine without a network: three hosts failing before any answered."""

    def __init__(self) -> None:
        self.reached = False
        self.failed: list[str] = []

    def ok(self) -> None:
        self.reached = True

    def fail(self, host: str, exc: NetworkError) -> None:
        if not self.reached and host not in self.failed:
            self.failed.append(host)
            if len(self.failed) >= 3:
                raise NetworkError(f"no host could be reached ({', '.join(self.failed)}): offline? ({exc})")


def check_records(
    records: Iterable[Record],
    client: Client,
    services: Services,
    table: VenueTable,
    links: bool = True,
    ids: bool = True,
) -> Report:
    report = Report()
    offline = _Offline()
    try:
        for record in records:
            if ids and record.type.value == "paper":
                _check_ids(record, client, services, table, report)
                offline.ok()
            if links:
                _check_links(record, client, services, report, offline)
            report.checked += 1
    except BudgetSpent as exc:
        report.stopped = str(exc)
    return report


def _check_ids(record: Record, client: Client, services: Services, table: VenueTable, report: Report) -> None:
    answers = gather_record(client, services, record)
    proposal = propose(record, answers.found, table)
    if proposal.changed:
        report.proposals[record.id] = proposal
        kind = "upgrade" if proposal.after.venue != record.venue else "fill"
        for change in proposal.changes:
            report.findings.append(Finding(record.id, kind, change.split(":", 1)[0], change.split(":", 1)[1].strip()))
    for text in proposal.conflicts:
        report.findings.append(Finding(record.id, "conflict", "links", text))
    for text in proposal.disagreements:
        report.findings.append(Finding(record.id, "disagreement", text.split(":", 1)[0], text.split(":", 1)[1].strip()))


def _check_links(record: Record, client: Client, services: Services, report: Report, offline: _Offline) -> None:
    links = record.links
    named = [(f"links.{n}", getattr(links, n)) for n in ("paper", "pdf", "project", "code")]
    named += [(f"links.other.{i}", url) for i, url in enumerate(links.other)]
    for where, url in named:
        if not url:
            continue
        repo = normalize_url(url).split("/")  # github.com/owner/name, also from …/tree/main or name.git
        if where == "links.code" and len(repo) == 3 and repo[0] == "github.com":
            _check_repo(record, where, url, repo[1], repo[2], client, services, report, offline)
            continue
        try:
            reply = client.head(url)
        except NetworkError as exc:
            offline.fail(urlsplit(url).netloc, exc)
            report.findings.append(Finding(record.id, "dead", where, f"{url}: {exc}"))
            continue
        offline.ok()
        if finding := link_verdict(record.id, where, url, reply):
            report.findings.append(finding)


def link_verdict(record_id: str, where: str, url: str, reply: Reply) -> Finding | None:
    """What a link's answer means: dead (4xx but 429, a loop), rate-limited, server trouble, or moved for
    good (a 301 or 308 hop to another address); ``None`` when the link is fine."""
    if reply.problem:
        return Finding(record_id, "dead", where, f"{url}: {reply.problem}")
    if reply.status == 429:
        return Finding(record_id, "rate-limited", where, f"{url}: HTTP 429 after retries; check again later")
    if reply.status in (404, 410) or 400 <= reply.status < 500 and reply.status not in (401, 403):
        return Finding(record_id, "dead", where, f"{url}: HTTP {reply.status}")
    if reply.status >= 500:
        return Finding(record_id, "server-error", where, f"{url}: HTTP {reply.status}")
    if any(status in PERMANENT for status, _ in reply.redirects) and normalize_url(reply.url) != normalize_url(url):
        return Finding(record_id, "moved", where, f"{url} now redirects for good to {reply.url}", fix=reply.url)
    return None


def _check_repo(record, where, url, owner, name, client, services, report, offline) -> None:  # noqa: ANN001
    api = f"{services.github}/{owner}/{name}"
    try:
        reply = client.get(api, cache=False)
    except NetworkError as exc:
        offline.fail(urlsplit(api).netloc, exc)
        report.findings.append(Finding(record.id, "dead", where, f"{url}: {exc}"))
        return
    offline.ok()
    if reply.status in (403, 429):
        report.findings.append(Finding(record.id, "rate-limited", where, f"{url}: GitHub's API said {reply.status}"))
        return
    if reply.status == 404:
        report.findings.append(Finding(record.id, "dead", where, f"{url}: no such repository on GitHub"))
        return
    try:
        data = reply.json()
    except ValueError:
        report.findings.append(Finding(record.id, "dead", where, f"{url}: GitHub answered {reply.status}"))
        return
    full, html = str(data.get("full_name") or ""), str(data.get("html_url") or "")
    if full and full.lower() != f"{owner}/{name}".lower() and html.startswith("https://"):
        report.findings.append(Finding(record.id, "moved", where, f"{url} is now {html}", fix=html))
    if data.get("archived"):
        report.findings.append(Finding(record.id, "archived", where, f"{url} is archived (read-only) on GitHub"))
