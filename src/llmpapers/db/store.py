"""The database on disk: ``data/records/<id>.yaml``, ``data/categories.yaml``, ``data/venues.yaml``.

``load_database(data_dir)`` reads everything and returns a :class:`Database` with every problem found as a
:class:`~llmpapers.errors.Diagnostic` (``path:line:col: message``); it never raises for bad data. It is
the one loop over the record files: :mod:`llmpapers.db.cache` runs it too, with a loader of its own.
``write_record`` is the only function that writes a record: canonical text, written atomically.

Only plain files and folders are read: a symbolic link (to a file, or the records folder itself), a named
pipe, a socket, a device or a folder where a file belongs is an error at its path and is never opened (a
named pipe would block the reader forever). A record file whose suffix is ``.YAML``, ``.Yaml`` or ``.YML`` is
an error too, not a file silently left out.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic, error
from ..progress import progress
from .models import Category, Record, Venue
from .yamlio import Loaded, YamlProblems, decode, load_text
from .yamlwrite import dump_mapping

RECORDS = "records"
CATEGORIES = "categories.yaml"
VENUES = "venues.yaml"
SUFFIX = ".yaml"
NO_LINKS = "symbolic links are not allowed in data/"
NOT_PLAIN = "data/ holds only plain files: remove it"
# a file is opened only once lstat says it is a regular file; should it have been replaced since, these
# make the open fail or return at once rather than follow a link or wait on a pipe (then fstat says what it is)
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN |= getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))

M = TypeVar("M", bound=BaseModel)
_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass
class Database:
    data_dir: Path
    records: list[Record] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # record id -> file (the first, if an id repeats)
    files: list[tuple[Record, Path, Loaded]] = field(default_factory=list)  # every record, its file and nodes
    failed: list[Path] = field(default_factory=list)  # record files that did not load (problems in diagnostics)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def record_names(data_dir: Path) -> list[str]:
    """The names of the record files (``.yaml``, ``.yml``, no suffix, or those two in another case), in the
    order of :func:`record_files`; none when ``records`` is not a folder (a symbolic link is not followed).

    Sorted as their Paths sort (by name, case-insensitively where paths are), without making a Path each
    and without a stat of each: only the names are looked at.
    """
    folder = data_dir / RECORDS
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return []
        listed = os.listdir(folder)
    except OSError:
        return []  # new_database says what is wrong with the folder
    names = (n for n in listed if n.endswith((SUFFIX, ".yml")) or PurePath(n).suffix == "" or misnamed(n))
    return sorted(names, key=os.path.normcase)


def misnamed(name: str) -> str | None:
    """What is wrong with a record file named ``x.YAML``, ``x.Yaml`` or ``x.YML`` (and how to fix it); else None."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix in ("yaml", "yml") or suffix.lower() not in ("yaml", "yml"):
        return None
    return f"record files end in lowercase {SUFFIX}; rename {name} to {stem.lower()}{SUFFIX}"


def records_folder_problem(data_dir: Path) -> Diagnostic | None:
    """Why ``data_dir/records`` cannot hold the records (missing, a symbolic link, not a folder); else None."""
    folder = data_dir / RECORDS
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return error(display_path(folder), "missing folder: records live here")
    if stat.S_ISLNK(mode):
        return error(display_path(folder), f"{NO_LINKS}; commit the folder itself, not a link to it", 1, 1)
    if not stat.S_ISDIR(mode):
        return error(display_path(folder), "not a folder: records live in a folder of this name")
    return None


def _kind(mode: int) -> str:
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def read_file(path: Path, shown: str) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of ``path`` if it is a regular file; else why not. Anything else (a symbolic link, a named
    pipe, a socket, a device, a folder) is never opened: ``lstat`` says what it is."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):
            fd = os.open(path, _OPEN)
            try:
                st = os.fstat(fd)
                mode = st.st_mode
                if stat.S_ISREG(mode):
                    chunks = []
                    while chunk := os.read(fd, st.st_size + 4096):
                        chunks.append(chunk)
                    return b"".join(chunks), None
            finally:
                os.close(fd)
    except OSError as exc:
        return None, error(shown, f"cannot read: {exc.strerror or exc}")
    if stat.S_ISLNK(mode):
        return None, error(shown, f"{NO_LINKS}; commit the file itself", 1, 1)
    return None, error(shown, f"not a regular file ({_kind(mode)}); {NOT_PLAIN}")


def record_files(data_dir: Path) -> list[Path]:
    folder = data_dir / RECORDS
    return [folder / name for name in record_names(data_dir)]


def read_yaml(path: Path, comments: bool = False) -> tuple[Loaded | None, list[Diagnostic]]:
    """Parse one YAML file strictly; problems come back as diagnostics, never as exceptions."""
    shown = display_path(path)
    raw, problem = read_file(path, shown)
    if raw is None:
        return None, [problem] if problem else []
    try:
        return load_text(decode(raw), comments), []
    except YamlProblems as exc:
        return None, [error(shown, p.message, p.line, p.col) for p in exc.problems]


def parse_model(
    model: type[M], data: Any, loaded: Loaded, shown: str, loc: tuple = ()
) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``data`` against ``model``; each pydantic error becomes a diagnostic at its line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_diagnostic(e, model, loaded, shown, loc) for e in exc.errors()]


