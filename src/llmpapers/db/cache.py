"""Loading and validating the database fast, through caches that can never serve stale data.

``load_database(data_dir)`` returns what :func:`llmpapers.db.store.load_database` returns (the same records,
diagnostics, paths and files, in the same order), but

- it keeps what loading each record file gave (the validated :class:`~llmpapers.db.models.Record`, or the
  file's problems) in ``.cache/llmpapers/records-*.pickle`` under the project root, and on the next run
  takes it from there for every file whose ``lstat`` is unchanged;
- it does not keep the YAML node tree of every file in memory (about 20 KB a record): a record's lines
  are looked up again, from its file, only when a cross-record rule reports a problem in it;
- the cyclic garbage collector is paused during the bulk load and what it made is frozen afterwards
  (``gc.freeze``): collections cost 2-3x there and find nothing, as loading makes no reference cycles.

``validate(data_dir, check)`` is ``check(load_database(data_dir))`` (``check`` being the cross-record
rules), except that when nothing at all changed since the last run (every file with the same ``lstat``,
the same fingerprint, the same working directory) it returns that run's diagnostics without loading
a record (``validate-*.pickle``). Whenever anything changed, the rules run again on every record.

Why neither can be stale:

- A file's entry is used only when its ``(size, mtime_ns, ctime_ns, inode, device, mode)`` from ``lstat``
  equals the one taken *before* the file was read for that entry. Any write, ``touch``, ``os.utime``
  (which can restore the mtime but always sets the ctime to now), ``chmod``, rename or replacement
  changes at least the ctime or the inode; the ctime cannot be set from user space.
- "Racy" files are never cached: if a file's mtime or ctime is within ``RACY_NS`` of the moment the run
  started, a second change in the same clock tick (or within a coarse filesystem's timestamp step)
  could leave every field equal; such a file is parsed again on the next run instead (git's "racily
  clean" problem), and no whole result is kept while any file is that young.
- Everything else the results depend on is in a fingerprint that drops the caches when it changes:
  this module's format version, the source of every module of the package (models, loader, rules), the
  versions of Python, pydantic, pydantic-core and PyYAML and whether libyaml is used, today's date (the
  model checks ``year`` against the current year), the content of ``categories.yaml`` and
  ``venues.yaml``, and the data folder. A whole result also records the ``lstat`` of every record file,
  of those two files and of the records folder, the working directory (paths are shown relative to it)
  and the rules it came from.
- Files that were added are not in the cache and get parsed; entries of deleted files are dropped.
  Paths in cached per-file diagnostics are rendered again for the current working directory.
- Each cache file carries a BLAKE2 digest of its contents and is written atomically (a temporary file
  renamed over it); one that is truncated, corrupt, from another version or unreadable is ignored and
  rebuilt. (The digest finds damage, not tampering: whoever can write .cache/ can write the code too.)

``LLMPAPERS_NO_CACHE=1`` turns both off: nothing is read or written.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

import pydantic
import pydantic_core
import yaml
from pydantic import ValidationError
from yaml.error import Mark
from yaml.nodes import MappingNode

from ..errors import Diagnostic, Severity
from ..progress import progress
from .models import Kind, Links, Record, Related, Source
from .store import (
    CATEGORIES,
    RECORDS,
    SUFFIX,
    VENUES,
    Database,
    display_path,
    load_record,
    new_database,
    read_yaml,
    record_files,
)
from .yamlio import HAS_LIBYAML, Loaded, YamlProblems, decode, load_text

FORMAT = 1
MAGIC = b"llmpapers-cache\n"
DIGEST = 32
RACY_NS = 3_000_000_000  # coarse filesystems keep mtimes in 1-2 s steps; a margin above that
ENV_OFF = "LLMPAPERS_NO_CACHE"

StatKey = tuple[int, int, int, int, int, int]
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


def fingerprint(data_dir: Path) -> bytes:
    """Everything besides the record files that what loading a record gives could depend on."""
    h = hashlib.blake2b(digest_size=16)
    versions = (
        FORMAT,
        sys.version,
        pydantic.VERSION,
        pydantic_core.__version__,
        yaml.__version__,
        HAS_LIBYAML,
        dt.date.today().isoformat(),
        str(data_dir.resolve()),
    )
    h.update(repr(versions).encode("utf-8", "surrogateescape"))
    package = Path(__file__).resolve().parents[1]  # the whole llmpapers package
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        try:
            h.update(hashlib.blake2b(source.read_bytes(), digest_size=16).digest())
        except OSError:
            h.update(str(time.time_ns()).encode())  # unreadable: never equal, so never trusted
    for name in (CATEGORIES, VENUES):
        try:
            content = (data_dir / name).read_bytes()
        except OSError as exc:
            content = f"unreadable: {type(exc).__name__}".encode()
        h.update(name.encode() + hashlib.blake2b(content, digest_size=16).digest())
    return h.digest()


# ------------------------------------------------------------------------------------ (un)pickling

_new = object.__new__
_set = object.__setattr__


def _rebuild(cls: type, fields: dict, fields_set: set, extra: dict | None, private: dict | None) -> Any:
    """A pydantic model from its validated state, as ``BaseModel.__setstate__`` does, in one call."""
    obj = _new(cls)
    _set(obj, "__dict__", fields)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", extra)
    _set(obj, "__pydantic_private__", private)
    return obj


def _reduce_model(obj: Any) -> tuple:
    return _rebuild, (type(obj), obj.__dict__, obj.__pydantic_fields_set__, obj.__pydantic_extra__,
                      obj.__pydantic_private__)  # fmt: skip


def _reduce_enum(member: Enum) -> tuple:
    return getattr, (type(member), member.name)


_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH.update({cls: _reduce_model for cls in (Record, Links, Source, Related)})
_DISPATCH[Kind] = _DISPATCH[Severity] = _reduce_enum


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


def _read_blob(path: Path) -> tuple[Any, str]:
    """What :func:`_write_blob` wrote at ``path``, or None and why not (missing, unreadable, damaged)."""
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
        return pickle.loads(payload), ""
    except Exception as exc:  # noqa: BLE001 - any damage means: rebuild
        return None, f"cache corrupt ({type(exc).__name__})"


class _Digesting:
    """A file that also feeds what is written to a hash (the pickler writes 64 KB frames)."""

    def __init__(self, fh: Any, digest: Any) -> None:
        self.fh, self.digest = fh, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.fh.write(data)


def _write_blob(path: Path, obj: Any) -> bool:
    """Pickle ``obj`` behind a digest, atomically; False (and nothing written) when that is not possible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + bytes(DIGEST))
                digest = hashlib.blake2b(digest_size=DIGEST)
                pickler = pickle.Pickler(_Digesting(fh, digest), protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = _DISPATCH
                pickler.dump(obj)
                fh.seek(len(MAGIC))
                fh.write(digest.digest())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        return False
    return True


def read_cache(path: Path, expected: bytes) -> tuple[dict[str, Entry] | None, str]:
    """The entries of the record cache at ``path`` if it is intact and for ``expected``; else None and why not."""
    found, reason = _read_blob(path)
    if found is None:
        return None, reason
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict)):
        return None, "cache corrupt (layout)"
    if found[0] != expected:
        return None, "cache outdated (code, versions, date, taxonomy or venues changed)"
    return found[1], ""


