"""The one HTTP client of llmpapers: polite, bounded and cached. The network edge of ``resolve`` and ``check``.

- an identifying User-Agent (with a ``mailto`` when one is given: Crossref's polite pool asks for it);
- timeouts on every request, and a cap on the size of a body (a huge answer is an error, not a hang);
- per-host spacing between requests (arXiv asks for one every three seconds);
- retries with exponential backoff on 429, 502, 503 and 504 and on connection errors, honouring
  ``Retry-After`` (in seconds or as an HTTP date) up to a limit; past it, the reply is returned as it is
  (a link that stays rate-limited is reported so, never waited on for an hour);
- a budget: at most so many requests per run, after which :class:`BudgetSpent` is raised;
- an on-disk cache of definitive answers (200, 404, 410) for a week, so a rerun costs little.

httpx is imported when a client is made, never when the package is imported.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from .. import __version__
from ..errors import LlmpapersError

RETRY_STATUSES = frozenset({429, 502, 503, 504})
CACHED_STATUSES = frozenset({200, 404, 410})
# seconds between two requests to one host; arXiv's API terms ask for three
INTERVALS = {"export.arxiv.org": 3.0, "api.crossref.org": 1.0, "dblp.org": 1.0, "api.semanticscholar.org": 1.0}
PROJECT_URL = "https://github.com/llmpapers/llmpapers"


class NetworkError(LlmpapersError):
    """A host could not be reached at all (no network, DNS failure, refused, timed out after retries)."""


class BudgetSpent(LlmpapersError):
    """The run has made as many requests as it may."""


@dataclass(frozen=True)
class Reply:
    url: str  # the final address, after redirects
    status: int
    headers: Mapping[str, str]
    text: str
    redirects: tuple[tuple[int, str], ...] = ()  # each hop: its status and the address it left
    cached: bool = False
    problem: str = ""  # what went wrong without an HTTP status (a redirect loop); status is then 0

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Policy:
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0  # first wait; doubled each retry
    max_wait: float = 60.0  # the longest Retry-After honoured
    max_bytes: int = 5 * 1024 * 1024
    budget: int | None = None  # requests per run
    intervals: dict[str, float] = field(default_factory=lambda: dict(INTERVALS))
    default_interval: float = 0.5
    cache_days: float = 7.0


class Client:
    """``get`` and ``head`` with the rules above. ``proxy`` (else the usual ``HTTP(S)_PROXY`` variables),
    ``transport``, ``sleep`` and ``clock`` are for unusual networks and for tests."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        policy: Policy | None = None,
        mailto: str | None = None,
        transport: Any = None,
        proxy: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import httpx

        self.policy = policy or Policy()
        self.cache_dir = cache_dir
        self.sleep, self.clock = sleep, clock
        contact = f"; mailto:{mailto}" if mailto else ""
        self.user_agent = f"llmpapers/{__version__} (+{PROJECT_URL}{contact})"
        self.requests = 0  # sent over the network this run
        self.waited = 0.0  # seconds spent in spacing and Retry-After waits
        self._last: dict[str, float] = {}
        self._http = httpx.Client(
            timeout=self.policy.timeout,
            follow_redirects=True,
            max_redirects=10,
            headers={"User-Agent": self.user_agent},
            transport=transport,
            proxy=proxy,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: Mapping[str, str] | None = None, cache: bool = True) -> Reply:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        return self._request("GET", url, cache)

    def head(self, url: str) -> Reply:
        """A link's status without its body: HEAD, or a one-byte GET where a server refuses HEAD."""
        reply = self._request("HEAD", url, cache=False)
        if reply.status in (403, 405, 501):
            reply = self._request("GET", url, cache=False, headers={"Range": "bytes=0-0"})
        return reply

    # ------------------------------------------------------------------------------------------ internals

    def _request(self, method: str, url: str, cache: bool, headers: Mapping[str, str] | None = None) -> Reply:
        import httpx

        if cache and (hit := self._cached(method, url)):
            return hit
        attempt = 0
        while True:
            if self.policy.budget is not None and self.requests >= self.policy.budget:
                raise BudgetSpent(f"stopped after {self.requests} requests (the budget of this run)")
            self._space(url)
            self.requests += 1
            try:
                reply = self._send(method, url, headers or {})
            except (httpx.TransportError, httpx.TooManyRedirects) as exc:
                if isinstance(exc, httpx.TooManyRedirects):
                    return Reply(url, 0, {}, "", problem="more than 10 redirects (a loop?)")
                if attempt >= self.policy.retries:
                    raise NetworkError(f"cannot reach {urlsplit(url).netloc}: {_reason(exc)}") from None
                self._wait(self.policy.backoff * 2**attempt)
                attempt += 1
                continue
            if reply.status in RETRY_STATUSES and attempt < self.policy.retries:
                wait = retry_after(reply.headers.get("retry-after"), self.policy.backoff * 2**attempt)
                if wait <= self.policy.max_wait:
                    self._wait(wait)
                    attempt += 1
                    continue
            if cache and reply.status in CACHED_STATUSES:
                self._store(method, url, reply)
            return reply

    def _send(self, method: str, url: str, headers: Mapping[str, str]) -> Reply:
        with self._http.stream(method, url, headers=headers) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.policy.max_bytes:
                    raise LlmpapersError(
                        f"{url}: the answer is over {self.policy.max_bytes // (1024 * 1024)} MB; not read"
                    )
            hops = tuple((r.status_code, str(r.url)) for r in response.history)
            text = body.decode(response.encoding or "utf-8", errors="replace")
            return Reply(str(response.url), response.status_code, dict(response.headers), text, hops)

    def _space(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
            return  # a local mirror or test server: spacing is politeness towards public hosts
        interval = self.policy.intervals.get(host, self.policy.default_interval)
        if host in self._last:
            self._wait(self._last[host] + interval - self.clock())
        self._last[host] = self.clock()

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)

    def _path(self, method: str, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(f"{method} {url}".encode()).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _cached(self, method: str, url: str) -> Reply | None:
        path = self._path(method, url)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if time.time() - data["time"] > self.policy.cache_days * 86400:
                return None
            hops = tuple((int(s), str(u)) for s, u in data["redirects"])
            return Reply(data["url"], int(data["status"]), data["headers"], data["text"], hops, cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is asked again

    def _store(self, method: str, url: str, reply: Reply) -> None:
        path = self._path(method, url)
        if path is None:
            return
        keep = {k: v for k, v in reply.headers.items() if k.lower() in ("content-type", "location")}
        data = {"time": time.time(), "url": reply.url, "status": reply.status, "headers": keep}
        data |= {"text": reply.text, "redirects": list(reply.redirects)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs a request next time


def retry_after(value: str | None, default: float) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); ``default`` without one.

    >>> retry_after("7", 1.0), retry_after(None, 2.0), retry_after("soon", 3.0)
    (7.0, 2.0, 3.0)
    """
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: Exception) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect (offline, or the host does not exist)"
    return type(exc).__name__
