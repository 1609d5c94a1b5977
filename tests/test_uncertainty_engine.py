"""The uncertainty engine: edge probabilities from slots, exact derivatives, seeded draws.

The engine recomputes the chain's edges from its slots; these tests hold it to the chain
builder (the same edges, the same figures as ``analyze``), its derivatives to central
finite differences, and its draws to their seed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.flow import analyze
from journeymap.loader import load, loads
from journeymap.loader.scenario import changed_journey
from journeymap.model import Journey
from journeymap.uncertainty.attribution import first_order
from journeymap.uncertainty.draws import design, paired, uncertainty
from journeymap.uncertainty.engine import FIGURES, Engine
from journeymap.uncertainty.sensitivity import sensitivity, solve_at, tornado
from tests.strategies import journeys

EXAMPLES = sorted(Path("examples").glob("*.yaml"))
PERMIT = Path(__file__).parent / "data" / "uncertainty" / "permit.yaml"
PATIENT = Path(__file__).parent / "data" / "time" / "patient.yaml"
"""A queue where customers give up waiting (Erlang A): the engine holds its P(abandon)."""


def _journey(path: Path) -> Journey:
    loaded = load(path)
    return getattr(loaded, "journey", loaded)


def _assert_edges_match(journey: Journey) -> None:
    engine = Engine(journey)
    for part in engine.model.parts:
        p, alpha = engine.model.probabilities(engine.theta, part)
        np.testing.assert_allclose(p, part.chain.p, rtol=0, atol=1e-15)
        np.testing.assert_allclose(alpha, part.chain.entry, rtol=0, atol=1e-15)
    found = engine.evaluate().figures
    expected = analyze(journey, percentiles=False).as_dict()
    for name in FIGURES:
        if expected.get(name) is not None:
            assert found[name] == pytest.approx(expected[name], rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("path", [*EXAMPLES, PATIENT], ids=lambda p: p.stem)
def test_edges_from_slots_are_the_chain_builders(path: Path) -> None:
    _assert_edges_match(_journey(path))


@settings(max_examples=40, deadline=None)
@given(journeys(messages=None, behaviour=True))
def test_edges_from_slots_match_any_journey(journey: Journey) -> None:
    _assert_edges_match(journey)


def _figures_at(engine: Engine, i: int, value: float) -> dict[str, float]:
    theta = engine.theta.copy()
    theta[i] = value
    if engine.slots.items[i].is_default:
        engine.slots.sync(theta)
    return engine.evaluate(theta, inherit=False).figures


def _smooth(engine: Engine, i: int, h: float) -> bool:
    """True where the figures have one slope either side (no cap at 1 reached)."""
    value = engine.slots.items[i].value
    if value - h < 0 or value + h > (engine.slots.items[i].upper or np.inf):
        return False
    here = engine.evaluate().figures
    down, up = _figures_at(engine, i, value - h), _figures_at(engine, i, value + h)
    return all(
        abs((up[n] - here[n]) - (here[n] - down[n])) <= 1e-3 * abs(up[n] - here[n]) + 1e-13
        for n in FIGURES
    )


@pytest.mark.parametrize("path", [*EXAMPLES, PERMIT, PATIENT], ids=lambda p: p.stem)
def test_elasticities_agree_with_central_differences(path: Path) -> None:
    engine = Engine(_journey(path))
    evaluation = engine.evaluate()
    gradient = engine.gradient(evaluation)
    base = evaluation.figures
    h = 1e-5
    checked = 0
    for i, slot in enumerate(engine.slots):
        if not _smooth(engine, i, h):
            continue
        up, down = _figures_at(engine, i, slot.value + h), _figures_at(engine, i, slot.value - h)
        for j, name in enumerate(FIGURES):
            numeric = (up[name] - down[name]) / (2 * h)
            if base[name] == 0 or slot.value == 0:
                continue
            elasticity = gradient[i, j] * slot.value / base[name]
            expected = numeric * slot.value / base[name]
            assert elasticity == pytest.approx(expected, rel=1e-6, abs=1e-9), (slot.key, name)
            checked += 1
    assert checked > 50


def test_a_derivative_matches_a_full_analysis_of_the_changed_journey() -> None:
    journey = _journey(PERMIT)
    engine = Engine(journey)
    gradient = engine.gradient(engine.evaluate())
    h = 1e-5
    for key in ("defaults.stickiness", "touchpoints.decision.channels.phone.resolve",
                "segments.older.persistence", "touchpoints.ask.switch"):  # fmt: skip
        i = engine.slots[key]
        value = engine.slots.items[i].value

        def ratio(v: float, key: str = key) -> float:
            changed = changed_journey(journey, [{"set": {"path": key, "value": v}}])
            return analyze(changed, percentiles=False).failure_demand_ratio

        numeric = (ratio(value + h) - ratio(value - h)) / (2 * h)
        assert gradient[i, 0] == pytest.approx(numeric, rel=1e-6), key


def test_a_default_moves_every_step_that_inherits_it() -> None:
    engine = Engine(_journey(Path("examples/parcel-delivery.yaml")))
    gradient = engine.gradient(engine.evaluate())
    default = engine.slots["defaults.resolve"]
    inheriting = [
        i
        for i, slot in enumerate(engine.slots)
        if slot.kind == "resolve" and slot.inherits == "defaults.resolve"
    ]
    assert inheriting
    np.testing.assert_allclose(gradient[default], gradient[inheriting].sum(axis=0), rtol=1e-12)


def test_sensitivity_names_where_values_come_from() -> None:
    found = sensitivity(_journey(Path("examples/parcel-delivery.yaml")))
    keys = [influence.slot.key for influence in found.influences]
    default = found.influences[keys.index("defaults.resolve")]
    assert not default.slot.in_file
    inherited = found.influences[keys.index("touchpoints.track.channels.web.resolve")]
    assert inherited.slot.inherits == "defaults.resolve"
    assert default.lower is not None
    assert default.upper is not None
    assert default.lower[0] == pytest.approx(0.8)
    assert default.upper[0] == pytest.approx(1.0)
    effects = [influence.effect for influence in found.influences[:20]]
    assert effects == sorted(effects, reverse=True)


WIDE = """
journeymap: 1
id: wide
stages: [{id: s}]
channels: {web: {cost: 1}, phone: {cost: 5}}
touchpoints:
  - id: busy
    stage: s
    status: assumed
    channels:
      web: {role: primary, resolve: [0.4, 0.95]}
      phone: {role: alternative, resolve: [0.84, 0.86]}
    retry: [0.69, 0.71]
    next: [{to: quiet, p: [0.49, 0.51]}, {to: done, p: [0.49, 0.51]}]
  - id: quiet
    stage: s
    channels: {web: {resolve: [0.88, 0.9]}, phone: alternative}
    next: [{to: done}]
  - id: done
    stage: s
    channels: {web: {resolve: [0.97, 0.99]}}
