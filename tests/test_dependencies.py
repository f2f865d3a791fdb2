"""The lock: every dependency pinned for the quick start, CI and the workflows, and the lock kept in step with
pyproject.toml's ranges; Dependabot and the weekly newest-versions job that keep it current."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LOCK = ROOT / "requirements" / "lock.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
COMPILE = "uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 -o requirements/lock.txt"


def lock_pins() -> dict[str, list[Requirement]]:
    pins: dict[str, list[Requirement]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            req = Requirement(line)
            pins.setdefault(canonicalize_name(req.name), []).append(req)
    return pins


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in [*project["dependencies"], *extras]]


def test_the_lock_says_how_it_was_made() -> None:
    assert COMPILE in LOCK.read_text(encoding="utf-8").splitlines()[1]


def test_every_pin_is_exact() -> None:
    for name, reqs in lock_pins().items():
        for req in reqs:
            assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", f"{name}: {req}"


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13"])
def test_the_lock_pins_every_dependency_within_pyproject_ranges(python: str) -> None:
    """Each direct dependency (and extra) has one pin that applies on this Python, inside pyproject's range;
    a range changed in pyproject.toml without compiling the lock again fails here."""
    env = {**default_environment(), "python_version": python, "python_full_version": f"{python}.5"}
    pins = lock_pins()
    for req in declared():
        applying = [p for p in pins.get(canonicalize_name(req.name), []) if p.marker is None or p.marker.evaluate(env)]
        assert len(applying) == 1, f"{req.name}: {len(applying)} pins apply on Python {python}"
        version = next(iter(applying[0].specifier)).version
        assert req.specifier.contains(version, prereleases=True), f"{req.name} {version} is outside {req.specifier}"


INSTALLS = re.compile(r"pip install\b[^\n`]*-e\s+['\"]?\.")


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "CONTRIBUTING.md",
        ".ci/run",
        ".github/workflows/pr.yml",
        ".github/workflows/pages.yml",
        "benchmarks/README.md",
    ],
)
def test_every_install_of_llmpapers_uses_the_lock(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    installs = [m.group(0) for m in INSTALLS.finditer(text)]
    assert installs, f"{path} installs nothing"
    for command in installs:
        assert "-c requirements/lock.txt" in command, f"{path}: {command}"


def test_ci_runs_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    setup, tests = [line.strip() for line in quick.strip().splitlines()]
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert " && ".join(ci[ci.index("python3 -m venv .venv") : ci.index(tests)]) == setup
    assert ci[-1] == tests == ".venv/bin/python -m pytest"


def test_dependabot_updates_the_lock_and_the_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    by_ecosystem = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(by_ecosystem) == {"pip", "github-actions"}
    for update in by_ecosystem.values():
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly"


def test_a_weekly_job_runs_the_suite_with_the_newest_releases() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "newest.yml").read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))
    assert on["schedule"] and "workflow_dispatch" in on
    (job,) = workflow["jobs"].values()
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert "requirements/lock.txt" not in scripts and "--upgrade --upgrade-strategy eager -e '.[test]'" in scripts
    assert 'python -m pytest -m "not lint"' in scripts and "llmpapers build" in scripts
    assert "3.11" in job["strategy"]["matrix"]["python"]
