"""``journeymap sensitivity``: the ranked table, where each value is written, JSON, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main
from journeymap.cli.sensitivity import left_out_line, ordinal
from tests.conftest import DATA, EXAMPLES

PERMIT = DATA / "uncertainty" / "permit.yaml"
"""Ranges at the apply step and in the segments; defaults.resolve left out."""
ROW = re.compile(r"^│\s*(\d+) │ (\S+)\s*│\s*(\S+) │ (.+?)\s*│ (\w*)\s*│ (.+?)\s*│$")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["sensitivity", *args, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _rows(text: str) -> list[tuple[str, ...]]:
    return [match.groups() for line in text.splitlines() if (match := ROW.match(line))]


def test_the_table_ranks_by_the_exact_effect(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(PERMIT)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "Parking permit renewal",
        "failure-demand ratio 19.9%: what moves it, ±10 percentage points",
    ]
    rows = _rows(out)
    assert [row[0] for row in rows] == [str(n) for n in range(1, 16)]
    assert rows[:3] == [
        ("1", "touchpoints.apply.next.ask.p", "5–15%", "permit.yaml:27", "assumed",
         "16.4% / 22.6%"),
        ("2", "defaults.resolve", "90%", "not in the file (built-in default)", "",
         "22.7% / 17.3%"),
        ("3", "touchpoints.remind.channels.sms.resolve", "95%", "permit.yaml:17", "observed",
         "22.5% / 18.6%*"),
    ]  # fmt: skip
    data = _json(capsys, str(PERMIT))
    assert [row[1] for row in rows] == [p["key"] for p in data["parameters"]]
    effects = [_effect(p, data["value"]) for p in data["parameters"]]
    assert effects == sorted(effects, reverse=True)


def _effect(parameter: dict[str, Any], base: float) -> float:
    ends = (parameter["minus_10pp"]["figure"], parameter["plus_10pp"]["figure"])
    return max(abs(float(end) - base) for end in ends)


def test_values_left_out_say_where_they_come_from(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(PERMIT), "--top", "0"]) == 0
    out = capsys.readouterr().out
    where = {row[1]: row[3] for row in _rows(out)}
    inherited = "not in the file (defaults.resolve)"
    assert where["touchpoints.decision.channels.web.resolve"] == inherited
    assert where["touchpoints.remind.channels.phone.resolve"] == inherited
    assert where["touchpoints.decision.retry"] == "not in the file (defaults.retry)"
    assert where["defaults.retry"] == "permit.yaml:4"
    assert not any(key.startswith("segments.others.ability") for key in where)  # left at 1
    assert out.endswith(
        "defaults.resolve (2nd) and defaults.gap_penalty (14th) are not in the file: "
        "write down what you know\n"
    )


def test_a_value_a_rule_fixes_can_decide_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(DATA / "uncertainty" / "letter.yaml")]) == 0
    out = capsys.readouterr().out
    rows = {row[1]: row for row in _rows(out)}
    letter = rows["touchpoints.decision.channels.letter.resolve"]
    assert letter[:5] == ("1", "touchpoints.decision.channels.letter.resolve", "100%",
                          "not in the file (fixed at 1)", "observed")  # fmt: skip
    assert letter[5].endswith("*")
    assert rows["touchpoints.apply.retry"][3] == "not in the file (defaults.retry)"
    assert out.endswith(
        "touchpoints.decision.channels.letter.resolve is not in the file and ranks 1st: "
        "write down what you know\n"
    )  # defaults.retry is in the file: the step that inherits it is not named


def test_line_numbers_point_at_the_values(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, str(PERMIT), "--top", "0")
    lines = PERMIT.read_text("utf-8").splitlines()
    found = {p["key"]: p["line"] for p in data["parameters"]}
    assert found["touchpoints.apply.channels.web.resolve"] == 23
    assert found["touchpoints.apply.channels.phone.resolve"] == 24
    assert found["touchpoints.apply.retry"] == 26
    assert found["touchpoints.apply.next.ask.p"] == 27
    assert found["segments.older.share"] == 11
    assert found["defaults.resolve"] is None
    for parameter in data["parameters"]:
        if parameter["in_file"]:
            assert parameter["file"] == str(PERMIT)
            text = lines[parameter["line"] - 1]
            last = parameter["key"].split(".")[-1]
            assert f"{last}:" in text or f"{last}: " in text, (parameter["key"], text)
        else:
            assert (parameter["file"], parameter["line"]) == (None, None)


def test_a_scenario_points_at_its_own_lines_and_its_base(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = EXAMPLES / "parcel-delivery.chat-handoff.yaml"
    data = _json(capsys, str(scenario), "--top", "0")
    found = {p["key"]: (Path(p["file"]).name, p["line"]) for p in data["parameters"] if p["file"]}
    assert found["touchpoints.deliver.channels.chat.resolve"] == (scenario.name, 13)
    name, line = found["touchpoints.where-is-my-parcel.channels.chat.resolve"]
    assert name == "parcel-delivery.yaml"
    base = (EXAMPLES / name).read_text("utf-8").splitlines()
    assert "chat" in base[line - 1]
    assert "resolve" in base[line - 1]


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, str(PERMIT))
    assert set(data) == {"journey", "figure", "value", "figures", "step", "parameters"}
    assert (data["journey"], data["figure"]) == ("permit", "failure_demand_ratio")
    assert data["step"] == 0.1
    assert len(data["parameters"]) == 15
    first = data["parameters"][0]
    assert {"key", "kind", "value", "range", "in_file", "inherits", "status", "derivative"} <= set(
        first
    )
    assert {"minus_10pp", "plus_10pp", "derivatives", "file", "line"} <= set(first)
    assert first["range"] == [0.05, 0.15]
    assert set(first["minus_10pp"]) == {"value", "figure"}


def test_top_limits_the_rows_and_keeps_their_order(capsys: pytest.CaptureFixture[str]) -> None:
    everything = _json(capsys, str(PERMIT), "--top", "0")["parameters"]
    three = _json(capsys, str(PERMIT), "--top", "3")["parameters"]
    assert len(everything) > 15
    assert three == everything[:3]
    assert main(["sensitivity", str(PERMIT), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert len(_rows(out)) == 3
    assert f"{len(everything) - 3} more: --top 0 shows every parameter" in out
    assert "defaults.resolve is not in the file and ranks 2nd: write down what you know" in out


def test_figure_chooses_what_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", str(PERMIT), "--figure", "contacts_per_customer"]) == 0
    out = capsys.readouterr().out
    assert "contacts per customer 2.28: what moves it, ±10 percentage points" in out
    assert re.fullmatch(r"\d+\.\d\d\*? / \d+\.\d\d\*?", _rows(out)[0][5])
    data = _json(capsys, str(PERMIT), "--figure", "cost_per_customer")
    assert data["figure"] == "cost_per_customer"
    assert data["value"] == pytest.approx(data["figures"]["cost_per_customer"])


def test_the_same_journey_gives_the_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["sensitivity", str(PERMIT)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_output_file_needs_force_to_be_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sensitivity.txt"
    assert main(["sensitivity", str(PERMIT), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert "permit.yaml:27" in target.read_text("utf-8")
    assert main(["sensitivity", str(PERMIT), "-o", str(target)]) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert main(["sensitivity", str(PERMIT), "-o", str(target), "--force", "--json"]) == 0
    assert json.loads(target.read_text("utf-8"))["journey"] == "permit"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--figure", "nope"], "argument --figure: invalid choice: 'nope'"),
        (["--top", "-1"], "argument --top: -1 is below 0"),
        (["--top", "many"], "argument --top: many is not a whole number"),
    ],
)
def test_bad_options_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sensitivity", str(PERMIT), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_journey_with_errors_is_refused_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = DATA / "rules" / "no-exit" / "fail-loop.yaml"
    assert main(["sensitivity", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert "error no-exit" in out
    assert err == f"journeymap: {broken} cannot be analysed until these errors are fixed\n"
    assert main(["sensitivity", str(DATA / "broken" / "binary.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_errors_a_configuration_switched_off_still_stop_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = tmp_path / "journey.yaml"
    journey.write_text((DATA / "rules" / "probabilities" / "fail-sum.yaml").read_text("utf-8"))
    (tmp_path / ".journeymap.yaml").write_text("rules:\n  probabilities: off\n")
    assert main(["sensitivity", str(journey)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{journey}:11:5: error probabilities touchpoints[track].next:")
    assert "Traceback" not in err


def test_messages_need_an_outbound_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = tmp_path / "quiet.yaml"
    journey.write_text(
        "journeymap: 1\nid: quiet\nstages: [{id: s}]\nchannels: {web: {}}\n"
        "touchpoints:\n  - {id: a, stage: s, channels: {web: {resolve: 0.8}}}\n"
    )
    assert main(["sensitivity", str(journey), "--figure", "messages_per_customer"]) == 2
    assert capsys.readouterr().err == (
        f"journeymap: {journey} sends no messages: --figure messages_per_customer needs an "
        "outbound channel\n"
    )


def test_ordinals_and_the_left_out_line() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
    assert left_out_line({"defaults.retry": (7, "touchpoints.pay.retry")}) == (
        "defaults.retry is not in the file and ranks 7th through touchpoints.pay.retry: "
        "write down what you know"
    )
    assert left_out_line(
        {"defaults.resolve": (1, None), "defaults.retry": (3, None), "defaults.switch": (9, None)}
    ) == (
        "defaults.resolve (1st), defaults.retry (3rd) and defaults.switch (9th) are not in the "
        "file: write down what you know"
    )