"""


def test_a_wide_range_at_a_busy_step_ranks_first_and_explains_most_variance() -> None:
    journey = loads(WIDE, "wide.yaml")
    journey = getattr(journey, "journey", journey)
    found = uncertainty(journey, draws=1000, seed=3)
    assert found is not None
    leading = found.leading("failure_demand_ratio")
    assert leading[0][0].key == "touchpoints.busy.channels.web.resolve"
    assert leading[0][1] > 0.8
    assert all(share < 0.1 for _, share in leading[1:])
    bars = tornado(journey)
    assert bars[0].slot.key == "touchpoints.busy.channels.web.resolve"


def test_same_seed_same_intervals_byte_for_byte() -> None:
    journey = _journey(PERMIT)
    first = uncertainty(journey, draws=300, seed=11)
    again = uncertainty(journey, draws=300, seed=11)
    other = uncertainty(journey, draws=300, seed=12)
    assert first is not None
    assert again is not None
    assert other is not None
    text = json.dumps(first.as_dict(), sort_keys=True)
    assert text == json.dumps(again.as_dict(), sort_keys=True)
    assert text != json.dumps(other.as_dict(), sort_keys=True)


def test_intervals_hold_the_point_figure_and_stay_inside_the_extremes() -> None:
    journey = _journey(PERMIT)
    found = uncertainty(journey, draws=500, seed=1)
    assert found is not None
    assert found.failed == 0
    for name, interval in found.figures.items():
        assert interval.low <= interval.high
        samples = found.samples[name]
        assert samples.min() <= interval.low
        assert interval.high <= samples.max()
    fdr = found.figures["failure_demand_ratio"]
    assert fdr.low < fdr.point < fdr.high
    total = sum(v.point for k, v in found.hotspots.items() if k.startswith("touchpoint:"))
    assert total == pytest.approx(1.0)


def test_a_journey_without_ranges_has_no_uncertainty() -> None:
    assert uncertainty(_journey(Path("examples/parcel-delivery.yaml")), draws=10) is None


def test_one_range_spans_its_figures_quantiles() -> None:
    """With one range and a monotone figure, the interval is the figure at the range's
    5th and 95th percentiles."""
    journey = loads(WIDE.replace("[0.84, 0.86]", "0.85").replace("[0.69, 0.71]", "0.7")
                    .replace("[0.49, 0.51]", "0.5").replace("[0.88, 0.9]", "0.89")
                    .replace("[0.97, 0.99]", "0.98"), "one.yaml")  # fmt: skip
    journey = getattr(journey, "journey", journey)
    engine = Engine(journey)
    found = uncertainty(journey, draws=2000, seed=5, engine=engine)
    assert found is not None
    i = engine.slots["touchpoints.busy.channels.web.resolve"]
    at_high_resolve = solve_at(engine, i, 0.4 + 0.55 * 0.95, "failure_demand_ratio")
    at_low_resolve = solve_at(engine, i, 0.4 + 0.55 * 0.05, "failure_demand_ratio")
    interval = found.figures["failure_demand_ratio"]
    assert interval.low == pytest.approx(at_high_resolve, rel=1e-3)
    assert interval.high == pytest.approx(at_low_resolve, rel=1e-3)


def test_first_order_indices_of_a_known_function() -> None:
    """``y = x1 + x2 / 2``: first-order indices 0.8 and 0.2; a third input does nothing."""
    columns = design(["a", "b", "c"], 4000, seed=0)
    inputs = np.column_stack([columns[k] for k in "abc"])
    found = first_order(inputs, inputs[:, 0] + inputs[:, 1] / 2)
    np.testing.assert_allclose(found, [0.8, 0.2, 0.0], atol=0.02)


def test_paired_draws_compare_draw_by_draw() -> None:
    journey = _journey(PERMIT)
    same = paired(journey, journey, draws=200, seed=2)
    assert same is not None
    assert all(share == 0.0 for share in same.better.values())
    better = changed_journey(
        journey,
        [{"set": {"path": "touchpoints.apply.channels.web.resolve", "value": [0.75, 0.95]}}],
    )
    found = paired(journey, better, draws=200, seed=2)
    assert found is not None
    assert found.better["failure_demand_ratio"] == 1.0
    assert found.better["completion_rate"] == 1.0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_design_is_a_latin_hypercube(seed: int) -> None:
    columns = design(["x", "y"], 50, seed)
    for values in columns.values():
        assert sorted((values * 50).astype(int).tolist()) == list(range(50))
