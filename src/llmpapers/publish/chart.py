"""The home page chart: entries per year and category, as an SVG heat map. Pure: records in, SVG text out.

One row per category (taxonomy order, so groups stay together), one column per year, a cell's shade and
number give how many entries list that category in that year; a last column gives the row total. Years
older than ``MAX_YEARS`` columns are folded into one "≤ YEAR" column; undated entries are counted in the
caption only. Text uses ``currentColor`` so the chart follows the page's light or dark scheme; every string
is XML-escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from xml.sax.saxutils import escape

from ..db.models import Category, Record

MAX_YEARS = 14
LABEL_W = 250
CELL_W = 38
CELL_H = 22
TOP = 30
COLOR = "#3f51b5"
MIN_W = 560


def year_columns(years: Sequence[int]) -> list[tuple[str, int, int]]:
    """Columns as (label, first year, last year), oldest first."""
    if not years:
        return []
    lo, hi = min(years), max(years)
    if hi - lo + 1 <= MAX_YEARS:
        return [(str(y), y, y) for y in range(lo, hi + 1)]
    first = hi - MAX_YEARS + 2
    return [(f"≤{first - 1}", lo, first - 1)] + [(str(y), y, y) for y in range(first, hi + 1)]


def year_category_svg(records: Sequence[Record], categories: Sequence[Category]) -> str:
    dated = [r for r in records if r.year is not None]
    columns = year_columns([r.year for r in dated if r.year is not None])
    counts: Counter[tuple[str, int]] = Counter()
    totals: Counter[str] = Counter()
    for r in dated:
        col = next(i for i, (_, lo, hi) in enumerate(columns) if lo <= (r.year or 0) <= hi)
        for slug in r.categories:
            counts[slug, col] += 1
            totals[slug] += 1
    peak = max(counts.values(), default=1)
    width = max(LABEL_W + CELL_W * (len(columns) + 1) + 10, MIN_W)
    height = TOP + CELL_H * len(categories) + 34
    undated = len(records) - len(dated)
    caption = f"Entries per year and category ({len(records)} entries"
    caption += f", {undated} without a year not shown)" if undated else ")"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lp-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="lp-chart-title" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="lp-chart-title">{escape(caption)}</title>',
    ]
    for i, (label, _, _) in enumerate([*columns, ("all", 0, 0)]):
        x = LABEL_W + CELL_W * i + CELL_W / 2
        out.append(f'<text x="{x:g}" y="{TOP - 10}" text-anchor="middle" fill="currentColor">{escape(label)}</text>')
    for row, cat in enumerate(categories):
        y = TOP + CELL_H * row
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + CELL_H * 0.68:g}" text-anchor="end" fill="currentColor">'
            f"{escape(cat.name)}</text>"
        )
        for col, (label, _, _) in enumerate(columns):
            n = counts.get((cat.slug, col), 0)
            x = LABEL_W + CELL_W * col
            shade = 0.08 + 0.92 * (n / peak) ** 0.5 if n else 0.04
            tip = f"{cat.name}, {label}: {n}"
            out.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="3" fill="{COLOR}" '
                f'fill-opacity="{shade:.2f}"><title>{escape(tip)}</title></rect>'
            )
            if n:
                ink = "#ffffff" if shade > 0.55 else "currentColor"
                out.append(
                    f'<text x="{x + CELL_W / 2:g}" y="{y + CELL_H * 0.68:g}" text-anchor="middle" '
                    f'fill="{ink}">{n}</text>'
                )
        x = LABEL_W + CELL_W * len(columns)
        out.append(
            f'<text x="{x + CELL_W / 2:g}" y="{y + CELL_H * 0.68:g}" text-anchor="middle" fill="currentColor" '
            f'font-weight="bold">{totals.get(cat.slug, 0)}</text>'
        )
    out.append(
        f'<text x="10" y="{height - 10}" fill="currentColor" font-size="11" opacity="0.7">'
        f"{escape(caption)}; an entry counts once in each of its categories</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
