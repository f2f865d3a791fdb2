"""``llmpapers resolve`` on twelve real records of ours, against the local stand-in for arXiv, Semantic
Scholar, Crossref and DBLP (tests/service_server.py, answers in tests/fixtures/services/, their sources in
SOURCES.md there). Each record is taken back to an earlier, poorer state (a preprint, no authors, no DOI),
and resolve must propose what the curated record says; look-alikes and a wrong arXiv id are refused."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from llmpapers.cli import main
from llmpapers.commands.database import valid_database
from llmpapers.db.models import Record
from llmpapers.db.store import write_record
from llmpapers.db.venues import VenueTable
from llmpapers.resolve.gather import gather_record
from llmpapers.resolve.http import Client, Policy
from llmpapers.resolve.propose import person_key, propose
from llmpapers.resolve.services import Services

ROOT = Path(__file__).parent.parent
DB = valid_database(ROOT / "data", "fix data/")
TABLE = VenueTable(DB.venues)
CURATED = DB.by_id()


def earlier(rid: str, **changes) -> Record:
    """The curated record as it was before anyone looked it up: no evidence, and ``changes`` applied."""
    data = CURATED[rid].model_dump(by_alias=True)
    data["evidence"] = []
    links = changes.pop("links", {})
    data["links"] = {k: v for k, v in (data["links"] | links).items() if v not in (None, [])}
    return Record.model_validate(data | changes)


def resolve(server, record: Record):
    u = server.url
    services = Services(f"{u}/arxiv", f"{u}/s2", f"{u}/crossref", f"{u}/dblp", f"{u}/github")
    with Client(None, Policy(default_interval=0.0, intervals={})) as client:
        answers = gather_record(client, services, record)
    return propose(record, answers.found, TABLE)


PREPRINT = {"venue": "arXiv", "authors": [], "pages": None}
# record id, its earlier state, the fields resolve must give back as the curated record has them
CASES = [
    ("c-pack", {"title": "C-Pack: Packaged Resources to Advance General Chinese Embedding", "aliases": [],
                "year": 2023, "links": {"doi": None}} | PREPRINT,
     ["title", "venue", "year", "authors", "pages", "links.doi"]),
    ("flashattention", PREPRINT, ["venue", "authors"]),
    ("flashattention-2", PREPRINT | {"year": 2023}, ["venue", "year", "authors"]),
    ("pagedattention", PREPRINT | {"links": {"doi": None}}, ["venue", "authors", "pages", "links.doi"]),
    ("smoothquant", PREPRINT, ["venue", "authors"]),
    ("awq", PREPRINT, ["venue", "authors"]),
    ("distserve", PREPRINT, ["venue", "authors"]),
    ("medusa", PREPRINT, ["venue", "authors"]),
    ("specinfer", PREPRINT | {"links": {"doi": None}}, ["venue", "authors", "links.doi"]),
    ("orca", {"authors": []}, ["authors"]),
    ("gptq", {"authors": []}, ["authors"]),
]  # fmt: skip


def value(record: Record, name: str) -> object:
    return getattr(record.links, name[6:]) if name.startswith("links.") else getattr(record, name)


@pytest.mark.parametrize(("rid", "changes", "restored"), CASES, ids=[c[0] for c in CASES])
def test_resolve_gives_back_what_the_curated_record_says(server, rid, changes, restored):
    before = earlier(rid, **changes)
    proposal = resolve(server, before)
    assert proposal.conflicts == []
    for name in restored:
        if name == "authors":  # the services may spell a middle initial otherwise than our record
            assert list(map(person_key, proposal.after.authors)) == list(map(person_key, CURATED[rid].authors))
        else:
            assert value(proposal.after, name) == value(CURATED[rid], name), name
    assert proposal.after.evidence, "every value taken names its page"
    vouched = {f for e in proposal.after.evidence for f in e.fields}
    assert {n.removeprefix("links.") for n in restored} <= vouched


def test_a_preprint_is_upgraded_to_its_renamed_published_version(server):
    before = earlier(
        "c-pack", title="C-Pack: Packaged Resources to Advance General Chinese Embedding", aliases=[], year=2023,
        links={"doi": None}, **PREPRINT,
    )  # fmt: skip
    proposal = resolve(server, before)
    after = proposal.after
    assert after.title == "C-Pack: Packed Resources For General Chinese Embeddings"
    assert after.aliases == ["C-Pack: Packaged Resources to Advance General Chinese Embedding"]
    assert (after.venue, after.year, after.pages, after.links.doi) == (
        "SIGIR",
        2024,
        "641-649",
        "10.1145/3626772.3657878",
    )
    assert after.links.arxiv == "2309.07597" and after.id == "c-pack" and after.sources == before.sources
    diff = proposal.diff("records/c-pack.yaml")
    assert "-title: 'C-Pack: Packaged Resources to Advance General Chinese Embedding'" in diff
    assert "+venue: SIGIR" in diff and "+  doi: 10.1145/3626772.3657878" in diff


def test_look_alikes_are_refused(server):
    proposal = resolve(server, earlier("flashattention", **PREPRINT))
    assert proposal.after.venue == "NeurIPS" and proposal.after.year == 2022
    assert any("FlashAttention-2: Faster Attention" in r and "another work" in r for r in proposal.refused)
    proposal = resolve(server, earlier("flashattention-2", **PREPRINT))
    assert proposal.after.venue == "ICLR" and proposal.after.authors == ["Tri Dao"]
    assert any("FlashAttention: Fast and Memory-Efficient" in r for r in proposal.refused)


def test_a_wrong_arxiv_id_is_caught_and_nothing_is_taken_from_it(server):
    before = earlier("h2o", links={"arxiv": "2401.04925"}, authors=[])
    proposal = resolve(server, before)
    assert any(
        c.startswith("arXiv 2401.04925 is 'The Impact of Reasoning Step Length on Large Language Models'")
        for c in proposal.conflicts
    ), proposal.conflicts
    assert proposal.after.links.arxiv == "2401.04925"  # reported, not silently replaced
    assert all("Reasoning Step" not in line for line in proposal.changes)


def test_curated_values_are_kept_and_the_disagreement_reported(server):
    proposal = resolve(server, earlier("pagedattention", year=2022, pages="1-2"))
    assert (proposal.after.year, proposal.after.pages) == (2022, "1-2")
    assert any(d.startswith("year: the record has 2022, crossref says 2023") for d in proposal.disagreements)
    assert any(d.startswith("pages: the record has 1-2,") for d in proposal.disagreements)


def test_a_complete_record_needs_nothing(server):
    for rid in ("pagedattention", "c-pack", "specinfer"):
        proposal = resolve(server, CURATED[rid])
        assert not proposal.changed and not proposal.conflicts, (rid, proposal.changes)


def test_resolve_command_prints_the_diff_and_writes_with_write(server, tmp_path, runner, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    write_record(tmp_path / "data", earlier("specinfer", **PREPRINT, links={"doi": None}))
    monkeypatch.setenv("LLMPAPERS_SERVICES", server.services_env())
    args = ["resolve", "specinfer", "--no-cache", "--data", str(tmp_path / "data")]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "+venue: ASPLOS" in result.output and "(dry run: pass --write to apply)" in result.output
    assert "from   links.doi: 10.1145/3620666.3651335 (crossref: https://doi.org/10.1145/3620666.3651335)" in (
        result.output
    )
    result = runner.invoke(main, [*args, "--write"])
    assert "wrote " in result.output
    text = (tmp_path / "data" / "records" / "specinfer.yaml").read_text(encoding="utf-8")
    assert "venue: ASPLOS" in text and "doi: 10.1145/3620666.3651335" in text
    assert runner.invoke(main, ["validate", "--data", str(tmp_path / "data")]).exit_code == 0
    write_record(tmp_path / "data", earlier("h2o", links={"arxiv": "2401.04925"}))
    result = runner.invoke(main, ["resolve", "h2o", "--no-cache", "--data", str(tmp_path / "data")])
    assert result.exit_code == 1 and "CHECK  arXiv 2401.04925 is 'The Impact of Reasoning Step Length" in result.output


def test_resolve_offline_is_a_clear_error(tmp_path, runner, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("LLMPAPERS_SERVICES", f"arxiv={dead},s2={dead},crossref={dead},dblp={dead}")
    monkeypatch.setattr("llmpapers.commands.resolving.Policy", functools.partial(Policy, retries=0))
    result = runner.invoke(main, ["resolve", "orca", "--no-cache", "--data", str(ROOT / "data")])
    assert result.exit_code == 1
    assert f"llmpapers: cannot reach 127.0.0.1:{port}: could not connect" in result.output


def test_add_resolve_makes_a_complete_record_from_an_arxiv_id(server, tmp_path, runner, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "records" / "distserve.yaml").unlink()
    monkeypatch.setenv("LLMPAPERS_SERVICES", server.services_env())
    monkeypatch.setenv("LLMPAPERS_OFFLINE", "1")  # add's own arXiv fetch stays off; --resolve asks the services
    args = ["add", "--arxiv", "2401.09670", "--title", "DistServe", "--resolve", "--dry-run"]
    result = runner.invoke(main, [*args, "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "venue: OSDI" in result.output and "year: 2024" in result.output
    assert "  - Yinmin Zhong" in result.output and "evidence:" in result.output
    assert "resolved venue: OSDI (dblp:" in result.output


def test_import_resolve_finds_a_record_by_identifiers_the_list_did_not_give(server, tmp_path, runner, monkeypatch):
    """A list writes SpecInfer under an old title with no link: resolving finds its arXiv id and DOI, and the
    entry merges into our record by identifier rather than becoming a second record."""
    monkeypatch.setenv("LLMPAPERS_SERVICES", server.services_env())
    bib = tmp_path / "l.bib"
    bib.write_text(
        "@misc{s, title = {SpecInfer: Accelerating Large Language Model Serving with Tree-based Speculative "
        "Inference and Verification}, year = {2024}}\n",
        encoding="utf-8",
    )
    plain = runner.invoke(main, ["import", "bibtex", str(bib), "--dry-run", "--data", str(ROOT / "data")])
    resolved = runner.invoke(
        main, ["import", "bibtex", str(bib), "--dry-run", "--resolve", "--data", str(ROOT / "data")]
    )
    assert "merge      specinfer" in resolved.output, resolved.output
    assert plain.exit_code == resolved.exit_code == 0
