"""Field types shared by the journey models: ids, probabilities, lane text and enumerations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from journeymap import locales

SLUG_PATTERN = r"^[a-z0-9ß-öø-ÿ][a-z0-9ß-öø-ÿ_-]*$"
"""Ids: lowercase letters (Latin-1 too, so Finnish ids read naturally), digits, '-' and '_'."""

_NOT_SLUG = re.compile(r"[^a-z0-9ß-öø-ÿ_-]+")


def slugify(text: str, fallback: str = "journey") -> str:
    """An id made from any text: ``Deliver Now!`` becomes ``deliver-now``."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-_")[:64] or fallback


MODEL_CONFIG = ConfigDict(
    extra="forbid",
    strict=True,
    frozen=True,
    populate_by_name=True,
    allow_inf_nan=False,
    use_attribute_docstrings=True,
    validate_default=False,
)
"""Every journey model refuses unknown keys and coerces nothing: ``"0.5"`` is not a number."""


class FreshCopies(BaseModel):
    """A model whose copies recompute their cached properties.

    pydantic's ``model_copy`` copies the instance dictionary, where ``cached_property`` keeps
    its values; a copy with changed fields would otherwise answer from the original.
    """

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied and no cached property carried over."""
        copied = super().model_copy(update=update, deep=deep)
        for kind in type(self).__mro__:
            for name, value in vars(kind).items():
                if isinstance(value, cached_property):
                    copied.__dict__.pop(name, None)
        return copied


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Weight = Annotated[float, Field(ge=0.0)]
Factor = Annotated[float, Field(ge=0.0)]
"""A multiplier of a probability that may exceed 1 (a segment's ability, persistence)."""
Text = Annotated[str, StringConstraints(min_length=1)]


def _as_lines(value: object) -> object:
    """Accept one text where a list of texts is expected: ``customer: Pays`` is ``[Pays]``."""
    return [value] if isinstance(value, str) else value


Lines = Annotated[list[Text], BeforeValidator(_as_lines, json_schema_input_type=Text | list[Text])]

Role = Literal["primary", "alternative", "escalation", "not-recommended"]
ChannelKind = Literal["self-service", "assisted", "automated", "physical", "outbound"]
ContextFlow = Literal["full", "partial", "none"]
Complexity = Literal["low", "medium", "high"]
Status = Literal["observed", "assumed", "proposed"]
Demand = Literal["value", "failure"]


def _known_locale(code: str) -> str:
    """A language journeymap has messages for: one file in ``journeymap/locales``."""
    if code not in locales.available():
        raise ValueError(
            f"'{code}' is not a language journeymap has (known: {', '.join(locales.available())}); "
            f"a new one is a file journeymap/locales/{code}.yaml"
        )
    return code


Locale = Annotated[
    str,
    AfterValidator(_known_locale),
    WithJsonSchema({"type": "string", "enum": list(locales.available())}),
]

ROLES: tuple[Role, ...] = get_args(Role)
CHANNEL_KINDS: tuple[ChannelKind, ...] = get_args(ChannelKind)
LOCALES: tuple[str, ...] = locales.available()

STANDARD_CAUSES = (
    "unclear-instructions",
    "contradictory-info",
    "missing-context",
    "waiting",
    "channel-unavailable",
    "wrong-channel",
    "process-error",
    "no-proactive-update",
    "other",
)
"""Failure causes with report labels; a journey may use slugs of its own too."""
