"""Scenario files: each change does what it says, problems point at the change, commands read them.

Broken scenarios are data: ``tests/data/scenarios/broken/*.yaml``, each ending in
``# expect: rule [file] line:col`` lines, ``file`` relative to the scenario where the
finding is in another file (its base).
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import journeymap
from journeymap import Journey, Loaded
from journeymap.cli import main
from journeymap.loader.scenario import changed_journey, scenario_id
from journeymap.loader.writer import dump_data
from journeymap.rules import run
from journeymap.source import compose
from tests.conftest import DATA, EXAMPLES, ROOT, example_scenarios
from tests.strategies import journey_data, journeys

SCENARIOS = DATA / "scenarios"
BROKEN = sorted((SCENARIOS / "broken").glob("*.yaml"))
PARCEL = EXAMPLES / "parcel-delivery.yaml"
_EXPECT = re.compile(r"^# expect: (\S+) (?:(\S+) )?(\d+):(\d+)$", re.MULTILINE)


def _base() -> Journey:
    return journeymap.load(PARCEL)


def _scenario(*changes: str, title: str | None = None) -> Loaded:
    """A scenario on the parcel example, as text named ``what-if.yaml`` in examples/."""
    lines = ["scenario: 1", "extends: parcel-delivery.yaml"]
    lines += [f"title: {title}"] if title else []
    lines += ["changes:", *(f"  - {change}" for change in changes)]
    return journeymap.reads("\n".join(lines) + "\n", "what-if.yaml", base_dir=EXAMPLES)


def _changed(*changes: str) -> Journey:
    loaded = _scenario(*changes)
    assert loaded.findings == ()
    return loaded.raise_for_errors()


def _places(loaded: Loaded) -> list[str]:
    return [f"{f.rule} {f.line}:{f.column}" for f in loaded.findings]


# -- what each change does --------------------------------------------------------------


def test_no_changes_gives_the_base_with_the_scenario_id_and_title() -> None:
    loaded = journeymap.read(SCENARIOS / "no-changes.yaml")
    expected = _base().model_copy(
        update={"id": "parcel-delivery--no-changes", "title": "Parcel delivery as it is"}
    )
    assert loaded.findings == ()
    assert loaded.journey == expected
    assert loaded.base is not None
    assert loaded.base.journey == _base()


def test_without_a_title_the_base_title_stays() -> None:
    journey = _changed()
    assert journey == _base().model_copy(update={"id": "parcel-delivery--what-if"})


def test_scenario_text_without_a_file_name_gets_the_scenario_suffix() -> None:
    text = "scenario: 1\nextends: parcel-delivery.yaml\n"
    assert journeymap.loads(text, base_dir=EXAMPLES).id == "parcel-delivery--scenario"


@pytest.mark.parametrize(
    ("name", "base", "expected"),
    [
        (
            "examples/parcel-delivery.chat-handoff.yaml",
            "parcel-delivery.yaml",
            "base--chat-handoff",
        ),
        ("what-if.yml", "parcel-delivery.yaml", "base--what-if"),
        ("Evening Chat!.yaml", "journey.yaml", "base--evening-chat"),
        ("<stdin>", "journey.yaml", "base--scenario"),
        (f"{'x' * 80}.yaml", "journey.yaml", f"base--{'x' * 58}"),
    ],
)
def test_scenario_ids(name: str, base: str, expected: str) -> None:
    assert scenario_id("base", name, base) == expected


def test_every_change_kind_changes_the_model_as_intended() -> None:
    loaded = journeymap.read(SCENARIOS / "every-change.yaml")
    journey = loaded.raise_for_errors()
    base = _base()
    assert journey.touchpoint("track").channels["web"].resolve == 0.95
    assert journey.touchpoint("track").channels["web"].role == "primary"
    assert journey.defaults.resolve == 0.85
    assert base.defaults.resolve == 0.9
    assert [(h.from_, h.to, h.context) for h in journey.handoffs] == [
        ("sms", "carrier-phone", "partial")
    ]
    chat = journey.touchpoint("deliver").channels["chat"]
    assert (chat.role, chat.share, chat.resolve) == ("escalation", None, 0.88)
    assert journey.touchpoint("order").channels["phone"].role == "alternative"
    assert "where-is-my-parcel" not in journey.touchpoint_map
    assert [(s.to, s.p) for s in journey.touchpoint("track").next] == [("deliver", 1.0)]
    untouched = ("order", "deliver")
    for tid in untouched:
        assert journey.touchpoint(tid).next == base.touchpoint(tid).next


def test_set_replaces_a_value_and_adds_a_missing_last_key() -> None:
    journey = _changed(
        "set: {path: touchpoints.track.emotion, value: -1}",
        "set: {path: touchpoints.track.owner, value: Logistics team}",
        "set: {path: channels.carrier-phone.context, value: carrier}",
    )
    track = journey.touchpoint("track")
    assert (track.emotion, track.owner) == (-1, "Logistics team")
    assert journey.channels["carrier-phone"].context == "carrier"


def test_set_addresses_lists_by_id_pair_successor_and_index() -> None:
    journey = _changed(
        "set: {path: stages.wait.title, value: Waiting}",
        "add-handoff: {from: chat, to: phone}",
        "set: {path: handoffs.chat>phone.context, value: partial}",
        "set: {path: touchpoints.track.next.deliver.p, value: 0.9}",
        "set: {path: touchpoints.track.next.where-is-my-parcel.p, value: 0.1}",
        "set: {path: touchpoints.order.support.1, value: Warehouse system}",
        "set: {path: touchpoints.track.next.1.p, value: 0.1}",
    )
    assert journey.stage_map["wait"].title == "Waiting"
    assert journey.handoffs[0].context == "partial"
    assert [(s.to, s.p) for s in journey.touchpoint("track").next] == [
        ("deliver", 0.9),
        ("where-is-my-parcel", 0.1),
    ]
    assert journey.touchpoint("order").support == ["Payment provider", "Warehouse system"]


def test_set_expands_the_role_shorthand_of_a_channel_entry() -> None:
    journey = _changed("set: {path: touchpoints.track.channels.app.resolve, value: 0.8}")
    app = journey.touchpoint("track").channels["app"]
    assert (app.role, app.resolve) == ("primary", 0.8)


def test_set_adds_new_items_to_id_lists_filling_in_their_address() -> None:
    journey = _changed(
        "set: {path: stages.help, value: {title: Help}}",
        "set: {path: touchpoints.rebook, value: {stage: help, channels: {chat: primary}}}",
        "set: {path: touchpoints.where-is-my-parcel.next.rebook, value: {p: 0.25}}",
        "set: {path: touchpoints.where-is-my-parcel.next.deliver.p, value: 0.75}",
        "set: {path: touchpoints.rebook.next, value: [{to: deliver}]}",
        "add-handoff: {from: sms, to: chat}",
        "set: {path: handoffs.chat>phone, value: {context: none}}",
    )
    assert journey.stages[-1].id == "help"
    assert journey.touchpoints[-1].id == "rebook"
    assert [(s.to, s.p) for s in journey.touchpoint("where-is-my-parcel").next] == [
        ("deliver", 0.75),
        ("rebook", 0.25),
    ]
    assert [(h.from_, h.to, h.context) for h in journey.handoffs] == [
        ("sms", "chat", "full"),
        ("chat", "phone", "none"),
    ]


def test_add_channel_takes_the_entry_keys_of_the_format() -> None:
    journey = _changed(
        "add-channel: {touchpoint: deliver, channel: chat}",
        "add-channel: {touchpoint: track, channel: sms, role: not-recommended, share: 0.5}",
    )
    assert journey.touchpoint("deliver").channels["chat"].role == "alternative"
    sms = journey.touchpoint("track").channels["sms"]
    assert (sms.role, sms.share, sms.resolve) == ("not-recommended", 0.5, None)


def test_remove_touchpoint_shares_its_probability_among_the_others_in_proportion() -> None:
    loaded = journeymap.reads(
        "scenario: 1\nextends: broadband-fault-repair.yaml\n"
        "changes:\n  - remove-touchpoint: chase-repair-status\n",
        "no-chasing.yaml",
        base_dir=EXAMPLES,
    )
    journey = loaded.raise_for_errors()
    steps = journey.touchpoint("remote-line-test").next
    assert [s.to for s in steps] == ["confirm-fix", "book-visit"]
    assert [s.p for s in steps] == pytest.approx([0.375, 0.625])
    assert all(s.to != "chase-repair-status" for tp in journey.touchpoints for s in tp.next)


def test_chained_scenarios_apply_in_turn() -> None:
    loaded = journeymap.read(SCENARIOS / "chat-longer-hours.handoff.yaml")
    journey = loaded.raise_for_errors()
    assert journey.id == "parcel-delivery--chat-longer-hours--handoff"
    assert journey.title == "Shop chat open in the evening and at weekends"
    assert journey.channels["chat"].hours == "daily 08:00-22:00"
    assert [(h.from_, h.to) for h in journey.handoffs] == [("carrier-phone", "chat")]
    assert loaded.base is not None
    assert loaded.base.base is not None
    assert loaded.base.path == str(SCENARIOS / "chat-longer-hours.yaml")
    assert loaded.base.base.path == str(PARCEL)


def test_changes_to_one_alias_leave_the_other_alone(tmp_path: Path) -> None:
    base = PARCEL.read_text("utf-8").replace(
        "      web: primary\n      app: primary\n",
        "      web: &tracking {role: primary}\n      app: *tracking\n",
    )
    (tmp_path / "base.yaml").write_text(base, "utf-8")
    (tmp_path / "what-if.yaml").write_text(
        "scenario: 1\nextends: base.yaml\nchanges:\n"
        "  - set: {path: touchpoints.track.channels.web.resolve, value: 0.5}\n",
        "utf-8",
    )
    journey = journeymap.load(tmp_path / "what-if.yaml")
    uses = journey.touchpoint("track").channels
    assert (uses["web"].resolve, uses["app"].resolve) == (0.5, None)


# -- problems, and where they are reported ---------------------------------------------


def _expected(path: Path) -> list[str]:
    found = []
    for rule, other, line, column in _EXPECT.findall(path.read_text("utf-8")):
        where = os.path.normpath(path.parent / other) if other else str(path)
        found.append(f"{rule} {where} {line}:{column}")
    return sorted(found)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_scenario_gives_exactly_its_expected_findings(path: Path) -> None:
    loaded = journeymap.read(path)
    found = sorted(f"{f.rule} {f.path} {f.line}:{f.column}" for f in loaded.findings)
    assert found == _expected(path)
    assert _expected(path), "a broken case expects findings"
    assert loaded.journey is None
    with pytest.raises(journeymap.LoadError):
        loaded.raise_for_errors()


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_validate_reports_a_broken_scenario_and_exits_1(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert len(out.splitlines()) == len(_expected(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "add-handof: {from: chat, to: phone}",
            "4:5: error scenario changes[0].add-handof: unknown change 'add-handof' (known: set, "
            "add-handoff, remove-handoff, add-channel, remove-channel, remove-touchpoint); "
            "did you mean 'add-handoff'?",
        ),
        (
            "set: {path: touchpoints.trak.emotion, value: 1}",
            "4:17: error scenario changes[0].set.path: no touchpoint 'trak' in touchpoints "
            "(known: order, track, where-is-my-parcel, deliver); did you mean 'track'?",
        ),
        (
            "set: {path: touchpoints.track.channels.chat.resolve, value: 0.8}",
            "4:17: error scenario changes[0].set.path: no channel 'chat' in "
            "touchpoints.track.channels (known: web, app, phone); offer it there first with "
            "add-channel",
        ),
        (
            "set: {path: defaults.stickiness.x, value: 1}",
            "4:17: error scenario changes[0].set.path: no key 'stickiness' in defaults "
            "(known: retry, switch); set adds only the last key of a path, so set "
            "'defaults.stickiness' first",
        ),
        (
            "add-channel: {touchpoint: track, channel: chatt}",
            "4:47: error scenario changes[0].add-channel.channel: unknown channel 'chatt' "
            "(known: web, app, chat, phone, carrier-phone, sms); did you mean 'chat'?",
        ),
        (
            "remove-touchpoint: track",
            "4:24: error scenario changes[0].remove-touchpoint: 'order' goes on only to "
            "'track', so removing it would leave 'order' with no way on; give it another "
            "successor first",
        ),
        (
            "set: {path: touchpoints.track.emotion, value: sad}",
            "4:51: error schema touchpoints[track].emotion: expected a whole number, found 'sad'",
        ),
        (
            "add-handoff: {from: chat, to: fax}",
            "4:35: error unknown-reference handoffs[0].to: unknown channel 'fax' (known: web, "
            "app, chat, phone, carrier-phone, sms)",
        ),
    ],
)
def test_change_messages(change: str, message: str) -> None:
    loaded = _scenario(change)
    assert [str(f) for f in loaded.findings] == [f"what-if.yaml:{message}"]


def test_scenario_file_messages() -> None:
    def last(text: str) -> str:
        return str(journeymap.reads(text, "s.yaml", base_dir=SCENARIOS).findings[-1])

    assert last("scenario: 2\nextends: x.yaml\n") == (
        "s.yaml:1:11: error scenario scenario: scenario format version 2 is not one this "
        "release reads (1); upgrade journeymap to read it"
    )
    assert last("scenario: 1\nextend: x.yaml\n") == (
        "s.yaml:2:1: error scenario extend: unknown key 'extend' (known: scenario, extends, "
        "title, description, changes); did you mean 'extends'?"
    )
    missing = os.path.normpath(SCENARIOS / "x.yaml")
    assert last("scenario: 1\nextends: x.yaml\n") == (
        f"s.yaml:2:10: error scenario extends: base '{missing}': no such file; check the path"
    )
    cycle = SCENARIOS / "broken" / "cycle-a.yaml"
    assert str(journeymap.read(cycle).findings[1]).endswith(
        f"the files extend each other in a cycle ({cycle} → {cycle.parent / 'cycle-b.yaml'} "
        f"→ {cycle}); one of them must extend a journey file"
    )


def test_an_unreadable_base_is_reported_with_its_own_path(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_bytes(b"journeymap: 1\n\0")
    (tmp_path / "s.yaml").write_text("scenario: 1\nextends: base.yaml\n")
    loaded = journeymap.read(tmp_path / "s.yaml")
    assert [(Path(f.path).name, f.rule) for f in loaded.findings] == [
        ("base.yaml", "unreadable"),
        ("s.yaml", "scenario"),
    ]


def test_too_long_a_chain_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s0.yaml").write_text(PARCEL.read_text("utf-8"), "utf-8")
    for level in range(1, 18):
        (tmp_path / f"s{level}.yaml").write_text(f"scenario: 1\nextends: s{level - 1}.yaml\n")
    assert journeymap.read(tmp_path / "s16.yaml").findings == ()
    deepest = [f.message for f in journeymap.read(tmp_path / "s17.yaml").findings]
    assert "extends: scenarios extend each other more than 16 deep" in deepest


def test_the_documented_example_is_the_example_file() -> None:
    page = (ROOT / "docs" / "scenario-format.md").read_text("utf-8")
    shown = re.search(r"```yaml\n(scenario: 1\n.*?)```", page, re.DOTALL)
    assert shown is not None
    assert shown.group(1) == (EXAMPLES / "parcel-delivery.chat-handoff.yaml").read_text("utf-8")


def test_the_limit_on_size_holds_for_the_base_too(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(f"scenario: 1\nextends: {PARCEL}\n")
    findings = journeymap.read(tmp_path / "s.yaml", max_bytes=1000).findings
    assert [f.rule for f in findings] == ["scenario"]
    assert "over the 1,000-byte limit" in findings[0].message


# -- design checks on the changed journey ----------------------------------------------


def test_design_findings_point_at_the_change_or_else_at_extends() -> None:
    path = EXAMPLES / "parcel-delivery.delay-notice.yaml"
    lines = path.read_text("utf-8").splitlines()
    extends = lines.index("extends: parcel-delivery.yaml") + 1
    changed = next(i for i, line in enumerate(lines, 1) if line.strip() == "stage: wait")
    found = run(journeymap.read(path))
    assert found
    assert all(f.path == str(path) for f in found)
    added = [f for f in found if f.message.startswith("touchpoints[delay-notice].stage:")]
    assert [f.rule for f in added] == ["stage-order"]
    assert {f.line for f in added} == {changed}
    inherited = [f for f in found if f.message.startswith("touchpoints[deliver]")]
    assert inherited
    assert {(f.line, f.column) for f in inherited} == {(extends, 1)}


def test_a_comment_on_extends_silences_what_the_scenario_inherits(tmp_path: Path) -> None:
    text = (EXAMPLES / "parcel-delivery.delay-notice.yaml").read_text("utf-8")
    text = text.replace(
        "extends: parcel-delivery.yaml",
        f"extends: {PARCEL}  # journeymap: disable=availability-gap",
    )
    (tmp_path / "s.yaml").write_text(text, "utf-8")
    found = run(journeymap.read(tmp_path / "s.yaml"))
    assert not [f for f in found if f.rule == "availability-gap"]
    assert [f for f in found if f.rule == "channel-switch-gap"]


# -- changes in code --------------------------------------------------------------------


def test_changed_journey_agrees_with_the_scenario_file() -> None:
    loaded = journeymap.read(SCENARIOS / "every-change.yaml")
    document = compose((SCENARIOS / "every-change.yaml").read_text("utf-8"), "every-change.yaml")
    changes: list[dict[str, Any]] = document.data["changes"]  # type: ignore[index]
    changed = changed_journey(_base(), changes)
    assert loaded.journey is not None
    base = _base()
    assert changed == loaded.journey.model_copy(update={"id": base.id, "title": base.title})
    assert changed_journey(_base(), []) == _base()


def test_changed_journey_raises_value_error_naming_the_problem() -> None:
    with pytest.raises(ValueError, match=r"^changes\[0\]\.remove-touchpoint: no touchpoint 'x'"):
        changed_journey(_base(), [{"remove-touchpoint": "x"}])
    with pytest.raises(ValueError, match=r"^touchpoints\[1\]\.emotion: expected a whole number"):
        changed_journey(_base(), [{"set": {"path": "touchpoints.track.emotion", "value": "x"}}])


def test_changed_journey_reaches_keys_left_to_their_defaults() -> None:
    changed = changed_journey(_base(), [{"set": {"path": "defaults.stickiness", "value": 0.5}}])
    assert changed.defaults.stickiness == 0.5


# -- the command line ------------------------------------------------------------------


@pytest.mark.parametrize("path", example_scenarios(), ids=lambda p: p.name)
def test_validate_a_scenario_exits_0(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err.startswith("1 journey file checked: ")


def test_analyze_and_render_take_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(EXAMPLES / "parcel-delivery.chat-handoff.yaml")
    assert main(["analyze", "--json", scenario]) == 0
    assert '"completion_rate"' in capsys.readouterr().out
    assert main(["render", "journey", "-f", "mermaid", scenario]) == 0
    assert "shop chat taking delivery problems" in capsys.readouterr().out


def test_analyze_refuses_a_broken_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SCENARIOS / "broken" / "broken-changes.yaml")]) == 1
    assert "cannot be analysed until these errors are fixed" in capsys.readouterr().err


def test_journeys_only_keeps_scenarios(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "s.yaml").write_text(f"scenario: 1\nextends: {PARCEL}\n")
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n")
    assert main(["validate", "--journeys-only", "-q", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path / 's.yaml'}:2:1: warning ")


def test_stdin_scenario_extends_from_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(EXAMPLES)
    text = b"scenario: 1\nextends: parcel-delivery.yaml\nchanges:\n  - remove-touchpoint: nope\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    assert main(["validate", "-"]) == 1
    assert capsys.readouterr().out.startswith(
        "<stdin>:4:24: error scenario changes[0].remove-touchpoint: no touchpoint 'nope'"
    )


# -- properties ------------------------------------------------------------------------

_BY_NAME: dict[tuple[str, ...], str] = {
    ("stages",): "id",
    ("segments",): "id",
    ("touchpoints",): "id",
    ("touchpoints", "*", "next"): "to",
}


def _item_name(items: list[Any], index: int, shape: tuple[str, ...]) -> str:
    """How a ``set`` path names item ``index`` of a list at ``shape``."""
    item = items[index]
    if shape == ("handoffs",):
        return f"{item['from']}>{item['to']}"
    key = _BY_NAME.get(shape)
    names = [other.get(key) for other in items] if key else []
    return str(item[key]) if key and names.count(item[key]) == 1 else str(index)


def _addresses(
    node: object, path: tuple[str, ...] = (), shape: tuple[str, ...] = ()
) -> Iterator[tuple[str, object]]:
    """Every dotted path into journey data, written as a scenario's ``set`` writes it."""
    if isinstance(node, dict):
        children = [(str(key), child, (*shape, str(key))) for key, child in node.items()]
    elif isinstance(node, list):
        children = [
            (_item_name(node, i, shape), child, (*shape, "*")) for i, child in enumerate(node)
        ]
    else:
        return
    for name, child, child_shape in children:
        yield ".".join((*path, name)), child
        yield from _addresses(child, (*path, name), child_shape)


