"""What one field value may be: ids, text, URLs, arXiv ids, DOIs, pages, dates. No IO; used by :mod:`.models`."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})$")
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s]+$")
# 117-130, 1:1-1:25 (article-numbered journals), e1021, S12-S20
PAGES_RE = re.compile(r"^[A-Za-z]?\d+(?::\d+)?(?:-[A-Za-z]?\d+(?::\d+)?)?$")
MIN_YEAR = 1940
MAX_TEXT = 1000

# Characters that change how text is displayed without being seen: bidirectional overrides and
# isolates, zero-width characters, and C0/C1 controls. A title never needs them.
_INVISIBLE = {
    **{chr(c): "a bidirectional control character" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark",
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
}
# Everything a text field refuses, found in one search: the invisible characters above, line breaks (also
# U+2028 and U+2029), controls, and what XML 1.0 forbids (the feed and the sitemap are XML): lone
# surrogates and the noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane.
_FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef"
    + "".join(_INVISIBLE)
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)


def _forbidden(ch: str) -> str:
    """Why a text field refuses ``ch``."""
    if ch in _INVISIBLE:
        return f"contains {_INVISIBLE[ch]} (U+{ord(ch):04X}), which is invisible on the page"
    if ch in "\n\r\t\u2028\u2029":
        return "must be one line (no line breaks or tabs)"
    if unicodedata.category(ch) == "Cc":
        return f"contains a control character (U+{ord(ch):04X})"
    return f"contains U+{ord(ch):04X}, which is not a character (XML and the feed refuse it)"


def clean_text(value: str) -> str:
    if bad := _FORBIDDEN.search(value):
        raise ValueError(_forbidden(bad.group()))
    if value != value.strip():
        raise ValueError("has spaces at the start or end")
    if not value:
        raise ValueError("must not be empty")
    return value


def clean_listed(value: str) -> str:
    """A listing as written: spaces and all, but nothing a text field refuses."""
    if bad := _FORBIDDEN.search(value):
        raise ValueError(_forbidden(bad.group()))
    return value


def visible_text(value: str) -> str:
    r"""``value`` as a text field accepts it: what cannot be shown dropped, line breaks as spaces, trimmed.

    >>> visible_text("Deja\u200b Vu\n at scale\ufffe ")
    'Deja Vu  at scale'
    """
    return _FORBIDDEN.sub(lambda m: " " if m.group() in "\n\r\t\u2028\u2029" else "", value).strip()


_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".lan")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


_WHITESPACE = re.compile(r"\s")


def check_url(value: str) -> str:
    if _WHITESPACE.search(value):
        raise ValueError(f"URL must not contain spaces: {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        shown = parts.scheme + ":" if parts.scheme else "a relative URL"
        raise ValueError(f"URL must start with http:// or https://, not {shown} ({value!r})")
    if not parts.netloc or parts.netloc.startswith((".", "-")):
        raise ValueError(f"URL has no host: {value!r}")
    clean_text(value)
    if "@" in parts.netloc:  # https://arxiv.org@evil.com/ goes to evil.com
        raise ValueError(f"URL must not carry a user name or password (the part before '@'): {value!r}")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number from 0 to 65535)
    except ValueError:
        raise ValueError(f"URL has an invalid port: {value!r}") from None
    if parts.netloc.endswith(":"):
        raise ValueError(f"URL has an empty port: {value!r}")
    if why := host_problem(parts.hostname or ""):
        raise ValueError(f"URL {why}: {value!r}")
    return value


@lru_cache(maxsize=4096)  # a database names a few hundred hosts many times over (arxiv.org, github.com)
def host_problem(host: str) -> str | None:
    """Why a URL's host cannot be a public web site, or ``None``: no host, a malformed name, or an address
    only one machine or network can reach (``localhost``, ``127.0.0.1``, ``10.0.0.1``, ``[::1]``).

    >>> host_problem("arxiv.org"), host_problem("a..b"), host_problem("127.0.0.1")
    (None, "has an invalid host name 'a..b'", 'points to a local or private address (127.0.0.1)')
    """
    if not host:
        return "has no host"
    try:  # only what can be an address is parsed as one
        ip = ipaddress.ip_address(host) if host[0].isdigit() or ":" in host else None
    except ValueError:
        ip = None
    if ip is not None:
        if not ip.is_global:
            return f"points to a local or private address ({host})"
        return None
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return f"points to a local or private address ({host})"
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has an invalid host name {host!r}"
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"has an invalid host name {host!r}"
    if labels[-1].isdigit():
        return f"has an invalid host name {host!r}"
    return None


def idn_host(url: str) -> str | None:
    """The host of ``url`` when it is an internationalised name (``xn--…`` or non-ASCII letters), which can
    imitate a known site; else ``None``."""
    if url.isascii() and "xn--" not in url:
        return None  # the common case, without parsing the URL
    host = urlsplit(url).hostname or ""
    if not host.isascii() or any(label.startswith("xn--") for label in host.split(".")):
        return host
    return None


def _check_arxiv(value: str) -> str:
    if not ARXIV_RE.match(value):
        raise ValueError(f"arXiv id must look like 2309.06180 (no version, no URL) or cs/0112017, not {value!r}")
    return value


def _check_doi(value: str) -> str:
    clean_text(value)
    if not DOI_RE.match(value):
        raise ValueError(f"DOI must look like 10.1145/3600006.3613165 (no https://doi.org/), not {value!r}")
    return value


def page_range(text: str) -> str | None:
    """Pages as records write them (one ASCII hyphen), from how sources write them (``611--626``,
    ``641–649``, ``1 - 10``); ``None`` for what is not a page range.

    >>> page_range("611--626"), page_range("641–649"), page_range("1226-1235; 1403-1412")
    ('611-626', '641-649', None)
    """
    value = re.sub(r"\s*(?:-{1,3}|\u2013|\u2014)\s*", "-", text.strip())
    return value if value and PAGES_RE.match(value) else None


def _check_pages(value: str) -> str:
    if not PAGES_RE.match(value):
        raise ValueError(f"pages must look like 117-130 or 1:1-1:25 (one ASCII hyphen), not {value!r}")
    return value


# Names Windows reserves for devices: a file con.yaml cannot be checked out there.
_RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))]
)


def latest_today() -> dt.date:
    """Today's date where it is latest (UTC+14): a record added today anywhere is not in the future."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()


def valid_id(value: str) -> bool:
    """Whether ``value`` can be a record id (and a file name on every system)."""
    return bool(ID_RE.match(value)) and len(value) <= 80 and value not in _RESERVED_IDS


def _check_id(value: str) -> str:
    if value in _RESERVED_IDS:
        raise ValueError(f"id {value!r} is a device name on Windows, where {value}.yaml cannot exist; add a word")
    if not valid_id(value):
        raise ValueError(
            f"id must be lowercase letters, digits and single hyphens (like flashattention-2), not {value!r}"
        )
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(clean_text)]
Url = Annotated[str, Field(max_length=2000), AfterValidator(check_url)]
ArxivId = Annotated[str, AfterValidator(_check_arxiv)]
Doi = Annotated[str, Field(max_length=300), AfterValidator(_check_doi)]
RecordId = Annotated[str, AfterValidator(_check_id)]
Pages = Annotated[str, Field(max_length=40), AfterValidator(_check_pages)]
Short = Annotated[str, Field(max_length=40), AfterValidator(clean_text)]
Slug = Annotated[str, AfterValidator(_check_id)]
