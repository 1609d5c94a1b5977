"""The journey format's JSON Schema as an editor would apply it to a file's text."""

from __future__ import annotations

import functools

import jsonschema

import journeymap
from journeymap.source.compose import compose


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(journeymap.json_schema())


def schema_accepts(text: str) -> bool:
    """True where the JSON Schema accepts the YAML ``text``."""
    return _validator().is_valid(compose(text, "j.yaml").data)
