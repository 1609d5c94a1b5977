"""Generate large, realistic-looking, sound journeys from a seed: for benchmarks and demos.

A generated journey runs forward through its touchpoints with side trips into
failure-demand steps and occasional loops back, so that every touchpoint is reachable
and every customer can finish. The same seed gives the same journey.
"""

from __future__ import annotations

import random
from typing import Any

from journeymap.model import STANDARD_CAUSES, Journey
from journeymap.model.channels import KNOWN_KINDS

_CHANNELS = ("web", "app", "chat", "phone", "e-mail", "office", "chatbot", "sms")
_HOURS = ("24/7", "mon-fri 08:00-18:00", "mon-fri 09:00-16:00", "mon-sat 08:00-20:00")
_COST = {"self-service": 0.2, "automated": 0.1, "assisted": 5.0, "physical": 20.0, "outbound": 0.1}


def generate(touchpoints: int = 50, channels: int = 6, seed: int = 0) -> Journey:
    """A sound journey with ``touchpoints`` steps and ``channels`` channels."""
    return Journey.model_validate(generate_data(touchpoints, channels, seed))


def generate_data(touchpoints: int = 50, channels: int = 6, seed: int = 0) -> dict[str, Any]:
    """The plain data of ``generate``, ready to be dumped as a journey file."""
    if touchpoints < 1 or channels < 1:
        raise ValueError("a journey needs at least one touchpoint and one channel")
    rng = random.Random(seed)
    cids = [_CHANNELS[i] if i < len(_CHANNELS) else f"channel-{i}" for i in range(channels)]
    stages = [f"stage-{i}" for i in range(max(1, (touchpoints + 7) // 8))]
    return {
        "journeymap": 1,
        "id": f"generated-{touchpoints}-{channels}-{seed}",
        "title": f"Generated journey ({touchpoints} touchpoints, {channels} channels)",
        "stages": [{"id": sid, "title": f"Stage {i + 1}"} for i, sid in enumerate(stages)],
        "channels": {cid: _channel(rng, cid) for cid in cids},
        "handoffs": _handoffs(rng, cids),
        "segments": [
            {"id": "digital", "share": 0.6, "prefers": {cids[0]: 2.0}},
            {"id": "assisted", "share": 0.4, "prefers": {cids[-1]: 2.0}},
        ],
        "information": {
            "status": {
                "title": "Case status",
                "sources": {cid: rng.choice(["case-system", "agent-notes"]) for cid in cids},
            }
        },
        "touchpoints": _touchpoints(rng, touchpoints, stages, cids),
    }


def _channel(rng: random.Random, cid: str) -> dict[str, Any]:
    kind = KNOWN_KINDS.get(cid, "assisted")
    return {
        "title": cid.replace("-", " ").capitalize(),
        "kind": kind,
        "hours": "24/7" if kind in ("self-service", "automated") else rng.choice(_HOURS),
        "context": rng.choice(["crm", "crm", None]),
        "cost": round(_COST[kind] * rng.uniform(0.7, 1.3), 2),
    }


def _handoffs(rng: random.Random, cids: list[str]) -> list[dict[str, str]]:
    pairs = [(a, b) for a in cids for b in cids if a != b]
    chosen = rng.sample(pairs, k=min(len(pairs), 3))
    return [{"from": a, "to": b, "context": rng.choice(["full", "partial"])} for a, b in chosen]


def _touchpoints(
    rng: random.Random, count: int, stages: list[str], cids: list[str]
) -> list[dict[str, Any]]:
    ids = [f"step-{i}" for i in range(count)]
    failure: set[int] = set()
    for i in range(2, count - 1):
        if i - 1 not in failure and rng.random() < 0.2:
            failure.add(
                i
            )  # never two in a row: each is reached by a side trip from the step before
    out = []
    for i, tid in enumerate(ids):
        spec = _touchpoint(rng, tid, stages[min(i // 8, len(stages) - 1)], cids, i in failure)
        spec["next"] = _next(rng, i, ids, failure)
        out.append(spec)
    return out


def _touchpoint(
    rng: random.Random, tid: str, stage: str, cids: list[str], failure: bool
) -> dict[str, Any]:
    offered = rng.sample(cids, k=rng.randint(1, min(4, len(cids))))
    roles = ["primary", *rng.choices(["alternative", "escalation", "not-recommended"], k=3)]
    spec: dict[str, Any] = {
        "id": tid,
        "stage": stage,
        "title": f"Step {tid.split('-')[1]}",
        "customer": "Does what this step asks",
        "frontstage": "Sees the service respond",
        "backstage": "Staff and systems handle the case",
        "emotion": rng.randint(-2, 2),
        "complexity": rng.choice(["low", "medium", "high"]),
        "info": ["status"],
        "channels": {
            cid: {
                "role": role,
                "share": round(rng.uniform(0.1, 1), 2),
                "resolve": round(rng.uniform(0.6, 0.98), 2),
            }
            for cid, role in zip(offered, roles, strict=False)
        },
        "failures": {cause: rng.randint(1, 4) for cause in rng.sample(STANDARD_CAUSES, k=2)},
        "retry": round(rng.uniform(0.5, 0.85), 2),
    }
    if failure:
        spec["demand"] = "failure"
        spec["cause"] = rng.choice(STANDARD_CAUSES)
    return spec


def _next(rng: random.Random, i: int, ids: list[str], failure: set[int]) -> list[dict[str, Any]]:
    """Forward to the next value step, a side trip to a failure step, or back a little."""
    last = len(ids) - 1
    if i == last:
        return []
    forward = i + 2 if i + 1 in failure else i + 1
    if i in failure:
        return [{"to": ids[forward]}]
    steps = {forward: 0.85}
    trip = i + 1 if i + 1 in failure else None
    if trip is not None and trip != forward:
        steps[trip] = 0.1
    if i > 3 and rng.random() < 0.15:
        steps.setdefault(i - rng.randint(1, 3), 0.05)
    total = sum(steps.values())
    return [{"to": ids[t], "p": p / total} for t, p in steps.items()]
