"""Canonical YAML out: block style, keys in the order given, and every string another YAML reader could take
for a number, boolean, null or date quoted. The reader that takes it back is :mod:`.yamlio`.

    >>> record = {"id": "x", "year": 2023, "arxiv": "2309.06180", "short_name": "no", "added": "2026-11-22"}
    >>> print(dump_mapping(record), end="")
    id: x
    year: 2023
    arxiv: '2309.06180'
    short_name: 'no'
    added: 2026-11-22
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Quotes every string that YAML 1.1 or 1.2 readers would take for something else."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if value != value.strip() or _looks_typed(value):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_TYPED_RE = re.compile(
    r"""^(?:[-+]?(?:\.?[0-9][0-9_.:eE+-]*|\.inf|\.nan)
    |y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |null|Null|NULL|~|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt ].*)$""",
    re.X,
)


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _looks_typed(value: str) -> bool:
    # a bare ISO date (``added: 2026-11-22``) stays plain: our reader keeps it as text, and so do YAML 1.2 readers
    return bool(_TYPED_RE.match(value)) and not _DATE_RE.fullmatch(value)


_Dumper.add_representer(str, _represent_str)
# Our reader keeps dates as text, so the writer need not quote them (``added: 2026-11-22`` stays plain).
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def dump_mapping(data: dict[str, Any]) -> str:
    """Canonical block YAML for ``data`` (keys in the order given)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
        indent=2,
    )
