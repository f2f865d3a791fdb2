"""Progress of long commands on a terminal; nothing at all when stderr is not a terminal (CI, pipes, tests).

    for path in progress(paths, len(paths), "load"):
        ...

draws ``load  12,000/50,000  24%`` on one line of stderr, at most ten times a second, and clears it
at the end. When stderr is not a TTY (or ``total`` is small) the iterable is returned unchanged, so a
quiet run pays nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

MIN_TOTAL = 2000  # below this a command is quick and a progress line would only flicker
INTERVAL = 0.1  # seconds between redraws
CHECK_EVERY = 256  # items between looks at the clock


def enabled(stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def progress(
    iterable: Iterable[T],
    total: int | None = None,
    label: str = "",
    stream: TextIO | None = None,
    slow: bool = False,
) -> Iterable[T]:
    """``iterable``, reporting progress on ``stream`` (stderr) when it is a terminal. ``slow``: each item
    takes long (a network request), so report from the first item, whatever the total."""
    stream = stream if stream is not None else sys.stderr
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = 0
    if not enabled(stream) or (total or 0) < (1 if slow else MIN_TOTAL):
        return iterable
    return _report(iterable, total or 0, label, stream, 1 if slow else CHECK_EVERY)


def _report(iterable: Iterable[T], total: int, label: str, stream: TextIO, every: int) -> Iterator[T]:
    last = time.monotonic()
    done = 0
    drawn = False
    try:
        for done, item in enumerate(iterable, 1):
            yield item
            if done % every == 0 and (now := time.monotonic()) - last >= INTERVAL:
                last = now
                stream.write(f"\r{label}  {done:,}/{total:,}  {100 * done // max(total, 1)}%")
                stream.flush()
                drawn = True
    finally:
        if drawn:
            stream.write("\r\033[K")
            stream.flush()
