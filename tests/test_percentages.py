"""Percentages wherever a probability goes: ``90%`` is 0.9, and a bad one says what to write.

The contract: docs/journey-format.md, "Values", **Percentages**.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import journeymap
from journeymap import Journey
from journeymap.model.journey import Defaults, Segment
from journeymap.model.types import ANY_PERCENT_PATTERN, PERCENT_PATTERN
from journeymap.rules import run
from tests.conftest import DATA, EXAMPLES
from tests.schemas import schema_accepts

BROKEN = DATA / "broken"
PROBABILITY = "write a percentage from 0% to 100% or a number from 0 to 1"
FACTOR = "write a percentage of at least 0% ('120%') or a number of at least 0"

TEMPLATE = """\
journeymap: 1
id: percentages
defaults: {{retry: {retry}, switch: {switch}, stickiness: {stickiness}, resolve: {resolve}, \
gap_penalty: {gap_penalty}}}
stages: [{{id: one}}]
channels: {{web: {{}}, phone: {{}}}}
segments:
  - {{id: all, share: {segment_share}, ability: {{web: {ability}}}, persistence: {persistence}}}
touchpoints:
  - id: ask
    stage: one
    channels:
      web: {{role: primary, share: {channel_share}, resolve: {channel_resolve}}}
      phone: {{role: alternative, share: 1}}
    retry: {tp_retry}
    switch: {tp_switch}
    next:
      - {{to: done, p: {p}}}
      - {{to: ask, p: {p_back}}}
  - {{id: done, stage: one, channels: {{web: primary}}}}
"""
NUMBERS = {
    "retry": "0.7",
    "switch": "0.3",
    "stickiness": "0.8",
    "resolve": "0.9",
    "gap_penalty": "0.8",
    "segment_share": "1",
    "ability": "1",
    "persistence": "1",
    "channel_share": "1",
    "channel_resolve": "0.9",
    "tp_retry": "0.7",
    "tp_switch": "0.3",
    "p": "1",
    "p_back": "0",
}
"""A valid journey's values, each a slot of TEMPLATE a test writes a percentage into."""

READ: dict[str, Callable[[Journey], float | None]] = {
    "retry": lambda j: j.defaults.retry,
    "switch": lambda j: j.defaults.switch,
    "stickiness": lambda j: j.defaults.stickiness,
    "resolve": lambda j: j.defaults.resolve,
    "gap_penalty": lambda j: j.defaults.gap_penalty,
    "segment_share": lambda j: j.segments[0].share,
    "ability": lambda j: j.segments[0].ability["web"],
    "persistence": lambda j: j.segments[0].persistence,
    "channel_share": lambda j: j.touchpoint("ask").channels["web"].share,
    "channel_resolve": lambda j: j.touchpoint("ask").channels["web"].resolve,
    "tp_retry": lambda j: j.touchpoint("ask").retry,
    "tp_switch": lambda j: j.touchpoint("ask").switch,
    "p": lambda j: j.touchpoint("ask").next[0].p,
}
"""How to read each slot back from the journey."""


def _text(**values: str) -> str:
    return TEMPLATE.format(**(NUMBERS | values))


def _loaded(**values: str) -> journeymap.Loaded:
    return journeymap.reads(_text(**values), "j.yaml")


def _messages(**values: str) -> list[str]:
    return [str(finding) for finding in _loaded(**values).findings]


# -- accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize("slot", sorted(READ))
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("90%", 0.9),
        ('"90%"', 0.9),
        ("'90%'", 0.9),
        ("90.5%", 0.905),
        ("12.345%", 0.12345),
        ("7%", 0.07),
        ("0%", 0.0),
        ("100%", 1.0),
        ("100.00%", 1.0),
        ("090%", 0.9),
        ("90 %", 0.9),
        ('"90\\u00a0%"', 0.9),
    ],
)
def test_a_percentage_is_read_as_its_fraction_wherever_a_probability_goes(
    slot: str, written: str, value: float
) -> None:
    assert READ[slot](journeymap.loads(_text(**{slot: written}))) == value


