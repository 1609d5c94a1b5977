"""Turn pydantic validation errors into schema problems a service designer can act on.

Pydantic says "Input should be a valid number"; a journey author needs "emotion: expected
a whole number from -3 to 3, found 'sad'", at the line where it stands.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from journeymap.model.channels import KNOWN_KINDS
from journeymap.model.checks import Path, Problem, suggest
from journeymap.model.journey import Journey
from journeymap.model.types import RANGE_END, SLUG_PATTERN, slugify

SCHEMA = "schema"
_KEY = "[key]"
_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "above"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "below"),
}


def schema_problem(error: ErrorDetails) -> Problem:
    """A schema problem for one pydantic error, pointing at the key or value concerned."""
    loc = tuple(error["loc"])
    at_key = bool(loc) and loc[-1] == _KEY
    path: Path = tuple(part for part in loc if part != _KEY)
    kind = error["type"]
    if kind == "extra_forbidden":
        return Problem(SCHEMA, path, _unknown_key(path), at_key=True)
    if kind == "missing":
        return Problem(SCHEMA, path[:-1], _missing(path))
    return Problem(SCHEMA, path, _describe(error, path, at_key), at_key=at_key)


def _describe(error: ErrorDetails, path: Path, at_key: bool) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        return _bad_slug(str(value), at_key)
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {_shown(value)}{_quote_hint(kind, value)}"
    if kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        return f"{_shown(value)} is out of range: it must be {words} {ctx.get(name)}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{_shown(value)} is not one of {', '.join(choices)}{_close(str(value), choices)}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty" if not value else f"too short: {error['msg'].lower()}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "finite_number":
        return "must be a finite number, not infinity or NaN"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == RANGE_END:
        return _range_end(error, path)
    return str(error["msg"])


def _range_end(error: ErrorDetails, path: Path) -> str:
    """A range end's own error in the words a lone value gets, naming the end.

    ``the high end 1.4 is out of range: it must be at most 1.0``.
    """
    ctx = error.get("ctx") or {}
    own = ErrorDetails(
        type=ctx["kind"],
        loc=error["loc"],
        msg=ctx["reason"],
        input=error["input"],
        ctx=ctx["limits"],
    )
    said = _describe(own, path, at_key=False)
    end = f"the {ctx['end']} end"
    return f"{end} {said}" if said.startswith(_shown(error["input"])) else f"{end}: {said}"


def _shown(value: Any) -> str:
    """A value as the author wrote it, short."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
    if isinstance(value, int | float):
        return repr(value)
    return "a list" if isinstance(value, list) else "a mapping"


def _quote_hint(kind: str, value: Any) -> str:
    if kind == "string_type" and isinstance(value, int | float | bool):
        return "; put it in quotes to make it text"
    if kind in ("float_type", "int_type") and isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return "; remove the quotes to make it a number"
    return ""


def _bad_slug(value: str, at_key: bool) -> str:
    what = "key" if at_key else "id"
    slug = slugify(value, "my-id")
    return (
        f"'{value}' is not a valid {what}: use lowercase letters, digits, '-' and '_' "
        f"(for example '{slug}')"
    )


def _close(name: str, choices: list[str]) -> str:
    tail = suggest(name, choices)
    return tail[tail.index(";") :] if ";" in tail else ""


def _unknown_key(path: Path) -> str:
    key = str(path[-1])
    allowed = _allowed_keys(path[:-1])
    return f"unknown key '{key}'{suggest(key, allowed)}" if allowed else f"unknown key '{key}'"


def _missing(path: Path) -> str:
    key = str(path[-1])
    if key == "kind" and len(path) == 3 and path[0] == "channels":
        return (
            f"channel '{path[1]}' needs a 'kind': self-service, assisted, automated, physical "
            f"or outbound (it may be left out only for {', '.join(sorted(KNOWN_KINDS))})"
        )
    return f"missing required key '{key}'"


def _allowed_keys(path: Path) -> list[str]:
    """The keys the model at ``path`` accepts, for did-you-mean suggestions."""
    model = _model_at(path)
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_at(path: Path) -> type[BaseModel] | None:
    current: Any = Journey
    for part in path:
        if _is_model(current):
            field = _field(current, str(part))
            if field is None:
                return None
            current = field
        else:
            current = _element(current)
    current = _strip(current)
    return current if _is_model(current) else None


def _field(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return _strip(field.annotation)
    return None


def _element(tp: Any) -> Any:
    """The type of one item of a list or one value of a dict."""
    args = typing.get_args(_strip(tp))
    return _strip(args[-1]) if args else None


def _strip(tp: Any) -> Any:
    """Remove ``Annotated`` and ``None`` from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
            tp = options[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
