"""Shared test set-up: paths to the bundled examples and shared data, hypothesis profiles."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"

settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def example_files() -> list[Path]:
    """Every bundled example journey (not the scenario files beside them)."""
    return [path for path in sorted(EXAMPLES.glob("*.yaml")) if not _is_scenario(path)]


def example_scenarios() -> list[Path]:
    """Every bundled example scenario: what-if variants of the example journeys."""
    return [path for path in sorted(EXAMPLES.glob("*.yaml")) if _is_scenario(path)]


def _is_scenario(path: Path) -> bool:
    return re.search(r"^scenario\s*:", path.read_text("utf-8"), re.MULTILINE) is not None


@pytest.fixture
def example_paths() -> list[Path]:
    """Every bundled example journey."""
    return example_files()


@pytest.fixture
def clean_journey(tmp_path: Path) -> Path:
    """A journey with no findings at all: the English starter."""
    from journeymap.cli.init import starter

    path = tmp_path / "clean.yaml"
    path.write_text(starter("clean", None, "en", path.name), encoding="utf-8")
    return path