@given(journeys(), st.data())
def test_setting_any_value_to_what_it_is_changes_nothing(journey: Journey, data: Any) -> None:
    paths = list(_addresses(journey.model_dump(mode="json", by_alias=True)))
    path, value = data.draw(st.sampled_from(paths))
    assert changed_journey(journey, [{"set": {"path": path, "value": value}}]) == journey


def _stranded(journey: Journey, removed: str) -> bool:
    """Whether removing a touchpoint leaves one that led there with nowhere to share it."""
    feeders = [tp for tp in journey.touchpoints if removed in {s.to for s in tp.next}]
    return any(
        not any(s.to != removed and (s.p is None or s.p > 0) for s in tp.next)
        for tp in feeders
        if tp.id != removed
    )


@given(journeys(min_touchpoints=2), st.data())
def test_removing_a_touchpoint_keeps_every_distribution_whole(journey: Journey, data: Any) -> None:
    removed = data.draw(st.sampled_from([tp.id for tp in journey.touchpoints]))
    change = {"remove-touchpoint": removed}
    if removed == journey.entry or _stranded(journey, removed):
        with pytest.raises(ValueError, match=r"^changes\[0\]\.remove-touchpoint: "):
            changed_journey(journey, [change])
        return
    changed = changed_journey(journey, [change])
    assert removed not in changed.touchpoint_map
    for tp in changed.touchpoints:
        assert all(step.to != removed for step in tp.next)
        if tp.next and all(step.p is not None for step in tp.next):
            assert sum(step.p or 0.0 for step in tp.next) == pytest.approx(1.0)
        assert bool(tp.next) == bool(journey.touchpoint(tp.id).next)


@given(journey_data())
def test_a_scenario_without_changes_on_any_journey_file_is_that_journey(
    data: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.yaml"
        base.write_text(dump_data(data), "utf-8")
        (Path(folder) / "base.same.yaml").write_text("scenario: 1\nextends: base.yaml\n")
        journey = journeymap.load(Path(folder) / "base.same.yaml")
        original = journeymap.load(base)
    assert journey == original.model_copy(update={"id": scenario_id(original.id, "same", "")})