def write_cache(path: Path, stamp: bytes, entries: dict[str, Entry]) -> bool:
    return _write_blob(path, (stamp, entries))


# ------------------------------------------------------------------------------------------ loading

_NOWHERE = Mark("", 0, 0, 0, None, None)


class LazyLoaded(Loaded):
    """A record file's node tree, parsed again from the file only when a line is asked for."""

    __slots__ = ("_path", "_loaded")

    def __init__(self, path: Path) -> None:  # noqa: D107 - deliberately not the dataclass __init__
        self._path = path
        self._loaded: Loaded | None = None

    def _get(self) -> Loaded:
        if self._loaded is None:
            loaded, _ = read_yaml(self._path)
            # the file changed or vanished since it was loaded: lines fall back to the top of the file
            self._loaded = loaded or Loaded({}, MappingNode("", [], _NOWHERE, _NOWHERE))
        return self._loaded

    @property  # type: ignore[override]
    def data(self) -> dict[str, Any]:
        return self._get().data

    @property  # type: ignore[override]
    def root(self) -> MappingNode:
        return self._get().root

    def __repr__(self) -> str:
        return f"LazyLoaded({self._path!r})"


@dataclass
class Scan:
    """The record files and the ``lstat`` of each, taken before any is read."""

    folder: Path
    names: list[str]  # the record files in the folder, in the order the store lists them
    keys: list[StatKey | None]
    state: bytes  # a digest of every name and lstat, the records folder and the taxonomy and venue files
    settled: bool  # nothing changed within RACY_NS of the start, so ``state`` identifies the contents
    started: int

    @property
    def files(self) -> list[Path]:
        return [self.folder / name for name in self.names]


