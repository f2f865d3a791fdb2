r"""BibTeX field text both ways: escape plain text into a field value, and read a field value back as text;
also how BibTeX reads a value (``evaluate``: macros, ``#``, braces and quotes) and a name list (``split_names``).

The two directions are inverses (``latex_to_text(protect_title(t)) == t`` for one-line ``t`` with single
spaces, tested), which is what makes an export re-import unchanged. No IO.

    >>> protect_title("vLLM: 50% Faster {GPT-3}")
    '{vLLM}: 50\\% Faster {\\textbraceleft}{GPT-3}{\\textbraceright}'
    >>> latex_to_text('{vLLM}: 50\\% Faster {\\textbraceleft}{GPT-3}{\\textbraceright}')
    'vLLM: 50% Faster {GPT-3}'
    >>> latex_to_text("Caf\\'{e} {\\\"u}ber~alles")
    'Café über alles'
    >>> evaluate('proc # {OSDI} # " 22"', {"proc": "Proc. "}), split_names("Yu, Gyeong-In and {NVIDIA Corp.}")
    (('Proc. OSDI 22', []), ['Gyeong-In Yu', '{NVIDIA Corp.}'])

Why no value can break out of its field: in an escaped value every ``{`` and ``}`` belongs to a pair that
``escape``/``protect_title`` wrote (``{\textbraceleft}``, ``{=}``, a protecting pair), so braces are balanced
and none is preceded by a backslash (BibTeX and bibtexparser count them alike); a backslash only starts
``\%``-style escapes and those macros; there is no newline. A braced value ends only at depth 0, so it ends
where the writer closes it.

Escaping: ``\ { } ~ ^ < > |`` become text macros in braces (``{\textbraceleft}``: balanced for BibTeX,
for bibtexparser and for LaTeX alike) and ``% & # $ _`` get a backslash, so no value can close its field
or open a new one. Protection: a word with a capital after its first letter (``vLLM``, ``FlashAttention-2``),
capitals next to digits (``GPT-3``, ``A100``) or two capitals across punctuation (``I/O``), and the work's
own short name, are wrapped in braces so that BibTeX styles keep their case.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from functools import lru_cache

_ESCAPES = {
    "\\": "{\\textbackslash}",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
    "<": "{\\textless}",
    ">": "{\\textgreater}",
    "|": "{\\textbar}",
    "%": "\\%",
    "&": "\\&",
    "#": "\\#",
    "$": "\\$",
    "_": "\\_",
    "=": "{=}",  # so that no title reads as ``field = {`` to a reader looking for a missing comma
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_SPECIAL = re.compile(r"[\\{}~^<>|%&#$_=\n\r\t]")
_MACROS = {m[2:-1]: c for c, m in _ESCAPES.items() if m.startswith("{\\")}  # textbraceleft -> {
# A word that needs its case protected: a capital after a letter or digit (vLLM, FlashAttention), capitals
# and digits together (GPT-3, A100, 3D), C# and C++, or two capitals across punctuation (I/O, Q&A).
_CASED_WORD = re.compile(r"(?<!\S)\S*?(?:[^\W_][A-Z]|[A-Z][0-9#+]|[A-Z][^\w\s]+[A-Z])\S*")
_PUNCTUATION = string.punctuation + "“”‘’«»–—…"  # around a word: kept outside its protecting braces


def escape(text: str) -> str:
    """Plain text as a BibTeX field value that cannot break out of its braces."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)


def _spans(title: str, names: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for m in _CASED_WORD.finditer(title):
        token = m.group()
        core = token.strip(_PUNCTUATION)
        if core:
            start = m.start() + token.index(core)
            spans.append((start, start + len(core)))
    for name in names:
        if not name or name == name.lower():
            continue
        start = title.find(name)
        while start >= 0:
            end = start + len(name)
            before, after = title[start - 1 : start], title[end : end + 1]
            if not (before.isalnum() or after.isalnum()):
                spans.append((start, end))
            start = title.find(name, end)
    if len(spans) < 2:
        return spans
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def protect_title(title: str, names: Iterable[str] = ()) -> str:
    """A title as a BibTeX value: escaped, with cased words and the given names in protecting braces."""
    spans = _spans(title, names)
    if not spans:
        return escape(title)
    out, pos = [], 0
    for start, end in spans:
        out += [escape(title[pos:start]), "{", escape(title[start:end]), "}"]
        pos = end
    out.append(escape(title[pos:]))
    return "".join(out)


@lru_cache(maxsize=1)
def _decoder():  # noqa: ANN202 - pylatexenc has no type hints
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, SpecialsTextSpec, get_default_latex_context_db

    db = get_default_latex_context_db()
    db.add_context_category(
        "llmpapers",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in (_MACROS | {"url": "%s"}).items()],
        # Dashes and quotes stay as written, as they do in fields without a backslash.
        specials=[SpecialsTextSpec(s, s) for s in ("--", "---", "``", "''", "!`", "?`")],
    )
    return LatexNodes2Text(latex_context=db, math_mode="text")


_USENIX_BRACES = re.compile(r"\$\\[{}]\$")  # $\{$PetS$\}$: braces that were meant to protect case
_BARE = re.compile(r"(?<!\\)([%&])")
_TIE = re.compile(r"(?<!\\)~")


# What ``escape`` writes, read back without pylatexenc: a backslash-escaped character or a symbol macro in braces.
_SIMPLE = re.compile(r"\\([%&#$_])|\{\\(" + "|".join(n for n, c in _MACROS.items()) + r")\}")


