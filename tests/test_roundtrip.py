"""Load, dump, load gives an equal journey: for every key of the format and any journey."""

from __future__ import annotations

import yaml
from hypothesis import given

import journeymap
from journeymap.loader.writer import dump_data
from journeymap.model import Journey
from tests.conftest import DATA
from tests.strategies import journey_data, journeys

EVERY_KEY = DATA / "every-key.yaml"
FORMAT_KEYS = {
    "journeymap",
    "id",
    "title",
    "description",
    "locale",
    "start",
    "defaults",
    "retry",
    "switch",
    "stickiness",
    "resolve",
    "gap_penalty",
    "max_contacts",
    "stages",
    "channels",
    "kind",
    "hours",
    "context",
    "cost",
    "handoffs",
    "from",
    "to",
    "segments",
    "share",
    "prefers",
    "information",
    "sources",
    "touchpoints",
    "stage",
    "customer",
    "frontstage",
    "backstage",
    "support",
    "evidence",
    "emotion",
    "pain_points",
    "opportunities",
    "complexity",
    "owner",
    "status",
    "demand",
    "cause",
    "info",
    "role",
    "failures",
    "next",
    "p",
}


def _keys(node: object) -> set[str]:
    if isinstance(node, dict):
        return {str(k) for k in node} | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for item in node for k in _keys(item)}
    return set()


def test_every_key_file_uses_every_key_of_the_format() -> None:
    assert _keys(yaml.safe_load(EVERY_KEY.read_text())) >= FORMAT_KEYS


def test_every_key_round_trips() -> None:
    journey = journeymap.load(EVERY_KEY)
    dumped = journeymap.dump(journey)
    assert journeymap.loads(dumped) == journey
    assert _keys(yaml.safe_load(dumped)) | {"role", "p"} >= FORMAT_KEYS


def test_every_key_file_keeps_its_values() -> None:
    journey = journeymap.load(EVERY_KEY)
    track = journey.touchpoint("track")
    assert journey.defaults.max_contacts == 60
    assert track.channels["web"].share == 0.7
    assert track.channels["app"].role == "primary"
    assert track.customer == ["Checks where the parcel is"]
    assert track.support == ["Carrier API", "Order database"]
    assert journey.handoffs[0].from_ == "chat"
    assert journey.segments[0].prefers == {"app": 2.0, "phone": 0.5}


@given(journeys())
def test_any_journey_round_trips(journey: Journey) -> None:
    result = journeymap.reads(journeymap.dump(journey), "generated.yaml")
    assert result.findings == ()
    assert result.journey == journey


@given(journey_data())
def test_loading_data_and_loading_its_yaml_agree(data: dict[str, object]) -> None:
    assert journeymap.loads(dump_data(data)) == Journey.model_validate(data)
