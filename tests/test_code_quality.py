"""What CONTRIBUTING promises of the code, checked with every run of the suite (and so by `.ci/run`,
the pull request and pre-commit alike): ``ruff check`` and ``ruff format --check`` are clean with the
settings in pyproject.toml. The doctests of ``src/`` run through ``--doctest-modules`` in pyproject's
pytest options.

These are marked ``lint``: the weekly job that installs the newest release of every dependency
deselects them, since a new ruff may restyle code that users never run; ruff's own updates arrive
through the lock (requirements/lock.txt) as pull requests that run them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.lint


def ruff() -> str:
    here = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert here, "ruff is part of the test extra: pip install -c requirements/lock.txt -e '.[test]'"
    return here


@pytest.mark.parametrize(
    "args", [["check", "--no-cache"], ["format", "--check", "--no-cache"]], ids=["check", "format"]
)
def test_ruff(args: list[str]) -> None:
    done = subprocess.run([ruff(), *args, "."], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
