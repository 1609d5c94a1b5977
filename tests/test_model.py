"""The journey model used from code: defaults, shorthands and checks without a file."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import journeymap
from journeymap.model import Journey
from tests.conftest import EXAMPLES

MINIMAL = {
    "journeymap": 1,
    "id": "minimal",
    "stages": [{"id": "s"}],
    "channels": {"web": {}},
    "touchpoints": [{"id": "a", "stage": "s", "channels": {"web": "primary"}}],
}


def test_defaults_are_those_of_the_format() -> None:
    journey = Journey.model_validate(MINIMAL)
    assert journey.defaults.model_dump() == {
        "retry": 0.7,
        "switch": 0.3,
        "stickiness": 0.8,
        "resolve": 0.9,
        "gap_penalty": 0.8,
        "max_contacts": 50,
        "fte_hours": 37.5,
        "service_level": None,
    }
    assert journey.locale == "en"
    assert journey.entry == "a"
    assert journey.channels["web"].hours == "24/7"
    assert journey.channels["web"].cost == 0.0


def test_well_known_channels_get_their_kind() -> None:
    data = MINIMAL | {"channels": {"web": {}, "phone": {}, "office": {}, "chatbot": {}}}
    kinds = {cid: ch.kind for cid, ch in Journey.model_validate(data).channels.items()}
    assert kinds == {
        "web": "self-service",
        "phone": "assisted",
        "office": "physical",
        "chatbot": "automated",
    }


def test_role_shorthand_and_default_role() -> None:
    data = MINIMAL | {"channels": {"web": {}, "chat": {}}}
    data["touchpoints"] = [{"id": "a", "stage": "s", "channels": {"web": "primary", "chat": None}}]
    uses = Journey.model_validate(data).touchpoints[0].channels
    assert uses["web"].role == "primary"
    assert uses["chat"].role == "alternative"


def test_lanes_take_one_text_or_a_list() -> None:
    data = MINIMAL | {
        "touchpoints": [
            {"id": "a", "stage": "s", "customer": "Pays", "support": ["CRM", "Billing"]}
        ]
    }
    tp = Journey.model_validate(data).touchpoints[0]
    assert tp.customer == ["Pays"]
    assert tp.support == ["CRM", "Billing"]


def test_a_lone_successor_needs_no_probability() -> None:
    data = MINIMAL | {
        "touchpoints": [{"id": "a", "stage": "s", "next": [{"to": "b"}]}, {"id": "b", "stage": "s"}]
    }
    journey = Journey.model_validate(data)
    assert journey.touchpoint("a").successors() == [("b", 1.0)]
    assert journey.touchpoint("b").is_end


def test_journeys_built_in_code_check_their_references() -> None:
    data = MINIMAL | {"touchpoints": [{"id": "a", "stage": "stage-x", "channels": {"fax": {}}}]}
    with pytest.raises(ValidationError) as caught:
        Journey.model_validate(data)
    text = str(caught.value)
    assert "touchpoints[a].stage: unknown stage 'stage-x' (known: s)" in text
    assert "touchpoints[a].channels.fax: unknown channel 'fax' (known: web)" in text


def test_models_are_frozen() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    with pytest.raises(ValidationError):
        journey.id = "other"


def test_a_changed_copy_is_checked_again() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    data = journey.model_dump(by_alias=True)
    data["start"] = "nowhere"
    with pytest.raises(ValidationError, match="start: unknown touchpoint 'nowhere'"):
        Journey.model_validate(data)


def test_touchpoint_lookup_names_the_known_ids() -> None:
    journey = Journey.model_validate(MINIMAL)
    with pytest.raises(KeyError, match="no touchpoint 'b' \\(known: a\\)"):
        journey.touchpoint("b")


def test_copies_answer_from_their_own_fields() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    assert journey.touchpoint("track").title == "Track the parcel"
    renamed = journey.touchpoints[1].model_copy(update={"title": "Follow the parcel"})
    copy = journey.model_copy(
        update={"touchpoints": [journey.touchpoints[0], renamed, *journey.touchpoints[2:]]}
    )
    assert copy.touchpoint("track").title == "Follow the parcel"
    assert journey.touchpoint("track").title == "Track the parcel"
    phone = journey.channels["phone"]
    assert phone.opening.hours_per_week == 40
    assert phone.model_copy(update={"hours": "24/7"}).opening.always_open
