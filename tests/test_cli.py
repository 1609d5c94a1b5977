"""The command line: subcommands, exit codes, file expansion, stdin and safe writing."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from tests.conftest import DATA, EXAMPLES

PARCEL = EXAMPLES / "parcel-delivery.yaml"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"journeymap {journeymap.__version__}\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["validate"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--help"]) == 0
    assert "FILE" in capsys.readouterr().out


def test_missing_file_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/file.yaml"]) == 2
    assert capsys.readouterr().err == (
        "journeymap: no/such/file.yaml: no such file, folder or matching journey file\n"
    )


def test_folders_and_globs_expand(
    tmp_path: Path, clean_journey: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    shutil.move(clean_journey, tmp_path / "a.yaml")
    shutil.copy(tmp_path / "a.yaml", tmp_path / "sub" / "b.yml")
    shutil.copy(DATA / "broken" / "empty.yaml", tmp_path / ".hidden" / "c.yaml")
    (tmp_path / "notes.txt").write_text("not a journey")
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "2 journey files checked: no problems\n"
    assert main(["validate", str(tmp_path / "**" / "*.y*ml"), str(tmp_path / "a.yaml")]) == 0
    assert capsys.readouterr().err == "2 journey files checked: no problems\n"


def test_summary_counts_severities_and_files(
    clean_journey: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = DATA / "broken"
    code = main(
        [
            "validate",
            str(clean_journey),
            str(broken / "out-of-range.yaml"),
            str(broken / "unknown-key.yaml"),
        ]
    )
    assert code == 1
    assert capsys.readouterr().err == "3 journey files checked: 12 errors in 2 files\n"


def test_quiet_prints_no_summary(clean_journey: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-q", str(clean_journey)]) == 0
    assert capsys.readouterr() == ("", "")


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"journeymap: 3\n")))
    assert main(["validate", "-"]) == 1
    assert capsys.readouterr().out.startswith("<stdin>:1:13: error schema journeymap: format")


def test_schema_to_file_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == journeymap.json_schema()
    out.write_text("mine")
    assert main(["schema", "-o", str(out)]) == 2
    assert out.read_text() == "mine"
    assert main(["schema", "-o", str(out), "--force"]) == 0
    assert out.read_text() != "mine"


@pytest.mark.parametrize("locale", ["en", "fi"])
def test_init_writes_a_valid_starter(
    tmp_path: Path, locale: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "Permit Journey.yaml"
    assert main(["init", str(target), "--locale", locale, "--title", 'A "quoted": title']) == 0
    journey = journeymap.load(target)
    assert journey.id == "permit-journey"
    assert journey.title == 'A "quoted": title'
    assert journey.locale == locale
    assert (tmp_path / "journeymap.schema.json").exists()
    assert any(tp.demand == "failure" for tp in journey.touchpoints)
    # It shows a message step (an outbound channel: the service speaking) and a segment's ability.
    outbound = {cid for cid, channel in journey.channels.items() if channel.kind == "outbound"}
    assert any(outbound & set(tp.channels) for tp in journey.touchpoints)
    assert any(segment.ability for segment in journey.segments)
    capsys.readouterr()
    assert main(["validate", str(target)]) == 0
    assert capsys.readouterr().err.strip().endswith("no problems")


def test_init_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "journey.yaml"
    target.write_text("my work")
    assert main(["init", str(target)]) == 2
    assert target.read_text() == "my work"
    assert "journey.yaml exists; pass --force to overwrite it" in capsys.readouterr().err
    assert main(["init", str(target), "--force", "--id", "mine"]) == 0
    assert journeymap.load(target).id == "mine"


def test_internal_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("journeymap.cli.validate.read", explode)
    assert main(["validate", str(PARCEL)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("journeymap: internal error (RuntimeError: boom); please report it")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["journeymap"], [sys.executable, "-m", "journeymap"]])
def test_installed_commands_run(command: list[str], clean_journey: Path) -> None:
    executable = shutil.which(command[0]) or str(Path(sys.executable).parent / command[0])
    result = subprocess.run(
        [executable, *command[1:], "validate", str(clean_journey)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "1 journey file checked: no problems\n"


UNUSED = DATA / "rules" / "unused" / "fail.yaml"


def test_auto_format_is_github_under_github_actions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["validate", "-q", str(UNUSED)]) == 0
    assert capsys.readouterr().out.startswith(
        f"::warning file={UNUSED},line=6,col=5,title=unused::"
    )
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert main(["validate", "-q", str(UNUSED)]) == 0
    assert capsys.readouterr().out.startswith(f"{UNUSED}:6:5: warning unused stages[later]")


@pytest.mark.parametrize(
    ("fmt", "times"), [("json", 1), ("sarif", 1), ("junit", 2), ("github", 1), ("text", 1)]
)
def test_every_format_reports_every_finding(
    fmt: str, times: int, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = DATA / "broken" / "unknown-reference.yaml"
    assert main(["validate", "-q", "--format", fmt, str(UNUSED), str(broken)]) == 1
    out = capsys.readouterr().out  # JUnit carries each message as attribute and as text
    assert out.count("unknown channel 'fax'") == times
    assert out.count("no touchpoint offers channel") == times


def test_json_format_lists_findings_with_the_promised_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "-q", "-f", "json", str(UNUSED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == [str(UNUSED)]
    assert {tuple(sorted(f)) for f in data["findings"]} == {
        ("column", "line", "message", "path", "rule", "severity")
    }


def test_stdin_is_one_file_named_stdin_in_reports(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNUSED.read_bytes())))
    assert main(["validate", "-q", "-f", "json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == ["<stdin>"]
    assert {f["path"] for f in data["findings"]} == {"<stdin>"}


def test_report_to_a_file_never_overwrites_unasked(tmp_path: Path) -> None:
    out = tmp_path / "results.sarif"
    assert main(["validate", "-q", "-f", "sarif", "-o", str(out), str(UNUSED)]) == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert main(["validate", "-q", "-f", "sarif", "-o", str(out), str(UNUSED)]) == 2
    assert main(["validate", "-q", "-f", "sarif", "-o", str(out), "--force", str(UNUSED)]) == 0


def test_journeys_only_skips_other_yaml(
    tmp_path: Path, clean_journey: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "helm.yaml").write_text("a: {{ .Values.x }}\n")
    assert main(["validate", "--journeys-only", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "1 journey file checked: no problems\n"
    assert main(["validate", str(tmp_path)]) == 1


def test_parallel_jobs_give_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    files = [*map(str, EXAMPLES.glob("*.yaml")), str(DATA / "broken" / "alias-bomb.yaml")]
    serial = main(["validate", "-f", "json", *files])
    serial_out = capsys.readouterr()
    parallel = main(["validate", "-f", "json", "--jobs", "2", *files])
    assert (parallel, capsys.readouterr()) == (serial, serial_out)


def test_simulate_shows_each_standard_error_in_its_figure_unit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """'48.8% ± 0.0011' mixed a percentage with a share: the error is now '± 0.1%'."""
    assert main(["simulate", str(PARCEL), "-n", "2000", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    figures = journeymap.simulate(journeymap.load(PARCEL), 2000, 1)
    errors = figures.standard_errors
    for label, key, spec in [
        ("completion rate", "completion_rate", ".1%"),
        ("abandon rate", "abandon_rate", ".1%"),
        ("contacts per customer", "contacts_per_customer", ".3f"),
        ("failure-demand ratio", "failure_demand_ratio", ".1%"),
        ("cost per customer", "cost_per_customer", ".3f"),
    ]:
        shown = f"{format(getattr(figures, key), spec)} ± {format(errors[key], spec)}"
        assert re.search(rf"│ {label} +│ +{re.escape(shown)} │", out), (label, shown)
    pm = [line for line in out.splitlines() if "±" in line and "│" in line]
    assert len(pm) == 5
    for line in pm:
        value, error = line.split("│")[2].strip().split(" ± ")
        assert value.endswith("%") == error.endswith("%"), line
        assert len(value.rstrip("%").split(".")[1]) == len(error.rstrip("%").split(".")[1]), line
