"""Ranges ``[low, high]`` wherever a probability goes: read as their midpoint, kept whole.

The contract: docs/journey-format.md, "Ranges: what the designers are not sure of", and the
settled reading 'Ranges in a next list or in segment shares: the midpoints are normalised to
sum 1'.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import journeymap
from journeymap.flow import analyze
from journeymap.loader.scenario import changed_journey
from journeymap.model import Journey, Transition
from journeymap.model.estimate import Estimate, bounds
from journeymap.model.journey import Defaults
from journeymap.rules import RULES, RuleSet, run
from journeymap.serve.whatif import controls
from tests.conftest import DATA
from tests.schemas import schema_accepts
from tests.strategies import journey_data
from tests.test_percentages import NUMBERS, READ, TEMPLATE

BROKEN = DATA / "broken"
PROBABILITY = "write a percentage from 0% to 100% or a number from 0 to 1"


def _text(**values: str) -> str:
    return TEMPLATE.format(**(NUMBERS | values))


def _ends(value: float | None) -> tuple[float, float] | None:
    """The ends of a range, ``None`` for a number or nothing."""
    return None if value is None else bounds(value)


def _messages(text: str, name: str = "j.yaml") -> list[str]:
    return [str(finding) for finding in journeymap.reads(text, name).findings]


# -- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("slot", sorted(READ))
@pytest.mark.parametrize(
    ("written", "low", "high"),
    [
        ("[0.6, 0.9]", 0.6, 0.9),
        ('["60%", "90%"]', 0.6, 0.9),
        ("[60%, 90%]", 0.6, 0.9),
        ("[0, 1]", 0.0, 1.0),
        ("[70%, 0.8]", 0.7, 0.8),
        ("[0.25, 0.25]", 0.25, 0.25),
    ],
)
def test_a_range_is_an_estimate_wherever_a_probability_goes(
    slot: str, written: str, low: float, high: float
) -> None:
    value = READ[slot](journeymap.loads(_text(**{slot: written})))
    assert isinstance(value, Estimate)
    assert (value.low, value.high) == (low, high)
    assert value == (low + high) / 2
    assert bounds(value) == (low, high)


def test_a_range_reads_as_its_midpoint_and_prints_as_it() -> None:
    value = journeymap.loads(_text(resolve="[0.6, 0.9]")).defaults.resolve
    assert isinstance(value, Estimate)
    assert value == 0.75
    assert value.width == pytest.approx(0.3)
    assert (f"{value}", f"{value:.0%}", str(value)) == ("0.75", "75%", "0.75")
    assert repr(value) == "Estimate(0.6, 0.9)"


def test_factors_take_ranges_past_1() -> None:
    segment = journeymap.loads(_text(ability="[0.5, 1.5]", persistence="[90%, 120%]")).segments[0]
    assert bounds(segment.ability["web"]) == (0.5, 1.5)
    assert bounds(segment.persistence) == (0.9, 1.2)


def test_an_estimate_made_in_code_is_kept_as_it_is() -> None:
    given_range = Estimate(0.6, 0.9)
    assert Defaults(resolve=given_range).resolve is given_range
    assert Defaults.model_validate({"resolve": [0.6, 0.9]}).resolve == given_range


def test_an_estimate_made_in_code_has_its_ends_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        Defaults(resolve=Estimate(0.5, 1.4))
    (error,) = caught.value.errors()
    assert error["loc"] == ("resolve", 1)
    assert error["msg"] == "the high end: Input should be less than or equal to 1"
    with pytest.raises(ValidationError, match=r"write \[0.6, 0.9\]"):
        Defaults(resolve=Estimate(0.9, 0.6))


def test_model_dump_writes_ranges_back_as_lists() -> None:
    defaults = Defaults.model_validate({"resolve": ["60%", "90%"], "retry": 0.5})
    assert defaults.model_dump()["resolve"] == [0.6, 0.9]
    assert defaults.model_dump(mode="json")["retry"] == 0.5
    assert '"resolve":[0.6,0.9]' in defaults.model_dump_json()
    again = Defaults.model_validate(defaults.model_dump())
    assert bounds(again.resolve) == (0.6, 0.9)


# -- refused, with positions ---------------------------------------------------------------

RANGES = """\
journeymap: 1
id: ranges
defaults: {{resolve: {resolve}}}
stages: [{{id: one}}]
channels: {{web: {{}}}}
segments:
  - {{id: all, share: 1, ability: {{web: {ability}}}}}
