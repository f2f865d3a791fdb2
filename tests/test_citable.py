"""Every record citable: what validate warns about, what stats counts, and exports that citation tools accept.

The exports are compiled by the tools people use: BibTeX (plain style), biber (biblatex's datamodel check)
and pandoc's citeproc reading CSL-JSON. Each tool test skips when the tool is not installed;
``.ci/tex-deps`` installs them for CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from conftest import fixture_db, write_record
from conftest import make_record as rec
from llmpapers.cli import main
from llmpapers.db.completeness import coverage, doi_venues, gaps, is_code_url
from llmpapers.db.store import load_database
from llmpapers.publish.csl import csl_item, csl_name, to_csl_json
from llmpapers.publish.export import bibtex_entry, to_bibtex, venue_index

ROOT = Path(__file__).parent.parent


@pytest.fixture
def venues(tmp_path):
    return load_database(fixture_db("valid", tmp_path / "db")).venues


# --- what a record lacks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "kinds"),
    [
        pytest.param({"authors": ["A B"], "links": {"arxiv": "2309.06180"}}, [], id="complete-preprint"),
        pytest.param({}, ["authors", "link"], id="bare-paper"),
        pytest.param({"authors": ["A B"], "links": {"code": "https://github.com/a/b"}}, ["link"], id="code-only"),
        pytest.param({"authors": ["A B"], "venue": "arXiv", "links": {"paper": "https://x.org/p"}}, ["arxiv"]),
        pytest.param({"authors": ["A B"], "venue": "SOSP", "links": {"arxiv": "2309.06180"}}, ["doi"], id="doi"),
        pytest.param(
            {"authors": ["A B"], "links": {"paper": "https://github.com/a/b"}}, ["code-as-paper"], id="repo-as-paper"
        ),
        pytest.param({"authors": ["A B"], "links": {"pdf": "https://github.com/a/b/raw/main/p.pdf"}}, [], id="pdf"),
        pytest.param({"type": "tool", "links": {"code": "https://github.com/a/b"}}, [], id="tool-with-repo"),
        pytest.param({"type": "hardware"}, ["link"], id="hardware-without-page"),
        pytest.param({"type": "article", "links": {"paper": "https://blog.org/p"}}, ["authors"], id="article"),
        pytest.param(
            {
                "authors": ["A B"],
                "links": {"arxiv": "2309.06180"},
                "evidence": [{"url": "https://arxiv.org/abs/2309.06180", "for": "authors, arxiv, pages"}],
            },
            ["evidence"],
            id="evidence-for-an-empty-field",
        ),  # fmt: skip
    ],
)
def test_gaps(fields, kinds):
    assert [g.kind for g in gaps(rec(**fields), dois={"SOSP"})] == kinds


def test_code_hosts():
    assert is_code_url("https://github.com/vllm-project/vllm")
    assert not is_code_url("https://vllm-project.github.io/")
    assert not is_code_url("https://github.com/org/repo/blob/main/paper.pdf")


def test_coverage_counts_what_each_kind_needs(venues):
    records = [
        rec("a", authors=["A B"], venue="SOSP", links={"doi": "10.1145/1.2"}),
        rec("b", venue="arXiv", links={"arxiv": "2309.06180"}),
        rec("c", venue="SOSP"),
        rec("d", type="tool", links={"code": "https://github.com/a/b"}),
    ]
    cov = coverage(records, doi_venues(venues))
    assert (cov.authors, cov.link, cov.arxiv, cov.doi) == ((1, 3), (3, 4), (1, 1), (1, 2))
    assert (cov.any_arxiv, cov.any_doi, cov.evidence) == (1, 1, (0, 4))


INCOMPLETE = """\
id: half
type: paper
title: A Paper Without Its Authors
year: 2024
venue: arXiv
categories:
  - serving
sources:
  - list: manual
    as_listed: A Paper Without Its Authors