def test_percentages_give_the_same_journey_as_the_numbers_they_stand_for() -> None:
    percentages = {slot: f"{Decimal(number) * 100}%" for slot, number in NUMBERS.items()}
    assert journeymap.loads(_text(**percentages)) == journeymap.loads(_text())


@pytest.mark.parametrize(("written", "value"), [("120%", 1.2), ("250.5%", 2.505), ("0%", 0.0)])
@pytest.mark.parametrize("slot", ["ability", "persistence"])
def test_factors_take_percentages_past_100(slot: str, written: str, value: float) -> None:
    assert READ[slot](journeymap.loads(_text(**{slot: written}))) == value


def test_numbers_are_read_as_before() -> None:
    journey = journeymap.loads(_text(channel_share="3", ability="1.5"))
    assert READ["channel_share"](journey) == 3.0
    assert READ["ability"](journey) == 1.5


def test_a_successor_p_number_past_1_is_left_to_the_rule_but_a_percentage_is_not() -> None:
    by_rule = _loaded(p="1.5", p_back="-0.5")
    assert by_rule.findings == ()
    assert {f.rule for f in run(by_rule) if f.severity.name == "ERROR"} == {"probabilities"}
    assert _messages(p="150%", p_back="-50%") == [
        f"j.yaml:17:23: error schema touchpoints[ask].next[0].p: '150%' is not a probability: "
        f"{PROBABILITY}",
        f"j.yaml:18:22: error schema touchpoints[ask].next[1].p: '-50%' is not a probability: "
        f"{PROBABILITY}",
    ]


_DIGITS = st.integers(0, 100).map(Decimal)
_DECIMALS = st.one_of(
    [st.decimals(0, 100, places=places, allow_nan=False) for places in range(1, 7)]
)


@given(_DIGITS | _DECIMALS)
def test_x_percent_is_the_decimal_x_over_100(x: Decimal) -> None:
    journey = journeymap.loads(_text(resolve=f"{x}%"))
    assert journey.defaults.resolve == float(x / 100)
    assert journey.defaults.resolve == pytest.approx(float(x) / 100, rel=1e-15, abs=1e-300)


# -- refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("190%", f"'190%' is not a probability: {PROBABILITY}"),
        ("100.01%", f"'100.01%' is not a probability: {PROBABILITY}"),
        ('"-5%"', f"'-5%' is not a probability: {PROBABILITY}"),
        ('"+5%"', f"'+5%' is not a probability: {PROBABILITY}"),
        ("ninety%", f"'ninety%' is not a probability: {PROBABILITY}"),
        ('"%"', f"'%' is not a probability: {PROBABILITY}"),
        ("90 %%", f"'90 %%' is not a probability: {PROBABILITY}"),
        ("90  %", f"'90  %' is not a probability: {PROBABILITY}"),
        ("'% 90'", f"'% 90' is not a probability: {PROBABILITY}"),
        ("90%25", f"'90%25' is not a probability: {PROBABILITY}"),
        (".5%", f"'.5%' is not a probability: {PROBABILITY}"),
        ("5.%", f"'5.%' is not a probability: {PROBABILITY}"),
        ("1e2%", f"'1e2%' is not a probability: {PROBABILITY}"),
        ("'٩٠%'", f"'٩٠%' is not a probability: {PROBABILITY}"),
        (
            '"90,5 %"',
            f"'90,5 %' is not a probability: {PROBABILITY}; use a decimal point: '90.5 %'",
        ),
        ('"190,5%"', f"'190,5%' is not a probability: {PROBABILITY}"),
        ("high", f"'high' is not a probability: {PROBABILITY}"),
        ('""', f"'' is not a probability: {PROBABILITY}"),
        ('"0.9"', "expected a number, found '0.9'; remove the quotes to make it a number"),
        ("true", "expected a number, found true"),
    ],
)
def test_bad_percentages_are_schema_errors_at_the_value(written: str, message: str) -> None:
    assert _messages(resolve=written) == [f"j.yaml:3:63: error schema defaults.resolve: {message}"]


def test_a_channel_share_as_a_percentage_is_at_most_100() -> None:
    assert _messages(channel_share="140%") == [
        "j.yaml:12:35: error schema touchpoints[ask].channels.web.share: '140%' is not a "
        "share: write a percentage from 0% to 100% or a weight of at least 0"
    ]


