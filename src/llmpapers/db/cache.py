"""Loading and validating the database fast, through caches that can never serve stale data.

``load_database(data_dir)`` is :func:`llmpapers.db.store.load_database` (the same loop, so the same
records, diagnostics, paths and files, in the same order) run with a per-file loader of this module, which

- keeps what loading each record file gave (the validated :class:`~llmpapers.db.models.Record`, pickled
  as pydantic pickles models, or the file's problems) in ``.cache/llmpapers/records-*.pickle`` under the
  project root, and on the next run takes it from there for every file whose ``lstat`` is unchanged;
- does not keep the YAML node tree of every file in memory (about 20 KB a record): a record's lines
  are looked up again, from its file, only when a cross-record rule reports a problem in it;

and the cyclic garbage collector is paused during the bulk load and what it made is frozen afterwards
(``gc.freeze``): collections cost 2-3x there and find nothing, as loading makes no reference cycles.

``validate(data_dir, check)`` is ``check(load_database(data_dir))`` (``check`` being the cross-record
rules), except that when nothing at all changed since the last run (every file with the same ``lstat``,
the same fingerprint, the same working directory) it returns that run's diagnostics without loading
a record (``validate-*.pickle``). Whenever anything changed, the rules run again on every record.

Why neither can be stale:

- A file's entry is used only when its ``(size, mtime_ns, ctime_ns, inode, device, mode)`` from ``lstat``
  equals the one taken *before* the file was read for that entry (:mod:`llmpapers.db.fingerprint` says
  why that key changes with every change of the file).
- "Racy" files are never cached: if a file's mtime or ctime is within ``RACY_NS`` of the moment the run
  started, a second change in the same clock tick (or within a coarse filesystem's timestamp step)
  could leave every field equal; such a file is parsed again on the next run instead (git's "racily
  clean" problem), and no whole result is kept while any file is that young.
- Everything else the results depend on is in a fingerprint that drops the caches when it changes:
  this module's format version and today's date (the model checks ``year`` against the current year),
  plus what :func:`llmpapers.db.fingerprint.fingerprint` covers: the source of every module of the
  package, the library versions, ``categories.yaml``, ``venues.yaml`` and the data folder. A whole result
  also records the ``lstat`` of every record file, of those two files and of the records folder, the
  working directory (paths are shown relative to it) and the rules it came from.
- Files that were added are not in the cache and get parsed; entries of deleted files are dropped.
  Paths in cached per-file diagnostics are rendered again for the current working directory.
- Each cache file carries a BLAKE2 digest of its contents and is written atomically (a temporary file
  renamed over it); one that is truncated, corrupt, from another version or unreadable is ignored and
  rebuilt. (The digest finds damage, not tampering: whoever can write .cache/ can write the code too.)

``LLMPAPERS_NO_CACHE=1`` turns both off: nothing is read or written.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.error import Mark
from yaml.nodes import MappingNode

from ..errors import Diagnostic
from . import fingerprint as fp
from . import store
from .fingerprint import Scan, StatKey, scan
from .models import Record
from .store import Database, display_path, load_record, read_yaml
from .yamlio import Loaded, YamlProblems, decode, load_text

FORMAT = 2
MAGIC = b"llmpapers-cache\n"
DIGEST = 32
RACY_NS = 3_000_000_000  # coarse filesystems keep mtimes in 1-2 s steps; a margin above that
ENV_OFF = "LLMPAPERS_NO_CACHE"

# file name -> (lstat key, record or None, diagnostics): tuples (line, col, message, severity) of the
# file's own diagnostics, or Diagnostic objects when their path is not the file's displayed path
Entry = tuple[StatKey, Record | None, tuple]


@dataclass
class CacheStats:
    """What one load did: files taken from the cache, files parsed, and whether the cache was written."""

    enabled: bool = False
    path: Path | None = None
    hits: int = 0
    misses: int = 0
    racy: int = 0  # parsed, but changed too recently to be cached
    stored: int = 0  # parsed and cached
    dropped: int = 0  # entries of files that are gone
    written: bool = False
    reason: str = ""  # why the cache as a whole was not used, if it was not


def disabled() -> bool:
    return os.environ.get(ENV_OFF, "") not in ("", "0")


def project_root(data_dir: Path) -> Path:
    """The nearest folder above ``data_dir`` holding a pyproject.toml; else the folder holding ``data_dir``."""
    data_dir = data_dir.resolve()
    for folder in data_dir.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    return data_dir.parent


def cache_file(data_dir: Path) -> Path:
    """``<project root>/.cache/llmpapers/records-<hash of the data folder>.pickle``."""
    where = str(data_dir.resolve()).encode("utf-8", "surrogateescape")
    name = hashlib.blake2b(where, digest_size=8).hexdigest()
    return project_root(data_dir) / ".cache" / "llmpapers" / f"records-{name}.pickle"


def result_file(data_dir: Path) -> Path:
    """``validate-<hash of the data folder>.pickle`` beside the record cache."""
    records = cache_file(data_dir)
    return records.with_name(records.name.replace("records-", "validate-", 1))


def fingerprint(data_dir: Path) -> bytes:
    """:func:`llmpapers.db.fingerprint.fingerprint` of ``data_dir`` with this format version and today's date."""
    return fp.fingerprint(data_dir, FORMAT, dt.date.today().isoformat())


