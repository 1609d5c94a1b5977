"""Field types shared by the journey models: ids, probabilities, lane text and enumerations."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapSerializer,
    WrapValidator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from journeymap import locales
from journeymap.model.estimate import Estimate

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
Weight = Annotated[float, Field(ge=0.0)]

PERCENT_PATTERN = r"^0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)[ \u00a0]?%$"
"""A percentage from 0% to 100%: digits, a decimal point, at most one space, then ``%``."""
ANY_PERCENT_PATTERN = r"^[0-9]+(\.[0-9]+)?[ \u00a0]?%$"
"""A percentage of any size from 0% up, as a segment's ``ability`` may be (``"120%"``)."""
_PERCENT = re.compile(r"(-?)([0-9]+(?:\.[0-9]+)?)[ \u00a0]?%")


@dataclass(frozen=True)
class Percentages:
    """Reads ``"90%"`` as 0.9 where a number of some kind is expected; numbers pass as they are.

    Quoted numbers such as ``"0.5"`` pass too, for the strict number check to refuse.
    """

    noun: str
    """What the value is, for messages: ``a probability``."""
    numbers: str
    """The numbers the field takes, for messages: ``a number from 0 to 1``."""
    top: Decimal | None = Decimal(100)
    """The largest percentage allowed; ``None`` for no limit."""

    def __call__(self, value: object) -> object:
        """The value, with a percentage turned into its fraction; ``ValueError`` if unreadable."""
        if not isinstance(value, str) or _is_number(value):
            return value
        fraction = self.fraction(value)
        if fraction is None:
            raise ValueError(self.refusal(value))
        return fraction

    def fraction(self, text: str) -> float | None:
        """``"12.5%"`` as 0.125, read as decimals; ``None`` unless a percentage this takes."""
        found = _PERCENT.fullmatch(text)
        if found is None or found[1]:
            return None
        percent = Decimal(found[2])
        return None if self.top is not None and percent > self.top else float(percent / 100)

    def refusal(self, value: str) -> str:
        """Why ``value`` is refused and what to write instead."""
        shown = f"{value[:40]}…" if len(value) > 40 else value
        percentages = "from 0% to 100%" if self.top is not None else "of at least 0% ('120%')"
        message = (
            f"'{shown}' is not {self.noun}: write a percentage {percentages} or {self.numbers}"
        )
        pointed = value.replace(",", ".")
        if pointed != value and self.fraction(pointed) is not None:
            message += f"; use a decimal point: '{pointed}'"
        return message


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


RANGE_ITEMS = "range_items"
"""Error type of a list that is not two ends: ``[0.6, 0.8, 0.9]``."""
RANGE_ORDER = "range_order"
"""Error type of a range whose low end is above its high end: ``[0.9, 0.6]``."""
RANGE_END = "range_end"
"""Error type of a range end the field refuses; its ``ctx`` carries the end (``low`` or
``high``) and the end's own error (``kind``, ``reason``, ``limits``), for the loader's words."""
_ENDS = ("low", "high")


