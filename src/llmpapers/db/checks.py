"""Checks across records: each rule is a generator of diagnostics, chained by ``check_database``.

Single-record rules (field formats) live in the model; here are the rules that need the file name, the
taxonomy, the venue table or the other records.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from ..errors import Diagnostic, error, warning
from .completeness import doi_venues, gaps
from .fields import idn_host
from .models import INVERSE, valid_id
from .scripts import describe, mixed_words
from .store import SUFFIX, Database, display_path
from .venues import VenueTable
from .yamlio import Loaded


def check_database(db: Database) -> list[Diagnostic]:
    """Every problem in ``db``: what loading found plus the cross-record rules, sorted by place."""
    found = list(db.diagnostics)
    for rule in (
        check_taxonomy,
        check_venue_table,
        check_file_names,
        check_unique_ids,
        check_former_ids,
        check_categories,
        check_venues,
        check_relations,
        check_completeness,
        check_lookalikes,
    ):
        found.extend(rule(db))
    return sorted(set(found), key=lambda d: (d.path, d.line, d.col, d.message))


def _error(path: Path, loaded: Loaded, loc: tuple, message: str, warn: bool = False) -> Diagnostic:
    line, col = loaded.line_of(loc)
    return (warning if warn else error)(display_path(path), message, line, col)


def check_taxonomy(db: Database) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for cat in db.categories:
        if cat.slug in seen:
            yield error(display_path(db.data_dir / "categories.yaml"), f"category '{cat.slug}' is defined twice")
        seen.add(cat.slug)


def check_venue_table(db: Database) -> Iterator[Diagnostic]:
    path = display_path(db.data_dir / "venues.yaml")
    owner: dict[str, str] = {}
    for venue in db.venues:
        for name in (venue.name, venue.full, *venue.aliases):
            key = VenueTable.normalize(name)
            if key in owner and owner[key] != venue.name:
                yield error(path, f"'{name}' names both {owner[key]} and {venue.name}")
            owner.setdefault(key, venue.name)


def check_file_names(db: Database) -> Iterator[Diagnostic]:
    for record, path, loaded in db.files:
        if path.suffix != SUFFIX:
            yield _error(path, loaded, ("id",), f"record files end in {SUFFIX}; rename to {record.id}{SUFFIX}")
        elif path.stem != record.id:
            also = f" or set id: {path.stem}" if valid_id(path.stem) else ""
            yield _error(
                path,
                loaded,
                ("id",),
                f"id '{record.id}' must match the file name; rename the file to {record.id}{SUFFIX}{also}",
            )


def check_former_ids(db: Database) -> Iterator[Diagnostic]:
    """A former id redirects to one record: it is no record's id now, and no other record's former id."""
    current = db.by_id()
    claimed: dict[str, str] = {}
    for record, path, loaded in db.files:
        for i, old in enumerate(record.former_ids):
            if old in current:
                yield _error(path, loaded, ("former_ids", i), f"former_ids: '{old}' is the id of a record now")
            elif claimed.setdefault(old, record.id) != record.id:
                yield _error(
                    path, loaded, ("former_ids", i), f"former_ids: '{old}' is also a former id of {claimed[old]}"
                )


def check_unique_ids(db: Database) -> Iterator[Diagnostic]:
    first: dict[str, Path] = {}
    for record, path, _ in db.files:
        key = record.id.casefold()
        if key in first:
            yield error(
                display_path(path),
                f"id '{record.id}' is already used by {display_path(first[key])}; ids are unique (ignoring case)",
                1,
                1,
            )
        else:
            first[key] = path


def check_categories(db: Database) -> Iterator[Diagnostic]:
    known = [c.slug for c in db.categories]
    if not known:
        return
    for record, path, loaded in db.files:
        for i, slug in enumerate(record.categories):
            if slug not in known:
                hint = difflib.get_close_matches(slug, known, n=1)
                extra = f"; did you mean '{hint[0]}'?" if hint else " (see data/categories.yaml)"
                yield _error(path, loaded, ("categories", i), f"categories: unknown category '{slug}'{extra}")


def check_venues(db: Database) -> Iterator[Diagnostic]:
    if not db.venues:
        return
    table = VenueTable(db.venues)
    for record, path, loaded in db.files:
        if record.venue is None or record.venue in table.names:
            continue
        match = table.match(record.venue)
        hint = f"; write '{match.venue.name}'" if match else "; add it to data/venues.yaml or use a listed name"
        yield _error(path, loaded, ("venue",), f"venue: '{record.venue}' is not a canonical venue{hint}")


def broken_ids(db: Database) -> set[str]:
    """Ids that name a record file with an error of its own: one that did not load, or whose id is not its
    name. A reference to one is not reported as well: fixing that file may be all it takes."""
    found = {path.stem for path in db.failed}
    found.update(path.stem for record, path, _ in db.files if path.stem != record.id)
    return found - db.by_id().keys()


def check_relations(db: Database) -> Iterator[Diagnostic]:
    by_id = db.by_id()
    broken = broken_ids(db)
    for record, path, loaded in db.files:
        for i, rel in enumerate(record.related):
            other = by_id.get(rel.id)
            if other is None:
                if rel.id not in broken:
                    yield _error(path, loaded, ("related", i, "id"), f"related: no record has id '{rel.id}'")
            elif not any(r.id == record.id and r.rel == INVERSE[rel.rel] for r in other.related):
                yield _error(
                    path,
                    loaded,
                    ("related", i),
                    f"related: '{rel.id}' does not link back (it should list id: {record.id}, rel: {INVERSE[rel.rel]})",
                    True,
                )
        for i, other_id in enumerate(record.not_duplicates):
            if other_id not in by_id and other_id not in broken:
                yield _error(path, loaded, ("not_duplicates", i), f"not_duplicates: no record has id '{other_id}'")


def check_completeness(db: Database) -> Iterator[Diagnostic]:
    """Warnings, not errors: a record that cannot be cited yet (no authors, no direct link, a missing id)."""
    dois = doi_venues(db.venues)
    for record, path, loaded in db.files:
        for gap in gaps(record, dois):
            if len(gap.loc) == 1:  # a top-level field: found without parsing the file again (see cache.py)
                yield warning(display_path(path), gap.message, *loaded.top_line(gap.loc[0]))
            else:
                yield _error(path, loaded, gap.loc, gap.message, True)


def check_lookalikes(db: Database) -> Iterator[Diagnostic]:
    """Warnings: words that mix Latin with Cyrillic or Greek letters, and internationalised host names, which
    can imitate a known title or site (``Аttention`` with a Cyrillic А, ``аrxiv.org``)."""
    for record, path, loaded in db.files:
        names = [record.title, record.short_name or "", *record.aliases, *record.authors]
        if all(n.isascii() for n in names) and not any("xn--" in u or not u.isascii() for u in record.links.urls()):
            continue  # the common case: nothing to look at closely
        texts = [("title", record.title), ("short_name", record.short_name or "")]
        texts += [(f"aliases.{i}", a) for i, a in enumerate(record.aliases)]
        texts += [(f"authors.{i}", a) for i, a in enumerate(record.authors)]
        for where, text in texts:
            if mixed := mixed_words(text):
                loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
                yield _error(path, loaded, loc, f"{where} mixes scripts in {describe(mixed)}: a look-alike?", True)
        for name in ("paper", "pdf", "code", "project"):
            url = getattr(record.links, name)
            if url and (host := idn_host(url)):
                message = f"links.{name}: the host {host!r} is an internationalised name; check it is the site meant"
                yield _error(path, loaded, ("links", name), message, True)
