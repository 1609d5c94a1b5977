"""The exact analysis against answers computed by hand, to 1e-12."""

from __future__ import annotations

import pytest

import journeymap
from journeymap.flow import AnalysisError, Figures, NoExitError, analyze
from journeymap.model import Journey

EXACT = 1e-12


def close(value: float | None) -> object:
    return pytest.approx(value, rel=0, abs=EXACT)


def journey(text: str) -> Journey:
    return journeymap.loads("journeymap: 1\nid: hand\nstages: [{id: s}]\n" + text)


def test_one_touchpoint_with_retries() -> None:
    # attempts succeed with r = 0.6; after a failure, retry with 0.5: D = 1 - 0.4 * 0.5
    figures = analyze(
        journey("""
channels: {web: {cost: 2}}
touchpoints:
  - {id: a, stage: s, channels: {web: {resolve: 0.6}}, retry: 0.5, failures: {waiting: 1}}
""")
    )
    d = 1 - 0.4 * 0.5
    assert figures.completion_rate == close(0.6 / d)
    assert figures.abandon_rate == close(0.4 * 0.5 / d)
    assert figures.contacts_per_customer == close(1 / d)
    assert figures.failure_demand_ratio == close((1 / d - 1) / (1 / d))
    assert figures.cost_per_customer == close(2 / d)
    a = figures.touchpoints["a"]
    assert (a.visits, a.first_contact_resolution) == (close(1.0), close(0.6))
    assert figures.causes == {"waiting": close(1 / d - 1)}
    assert [(b.touchpoint, b.channel, b.cause) for b in figures.breakpoints] == [
        ("a", "web", "waiting")
    ]
    assert figures.breakpoints[0].count == close(0.4 * 0.5 / d)
    # P(T = 1) = 0.6 + 0.2 = 0.8; P(T <= 2) = 0.8 + 0.2 * 0.8 = 0.96
    assert (figures.contacts_p50, figures.contacts_p90, figures.contacts_p95) == (1, 2, 2)


@pytest.mark.parametrize(
    ("handoff", "multiplier"),
    [("", 0.5), ("handoffs: [{from: web, to: phone, context: partial}]", 0.75)],
)
def test_a_switch_that_loses_context(handoff: str, multiplier: float) -> None:
    # a (web, always resolves) -> b (phone only, resolve 0.8); the switch web -> phone loses
    # context, so b's first attempt resolves with 0.8 * gap_penalty 0.5 (partial: 0.8 * 0.75)
    figures = analyze(
        journey(f"""
defaults: {{gap_penalty: 0.5}}
channels: {{web: {{}}, phone: {{}}}}
{handoff}
touchpoints:
  - {{id: a, stage: s, channels: {{web: {{resolve: 1}}}}, next: [{{to: b}}]}}
  - {{id: b, stage: s, channels: {{phone: {{resolve: 0.8}}}}, retry: 0.5}}
""")
    )
    first = 0.8 * multiplier
    later = 0.5 * 0.8 / (1 - 0.2 * 0.5)
    assert figures.completion_rate == close(first + (1 - first) * later)
    assert figures.touchpoints["b"].contacts == close(1 + (1 - first) * 0.5 / (1 - 0.2 * 0.5))
    assert figures.touchpoints["b"].first_contact_resolution == close(first)
    assert [(g.source, g.target) for g in figures.gaps] == [("web", "phone")]
    assert figures.gaps[0].count == close(1.0)


def test_a_failure_demand_touchpoint() -> None:
    figures = analyze(
        journey("""
channels: {web: {context: crm}, phone: {context: crm}}
touchpoints:
  - {id: a, stage: s, channels: {web: {resolve: 1}}, next: [{to: ask, p: 0.2}, {to: done, p: 0.8}]}
  - {id: ask, stage: s, demand: failure, cause: no-proactive-update,
     channels: {phone: {resolve: 1}}, next: [{to: done}]}
  - {id: done, stage: s, channels: {web: {resolve: 1}}}
""")
    )
    assert figures.completion_rate == close(1.0)
    assert figures.contacts_per_customer == close(2.2)
    assert figures.failure_demand_ratio == close(0.2 / 2.2)
    assert figures.causes == {"no-proactive-update": close(0.2)}
    assert figures.touchpoints["ask"].visits == close(0.2)
    assert figures.touchpoints["ask"].failure_contacts == close(0.2)
    assert figures.gaps == ()
    assert figures.channels["phone"].failure_contacts == close(0.2)


