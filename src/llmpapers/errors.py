"""Diagnostics are values; errors are typed. Only the CLI prints and exits.

A :class:`Diagnostic` names a place (``path:line:col``) and says what is wrong there, as a rule:

    data/records/orca.yaml:7:7: year must be an integer, not '2022a'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum


def visible_char(ch: str) -> str:
    r"""``ch`` itself, or ``\uXXXX`` for a control, format or line/paragraph separator character."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(ch):04x}"
    return ch


def one_line(text: str) -> str:
    """``text`` as one printable line: a line break or an invisible character from user input can never
    start a new line of output (where CI logs would read it as a command) or hide in it."""
    if text.isprintable():
        return text
    return "".join(visible_char(ch) for ch in text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        where = one_line(self.path)
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {label}{one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str, message: str, line: int = 0, col: int = 0) -> Diagnostic:
    return Diagnostic(str(path), line, col, message, Severity.ERROR)


def warning(path: str, message: str, line: int = 0, col: int = 0) -> Diagnostic:
    return Diagnostic(str(path), line, col, message, Severity.WARNING)


class LlmpapersError(Exception):
    """Base of every error the library raises for the CLI to report."""


class ConfigError(LlmpapersError):
    """Bad command-line usage or configuration (exit code 2)."""


class BadValue(ConfigError):
    """A command-line option with a value that cannot be used; the CLI names the option (exit code 2)."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(message)


class DataError(LlmpapersError):
    """The data cannot be used; carries every diagnostic found (exit code 1)."""

    def __init__(self, diagnostics: list[Diagnostic], summary: str = "") -> None:
        self.diagnostics = diagnostics
        super().__init__(summary or f"{len(diagnostics)} problem(s) in the data")


def summarize(diagnostics: list[Diagnostic], what: str = "validate") -> str:
    """One closing line: ``validate failed: 3 errors, 1 warning in 2 files``."""
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = len({d.path for d in diagnostics})
    if not diagnostics:
        return f"{what}: no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    verdict = "failed" if errors else "passed with"
    return f"{what} {verdict}: {', '.join(parts)} in {files} file{'s' if files != 1 else ''}"