def read_range(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """``[low, high]`` as an ``Estimate``, each end read as a lone value would be.

    Revision 2, *Ranges*: any probability may be a two-item list; an ``Estimate`` made in
    code keeps its identity once its ends pass. Any other value is read as before.
    """
    if isinstance(value, Estimate):
        _ends([value.low, value.high], handler)
        return value
    if not isinstance(value, list):
        return handler(value)
    if len(value) != 2:
        raise PydanticCustomError(
            RANGE_ITEMS,
            "a range has two ends, [low, high]: this list has {items}",
            {"items": _items(len(value))},
        )
    return Estimate(*_ends(value, handler))


def _ends(written: Sequence[object], handler: ValidatorFunctionWrapHandler) -> tuple[float, float]:
    """Both ends read by ``handler`` (percentages and bounds apply), low first and not above high.

    A refused end is an error at its own item (``loc`` ends in 0 or 1), both ends at once.
    """
    ends: list[float] = []
    refused: list[InitErrorDetails] = []
    for index, end in enumerate(written):
        try:
            ends.append(handler(end))
        except ValidationError as error:
            refused += [_end_error(index, detail) for detail in error.errors(include_url=False)]
    if refused:
        raise ValidationError.from_exception_data("range", refused)
    low, high = ends
    if low > high:
        shown = [_written(end) for end in written]
        raise PydanticCustomError(
            RANGE_ORDER,
            "range [{low}, {high}]: the low end is above the high end; write [{high}, {low}]",
            {"low": shown[0], "high": shown[1]},
        )
    return low, high


def _end_error(index: int, detail: ErrorDetails) -> InitErrorDetails:
    """One end's error, placed at the end's item and saying which end it is."""
    limits = {key: value for key, value in (detail.get("ctx") or {}).items() if key != "error"}
    reason = detail["msg"].removeprefix("Value error, ")
    context = {"end": _ENDS[index], "kind": detail["type"], "reason": reason}
    return InitErrorDetails(
        type=PydanticCustomError(
            RANGE_END, "the {end} end: {reason}", {**context, "limits": limits}
        ),
        loc=(index, *detail["loc"]),
        input=detail["input"],
    )


def _items(count: int) -> str:
    return "no items" if count == 0 else "1 item" if count == 1 else f"{count} items"


def _written(end: object) -> str:
    """An end as the author wrote it: ``90%``, ``0.9``."""
    return end if isinstance(end, str) else str(end)


def _write_range(value: object, handler: SerializerFunctionWrapHandler) -> object:
    """An ``Estimate`` back as ``[low, high]``, so dumps and copies keep the range."""
    return [value.low, value.high] if isinstance(value, Estimate) else handler(value)


RANGE_DESCRIPTION = (
    "A range [low, high] for a value you are not sure of: it lies somewhere in here. "
    "Figures use the midpoint; in a next list or in segment shares the midpoints are "
    "normalised to add up to 1."
)
"""What the JSON Schema says of the range form, for editors' hovers."""


_PROBABILITY_RANGES: list[object] = [[0.6, 0.9], ["60%", "90%"]]


def range_of(
    form: Any,
    *,
    examples: list[object] | None = None,
    description: str = RANGE_DESCRIPTION,
    read: Callable[[object, ValidatorFunctionWrapHandler], object] | None = None,
) -> WrapValidator:
    """Read ``[low, high]`` where ``form`` is expected; the JSON Schema offers both.

    ``examples`` and ``description`` are what the schema says of the range (a
    probability's by default); ``read`` replaces the reading of a range where a kind of
    value needs its own (a duration's ``Estimate`` made in code is in hours, not in what
    the file writes).
    """
    pair = Annotated[
        list[form],
        Field(
            min_length=2,
            max_length=2,
            description=description,
            examples=_PROBABILITY_RANGES if examples is None else examples,
        ),
    ]
    return WrapValidator(read or read_range, json_schema_input_type=form | pair)


_RANGE_OUT = WrapSerializer(_write_range)
_PercentText = Annotated[str, StringConstraints(pattern=PERCENT_PATTERN), Field(examples=["90%"])]
_AnyPercentText = Annotated[
    str, StringConstraints(pattern=ANY_PERCENT_PATTERN), Field(examples=["120%"])
]
_Unit = Annotated[float, Field(ge=0.0, le=1.0)]
PROBABILITY_PERCENTAGES = Percentages("a probability", "a number from 0 to 1")
"""How a probability's percentages read: from ``"0%"`` to ``"100%"``."""

_ProbabilityForm = _Unit | _PercentText
_ChanceForm = float | _PercentText
_ShareForm = Weight | _PercentText
_FactorForm = Weight | _AnyPercentText

Probability = Annotated[
    _Unit,
    BeforeValidator(PROBABILITY_PERCENTAGES, json_schema_input_type=_ProbabilityForm),
    range_of(_ProbabilityForm),
    _RANGE_OUT,
]
"""A number from 0 to 1, or a percentage from ``"0%"`` to ``"100%"`` (``"90%"`` is 0.9), or a
range ``[low, high]`` of these: an ``Estimate``, read as its midpoint."""
Chance = Annotated[
    float,
    BeforeValidator(PROBABILITY_PERCENTAGES, json_schema_input_type=_ChanceForm),
    range_of(_ChanceForm),
    _RANGE_OUT,
]
"""A probability whose range a rule checks rather than the schema (a successor's ``p``);
a percentage must still be from 0% to 100%. A range ``[low, high]`` too."""
Share = Annotated[
    Weight,
    BeforeValidator(
        Percentages("a share", "a weight of at least 0"), json_schema_input_type=_ShareForm
    ),
    range_of(_ShareForm),
    _RANGE_OUT,
]
"""A weight normalised with others (a channel's share of arrivals), or a percentage from
``"0%"`` to ``"100%"``, or a range ``[low, high]`` of these."""
Factor = Annotated[
    Weight,
    BeforeValidator(
        Percentages("a factor", "a number of at least 0", top=None),
        json_schema_input_type=_FactorForm,
    ),
    range_of(_FactorForm),
    _RANGE_OUT,
]
"""A multiplier of a probability that may exceed 1 (a segment's ability, persistence), or a
percentage of at least ``"0%"`` (``"120%"`` is 1.2), or a range ``[low, high]`` of these."""
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