added: 2026-11-22
"""


def test_validate_warns_and_strict_fails(copy_fixture, runner):
    data = copy_fixture("valid")
    write_record(data, "half", INCOMPLETE)
    lenient = runner.invoke(main, ["validate", "--data", "valid"])
    assert lenient.exit_code == 0
    assert lenient.output.splitlines() == [
        "valid/records/half.yaml:3:8: warning: a paper needs its authors, complete and in order",
        "valid/records/half.yaml:3:8: warning: no direct link to the work; add one of links.{paper, pdf, arxiv, doi, "
        "project}",
        "valid/records/half.yaml:5:8: warning: venue is arXiv but links.arxiv is missing; add the arXiv id",
        "validate passed with: 3 warnings in 1 file",
    ]
    strict = runner.invoke(main, ["validate", "--data", "valid", "--strict"])
    assert strict.exit_code == 1


def _git(repo: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x.org",
    }
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**__import__("os").environ, **env})  # fmt: skip


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_validate_since_reports_only_changed_records(copy_fixture, runner):
    data = copy_fixture("valid")
    write_record(data, "half", INCOMPLETE)
    _git(data, "init", "-q", "-b", "main")
    _git(data, "add", "-A")
    _git(data, "commit", "-q", "-m", "base")
    assert runner.invoke(main, ["validate", "--data", "valid", "--since", "HEAD", "--strict"]).exit_code == 0
    write_record(data, "late", INCOMPLETE.replace("id: half", "id: late"))
    result = runner.invoke(main, ["validate", "--data", "valid", "--since", "HEAD", "--strict"])
    assert result.exit_code == 1
    assert {line.split(":")[0] for line in result.output.splitlines()[:-1]} == {"valid/records/late.yaml"}


def test_stats_prints_coverage(copy_fixture, runner):
    data = copy_fixture("valid")
    write_record(data, "half", INCOMPLETE)
    result = runner.invoke(main, ["stats", "--data", "valid"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  authors on papers and articles             1 of 2      50.0%" in lines
    assert "  an arXiv id where the venue is arXiv       0 of 1       0.0%" in lines


# --- BibTeX -------------------------------------------------------------------------------------------------


def fields_of(text: str) -> dict[str, str]:
    (entry,) = bibtexparser.parse_string(text).entries
    return {f.key: f.value for f in entry.fields}


def test_bibtex_carries_every_citation_field(venues):
    record = rec(
        authors=["Ada Lovelace", "Charles Babbage"],
        venue="SOSP",
        year=2023,
        month=10,
        pages="611-626",
        links={"doi": "10.1145/3600006.3613165", "arxiv": "2309.06180", "code": "https://github.com/a/b"},
    )
    text = bibtex_entry(record, "x", venues)
    assert "  month = oct,\n" in text  # the macro, unbraced: BibTeX and biber both read it
    assert fields_of(text) == {
        "title": "A Title",
        "author": "Ada Lovelace and Charles Babbage",
        "booktitle": "ACM Symposium on Operating Systems Principles",
        "pages": "611--626",
        "publisher": "ACM",
        "year": "2023",
        "month": "oct",
        "doi": "10.1145/3600006.3613165",
        "eprint": "2309.06180",
        "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2309.06180",  # the work, never its code
    }


def test_journal_entries_have_volume_and_number_but_no_publisher(venues):
    record = rec(authors=["A B"], venue="VLDB", year=2024, volume="17", number="11", pages="3233-3246")
    got = fields_of(bibtex_entry(record, "x", venues))
    assert (got["journal"], got["volume"], got["number"], got["pages"]) == (
        "Proceedings of the VLDB Endowment",
        "17",
        "11",
        "3233--3246",
    )
    assert "publisher" not in got  # biblatex's @article has no publisher field


def test_a_paper_with_only_code_has_no_url_and_a_tool_keys_by_name(venues):
    paper = fields_of(bibtex_entry(rec(authors=["A B"], links={"code": "https://github.com/a/b"}), "x", venues))
    assert "url" not in paper
    tool = rec(type="tool", title="vLLM", links={"code": "https://github.com/vllm-project/vllm"})
    got = fields_of(bibtex_entry(tool, "x", venues))
    assert (got["key"], got["howpublished"], got["url"]) == ("vLLM", "Software", "https://github.com/vllm-project/vllm")


# --- CSL-JSON -----------------------------------------------------------------------------------------------


def test_csl_names():
    assert csl_name("Woosuk Kwon") == {"family": "Kwon", "given": "Woosuk"}
    assert csl_name("Jean de la Fontaine") == {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"}
    assert csl_name("Gemini Team") == {"literal": "Gemini Team"}


def test_csl_items(venues):
    index = venue_index(venues)
    paper = rec(authors=["Ada Lovelace"], venue="SOSP", year=2023, month=10, pages="611-626",
                links={"doi": "10.1145/1.2", "paper": "https://x.org/p"})  # fmt: skip
    assert csl_item(paper, index) == {
        "id": "x",
        "title": "A Title",
        "type": "paper-conference",
        "container-title": "ACM Symposium on Operating Systems Principles",
        "author": [{"family": "Lovelace", "given": "Ada"}],
        "issued": {"date-parts": [[2023, 10]]},
        "page": "611-626",
        "publisher": "ACM",
        "DOI": "10.1145/1.2",
        "URL": "https://x.org/p",
    }
    preprint = csl_item(rec(venue="arXiv", year=2024, links={"arxiv": "2401.00001"}), index)
    assert (preprint["type"], preprint["publisher"], preprint["number"]) == ("article", "arXiv", "arXiv:2401.00001")
    tool = csl_item(rec(type="tool", links={"code": "https://github.com/a/b"}), index)
    assert (tool["type"], tool["URL"]) == ("software", "https://github.com/a/b")


def test_csl_export_command(copy_fixture, runner):
    copy_fixture("valid")
    result = runner.invoke(main, ["export", "csl-json", "--data", "valid"])
    assert result.exit_code == 0
    (item,) = json.loads(result.output)
    assert (item["id"], item["type"], item["author"]) == (
        "orca",
        "paper-conference",
        [{"family": "Yu", "given": "Gyeong-In"}],
    )


# --- the tools people compile with --------------------------------------------------------------------------

SAMPLE = [
    rec("conf", authors=["Ada Lovelace", "Charles Babbage"], venue="SOSP", year=2023, month=10, pages="611-626",
        links={"doi": "10.1145/3600006.3613165"}),
    rec("jour", authors=["Grace Hopper"], venue="VLDB", year=2024, volume="17", number="11", pages="1-12",
        links={"doi": "10.14778/1.2"}),
    rec("pre", authors=["Alan Turing", "NVIDIA Corporation"], venue="arXiv", year=2024, links={"arxiv": "2401.00001"}),
    rec("tool", type="tool", title="vLLM", year=2023, links={"code": "https://github.com/vllm-project/vllm"}),
    rec("hw", type="hardware", title="A Chip", year=2022, links={"project": "https://example.com/chip"}),
    rec("blog", type="article", title="A Post", authors=["Émile Zola"], year=2023, links={"paper": "https://b.org/p"}),
]  # fmt: skip


def _database_bib(tmp_path: Path, venues) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(to_bibtex(SAMPLE, venues), encoding="utf-8")
    return path


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs bibtex (Debian texlive-binaries; .ci/tex-deps)")
def test_bibtex_compiles_the_export_without_warnings(tmp_path, venues):
    _database_bib(tmp_path, venues)
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n", encoding="utf-8")
    done = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log
    assert "Warning" not in log, log
    assert (tmp_path / "doc.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(SAMPLE)


BIBLATEX_DOC = """\\documentclass{article}
\\usepackage[backend=biber]{biblatex}
\\addbibresource{refs.bib}
\\begin{document}
\\nocite{*}
\\printbibliography
\\end{document}
"""


@pytest.mark.skipif(
    shutil.which("biber") is None or shutil.which("latex") is None,
    reason="needs biber and latex with biblatex (Debian biber, texlive-latex-recommended; .ci/tex-deps)",
)
def test_biber_validates_the_export_against_biblatex(tmp_path, venues):
    _database_bib(tmp_path, venues)
    (tmp_path / "doc.tex").write_text(BIBLATEX_DOC, encoding="utf-8")
    subprocess.run(["latex", "-interaction=nonstopmode", "doc.tex"], cwd=tmp_path, capture_output=True)
    done = subprocess.run(["biber", "--validate-datamodel", "doc"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log
    assert "WARN" not in log and "ERROR" not in log, log
    assert (tmp_path / "doc.bbl").read_text(encoding="utf-8").count("\\entry{") == len(SAMPLE)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc (Debian pandoc; .ci/tex-deps)")
def test_pandoc_citeproc_reads_the_csl_json(tmp_path, venues):
    (tmp_path / "refs.json").write_text(to_csl_json(SAMPLE, venues), encoding="utf-8")
    (tmp_path / "doc.md").write_text("See [@conf; @pre; @tool].\n", encoding="utf-8")
    done = subprocess.run(
        ["pandoc", "--citeproc", "--bibliography", "refs.json", "-t", "plain", "doc.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert "Lovelace and Babbage 2023" in done.stdout
    assert "Lovelace, Ada, and Charles Babbage. 2023." in done.stdout
    assert "https://doi.org/10.1145/3600006.3613165" in done.stdout
    assert "arXiv.\nhttps://arxiv.org/abs/2401.00001" in done.stdout


# --- the database itself ------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs bibtex (Debian texlive-binaries; .ci/tex-deps)")
def test_the_databases_bibtex_download_warns_only_where_validate_does(tmp_path):
    """The site's BibTeX download compiles; a missing-field warning only for a record validate already names."""
    db = load_database(ROOT / "data")
    (tmp_path / "refs.bib").write_text(to_bibtex(db.records, db.venues), encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n", encoding="utf-8")
    subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    warned = [line for line in log.splitlines() if line.startswith("Warning--")]
    unauthored = {r.id for r in db.records if any(g.kind == "authors" for g in gaps(r, doi_venues(db.venues)))}
    assert {line.rsplit(" in ", 1)[-1] for line in warned} <= unauthored, warned
    assert all(line.startswith("Warning--empty author in ") for line in warned), warned


def test_the_databases_papers_cite_the_work_not_its_code():
    db = load_database(ROOT / "data")
    library = bibtexparser.parse_string(to_bibtex(db.records, db.venues))
    papers = [e for e in library.entries if e.entry_type in ("inproceedings", "article")]
    assert papers
    assert [e.key for e in papers if "url" in e.fields_dict and is_code_url(e.fields_dict["url"].value)] == []


# --- reading the same fields from a .bib file ---------------------------------------------------------------

CITED_BIB = """\
@inproceedings{kwon2023,
  title = {Efficient Memory Management for Large Language Model Serving with PagedAttention},
  author = {Kwon, Woosuk and Li, Zhuohan},
  booktitle = {Proceedings of the 29th Symposium on Operating Systems Principles},
  publisher = {ACM}, month = oct, year = {2023}, pages = {611--626}, doi = {10.1145/3600006.3613165}
}
@article{j2024,
  title = {A Journal Paper}, author = {Hopper, Grace}, journal = {Proc. VLDB Endow.},
  volume = {17}, number = {11}, pages = {3233 -- 3246}, year = {2024}, publisher = {VLDB Endowment}
}
@article{dblp-corr,
  title = {A Preprint}, author = {Turing, Alan}, journal = {CoRR}, volume = {abs/2001.08361}, year = {2020},
  pages = {not a range}
}
"""


def test_bibtex_reader_keeps_citation_fields(venues):
    from llmpapers.db.venues import VenueTable
    from llmpapers.ingest.bibtex import parse

    result = parse(CITED_BIB, "refs", VenueTable(venues))
    conf, journal, corr = result.candidates
    assert (conf.venue, conf.month, conf.pages, conf.publisher) == ("SOSP", 10, "611-626", None)  # ACM: the table's
    assert (journal.venue, journal.volume, journal.number, journal.pages) == ("VLDB", "17", "11", "3233-3246")
    assert journal.publisher is None
    assert (corr.venue, corr.volume, corr.pages) == ("arXiv", None, None)  # DBLP's CoRR volume is not a volume
    assert result.diagnostics == []


def test_import_fills_pages_only_for_the_version_the_record_cites(venues):
    from llmpapers.db.venues import VenueTable
    from llmpapers.identity.merge import merge_into
    from llmpapers.ingest.candidate import Candidate

    table = VenueTable(venues)
    record = rec(authors=["Woosuk Kwon"], venue="SOSP", year=2023, links={"arxiv": "2309.06180"})
    same = Candidate(title="A Title", as_listed="A Title", list_name="refs", line=1, venue="SOSP", year=2023,
                     pages="611-626", month=10)  # fmt: skip
    merged, changes = merge_into(record, same, table)
    assert (merged.pages, merged.month) == ("611-626", 10)
    assert "pages 611-626" in changes
    other = Candidate(title="A Title", as_listed="A Title", list_name="refs", line=2, venue="VLDB", year=2024,
                      pages="1-12", volume="17")  # fmt: skip
    merged, _ = merge_into(record, other, table)
    assert (merged.pages, merged.volume) == (None, None)
    curated = rec(authors=["A B"], venue="SOSP", year=2023, pages="1-2")
    assert merge_into(curated, same, table)[0].pages == "1-2"  # never overwritten


def test_the_contributing_example_is_a_citable_record(copy_fixture, runner):
    """The record CONTRIBUTING asks newcomers to paste passes the pull request's strict check as it stands."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    example = "\n".join(line.removeprefix("   ") for line in block.splitlines()) + "\n"
    data = copy_fixture("valid")
    write_record(data, "flashattention-2", example)
    result = runner.invoke(main, ["validate", "--data", "valid", "--strict"])
    assert (result.exit_code, result.output) == (0, "validate: no problems\n")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"month": 13}, "month is a number from 1 to 12, not 13"),
        ({"pages": "611–626"}, "pages must look like 117-130 or 1:1-1:25 (one ASCII hyphen), not '611–626'"),
        ({"evidence": [{"url": "https://x.org", "for": "authors, pagez"}]}, "evidence names 'pagez', which is not"),
    ],
)
def test_citation_fields_say_what_is_wrong(fields, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as info:
        rec(**fields)
    assert message in str(info.value)
