"""``llmpapers check`` against the local stand-in for the web (tests/service_server.py): dead, moved and
rate-limited links, moved and archived repositories, the budget, and a machine with no network."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from conftest import make_record
from llmpapers.cli import main
from llmpapers.db.store import load_venues
from llmpapers.db.venues import VenueTable
from llmpapers.errors import LlmpapersError
from llmpapers.resolve.check import check_records
from llmpapers.resolve.http import Client, Policy
from llmpapers.resolve.services import Services

ROOT = Path(__file__).parent.parent
TABLE = VenueTable(load_venues(ROOT / "data")[0])
SITE = "http://links.example.org"


def services(server) -> Services:
    u = server.url
    return Services(f"{u}/arxiv", f"{u}/s2", f"{u}/crossref", f"{u}/dblp", f"{u}/github")


def client(server, **policy) -> Client:
    policy.setdefault("default_interval", 0.0)
    policy.setdefault("backoff", 0.0)
    return Client(None, Policy(**policy), proxy=server.url, sleep=lambda s: None)


def site_record(rid: str, **links) -> object:
    return make_record(rid, type="tool", links={k: f"{SITE}/{v}" for k, v in links.items()})


def test_links_dead_moved_limited_and_fine(server):
    records = [
        site_record("a", paper="dead", project="ok"),
        site_record("b", paper="gone", pdf="moved"),
        site_record("c", paper="limited", project="temp"),
        site_record("d", paper="loop", project="nohead"),
        site_record("e", paper="error"),
    ]
    with client(server, retries=1) as c:
        report = check_records(records, c, services(server), TABLE, ids=False)
    got = {(f.record_id, f.where, f.kind) for f in report.findings}
    assert got == {
        ("a", "links.paper", "dead"),
        ("b", "links.paper", "dead"),
        ("b", "links.pdf", "moved"),
        ("c", "links.paper", "rate-limited"),
        ("d", "links.paper", "dead"),
        ("e", "links.paper", "server-error"),
    }
    moved = next(f for f in report.findings if f.kind == "moved")
    assert moved.fix == f"{SITE}/ok-new" and moved.message == f"{SITE}/moved now redirects for good to {SITE}/ok-new"
    assert report.checked == 5 and not report.stopped


def test_moved_and_archived_repositories(server):
    records = [
        make_record("old", type="tool", links={"code": "https://github.com/old-owner/tool"}),
        make_record("gone", type="tool", links={"code": "https://github.com/nobody/nothing"}),
    ]
    with client(server) as c:
        report = check_records(records, c, services(server), TABLE, ids=False)
    found = {(f.record_id, f.kind): f for f in report.findings}
    assert found[("old", "moved")].fix == "https://github.com/new-owner/tool"
    assert ("old", "archived") in found
    assert found[("gone", "dead")].message == "https://github.com/nobody/nothing: no such repository on GitHub"


def test_the_budget_is_never_exceeded(server):
    records = [site_record(f"r{i}", paper="ok", project="temp") for i in range(10)]
    before = len(server.log)
    with client(server, budget=5) as c:
        report = check_records(records, c, services(server), TABLE, ids=False)
        assert c.requests == 5
    assert len(server.log) - before <= 5 + 2  # a redirect is a second request of one
    assert report.stopped == "stopped after 5 requests (the budget of this run)" and report.checked < 10


def test_offline_is_an_error_not_every_link_dead():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    records = [make_record(f"r{i}", type="tool", links={"paper": f"https://host{i}.example.org/"}) for i in range(4)]
    with Client(None, Policy(retries=0, default_interval=0.0), proxy=f"http://127.0.0.1:{port}") as c:
        with pytest.raises(LlmpapersError, match="no host could be reached .*offline"):
            check_records(records, c, Services(), TABLE, ids=False)


def test_check_command_writes_moves_and_reports_what_needs_a_person(server, tmp_path, runner, monkeypatch):
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid", tmp_path / "data")
    for name in ("categories.yaml", "venues.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    record = site_record("sitey", paper="dead", project="moved")
    from llmpapers.db.store import write_record

    write_record(tmp_path / "data", record)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("LLMPAPERS_SERVICES", server.services_env())
    report = tmp_path / "report.md"
    args = [
        "check",
        "sitey",
        "--no-ids",
        "--write",
        "--report",
        str(report),
        "--no-cache",
        "--data",
        str(tmp_path / "data"),
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output  # a dead link needs a person
    assert f"sitey: links.paper: dead: {SITE}/dead: HTTP 404" in result.output
    assert "1 record(s) checked: 1 dead, 1 moved" in result.output
    text = (tmp_path / "data" / "records" / "sitey.yaml").read_text(encoding="utf-8")
    assert f"project: {SITE}/ok-new" in text and f"paper: {SITE}/dead" in text
    md = report.read_text(encoding="utf-8")
    assert "| sitey | links.paper | dead |" in md and "moved" not in md.split("|---|")[1]
