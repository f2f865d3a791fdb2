"""Map the many ways lists write a venue to one canonical venue, with the year when the text carries it.

    >>> osdi = Venue(name="OSDI", full="USENIX Symposium on Operating Systems Design and Implementation",
    ...              kind="conference")
    >>> table = VenueTable([osdi])
    >>> found = table.match("16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)")
    >>> found.venue.name, found.year
    ('OSDI', 2022)
    >>> table.match("Proc.~USENIX OSDI").venue.name
    'OSDI'

Matching order: the whole text normalised against every name, full name and alias; then an acronym
in parentheses; then any word of the text that is a venue's short name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Venue

_PROC = re.compile(
    r"\b(?:proc(?:eedings)?\.?|in|of|the|annual|international|intl\.?|conference|conf\.?|symposium|symp\.?|"
    r"on|workshop|acm|ieee|usenix|\d+(?:st|nd|rd|th))\b",
    re.I,
)
_ORDINAL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth)\b",
    re.I,
)
_YEAR = re.compile(r"(?<![\d.])(?:(19[5-9]\d|20\d\d)|'?(\d\d))(?![\d.])")
_NON_WORD = re.compile(r"[^a-z0-9+]+")


@dataclass(frozen=True)
class VenueMatch:
    venue: Venue
    year: int | None


class VenueTable:
    def __init__(self, venues: list[Venue]) -> None:
        self.venues = venues
        self.names = {v.name for v in venues}
        self._exact: dict[str, Venue] = {}
        self._loose: dict[str, Venue] = {}
        self._acronyms: dict[str, Venue] = {}
        for venue in venues:
            for text in (venue.name, venue.full, *venue.aliases):
                self._exact.setdefault(self.normalize(text), venue)
                self._loose.setdefault(self._strip(text), venue)
            for text in (venue.name, *venue.aliases):
                if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{1,11}", text):
                    self._acronyms.setdefault(text.lower(), venue)

    @staticmethod
    def normalize(text: str) -> str:
        """Lowercase, no LaTeX ties, no punctuation: ``Proc.~USENIX OSDI`` -> ``proc usenix osdi``."""
        return _NON_WORD.sub(" ", text.replace("~", " ").lower()).strip()

    @classmethod
    def _strip(cls, text: str) -> str:
        """Also drop filler words, ordinals and years: the shape of a name, not its edition."""
        text = re.sub(r"\([^)]*\)", " ", text)
        text = _ORDINAL.sub(" ", text)  # before years: "29th" must not lose its digits first
        text = _YEAR.sub(" ", text.replace("~", " "))
        return " ".join(_PROC.sub(" ", cls.normalize(text)).split())

    def get(self, name: str) -> Venue | None:
        return next((v for v in self.venues if v.name == name), None)

    def match(self, text: str) -> VenueMatch | None:
        text = text.strip()
        if not text:
            return None
        year = self._year(text)
        for key, table in ((self.normalize(text), self._exact), (self._strip(text), self._loose)):
            if key and key in table:
                return VenueMatch(table[key], year)
        for inner in re.findall(r"\(([^)]*)\)", text):
            word = re.split(r"[\s'’]+", inner.strip())[0].lower()
            if word in self._acronyms:
                return VenueMatch(self._acronyms[word], year)
        words = [w for w in re.split(r"[^A-Za-z0-9-]+", text.replace("~", " ")) if w]
        for word in sorted(words, key=len, reverse=True):
            venue = self._acronyms.get(word.lower())
            if venue and (word.isupper() or word[0].isupper() or len(word) > 4):
                return VenueMatch(venue, year)
        return None

    @staticmethod
    def _year(text: str) -> int | None:
        for full, short in _YEAR.findall(text):
            if full:
                return int(full)
            if short and re.search(r"[A-Za-z][\s'’]*" + short + r"\b", text):
                return 2000 + int(short)
        return None