touchpoints:
  - id: ask
    stage: one
    channels:
      web: {{role: primary, resolve: {channel}}}
"""


def _ranges(resolve: str = "0.9", ability: str = "1", channel: str = "0.9") -> str:
    return RANGES.format(resolve=resolve, ability=ability, channel=channel)


@pytest.mark.parametrize(
    ("values", "finding"),
    [
        (
            {"resolve": "[0.1, 0.2, 0.3]"},
            "j.yaml:3:21: error schema defaults.resolve: a range has two ends, [low, high]: "
            "this list has 3 items",
        ),
        (
            {"resolve": "[0.5]"},
            "j.yaml:3:21: error schema defaults.resolve: a range has two ends, [low, high]: "
            "this list has 1 item",
        ),
        (
            {"resolve": "[0.9, 0.6]"},
            "j.yaml:3:21: error schema defaults.resolve: range [0.9, 0.6]: the low end is above "
            "the high end; write [0.6, 0.9]",
        ),
        (
            {"channel": "[90%, 60%]"},
            "j.yaml:12:37: error schema touchpoints[ask].channels.web.resolve: range [90%, 60%]: "
            "the low end is above the high end; write [60%, 90%]",
        ),
        (
            {"resolve": "[0.6, 1.4]"},
            "j.yaml:3:27: error schema defaults.resolve[1]: the high end 1.4 is out of range: "
            "it must be at most 1.0",
        ),
        (
            {"ability": "[-0.5, 1.2]"},
            "j.yaml:7:41: error schema segments[all].ability.web[0]: the low end -0.5 is out of "
            "range: it must be at least 0.0",
        ),
        (
            {"channel": "[0.5, high]"},
            "j.yaml:12:43: error schema touchpoints[ask].channels.web.resolve[1]: the high end "
            f"'high' is not a probability: {PROBABILITY}",
        ),
        (
            {"channel": "[true, 0.9]"},
            "j.yaml:12:38: error schema touchpoints[ask].channels.web.resolve[0]: the low end: "
            "expected a number, found true",
        ),
        (
            {"resolve": '[0.5, "0.9"]'},
            "j.yaml:3:27: error schema defaults.resolve[1]: the high end: expected a number, "
            "found '0.9'; remove the quotes to make it a number",
        ),
        (
            {"resolve": "[[0.5, 0.6], 0.9]"},
            "j.yaml:3:22: error schema defaults.resolve[0]: the low end: expected a number, "
            "found a list",
        ),
    ],
)
def test_a_bad_range_is_a_schema_error_at_the_list_or_its_end(
    values: dict[str, str], finding: str
) -> None:
    assert _messages(_ranges(**values)) == [finding]


def test_both_bad_ends_are_reported_each_at_its_place() -> None:
    assert _messages(_ranges(resolve="[-0.1, 101%]")) == [
        "j.yaml:3:22: error schema defaults.resolve[0]: the low end -0.1 is out of range: it "
        "must be at least 0.0",
        f"j.yaml:3:28: error schema defaults.resolve[1]: the high end '101%' is not a "
        f"probability: {PROBABILITY}",
    ]


def test_an_end_on_its_own_line_is_pointed_at() -> None:
    text = _ranges().replace(
        "      web: {role: primary, resolve: 0.9}\n",
        "      web:\n        role: primary\n        resolve:\n          - 0.5\n          - 1.5\n",
    )
    assert _messages(text) == [
        "j.yaml:16:13: error schema touchpoints[ask].channels.web.resolve[1]: the high end 1.5 "
        "is out of range: it must be at most 1.0"
    ]


def test_numbers_that_are_not_probabilities_take_no_ranges() -> None:
    text = _ranges().replace("channels: {web: {}}", "channels: {web: {cost: [1, 2]}}")
    assert _messages(text) == [
        "j.yaml:5:24: error schema channels.web.cost: expected a number, found a list"
    ]


def test_the_broken_range_file_says_what_is_wrong_and_what_to_write() -> None:
    tails = [
        str(f).split(" schema ", 1)[1]
        for f in journeymap.read(BROKEN / "range-errors.yaml").findings
    ]
    assert tails == [
        "defaults.retry: a range has two ends, [low, high]: this list has 3 items",
        "defaults.switch: range [40%, 20%]: the low end is above the high end; write [20%, 40%]",
        "defaults.resolve[1]: the high end 1.2 is out of range: it must be at most 1.0",
        "segments[most].ability.web[0]: the low end -0.2 is out of range: it must be at least 0.0",
        "segments[few].persistence[1]: the high end 'lots' is not a factor: write a percentage of "
        "at least 0% ('120%') or a number of at least 0",
        "touchpoints[ask].channels.web.share[1]: the high end '140%' is not a share: write a "
        "percentage from 0% to 100% or a weight of at least 0",
        "touchpoints[ask].channels.web.resolve: a range has two ends, [low, high]: this list has "
        "1 item",
        "touchpoints[ask].channels.phone.resolve[0]: the low end: expected a number, found true",
        f"touchpoints[ask].next[0].p[1]: the high end '120%' is not a probability: {PROBABILITY}",
        "touchpoints[ask].next[1].p: range [0.1, 0.05]: the low end is above the high end; write "
        "[0.05, 0.1]",
    ]


# -- the probabilities and segment-shares rules --------------------------------------------

SUCCESSORS = """\
journeymap: 1
id: ranges
stages: [{{id: one}}]
channels: {{web: {{}}}}
touchpoints:
  - id: ask
    stage: one
    channels: {{web: primary}}
    next: [{{to: done, p: {p}}}, {{to: ask, p: {back}}}]
  - {{id: done, stage: one, channels: {{web: primary}}}}
