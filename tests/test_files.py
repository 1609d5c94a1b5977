"""Output files are written whole or not at all, and never over a user's file unasked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeymap.errors import JourneymapError
from journeymap.files import OutputExistsError, write_text


def test_writes_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "hello ä")
    assert target.read_text(encoding="utf-8") == "hello ä"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(OutputExistsError, match=r"out\.txt exists; pass --force to overwrite it"):
        write_text(target, "new")
    assert target.read_text() == "precious"
    write_text(target, "new", force=True)
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious")

    def broken_replace(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(JourneymapError, match="cannot write: No space left on device"):
        write_text(target, "new", force=True)
    assert target.read_text() == "precious"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JourneymapError, match="cannot write, folder does not exist"):
        write_text(tmp_path / "no" / "out.txt", "x")


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
