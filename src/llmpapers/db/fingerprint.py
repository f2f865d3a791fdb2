"""What a cached result stands for: a fingerprint of everything but the record files, and their ``lstat``.

- :func:`fingerprint` digests everything besides the record files that loading a record could depend on:
  the source of every module of the package (models, loader, rules), the versions of Python, pydantic,
  pydantic-core and PyYAML and whether libyaml is used, the content of ``categories.yaml`` and
  ``venues.yaml``, the data folder, and whatever the caller adds (:mod:`llmpapers.db.cache` adds its
  format version and today's date).
- :func:`scan` lists the record files as :func:`llmpapers.db.store.record_files` does and takes the
  ``lstat`` of each, of the records folder and of the taxonomy and venue files, before any is read.

A :data:`StatKey` is ``(size, mtime_ns, ctime_ns, inode, device, mode)``: any write, ``touch``,
``os.utime`` (which can restore the mtime but always sets the ctime to now), ``chmod``, rename or
replacement changes at least the ctime or the inode, and the ctime cannot be set from user space.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pydantic
import pydantic_core
import yaml

from .store import CATEGORIES, RECORDS, VENUES, read_file, record_names
from .yamlio import HAS_LIBYAML

StatKey = tuple[int, int, int, int, int, int]


def fingerprint(data_dir: Path, *extra: object) -> bytes:
    """A digest of the code, the library versions, the taxonomy, the venue table, the data folder and ``extra``."""
    h = hashlib.blake2b(digest_size=16)
    versions = (
        *extra,
        sys.version,
        pydantic.VERSION,
        pydantic_core.__version__,
        yaml.__version__,
        HAS_LIBYAML,
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
        content, problem = read_file(data_dir / name, name)  # never opens a named pipe (the loader reports it)
        if content is None:
            content = f"unreadable: {problem.message if problem else ''}".encode()
        h.update(name.encode() + hashlib.blake2b(content, digest_size=16).digest())
    return h.digest()


def stat_key(path: Path | str) -> StatKey | None:
    """The :data:`StatKey` of ``path`` from ``lstat`` (symbolic links are not followed); None if it is gone."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)


def stat_keys(folder: Path, names: list[str]) -> list[StatKey | None]:
    """:func:`stat_key` of every name in ``folder``, relative to the open folder where the OS allows (faster)."""
    fd = None
    if os.stat in os.supports_dir_fd and os.stat in os.supports_follow_symlinks and names:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            fd = None
    if fd is None:
        return [stat_key(os.path.join(folder, name)) for name in names]
    keys: list[StatKey | None] = []
    append, stat_ = keys.append, os.stat
    try:
        for name in names:
            try:
                st = stat_(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                append(None)
            else:
                append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode))
    finally:
        os.close(fd)
    return keys


@dataclass(frozen=True)
class Scan:
    """The record files and the ``lstat`` of each, taken before any is read."""

    folder: Path
    names: list[str]  # the record files, in the order of store.record_files
    keys: list[StatKey | None]  # None: gone by the time it was looked at
    state: bytes  # a digest of every name and key, and of the records folder, taxonomy and venue files
    started: int  # time.time_ns() before the listing
    newest: int  # the latest mtime or ctime among those files (``started`` when a record file was gone)

    @property
    def files(self) -> list[Path]:
        return [self.folder / name for name in self.names]


def scan(data_dir: Path) -> Scan:
    started = time.time_ns()
    folder = data_dir / RECORDS
    names = record_names(data_dir)
    keys = stat_keys(folder, names)
    others = [stat_key(path) for path in (folder, data_dir / CATEGORIES, data_dir / VENUES)]
    times = [max(k[1], k[2]) if k is not None else started for k in keys]
    times += [max(k[1], k[2]) for k in others[1:] if k is not None]
    listing = pickle.dumps((others, names, keys), protocol=pickle.HIGHEST_PROTOCOL)
    state = hashlib.blake2b(listing, digest_size=16).digest()
    return Scan(folder, names, keys, state, started, max(times, default=0))
