"""Time and capacity keys: durations, volume, agents, patience and the service level.

The contract: ../shared/design/journey-format.md, Revision 2, **Time**, **Capacity** and the
settled readings of ``volume``; docs/journey-format.md, "Time and capacity". Durations are
held in hours, a volume in customers per week.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import journeymap
from journeymap.loader.scenario import changed_journey
from journeymap.model import (
    Channel,
    Journey,
    OpeningHours,
    ServiceLevel,
    Volume,
    closed_stretches,
    closed_wait_hours,
    format_duration,
    open_days,
    open_hours_per_week,
    parse_duration,
    parse_hours,
)
from journeymap.model.estimate import Estimate, bounds
from journeymap.rules import run
from tests.conftest import DATA
from tests.schemas import schema_accepts

HOW = "write 30s, 5m, 4h, 2d or 1w; a bare number is minutes"

TEMPLATE = """\
journeymap: 1
id: times
volume: {volume}
defaults: {{service_level: {level}}}
stages: [{{id: one}}]
channels:
  web: {{}}
  phone: {{response: {response}, handling: {handling}, agents: {agents}, patience: {patience}}}
touchpoints:
  - {{id: ask, stage: one, channels: {{web: primary, phone: escalation}}, duration: {duration}}}
"""
VALUES = {
    "volume": "2000/week",
    "level": '"80% in 60s"',
    "response": "4m",
    "handling": "7m",
    "agents": "12",
    "patience": "3m",
    "duration": "14d",
}
PLAIN = """\
journeymap: 1
id: plain
stages: [{id: one}]
channels: {web: {}, phone: {hours: "mon-fri 08:00-16:00"}}
touchpoints:
  - {id: ask, stage: one, channels: {web: primary, phone: escalation}}
