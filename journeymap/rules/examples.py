"""Turn a rule's docstring example (a fragment) into a whole journey, so examples are tested.

A fragment gives only the keys that matter for the rule; the rest come from a small base
journey. Top-level keys of the fragment replace the base's.
"""

from __future__ import annotations

from typing import Any

from journeymap.loader.writer import dump_data
from journeymap.source import compose

BASE: dict[str, Any] = {
    "journeymap": 1,
    "id": "example",
    "stages": [{"id": "wait", "title": "Wait"}, {"id": "receive", "title": "Receive"}],
    "channels": {"web": {"title": "Web"}},
    "touchpoints": [
        {
            "id": "track",
            "stage": "wait",
            "customer": "Checks the parcel",
            "frontstage": "Tracking page",
            "backstage": "Scan events",
            "channels": {"web": "primary"},
            "next": [{"to": "receive"}],
        },
        {
            "id": "receive",
            "stage": "receive",
            "customer": "Opens the door",
            "frontstage": "Courier hands the parcel over",
            "backstage": "Route planning",
            "channels": {"web": "primary"},
        },
    ],
}


def complete(fragment: str) -> str:
    """A whole journey's YAML: the base journey with the fragment's top-level keys in place."""
    data = compose(fragment, "<example>").data if fragment.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("an example fragment is a mapping of top-level journey keys")
    return dump_data(BASE | data)
