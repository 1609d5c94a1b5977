"""``journeymap staff``: the agents a queue needs for a service level, now and after each fix.

The agents needed are checked against the queue maths directly: with them the service
level is met, with one fewer it is not (Erlang C at the step's arrival rate; Erlang A with
the step's own fixed point, the journey analysed again with that many agents).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.loader import load, loads
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import catalog
from journeymap.markov.queues import OverloadError, erlang_c, service_level
from journeymap.model import Journey
from journeymap.model.capacity import read_service_level
from journeymap.report.advice import recommend
from journeymap.report.staffing import StaffingError, check_queue
from tests.conftest import DATA

PERMIT = DATA / "time" / "permit-line.yaml"
"""Volume, closed hours, durations and an Erlang C phone queue with 3 agents; no service level."""


def _variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """The permit journey with text replaced, written to ``tmp_path``."""
    text = PERMIT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PATIENCE = ("agents: 3, cost: 6}", "agents: 3, patience: 3m, cost: 6}")
LEVEL = ("volume: 1200/week\n", 'volume: 1200/week\ndefaults: {service_level: "80% in 60s"}\n')


def _staff(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["staff", *args, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _fails(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["staff", *args])
    return code, capsys.readouterr().err


def test_erlang_c_agents_needed_meet_the_level_and_one_fewer_does_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _staff(capsys, str(PERMIT), "--channel", "phone", "--service-level", "90% in 20s")
    level = read_service_level("90% in 20s")
    assert data["service_level"] == {"text": "90% in 20s", "share": 0.9, "within_hours": 20 / 3600}
    assert len(data["steps"]) > 1
    for step in data["steps"]:
        needed = step["agents_needed"]
        rate, service = step["arrival_rate_per_hour"], step["service_rate_per_hour"]
        queue = erlang_c(needed, rate, service)
        assert service_level(queue, level.within_hours) >= level.share
        try:
            fewer = erlang_c(needed - 1, rate, service)
        except OverloadError:
            continue
        assert service_level(fewer, level.within_hours) < level.share


def test_the_steps_are_the_reports_recommendations_with_their_own_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _staff(capsys, str(PERMIT), "--channel", "phone", "--service-level", "80% in 60s")
    journey = load(PERMIT)
    figures = analyze(journey)
    recommendations = recommend(journey, figures, catalog(journey.locale))
    assert [s["change"] for s in data["steps"]] == [None, *(r["title"] for r in recommendations)]
    today = data["steps"][0]
    assert figures.time is not None
    queue = figures.time.queues["phone"]
    assert today["arrival_rate_per_hour"] == pytest.approx(queue.arrival_rate, rel=1e-9)
    assert today["wait_hours"] == pytest.approx(queue.wait_hours, rel=1e-9)
    assert today["agents"] == 3
    assert today["agent_hours_per_week"] == pytest.approx(
        figures.time.workload["phone"].total_hours, rel=1e-9
    )
    assert today["freed_agent_hours_per_week"] is None
    for step, rec in zip(data["steps"][1:], recommendations, strict=True):
        after = analyze(changed_journey(journey, rec["changes"]), percentiles=False)
        assert after.time is not None
        hours = after.time.workload["phone"].total_hours
        assert step["agent_hours_per_week"] == pytest.approx(hours, rel=1e-9)
        assert step["freed_agent_hours_per_week"] == pytest.approx(
            today["agent_hours_per_week"] - hours, rel=1e-9
        )
        assert step["freed_fte"] == pytest.approx(step["freed_agent_hours_per_week"] / 37.5)
        assert step["wait_hours"] == pytest.approx(after.time.queues["phone"].wait_hours)
        assert step["staffed_hours_per_week"] == step["agents_needed"] * 40
    assert data["steps"][1]["freed_agent_hours_per_week"] > 0


def _meets(journey: Journey, changes: list[dict[str, Any]], agents: int) -> bool:
    """Whether the journey, changed and with ``agents`` at the phone, meets 80% in 60s."""
    change = {"set": {"path": "channels.phone.agents", "value": agents}}
    figures = analyze(changed_journey(journey, [*changes, change]), percentiles=False)
    assert figures.time is not None
    return service_level(figures.time.queues["phone"], 1 / 60) >= 0.8


def test_erlang_a_agents_needed_meet_the_level_at_their_own_fixed_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, "patient.yaml", PATIENCE, LEVEL, ("1200/week", "2400/week"))
    data = _staff(capsys, str(path), "--channel", "phone")  # the level comes from the file
    assert data["service_level"]["text"] == "80% in 60s"
    journey = load(path)
    today = data["steps"][0]
    assert today["patience_hours"] == pytest.approx(0.05)
    assert today["p_abandon"] > 0
    assert today["iterations"] > 1
    needed = [step["agents_needed"] for step in data["steps"]]
    assert needed[0] > 3, "the busy line needs more agents than it has"
    for step in data["steps"]:
        assert _meets(journey, step["changes"], step["agents_needed"])
        assert not _meets(journey, step["changes"], step["agents_needed"] - 1)


def test_the_table_names_the_queue_the_level_and_each_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, "patient.yaml", PATIENCE, LEVEL)
    assert main(["staff", str(path), "--channel", "phone"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:2] == [
        "Parking permit, with a staffed phone line",
        "phone, open mon-fri 08:00-16:00 (40 hours a week), agents on duty: 3; service level "
        "80% in 60s",
    ]
    header = " ".join(" ".join(line.split("┃")) for line in lines if "┃" in line).split()
    for word in ("Change", "Contacts", "Agents", "needed", "wait", "Give", "Freed"):
        assert word in header
    today = next(line for line in lines if "as it is today" in line)
    cells = [cell.strip() for cell in today.split("│")[1:-1]]
    data = _staff(capsys, str(path), "--channel", "phone")["steps"][0]
    assert cells[2] == f"{data['arrival_rate_per_hour']:.1f}"
    assert cells[3] == f"{data['offered_load']:.2f}"
    assert cells[4] == str(data["agents_needed"])
    assert cells[7] == f"{data['p_abandon']:.1%}"
    assert cells[9] == "–"
    assert "with the agents on duty today (3)" in " ".join(out.split())


def test_the_table_speaks_finnish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staff", str(PERMIT), "--channel", "phone", "--service-level", "80% in 60s",
                 "--locale", "fi"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "palvelijoita työssä: 3; palvelutaso 80% in 60s" in out
    assert "nykyisellään" in out
    assert "Palvelijatarve" in out
    assert "13,8" in out  # the decimal comma


def test_a_queue_that_never_empties_is_staffed_all_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, "short.yaml", ("agents: 3, cost", "agents: 1, cost"))
    assert main(["analyze", str(path)]) == 1  # the design check stops an analysis
    capsys.readouterr()
    data = _staff(capsys, str(path), "--channel", "phone", "--service-level", "80% in 60s")
    today = data["steps"][0]
    assert today["agents"] == 1
    assert today["offered_load"] > 1
    assert today["wait_hours"] is None
    assert today["agents_needed"] >= 2
    assert main(["staff", str(path), "--channel", "phone", "--service-level", "80% in 60s"]) == 0
    assert "the queue never empties" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--channel", "fone", "--service-level", "80% in 60s"],
            "journeymap: the journey has no channel 'fone': its channels are web, phone, "
            "e-mail, letter; the channels with agents are phone\n",
        ),
        (
            ["--channel", "web", "--service-level", "80% in 60s"],
            "journeymap: channel 'web' has no agents, so it is no queue to staff: give the "
            "agents on duty whenever it is open and the time one contact takes, e.g. 'web: "
            "{agents: 10, handling: 6m}' under channels; the channels with agents are phone\n",
        ),
        (
            ["--channel", "phone"],
            "journeymap: no service level to staff for: give one, e.g. --service-level "
            "'80% in 60s', or set it in the file under defaults: service_level: \"80% in 60s\"\n",
        ),
    ],
)
def test_what_is_missing_is_named_with_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert _fails(capsys, str(PERMIT), *args) == (2, message)


def test_a_journey_without_volume_is_told_to_add_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, "no-volume.yaml", ("volume: 1200/week\n", ""))
    assert _fails(capsys, str(path), "--channel", "phone", "--service-level", "80% in 60s") == (
        2,
        "journeymap: the journey gives no volume, so no contacts arrive at the queue: add the "
        "customers who start it, e.g. 'volume: 2000/week' at the top of the file\n",
    )


def test_a_queue_without_handling_is_told_to_add_it() -> None:
    journey = loads(
        PERMIT.read_text(encoding="utf-8").replace("handling: 6m, agents: 3", "agents: 3")
    )
    with pytest.raises(StaffingError, match=r"^channel 'phone' gives no handling time: .*6m"):
        check_queue(journey, "phone")


@pytest.mark.parametrize(
    ("level", "says"),
    [
        ("80%", "'80%' is not a service level: write the share of contacts answered"),
        ("100% in 60s", "must be above 0% and below 100%"),
        ("80% in soon", "'soon' is not a duration"),
    ],
)
def test_a_bad_service_level_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], level: str, says: str
) -> None:
    code, err = _fails(capsys, str(PERMIT), "--channel", "phone", "--service-level", level)
    assert code == 2
    assert says in err
    assert "Traceback" not in err


def test_a_missing_file_and_a_broken_journey_stop_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _fails(capsys, str(tmp_path / "none.yaml"), "--channel", "phone")
    assert code == 2
    assert "cannot be analysed until these errors are fixed" in err
    broken = _variant(tmp_path, "broken.yaml", ("p: 0.9}", "p: 0.5}"))
    code, _ = _fails(capsys, str(broken), "--channel", "phone", "--service-level", "80% in 60s")
    assert code == 1


def test_the_output_goes_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "staff.json"
    args = [str(PERMIT), "--channel", "phone", "--service-level", "80% in 60s", "--json"]
    assert main(["staff", *args, "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["channel"] == "phone"
    assert main(["staff", *args, "-o", str(target)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["staff", *args, "-o", str(target), "--force"]) == 0
