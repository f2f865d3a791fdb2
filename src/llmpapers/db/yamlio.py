"""Strict, safe YAML in (canonical YAML out is :mod:`.yamlwrite`).

Reading (``load_text``) composes the document with libyaml's C parser when it is present and walks the
node tree once in Python, so every value keeps the line it came from. The rules:

- plain scalars keep the text that was written: only ``123`` (an integer), ``true``/``false`` and
  ``null``/``~``/nothing are anything but strings; ``no``, ``0123``, ``12:30``, ``1e3`` and ``2301.00010``
  stay text, and a field that needs a number rejects them with the line;
- no tags (``!!python/object``), anchors, aliases or merge keys (``<<``); no duplicate keys;
- no comments: a record is data in canonical form (``fmt`` would drop one); this also catches the YAML
  trap ``title: Ranking #1 of ...``, which YAML reads as ``Ranking``;
- one document, a mapping at the top, UTF-8 (a BOM and CRLF are fine), no controls, bounded size and depth.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser as _PyParser
from yaml.reader import Reader as _PyReader
from yaml.scanner import Scanner as _PyScanner

try:  # the libyaml C parser is ~8x faster; fall back to pure Python where it is missing
    from yaml._yaml import CParser as _Parser  # not re-exported by `yaml` itself

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer

    class _Parser(_PyReader, _PyScanner, _PyParser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _PyReader.__init__(self, stream)
            _PyScanner.__init__(self)
            _PyParser.__init__(self)
            Composer.__init__(self)

    HAS_LIBYAML = False

MAX_BYTES = 128 * 1024
MAX_DEPTH = 8

# Tags the resolver gives implicit values. They contain a NUL, which YAML text cannot, so no explicit
# tag written in a file can ever equal one of them.
_STR, _INT, _BOOL, _NULL, _SEQ, _MAP = (f"\0{n}" for n in ("str", "int", "bool", "null", "seq", "map"))
_INT_RE = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_NULLS = frozenset(("", "~", "null"))
_BOOLS = {"true": True, "false": False}


_PLAIN_TAGS = {**dict.fromkeys(_NULLS, _NULL), **dict.fromkeys(_BOOLS, _BOOL)}
_INT_START = frozenset("-0123456789")


class _Resolver(yaml.resolver.BaseResolver):
    # Called by the C composer once per node, so kept lean: most values are plain text.
    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:  # noqa: D401
        if kind is ScalarNode:
            if implicit[0]:  # plain, unquoted
                tag = _PLAIN_TAGS.get(value)
                if tag is not None:
                    return tag
                if value[0] in _INT_START and _INT_RE.fullmatch(value):
                    return _INT
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    # Path resolvers are never used; the composer calls these around every node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Loader(_Parser, _Resolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)


@dataclass(frozen=True)
class Problem:
    """Something wrong at a line and column (1-based) of a YAML text."""

    line: int
    col: int
    message: str


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass
class Loaded:
    """A document's data plus its node tree, kept so that later checks can find lines."""

    data: dict[str, Any]
    root: MappingNode

    def line_of(self, loc: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``loc`` (or of its key), or of its nearest ancestor."""
        node: Node = self.root
        mark = node.start_mark
        for part in loc:
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if k.value == part:
                        mark = k.start_mark if key and part == loc[-1] else v.start_mark
                        node = v
                        break
                else:
                    return mark.line + 1, mark.column + 1
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1

    def top_line(self, key: str) -> tuple[int, int]:
        """Line and column of a top-level key's value (what most checks point at)."""
        return self.line_of((key,))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")  # and what XML refuses


def decode(raw: bytes, limit: int = MAX_BYTES) -> str:
    """UTF-8 text of ``raw``; a BOM is dropped, anything else that is not UTF-8 is a Problem."""
    if len(raw) > limit:
        raise YamlProblems([Problem(1, 1, f"file is too large ({len(raw):,} bytes; the limit is {limit:,})")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and (raw[0] == 0 or raw[1] == 0)):
        raise YamlProblems([Problem(1, 1, "file is UTF-16; save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblems(
            [Problem(line, col, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]
        ) from None
    if bad := _CONTROL.search(text):
        i = bad.start()
        line, col = text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        what = "control character U+{:04X}" if text[i] < "\x80" else "U+{:04X}, which is not a character"
        raise YamlProblems([Problem(line, col, what.format(ord(text[i])) + "; remove it")])
    return text


def load_text(text: str, comments: bool = False) -> Loaded:
    """Parse one YAML document that must be a mapping; raise :class:`YamlProblems` with lines.

    ``comments=True`` allows YAML comments (hand-kept tables); records never hold them.
    """
    if not text.strip():
        raise YamlProblems([Problem(1, 1, "file is empty")])
    _check_flow_depth(text)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or str(exc)
        if "expected a single document" in str(exc):
            message = "file holds more than one YAML document (a second '---'); one record per file"
        elif ":" == _line(text, line)[col - 1 : col] and ("mapping values" in message or "expected ','" in message):
            message = _colon_hint(_line(text, line), col)
        elif "\t" in _line(text, line)[:col] or "tab" in message:
            message = f"{message} (indent with spaces, not tabs)"
        raise YamlProblems([Problem(line, col, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblems([Problem(line, col, f"YAML: {getattr(exc, 'problem', None) or exc}")]) from None
    if root is None:
        raise YamlProblems([Problem(1, 1, "file is empty")])
    if not isinstance(root, MappingNode) or root.tag != _MAP:
        raise YamlProblems(
            [Problem(root.start_mark.line + 1, root.start_mark.column + 1, "the file must be a mapping of fields")]
        )
    problems: list[Problem] = []
    if "*" in text:  # aliases are possible: the careful walk, which never expands one
        data = _Builder(problems).build(root, 0)
    else:  # no alias, so every node is reached once
        data = _Builder(problems).build_tree(root, 0)
    if ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text):
        problems.extend(_anchors(text))
    if "#" in text and not comments:
        problems.extend(_comments(text, root))
    if problems:
        problems.sort(key=lambda p: (p.line, p.col))
        raise YamlProblems(problems)
    return Loaded(data, root)


class _Builder:
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.seen: set[int] = set()

    def _problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(node.start_mark.line + 1, node.start_mark.column + 1, message))

    def build(self, node: Node, depth: int) -> Any:
        if id(node) in self.seen:  # an alias: reported by _anchors(); never expanded (no "billion laughs")
            return None
        self.seen.add(id(node))
        return self._node(node, depth, False)

    def build_tree(self, node: Node, depth: int) -> Any:
        """:meth:`build` for a tree without aliases (no node is reached twice): no bookkeeping, text inline."""
        return node.value if node.tag is _STR else self._node(node, depth, True)

    def _node(self, node: Node, depth: int, tree: bool) -> Any:
        child = self.build_tree if tree else self.build
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT:
            return int(node.value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _BOOLS[node.value]
        if depth >= MAX_DEPTH:
            self._problem(node, f"nesting is deeper than {MAX_DEPTH} levels")
            return None
        if tag == _SEQ:
            if tree:
                return [item.value if item.tag is _STR else child(item, depth + 1) for item in node.value]
            return [child(item, depth + 1) for item in node.value]
        if tag == _MAP:
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value if tree and key_node.tag is _STR else child(key_node, depth + 1)
                if key == "<<" and not key_node.style:  # plain: style None (Python) or "" (libyaml)
                    self._problem(key_node, "merge keys (<<) are not allowed; write the fields out")
                    continue
                if not isinstance(key, str):
                    shown = repr(key_node.value) if isinstance(key_node, ScalarNode) else "a list or mapping"
                    self._problem(key_node, f"a key must be a field name, not {shown}")
                    continue
                if key in out:
                    first = next(k for k, _ in node.value if k.tag == _STR and k.value == key).start_mark.line + 1
                    self._problem(key_node, f"duplicate key '{key}' (first on line {first})")
                    continue
                out[key] = value_node.value if tree and value_node.tag is _STR else child(value_node, depth + 1)
            return out
        self._problem(node, f"YAML tags ({tag}) are not allowed; write a plain value")
        return None


# Where an anchor (&a) or alias (*a) could start a token: at the start, after a space or line break, a BOM
# (libyaml skips one at the start of a line), a flow indicator or a quote; text without such a place (``R&D``,
# ``?a=1&b=2``, ``A & B``) cannot hold one, and skips the event scan.
_MAYBE_ANCHOR = re.compile(r"""(?:^|[\s\ufeff\[\]{},:?!"'-])[&*][^\s,\[\]{}]""")


def _anchors(text: str) -> list[Problem]:
    """Anchors and aliases, found in the event stream (a node tree cannot show an unused anchor)."""
    found = []
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if getattr(event, "anchor", None):
                kind = "aliases (*" if isinstance(event, yaml.AliasEvent) else "anchors (&"
                found.append(
                    Problem(
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        f"{kind}{event.anchor}) are not allowed; write the value out",
                    )
                )
    finally:
        loader.dispose()
    return found


# Line breaks as YAML counts them (and so every mark's line): CR LF, LF, a lone CR, NEL, LS and PS.
_BREAK_RE = re.compile("\r\n?|[\n\x85\u2028\u2029]")


def _line(text: str, line: int) -> str:
    """Line ``line`` (1-based, as YAML counts lines) of ``text``; "" past the end."""
    return [*_BREAK_RE.split(text, maxsplit=line), *[""] * line][line - 1]


_VALUE_START = re.compile(r"[ \t]*(?:-[ \t]+)*(?:([^\s#'\"\[\]{},][^:]*?):(?:[ \t]+|$))?")


def _colon_hint(line: str, col: int) -> str:
    """What to do about the ': ' at ``col`` of ``line`` that YAML refused: quote the value it is in (after any
    indentation, '- ' and the line's key), or, when it ends the line's key (which YAML read as more of the value
    above), indent that key."""
    start = _VALUE_START.match(line)
    if start is None or start.end() >= col:
        key = start.group(1) if start and start.group(1) else line[: col - 1].strip()
        return (
            f"'{key}:' is read as part of the value above it; indent '{key}' like the other keys of its mapping "
            "(or, if this ': ' belongs to that value, put the whole value in quotes)"
        )
    value = line[start.end() :].strip()
    message = "a ': ' inside a value must be quoted: put the whole value in quotes"
    if value[:1] in ("'", '"', "[", "{"):
        return message
    shown = value if len(value) <= 60 else value[:50] + "…"
    quoted = f'"{shown}"' if "'" in value and not {'"', "\\"} & set(value) else "'" + shown.replace("'", "''") + "'"
    return f"{message}, as in {' '.join(filter(None, (line[: start.end()].strip(), quoted)))}"


# A '#' outside every scalar starts a comment at a line start or after a space, a tab, a closing quote or a
# flow indicator (``title: 'Foo'#bar`` is 'Foo' and a comment), and in a block scalar's header (``|#c``).
_COMMENT_RE = re.compile(r"""(?:^|(?<=[ \t\r\x85\u2028\u2029'"\[\]{},]))#""", re.M)
_HEADER_RE = re.compile(r"[|>][-+0-9]*[ \t]*")
_COMMENT = (
    "'#' starts a YAML comment here, and comments are not kept in records; "
    "if it belongs to the value, put the value in quotes"
)


def _comments(text: str, root: Node) -> list[Problem]:
    """Every comment (a '#' outside every scalar) as a Problem at its '#': a record file may not hold one."""
    spans: list[tuple[int, int]] = []
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark.index, node.end_mark.index
            if node.style in ("|", ">"):  # a block scalar's header (`|2-`) is not its text, and may end in `#c`
                header = _HEADER_RE.match(text, start).end()  # type: ignore[union-attr]  # '|' or '>' is there
                found.update((header,) if text.startswith("#", header) else ())
                start = header + 1  # past the '#' or the line break
            spans.append((start, end))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
    spans.sort()
    starts = [s for s, _ in spans]
    problems = []
    comment_end = -1  # a comment runs to the end of its line: a '#' inside it is not another one
    for i in sorted(found.union(m.start() for m in _COMMENT_RE.finditer(text))):
        j = bisect.bisect_right(starts, i) - 1
        if i < comment_end or (j >= 0 and spans[j][0] <= i < spans[j][1]):
            continue
        brk = _BREAK_RE.search(text, i)
        comment_end = brk.start() if brk else len(text)
        breaks = list(_BREAK_RE.finditer(text, 0, i))
        problems.append(Problem(len(breaks) + 1, i - (breaks[-1].end() if breaks else 0) + 1, _COMMENT))
    return problems


def _check_flow_depth(text: str) -> None:
    """Refuse pathological nesting before the (recursive) composer sees it.

    libyaml's scanner (PyYAML 6.0.4 and later) has a nesting limit of its own and reads far ahead of the
    parser, so it may stop before the events reach our limit; its error is then translated into ours, at
    the place the pure-Python scanner finds the first level too deep (it reads ahead about a kilobyte).
    """
    if text.count("[") + text.count("{") <= 64:
        return
    try:
        _count_depth(_Loader(text))
    except yaml.YAMLError as exc:
        if "nesting depth" not in str(getattr(exc, "problem", "") or ""):
            return  # the composer reports syntax errors with their line
        try:
            _count_depth(_PurePythonEvents(text))
        except yaml.YAMLError:
            pass
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblems([Problem(line, col, f"nesting is deeper than {MAX_DEPTH} levels")]) from None


def _count_depth(loader: Any) -> None:
    """Walk the events of ``loader`` and raise ``YamlProblems`` at the first collection too deep."""
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblems(
                        [Problem(mark.line + 1, mark.column + 1, f"nesting is deeper than {MAX_DEPTH} levels")]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


class _PurePythonEvents(_PyReader, _PyScanner, _PyParser):
    """PyYAML's pure-Python event stream: no nesting limit of its own, and it reads ahead only a little."""

    def __init__(self, stream: str) -> None:
        _PyReader.__init__(self, stream)
        _PyScanner.__init__(self)
        _PyParser.__init__(self)
