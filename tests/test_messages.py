"""User-facing messages, pinned as exact strings: changing one is changing the product."""

from __future__ import annotations

import journeymap
from tests.conftest import DATA

BROKEN = DATA / "broken"


def _messages(name: str) -> list[str]:
    return [str(f) for f in journeymap.read(BROKEN / name).findings]


def test_unknown_channel_message_matches_the_format_promise() -> None:
    path = BROKEN / "unknown-reference.yaml"
    assert (
        f"{path}:20:7: error unknown-reference touchpoints[track].channels.fax: "
        "unknown channel 'fax' (known: web)"
    ) in _messages("unknown-reference.yaml")


def test_unknown_key_suggests_the_right_one() -> None:
    assert _messages("unknown-key.yaml")[1] == (
        f"{BROKEN / 'unknown-key.yaml'}:6:36: error schema channels.web.contxt: unknown key "
        "'contxt' (known: title, kind, hours, context, cost, response, handling, agents, "
        "patience); did you mean 'context'?"
    )


def test_wrong_types_say_what_was_expected_and_found() -> None:
    tails = [m.split(" schema ", 1)[1] for m in _messages("wrong-types.yaml")]
    assert tails == [
        "title: expected text, found 2024; put it in quotes to make it text",
        "channels.web.cost: expected a number, found '0.5'; remove the quotes to make it a number",
        "channels.phone: expected a mapping (key: value lines), found a list",
        "touchpoints[a].emotion: expected a whole number, found 'sad'",
        "touchpoints[a].channels.web: expected a role (primary, alternative, escalation, "
        "not-recommended) or a mapping with role, share and resolve",
        "touchpoints[a].retry: expected a number, found true",
        "touchpoints[a].next: expected a list, found 'b'",
    ]


def test_hostile_input_messages() -> None:
    assert _messages("alias-bomb.yaml") == [
        f"{BROKEN / 'alias-bomb.yaml'}:8:8: error yaml-syntax alias '*e' would expand the "
        "document past 100,000 nodes (an alias bomb); refused, use fewer or smaller aliases"
    ]
    assert _messages("unsafe-tag.yaml") == [
        f"{BROKEN / 'unsafe-tag.yaml'}:3:8: error yaml-syntax tag "
        "'!!python/object/apply:os.system' is not allowed: journey files hold plain data "
        "(text, numbers, lists, mappings) and nothing in them is executed; remove the tag"
    ]
    assert _messages("binary.yaml") == [
        f"{BROKEN / 'binary.yaml'}:2:8: error unreadable is a binary file (NUL byte), "
        "not YAML text; journey files are UTF-8 text"
    ]


def test_slug_message_offers_a_valid_id() -> None:
    assert _messages("bad-ids-and-hours.yaml")[0].endswith(
        "id: 'Bad Id' is not a valid id: use lowercase letters, digits, '-' and '_' "
        "(for example 'bad-id')"
    )


def test_version_messages() -> None:
    assert _messages("version-newer.yaml")[0].endswith(
        "journeymap: format version 2 is not one this release reads (1); "
        "upgrade journeymap to read it"
    )
    assert journeymap.reads("journeymap: '1'\n").findings[0].message == (
        "journeymap: format version '1' is not one this release reads (1); write 'journeymap: 1'"
    )
