"""Look-alike letters: a word that mixes Latin with Cyrillic or Greek letters (``Аttention`` with a Cyrillic
``А``) reads like a known title but is not one. No IO.

>>> mixed_words("Аttention Is All You Need")
[('Аttention', 'Cyrillic А')]
>>> unconfuse("Аttention Is All You Need") == "Attention Is All You Need"
True
>>> mixed_words("Теория распознавания образов"), mixed_words("α-Entmax and LoRA")
([], [])
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters drawn like Latin ones (from Unicode's confusables, the common cases).
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("АВЕКМНОРСТУХІЈЅԚԜаеорсухіјѕԁһԛԝӏ", "ABEKMHOPCTYXIJSQWaeopcyxijsdhqwl", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριυνκ", "ABEZHIKMNOPTYXaopiuvk", strict=True)),
    }
)
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """LATIN, CYRILLIC or GREEK for a letter of those scripts, else ``None``."""
    if not ch.isalpha():
        return None
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return first if first in _CONFUSABLE_SCRIPTS else None


def _mixed(word: str) -> str | None:
    """``Cyrillic А``: the first letter of a script other than the word's Latin letters, if the word mixes."""
    scripts = {s for s in map(_script, word) if s}
    if "LATIN" not in scripts or len(scripts) < 2:
        return None
    odd = next(ch for ch in word if _script(ch) not in (None, "LATIN"))
    return f"{_script(odd).title()} {odd}"  # type: ignore[union-attr]


def mixed_words(text: str) -> list[tuple[str, str]]:
    """The words of ``text`` that mix Latin letters with Cyrillic or Greek ones, each with its first odd letter."""
    if text.isascii():
        return []
    return [(w, odd) for w in _WORD.findall(text) if (odd := _mixed(w))]


def unconfuse(text: str) -> str:
    """``text`` with the look-alike letters of mixed words drawn as the Latin letters they imitate."""
    if text.isascii():
        return text
    return _WORD.sub(lambda m: m.group().translate(_LOOKALIKES) if _mixed(m.group()) else m.group(), text)


def describe(mixed: list[tuple[str, str]]) -> str:
    """``'Аttention' (Cyrillic А)`` for a report."""
    return ", ".join(f"{word!r} ({odd})" for word, odd in mixed[:3])
