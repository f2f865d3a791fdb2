"""The home page chart: entries per year and category, as an SVG heat map.

One row per category (taxonomy order, so groups stay together), one column per year, a cell's shade and
number give how many entries list that category in that year; a last column gives the row total. Years
older than ``MAX_YEARS`` columns are folded into one "≤ YEAR" column; undated entries are counted in the
caption only.

:func:`year_category_chart` is pure: records in, a :class:`Chart` of numbers, positions and label texts out.
The markup is templates/chart.svg.j2, rendered with autoescape on (the home page includes it; so does
:func:`year_category_svg`), so every category name and label is escaped there. Text uses ``currentColor``
so the chart follows the page's light or dark scheme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from ..db.models import Category, Record

MAX_YEARS = 14
LABEL_W = 250
CELL_W = 38
CELL_H = 22
TOP = 30
COLOR = "#3f51b5"
MIN_W = 560
BASELINE = 0.68  # where a row's text sits, as a fraction of the cell height
TEMPLATE = "chart.svg.j2"


@dataclass(frozen=True)
class Label:
    """A text centred on ``x`` (a column heading)."""

    x: float
    text: str


@dataclass(frozen=True)
class Cell:
    """One year of one category: a rectangle of ``width`` × ``height`` at (``x``, ``y``), its count on it."""

    x: float
    y: float
    width: float
    height: float
    opacity: float
    count: int
    count_x: float  # the centre of the cell, where the count is written (only when it is not 0)
    ink: str  # the count's colour: white on dark cells
    tip: str
    query: str = ""  # the all-entries filter of these entries: category=serving&from=2023&to=2023


@dataclass(frozen=True)
class Row:
    """One category: its name right-aligned at ``label_x``, its cells, its total at ``total_x``."""

    label: str
    label_x: float
    baseline: float  # the y of every text of the row
    cells: list[Cell]
    total: int
    total_x: float
    slug: str = ""


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    color: str
    caption: str
    heading_y: float
    headings: list[Label]  # one per year column, then "all"
    rows: list[Row]
    footer_y: float


def year_columns(years: Sequence[int]) -> list[tuple[str, int, int]]:
    """Columns as (label, first year, last year), oldest first."""
    if not years:
        return []
    lo, hi = min(years), max(years)
    if hi - lo + 1 <= MAX_YEARS:
        return [(str(y), y, y) for y in range(lo, hi + 1)]
    first = hi - MAX_YEARS + 2
    return [(f"≤{first - 1}", lo, first - 1)] + [(str(y), y, y) for y in range(first, hi + 1)]


def year_category_chart(records: Sequence[Record], categories: Sequence[Category]) -> Chart:
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
    headings = [
        Label(LABEL_W + CELL_W * i + CELL_W / 2, label) for i, (label, _, _) in enumerate([*columns, ("all", 0, 0)])
    ]
    rows = []
    for row, cat in enumerate(categories):
        y = TOP + CELL_H * row
        cells = []
        for col, (label, lo, hi) in enumerate(columns):
            n = counts.get((cat.slug, col), 0)
            x = LABEL_W + CELL_W * col
            shade = 0.08 + 0.92 * (n / peak) ** 0.5 if n else 0.04
            cells.append(
                Cell(
                    x=x + 1,
                    y=y + 1,
                    width=CELL_W - 2,
                    height=CELL_H - 2,
                    opacity=shade,
                    count=n,
                    count_x=x + CELL_W / 2,
                    ink="#ffffff" if shade > 0.55 else "currentColor",
                    tip=f"{cat.name}, {label}: {n}",
                    query=f"category={cat.slug}&from={lo}&to={hi}" if n else "",
                )
            )
        rows.append(
            Row(
                slug=cat.slug,
                label=cat.name,
                label_x=LABEL_W - 8,
                baseline=y + CELL_H * BASELINE,
                cells=cells,
                total=totals.get(cat.slug, 0),
                total_x=LABEL_W + CELL_W * len(columns) + CELL_W / 2,
            )
        )
    return Chart(width, height, COLOR, caption, TOP - 10, headings, rows, height - 10)


def year_category_svg(
    records: Sequence[Record], categories: Sequence[Category], env: jinja2.Environment | None = None
) -> str:
    """The chart as SVG text, on its own (the home page includes the template instead)."""
    from .render import make_environment  # render imports this module

    return (env or make_environment()).get_template(TEMPLATE).render(chart=year_category_chart(records, categories))