@contextmanager
def gc_paused(freeze: bool = True) -> Iterator[None]:
    """No cyclic garbage collection inside the block; then (``freeze``) what it made is frozen.

    Reference counting still frees everything that becomes garbage. Without the freeze, the first
    collection after the block would walk every object the bulk load made (a few million at 50k records)
    to find nothing; frozen objects are skipped by every later collection too (``gc.freeze``).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()


# ------------------------------------------------------------------------------------- cache files


def _read(path: Path, key: Any) -> tuple[Any, str]:
    """What :func:`_write` stored at ``path`` under ``key``; else None and why not (missing, damaged, outdated)."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None, "no cache yet"
    except OSError as exc:
        return None, f"cache unreadable: {exc}"
    head = len(MAGIC) + DIGEST
    if len(blob) < head or not blob.startswith(MAGIC):
        return None, "cache corrupt (header)"
    payload = memoryview(blob)[head:]
    if hashlib.blake2b(payload, digest_size=DIGEST).digest() != blob[len(MAGIC) : head]:
        return None, "cache corrupt (digest)"
    try:
        found = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - any damage means: rebuild
        return None, f"cache corrupt ({type(exc).__name__})"
    if not (isinstance(found, tuple) and len(found) == 2):
        return None, "cache corrupt (layout)"
    if found[0] != key:
        return None, "cache outdated (code, versions, date, taxonomy or venues changed)"
    return found[1], ""


class _Hashing:
    """A file that also feeds what is written to a digest: the pickle is streamed, never held whole."""

    def __init__(self, fh: Any, digest: Any) -> None:
        self.fh, self.digest = fh, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.fh.write(data)


def _write(path: Path, key: Any, value: Any) -> bool:
    """Pickle ``(key, value)`` behind a digest, atomically; False (and nothing written) when that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + bytes(DIGEST))
                digest = hashlib.blake2b(digest_size=DIGEST)
                pickle.dump((key, value), _Hashing(fh, digest), protocol=pickle.HIGHEST_PROTOCOL)
                fh.seek(len(MAGIC))
                fh.write(digest.digest())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        return False
    return True


# ------------------------------------------------------------------------------------ one record file

_NOWHERE = Mark("", 0, 0, 0, None, None)
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class LazyLoaded(Loaded):
    """A record file's node tree, parsed again from the file only when a line is asked for."""

    __slots__ = ("_path", "_loaded", "_lines")

    def __init__(self, path: Path) -> None:  # noqa: D107 - deliberately not the dataclass __init__
        self._path = path
        self._loaded: Loaded | None = None
        self._lines: list[str] | None = None  # the file's text, read once for top_line

    def _get(self) -> Loaded:
        if self._loaded is None:
            loaded, _ = read_yaml(self._path)
            # the file changed or vanished since it was loaded: lines fall back to the top of the file
            self._loaded = loaded or Loaded({}, MappingNode("", [], _NOWHERE, _NOWHERE))
        return self._loaded

    def top_line(self, key: str) -> tuple[int, int]:
        """A top-level key's line found in the file's text, without parsing it again: a record file is in
        canonical form (``key: value`` at the start of a line), and any other is parsed for its nodes."""
        if self._loaded is None:
            if self._lines is None:
                try:
                    self._lines = self._path.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    self._lines = []
            for n, line in enumerate(self._lines, 1):
                if line.startswith(f"{key}:") and (rest := line[len(key) + 1 :]).strip():
                    return n, len(line) - len(rest.lstrip()) + 1
        return super().top_line(key)

    @property  # type: ignore[override]
    def data(self) -> dict[str, Any]:
        return self._get().data

    @property  # type: ignore[override]
    def root(self) -> MappingNode:
        return self._get().root

    def __repr__(self) -> str:
        return f"LazyLoaded({self._path!r})"


def _read_file(path: Path, size: int) -> bytes:
    """The bytes of ``path``, to the end; a symbolic link fails (O_NOFOLLOW)."""
    fd = os.open(path, _OPEN)
    try:
        chunks = []
        while chunk := os.read(fd, size + 4096):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(path: Path, key: StatKey | None) -> tuple[Record | None, list[Diagnostic]]:
    """:func:`llmpapers.db.store.load_record` for one file, given its lstat; its nodes are not kept.

    The common case (a readable regular file that is a valid record) skips the store's displayed path
    and second lstat; every other case is :func:`~llmpapers.db.store.load_record` itself, so each
    problem is worded and placed exactly as there.
    """
    if key is not None and stat.S_ISREG(key[5]):
        try:
            return Record.model_validate(load_text(decode(_read_file(path, key[0]))).data), []
        except (OSError, YamlProblems, ValidationError):
            pass
    record, _, problems = load_record(path)
    return record, problems