def test_two_segments_blend_by_share() -> None:
    figures = analyze(
        journey("""
channels: {web: {}, phone: {}}
segments:
  - {id: helped, share: 0.25, prefers: {phone: 3}}
  - {id: digital, share: 0.75}
touchpoints:
  - id: a
    stage: s
    retry: 0
    channels: {web: {role: primary, resolve: 0.5}, phone: {role: alternative, resolve: 1}}
""")
    )
    # helped: weights web 3, phone 1 * 3 -> 0.5 / 0.5; digital: web 3, phone 1 -> 0.75 / 0.25
    helped, digital = 0.5 * 0.5 + 0.5, 0.75 * 0.5 + 0.25
    assert figures.segments["helped"].completion_rate == close(helped)
    assert figures.segments["digital"].completion_rate == close(digital)
    assert figures.completion_rate == close(0.25 * helped + 0.75 * digital)
    assert figures.channels["phone"].contacts == close(0.25 * 0.5 + 0.75 * 0.25)


def test_retry_switches_weigh_escalation_three() -> None:
    # web fails always; customers retry, always in another channel: chat (alternative, 1)
    # or phone (escalation, 3). Arrivals: web 3 : chat 1 : phone 0.
    figures = analyze(
        journey("""
channels: {web: {context: crm}, chat: {context: crm}, phone: {context: crm}}
touchpoints:
  - id: a
    stage: s
    retry: 1
    switch: 1
    channels:
      web: {role: primary, resolve: 0}
      chat: {role: alternative, resolve: 1}
      phone: {role: escalation, resolve: 1}
""")
    )
    assert figures.completion_rate == close(1.0)
    assert figures.contacts_per_customer == close(0.25 + 0.75 * 2)
    assert figures.channels["phone"].contacts == close(0.75 * 0.75)
    assert figures.channels["chat"].contacts == close(0.25 + 0.75 * 0.25)
    assert figures.gaps == ()


def test_loops_for_ever_are_refused_with_no_exit() -> None:
    looping = journey("""
defaults: {gap_penalty: 0}
channels: {web: {}, phone: {}}
touchpoints:
  - {id: a, stage: s, retry: 1, switch: 1, channels: {web: {resolve: 0.5}, phone: {resolve: 0.5}}}
""")
    # every retry switches channel and loses context, and gap_penalty 0 makes it fail
    first = analyze(
        looping.model_copy(
            update={"defaults": looping.defaults.model_copy(update={"gap_penalty": 0.5})}
        )
    )
    assert first.completion_rate == close(1.0)
    with pytest.raises(NoExitError, match=r"customers at a \(in web, phone\) .* loop for ever"):
        analyze(looping)


def test_journeys_with_errors_are_refused() -> None:
    broken = journey("""
channels: {web: {}}
touchpoints:
  - {id: a, stage: s, channels: {web: primary}, next: [{to: b, p: 0.5}, {to: c, p: 0.4}]}
  - {id: b, stage: s, channels: {web: primary}}
  - {id: c, stage: s, channels: {web: primary}}
""")
    with pytest.raises(AnalysisError) as caught:
        analyze(broken)
    assert [f.rule for f in caught.value.findings] == ["probabilities"]


def test_hotspots_rank_failure_contacts() -> None:
    figures = analyze(journeymap.load("examples/parcel-delivery.yaml"))
    spots = figures.hotspots()
    assert [s.failure_contacts for s in spots] == sorted(
        (s.failure_contacts for s in spots), reverse=True
    )
    assert {s.kind for s in figures.hotspots(kind="cause")} == {"cause"}
    assert len(figures.hotspots(top=3)) == 3
    touchpoint_total = sum(s.failure_contacts for s in figures.hotspots(kind="touchpoint"))
    assert touchpoint_total == pytest.approx(figures.failure_contacts_per_customer)


def test_figures_are_json_with_the_documented_keys() -> None:
    figures: Figures = analyze(journeymap.load("examples/housing-allowance.yaml"))
    data = figures.as_dict()
    for key in (
        "completion_rate",
        "abandon_rate",
        "contacts_per_customer",
        "failure_demand_ratio",
        "cost_per_customer",
        "touchpoints",
        "channels",
        "gaps",
        "breakpoints",
        "causes",
        "contacts_p50",
        "contacts_p90",
        "contacts_p95",
        "segments",
    ):
        assert key in data
    first = next(iter(data["touchpoints"].values()))
    assert {
        "visits",
        "contacts",
        "failure_contacts",
        "abandoned",
        "first_contact_resolution",
    } <= set(first)
    assert set(next(iter(data["channels"].values()))) >= {"contacts", "failure_contacts", "cost"}
    assert set(data["gaps"][0]) == {"from", "to", "count"}
    assert set(data["breakpoints"][0]) == {"touchpoint", "channel", "cause", "count"}
    assert isinstance(figures, journeymap.Figures)
