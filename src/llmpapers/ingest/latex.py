r"""LaTeX text both ways: escape plain text into a BibTeX field value, and read LaTeX back as text
(``latex_to_text``: the one reading of LaTeX, for .bib values, awesome-list titles and match keys alike);
also how BibTeX reads a value (``evaluate``: macros, ``#``, braces and quotes). Name lists: :mod:`.names`.

The two directions are inverses (``latex_to_text(protect_title(t)) == t`` for one-line ``t`` with single
spaces, tested), which is what makes an export re-import unchanged. No IO.

    >>> protect_title("vLLM: 50% Faster {GPT-3}")
    '{vLLM}: 50\\% Faster {\\textbraceleft}{GPT-3}{\\textbraceright}'
    >>> latex_to_text('{vLLM}: 50\\% Faster {\\textbraceleft}{GPT-3}{\\textbraceright}')
    'vLLM: 50% Faster {GPT-3}'
    >>> escape("pages 10--20 --- or so"), latex_to_text("pages 10-{}-20 -{}-{}- or so")
    ('pages 10-{}-20 -{}-{}- or so', 'pages 10--20 --- or so')
    >>> evaluate('proc # {OSDI} # " 22"', {"proc": "Proc. "})
    ('Proc. OSDI 22', [])

Why no value can break out of its field: in an escaped value every ``{`` and ``}`` belongs to a pair that
``escape``/``protect_title`` wrote (``{\textbraceleft}``, ``{=}``, ``-{}-``, a protecting pair), so braces
are balanced and none is preceded by a backslash (BibTeX and bibtexparser count them alike); a backslash
only starts ``\%``-style escapes and those macros; there is no newline. A braced value ends only at depth
0, so it ends where the writer closes it.

Escaping: ``\ { } ~ ^ < > |`` become text macros in braces (``{\textbraceleft}``: balanced for BibTeX,
for bibtexparser and for LaTeX alike) and ``% & # $ _`` get a backslash, so no value can close its field
or open a new one; hyphens are kept apart (``-{}-``), since LaTeX reads ``--`` and ``---`` as dashes.
Protection: a word with a capital after its first letter (``vLLM``, ``FlashAttention-2``), capitals next
to digits (``GPT-3``, ``A100``) or two capitals across punctuation (``I/O``), and the work's own short
name, are wrapped in braces so that BibTeX styles keep their case.
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
_HYPHEN_PAIR = re.compile(r"-(?=-)")


def escape(text: str) -> str:
    """Plain text as a BibTeX field value that cannot break out of its braces, and reads back as written."""
    text = _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)
    return _HYPHEN_PAIR.sub("-{}", text) if "--" in text else text


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
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in (_MACROS | _OWN_MACROS).items()],
        # Dashes are read before decoding (``_DASH``); what is left, and quotes, stay as written.
        specials=[SpecialsTextSpec(s, s) for s in ("--", "---", "``", "''", "!`", "?`")],
    )
    return LatexNodes2Text(latex_context=db, math_mode="text")


_OWN_MACROS = {"url": "%s", "sim": "~"}  # ``$\sim$2x`` reads as people type it: ``~2x``
_RESIDUE = re.compile(r"[\\${}~]|--")
_TIE = re.compile(r"(?<=[^\s\\])~(?=\S)")  # a tie joins two characters; ``~2x`` and ``\~n`` are not ties
_DASH = re.compile(r"---|(?<=\d)--(?=\d)|(?<= )--(?= )")  # ``Mix--Ture``: two hyphens as written
_DASHES = {"---": "—", "--": "–"}
_SUP = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT = r"\{?\s*([0-9a-z+\-=()]+?)\s*\}?"
_SUPERSCRIPT = re.compile(r"\^" + _SCRIPT + r"(?=\W|$)")
_SUBSCRIPT = re.compile(r"_" + _SCRIPT + r"(?=\W|$)")
# $\{$PetS$\}$ (USENIX titles via DBLP): braces meant to protect case. ``$\}$$\{$`` and ``,$\{$`` separate words.
_GROUP_COMMA = re.compile(r",(?=\$\\\{\$)")
_SPACED_SUBSCRIPT = re.compile(r"\s*(?<!\\)\$\s*\\?_" + _SCRIPT + r"\s*\$\s*")  # H $ \_2 $ O
_MATH = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")
_LITERAL = re.compile(r"(?<!\\)[%&$~]")  # left after ties and math: text, not comments, cells or math
_LITERALS = {"%": "\\%", "&": "\\&", "$": "\\$", "~": "{\\textasciitilde}"}
# What ``escape`` writes, read back without pylatexenc: a backslash-escaped character or a symbol macro in braces.
_SIMPLE = re.compile(r"\\([%&#$_])|\{\\(" + "|".join(n for n, c in _MACROS.items()) + r")\}")


def _math(m: re.Match[str]) -> str:
    """Inline math as text: scripts in Unicode (``n^2`` -> ``n²``), ``\\{ \\}`` dropped (they protect case);
    macros (``\\Sigma``) are left to the decoder, in a group so that they end where the math ends."""
    content = m.group(1).replace("\\{", "").replace("\\}", "").replace("\\_", "_")
    content = _SUPERSCRIPT.sub(lambda s: s.group(1).translate(_SUP), content)
    content = _SUBSCRIPT.sub(lambda s: s.group(1).translate(_SUB), content).strip()
    return "{" + content + "}" if "\\" in content else _unbrace(content)


def _unbrace(value: str) -> str:
    return value.replace("{", "").replace("}", "")


def latex_to_text(value: str) -> str:
    r"""LaTeX or BibTeX text as display text; the one reading of LaTeX for titles, names and venues,
    whether they come from a .bib file, an awesome-list or a record. Whitespace is collapsed.

    Ties between characters become spaces (``~2x faster`` keeps its ``~``); ``---`` is an em dash, ``--`` an
    en dash between digits or spaces (``Mix--Ture`` is kept); inline math is read as text, with scripts in
    Unicode (``S$^3$`` -> ``S³``; NFKC folds them back for matching) and case-protecting ``$\{$…$\}$`` dropped;
    then pylatexenc decodes macros and accents. A bare ``%``, ``&``, ``$`` or ``~`` is text. Text without
    ``\ $ { } ~`` or ``--`` is returned at once, and what ``escape`` writes is read without pylatexenc
    (decoding costs ~25x more).

    >>> latex_to_text("$\\{$PetS$\\}$: A Unified Framework for $\\{$Parameter-Efficient$\\}$ Transformers Serving")
    'PetS: A Unified Framework for Parameter-Efficient Transformers Serving'
    >>> latex_to_text("S$^3$: Increasing"), latex_to_text("H $ \\_2 $ O: Heavy-Hitter"), latex_to_text("O($n^2$)")
    ('S³: Increasing', 'H₂O: Heavy-Hitter', 'O(n²)')
    >>> latex_to_text("{vLLM} \\& Proc.~OSDI, pp. 1--10 -- done"), latex_to_text("PanGu-$\\Sigma$")
    ('vLLM & Proc. OSDI, pp. 1–10 – done', 'PanGu-Σ')
    >>> latex_to_text("~2x faster"), latex_to_text("Caf\\'{e} {\\\"u}ber~alles"), latex_to_text("Costs \\$5")
    ('~2x faster', 'Café über alles', 'Costs $5')
    """
    value = " ".join(value.split())  # first: runs of spaces are one space, and no pattern rescans a run
    if not _RESIDUE.search(value):
        return value
    if "~" in value:
        value = _TIE.sub(" ", value)
    if "--" in value:
        value = _DASH.sub(lambda m: _DASHES[m.group()], value)
    if "$" in value:
        value = _GROUP_COMMA.sub(", ", value.replace("$\\}$$\\{$", "$\\}$ $\\{$"))
        value = _MATH.sub(_math, _SPACED_SUBSCRIPT.sub(lambda m: m.group(1).translate(_SUB), value))
    if "\\" not in value:
        return " ".join(_unbrace(value).split())
    parts = _SIMPLE.split(value)  # text, char, macro, text, char, macro, …, text
    texts = parts[::3]
    if not any("\\" in t for t in texts):
        out = [_unbrace(texts[0])]
        for i in range(1, len(parts), 3):
            out += [parts[i] or _MACROS[parts[i + 1]], _unbrace(parts[i + 2])]
        return " ".join("".join(out).split())
    value = _LITERAL.sub(lambda m: _LITERALS[m.group()], value)
    try:
        text = _decoder().latex_to_text(value)
    except Exception:  # noqa: BLE001 - pylatexenc on broken LaTeX: fall back to the plain reading
        text = _unbrace(re.sub(r"\\([%&#$_])", r"\1", value))
    return " ".join(text.split())


def url_value(url: str) -> str:
    """A URL or identifier as a field value: written as is (styles read it verbatim), except for the
    characters that would end the field, which are percent-encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --- reading values: BibTeX expressions ---

_NUMBER = re.compile(r"\d+")
_MACRO = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")
_SPACE = re.compile(r"\s*")
_BRACE = re.compile(r"(?<!\\)[{}]")
_BRACE_OR_QUOTE = re.compile(r'(?<!\\)[{}"]')
_ASSIGNMENT = re.compile(r"([A-Za-z][\w-]*)\s*=")


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
