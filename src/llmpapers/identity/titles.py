r"""Title keys for matching, and the guards that keep look-alikes apart. Pure functions.

>>> match_key(r"$\{$PetS$\}$: A Unified Framework for $\{$Parameter-Efficient$\}$ Transformers Serving")
'pets a unified framework for parameter efficient transformers serving'
>>> title_variants("Transformer: Attention Is All You Need")
('transformer attention is all you need', 'attention is all you need')
>>> same_version("flashattention", "flashattention 2")
False
"""

from __future__ import annotations

import re
import unicodedata

from ..db.scripts import unconfuse
from ..ingest.latex import latex_to_text

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PREFIX = re.compile(r"^\s*(?:\[([^\]]{1,60})\]\s*)?(?:([^:]{1,40}?)\s*:\s+)?(.*)$", re.S)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xl"})
# Words that, added to a name, make another work: Sarathi / Sarathi-Serve, LLMLingua / LongLLMLingua.
SUFFIX_WORDS = frozenset(
    {
        "serve", "serving", "long", "mini", "lite", "plus", "pro", "turbo", "chat", "instruct", "xl", "xxl",
        "large", "small", "base", "tiny", "next", "moe", "v", "ft", "code", "vision", "multimodal", "fast",
        "faster", "flash", "zero", "offload", "infinity", "inference", "training", "decoding", "lingua",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lowercase ASCII-ish text: LaTeX read as the importers read it, accents dropped, superscripts and
    subscripts as digits (``S³``, ``H₂O``, and ``n^2`` written without math, all fold to digits)."""
    text = unconfuse(latex_to_text(text).replace("^", ""))  # ``Аttention`` with a Cyrillic А is ``Attention``
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


_ABBREVIATIONS = {"llm": "large language model", "llms": "large language models", "gpus": "gpu"}


def match_key(text: str) -> str:
    """Words of the title, folded, joined by single spaces; ``LLMs`` spelled out."""
    words = _NON_ALNUM.sub(" ", fold(text)).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def compact(key: str) -> str:
    """The key without spaces, so that ``H $ \\_2 $ O`` and ``H2O``, ``Llama 2`` and ``Llama2`` meet."""
    return key.replace(" ", "")


def split_prefix(title: str) -> tuple[str | None, str | None, str]:
    """``[Tag] Name: rest`` -> (tag, name, rest); parts that are not there are None."""
    m = _PREFIX.match(title)
    if not m:  # pragma: no cover - the pattern matches any text
        return None, None, title
    tag, name, rest = m.groups()
    if name and (len(name.split()) > 4 or not rest.strip()):
        return tag, None, f"{name}: {rest}"
    return tag, name, rest


def title_variants(title: str) -> tuple[str, ...]:
    """Keys under which a title is known: whole, and without a ``[Tag]`` or ``Name:`` prefix."""
    tag, name, rest = split_prefix(title)
    keys = [match_key(title)]
    if tag:
        keys.append(match_key(f"{name}: {rest}" if name else rest))
    if name and len(match_key(rest).split()) >= 3:  # ``X: A Survey`` is not known as ``a survey``
        keys.append(match_key(rest))
    return tuple(dict.fromkeys(k for k in keys if k))


def numbers(key: str) -> frozenset[str]:
    """Version-like parts: numbers anywhere (``llama2`` -> 2, ``zeroquant v2`` -> 2) and roman numerals."""
    found = set(_NUMBER.findall(key))
    found.update(t for t in key.split() if t in _ROMAN)
    return frozenset(found)


def same_version(a: str, b: str) -> bool:
    """False when two keys differ by a version number or a name-changing word (guards fuzzy matches)."""
    if numbers(a) != numbers(b):
        return False
    ta, tb = set(a.split()), set(b.split())
    diff = ta ^ tb
    if min(len(ta), len(tb)) <= 4 and any(t in SUFFIX_WORDS for t in diff):  # names, not long titles
        return False
    # one name inside another (llmlingua / longllmlingua, sarathi / sarathiserve)
    ca, cb = compact(a), compact(b)
    if ca != cb and len(ta) <= 3 and len(tb) <= 3 and (ca in cb or cb in ca):
        return False
    return True


def name_key(name: str | None) -> str | None:
    return compact(match_key(name)) if name else None


def names_of(title: str, short_name: str | None = None) -> set[str]:
    """The names a work goes by: its short name and a ``Name:`` prefix of its title (as keys)."""
    _, prefix, _ = split_prefix(title)
    return {match_key(n) for n in (short_name, prefix) if n and match_key(n)}


def names_compatible(a: set[str], b: set[str]) -> bool:
    """False when both works have names and none of them can be the same name (Orca vs Orca-2)."""
    if not a or not b:
        return True
    for x in a:
        for y in b:
            cx, cy = compact(x), compact(y)
            if cx == cy or ((cx in cy or cy in cx) and numbers(cx) == numbers(cy) and same_version(x, y)):
                return True
    return False


def id_words(text: str) -> list[str]:
    """The words of a text as an id spells them: folded, abbreviations kept (``LLM`` stays ``llm``: an id
    spells a name as people write it, where a title key spells it out to match)."""
    return _NON_ALNUM.sub(" ", fold(text)).split()


def slugify(text: str, max_words: int = 6) -> str:
    """An id from a name or title: ``FlashAttention-2`` -> ``flashattention-2``, ``S³`` -> ``s3``,
    ``TensorRT-LLM`` -> ``tensorrt-llm``."""
    return "-".join(id_words(text)[:max_words])


_STOP = frozenset("a an the of for and with in on to via by from at is are towards toward using".split())


# Words half the titles in this field use: sharing them says nothing about being one work.
_GENERIC = frozenset(
    "large language model models llm llms serving inference efficient efficiently system systems neural network "
    "networks deep learning based fast faster scalable generative transformer transformers training".split()
)


def shared_words(a: str, b: str) -> float:
    """The share of the shorter key's significant words (not stop words, at least three letters, a trailing
    ``s`` ignored) that the other key has too.

    >>> round(shared_words("c pack packaged resources to advance general chinese embedding",
    ...                    "c pack packed resources for general chinese embeddings"), 2)
    0.83
    """
    wa, wb = ({w.removesuffix("s") for w in k.split() if len(w) > 2 and w not in _STOP and w not in _GENERIC}
              for k in (a, b))  # fmt: skip
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def title_slug(title: str, max_words: int = 3) -> str:
    """An id from a long title without a name: its first three significant words, "large language
    model(s)" as people say it (``accelerating-llm-decoding``, not ``accelerating-large-language``);
    :func:`~llmpapers.identity.merge.new_id` adds the year when that is taken.

    >>> title_slug("Accelerating Large Language Model Decoding with Speculative Sampling")
    'accelerating-llm-decoding'
    """
    text = " ".join(id_words(title))
    text = re.sub(r"\blarge language models\b", "llms", re.sub(r"\blarge language model\b", "llm", text))
    words = [w for w in text.split() if w not in _STOP and len(w) > 1]
    return "-".join(words[:max_words]) or "record"


def case_score(title: str) -> float:
    """How well-cased a title is for display: Title Case and inner capitals (vLLM) beat sentence case."""
    words = [w for w in re.split(r"[\s:/-]+", title) if w and w[0].isalpha()]
    if not words:
        return 0.0
    letters = [c for c in title if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if letters and upper / len(letters) > 0.8:  # SHOUTING is worse than anything
        return -1.0
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in _STOP)
    inner = sum(any(c.isupper() for c in w[1:]) for w in words)
    return capitalised / len(words) + 0.1 * inner