"""


def _rule_messages(p: str, back: str, rule: str = "probabilities") -> list[str]:
    loaded = journeymap.reads(SUCCESSORS.format(p=p, back=back), "j.yaml")
    assert loaded.errors == ()
    return [str(f) for f in run(loaded) if f.rule == rule]


def test_a_next_list_with_a_range_is_not_held_to_add_up_to_1() -> None:
    assert _rule_messages("[0.6, 0.9]", "0.1") == []
    assert _rule_messages("[0.1, 0.2]", "[0.1, 0.2]") == []
    assert _rule_messages("0.75", "0.1") == [
        "j.yaml:9:5: error probabilities touchpoints[ask].next: p values add up to 0.85, not "
        "1, so 15% of customers vanish here; make them add up to 1"
    ]


def test_each_end_of_a_successor_range_is_checked_at_its_place() -> None:
    assert _rule_messages("[0.5, 1.5]", "[-0.25, 0.1]") == [
        "j.yaml:9:32: error probabilities touchpoints[ask].next[0].p[1]: p's high end 1.5 is "
        "not a probability; use 0 to 1",
        "j.yaml:9:53: error probabilities touchpoints[ask].next[1].p[0]: p's low end -0.25 is "
        "not a probability; use 0 to 1",
    ]


def test_a_next_list_with_ranges_that_are_all_0_is_refused() -> None:
    assert _rule_messages("[0, 0]", "0") == [
        "j.yaml:9:5: error probabilities touchpoints[ask].next: every p here is 0 (a range "
        "counts by its midpoint), so no customer goes on; give a successor a chance above 0"
    ]


def test_a_successor_range_made_in_code_the_wrong_way_round_is_found() -> None:
    journey = journeymap.loads(SUCCESSORS.format(p="[0.6, 0.9]", back="0.1"))
    ask = journey.touchpoints[0]
    flipped = ask.next[0].model_copy(update={"p": Estimate(0.9, 0.6)})
    broken = journey.model_copy(
        update={
            "touchpoints": [
                ask.model_copy(update={"next": [flipped, ask.next[1]]}),
                *journey.touchpoints[1:],
            ]
        }
    )
    found = [f.message for f in run(journeymap.Loaded("code", broken)) if f.rule == "probabilities"]
    assert found == [
        "touchpoints[0].next[0].p: range [0.9, 0.6]: the low end is above the high end; "
        "write [0.6, 0.9]"
    ]


def _segment_issues(shares: tuple[str, str]) -> list[str]:
    text = _text().replace(
        "  - {id: all, share: 1, ability: {web: 1}, persistence: 1}\n",
        f"  - {{id: a, share: {shares[0]}}}\n  - {{id: b, share: {shares[1]}}}\n",
    )
    only = RuleSet()
    rule = RULES.get("segment-shares")
    assert rule is not None
    only.add(rule)
    return [f.message for f in run(journeymap.reads(text, "j.yaml"), rules=only)]


def test_segment_shares_with_a_range_are_normalised_not_summed() -> None:
    assert _segment_issues(("[0.5, 0.8]", "30%")) == []
    assert _segment_issues(("0.5", "30%")) == [
        "segments: shares add up to 0.8 (a 0.5, b 0.3), not 1; segments split all customers, "
        "so make their shares add up to 1"
    ]
    assert _segment_issues(("[0, 0]", "0")) == [
        "segments: every share is 0 (a range counts by its midpoint), so the segments hold no "
        "customers; give a segment a share above 0"
    ]


# -- the same figures as the midpoints -----------------------------------------------------

_UNIT = 1.0
_PROBABILITIES = ("retry", "switch", "stickiness", "resolve", "gap_penalty")


@st.composite
def _ranged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid journey's data with about half its probabilities made ranges around them.

    Each range ``[v - d, v + d]`` stays within the value's bounds, so its midpoint is ``v``
    up to rounding, and a ``next`` list's midpoints still add up to 1 within the rule's
    tolerance.
    """
    data = copy.deepcopy(draw(journey_data(max_touchpoints=6, max_channels=4, behaviour=True)))

    def widen(value: float, top: float | None) -> Any:
        if not draw(st.booleans()):
            return value
        room = value if top is None else min(value, top - value)
        spread = draw(st.floats(0.0, 1.0)) * room
        high = value + spread
        return [value - spread, high if top is None else min(top, high)]

    def widen_keys(mapping: dict[str, Any], keys: tuple[str, ...], top: float | None) -> None:
        for key in keys:
            if isinstance(mapping.get(key), int | float):
                mapping[key] = widen(mapping[key], top)

    widen_keys(data.get("defaults", {}), _PROBABILITIES, _UNIT)
    for tp in data["touchpoints"]:
        widen_keys(tp, ("retry", "switch"), _UNIT)
        for use in tp["channels"].values():
            if isinstance(use, dict):
                widen_keys(use, ("resolve",), _UNIT)
                widen_keys(use, ("share",), None)
        for step in tp.get("next", []):
            widen_keys(step, ("p",), _UNIT)
    for segment in data.get("segments", []):
        widen_keys(segment, ("share",), _UNIT)
        widen_keys(segment, ("persistence",), None)
        ability = segment.get("ability", {})
        widen_keys(ability, tuple(ability), None)
    return data