"""


def _text(**values: str) -> str:
    return TEMPLATE.format(**(VALUES | values))


def _load(**values: str) -> Journey:
    return journeymap.loads(_text(**values))


def _messages(**values: str) -> list[str]:
    return [str(finding) for finding in journeymap.reads(_text(**values), "j.yaml").findings]


# -- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hours"),
    [
        ("30s", 30 / 3600),
        ("5m", 5 / 60),
        ("4h", 4.0),
        ("2d", 48.0),
        ("1w", 168.0),
        ("90", 1.5),
        ("1.5", 0.025),
        ("0", 0.0),
        ("1.5h", 1.5),
        ("5 m", 5 / 60),
        ('"90\u00a0s"', 0.025),
    ],
)
def test_durations_are_read_in_hours(written: str, hours: float) -> None:
    journey = _load(handling=written)
    assert journey.channels["phone"].handling == pytest.approx(hours, abs=1e-15)


def test_every_duration_key_is_read() -> None:
    journey = _load()
    phone = journey.channels["phone"]
    assert (phone.response, phone.handling, phone.patience) == pytest.approx((4 / 60, 7 / 60, 0.05))
    assert phone.agents == 12
    assert journey.touchpoints[0].duration == 14 * 24


def test_the_same_time_in_other_units_is_the_same_float() -> None:
    assert (
        parse_duration("90s")
        == parse_duration("1.5m")
        == _load(handling="1.5").channels["phone"].handling
    )
    assert parse_duration("2d") == parse_duration("48h") == 48.0
    assert parse_duration("5 mins") is None


def test_a_range_of_durations_is_an_estimate_of_hours() -> None:
    journey = _load(handling="[3m, 6m]", duration='["10d", 3w]')
    handling = journey.channels["phone"].handling
    assert isinstance(handling, Estimate)
    assert bounds(handling) == pytest.approx((0.05, 0.1))
    assert handling == pytest.approx(0.075)
    assert bounds(journey.touchpoints[0].duration) == (240.0, 504.0)
    assert bounds(_load(handling="[1h, 90]").channels["phone"].handling) == (1.0, 1.5)


def test_left_out_keys_take_their_defaults() -> None:
    journey = journeymap.loads(PLAIN)
    web = journey.channels["web"]
    assert (web.response, web.handling, web.agents, web.patience) == (0.0, 0.0, None, None)
    assert journey.touchpoints[0].duration == 0.0
    assert journey.volume is None
    assert journey.defaults.fte_hours == 37.5
    assert journey.defaults.service_level is None


def test_a_journey_without_the_keys_dumps_as_before() -> None:
    dumped = journeymap.loads(PLAIN).model_dump(exclude_defaults=True)
    assert dumped == {
        "journeymap": 1,
        "id": "plain",
        "stages": [{"id": "one"}],
        "channels": {
            "web": {"kind": "self-service"},
            "phone": {"kind": "assisted", "hours": "mon-fri 08:00-16:00"},
        },
        "touchpoints": [
            {
                "id": "ask",
                "stage": "one",
                "channels": {"web": {"role": "primary"}, "phone": {"role": "escalation"}},
            }
        ],
    }


@pytest.mark.parametrize(
    ("written", "per_week"),
    [
        ("2000/week", 2000.0),
        ("100/day", 700.0),
        ("500/month", 500 * 7 / 30.4375),
        ("2000", 2000.0),
        ("1500.5", 1500.5),
        ("2000 / week", 2000.0),
        ("0/week", 0.0),
    ],
)
def test_volume_is_customers_per_week(written: str, per_week: float) -> None:
    volume = _load(volume=written).volume
    assert isinstance(volume, Volume)
    assert volume == pytest.approx(per_week, rel=1e-15)


def test_a_month_is_a_twelfth_of_a_year() -> None:
    assert _load(volume="365.25/month").volume == pytest.approx(7 * 12)


@pytest.mark.parametrize(
    ("written", "share", "within"),
    [
        ('"80% in 60s"', 0.8, 1 / 60),
        ('"90 % in 2m"', 0.9, 2 / 60),
        ('"0.95 in 20 s"', 0.95, 20 / 3600),
        ("99.5% in 1h", 0.995, 1.0),
        ('"80% in 0s"', 0.8, 0.0),
    ],
)
def test_service_level_is_a_share_and_a_wait(written: str, share: float, within: float) -> None:
    level = _load(level=written).defaults.service_level
    assert isinstance(level, ServiceLevel)
    assert (level.share, level.within_hours) == pytest.approx((share, within))


def test_fte_hours_is_a_number_of_hours() -> None:
    text = _text().replace("defaults: {", "defaults: {fte_hours: 36.25, ")
    assert journeymap.loads(text).defaults.fte_hours == 36.25


# -- refused, with positions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "finding"),
    [
        (
            {"handling": "5 mins"},
            f"j.yaml:8:35: error schema channels.phone.handling: '5 mins' is not a duration: {HOW}",
        ),
        (
            {"response": '"5"'},
            f"j.yaml:8:21: error schema channels.phone.response: '5' is not a duration: {HOW}; "
            "remove the quotes to make it minutes",
        ),
        (
            {"response": '"1,5h"'},
            f"j.yaml:8:21: error schema channels.phone.response: '1,5h' is not a duration: {HOW}; "
            "use a decimal point: '1.5h'",
        ),
        (
            {"response": "4H"},
            f"j.yaml:8:21: error schema channels.phone.response: '4H' is not a duration: {HOW}; "
            "write the unit in lowercase: '4h'",
        ),
        (
            {"response": "-5m"},
            f"j.yaml:8:21: error schema channels.phone.response: '-5m' is not a duration: {HOW}; "
            "a duration cannot be negative",
        ),
        (
            {"response": "-5"},
            "j.yaml:8:21: error schema channels.phone.response: -5 is not a duration: it must be "
            "0 or more",
        ),
        (
            {"response": "true"},
            f"j.yaml:8:21: error schema channels.phone.response: expected a duration ({HOW}), "
            "found true",
        ),
        (
            {"duration": "null"},
            f"j.yaml:10:82: error schema touchpoints[ask].duration: expected a duration ({HOW}), "
            "found nothing (null)",
        ),
        (
            {"handling": "[6m, 3m]"},
            "j.yaml:8:35: error schema channels.phone.handling: range [6m, 3m]: the low end is "
            "above the high end; write [3m, 6m]",
        ),
        (
            {"handling": "[3m, 5 mins]"},
            "j.yaml:8:40: error schema channels.phone.handling[1]: the high end '5 mins' is not a "
            f"duration: {HOW}",
        ),
        (
            {"handling": "[1m, 2m, 3m]"},
            "j.yaml:8:35: error schema channels.phone.handling: a range has two ends, [low, high]: "
            "this list has 3 items",
        ),
        (
            {"patience": "0s"},
            "j.yaml:8:61: error schema channels.phone.patience: must be above 0: customers wait a "
            "while before they give up, e.g. 3m",
        ),
        (
            {"patience": "[0, 3m]"},
            "j.yaml:8:62: error schema channels.phone.patience[0]: the low end: must be above 0: "
            "customers wait a while before they give up, e.g. 3m",
        ),
        (
            {"agents": "0"},
            "j.yaml:8:47: error schema channels.phone.agents: 0 is out of range: it must be at "
            "least 1",
        ),
        (
            {"agents": "2.5"},
            "j.yaml:8:47: error schema channels.phone.agents: expected a whole number, found 2.5",
        ),
        (
            {"volume": "2000 per week"},
            "j.yaml:3:9: error schema volume: '2000 per week' is not a volume: write customers per "
            "week, day or month, as in '2000/week', '300/day' or '9000/month'; a bare number is "
            "per week",
        ),
        (
            {"volume": '"2,000/week"'},
            "j.yaml:3:9: error schema volume: '2,000/week' is not a volume: write customers per "
            "week, day or month, as in '2000/week', '300/day' or '9000/month'; a bare number is "
            "per week; write the number without separators: '2000/week'",
        ),
        (
            {"volume": "-5"},
            "j.yaml:3:9: error schema volume: -5 is not a volume: it must be a number from 0 up",
        ),
        (
            {"level": '"80% within a minute"'},
            "j.yaml:4:27: error schema defaults.service_level: '80% within a minute' is not a "
            "service level: write the share of contacts answered and the longest wait, as in "
            "'80% in 60s'",
        ),
        (
            {"level": '"100% in 60s"'},
            "j.yaml:4:27: error schema defaults.service_level: '100% in 60s': the share answered "
            "in time must be above 0% and below 100% (no number of agents answers every contact "
            "at once); e.g. '80% in 60s'",
        ),
        (
            {"level": '"80% in 60 secs"'},
            "j.yaml:4:27: error schema defaults.service_level: '80% in 60 secs': '60 secs' is not "
            f"a duration: {HOW}",
        ),
    ],
)
def test_a_bad_value_is_a_schema_error_at_its_place(values: dict[str, str], finding: str) -> None:
    assert _messages(**values) == [finding]


def test_a_huge_value_is_refused_not_a_crash() -> None:
    huge = "9" * 400
    assert _messages(response=huge) == [
        "j.yaml:8:21: error schema channels.phone.response: "
        f"'{huge[:40]}…' is too long a duration to compute with"
    ]
    assert len(_messages(response=f"{huge}w", volume=huge, level=f'"80% in {huge}w"')) == 3


def test_fte_hours_must_fit_in_a_week() -> None:
    text = _text().replace("defaults: {", "defaults: {fte_hours: 200, ")
    assert [f.message for f in journeymap.reads(text).findings] == [
        "defaults.fte_hours: 200 is out of range: it must be at most 168.0"
    ]


# -- the JSON Schema -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"handling": "[3m, 6m]", "response": "90", "duration": '"1.5h"'},
        {"volume": "300/day", "level": '"0.8 in 20s"'},
        {"volume": "1500", "patience": "[1m, 5m]"},
    ],
)
def test_the_schema_accepts_what_the_loader_accepts(values: dict[str, str]) -> None:
    text = _text(**values)
    assert journeymap.reads(text).findings == ()
    assert schema_accepts(text)


@pytest.mark.parametrize(
    "values",
    [
        {"handling": "5 mins"},
        {"response": "-5"},
        {"handling": "[1m, 2m, 3m]"},
        {"handling": "[3m, 5 mins]"},
        {"patience": "0"},
        {"patience": "0s"},
        {"agents": "0"},
        {"agents": "2.5"},
        {"volume": "2000 per week"},
        {"level": '"80 percent in 60s"'},
        {"level": '"100% in 60s"'},
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(values: dict[str, str]) -> None:
    text = _text(**values)
    assert journeymap.reads(text).errors
    assert not schema_accepts(text)


def test_the_schema_describes_every_new_key() -> None:
    schema = journeymap.json_schema()
    channel = schema["$defs"]["Channel"]["properties"]
    defaults = schema["$defs"]["Defaults"]["properties"]
    described = [
        channel["response"],
        channel["handling"],
        channel["agents"],
        channel["patience"],
        schema["$defs"]["Touchpoint"]["properties"]["duration"],
        schema["properties"]["volume"],
        defaults["fte_hours"],
        defaults["service_level"],
    ]
    assert all(part.get("description") for part in described)
    forms = {form.get("type") for form in channel["handling"]["anyOf"]}
    assert forms == {"string", "number", "array"}


# -- dump and copies -------------------------------------------------------------------------


def test_dump_writes_durations_back_in_readable_units() -> None:
    journey = _load(response="90s", handling="[5m, 1.5h]", duration="14d", volume="100/day")
    text = journeymap.dump(journey)
    assert "response: 90s\n" in text
    assert "handling: [5m, 90m]\n" in text
    assert "duration: 2w\n" in text
    assert "volume: 100/day\n" in text
    assert "patience: 3m\n" in text
    assert "service_level: 80% in 60s\n" in text
    again = journeymap.loads(text)
    assert again == journey
    assert bounds(again.channels["phone"].handling) == bounds(journey.channels["phone"].handling)
    assert again.volume == journey.volume


def test_a_range_at_its_default_midpoint_is_kept_in_a_dump() -> None:
    journey = _load(response="[0, 0]")
    assert "response: [0, 0]\n" in journeymap.dump(journey)


def test_model_dump_reads_back_to_the_same_journey() -> None:
    journey = _load(handling="[5m, 9m]", volume="500/month")
    dumped = journey.model_dump()
    assert dumped["channels"]["phone"]["handling"] == ["5m", "9m"]
    assert dumped["volume"] == "500/month"
    assert dumped["defaults"]["service_level"] == "80% in 60s"
    assert Journey.model_validate(dumped) == journey


def test_values_set_in_code_are_dumped_as_the_file_would_write_them() -> None:
    journey = _load()
    phone = journey.channels["phone"].model_copy(update={"handling": 0.1, "agents": 9})
    changed = journey.model_copy(
        update={
            "channels": {**journey.channels, "phone": phone},
            "volume": 1234.5,
            "defaults": journey.defaults.model_copy(
                update={"service_level": ServiceLevel(0.9, 0.5)}
            ),
        }
    )
    text = journeymap.dump(changed)
    assert "handling: 6m\n" in text
    assert "agents: 9\n" in text
    assert "volume: 1234.5/week\n" in text
    assert "service_level: 90% in 30m\n" in text
    assert journeymap.loads(text).channels["phone"].handling == 0.1


@pytest.mark.parametrize(
    ("hours", "written"),
    [
        (0.0, 0),
        (4 / 60, "4m"),
        (48.0, "2d"),
        (36.0, "36h"),
        (336.0, "2w"),
        (0.025, "90s"),
        (1.5, "90m"),
    ],
)
def test_format_duration_picks_the_largest_exact_unit(hours: float, written: str | int) -> None:
    assert format_duration(hours) == written


def test_a_duration_not_whole_in_any_unit_is_minutes_with_decimals() -> None:
    written = format_duration(1 / 7200)
    assert isinstance(written, str)
    assert written.endswith("m")
    assert parse_duration(written) == 1 / 7200


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_every_duration_dumped_reads_back_to_the_same_float(hours: float) -> None:
    written = format_duration(hours)
    read = parse_duration(written) if isinstance(written, str) else written / 60
    assert read == hours


def test_an_estimate_made_in_code_is_in_hours() -> None:
    channel = Channel(kind="assisted", handling=Estimate(0.1, 0.2))
    assert bounds(channel.handling) == (0.1, 0.2)
    assert channel.model_dump()["handling"] == ["6m", "12m"]
    with pytest.raises(ValidationError, match=r"write \[6m, 12m\]"):
        Channel(kind="assisted", handling=Estimate(0.2, 0.1))


def test_a_volume_keeps_its_written_form_through_copies() -> None:
    import copy
    import pickle

    volume = Volume(700.0, "100/day")
    assert copy.deepcopy(volume).written == "100/day"
    assert pickle.loads(pickle.dumps(volume)).written == "100/day"
    assert volume == 700.0
    assert repr(volume) == "Volume(700.0, '100/day')"


# -- scenario changes ----------------------------------------------------------------------


def _scenario(tmp_path: Path, *changes: str) -> journeymap.Loaded:
    (tmp_path / "base.yaml").write_text(_text(), "utf-8")
    listed = "".join(f"  - {change}\n" for change in changes)
    (tmp_path / "s.yaml").write_text(
        f"scenario: 1\nextends: base.yaml\nchanges:\n{listed}", "utf-8"
    )
    return journeymap.read(tmp_path / "s.yaml")


def test_a_scenario_sets_agents_and_durations(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        "set: {path: channels.phone.agents, value: 15}",
        "set: {path: channels.phone.handling, value: [5m, 7m]}",
        "set: {path: channels.web.response, value: 30s}",
        "set: {path: touchpoints.ask.duration, value: 3d}",
        "set: {path: volume, value: 300/day}",
    )
    assert loaded.findings == ()
    journey = loaded.raise_for_errors()
    phone = journey.channels["phone"]
    assert phone.agents == 15
    assert bounds(phone.handling) == pytest.approx((5 / 60, 7 / 60))
    assert journey.channels["web"].response == pytest.approx(30 / 3600)
    assert journey.touchpoints[0].duration == 72.0
    assert journey.volume == 2100.0


def test_a_bad_duration_in_a_scenario_points_at_the_change(tmp_path: Path) -> None:
    loaded = _scenario(tmp_path, "set: {path: channels.phone.handling, value: 5 mins}")
    assert [(f.line, f.column, f.message) for f in loaded.findings] == [
        (4, 49, f"channels.phone.handling: '5 mins' is not a duration: {HOW}")
    ]


def test_changed_journey_sets_agents_and_durations_in_code() -> None:
    journey = _load(handling="[5m, 9m]")
    changed = changed_journey(
        journey,
        [
            {"set": {"path": "channels.phone.agents", "value": 12}},
            {"set": {"path": "channels.web.handling", "value": "4m"}},
            {"set": {"path": "defaults.fte_hours", "value": 36}},
        ],
    )
    assert changed.channels["phone"].agents == 12
    assert changed.channels["web"].handling == pytest.approx(4 / 60)
    assert changed.defaults.fte_hours == 36.0
    assert bounds(changed.channels["phone"].handling) == bounds(journey.channels["phone"].handling)
    assert changed.touchpoints[0].duration == journey.touchpoints[0].duration
    assert changed.volume == journey.volume
    assert changed.defaults.service_level == journey.defaults.service_level


def test_changed_journey_keeps_a_journey_without_the_keys_as_it_was() -> None:
    journey = journeymap.loads(PLAIN)
    assert changed_journey(journey, []) == journey


# -- closed hours --------------------------------------------------------------------------


def test_closed_wait_of_office_hours_by_hand() -> None:
    opening = parse_hours("mon-fri 08:00-16:00")
    # Four weeknights of 16 hours, and Friday 16:00 to Monday 08:00: 8 + 48 + 8 = 64 hours.
    assert closed_stretches(opening) == (16.0, 16.0, 16.0, 16.0, 64.0)
    assert closed_wait_hours(opening) == pytest.approx((4 * 16**2 + 64**2) / (2 * 168))
    assert closed_wait_hours(opening) == pytest.approx(15.238095238095237)
    assert open_hours_per_week(opening) == 40.0
    assert open_days(opening) == frozenset(range(5))


def test_a_channel_open_around_the_clock_has_no_closed_wait() -> None:
    opening = parse_hours("24/7")
    assert closed_stretches(opening) == ()
    assert closed_wait_hours(opening) == 0.0
    assert open_hours_per_week(opening) == 168.0


def test_a_stretch_over_the_week_end_is_one_stretch() -> None:
    # Open Sunday 22:00 to Monday 06:00: closed from Monday 06:00 to Sunday 22:00, 160 hours.
    opening = parse_hours("sun 22:00-06:00")
    assert closed_stretches(opening) == (160.0,)
    assert closed_wait_hours(opening) == pytest.approx(160**2 / 336)
    assert open_days(opening) == frozenset({0, 6})


def test_nightly_closing_every_day() -> None:
    opening = parse_hours("daily 06:00-22:00")
    assert closed_stretches(opening) == (8.0,) * 7
    assert closed_wait_hours(opening) == pytest.approx(7 * 64 / 336)


def test_closed_wait_is_the_mean_over_the_week() -> None:
    opening = parse_hours("mon-fri 09:00-17:00, sat 10-14")
    minutes = 7 * 24 * 60
    waits = [_wait_from(opening, minute) for minute in range(minutes)]
    assert closed_wait_hours(opening) == pytest.approx(sum(waits) / minutes / 60, rel=1e-3)


def _wait_from(opening: OpeningHours, minute: int) -> int:
    """Minutes from ``minute`` of the week until the channel is open, counted one by one."""
    week = 7 * 24 * 60
    for wait in range(week):
        moment = (minute + wait) % week
        if any(start <= moment < end for start, end in opening.intervals):
            return wait
    raise AssertionError("never open")


def test_a_channel_never_open_has_no_closed_wait() -> None:
    never = OpeningHours("never", ())
    assert closed_stretches(never) == (168.0,)
    with pytest.raises(ValueError, match="never open, so an attempt there waits for ever"):
        closed_wait_hours(never)


# -- the checks ----------------------------------------------------------------------------


def _findings(text: str, rule: str) -> list[str]:
    return [
        f"{f.line}:{f.column} {f.message}" for f in run(journeymap.reads(text)) if f.rule == rule
    ]


def test_a_queue_without_handling_says_what_to_add() -> None:
    assert _findings(_text(handling="0"), "queue-without-handling") == [
        "8:46 channels.phone.agents: 12 agents but no handling time: a queue needs the mean "
        "time one contact keeps an agent busy, or the wait cannot be worked out; add it, e.g. "
        "handling: 6m"
    ]


def test_agents_without_volume_and_patience_without_agents() -> None:
    text = _text().replace("volume: 2000/week\n", "")
    assert _findings(text, "agents-without-volume") == [
        "7:47 channels.phone.agents: 12 agents mean nothing without the journey's volume: with "
        "no number of customers there is no queue to staff; add e.g. 'volume: 2000/week' at "
        "the top of the file, or remove agents"
    ]
    text = _text().replace("agents: 12, ", "")
    assert _findings(text, "patience-without-agents") == [
        "8:49 channels.phone.patience: patience applies only to a queue, and without agents "
        "nobody waits in line here, so it is ignored; add the agents on duty (e.g. agents: "
        "10) or remove patience"
    ]


GAP = (
    "touchpoints[track].channels: every channel customers reach here when they choose has "
    "limited hours ({hours}), so customers who come {when} find nothing open; add a 24/7 "
    "channel or a way to leave a request"
)


def test_availability_gap_keeps_its_words_for_a_weekend_closing() -> None:
    loaded = journeymap.read(DATA / "rules" / "availability-gap" / "fail.yaml")
    found = [f.message for f in run(loaded) if f.rule == "availability-gap"]
    when = "at night or at the weekend"
    assert found == [GAP.format(hours="phone mon-fri 09:00-16:00", when=when)]


@pytest.mark.parametrize(
    ("hours", "when"),
    [
        ("daily 08:00-21:00", "at night"),
        ("mon-sat 08:00-21:00", "at night or at any time on Sunday"),
        (
            "tue 9-12, thu 9-12",
            "at night or at any time on Monday, Wednesday, Friday, Saturday or Sunday",
        ),
    ],
)
def test_availability_gap_names_the_days_nothing_opens(hours: str, when: str) -> None:
    text = f"""\
journeymap: 1
id: case
stages: [{{id: wait}}]
channels: {{chat: {{hours: "{hours}"}}}}
touchpoints:
  - {{id: track, stage: wait, channels: {{chat: primary}}}}
"""
    found = [f.message for f in run(journeymap.reads(text)) if f.rule == "availability-gap"]
    assert found == [GAP.format(hours=f"chat {hours}", when=when)]
