"""Configuration: found upward, from pyproject.toml, or given; wrong ones are clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.errors import ConfigError
from journeymap.findings import Severity
from journeymap.rules import ConfigFinder, check, find_config, read_config
from tests.conftest import DATA

UNUSED = DATA / "rules" / "unused" / "fail.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "journeys" / "deep").mkdir(parents=True)
    shutil.copy(UNUSED, tmp_path / "journeys" / "deep" / "j.yaml")
    return tmp_path


def test_yaml_config_is_found_upward(project: Path) -> None:
    (project / ".journeymap.yaml").write_text("rules:\n  unused: error\n  JM502: off\n")
    journey = project / "journeys" / "deep" / "j.yaml"
    assert find_config(journey.parent) == project / ".journeymap.yaml"
    config = ConfigFinder().for_file(str(journey))
    assert config.rules == {"unused": Severity.ERROR, "missing-lanes": None}


def test_nearest_config_wins(project: Path) -> None:
    (project / ".journeymap.yaml").write_text("rules: {unused: error}\n")
    (project / "journeys" / ".journeymap.yml").write_text("strict: true\n")
    config = ConfigFinder().for_file(str(project / "journeys" / "deep" / "j.yaml"))
    assert config.strict
    assert config.rules == {}


def test_pyproject_table_is_found_and_others_skipped(project: Path) -> None:
    (project / "journeys" / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    (project / "pyproject.toml").write_text(
        '[tool.journeymap]\nstrict = true\n[tool.journeymap.rules]\nunused = "info"\n'
    )
    found = find_config(project / "journeys" / "deep")
    assert found == project / "pyproject.toml"
    config = read_config(found)
    assert config.strict
    assert config.rules == {"unused": Severity.INFO}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  unsued: off\n",
            ".journeymap.yaml:2:3: unknown rule 'unsued'; did you mean 'unused'?",
        ),
        (
            "rules:\n  unused: loud\n",
            ".journeymap.yaml:2:11: 'loud' for rule unused: use off, on, error, warning or info",
        ),
        (
            "rule:\n  unused: off\n",
            ".journeymap.yaml:1:1: unknown key 'rule'; did you mean 'rules'?",
        ),
        (
            "rules:\n  schema: off\n",
            ".journeymap.yaml:2:3: 'schema' reports problems that stop a journey from loading; "
            "it cannot be configured",
        ),
        ("strict: yes\n", ".journeymap.yaml:1:9: strict is true or false"),
        (
            "rules: [unused]\n",
            ".journeymap.yaml:1:8: rules maps rule names to off, on, error, warning or info",
        ),
        ("rules: {unused: off\n", ".journeymap.yaml:2:1: YAML syntax error"),
        (
            "rules:\n  channel-switch-gap: {treshold: 5}\n",
            ".journeymap.yaml:2:24: unknown option 'treshold' for rule channel-switch-gap; "
            "did you mean 'threshold'?",
        ),
        (
            "rules:\n  channel-switch-gap: {threshold: lots}\n",
            ".journeymap.yaml:2:35: 'lots' for channel-switch-gap.threshold: use a number, "
            "0 or more",
        ),
        (
            "rules:\n  channel-switch-gap: {level: loud}\n",
            ".journeymap.yaml:2:23: 'loud' for rule channel-switch-gap: use off, on, error, "
            "warning or info",
        ),
    ],
)
def test_config_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".journeymap.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert message in str(caught.value)


GAPS = DATA / "rules" / "channel-switch-gap" / "fail-retry.yaml"


@pytest.mark.parametrize(("threshold", "found"), [(None, 1), (14, 0), (13, 1), (3, 2)])
def test_channel_switch_gap_threshold_is_set_per_project(
    tmp_path: Path, threshold: int | None, found: int
) -> None:
    # web <-> phone 13.2 in 1,000 customers, chat <-> phone 3.05
    shutil.copy(GAPS, tmp_path / "j.yaml")
    if threshold is not None:
        config = f"rules:\n  channel-switch-gap: {{level: error, threshold: {threshold}}}\n"
        (tmp_path / ".journeymap.yaml").write_text(config)
    findings = check(tmp_path / "j.yaml")
    gaps = [f for f in findings if f.rule == "channel-switch-gap"]
    assert len(gaps) == found
    expected = Severity.WARNING if threshold is None else Severity.ERROR
    assert all(f.severity is expected for f in gaps)


def test_pyproject_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.journeymap.rules]\nchanel-switch-gap = "off"\n')
    with pytest.raises(
        ConfigError,
        match=r"pyproject.toml:5:1: \[tool.journeymap\] unknown rule "
        r"'chanel-switch-gap'; did you mean 'channel-switch-gap'\?",
    ):
        read_config(path)


def test_cli_uses_config_and_reports_config_errors_with_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = str(project / "journeys" / "deep" / "j.yaml")
    assert main(["validate", journey]) == 0
    assert "warning unused" in capsys.readouterr().out
    (project / ".journeymap.yaml").write_text("rules: {unused: error}\n")
    assert main(["validate", journey]) == 1
    assert "error unused" in capsys.readouterr().out
    other = project / "other.yaml"
    other.write_text("rules: {unused: off}\n")
    assert main(["validate", "--config", str(other), journey]) == 0
    assert "unused" not in capsys.readouterr().out
    other.write_text("rules: {nope: off}\n")
    assert main(["validate", "--config", str(other), journey]) == 2
    assert capsys.readouterr().err.startswith(f"journeymap: {other}:1:9: unknown rule 'nope'")


def test_strict_from_config_or_flag(project: Path) -> None:
    journey = str(project / "journeys" / "deep" / "j.yaml")
    assert main(["validate", "-q", journey]) == 0
    assert main(["validate", "-q", "--strict", journey]) == 1
    (project / ".journeymap.yaml").write_text("strict: true\n")
    assert main(["validate", "-q", journey]) == 1


def test_info_never_fails(tmp_path: Path, clean_journey: Path) -> None:
    text = clean_journey.read_text().replace(
        "    backstage: Content team keeps the pages current\n", ""
    )
    clean_journey.write_text(text)
    assert main(["validate", "-q", "--strict", str(clean_journey)]) == 0
