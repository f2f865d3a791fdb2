"""The BibTeX vocabulary that the reader (:mod:`llmpapers.ingest.bibtex`) and the writer
(:mod:`llmpapers.publish.export`) share: entry types, field names, where a venue's name goes, what a
non-paper says it is, the month macros and the mark of an export. Data only.

    >>> container("journal"), container("preprint"), KIND_OF_LABEL["software"]
    (('article', 'journal'), ('misc', 'howpublished'), <Kind.TOOL: 'tool'>)
"""

from __future__ import annotations

import re

from .models import Kind

EXPORT_MARK = "Exported by llmpapers"  # opens the ``@comment`` header of every export

# Entry types: what the writer writes, and the generic types a reader meets for web pages and software.
INPROCEEDINGS, ARTICLE, MISC = "inproceedings", "article", "misc"
SOFTWARE_TYPES = frozenset({"software"})
WEB_TYPES = frozenset({MISC, "online", "electronic", "www"})

# Where a venue's full name goes, by the venue's kind (``Venue.kind``): the entry type and its field.
VENUE_CONTAINERS = {
    "conference": (INPROCEEDINGS, "booktitle"),
    "workshop": (INPROCEEDINGS, "booktitle"),
    "journal": (ARTICLE, "journal"),
}
OTHER_CONTAINER = (MISC, "howpublished")  # preprint servers, other venues, and works without a venue
VENUE_FIELDS = ("booktitle", "journal")  # fields that name a venue, in the order a reader looks at them


def container(kind: str | None) -> tuple[str, str]:
    """The entry type and the field for a venue of this kind."""
    return VENUE_CONTAINERS.get(kind or "", OTHER_CONTAINER)


# ``howpublished`` of a work that is not a paper and has no venue: what it is.
HOWPUBLISHED = {Kind.TOOL: "Software", Kind.MODEL: "Model", Kind.HARDWARE: "Hardware", Kind.ARTICLE: "Article"}
KIND_OF_LABEL = {text.lower(): kind for kind, text in HOWPUBLISHED.items()}

ARXIV_PREFIX = "arXiv"  # ``archivePrefix`` of an arXiv eprint
ARCHIVE_FIELDS = ("archiveprefix", "eprinttype")  # where a reader finds it (BibTeX, biblatex)

# Field names, lower case: a value that holds ``name =`` of one of these has run into the next field.
FIELDS = (
    "title author editor year month journal booktitle howpublished publisher pages volume number doi url eprint "
    "archiveprefix eprinttype primaryclass note address organization school institution series isbn issn "
    "abstract keywords date urldate type edition chapter"
).split()

# The month macros every BibTeX style defines.
MONTHS = dict(
    zip(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(),
        "January February March April May June July August September October November December".split(),
        strict=True,
    )
)
MONTH_MACROS = tuple(MONTHS)  # month 1..12 as the macro written unbraced: ``month = jun``

# An organisation rather than a person: an organisation word, a comma, the word "and", or a word in capitals
# (NVIDIA, AI) that is not a roman numeral.
_ORGANISATION = re.compile(
    r"(?i:\b(?:and|corporation|corp|inc|ltd|llc|gmbh|team|lab|labs|laborator(?:y|ies)|universit(?:y|ät)|"
    r"institute|foundation|research|group|community|contributors|project|consortium|organi[sz]ation|company|"
    r"committee|council|association|society|developers|authors|openai|deepmind|google|microsoft|anthropic|"
    r"hugging\s?face|others)\b|,)|\b(?!(?:II|III|IV|VI|VII|VIII|IX)\b)[A-Z][A-Z0-9&]+\b"
)


def is_organisation(name: str) -> bool:
    """An author that is an organisation (``NVIDIA Corporation``, ``Gemini Team``), not a person."""
    return bool(_ORGANISATION.search(name))
