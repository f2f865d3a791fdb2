"""URLs of importers: which are safe to keep, what each points to, the arXiv id or DOI they name, and
the key under which two spellings of one URL meet. Pure, no IO.

    >>> arxiv_id("https://arxiv.org/pdf/2309.06180v2.pdf"), classify_url("https://github.com/vllm-project/vllm")
    ('2309.06180', 'code')
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from ..db.fields import check_url
from ..db.models import ARXIV_RE

_ARXIV_URL = re.compile(
    r"^(?i:https?://(?:[\w-]+\.)*arxiv\.org)/(?:abs|pdf|html|format|ps)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$"
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PATHS = {
    "doi.org": r"/(.+)",
    "dx.doi.org": r"/(.+)",
    "dl.acm.org": r"/doi/(?:abs/|pdf/|full/|fullHtml/|epdf/|book/)?(10\..+)",
    "link.springer.com": r"/(?:article|chapter|content/pdf)/(10\..+?)(?:\.pdf)?",
    "onlinelibrary.wiley.com": r"/doi/(?:abs/|full/|pdf/|epdf/)?(10\..+)",
    "journals.plos.org": r".*",
}


def arxiv_id(url: str | None) -> str | None:
    """The arXiv id, without version, of any arXiv abstract/PDF URL; ``None`` for anything else.

    >>> arxiv_id("http://export.arxiv.org/abs/2308.14352v1"), arxiv_id("https://browse.arxiv.org/pdf/2306.00978.pdf")
    ('2308.14352', '2306.00978')
    >>> arxiv_id("https://arxiv.org/abs/cs/0112017v2"), arxiv_id("https://example.org/abs/2308.14352")
    ('cs/0112017', None)
    """
    m = _ARXIV_URL.match((url or "").strip())
    return m.group("id") if m else arxiv_of_doi(doi_from_url(url))


_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+?)(?:v\d+)?$", re.I)


def arxiv_of_doi(doi: str | None) -> str | None:
    """The arXiv id that an arXiv DOI (``10.48550/arXiv.<id>``, DataCite's) names; ``None`` for any other DOI.

    >>> arxiv_of_doi("10.48550/arXiv.2309.06180"), arxiv_of_doi("10.48550/ARXIV.CS/0112017"), arxiv_of_doi("10.1145/1")
    ('2309.06180', 'cs/0112017', None)
    """
    m = _ARXIV_DOI.match((doi or "").strip())
    if not m:
        return None
    found = m.group("id")
    found = found if "/" not in found else found.split("/")[0].lower() + "/" + found.split("/")[1]
    return found if ARXIV_RE.match(found) else None


def doi_from_url(url: str | None) -> str | None:
    """The DOI a resolver or publisher URL names (``doi.org``, ``dl.acm.org/doi/...``, Springer, Wiley).

    >>> doi_from_url("https://dl.acm.org/doi/pdf/10.1145/3600006.3613165"), doi_from_url("https://doi.org/10.5555%2F1")
    ('10.1145/3600006.3613165', '10.5555/1')
    >>> doi_from_url("https://www.usenix.org/conference/osdi22/presentation/yu")
    """
    parts = urlsplit((url or "").strip())
    host = parts.netloc.lower().removeprefix("www.")
    pattern = _DOI_PATHS.get(host)
    if parts.scheme not in ("http", "https") or not pattern or host == "journals.plos.org":
        return None
    m = re.fullmatch(pattern, unquote(parts.path).rstrip("/"))
    doi = m.group(1) if m else None
    return doi if doi and _DOI.match(doi) else None


_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_PROJECT_HOSTS = ("huggingface.co", "github.io", "readthedocs.io", "readthedocs.org")


def classify_url(url: str) -> str:
    """What a link points to: ``arxiv``, ``doi``, ``code`` (a repository on GitHub, GitLab, Bitbucket,
    Codeberg), ``project`` (Hugging Face, ``*.github.io``, Read the Docs), ``pdf`` (a ``.pdf`` file) or
    ``paper`` (any other page).

    >>> [classify_url(u) for u in ("https://arxiv.org/abs/1706.03762", "https://doi.org/10.1145/1.2",
    ...  "https://gitlab.com/a/b", "https://huggingface.co/Deci/DeciLM-6b", "https://x.org/osdi22-yu.pdf",
    ...  "https://nvidia.github.io/TensorRT-LLM/", "https://www.usenix.org/conference/osdi22")]
    ['arxiv', 'doi', 'code', 'project', 'pdf', 'project', 'paper']
    """
    if arxiv_id(url):
        return "arxiv"
    if doi_from_url(url):
        return "doi"
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    if parts.path.lower().endswith(".pdf"):
        return "pdf"
    if host in _CODE_HOSTS and parts.path.strip("/"):
        return "code"
    if any(host == h or host.endswith("." + h) for h in _PROJECT_HOSTS):
        return "project"
    return "paper"


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute ``http(s)`` URL (surrounding spaces and ``<>`` removed), else ``None``.

    >>> safe_url(" <https://arxiv.org/abs/1706.03762> "), safe_url("javascript:alert(1)"), safe_url("#paperlist")
    ('https://arxiv.org/abs/1706.03762', None, None)
    """
    u = (url or "").strip().removeprefix("<").removesuffix(">").strip()
    if not u or len(u) > 2000 or any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not u.lower().startswith(("http://", "https://")):
        return None
    try:
        return check_url(u)  # what a record accepts: no credentials, a valid public host and port
    except ValueError:
        return None


def normalize_url(url: str) -> str:
    """A URL as a comparison key: no scheme, ``www.``, fragment, trailing slash, ``.git`` or ``.pdf``; a
    repository's default-branch page (``/tree/main``, ``/tree/master``) is the repository.

    >>> normalize_url("https://www.GitHub.com/vllm-project/vllm.git/"), normalize_url("http://x.org/a.pdf#page=2")
    ('github.com/vllm-project/vllm', 'x.org/a')
    >>> normalize_url("https://github.com/sgl-project/sglang/tree/main")
    'github.com/sgl-project/sglang'
    """
    url = url.strip().lower().split("#", 1)[0]
    for prefix in ("https://", "http://"):
        url = url.removeprefix(prefix)
    url = url.removeprefix("www.").rstrip("/")
    url = _BRANCH_PAGE.sub(r"\1", url)
    return url.removesuffix(".git").removesuffix(".pdf")


_BRANCH_PAGE = re.compile(r"^((?:github\.com|gitlab\.com)/[^/]+/[^/]+)(?:/-)?/tree/(?:main|master)$")


_STANDARD_TITLE = re.compile(
    r"\b(?:IEEE Standard for|ISO/IEC \d|RFC \d{3,5}\b|Specification\b|Spec v?\d)|\bStandard$", re.IGNORECASE
)
_STANDARD_HOSTS = ("standards.ieee.org", "iso.org", "rfc-editor.org", "datatracker.ietf.org", "opencompute.org")


def is_standard(title: str, url: str | None = None) -> bool:
    """Whether a work is a standard or a specification (IEEE 754, OCP's MX formats, an RFC): a document, not a
    paper.

    >>> is_standard("IEEE Standard for Floating-Point Arithmetic")
    True
    >>> is_standard("OCP Microscaling Formats (MX) v1.0", "https://www.opencompute.org/documents/mx.pdf")
    True
    >>> is_standard("FP8 Formats for Deep Learning", "https://arxiv.org/abs/2209.05433")
    False
    """
    host = urlsplit(url.strip()).netloc.lower().removeprefix("www.") if url else ""
    return bool(_STANDARD_TITLE.search(title)) or any(host == h or host.endswith("." + h) for h in _STANDARD_HOSTS)
