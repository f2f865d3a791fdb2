r"""Pure text helpers for importers: repair, de-LaTeX, case, split names and tags, read URLs. No IO.

    >>> clean_title("$\\{$PetS$\\}$: A Unified Framework")
    'PetS: A Unified Framework'
    >>> split_tag("[Continuous Batching] Orca: A Distributed Serving System")
    ('Continuous Batching', 'Orca: A Distributed Serving System')
    >>> split_name("Orca: A Distributed Serving System")
    ('Orca', 'A Distributed Serving System')
    >>> arxiv_id("https://arxiv.org/pdf/2309.06180v2.pdf"), classify_url("https://github.com/vllm-project/vllm")
    ('2309.06180', 'code')

Subscripts and superscripts become Unicode (``H $ \_2 $ O`` -> ``H₂O``, ``S$^3$`` -> ``S³``): that is how
the works write their names, and NFKC folds them back to ``H2O``/``S3`` for matching.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

import ftfy

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=True)
# UTF-8 emoji read as Mac Roman with the lead byte 0xF0 lost: ``üëç`` is F0 9F 91 8D without the F0.
_MACROMAN_CONT = bytes(range(0x80, 0xC0)).decode("mac_roman")
_LOST_EMOJI = re.compile(f"ü[{re.escape(_MACROMAN_CONT)}]{{2}}")


def _emoji(m: re.Match[str]) -> str:
    try:
        char = (b"\xf0\x9f" + m.group(0)[1:].encode("mac_roman")).decode("utf-8")
    except UnicodeError:  # pragma: no cover - every continuation pair decodes
        return m.group(0)
    return char if 0x1F000 <= ord(char) <= 0x1FAFF else m.group(0)


def repair_text(s: str) -> str:
    """Fix mis-decoded text, drop invisible and control characters, collapse whitespace.

    >>> repair_text("Who Says Elephants Can‚Äôt  Run ")
    'Who Says Elephants Can’t Run'
    >>> repair_text("üëç"), repair_text("¬©Ô∏èLicense"), repair_text("Mélange")
    ('👍', '©️License', 'Mélange')
    """
    s = ftfy.fix_text(_LOST_EMOJI.sub(_emoji, s), _FTFY)
    s = "".join(" " if ch.isspace() else ch for ch in s if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\n")
    return " ".join(s.split())


_SUP = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_COMMANDS = {
    **dict(zip("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon "
               "phi chi psi omega".split(), "αβγδεζηθικλμνξπρστυφχψω", strict=True)),
    **dict(zip("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(), "ΓΔΘΛΞΠΣΥΦΨΩ", strict=True)),
    "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "infty": "∞", "to": "→",
    "rightarrow": "→", "approx": "≈", "pm": "±", "sim": "~", "ldots": "…", "dots": "…", "%": "%", "&": "&",
    "_": "_", "#": "#", "{": "", "}": "", ",": " ", " ": " ",
}  # fmt: skip
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "c": "\u0327"}
_SCRIPT = r"\{?\s*([0-9a-z+\-=()]+?)\s*\}?"


def _math(content: str) -> str:
    content = re.sub(r"\\([A-Za-z]+|[%&_#{}, ])", lambda m: _COMMANDS.get(m.group(1), m.group(1)), content)
    content = re.sub(r"\^" + _SCRIPT + r"(?=\W|$)", lambda m: m.group(1).translate(_SUP), content)
    content = re.sub(r"_" + _SCRIPT + r"(?=\W|$)", lambda m: m.group(1).translate(_SUB), content)
    return content.replace("{", "").replace("}", "").strip()


def strip_latex(s: str) -> str:
    r"""Remove LaTeX/BibTeX residue for display; text without residue comes back unchanged.

    >>> strip_latex("$\\{$PetS$\\}$: A Unified Framework for $\\{$Parameter-Efficient$\\}$ Transformers Serving")
    'PetS: A Unified Framework for Parameter-Efficient Transformers Serving'
    >>> strip_latex("S$^3$: Increasing"), strip_latex("H $ \\_2 $ O: Heavy-Hitter"), strip_latex("O($n^2$) Memory")
    ('S³: Increasing', 'H₂O: Heavy-Hitter', 'O(n²) Memory')
    >>> strip_latex("{vLLM} \\& Proc.~OSDI, pp. 1--10 -- done"), strip_latex("PanGu-$\\Sigma$")
    ('vLLM & Proc. OSDI, pp. 1–10 – done', 'PanGu-Σ')
    >>> strip_latex("~2x faster")
    '~2x faster'
    """
    if not re.search(r"[\\${}~]|--", s):
        return s
    s = s.replace("\\$", "\x00")  # a literal dollar is not math
    s = re.sub(r"\$\\\}\$\$\\\{\$", "$\\}$ $\\{$", s)  # {GPU-accelerated}{DNN}: two words
    s = re.sub(r",(?=\$\\\{\$)", ", ", s)
    s = re.sub(r"\s*\$\s*\\?_" + _SCRIPT + r"\s*\$\s*", lambda m: m.group(1).translate(_SUB), s)  # H $ \_2 $ O
    s = re.sub(r"\$([^$]*)\$", lambda m: _math(m.group(1)), s)
    s = re.sub(r"\\([`'^\"~c])\s*\{?([A-Za-z])\}?", lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), s)
    s = re.sub(r"\\(?:emph|textbf|textit|texttt|textrm|mathrm|text|em|bf|it)\b\s*", "", s)
    s = re.sub(r"\\([%&_#])", r"\1", s)
    s = s.replace("{", "").replace("}", "").replace("\x00", "$")
    s = re.sub(r"(?<=\S)~(?=\S)", " ", s)
    s = s.replace("---", "—")
    s = re.sub(r"(?<=\d)--(?=\d)|(?<= )--(?= )", "–", s)
    return " ".join(s.split())


_SMALL = set("a an and as at but by for from in into nor of on onto or per the to via vs with without".split())
_ACRONYMS = {
    a.upper(): a
    for a in (
        "AI ML NLP LLM LLMs GPU GPUs CPU CPUs TPU TPUs NPU FPGA FPGAs KV RNN RNNs CNN CNNs DNN DNNs API APIs SLO SLOs "
        "IO MoE GPT BERT LSTM SQL HPC MLP GQA MQA QAT PTQ LoRA RAG SOTA JIT CUDA RL HBM SRAM DRAM SSD LLaMA"
    ).split()
}


def display_case(title: str) -> str:
    """Title case for a SHOUTING title (most words in capitals); any other title comes back as it is.

    >>> display_case("EFFICIENT STREAMING LANGUAGE MODELS WITH ATTENTION SINKS")
    'Efficient Streaming Language Models with Attention Sinks'
    >>> display_case("SHEARED LLAMA: ACCELERATING LLMS VIA PRE-TRAINING"), display_case("FP8 FORMATS FOR DEEP LEARNING")
    ('Sheared LLaMA: Accelerating LLMs via Pre-Training', 'FP8 Formats for Deep Learning')
    >>> display_case("GPT-4 Technical Report"), display_case("QUICK: Quantization-aware Kernels")
    ('GPT-4 Technical Report', 'QUICK: Quantization-aware Kernels')
    """
    words = re.findall(r"[^\W\d_]{2,}", title)
    if len(words) < 3 or sum(w.isupper() for w in words) < 0.8 * len(words):
        return title
    out: list[str] = []
    start = True  # the next word starts the title or follows a colon
    for m in re.finditer(r"[^\W\d_]+|[^\s\w]+|\d+|\s+", title):
        tok, prev, nxt = m.group(0), title[: m.start()], title[m.end() :]
        if not tok[0].isalpha():
            out.append(tok)
            start = start or tok.rstrip().endswith((":", "?", "!", "—", "–"))
            continue
        if prev[-1:].isdigit() or nxt[:1].isdigit():
            out.append(tok)  # FP8, W4A8: part of a code
        elif prev[-1:] in "'’" and prev:
            out.append(tok.lower())  # CAN’T
        elif tok.upper() in _ACRONYMS:
            out.append(_ACRONYMS[tok.upper()])
        elif tok.lower() in _SMALL and not start:
            out.append(tok.lower())
        elif len(tok) == 1:
            out.append(tok.upper())
        else:
            out.append(tok[0].upper() + tok[1:].lower())
        start = False
    return "".join(out)


def clean_title(s: str) -> str:
    """The display title: :func:`repair_text`, then :func:`strip_latex`, then :func:`display_case`.

    >>> clean_title("ROFORMER: ENHANCED TRANSFORMER WITH ROTARY  POSITION EMBEDDING ")
    'Roformer: Enhanced Transformer with Rotary Position Embedding'
    """
    return display_case(strip_latex(repair_text(s)))


_TAG = re.compile(r"^\s*\[([^\[\]]+)\]\s+(?!\()(\S.*)$", re.S)


def split_tag(title: str) -> tuple[str | None, str]:
    """A leading ``[Tag]`` and the rest; ``(None, title)`` when there is none (a markdown link is not a tag).

    >>> split_tag("[FlashAttention-2] Faster Attention"), split_tag("[Paper](https://x.org)"), split_tag("Orca")
    (('FlashAttention-2', 'Faster Attention'), (None, '[Paper](https://x.org)'), (None, 'Orca'))
    """
    m = _TAG.match(title)
    return (m.group(1).strip(), m.group(2).strip()) if m else (None, title)


_NOT_NAME_FIRST = set(
    "a an the on towards toward beyond when why how what where which who whose is are do does can should will "
    "rethinking revisiting understanding survey tutorial review overview keynote position introduction note "
    "appendix chapter part lecture editorial abstract".split()
)
_STOP = _SMALL | set("is are be like meets without your you we our it its".split())


def _signal(word: str) -> bool:
    """A word that only a name would be: digits, two capitals, camelCase, or symbols such as ³ or ₂."""
    return (
        any(c.isdigit() for c in word)
        or sum(c.isupper() for c in word) >= 2
        or any(not c.isascii() and not c.isalpha() for c in word)
    )


def looks_like_name(text: str) -> bool:
    """Whether ``text`` reads as the name of a work (``Orca``, ``Llama 2``, ``FlashAttention-2``, ``S³``).

    One token is a name unless it is a generic word (``Survey``, ``Rethinking``); two or three words are a
    name only when one of them carries a name's signal (a digit, two capitals, a symbol), none is a small word
    and the first is not a gerund: ``Llama 2``, ``Apache TVM Unity``, but not ``Deja Vu``, ``Tool calling``,
    ``Compressing LLMs`` or ``Lost in the middle``. Commas, question marks and over 32 characters mean a phrase.

    >>> [looks_like_name(t) for t in ("GPT3.5", "Llama 2", "PetS", "S³", "Batch", "Inference without interference")]
    [True, True, True, True, True, False]
    >>> [looks_like_name(t) for t in ("Continuous Batching", "Towards MoE Deployment", "Compressing LLMs", "")]
    [False, False, False, False]
    """
    text = text.strip()
    words = text.split()
    if not words or len(text) > 32 or len(words) > 3 or re.search(r"[,;?!\"“”]", text):
        return False
    first = words[0]
    if first.lower() in _NOT_NAME_FIRST or not any(c.isalpha() for c in text):
        return False
    if len(words) == 1:
        return True
    if len(first) > 5 and first.lower().endswith("ing") and not _signal(first):  # Compressing LLMs
        return False
    return not any(w.lower() in _STOP for w in words[1:]) and any(_signal(w) for w in words)


_PARTICLES = set("de van von der den del della da di du la le y bin al".split())


def _person(p: str) -> bool:
    words = p.split()
    return (
        2 <= len(words) <= 5
        and len(p) <= 60
        and all(w[0].isupper() or w in _PARTICLES for w in words)
        and all(re.fullmatch(r"[^\W\d_][\w.'’-]*", w) for w in words)
    )


def split_authors(text: str) -> list[str]:
    """The names of an author list (``*``/``†`` markers and ``et al.`` dropped), or ``[]`` when it is not one.

    >>> split_authors("Lianmin Zheng*, Daniel Y. Fu, Carlo C Del Mundo and Christopher Ré, et al.")
    ['Lianmin Zheng', 'Daniel Y. Fu', 'Carlo C Del Mundo', 'Christopher Ré']
    >>> split_authors("A high-throughput and memory-efficient inference engine"), split_authors("SOSP 2023")
    ([], [])
    """
    pieces = [p.strip(" *_†‡§¶") for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text.strip(" .*_"))]
    pieces = [p for p in pieces if p and p.lower().rstrip(".") != "et al"]
    return pieces if pieces and all(_person(p) for p in pieces) else []


_NAME = re.compile(r"^(?P<name>[^:]+?):\s+(?P<rest>\S.*)$", re.S)


def split_name(title: str) -> tuple[str | None, str]:
    """``Name: rest`` split when the part before the first ``: `` looks like a name, else ``(None, title)``.

    >>> split_name("Llama 2: Open Foundation"), split_name("LLM.int8(): 8-bit Matrix Multiplication")
    (('Llama 2', 'Open Foundation'), ('LLM.int8()', '8-bit Matrix Multiplication'))
    >>> split_name("Inference without interference: Disaggregate llm inference")
    (None, 'Inference without interference: Disaggregate llm inference')
    """
    m = _NAME.match(title.strip())
    if m and looks_like_name(m.group("name")):
        return m.group("name").strip(), m.group("rest").strip()
    return None, title


def clean_heading(s: str) -> str:
    """A heading as a section name: repaired, without markup, emoji, shortcodes or trailing ``#``.

    >>> clean_heading("📙Awesome LLM Inference Papers with Codes"), clean_heading("üìíIntroduction")
    ('Awesome LLM Inference Papers with Codes', 'Introduction')
    >>> clean_heading(":rocket: [Serving](#serving) ##"), clean_heading("Compression (Quantization, Sparsity)")
    ('Serving', 'Compression (Quantization, Sparsity)')
    """
    s = repair_text(s)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r":[a-z0-9_+-]+:|<[^>]*>|[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}|\s#+\s*$", " ", s)
    s = re.sub(r"^[^\w(\[\"'“]+|[^\w)\]\"'”.?!]+$", "", s.strip())
    return " ".join(s.split())


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
    return m.group("id") if m else None


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
    if not parts.netloc or parts.netloc.startswith((".", "-")):
        return None
    return u