def _plain(value: str) -> str:
    return value.replace("{", "").replace("}", "").replace("~", " ")


def latex_to_text(value: str) -> str:
    """A field value as display text: braces and ties removed, LaTeX decoded, whitespace collapsed.

    LaTeX is decoded only when the value holds a backslash or a ``$`` (decoding costs ~25x more), and what
    ``escape`` writes is read without the decoder; a bare ``%`` or ``&`` is kept as text rather than read as
    a comment or a table cell.
    """
    if "\\" not in value and "$" not in value:
        return " ".join(_plain(value).split())
    parts = _SIMPLE.split(value)  # text, char, macro, text, char, macro, …, text
    texts = parts[::3]
    if not any("\\" in t or "$" in t for t in texts):
        out = [_plain(texts[0])]
        for i in range(1, len(parts), 3):
            out += [parts[i] or _MACROS[parts[i + 1]], _plain(parts[i + 2])]
        return " ".join("".join(out).split())
    value = _TIE.sub(" ", _BARE.sub(r"\\\1", _USENIX_BRACES.sub("", value)))
    try:
        text = _decoder().latex_to_text(value)
    except Exception:  # noqa: BLE001 - pylatexenc on broken LaTeX: fall back to the plain reading
        text = _plain(re.sub(r"\\([%&#$_])", r"\1", value))
    return " ".join(text.split())


def url_value(url: str) -> str:
    """A URL or identifier as a field value: written as is (styles read it verbatim), except for the
    characters that would end the field, which are percent-encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --- reading values: BibTeX expressions and name lists ---

_NUMBER = re.compile(r"\d+")
_MACRO = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")
_SPACE = re.compile(r"\s*")
_BRACE = re.compile(r"(?<!\\)[{}]")
_BRACE_OR_QUOTE = re.compile(r'(?<!\\)[{}"]')
_ASSIGNMENT = re.compile(r"([A-Za-z][\w-]*)\s*=")
_AND = re.compile(r"(?<!\\)[{}]|\s+and\s+", re.I)
_AND_ONLY = re.compile(r"\s+and\s+", re.I)


class BadValue(ValueError):
    """A field value that BibTeX would not read as one value."""


def _closing(raw: str, start: int, pattern: re.Pattern[str]) -> int:
    """Index after the delimiter that closes the ``{`` or ``"`` at ``start``."""
    depth = 0
    quote = raw[start] == '"'
    for m in pattern.finditer(raw, start + quote):
        char = m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise BadValue("has a '}' that closes nothing inside quotes")
            if depth == 0 and not quote:
                return m.end()
        elif depth == 0:
            return m.end()
    raise BadValue("has a '{' that is never closed" if not quote or depth else "has a '\"' that is never closed")


def evaluate(raw: str, macros: Mapping[str, str]) -> tuple[str, list[str]]:
    """A raw value (``{A} # name # "B"``) as BibTeX reads it, and the macro names that are not defined."""
    if raw[:1] == "{" and raw[-1:] == "}" and raw.count("{") == 1 and raw.count("}") == 1:
        return raw[1:-1], []  # the common case: one braced value without inner braces
    if raw.isdigit():
        return raw, []
    parts: list[str] = []
    undefined: list[str] = []
    pos, end = 0, len(raw)
    while True:
        pos = _SPACE.match(raw, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            raise BadValue("has no value after '#'" if parts else "has no value")
        char = raw[pos]
        if char in '{"':
            close = _closing(raw, pos, _BRACE if char == "{" else _BRACE_OR_QUOTE)
            parts.append(raw[pos + 1 : close - 1])
            pos = close
        elif m := _NUMBER.match(raw, pos) or _MACRO.match(raw, pos):
            word = m.group()
            if word.isdigit():
                parts.append(word)
            elif word.lower() in macros:
                parts.append(macros[word.lower()])
            else:
                undefined.append(word)
                parts.append(word)
            pos = m.end()
        else:
            raise BadValue(f"has {char!r} where a value should start")
        pos = _SPACE.match(raw, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return "".join(parts), undefined
        if raw[pos] != "#":
            glued = _ASSIGNMENT.match(raw, pos)
            if glued:
                raise BadValue(f"runs into '{glued.group(1)} = …' (a missing comma?)")
            raise BadValue(f"has text after the value: {snippet(raw[pos:])!r}")
        pos += 1


def snippet(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def split_names(value: str) -> list[str]:
    """``author`` as names (still in LaTeX): split on ``and`` outside braces; ``Last, First`` -> ``First Last``;
    a name in braces (``{NVIDIA Corporation}``) is kept whole; ``others`` is dropped."""
    if "{" not in value and "," not in value:  # the common case: First Last and First Last
        return [n for n in _AND_ONLY.split(value.strip()) if n and n.lower() != "others"]
    raw_names, depth, start = [], 0, 0
    for m in _AND.finditer(value):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            raw_names.append(value[start : m.start()])
            start = m.end()
    raw_names.append(value[start:])
    names = []
    for raw in raw_names:
        raw = raw.strip()
        if not raw or raw.lower() == "others":
            continue
        if not (raw.startswith("{") and _closing(raw, 0, _BRACE) == len(raw)):
            parts = _split_commas(raw)
            if len(parts) == 2:
                raw = f"{parts[1]} {parts[0]}"
            elif len(parts) >= 3:  # von Last, Jr, First
                raw = f"{' '.join(parts[2:])} {parts[0]}, {parts[1]}"
        names.append(raw)
    return names


def _split_commas(name: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(name[start:i].strip())
            start = i + 1
    parts.append(name[start:].strip())
    return [p for p in parts if p]