@pytest.mark.parametrize("slot", ["ability", "persistence"])
def test_factors_refuse_what_is_below_0_or_no_percentage(slot: str) -> None:
    for written in ('"-10%"', "lots%"):
        (finding,) = _loaded(**{slot: written}).findings
        assert finding.message.endswith(f"'{written.strip(chr(34))}' is not a factor: {FACTOR}")


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ("channels: {web: {cost: 50%}}", "channels.web.cost: expected a number, found '50%'"),
        ("emotion: 50%", "touchpoints[ask].emotion: expected a whole number, found '50%'"),
        (
            "failures: {other: 50%}",
            "touchpoints[ask].failures.other: expected a number, found '50%'",
        ),
        ("prefers: {web: 50%}", "segments[all].prefers.web: expected a number, found '50%'"),
    ],
)
def test_numbers_that_are_not_probabilities_take_no_percentages(
    fragment: str, message: str
) -> None:
    text = _text()
    if fragment.startswith("channels"):
        text = text.replace("channels: {web: {}, phone: {}}", fragment)
    elif fragment.startswith("prefers"):
        text = text.replace("persistence: 1}", f"persistence: 1, {fragment}}}")
    else:
        text = text.replace("    retry: 0.7\n", f"    retry: 0.7\n    {fragment}\n")
    (finding,) = journeymap.reads(text, "j.yaml").findings
    assert finding.message == message


def test_broken_files_say_what_is_wrong_and_what_to_write() -> None:
    def tails(name: str) -> list[str]:
        return [str(f).split(" schema ", 1)[1] for f in journeymap.read(BROKEN / name).findings]

    assert tails("percent-out-of-range.yaml") == [
        f"defaults.gap_penalty: '190%' is not a probability: {PROBABILITY}",
        f"segments[few].share: '-20%' is not a probability: {PROBABILITY}",
        f"touchpoints[ask].channels.web.resolve: '101%' is not a probability: {PROBABILITY}",
        "touchpoints[ask].channels.phone.share: '140%' is not a share: write a percentage "
        "from 0% to 100% or a weight of at least 0",
        f"touchpoints[ask].retry: '100.5%' is not a probability: {PROBABILITY}",
        f"touchpoints[ask].next[1].p: '110%' is not a probability: {PROBABILITY}",
    ]
    assert tails("percent-unreadable.yaml") == [
        f"defaults.resolve: 'ninety%' is not a probability: {PROBABILITY}",
        f"defaults.stickiness: '%' is not a probability: {PROBABILITY}",
        f"defaults.switch: '90 %%' is not a probability: {PROBABILITY}",
        f"touchpoints[ask].channels.web.resolve: '90,5 %' is not a probability: {PROBABILITY}; "
        "use a decimal point: '90.5 %'",
        f"touchpoints[ask].switch: 'high' is not a probability: {PROBABILITY}",
        f"touchpoints[ask].retry: '0.5%%' is not a probability: {PROBABILITY}",
    ]
    assert tails("percent-factors.yaml") == [
        f"segments[older].ability.app: '-10%' is not a factor: {FACTOR}",
        f"segments[older].persistence: 'lots%' is not a factor: {FACTOR}",
    ]


# -- dump, scenarios, JSON Schema -----------------------------------------------------------


def test_a_journey_with_percentages_dumps_numbers_and_loads_back_equal() -> None:
    journey = journeymap.loads(_text(resolve="85%", ability="120%", p="90.5%", p_back="9.5%"))
    dumped = journeymap.dump(journey)
    assert "%" not in dumped
    assert journeymap.loads(dumped) == journey


def _scenario(*changes: str) -> journeymap.Loaded:
    lines = ["scenario: 1", "extends: parcel-delivery.yaml", "changes:"]
    lines += [f"  - {change}" for change in changes]
    return journeymap.reads("\n".join(lines) + "\n", "what-if.yaml", base_dir=EXAMPLES)