def _midpoints(node: Any) -> Any:
    """Dumped journey data with each range ``[low, high]`` replaced by its midpoint."""
    if isinstance(node, dict):
        return {key: _midpoints(value) for key, value in node.items()}
    if isinstance(node, list):
        if len(node) == 2 and all(type(end) is float for end in node):
            return float(Estimate(*node))
        return [_midpoints(item) for item in node]
    return node


@given(_ranged())
def test_a_journey_with_ranges_gives_the_figures_of_its_midpoints(data: dict[str, Any]) -> None:
    ranged = Journey.model_validate(data)
    midpoints = Journey.model_validate(_midpoints(ranged.model_dump(by_alias=True)))
    assert midpoints == ranged
    assert analyze(ranged).as_dict() == analyze(midpoints).as_dict()


def test_a_range_gives_the_figures_of_its_midpoint_written_in() -> None:
    ends = {"resolve": (0.8, 1.0), "p": (0.85, 0.95), "p_back": (0.05, 0.15), "ability": (0.5, 1.5)}
    ranged = journeymap.loads(
        _text(**{slot: f"[{low}, {high}]" for slot, (low, high) in ends.items()})
    )
    written = journeymap.loads(
        _text(**{slot: repr((low + high) / 2) for slot, (low, high) in ends.items()})
    )
    assert analyze(ranged).as_dict() == analyze(written).as_dict()


