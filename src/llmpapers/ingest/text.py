r"""Text of importers, cleaned for display: mis-decoded text repaired, SHOUTING titles re-cased, titles
split into ``[Tag]``, ``Name:`` and the rest, headings read as section names. Pure, no IO.

    >>> clean_title("$\\{$PetS$\\}$: A Unified Framework")
    'PetS: A Unified Framework'
    >>> split_tag("[Continuous Batching] Orca: A Distributed Serving System")
    ('Continuous Batching', 'Orca: A Distributed Serving System')
    >>> split_name("Orca: A Distributed Serving System")
    ('Orca', 'A Distributed Serving System')
    >>> looks_like_name("Llama 2"), looks_like_name("Deja Vu")
    (True, False)

LaTeX is read by :func:`llmpapers.ingest.latex.latex_to_text`, as for BibTeX: subscripts and superscripts
become Unicode (``H $ \_2 $ O`` -> ``H₂O``, ``S$^3$`` -> ``S³``), which is how the works write their names;
NFKC folds them back to ``H2O``/``S3`` for matching. Person names: :mod:`.names`; URLs: :mod:`.urls`.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

from .latex import latex_to_text

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
    >>> display_case("SARATHI")  # fewer than three words: a name, not a shouted title
    'SARATHI'
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
    r"""The display title: :func:`repair_text`, then :func:`~llmpapers.ingest.latex.latex_to_text`, then
    :func:`display_case`.

    >>> clean_title("ROFORMER: ENHANCED TRANSFORMER WITH ROTARY  POSITION EMBEDDING ")
    'Roformer: Enhanced Transformer with Rotary Position Embedding'
    >>> clean_title("H $ \\_2 $ O: Heavy‚ÄôHitter"), clean_title("PanGu-$\\Sigma$: Towards")
    ('H₂O: Heavy’Hitter', 'PanGu-Σ: Towards')
    """
    return display_case(latex_to_text(repair_text(s)))


_TAG = re.compile(r"^\s*\[([^\[\]]+)\]\s+(?!\()(\S.*)$", re.S)


_DECOR_START = re.compile(r"^(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B06\u2194-\u21FF\uFE0F\u200D]+\s*)+")
_SHORTCODES = re.compile(r"^(?::[a-z0-9_+-]{1,30}:\s*)+")  # GitHub's :star: and :fire:
_BOLD_TAG = re.compile(r"^\[\s*(?:\*\*|__)(?P<name>[^\]*_]+)(?:\*\*|__)\s*\]")
_ORG_END = re.compile(r"\s*[(（]\s*@\s*[^()（）]{1,60}[)）]\s*$")


def strip_decorations(title: str) -> str:
    """A title without what lists decorate it with: leading emoji (``🔥🔥``), a bold tag (``[**Medusa**]`` is
    the tag ``[Medusa]``), a tag glued to the title (``[KVMerger]Model Tells…``), a trailing organisation
    (``(@Princeton)``) and the full stop some lists end every title with.

    >>> strip_decorations("🔥🔥[**Medusa**] MEDUSA: Simple LLM Inference Acceleration Framework(@Princeton)")
    '[Medusa] MEDUSA: Simple LLM Inference Acceleration Framework'
    >>> strip_decorations("[KVMerger]Model Tells You Where to Merge."), strip_decorations("Wait for it...")
    ('[KVMerger] Model Tells You Where to Merge', 'Wait for it...')
    """
    text = _DECOR_START.sub("", _SHORTCODES.sub("", title.strip()))
    text = _BOLD_TAG.sub(lambda m: f"[{m['name'].strip()}]", text)
    text = re.sub(r"^(\[[^\[\]]+\])(?=[A-Za-z])", r"\1 ", text)
    text = re.sub(r"(?<![.\s])\.$", "", _ORG_END.sub("", text).strip())
    return text.strip()


def split_tag(title: str) -> tuple[str | None, str]:
    """A leading ``[Tag]`` and the rest; ``(None, title)`` when there is none (a markdown link is not a tag).

    >>> split_tag("[FlashAttention-2] Faster Attention"), split_tag("[Paper](https://x.org)"), split_tag("Orca")
    (('FlashAttention-2', 'Faster Attention'), (None, '[Paper](https://x.org)'), (None, 'Orca'))
    >>> split_tag("[Tag]")  # nothing after it: a title in brackets
    (None, '[Tag]')
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
    >>> clean_heading("🚀 Serving 🚀")
    'Serving'
    """
    s = repair_text(s)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r":[a-z0-9_+-]+:|<[^>]*>|[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}|\s#+\s*$", " ", s)
    s = re.sub(r"^[^\w(\[\"'“]+|[^\w)\]\"'”.?!]+$", "", s.strip())
    return " ".join(s.split())