def test_a_scenario_sets_a_percentage() -> None:
    loaded = _scenario(
        'set: {path: touchpoints.track.channels.web.resolve, value: "85%"}',
        "set: {path: defaults.retry, value: 65%}",
        "add-channel: {touchpoint: deliver, channel: chat, share: 20%, resolve: 75.5%}",
    )
    journey = loaded.raise_for_errors()
    assert journey.touchpoint("track").channels["web"].resolve == 0.85
    assert journey.defaults.retry == 0.65
    chat = journey.touchpoint("deliver").channels["chat"]
    assert (chat.share, chat.resolve) == (0.2, 0.755)


def test_a_scenario_percentage_past_100_is_refused_at_the_change() -> None:
    loaded = _scenario('set: {path: touchpoints.track.channels.web.resolve, value: "185%"}')
    assert [str(f) for f in loaded.findings] == [
        "what-if.yaml:4:64: error schema touchpoints[track].channels.web.resolve: '185%' is "
        f"not a probability: {PROBABILITY}"
    ]


def test_removing_a_touchpoint_shares_out_percentages_too(tmp_path: Path) -> None:
    base = _text(p="75%", p_back="25%").replace(
        "  - {id: done, stage: one, channels: {web: primary}}\n",
        "  - {id: done, stage: one, channels: {web: primary}}\n"
        "  - {id: spare, stage: one, channels: {web: primary}}\n",
    )
    base = base.replace(
        "      - {to: ask, p: 25%}\n", "      - {to: ask, p: 5%}\n      - {to: spare, p: 20%}\n"
    )
    (tmp_path / "base.yaml").write_text(base, "utf-8")
    (tmp_path / "what-if.yaml").write_text(
        "scenario: 1\nextends: base.yaml\nchanges:\n  - remove-touchpoint: spare\n", "utf-8"
    )
    steps = journeymap.load(tmp_path / "what-if.yaml").touchpoint("ask").next
    assert [s.to for s in steps] == ["done", "ask"]
    assert [s.p for s in steps] == pytest.approx([0.9375, 0.0625])


@pytest.mark.parametrize(
    "values",
    [
        {"resolve": "90%", "p": "90.5%", "p_back": "9.5 %", "segment_share": "100%"},
        {"channel_share": "60%", "ability": "120%", "persistence": "80%", "tp_retry": "0%"},
    ],
)
def test_the_json_schema_accepts_percentages(values: dict[str, str]) -> None:
    assert schema_accepts(_text(**values))
    assert journeymap.reads(_text(**values)).findings == ()


@pytest.mark.parametrize(
    "values", [{"resolve": "190%"}, {"channel_share": "140%"}, {"ability": '"-5%"'}, {"p": "1e2%"}]
)
def test_the_json_schema_refuses_bad_percentages(values: dict[str, str]) -> None:
    assert not schema_accepts(_text(**values))
    assert journeymap.reads(_text(**values)).errors


def test_editors_are_offered_the_percentage_form() -> None:
    resolve = journeymap.json_schema()["$defs"]["Defaults"]["properties"]["resolve"]
    forms = [
        {"type": "number", "minimum": 0.0, "maximum": 1.0},
        {"type": "string", "pattern": PERCENT_PATTERN, "examples": ["90%"]},
    ]
    *singles, pair = resolve["anyOf"]
    assert singles == forms
    assert (pair["type"], pair["items"], pair["minItems"], pair["maxItems"]) == (
        "array",
        {"anyOf": forms},
        2,
        2,
    )
    assert '"90%"' in resolve["description"]


_PERCENT_LIKE = st.text(st.sampled_from("0123456789.,%- \u00a0"), max_size=8)


@given(_PERCENT_LIKE)
def test_the_schema_patterns_accept_exactly_what_the_loader_accepts(text: str) -> None:
    def loads(build: Callable[[], object]) -> bool:
        try:
            build()
        except ValueError:
            return False
        return True

    if "%" not in text:
        return
    probability = loads(lambda: Defaults.model_validate({"resolve": text}))
    factor = loads(lambda: Segment.model_validate({"id": "s", "share": 1, "persistence": text}))
    assert probability == (re.search(PERCENT_PATTERN, text) is not None)
    assert factor == (re.search(ANY_PERCENT_PATTERN, text) is not None)
