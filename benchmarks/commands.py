"""Whole commands as a user runs them, each beside its anchor, for ``benchmarks/run.py``.

Every stage here starts one process, ``python -m llmpapers …`` (or the anchor's script) in the benchmark
project, and times it from start to exit: the interpreter, the imports, loading, the work and writing. Its
peak memory is that process's maximum RSS. Anchors are measured the same way in the same run:

- ``cmd-python``: ``python -c pass``, what any command costs before it does anything;
- ``cmd-parse``: a bare PyYAML ``CSafeLoader`` over the record files (list, read, parse, keep nothing), the
  anchor of a cold ``validate``;
- ``bibtex-export`` / ``bibtex-import`` (run.py, in process): the export and the parser alone, the anchors of
  ``export bibtex`` and ``import bibtex``;
- ``cmd-floor``: ``benchmarks/floor.py``, the same pages written with Jinja alone, the anchor of ``build``;
- ``search-ready`` has its page-load time beside it: the search must answer within 1 s of navigation start.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PARSE = (
    "import os, yaml\n"
    "folder = 'data/records'\n"
    "for name in sorted(os.listdir(folder)):\n"
    "    with open(os.path.join(folder, name), encoding='utf-8') as f:\n"
    "        yaml.load(f.read(), Loader=yaml.CSafeLoader)\n"
)


def project_file(where: Path) -> None:
    """The benchmark folder as a project of its own: its data/, this repository's templates and site."""
    (where / "pyproject.toml").write_text(
        "[tool.llmpapers]\n"
        'data_dir = "data"\n'
        f'templates_dir = "{ROOT / "templates"}"\n'
        f'site_dir = "{ROOT / "site"}"\n'
        'build_dir = "site-build"\n'
    )


