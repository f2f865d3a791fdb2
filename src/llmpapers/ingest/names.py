"""Person names: a free-text author list (an awesome-list line) and a BibTeX name list. Pure, no IO.

>>> split_authors("Ludwig van Beethoven and Ada Lovelace, et al.")
['Ludwig van Beethoven', 'Ada Lovelace']
>>> split_names("van Beethoven, Jr., Ludwig and Lovelace, Ada and {Barnes and Noble} and others")
['Ludwig van Beethoven, Jr.', 'Ada Lovelace', '{Barnes and Noble}']
"""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

_PARTICLES = set("de van von der den del della da di du la le y bin al".split())


def _person(p: str) -> bool:
    words = p.split()
    return (
        2 <= len(words) <= 5
        and len(p) <= 60
        and all(w[0].isupper() or w in _PARTICLES for w in words)
        and all(re.fullmatch(r"[^\W\d_][\w.'’-]*", w) for w in words)
    )


def split_authors(text: str) -> list[str]:
    """The names of an author list (``*``/``†`` markers and ``et al.`` dropped), or ``[]`` when it is not one.

    >>> split_authors("Lianmin Zheng*, Daniel Y. Fu, Carlo C Del Mundo and Christopher Ré, et al.")
    ['Lianmin Zheng', 'Daniel Y. Fu', 'Carlo C Del Mundo', 'Christopher Ré']
    >>> split_authors("A high-throughput and memory-efficient inference engine"), split_authors("SOSP 2023")
    ([], [])
    """
    pieces = [p.strip(" *_†‡§¶") for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text.strip(" .*_"))]
    pieces = [p for p in pieces if p and p.lower().rstrip(".") != "et al"]
    return pieces if pieces and all(_person(p) for p in pieces) else []


# bibtexparser (2.1) skips the character after a ``\`` when it splits a list, but loses its place there: a name
# after ``and`` that starts with an escape loses it (``A and \"{O}zt\"{u}rk``), and so does a name before
# ``and`` that ends with one (``Q\&A \& and B``). Each escape is masked while the list is split.
_ESCAPE = re.compile(r"\\.", re.S)
_MASK = "\ue000"  # a private-use character


def _split_list(value: str) -> list[str]:
    escapes = _ESCAPE.findall(value)
    if not escapes or _MASK in value:
        return split_multiple_persons_names(value)
    restore = iter(escapes)
    names = []
    for name in split_multiple_persons_names(_ESCAPE.sub(_MASK, value)):
        first, *rest = name.split(_MASK)
        names.append(first + "".join(next(restore) + piece for piece in rest))
    return names


def split_names(value: str) -> list[str]:
    r"""A BibTeX name list (``author``, ``editor``; still in LaTeX) as names in display order.

    bibtexparser splits it as BibTeX does (on ``and`` outside braces) and parts each name into First, von,
    Last and Jr (``von Last, Jr, First``, ``von Last, First`` or ``First von Last``); each is shown as
    ``First von Last, Jr``. A name in braces (``{NVIDIA Corporation}``) stays whole; ``others`` (and a bare
    ``contributors`` or ``et al.``) is dropped.

    >>> split_names("Yu, Gyeong{-}In and {NVIDIA Corp.} and Donald~E. Knuth and de la Fontaine, Jean")
    ['Gyeong{-}In Yu', '{NVIDIA Corp.}', 'Donald E. Knuth', 'Jean de la Fontaine']
    >>> split_names('Doe, John A and \\"{O}zt\\"{u}rk, Ali and Q\\&A \\& and others')
    ['John A Doe', 'Ali \\"{O}zt\\"{u}rk', 'Q\\&A \\&']
    """
    names = []
    for raw in _split_list(value):
        if raw.strip().lower() in ("others", "contributors", "et al.", "et al"):  # "and others", not a person
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        name = " ".join(parts.first + parts.von + parts.last)
        if parts.jr:
            name = f"{name}, {' '.join(parts.jr)}"
        if name:
            names.append(name)
    return names
