"""The worked example of docs/time-and-capacity.md: its figures are what journeymap computes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import journeymap
from journeymap.flow import Figures
from journeymap.loader.scenario import changed_journey
from journeymap.markov.queues import Queue, service_level
from journeymap.model import Journey
from journeymap.model.hours import closed_stretches, closed_wait_hours, open_hours_per_week

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "time-and-capacity.md").read_text(encoding="utf-8")
TEXT = " ".join(DOC.split())
"""The page with its line breaks folded, for sentences that wrap."""
EXAMPLE = ROOT / "docs" / "examples" / "missed-bin.yaml"
SECOND = 1 / 3600


@pytest.fixture(scope="module")
def journey() -> Journey:
    return journeymap.load(EXAMPLE)


@pytest.fixture(scope="module")
def figures(journey: Journey) -> Figures:
    return journeymap.analyze(journey)


@pytest.fixture(scope="module")
def data(figures: Figures) -> dict[str, Any]:
    found: dict[str, Any] = figures.as_dict()
    return found


def _queue(figures: Figures) -> Queue:
    assert figures.time is not None
    return figures.time.queues["phone"]


def _with_agents(journey: Journey, agents: int) -> Figures:
    change = {"set": {"path": "channels.phone.agents", "value": agents}}
    return journeymap.analyze(changed_journey(journey, [change]))


def _attempt_hours(journey: Journey, queue: Queue) -> float:
    """'closed-hours wait + W + (1 − P(abandon)) · handling'."""
    phone = journey.channels["phone"]
    served = (1 - queue.p_abandon) * float(phone.handling)
    return closed_wait_hours(phone.opening) + queue.wait_hours + served


def test_the_example_is_the_one_the_page_describes(journey: Journey) -> None:
    phone = journey.channels["phone"]
    assert float(journey.volume or 0) == 2000
    assert "2,000 households a week" in TEXT
    assert (phone.agents, float(phone.handling) * 60, float(phone.patience or 0) * 60) == (4, 6, 3)
    assert "where 4 agents answer, a call takes 6 minutes and callers hang up after 3" in TEXT
    assert [float(tp.duration) for tp in journey.touchpoints] == [48, 24, 0]
    assert journeymap.read(EXAMPLE).findings == ()


def test_the_closed_hours_wait_is_computed(journey: Journey) -> None:
    opening = journey.channels["phone"].opening
    assert closed_stretches(opening) == (16, 16, 16, 16, 64)
    assert open_hours_per_week(opening) == 40
    wait = closed_wait_hours(opening)
    assert wait == pytest.approx((4 * 16**2 + 64**2) / (2 * 168))
    assert f"(4 · 16² + 64²) / 336 = {wait:.2f} hours" in TEXT
    assert "closed 128 of the week's 168 hours" in TEXT
    assert f"a call waits {wait:.2f} hours on average before the line opens" in TEXT


def test_an_attempt_on_the_line_is_computed(journey: Journey, figures: Figures) -> None:
    queue = _queue(figures)
    sentence = (
        f"then the queue's wait ({queue.wait_hours / SECOND:.0f} s) and, unless the caller "
        f"gives up, 6 minutes of talk: {_attempt_hours(journey, queue):.2f} hours an attempt "
        "on the line"
    )
    assert sentence in TEXT


def test_time_per_customer_adds_up_as_the_page_says(
    journey: Journey, figures: Figures, data: dict[str, Any]
) -> None:
    """E[T] = contacts × attempt time per channel + successful visits × duration per step."""
    web = float(journey.channels["web"].handling)
    phone = _attempt_hours(journey, _queue(figures))
    steps = data["touchpoints"]
    rows = [
        ("web contacts", data["channels"]["web"]["contacts"], web),
        ("phone contacts", data["channels"]["phone"]["contacts"], phone),
        (
            "reports that succeed, then the crew's 2 days",
            steps["report"]["visits"] - steps["report"]["abandoned"],
            48.0,
        ),
        (
            "chases that succeed, then 1 day",
            steps["chase"]["visits"] - steps["chase"]["abandoned"],
            24.0,
        ),
    ]
    for label, count, hours in rows:
        assert f"| {label} | {count:.3f} | {hours:.2f} | {count * hours:.2f} |" in DOC
    total = sum(count * hours for _, count, hours in rows)
    assert total == pytest.approx(data["time_per_customer_hours"], rel=1e-12)
    assert f"| time per customer | | | {data['time_per_customer_hours']:.2f} |" in DOC


def test_the_time_to_complete_is_computed(data: dict[str, Any]) -> None:
    hours = data["time_to_complete_hours"]
    sentence = (
        f"{data['completion_rate']:.1%} complete, in {hours:.2f} hours "
        f"({hours / 24:.1f} days) on average"
    )
    assert sentence in TEXT
    assert f"The {data['time_per_customer_hours'] / 24:.1f} days are mostly" in TEXT


def test_the_queue_table_is_computed(journey: Journey, figures: Figures) -> None:
    patient = _queue(figures)
    assert figures.time is not None
    iterations = figures.time.iterations["phone"]
    channels = dict(journey.channels)
    channels["phone"] = channels["phone"].model_copy(update={"patience": None})
    plain = journeymap.analyze(journey.model_copy(update={"channels": channels}))
    erlang_c = _queue(plain)
    assert erlang_c.p_abandon == 0
    assert plain.time is not None
    rows: list[tuple[str, str, Callable[[Queue], float]]] = [
        ("calls per open hour (λ)", "{:.2f}", lambda q: q.arrival_rate),
        ("offered load (Erlang)", "{:.2f}", lambda q: q.offered_load),
        ("utilisation", "{:.1%}", lambda q: q.utilisation),
        ("chance to wait", "{:.1%}", lambda q: q.p_wait),
        ("mean wait (W)", "{:.0f} s", lambda q: q.wait_hours / SECOND),
        ("gives up waiting", "{:.1%}", lambda q: q.p_abandon),
    ]
    for label, form, value in rows:
        without, patient_row = form.format(value(erlang_c)), form.format(value(patient))
        assert f"| {label} | {without} | {patient_row} |" in DOC
    assert f"| iterations | {plain.time.iterations['phone']} | {iterations} |" in DOC
    assert f"{iterations} in [the worked example]" in TEXT
    assert f"The line gets {patient.arrival_rate:.2f} calls an hour while open" in TEXT
    assert patient.p_abandon == pytest.approx(patient.wait_hours / (3 / 60), rel=1e-9)
    assert f"hang up ({patient.p_abandon:.1%} of them, P(abandon) = W / `patience`)" in TEXT


def test_the_give_ups_share_of_failure_demand_is_computed(data: dict[str, Any]) -> None:
    waiting = data["causes"]["waiting"]
    failure = data["failure_demand_ratio"] * data["contacts_per_customer"]
    sentence = (
        f"with cause `waiting`, {waiting:.3f} contacts per household, "
        f"{waiting / failure:.1%} of all failure demand"
    )
    assert sentence in TEXT


def test_the_agents_week_is_computed(figures: Figures, data: dict[str, Any]) -> None:
    work = data["workload"]["phone"]
    fte = 37.5
    assert work["fte"] == pytest.approx(work["total_hours"] / fte)
    hours = f"| agent hours a week | {work['value_hours']:.1f} | {work['failure_hours']:.1f} | "
    assert hours + f"{work['total_hours']:.1f} |" in DOC
    shares = (
        f"| FTE | {work['value_hours'] / fte:.2f} | {work['failure_hours'] / fte:.2f} | "
        f"{work['fte']:.2f} |"
    )
    assert shares in DOC
    assert f"keeps {work['failure_hours'] / fte:.2f} FTE of the line busy" in TEXT
    queue = _queue(figures)
    on_duty = queue.agents * 40
    assert work["total_hours"] / on_duty == pytest.approx(queue.utilisation, rel=1e-9)
    sentence = (
        f"busy {queue.utilisation:.1%} of their {on_duty} hours on duty "
        f"({queue.agents} agents × 40 open hours): {work['total_hours']:.1f} hours of handling"
    )
    assert sentence in TEXT


def test_the_staffing_table_is_computed(journey: Journey) -> None:
    rows = re.findall(r"^\| (\d) \| [\d.]+% \| \d+ s \| .*\|$", DOC, re.MULTILINE)
    assert rows == ["3", "4", "5", "6"]
    for agents in (3, 4, 5, 6):
        found = _with_agents(journey, agents)
        data = found.as_dict()
        queue = _queue(found)
        row = (
            f"| {agents} | {queue.p_abandon:.1%} | {queue.wait_hours / SECOND:.0f} s | "
            f"{service_level(queue, 60 * SECOND):.1%} | "
            f"{data['channels']['phone']['contacts']:.3f} | "
            f"{data['workload']['phone']['failure_hours']:.1f} | {data['completion_rate']:.1%} |"
        )
        assert row in DOC


def test_four_agents_just_miss_the_service_level_and_five_reach_it(journey: Journey) -> None:
    level = journey.defaults.service_level
    assert level is not None
    assert level.share == 0.8
    assert level.within_hours == pytest.approx(60 * SECOND)
    four = service_level(_queue(_with_agents(journey, 4)), level.within_hours)
    five = service_level(_queue(_with_agents(journey, 5)), level.within_hours)
    assert four < level.share <= five
    assert 'just miss the file\'s `service_level` of "80% in 60s"; five reach it' in TEXT


def _split_line(journey_file: Path) -> Journey:
    """The worked example with its line split as the page's peak snippet says."""
    snippet = re.search(r"```yaml\n(channels:\n  phone-peak:.*?)```", DOC, re.DOTALL)
    assert snippet is not None
    split = yaml.safe_load(snippet.group(1))
    data = yaml.safe_load(journey_file.read_text(encoding="utf-8"))
    del data["channels"]["phone"]
    data["channels"] |= split["channels"]
    report, chase = data["touchpoints"][0], data["touchpoints"][1]
    report["channels"] = split["touchpoints"][0]["channels"]
    chase["channels"] = {
        "phone-peak": {"role": "primary", "share": 0.4, "resolve": 0.9},
        "phone-offpeak": {"role": "primary", "share": 0.6, "resolve": 0.9},
        "web": {"role": "alternative", "resolve": 0.7},
    }
    loaded = journeymap.reads(yaml.safe_dump(data, allow_unicode=True), "split.yaml")
    assert loaded.findings == ()
    assert loaded.journey is not None
    return loaded.journey


def test_the_peak_snippet_makes_two_queues_with_the_same_hours_on_duty(
    journey: Journey, data: dict[str, Any]
) -> None:
    split = _split_line(EXAMPLE)
    on_duty = sum(
        (ch.agents or 0) * open_hours_per_week(ch.opening)
        for cid, ch in split.channels.items()
        if cid.startswith("phone")
    )
    phone = journey.channels["phone"]
    assert on_duty == (phone.agents or 0) * open_hours_per_week(phone.opening) == 160
    found = journeymap.analyze(split).as_dict()
    assert set(found["queues"]) == {"phone-peak", "phone-offpeak"}
    # 'each part's closed-hours wait counts the other part's open hours as closed'
    assert found["time_to_complete_hours"] > data["time_to_complete_hours"]
