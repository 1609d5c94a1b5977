"""The simulation agrees with the exact analysis, keeps its books, and repeats itself."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings

import journeymap
from journeymap.cli import main
from journeymap.flow import Figures, analyze, simulate
from journeymap.flow.events import COLUMNS, EventLog
from journeymap.model import Journey
from tests.conftest import example_files
from tests.strategies import journeys

HEADLINES = (
    "completion_rate",
    "contacts_per_customer",
    "failure_demand_ratio",
    "cost_per_customer",
)
SIGMAS = 4


def _agree(exact: Figures, simulated: Figures, key: str) -> None:
    error = simulated.standard_errors.get(key, 0.0)
    difference = abs(getattr(simulated, key) - getattr(exact, key))
    assert difference <= SIGMAS * error + 1e-9, (key, difference, error)


def _uncapped(journey: Journey) -> Journey:
    """The journey with a contact cap so high no customer reaches it in practice."""
    defaults = journey.defaults.model_copy(update={"max_contacts": 100_000})
    return journey.model_copy(update={"defaults": defaults})


def _books_balance(figures: Figures) -> None:
    assert figures.completion_rate + figures.abandon_rate == pytest.approx(1.0, abs=1e-9)
    failure = figures.failure_contacts_per_customer
    assert sum(figures.causes.values()) == pytest.approx(failure, rel=1e-9, abs=1e-12)
    contacts = figures.contacts_per_customer
    assert sum(c.contacts for c in figures.channels.values()) == pytest.approx(contacts)
    assert sum(t.contacts for t in figures.touchpoints.values()) == pytest.approx(contacts)
    assert sum(t.abandoned for t in figures.touchpoints.values()) == pytest.approx(
        figures.abandon_rate, abs=1e-9
    )
    assert sum(b.count for b in figures.breakpoints) == pytest.approx(
        figures.abandon_rate, abs=1e-9
    )
    assert all(t.visits <= t.contacts + t.messages + 1e-9 for t in figures.touchpoints.values())


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_every_example_simulates_to_its_exact_figures(path: Path) -> None:
    journey = _uncapped(journeymap.load(path))
    exact = analyze(journey)
    simulated = simulate(journey, customers=200_000, seed=11)
    for key in HEADLINES:
        _agree(exact, simulated, key)
    for tp, figures in exact.touchpoints.items():
        assert simulated.touchpoints[tp].visits == pytest.approx(figures.visits, abs=0.01)
    # simulated percentiles sit at the exact ones, give or take one contact at a boundary
    for level in ("contacts_p50", "contacts_p90", "contacts_p95"):
        assert abs(getattr(simulated, level) - getattr(exact, level)) <= 1


def _too_rare(exact: Figures, customers: int) -> bool:
    """Outcomes so rare a sample of this size likely never sees them (and so estimates an
    error of 0): no sampling can agree with those within its own standard error."""
    values = [exact.abandon_rate]
    values += [t.visits for t in exact.touchpoints.values()]
    values += [t.failure_contacts for t in exact.touchpoints.values()]
    return any(0 < value < 20 / customers for value in values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(max_touchpoints=6, max_channels=4))
def test_generated_journeys_simulate_to_their_exact_figures(journey: Journey) -> None:
    journey = _uncapped(journey)
    exact = analyze(journey)
    customers = 5_000
    assume(exact.contacts_per_customer < 40 and not _too_rare(exact, customers))
    simulated = simulate(journey, customers=customers, seed=3)
    for key in HEADLINES:
        _agree(exact, simulated, key)
    _books_balance(exact)
    _books_balance(simulated)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    journey = journeymap.load("examples/card-payment-dispute.yaml")
    first = simulate(journey, customers=30_000, seed=5)
    assert simulate(journey, customers=30_000, seed=5) == first
    assert simulate(journey, customers=30_000, seed=6) != first
    assert first.customers == 30_000
    assert first.seed == 5


def test_progress_hears_of_every_customer() -> None:
    heard: list[int] = []
    simulate(journeymap.load("examples/parcel-delivery.yaml"), 12_345, 1, progress=heard.append)
    assert sum(heard) == 12_345


def test_max_contacts_stops_customers_as_stuck() -> None:
    journey = journeymap.load("examples/housing-allowance.yaml")
    capped = simulate(journey, customers=20_000, seed=2, max_contacts=3)
    assert capped.contacts_p95 == 3
    assert any(b.cause == "max-contacts" for b in capped.breakpoints)
    _books_balance(capped)


def test_small_runs_work() -> None:
    journey = journeymap.load("examples/housing-allowance.yaml")
    figures = simulate(journey, customers=3, seed=0)
    assert figures.customers == 3
    assert set(figures.segments) == {s.id for s in journey.segments}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_event_log_has_every_contact(tmp_path: Path, suffix: str) -> None:
    journey = journeymap.load("examples/parcel-delivery.yaml")
    path = tmp_path / f"events{suffix}"
    with EventLog(path) as log:
        figures = simulate(journey, customers=2_000, seed=4, events=log)
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = pq.read_table(path).to_pylist()
    assert tuple(rows[0]) == COLUMNS
    sent = figures.messages_per_customer or 0.0
    assert len(rows) == log.rows == round((figures.contacts_per_customer + sent) * 2_000)
    messages = [row for row in rows if row["demand"] == "message"]
    assert len(messages) == round(sent * 2_000) > 0
    assert {row["channel"] for row in messages} == {"sms"}
    assert len({row["customer"] for row in rows}) == 2_000
    keys = [(int(row["customer"]), int(row["step"])) for row in rows]
    assert keys == sorted(keys)
    outcomes = {row["outcome"] for row in rows}
    assert outcomes <= {"resolved", "retry", "abandoned", "stuck"}
    failed = [row for row in rows if row["outcome"] in ("retry", "abandoned")]
    assert all(row["cause"] for row in failed)
    assert os_listing(tmp_path) == [path.name]


def os_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_event_log_is_not_left_half_written(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    journey = journeymap.load("examples/parcel-delivery.yaml")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _simulate_into(path, journey, interrupted)
    assert os_listing(tmp_path) == []


def _simulate_into(path: Path, journey: Journey, progress: object) -> None:
    with EventLog(path) as log:
        simulate(journey, customers=1_000, seed=1, events=log, progress=progress)  # type: ignore[arg-type]


def test_analyze_and_simulate_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = "examples/parcel-delivery.yaml"
    assert main(["analyze", example, "--json"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert exact["method"] == "exact"
    assert main(["simulate", example, "--json", "-n", "20000", "--seed", "9"]) == 0
    simulated = json.loads(capsys.readouterr().out)
    assert (simulated["customers"], simulated["seed"]) == (20000, 9)
    assert set(exact) - {"method"} <= set(simulated)
    assert main(["analyze", example]) == 0
    table = capsys.readouterr().out
    assert "completion rate" in table
    assert "where-is-my-parcel" in table
    events = tmp_path / "events.csv"
    assert main(["simulate", example, "-n", "100", "--events", str(events)]) == 0
    assert events.exists()
    assert main(["simulate", example, "-n", "100", "--events", str(events)]) == 2
    assert "exists; pass --force" in capsys.readouterr().err


def test_commands_refuse_journeys_with_errors(capsys: pytest.CaptureFixture[str]) -> None:
    broken = "tests/data/rules/no-exit/fail-loop.yaml"
    assert main(["analyze", broken]) == 1
    assert main(["simulate", broken]) == 1
    out, err = capsys.readouterr()
    assert "error no-exit" in out
    assert "cannot be analysed until these errors are fixed" in err
    assert main(["analyze", "tests/data/broken/binary.yaml"]) == 2


def test_command_reports_state_level_endless_loops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(
        "journeymap: 1\nid: loop\nstages: [{id: s}]\ndefaults: {gap_penalty: 0}\n"
        "channels: {web: {}, phone: {}}\ntouchpoints:\n"
        "  - {id: a, stage: s, retry: 1, switch: 1,\n"
        "     channels: {web: {resolve: 0.5}, phone: {resolve: 0.5}}}\n"
    )
    assert main(["analyze", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:7:10: error no-exit touchpoints[a].id: customers at a (in web, phone) can never "
        "finish or give up: they loop for ever; give the loop a way out (no-exit)\n"
    )
