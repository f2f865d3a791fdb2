"""Build the site: the IO edge around :mod:`llmpapers.publish.render`.

In: the settings and a validated database. Out, under ``settings.build_dir`` (``build/``, ignored by git)::

    build/mkdocs.yml   site/mkdocs.yml + the generated nav, a repository link, site_url, docs_dir, site_dir
    build/docs/        site/docs/ (hand-written pages, CSS, JS) + the pages render_site() generates, the big
                       ones as stubs whose blocks wait outside MkDocs (publish/fill.py)
    build/site/        the finished HTML: MkDocs, run in-process, then publish/finish.py (the blocks put
                       back, a page per work written into the frame MkDocs built once, the works added to
                       the search index and the sitemap)

``stage_project`` writes a file only when its content changed and removes files no longer generated, so
repeated builds (and ``serve``) touch little. A generated file that would replace a hand-written one is an
error (:class:`SiteBuildError`), never a silent overwrite.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..config import Settings
from ..db.store import Database
from ..errors import LlmpapersError
from .finish import finish_site, set_aside
from .render import Rendered, SiteOptions, make_environment, render_nav, render_site
from .verify import unreadable_outputs

CONFIG = "mkdocs.yml"
DOCS = "docs"
OUTPUT = "site"
KEPT = ".works"  # the last build's works, set aside while MkDocs rebuilds site/ (publish/finish.py)


class SiteBuildError(LlmpapersError):
    """The MkDocs project cannot be staged or built."""


@dataclass
class BuildResult:
    config_file: Path
    site_dir: Path
    pages: int  # generated files: written into docs/, and the works' pages
    changed: int  # files (re)written this time
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def index(self) -> Path:
        return self.site_dir / "index.html"


def render_files(settings: Settings, db: Database) -> Rendered:
    """The generated pages and files (pure rendering, templates read from ``templates_dir``)."""
    if not settings.templates_dir.is_dir():
        raise SiteBuildError(f"cannot build the site: no templates folder at {settings.templates_dir}")
    if not (settings.site_dir / CONFIG).is_file():
        raise SiteBuildError(f"cannot build the site: no {CONFIG} in {settings.site_dir}")
    env = make_environment(settings.templates_dir)
    return render_site(db.records, db.categories, db.venues, SiteOptions.from_settings(settings), env)


def mkdocs_config(settings: Settings, db: Database) -> dict:
    """site/mkdocs.yml completed with what only the build knows."""
    base = settings.site_dir / CONFIG
    try:
        config = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SiteBuildError(f"{base}: cannot read the MkDocs configuration: {exc}") from None
    if not isinstance(config, dict):
        raise SiteBuildError(f"{base}: must be a mapping of settings")
    config.update(docs_dir=DOCS, site_dir=OUTPUT, use_directory_urls=True, nav=render_nav(db.categories))
    config["edit_uri"] = ""  # pages are generated: entries carry their own edit links
    if settings.repo_url:
        # Not `repo_url`: the theme's repository widget would call api.github.com on every page view.
        # A plain footer link needs nothing from anywhere.
        social = config.setdefault("extra", {}).setdefault("social", [])
        social.append({"icon": "fontawesome/brands/github", "link": settings.repo_url, "name": "Source and data"})
    if settings.site_url:
        config["site_url"] = settings.site_url
    return config


def _static_files(settings: Settings) -> dict[str, Path]:
    """Every file of site/ except mkdocs.yml, by its path relative to the build folder."""
    out = {}
    for path in sorted(settings.site_dir.rglob("*")):
        rel = path.relative_to(settings.site_dir).as_posix()
        if path.is_file() and rel != CONFIG and not any(p.startswith(".") for p in rel.split("/")):
            out[rel] = path
    return out


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def stage_project(settings: Settings, config: dict, generated: dict[str, str]) -> tuple[Path, int]:
    """Write build/mkdocs.yml and build/docs; return the config path and how many files changed."""
    build = settings.build_dir
    if build.resolve() in (settings.root.resolve(), settings.site_dir.resolve(), settings.data_dir.resolve()):
        raise SiteBuildError(f"build_dir {build} must be a folder of its own (it is emptied and rewritten)")
    wanted: dict[str, bytes] = {}
    for rel, path in _static_files(settings).items():
        wanted[rel] = path.read_bytes()
    for rel, text in generated.items():
        target = f"{DOCS}/{rel}"
        if target in wanted:
            raise SiteBuildError(
                f"{settings.site_dir / target} is hand-written but {rel} is also generated from data/; "
                "rename or remove one"
            )
        wanted[target] = text.encode("utf-8")
    header = "# Generated by `llmpapers build` from site/mkdocs.yml: edit that file, not this one.\n"
    wanted[CONFIG] = (header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)).encode()
    changed = sum(_write_if_changed(build / rel, data) for rel, data in wanted.items())
    for sub in (p for p in (build / DOCS, *(build / d for d in _static_dirs(settings))) if p.is_dir()):
        for path in sorted(sub.rglob("*"), reverse=True):
            rel = path.relative_to(build).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return build / CONFIG, changed


def _static_dirs(settings: Settings) -> set[str]:
    return {p.name for p in settings.site_dir.iterdir() if p.is_dir() and not p.name.startswith(".")} - {OUTPUT}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, strict: bool = False) -> list[str]:
    """Build the staged project in-process; return MkDocs' warnings. Raises SiteBuildError on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, OSError) as exc:
        details = "; ".join(handler.messages)
        raise SiteBuildError(f"MkDocs failed: {exc}" + (f" ({details})" if details else "")) from None
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old[0])
        logger.propagate = old[1]
    return handler.messages


def build_site(settings: Settings, db: Database, strict: bool = False, run: bool = True) -> BuildResult:
    """Render, stage and (unless ``run`` is false) build the site of a validated database."""
    timings = {}
    start = time.perf_counter()
    rendered = render_files(settings, db)
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    config_file, changed = stage_project(settings, mkdocs_config(settings, db), rendered.files)
    timings["stage"] = time.perf_counter() - start
    warnings: list[str] = []
    pages = len(rendered.files)
    if run:
        start = time.perf_counter()
        kept = settings.build_dir / KEPT
        set_aside(settings.build_dir / OUTPUT, kept)
        warnings = run_mkdocs(config_file, strict=strict)
        timings["mkdocs"] = time.perf_counter() - start
        start = time.perf_counter()
        counts = finish_site(settings.build_dir / OUTPUT, rendered, settings.site_url, kept)
        pages += counts["works"]
        timings["works"] = time.perf_counter() - start
        start = time.perf_counter()
        if problems := unreadable_outputs(settings.build_dir / OUTPUT):
            raise SiteBuildError("the build wrote files that do not parse: " + "; ".join(problems))
        timings["verify"] = time.perf_counter() - start
    return BuildResult(config_file, settings.build_dir / OUTPUT, pages, changed, warnings, timings)


def clean(settings: Settings) -> None:
    """Remove the build folder."""
    if settings.build_dir.is_dir():
        shutil.rmtree(settings.build_dir)


def serve_site(settings: Settings, rebuild, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False):
    """Serve build/site with live reload; call ``rebuild()`` whenever data/, templates/ or site/ change.

    ``rebuild`` is the caller's: it loads, validates and builds, and reports problems its own way (a broken
    record keeps the last good site on screen). Blocks until interrupted.
    """
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(settings.build_dir / OUTPUT))
    for folder in (settings.data_dir, settings.templates_dir, settings.site_dir):
        if folder.is_dir():
            server.watch(str(folder))
    try:
        server.serve(open_in_browser=open_browser)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
