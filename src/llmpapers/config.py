"""Settings: where the data, templates and site live, read from ``[tool.llmpapers]`` in pyproject.toml.

    [tool.llmpapers]
    data_dir = "data"
    repo_url = "https://github.com/OWNER/llmpapers"   # for "edit this entry" links
    branch = "main"

Paths are relative to the folder holding pyproject.toml (the project root); the root is found by
walking up from the working directory. Without a pyproject.toml, the working directory is the root.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    root: Path
    data_dir: Path
    templates_dir: Path
    site_dir: Path
    build_dir: Path
    repo_url: str
    branch: str
    site_url: str


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "data").is_dir():
            return folder
    return here


def load_settings(root: Path | None = None, data_dir: Path | None = None) -> Settings:
    root = root or find_root()
    table: dict = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("llmpapers", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read [tool.llmpapers]: {exc}") from None
    known = {"data_dir", "templates_dir", "site_dir", "build_dir", "repo_url", "branch", "site_url"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{pyproject}: unknown [tool.llmpapers] setting(s): {', '.join(unknown)}")
    return Settings(
        root=root,
        data_dir=(data_dir or root / table.get("data_dir", "data")).resolve(),
        templates_dir=(root / table.get("templates_dir", "templates")).resolve(),
        site_dir=(root / table.get("site_dir", "site")).resolve(),
        build_dir=(root / table.get("build_dir", "build")).resolve(),
        repo_url=str(table.get("repo_url", "")).rstrip("/"),
        branch=str(table.get("branch", "main")),
        site_url=os.environ.get("LLMPAPERS_SITE_URL") or str(table.get("site_url", "")),
    )