# -- dump and scenarios --------------------------------------------------------------------


def test_dump_writes_ranges_on_one_line_and_loads_them_back() -> None:
    journey = journeymap.loads(
        _text(retry="[0.6, 0.8]", channel_resolve='["70%", "90%"]', p="[0.8, 1]", ability="[1, 1]")
    )
    dumped = journeymap.dump(journey)
    assert "  retry: [0.6, 0.8]\n" in dumped
    assert "      resolve: [0.7, 0.9]\n" in dumped
    assert "    p: [0.8, 1.0]\n" in dumped
    assert "    web: [1.0, 1.0]\n" in dumped
    back = journeymap.loads(dumped)
    assert back.model_dump() == journey.model_dump()
    assert bounds(back.defaults.retry) == (0.6, 0.8)


def test_a_range_whose_midpoint_is_the_default_is_not_left_out() -> None:
    journey = journeymap.loads(_text(retry="[0.6, 0.8]", persistence="[0.5, 1.5]"))
    assert journey.defaults.retry == Defaults().retry
    back = journeymap.loads(journeymap.dump(journey))
    assert bounds(back.defaults.retry) == (0.6, 0.8)
    assert bounds(back.segments[0].persistence) == (0.5, 1.5)


@given(_ranged())
def test_any_journey_with_ranges_round_trips(data: dict[str, Any]) -> None:
    journey = Journey.model_validate(data)
    result = journeymap.reads(journeymap.dump(journey), "generated.yaml")
    assert result.findings == ()
    assert result.journey is not None
    assert result.journey.model_dump() == journey.model_dump()


