"""The JSON Schema of journey format 1, generated from the model, for editors and CI."""

from __future__ import annotations

from typing import Any

from journeymap.model.journey import Journey

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a journey file, as editors' YAML language servers use it."""
    schema = _ids_as_property_names(Journey.model_json_schema(by_alias=True, mode="validation"))
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "urn:journeymap:journey-format:1",
        **schema,
        "title": "journeymap journey (format 1)",
    }


def _ids_as_property_names(node: Any) -> Any:
    """Make id-keyed maps refuse bad ids: ``patternProperties`` lets other keys through."""
    if isinstance(node, list):
        return [_ids_as_property_names(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _ids_as_property_names(value) for key, value in node.items()}
    patterns = out.pop("patternProperties", None)
    if isinstance(patterns, dict) and len(patterns) == 1:
        ((pattern, values),) = patterns.items()
        out["propertyNames"] = {**out.get("propertyNames", {}), "pattern": pattern}
        out["additionalProperties"] = values
    elif patterns is not None:
        out["patternProperties"] = patterns
    return out
