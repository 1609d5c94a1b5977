"""journeymap works as a pre-commit hook from another repository, as users set it up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

BROKEN = DATA / "broken" / "unknown-reference.yaml"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the project as a git repository")
def test_hook_from_a_second_repository(
    tmp_path: Path, clean_journey: Path, pre_commit_home: Path
) -> None:
    executable = shutil.which("pre-commit", path=os.path.dirname(sys.executable))
    assert executable, "pre-commit is a test dependency"
    repo = tmp_path / "service-design"
    (repo / "journeys").mkdir(parents=True)
    (repo / ".github").mkdir()
    _git("init", "-q", cwd=repo)
    rev = _git("rev-parse", "HEAD", cwd=ROOT)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: journeymap-validate\n"
    )
    shutil.copy(clean_journey, repo / "journeys" / "permit.yaml")
    (repo / ".github" / "ci.yml").write_text("on: push\njobs: {}\n")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    environment.pop("GITHUB_ACTIONS", None)

    def run() -> subprocess.CompletedProcess[str]:
        _git("add", "-A", cwd=repo)
        return subprocess.run(
            [executable, "run", "--all-files", "--color", "never"],
            cwd=repo,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "journeymap validate" in clean.stdout
    assert "Passed" in clean.stdout

    shutil.copy(BROKEN, repo / "journeys" / "broken.yaml")
    broken = run()
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert (
        "journeys/broken.yaml:20:7: error unknown-reference touchpoints[track].channels.fax: "
        "unknown channel 'fax' (known: web)"
    ) in broken.stdout
    assert "ci.yml" not in broken.stdout