def _scenario(tmp_path: Path, *changes: str) -> journeymap.Loaded:
    (tmp_path / "base.yaml").write_text(_text(retry="[0.6, 0.8]", p="[0.8, 1]"), "utf-8")
    lines = ["scenario: 1", "extends: base.yaml", "changes:", *(f"  - {c}" for c in changes)]
    (tmp_path / "what-if.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return journeymap.read(tmp_path / "what-if.yaml")


def test_a_scenario_sets_a_range_and_keeps_those_of_its_base(tmp_path: Path) -> None:
    journey = _scenario(
        tmp_path,
        "set: {path: touchpoints.ask.channels.web.resolve, value: [0.6, 0.9]}",
        'set: {path: defaults.resolve, value: ["50%", "70%"]}',
        "set: {path: touchpoints.ask.next.ask.p, value: 0.05}",
    ).raise_for_errors()
    assert _ends(journey.touchpoint("ask").channels["web"].resolve) == (0.6, 0.9)
    assert bounds(journey.defaults.resolve) == (0.5, 0.7)
    assert bounds(journey.defaults.retry) == (0.6, 0.8)
    assert _ends(journey.touchpoint("ask").next[0].p) == (0.8, 1.0)


def test_a_bad_range_in_a_scenario_is_reported_at_the_change(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        "set: {path: touchpoints.ask.channels.web.resolve, value: [0.6, 1.9]}",
        "set: {path: defaults.switch, value: [0.9, 0.6]}",
    )
    assert [str(f).removeprefix(f"{tmp_path}/") for f in loaded.findings] == [
        "what-if.yaml:4:68: error schema touchpoints[ask].channels.web.resolve[1]: the high "
        "end 1.9 is out of range: it must be at most 1.0",
        "what-if.yaml:5:41: error schema defaults.switch: range [0.9, 0.6]: the low end is "
        "above the high end; write [0.6, 0.9]",
    ]


def test_changes_in_code_keep_the_ranges_they_do_not_touch() -> None:
    journey = journeymap.loads(_text(retry="[0.6, 0.8]", ability="[0.5, 1.5]"))
    changed = changed_journey(journey, [{"set": {"path": "defaults.switch", "value": [0.2, 0.4]}}])
    assert bounds(changed.defaults.switch) == (0.2, 0.4)
    assert bounds(changed.defaults.retry) == (0.6, 0.8)
    assert bounds(changed.segments[0].ability["web"]) == (0.5, 1.5)


def test_removing_a_successor_leaves_a_list_with_ranges_to_be_normalised(tmp_path: Path) -> None:
    base = _text(p="[0.6, 0.8]", p_back="5%").replace(
        "      - {to: ask, p: 5%}\n", "      - {to: ask, p: 5%}\n      - {to: spare, p: 25%}\n"
    )
    base += "  - {id: spare, stage: one, channels: {web: primary}}\n"
    (tmp_path / "base.yaml").write_text(base, "utf-8")
    (tmp_path / "what-if.yaml").write_text(
        "scenario: 1\nextends: base.yaml\nchanges:\n  - remove-touchpoint: spare\n", "utf-8"
    )
    steps = journeymap.load(tmp_path / "what-if.yaml").touchpoint("ask").next
    assert [(s.to, _ends(s.p), s.p) for s in steps] == [
        ("done", (0.6, 0.8), pytest.approx(0.7)),
        ("ask", None, 0.05),
    ]


# -- JSON Schema ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"resolve": "[0.6, 0.9]", "p": '["60%", "90%"]', "p_back": "[0, 0.2]"},
        {"segment_share": "[0.9, 1]", "ability": "[80%, 120%]", "persistence": "[0.5, 2]"},
        {"channel_share": "[1, 3]", "channel_resolve": "[0.5, 0.5]", "tp_retry": "[0%, 10%]"},
    ],
)
def test_the_json_schema_accepts_ranges(values: dict[str, str]) -> None:
    assert schema_accepts(_text(**values))
    assert journeymap.reads(_text(**values)).findings == ()


@pytest.mark.parametrize(
    "values",
    [
        {"resolve": "[0.1, 0.2, 0.3]"},
        {"resolve": "[0.5]"},
        {"resolve": "[0.5, 1.4]"},
        {"channel_share": "[50%, 140%]"},
        {"ability": "[-0.5, 1]"},
        {"tp_switch": "[low, high]"},
        {"p": "[[0.5, 0.6], 0.9]"},
        {"p": '[0.5, "0.9"]'},
    ],
)
def test_the_json_schema_refuses_bad_ranges(values: dict[str, str]) -> None:
    assert not schema_accepts(_text(**values))
    assert journeymap.reads(_text(**values)).errors


def test_the_schema_offers_the_range_of_each_probability_by_its_own_form() -> None:
    defs = journeymap.json_schema()["$defs"]
    for model, key in (("Defaults", "retry"), ("Transition", "p"), ("Segment", "persistence")):
        forms = defs[model]["properties"][key]["anyOf"]
        (pair,) = [form for form in forms if form.get("type") == "array"]
        assert (pair["minItems"], pair["maxItems"]) == (2, 2)
        singles = [form for form in forms if form.get("type") not in ("array", "null")]
        assert pair["items"] == {"anyOf": singles}
        assert "[low, high]" in pair["description"]


# -- elsewhere, an Estimate is a number -----------------------------------------------------


def test_what_if_sliders_start_from_the_midpoint() -> None:
    journey = journeymap.loads(_text(tp_retry="[0.6, 0.8]", segment_share="[0.9, 1]"))
    html = controls(journey, "ask")
    assert re.findall(r'data-path="touchpoints\.ask\.retry" data-initial="([^"]*)"', html) == [
        "0.7"
    ]
    assert 'data-initial="0.95"' in html
    assert "Estimate" not in html


def test_a_lone_successor_range_is_its_midpoint() -> None:
    step = Transition(to="done", p=Estimate(0.9, 1.0))
    assert step.p == 0.95
