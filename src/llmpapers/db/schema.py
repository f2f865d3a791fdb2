"""The JSON Schema of a record file, generated from the model and shipped as ``schema/record.schema.json``.

Editors that speak YAML (VS Code's YAML extension, JetBrains IDEs) use it to validate and complete a
record while it is typed; ``.vscode/settings.json`` maps ``data/records/*.yaml`` to it.
"""

from __future__ import annotations

from typing import Any

from .models import ARXIV_RE, DOI_RE, ID_RE, Record

SCHEMA_PATH = "schema/record.schema.json"


def record_schema() -> dict[str, Any]:
    schema = Record.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://llmpapers.github.io/schema/record.schema.json"
    schema["title"] = "llmpapers record"
    schema["description"] = "One work (paper, tool, model, hardware or article) in data/records/<id>.yaml."
    props = schema["properties"]
    props["id"]["pattern"] = ID_RE.pattern
    props["year"] = {"type": ["integer", "null"], "minimum": 1940, "description": props["year"].get("description")}
    props["added"]["format"] = "date"
    links = schema["$defs"]["Links"]["properties"]
    links["arxiv"] = {
        "anyOf": [{"type": "string", "pattern": ARXIV_RE.pattern}, {"type": "null"}],
        "description": links["arxiv"].get("description"),
    }
    links["doi"] = {
        "anyOf": [{"type": "string", "pattern": DOI_RE.pattern}, {"type": "null"}],
        "description": links["doi"].get("description"),
    }
    for name in ("paper", "pdf", "code", "project"):
        links[name] = {
            "anyOf": [{"type": "string", "pattern": "^https?://"}, {"type": "null"}],
            "description": links[name].get("description"),
        }
    links["other"]["items"] = {"type": "string", "pattern": "^https?://"}
    return schema