def _record_names(data_dir: Path) -> list[str]:
    """The names of :func:`llmpapers.db.store.record_files`, sorted as it sorts them, without making 50k Paths.

    On POSIX, sorting names is sorting the Paths (a Path compares its parts, case-sensitively); elsewhere
    this asks :func:`~llmpapers.db.store.record_files` itself.
    """
    folder = data_dir / RECORDS
    if os.name != "posix" or not folder.is_dir():
        return [p.name for p in record_files(data_dir)]
    return sorted(n for n in os.listdir(folder) if n.endswith((SUFFIX, ".yml")) or PurePath(n).suffix == "")


def _record_files(data_dir: Path) -> list[Path]:
    """:func:`llmpapers.db.store.record_files`, 4x faster at 50k files."""
    return [data_dir / RECORDS / name for name in _record_names(data_dir)]


def _pack(diagnostics: list[Diagnostic], shown: str) -> tuple:
    """A file's diagnostics without its displayed path (which depends on the working directory)."""
    return tuple((d.line, d.col, d.message, d.severity.value) if d.path == shown else d for d in diagnostics)


def _unpack(packed: tuple, path: Path) -> list[Diagnostic]:
    shown = display_path(path)
    return [d if isinstance(d, Diagnostic) else Diagnostic(shown, d[0], d[1], d[2], Severity(d[3])) for d in packed]


def _lstat_key(path: Path | str) -> StatKey | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)


def _lstat_all(folder: Path, names: list[str]) -> list[StatKey | None]:
    """``lstat`` of every name in ``folder`` (relative to an open folder where the OS allows: faster)."""
    keys: list[StatKey | None] = []
    append, stat_ = keys.append, os.stat
    fd = None
    if stat_ in os.supports_dir_fd and stat_ in os.supports_follow_symlinks and names:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            fd = None
    try:
        for name in names:
            try:
                if fd is not None:
                    st = stat_(name, dir_fd=fd, follow_symlinks=False)
                else:
                    st = os.lstat(os.path.join(folder, name))
            except OSError:
                append(None)
                continue
            append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode))
    finally:
        if fd is not None:
            os.close(fd)
    return keys