def _pack(diagnostics: list[Diagnostic], path: Path) -> tuple:
    """A file's diagnostics without its displayed path (which depends on the working directory)."""
    shown = display_path(path)
    return tuple((d.line, d.col, d.message, d.severity) if d.path == shown else d for d in diagnostics)


def _unpack(packed: tuple, path: Path) -> list[Diagnostic]:
    if not packed:
        return []
    shown = display_path(path)
    return [d if isinstance(d, Diagnostic) else Diagnostic(shown, *d) for d in packed]


class _Loader:
    """The per-file loader :func:`load_database` gives the store: a file's entry from the cache while its
    lstat is unchanged, else the file parsed (and its outcome kept unless the file is racy)."""

    def __init__(self, scanned: Scan, old: dict[str, Entry], stats: CacheStats) -> None:
        self.keys = dict(zip(scanned.names, scanned.keys, strict=True))
        self.racy_after = scanned.started - RACY_NS
        self.old, self.stats = old, stats
        self.new: dict[str, Entry] = {}  # what the cache file is written with

    def __call__(self, path: Path) -> tuple[Record | None, Loaded | None, list[Diagnostic]]:
        name = path.name
        key = self.keys.get(name)
        entry = self.old.get(name)
        if entry is not None and key is not None and entry[0] == key:
            self.stats.hits += 1
            self.new[name] = entry
            _, record, packed = entry
            problems = _unpack(packed, path)
        else:
            self.stats.misses += 1
            record, problems = _parse(path, key)
            if key is not None and max(key[1], key[2]) < self.racy_after:
                self.new[name] = (key, record, _pack(problems, path) if problems else ())
                self.stats.stored += 1
            else:  # too young to trust its lstat: parsed again next time (an old entry of it is not kept)
                self.stats.racy += 1
        return record, (LazyLoaded(path) if record is not None else None), problems


# --------------------------------------------------------------------------------- the whole folder


def load_database(
    data_dir: Path,
    use_cache: bool | None = None,
    stats: CacheStats | None = None,
    scanned: Scan | None = None,
    stamp: bytes | None = None,
) -> Database:
    """What :func:`llmpapers.db.store.load_database` gives for the whole folder, through the cache."""
    stats = stats if stats is not None else CacheStats()
    stats.enabled = not disabled() if use_cache is None else use_cache
    sc = scanned or scan(data_dir)
    old: dict[str, Entry] = {}
    with gc_paused():  # one pause for reading the cache and loading: no collection in between
        if stats.enabled:
            stats.path = cache_file(data_dir)
            stamp = stamp or fingerprint(data_dir)
            cached, stats.reason = _read(stats.path, stamp)
            old = cached or {}
        loader = _Loader(sc, old, stats)
        db = store.load_database(data_dir, sc.files, loader)
        stats.dropped = len(old.keys() - loader.keys.keys())
        if stats.enabled and (stats.stored or stats.dropped or stats.reason) and (loader.new or old):
            stats.written = _write(stats.path, stamp, loader.new)
    return db


def validate(
    data_dir: Path, check: Callable[[Database], list[Diagnostic]], stats: CacheStats | None = None
) -> list[Diagnostic]:
    """Every diagnostic for ``data_dir``: ``check`` (the cross-record rules) over the loaded database.

    When nothing at all changed since the last run (the same files with the same lstat, the same
    fingerprint, the same working directory, and nothing changed within RACY_NS of that run), the
    result is that run's, and no record is loaded. Otherwise records come through the cache and
    ``check`` runs.
    """
    stats = stats if stats is not None else CacheStats()
    if disabled():
        return check(load_database(data_dir, use_cache=False, stats=stats))
    sc = scan(data_dir)
    stamp = fingerprint(data_dir)
    where = result_file(data_dir)
    key = (stamp, sc.state, os.getcwd(), f"{check.__module__}.{check.__qualname__}")
    found, _ = _read(where, key)
    if isinstance(found, tuple):
        stats.enabled, stats.path, stats.hits, stats.reason = True, where, len(sc.names), "whole result reused"
        return list(found)
    diagnostics = check(load_database(data_dir, stats=stats, scanned=sc, stamp=stamp))
    if sc.newest < sc.started - RACY_NS:  # every file older than RACY_NS: their lstat identifies their content
        _write(where, key, tuple(diagnostics))
    return diagnostics