def _diagnostic(err: dict, model: type[BaseModel], loaded: Loaded, shown: str, prefix: tuple) -> Diagnostic:
    loc = tuple(prefix) + tuple(err["loc"])
    kind = err["type"]
    name = ".".join(str(p) for p in err["loc"]) or "record"
    value = err.get("input")
    if kind == "extra_forbidden":
        line, col = loaded.line_of(loc, key=True)
        fields = _field_names(model, err["loc"][:-1])
        hint = difflib.get_close_matches(str(err["loc"][-1]), fields, n=1, cutoff=0.6)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known fields: {', '.join(fields)}"
        return error(shown, f"unknown field '{err['loc'][-1]}'{suggestion}", line, col)
    if kind == "missing":
        line, col = loaded.line_of(loc[:-1])
        return error(shown, f"missing required field '{name}'", line, col)
    line, col = loaded.line_of(loc)
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("int_type", "int_parsing"):
        msg = f"must be a whole number, not {value!r}"
    elif kind == "string_type":
        msg = f"must be text, not {type(value).__name__} {value!r}; put it in quotes"
    elif kind in ("list_type",):
        msg = "must be a list (one '- item' per line)"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        msg = "must be a mapping of fields"
    elif kind in ("enum", "literal_error"):
        msg = f"{value!r} is not allowed; {err['msg'].lower()}"
    elif kind == "too_short" and isinstance(value, list):
        msg = "must list at least one item"
    elif kind == "string_too_long":
        msg = f"is too long ({len(value)} characters; the limit is {err['ctx']['max_length']})"
    elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        msg = f"must be a date written YYYY-MM-DD, not {value!r}"
    return error(shown, f"{name}: {msg}", line, col)


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part) or next(
            (f for f in getattr(current, "model_fields", {}).values() if f.alias == part), None
        )
        if info is None:
            return []
        annotation = info.annotation
        current = _inner_model(annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


RecordLoader = Callable[[Path], tuple[Record | None, Loaded | None, list[Diagnostic]]]


def load_record(path: Path) -> tuple[Record | None, Loaded | None, list[Diagnostic]]:
    """One record file: the record (None if it has problems), its nodes, and its problems."""
    loaded, problems = read_yaml(path)
    if loaded is None:
        return None, None, problems
    record, problems = parse_model(Record, loaded.data, loaded, display_path(path))
    return record, loaded, problems


def _load_list(path: Path, key: str, model: type[M]) -> tuple[list[M], list[Diagnostic]]:
    shown = display_path(path)
    if not os.path.lexists(path):  # a dangling symbolic link is refused as a link, by read_yaml
        return [], [error(shown, f"missing file: the database needs {path.name}")]
    loaded, problems = read_yaml(path, comments=True)
    if loaded is None:
        return [], problems
    items = loaded.data.get(key)
    extra = [k for k in loaded.data if k != key]
    for k in extra:
        line, col = loaded.line_of((k,), key=True)
        problems.append(error(shown, f"unknown top-level key '{k}'; this file holds only '{key}'", line, col))
    if not isinstance(items, list):
        line, col = loaded.line_of((key,))
        return [], problems + [error(shown, f"'{key}' must be a list", line, col)]
    out = []
    for i, item in enumerate(items):
        obj, errs = parse_model(model, item, loaded, shown, (key, i))
        problems += errs
        if obj is not None:
            out.append(obj)
    return out, problems


def load_categories(data_dir: Path) -> tuple[list[Category], list[Diagnostic]]:
    return _load_list(data_dir / CATEGORIES, "categories", Category)


def load_venues(data_dir: Path) -> tuple[list[Venue], list[Diagnostic]]:
    return _load_list(data_dir / VENUES, "venues", Venue)


def new_database(data_dir: Path) -> Database:
    """A database holding the taxonomy and the venue table (and their problems), records still to come."""
    db = Database(data_dir=data_dir)
    db.categories, problems = load_categories(data_dir)
    db.diagnostics += problems
    db.venues, problems = load_venues(data_dir)
    db.diagnostics += problems
    problem = records_folder_problem(data_dir)
    if problem is not None:
        db.diagnostics.append(problem)
    return db


def load_database(data_dir: Path, files: Iterable[Path] | None = None, load: RecordLoader = load_record) -> Database:
    """Read the taxonomy, the venue table and every record (or just ``files``), each file through ``load``.

    With the default ``load`` (:func:`load_record`) this is the plain reference loader, which keeps every
    file's nodes. Commands go through :func:`llmpapers.db.cache.load_database`, which runs this loop with
    a loader that takes unchanged files from a cache and does not hold every node tree.
    """
    db = new_database(data_dir)
    paths = record_files(data_dir) if files is None else list(files)
    for path in progress(paths, len(paths), "loading records"):
        if not path.name.endswith(SUFFIX) and (why := misnamed(path.name)):  # x.YAML: not loaded
            db.diagnostics.append(error(display_path(path), why, 1, 1))
            db.failed.append(path)
            continue
        record, loaded, problems = load(path)
        if problems:
            db.diagnostics += problems
        if record is not None and loaded is not None:
            db.files.append((record, path, loaded))
            if record.id in db.paths:
                continue  # a repeated id is reported by validate; the first file wins
            db.records.append(record)
            db.paths[record.id] = path
        else:
            db.failed.append(path)
    return db


def record_text(record: Record) -> str:
    return dump_mapping(record.to_yaml_dict())


def record_path(data_dir: Path, record_id: str) -> Path:
    return data_dir / RECORDS / f"{record_id}{SUFFIX}"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the mode open() would
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_record(data_dir: Path, record: Record) -> Path:
    path = record_path(data_dir, record.id)
    atomic_write(path, record_text(record))
    return path
