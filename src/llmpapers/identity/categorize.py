"""Suggest categories from the rules in ``data/categories.yaml``. Pure.

Each category's ``rules`` hold keywords (whole words or phrases, any case), short names (exact, any case)
and regular expressions over the title. A known short name scores 3, a phrase keyword 2, a single-word
keyword or a pattern 1. Suggestions are the categories scoring at least 1, best first (ties in taxonomy
order), at most ``limit``. The YAML stays the truth: ``check`` only reports where rules and data disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..db.models import Category, Record
from .titles import fold

SHORT_NAME, PHRASE, WORD = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Suggestion:
    slug: str
    score: float
    why: tuple[str, ...]


class Categorizer:
    def __init__(self, categories: list[Category]) -> None:
        self.order = [c.slug for c in categories]
        self.rules: list[tuple[str, re.Pattern[str] | None, dict[str, str], list[re.Pattern[str]]]] = []
        for cat in categories:
            rules = cat.rules
            if rules is None:
                continue
            words = sorted({fold(k) for k in rules.keywords}, key=len, reverse=True)
            rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])") if words else None
            names = {fold(n): n for n in rules.short_names}
            patterns = [re.compile(p, re.I) for p in rules.patterns]
            self.rules.append((cat.slug, rx, names, patterns))

    def suggest(self, title: str, short_name: str | None = None, limit: int = 3) -> list[Suggestion]:
        text = fold(title)
        # a work listed by its bare name ("vLLM") has that name as its title
        candidates = {fold(short_name) if short_name else text, text}
        found = []
        for slug, rx, names, patterns in self.rules:
            score, why = 0.0, []
            name = next((n for n in candidates if n in names), None)
            if name:
                score += SHORT_NAME
                why.append(f"short name {names[name]}")
            for kw in sorted(set(rx.findall(text))) if rx else ():
                score += PHRASE if " " in kw else WORD
                why.append(f"keyword '{kw}'")
            for p in patterns:
                if p.search(title):
                    score += WORD
                    why.append(f"pattern /{p.pattern}/")
            if score:
                found.append(Suggestion(slug, score, tuple(why)))
        found.sort(key=lambda s: (-s.score, self.order.index(s.slug)))
        return found[:limit]

    def slugs(self, title: str, short_name: str | None = None, fallback: str | None = None) -> list[str]:
        """Suggested slugs; ``fallback`` text (e.g. the list's section heading) is tried when none fit."""
        found = [s.slug for s in self.suggest(title, short_name)]
        if not found and fallback:
            found = [s.slug for s in self.suggest(fallback)]
        return found

    def check(self, record: Record) -> str | None:
        """Why the rules disagree with the record's curated categories, or None when they agree.

        They agree when the primary category is among the suggestions, or when nothing is suggested
        (a rule cannot disagree by saying nothing).
        """
        suggested = self.suggest(record.title, record.short_name, limit=5)
        if not suggested or record.primary in {s.slug for s in suggested}:
            return None
        best = ", ".join(f"{s.slug} ({s.score:g}: {'; '.join(s.why[:2])})" for s in suggested[:3])
        return f"primary category {record.primary} is not among the rules' suggestions: {best}"