def scan(data_dir: Path) -> Scan:
    started = time.time_ns()
    folder = data_dir / RECORDS
    names = _record_names(data_dir)
    keys = _lstat_all(folder, names)
    others = [_lstat_key(data_dir / name) for name in (CATEGORIES, VENUES)]
    racy_after = started - RACY_NS
    settled = all(k is not None and max(k[1], k[2]) < racy_after for k in keys) and all(
        k is None or max(k[1], k[2]) < racy_after for k in others
    )
    listing = pickle.dumps((folder.is_dir(), others, names, keys), protocol=pickle.HIGHEST_PROTOCOL)
    state = hashlib.blake2b(listing, digest_size=16).digest()
    return Scan(folder, names, keys, state, settled, started)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _read(name: str, size: int, folder: int) -> bytes:
    """The bytes of ``name`` in the open ``folder``, to the end; a symbolic link fails (O_NOFOLLOW)."""
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
    try:
        chunks = []
        while chunk := os.read(fd, size + 4096):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _load_file(path: Path, key: StatKey | None, folder: int | None) -> tuple[Record | None, list[Diagnostic]]:
    """:func:`llmpapers.db.store.load_record` for one file, given its lstat; the Loaded is not kept.

    The common case (a readable regular file that is a valid record) skips the store's displayed path
    and second lstat, and reads relative to the open records folder; every other case is
    :func:`~llmpapers.db.store.load_record` itself, so each problem is worded and placed exactly as there.
    """
    if key is not None and stat.S_ISREG(key[5]):
        try:
            raw = _read(path.name, key[0], folder) if folder is not None else path.read_bytes()
            return Record.model_validate(load_text(decode(raw)).data), []
        except (OSError, YamlProblems, ValidationError):
            pass
    record, _, problems = load_record(path)
    return record, problems


@contextmanager
def _open_folder(folder: Path) -> Iterator[int | None]:
    """A descriptor of ``folder`` for reading files relative to it, where the OS allows; else None."""
    fd = None
    if os.open in os.supports_dir_fd:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            fd = None
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


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
    db = new_database(data_dir)
    old: dict[str, Entry] = {}
    new: dict[str, Entry] = {}
    racy_after = sc.started - RACY_NS
    files, records, paths, diagnostics = db.files, db.records, db.paths, db.diagnostics
    with gc_paused():  # one pause for reading the cache and loading: no collection in between
        if stats.enabled:
            stats.path = cache_file(data_dir)
            stamp = stamp or fingerprint(data_dir)
            cached, stats.reason = read_cache(stats.path, stamp)
            old = cached or {}
        folder = sc.folder
        with _open_folder(folder) as dir_fd:
            for name, key in progress(zip(sc.names, sc.keys, strict=True), len(sc.names), "loading records"):
                path = folder / name
                entry = old.get(name)
                if entry is not None and key is not None and entry[0] == key:
                    stats.hits += 1
                    _, record, packed = entry
                    if packed:
                        diagnostics += _unpack(packed, path)
                    new[name] = entry
                else:
                    stats.misses += 1
                    record, problems = _load_file(path, key, dir_fd)
                    packed = ()
                    if problems:
                        diagnostics += problems
                        packed = _pack(problems, display_path(path))
                    if key is not None and max(key[1], key[2]) < racy_after:
                        new[name] = (key, record, packed)
                        stats.stored += 1
                    else:  # its old entry, if any, stays in the file unused: the lstat it was kept under is gone
                        stats.racy += 1
                if record is not None:
                    files.append((record, path, LazyLoaded(path)))
                    if record.id in paths:
                        continue  # a repeated id is reported by validate; the first file wins
                    records.append(record)
                    paths[record.id] = path
        stats.dropped = len(old.keys() - set(sc.names))
        if stats.enabled and (stats.stored or stats.dropped or stats.reason) and (new or old):
            stats.written = write_cache(stats.path, stamp or b"", new)
    return db


# ----------------------------------------------------------------------------- whole validate results


def result_file(data_dir: Path) -> Path:
    """``validate-<hash of the data folder>.pickle`` beside the record cache."""
    records = cache_file(data_dir)
    return records.with_name(records.name.replace("records-", "validate-", 1))


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
    found, _ = _read_blob(where)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], tuple):
        stats.enabled, stats.path, stats.hits, stats.reason = True, where, len(sc.names), "whole result reused"
        return list(found[1])
    diagnostics = check(load_database(data_dir, stats=stats, scanned=sc, stamp=stamp))
    if sc.settled:  # every file older than RACY_NS: their lstat identifies their content
        _write_blob(where, (key, tuple(diagnostics)))
    return diagnostics
