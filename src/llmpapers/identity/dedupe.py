"""Likely duplicates among records already in ``data/``, and merging two records on request. Pure.

Pairs come from shared identifiers (arXiv id, DOI, paper URL), shared title keys, and fuzzy title
matches. Up to ``EXHAUSTIVE`` records every pair of titles is scored (rapidfuzz ``cdist``); above it,
candidate pairs come from sorted neighbourhoods over several orderings of the title keys, so that
time and memory stay linear. The same guards as imports apply, and ``not_duplicates`` is honoured.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..db.models import Record
from ..db.venues import VenueTable
from ..progress import progress
from .rules import (
    NEAR,
    Work,
    better_name,
    better_title,
    better_venue,
    exact_verdict,
    fuzzy_verdict,
    kept_apart,
    merge_links,
    new_aliases,
    normalize_url,
    record_keys,
    revise,
    titles_agree,
)
from .titles import compact, title_variants

EXHAUSTIVE = 3000
WINDOW = 20  # keys scored after each key, in each ordering
ORDERINGS = ("key", "revchars", "drop2", "rare")  # see _orderings; measured in benchmarks/RESULTS.md


@dataclass(frozen=True, order=True)
class Pair:
    a: str
    b: str
    score: float
    reason: str
    merge: bool  # True when the pair passes every guard and scores at least THRESHOLD


def guard(
    a: Record, b: Record, score: float = 100.0, key_a: str = "", key_b: str = "", exact: str = "", ids: bool = False
) -> str | None:
    """None when ``a`` and ``b`` may be one work; else why they are kept apart (the rules of
    :mod:`llmpapers.identity.rules`, and the pairs a curator declared ``not_duplicates``). ``key_a``/``key_b``:
    a fuzzy pair on those keys; ``exact``: the title key both share; ``ids``: joined by an identifier."""
    if b.id in a.not_duplicates or a.id in b.not_duplicates:
        return "declared not duplicates"
    wa, wb = Work.of_record(a), Work.of_record(b)
    if key_a:
        return fuzzy_verdict(wa, wb, score, key_a, key_b)
    if exact:
        return exact_verdict(wa, wb, exact)
    if ids and not titles_agree(record_keys(a), record_keys(b), wa.names, wb.names, a.authors, b.authors):
        return "the titles share almost nothing: check the identifier"
    return kept_apart(wa, wb)


def _keys(records: list[Record]) -> tuple[list[str], list[int]]:
    keys, owner = [], []
    for i, r in enumerate(progress(records, len(records), "dedupe: title keys")):
        for key in dict.fromkeys([*title_variants(r.title), *(k for a in r.aliases for k in title_variants(a))]):
            keys.append(key)
            owner.append(i)
    return keys, owner


def _orderings(keys: list[str]) -> dict[str, list[str]]:
    """A sort key for every key under each of ``ORDERINGS``: each brings titles together that are alike in
    another way, so that a pair missed by one (a difference near its start) is met in another.
    """
    words = [k.split(" ") for k in keys]
    df: Counter[str] = Counter()
    for w in words:
        df.update(set(w))
    rank = {w: r for r, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}  # rarest first
    makers = {
        "key": lambda: keys,  # the same start
        "revchars": lambda: [k.replace(" ", "")[::-1] for k in keys],  # the same end, spaces or not
        "drop2": lambda: [" ".join(w[2:]) for w in words],  # the same text after a different start
        "rare": lambda: [" ".join(sorted(w, key=rank.__getitem__)) for w in words],  # the same rare words
        "rot23": lambda: [" ".join(w[2 * len(w) // 3 :] + w[: 2 * len(w) // 3]) for w in words],  # the last third
        "revwords": lambda: [" ".join(reversed(w)) for w in words],
        "bylen": lambda: [" ".join(sorted(w, key=len, reverse=True)) for w in words],
    }
    return {name: makers[name]() for name in ORDERINGS}


def _candidate_pairs(keys: list[str]) -> Iterator[tuple[int, int]]:
    """Pairs of keys (x < y) scoring NEAR or more: among all pairs when few, in sorted neighbourhoods when many.

    Above ``EXHAUSTIVE`` keys, each ordering in ``ORDERINGS`` sorts the keys, and each key is scored against
    the ``WINDOW`` keys after it in that order, in one rapidfuzz call (C speed, no pair made in Python
    unless it scores NEAR or more). Time and memory grow linearly with the number of keys.
    """
    n = len(keys)
    extract, ratio = process.extract, fuzz.ratio
    if n <= EXHAUSTIVE:  # every pair, each once: a key against the keys after it
        for i, key in enumerate(progress(keys, n, "dedupe: all pairs")):
            for _, _, k in extract(key, keys[i + 1 :], scorer=ratio, score_cutoff=NEAR, limit=None):
                yield i, i + 1 + k
        return
    for name, sort_keys in _orderings(keys).items():
        idx = sorted(range(n), key=sort_keys.__getitem__)
        ordered = [keys[i] for i in idx]
        for pos in progress(range(n - 1), n - 1, f"dedupe: neighbours by {name}"):
            near = extract(
                ordered[pos], ordered[pos + 1 : pos + 1 + WINDOW], scorer=ratio, score_cutoff=NEAR, limit=None
            )
            for _, _, k in near:
                x, y = idx[pos], idx[pos + 1 + k]
                yield (x, y) if x < y else (y, x)


def find_duplicates(records: list[Record]) -> list[Pair]:
    """Every likely duplicate pair, best first; ``merge`` says whether it passes threshold and guards."""
    records = sorted(records, key=lambda r: r.id)
    found: dict[tuple[str, str], Pair] = {}

    def add(i: int, j: int, score: float, reason: str, key_a: str = "", key_b: str = "", **how) -> None:
        a, b = records[i], records[j]
        if a.id == b.id:
            return
        if a.id > b.id:
            a, b = b, a
            key_a, key_b = key_b, key_a
        why = guard(a, b, score, key_a, key_b, **how)
        pair = Pair(a.id, b.id, round(score, 1), why and f"{reason}; kept apart: {why}" or reason, why is None)
        old = found.get((a.id, b.id))
        if old is None or (pair.merge, pair.score) > (old.merge, old.score):
            found[(a.id, b.id)] = pair

    for attr in ("arxiv", "doi"):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(records):
            value = getattr(r.links, attr)
            if value:
                groups[value.lower()].append(i)
        for value, members in groups.items():
            for j in members[1:]:
                add(members[0], j, 100.0, f"same {attr} {value}", ids=True)
    urls: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for url in filter(None, (r.links.paper, r.links.pdf)):
            urls[normalize_url(url)].append(i)
    for members in urls.values():
        members = sorted(set(members))
        if len(members) > 2:  # a landing page several records share is no one's identity
            continue
        for j in members[1:]:
            add(members[0], j, 100.0, "same paper URL", ids=True)

    keys, owner = _keys(records)
    by_compact: dict[str, list[int]] = defaultdict(list)
    key_of: dict[str, str] = {}
    for k, i in zip(keys, owner, strict=True):
        by_compact[compact(k)].append(i)
        key_of.setdefault(compact(k), k)
    for ck, members in by_compact.items():
        for j in sorted(set(members))[1:]:
            add(min(members), j, 100.0, "same title", exact=key_of[ck])
    seen: set[tuple[int, int]] = set()
    for x, y in _candidate_pairs(keys):
        i, j = owner[x], owner[y]
        if i == j or (min(i, j), max(i, j), x, y) in seen:
            continue
        seen.add((min(i, j), max(i, j), x, y))
        score = fuzz.ratio(keys[x], keys[y])
        if score >= NEAR:
            add(i, j, score, f"similar title ({score:.1f})", keys[x], keys[y])
    return sorted(found.values(), key=lambda p: (not p.merge, -p.score, p.a, p.b))


def merge_records(keep: Record, drop: Record, table: VenueTable) -> Record:
    """One record holding everything both had; ``keep``'s id, type and primary category win."""
    title = better_title(keep.title, drop.title)
    venue, year = better_venue(keep.venue, keep.year, drop.venue, drop.year, table)
    related = {(r.id, r.rel): r for r in [*keep.related, *drop.related] if r.id not in (keep.id, drop.id)}
    return revise(
        keep,
        title=title,
        aliases=new_aliases(
            title, [a for a in keep.aliases if a != title], record_keys(keep), [*drop.aliases, drop.title]
        ),
        short_name=better_name(keep.short_name, drop.short_name, title),
        authors=keep.authors or drop.authors,
        venue=venue,
        year=year,
        links=merge_links(keep.links, drop.links)[0],
        categories=list(dict.fromkeys([*keep.categories, *drop.categories])),
        related=list(related.values()),
        not_duplicates=sorted(set(keep.not_duplicates) | set(drop.not_duplicates) - {keep.id, drop.id}),
        sources=[*keep.sources, *(s for s in drop.sources if s not in keep.sources)],
        added=min(keep.added, drop.added),
    )


def repoint(record: Record, old: str, new: str) -> Record:
    """``record`` with references to ``old`` (related, not_duplicates) pointing at ``new`` instead."""
    if not any(r.id == old for r in record.related) and old not in record.not_duplicates:
        return record
    related = {}
    for r in record.related:
        target = new if r.id == old else r.id
        if target != record.id:
            related.setdefault((target, r.rel), {"id": target, "rel": r.rel})
    nd = [new if x == old else x for x in record.not_duplicates]
    return revise(
        record, related=list(related.values()), not_duplicates=[x for x in dict.fromkeys(nd) if x != record.id]
    )
