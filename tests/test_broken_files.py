"""Every broken journey file gives exactly its expected findings, and never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

import journeymap
from journeymap.cli import main
from tests.conftest import DATA

BROKEN = DATA / "broken"
EXPECTED: dict[str, list[str]] = yaml.safe_load((DATA / "broken.expected.yaml").read_text())


def test_every_broken_file_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in BROKEN.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_expected_ones(name: str) -> None:
    result = journeymap.read(BROKEN / name)
    assert [f"{f.rule} {f.line}:{f.column}" for f in result.findings] == EXPECTED[name]
    assert result.journey is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_reports_without_traceback(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(BROKEN / name)])
    out, err = capsys.readouterr()
    unreadable = any(e.startswith("unreadable") for e in EXPECTED[name])
    assert code == (2 if unreadable else 1)
    assert "Traceback" not in out + err
    assert len(out.splitlines()) == len(EXPECTED[name])
    assert all(line.startswith(f"{BROKEN / name}:") for line in out.splitlines())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_raises_a_journeymap_error_carrying_the_findings(name: str) -> None:
    with pytest.raises(journeymap.LoadError) as caught:
        journeymap.load(BROKEN / name)
    assert [f"{f.rule} {f.line}:{f.column}" for f in caught.value.findings] == EXPECTED[name]


def test_schema_problems_raise_schema_error() -> None:
    with pytest.raises(journeymap.SchemaError):
        journeymap.load(BROKEN / "unknown-reference.yaml")


def test_unsafe_tag_executes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    main(["validate", str(BROKEN / "unsafe-tag.yaml")])
    assert not (tmp_path / "journeymap-pwned.txt").exists()


def test_alias_bomb_is_refused_well_under_a_second() -> None:
    # A guard against exponential expansion, not a benchmark: the bomb would take hours.
    started = time.perf_counter()
    result = journeymap.read(BROKEN / "alias-bomb.yaml")
    assert time.perf_counter() - started < 1.0
    assert "alias bomb" in result.findings[0].message


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(journeymap.source.MAX_BYTES + 1)
    result = journeymap.read(big)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("unreadable", 1, 1)]
    assert "over the 8,388,608-byte limit" in result.findings[0].message


def test_size_limit_can_be_set(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("journeymap: 1\n" * 20)
    assert journeymap.read(small, max_bytes=100).findings[0].rule == "unreadable"
    assert main(["validate", "--max-bytes", "100", str(small)]) == 2


def test_missing_file_and_folder_are_unreadable(tmp_path: Path) -> None:
    missing = journeymap.read(tmp_path / "nope.yaml")
    folder = journeymap.read(tmp_path)
    assert missing.findings[0].message == "no such file; check the path"
    assert folder.findings[0].message == "is a folder, not a journey file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_permissions(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("journeymap: 1\n")
    locked.chmod(0)
    assert journeymap.read(locked).findings[0].rule == "unreadable"