def _command(where: Path, t, argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``argv`` in ``where``; its wall time, exit status, last line and peak RSS go into ``t``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LLMPAPERS_")}
    environment.update(env or {})
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=where, capture_output=True, text=True, env=environment)
    t.seconds = time.perf_counter() - start
    t.cpu = float("nan")  # the work happens in the child
    out = (done.stdout.strip() or done.stderr.strip()).splitlines()
    t.extra.update(exit=done.returncode, last_line=(out[-1] if out else "")[:300])
    t.extra["child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode not in (0, 1):
        t.extra["error"] = (done.stderr or done.stdout)[-500:]
    return done


def llmpapers(*args: str) -> list[str]:
    return [sys.executable, "-m", "llmpapers", *args]


def stage_cmd_python(where: Path, t) -> None:
    _command(where, t, [sys.executable, "-c", "pass"])


def stage_cmd_parse(where: Path, t) -> None:
    _command(where, t, [sys.executable, "-c", PARSE])


def stage_cmd_validate_cold(where: Path, t) -> None:
    shutil.rmtree(where / ".cache", ignore_errors=True)
    _command(where, t, llmpapers("validate"))


def stage_cmd_export_bibtex(where: Path, t) -> None:
    """With the cache as ``validate`` left it: a user exports a database they have checked."""
    _command(where, t, llmpapers("export", "bibtex", "--output", "export-cli.bib"))
    output = where / "export-cli.bib"
    t.extra["bytes"] = output.stat().st_size if output.is_file() else 0


def _empty(where: Path) -> Path:
    empty = where / "empty"
    shutil.rmtree(empty, ignore_errors=True)
    (empty / "records").mkdir(parents=True)
    for name in ("categories.yaml", "venues.yaml"):
        shutil.copy2(where / "data" / name, empty / name)
    return empty


def _import(where: Path, t, *extra: str) -> None:
    if not (where / "export.bib").is_file():
        t.extra["skipped"] = "no export.bib (bibtex-export did not run)"
        return
    empty = _empty(where)
    _command(where, t, llmpapers("import", "bibtex", "export.bib", "--data", "empty", *extra))
    t.extra["records_written"] = sum(1 for _ in os.scandir(empty / "records"))


def stage_cmd_import(where: Path, t) -> None:
    """``import bibtex`` of the database's own export into an empty database: every entry read, matched
    against every record made so far, and written as a record file."""
    _import(where, t)


def stage_cmd_import_dry(where: Path, t) -> None:
    _import(where, t, "--dry-run")


def stage_cmd_build(where: Path, t) -> None:
    """``llmpapers build`` from nothing: the last build's output is removed first (not timed), as the
    floor's is, so that both write every page."""
    for folder in ("site", ".works"):
        shutil.rmtree(where / "site-build" / folder, ignore_errors=True)
    _built(where, t)


def stage_cmd_rebuild(where: Path, t) -> None:
    """``llmpapers build`` again, nothing changed: what a user waits for after editing a record or two."""
    _built(where, t)


def _built(where: Path, t) -> None:
    _command(where, t, llmpapers("build"))
    site = where / "site-build" / "site"
    index = site / "search" / "works.txt.gz"
    if index.is_file():
        import gzip

        packed = index.read_bytes()
        t.extra.update(search_index_mb=len(gzip.decompress(packed)) / 1e6, search_index_gz_mb=len(packed) / 1e6)
    works = site / "works"
    t.extra["work_pages"] = sum(1 for _ in os.scandir(works)) if works.is_dir() else 0


def stage_real_build(where: Path, t) -> None:
    """``llmpapers build`` of this repository's own data/ (``where`` is ignored)."""
    _command(ROOT, t, llmpapers("build"))


def stage_cmd_floor(where: Path, t) -> None:
    shutil.rmtree(where / "floor-out", ignore_errors=True)
    _command(where, t, [sys.executable, str(HERE / "floor.py"), str(where), str(where / "floor-out")])


def stage_search_ready(where: Path, t) -> None:
    """Seconds from navigation start until the first result is on screen, in Debian's chromium (the
    median of three fresh browser contexts); the page's load time beside it."""
    site = where / "site-build" / "site"
    if not (site / "search" / "works.txt.gz").is_file():
        t.extra["skipped"] = "no built site (cmd-build did not run)"
        return
    if not Path("/usr/bin/chromium").exists():
        t.extra["skipped"] = "no /usr/bin/chromium"
        return
    import statistics

    from search_timing import measure

    times, loads = measure(site, "speculative decoding", 3)
    t.seconds, t.cpu = statistics.median(times), float("nan")
    t.extra.update(page_load_s=statistics.median(loads), runs=[round(x, 3) for x in times])


STAGES = {
    "cmd-python": stage_cmd_python,
    "cmd-parse": stage_cmd_parse,
    "cmd-validate-cold": stage_cmd_validate_cold,
    "cmd-export-bibtex": stage_cmd_export_bibtex,
    "cmd-import-dry": stage_cmd_import_dry,
    "cmd-import": stage_cmd_import,
    "cmd-build": stage_cmd_build,
    "cmd-floor": stage_cmd_floor,
    "cmd-rebuild": stage_cmd_rebuild,
    "search-ready": stage_search_ready,
}
PLAN = list(STAGES)  # in this order: export after validate (the cache), floor and search after build
STAGES["real-build"] = stage_real_build  # once per run, not per size (run.py)
ROWS = [
    ("cmd-python", "`python -c pass` (interpreter start)", None),
    ("cmd-parse", "bare `CSafeLoader` parse of every record file (anchor)", None),
    ("cmd-validate-cold", "`llmpapers validate`, no cache", "cmd-parse"),
    ("cmd-export-bibtex", "`llmpapers export bibtex -o FILE`", "bibtex-export"),
    ("cmd-import-dry", "`llmpapers import bibtex --dry-run` into an empty database", "bibtex-import"),
    ("cmd-import", "`llmpapers import bibtex` into an empty database (writes every record)", "bibtex-import"),
    ("cmd-floor", "the same pages with Jinja alone (`benchmarks/floor.py`, anchor)", None),
    ("cmd-build", "`llmpapers build` from nothing (a page per work, search list, sitemap)", "cmd-floor"),
    ("cmd-rebuild", "`llmpapers build` again, nothing changed", "cmd-floor"),
    ("search-ready", "search answers in chromium, from navigation start", None),
    ("real-build", "`llmpapers build` of this repository's data/", None),
]
