"""``journeymap schema`` describes exactly what the loader accepts."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import journeymap
from journeymap.cli import main
from journeymap.source import compose
from tests.conftest import DATA, example_files
from tests.strategies import journey_data


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = journeymap.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def validator() -> jsonschema.Draft202012Validator:
    return _validator()


def _document(path: Path) -> Any:
    """The file's data as the loader sees it (YAML 1.2), for the JSON Schema validator."""
    return compose(path.read_text(encoding="utf-8"), path.name).data


def test_cli_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == journeymap.json_schema()
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", [*example_files(), DATA / "every-key.yaml"], ids=lambda p: p.name)
def test_schema_accepts_every_example(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    validator.validate(_document(path))


@given(journey_data())
def test_schema_accepts_every_valid_journey(data: dict[str, Any]) -> None:
    _validator().validate(data)


@pytest.mark.parametrize(
    "change",
    [
        {"titel": "x"},
        {"journeymap": 2},
        {"locale": "sv"},
        {"defaults": {"retry": 1.5}},
        {"stages": [{"id": "Wait Here"}]},
        {"defaults": {"retry": [0.1, 0.2, 0.3]}},
        {"defaults": {"retry": [0.5, 1.5]}},
        {"defaults": {"retry": ["50%", "150%"]}},
        {"defaults": {"retry": [0.5, [0.6]]}},
    ],
)
def test_schema_refuses_what_the_loader_refuses(
    change: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    data = _document(DATA / "every-key.yaml") | change
    assert list(validator.iter_errors(data))
    assert journeymap.reads(json.dumps(data)).errors


@pytest.mark.parametrize(
    "defaults",
    [
        {"retry": [0.5, 0.8]},
        {"resolve": ["85%", "95%"], "switch": [0, 1]},
        {"gap_penalty": [0.7, "90%"], "stickiness": [0.8, 0.8]},
    ],
)
def test_schema_accepts_ranges_where_the_loader_does(
    defaults: dict[str, Any], validator: jsonschema.Draft202012Validator
) -> None:
    data = _document(DATA / "every-key.yaml")
    data["defaults"] = data["defaults"] | defaults
    validator.validate(data)
    assert journeymap.reads(json.dumps(data)).findings == ()
