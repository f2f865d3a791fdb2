"""The package's layout is its pipeline (CONTRIBUTING.md, "Where things happen"): each folder is a stage,
and a stage imports only from itself and earlier stages, so that reading, checking, matching and
publishing can each be understood, tested and changed without the ones after it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "llmpapers"
STAGES = ["base", "db", "ingest", "identity", "resolve", "publish", "commands", "cli"]
MAX_LINES = 420


def stage_of(module: str) -> str:
    """``llmpapers.db.store`` -> ``db``; top-level modules (errors, config, progress) are the base."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return "cli" if parts[-1] == "__main__" else "base"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every llmpapers module ``path`` imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("llmpapers"):
                found.add(target)
                found.update(
                    f"{target}.{a.name}"
                    for a in node.names
                    if (PACKAGE.parent / f"{target}.{a.name}".replace(".", "/")).is_dir()
                    or (PACKAGE.parent / (f"{target}.{a.name}".replace(".", "/") + ".py")).is_file()
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("llmpapers"))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_stage() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(STAGES) - {"base"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_import_from_a_later_stage(path: Path) -> None:
    mine = STAGES.index(stage_of(module_name(path)))
    later = sorted(t for t in imports(path) if t != "llmpapers" and STAGES.index(stage_of(t)) > mine)
    assert later == [], f"{module_name(path)} ({STAGES[mine]}) imports from a later stage: {later}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module_name(path)}: {lines} lines; split it by what it does"
