"""``llmpapers resolve``: what the public services say about records, as proposed changes to their files.

A target is a record id, or an arXiv id, DOI or their URL that names a record (by its links). Each
proposal is shown as a diff of the YAML; ``write`` applies the ones that change something. Curated values
are never replaced: a disagreement is reported with both values and the page that says otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..db.cache import project_root
from ..db.store import Database, display_path, write_record
from ..db.venues import VenueTable
from ..errors import BadValue
from ..ingest.manual import parse_arxiv
from ..ingest.urls import doi_from_url
from ..progress import progress
from ..resolve.gather import gather_record
from ..resolve.http import Client, Policy
from ..resolve.propose import Proposal, propose
from ..resolve.services import Services
from .database import valid_database

MAILTO_ENV = "LLMPAPERS_MAILTO"


@dataclass
class Outcome:
    path: Path
    proposal: Proposal
    notes: list[str] = field(default_factory=list)


def make_client(data_dir: Path, budget: int | None = None, mailto: str | None = None, cache: bool = True) -> Client:
    """The client a command uses: its on-disk cache in ``.cache/llmpapers/http`` beside data/."""
    cache_dir = project_root(data_dir) / ".cache" / "llmpapers" / "http" if cache else None
    return Client(cache_dir, Policy(budget=budget), mailto or os.environ.get(MAILTO_ENV) or None)


def find_target(db: Database, target: str) -> str:
    """The id of the record ``target`` names: its id, or an arXiv id, DOI or URL in its links."""
    by_id = db.by_id()
    if target in by_id:
        return target
    if moved := next((r.id for r in db.records if target in r.former_ids), None):
        return moved
    arxiv = parse_arxiv(target)
    doi = doi_from_url(target) if "://" in target else (target if target.startswith("10.") else None)
    for record in db.records:
        if (arxiv and record.links.arxiv == arxiv) or (doi and (record.links.doi or "").lower() == doi.lower()):
            return record.id
    raise BadValue("TARGET", f"{target!r} is not a record id, nor an arXiv id or DOI of a record in data/")


def resolve_records(
    data_dir: Path, targets: list[str], client: Client, services: Services | None = None
) -> list[Outcome]:
    """A proposal for each target record, from what the services answer."""
    db = valid_database(data_dir, "fix data/ before resolving")
    services = services or Services.from_env()
    table = VenueTable(db.venues)
    by_id = db.by_id()
    outcomes = []
    for rid in dict.fromkeys(find_target(db, t) for t in targets):
        record = by_id[rid]
        answers = gather_record(client, services, record)
        outcomes.append(Outcome(db.paths[rid], propose(record, answers.found, table), answers.notes))
    return outcomes


def write_proposals(data_dir: Path, outcomes: list[Outcome]) -> list[str]:
    """Write each changed record; the paths written, as shown."""
    return [display_path(write_record(data_dir, o.proposal.after)) for o in outcomes if o.proposal.changed]


def check_database(
    data_dir: Path,
    client: Client,
    services: Services | None = None,
    links: bool = True,
    ids: bool = True,
    only: list[str] | None = None,
):
    """:func:`~llmpapers.resolve.check.check_records` over the database (or the records ``only`` names)."""
    from ..resolve.check import check_records

    db = valid_database(data_dir, "fix data/ before checking")
    records = db.records if not only else [db.by_id()[find_target(db, t)] for t in only]
    shown = progress(records, len(records), "checking", slow=True)  # on a terminal only
    report = check_records(shown, client, services or Services.from_env(), VenueTable(db.venues), links, ids)
    return db, report


def apply_check(data_dir: Path, db: Database, report) -> list[str]:  # noqa: ANN001
    """Write what a check can fix by itself: proposals (filled fields, published versions) and links that
    moved for good. What needs a person (conflicts, disagreements, dead links) is left to the report."""
    from ..identity.rules import revise

    changed = {rid: p.after for rid, p in report.proposals.items()}
    by_id = db.by_id()
    for finding in report.findings:
        if finding.fix is None:
            continue
        record = changed.get(finding.record_id, by_id[finding.record_id])
        links = record.links.model_dump()
        parts = finding.where.split(".")
        if parts[:2] == ["links", "other"]:
            links["other"][int(parts[2])] = finding.fix
        else:
            links[parts[1]] = finding.fix
        changed[record.id] = revise(record, links=links)
    return [display_path(write_record(data_dir, record)) for record in changed.values()]


def markdown_report(report) -> str:  # noqa: ANN001
    """The check as Markdown, for the issue the weekly workflow keeps: what needs a person, by record."""
    needs = [f for f in report.findings if f.fix is None and f.kind not in ("upgrade", "fill")]
    lines = ["# llmpapers check", ""]
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(report.by_kind().items())) or "nothing to report"
    lines += [f"{report.checked} records checked: {counts}.", ""]
    if report.stopped:
        lines += [f"Stopped early: {report.stopped}.", ""]
    if needs:
        lines += ["| record | field | what | details |", "|---|---|---|---|"]
        lines += [f"| {f.record_id} | {f.where} | {f.kind} | {_cell(f.message)} |" for f in needs]
    else:
        lines.append("Nothing needs a person.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:300]
