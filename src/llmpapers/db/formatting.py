"""``llmpapers fmt``: rewrite record files in canonical form (key order, quoting, indentation).

A file that does not load is reported and left untouched: formatting never loses data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, error
from .store import atomic_write, display_path, load_record, record_files, record_text


@dataclass
class FmtResult:
    changed: list[Path] = field(default_factory=list)
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def format_files(data_dir: Path, files: list[Path] | None = None, check: bool = False) -> FmtResult:
    result = FmtResult()
    for path in files if files else record_files(data_dir):
        record, _, problems = load_record(path)
        if record is None:
            result.diagnostics += problems
            continue
        text = record_text(record)
        try:
            current = path.read_bytes()
        except OSError as exc:  # pragma: no cover - load_record read it a moment ago
            result.diagnostics.append(error(display_path(path), f"cannot read: {exc.strerror}"))
            continue
        if current == text.encode("utf-8"):
            result.unchanged += 1
            continue
        result.changed.append(path)
        if not check:
            atomic_write(path, text)
    return result
