"""``journeymap schema``: print the JSON Schema of the journey format, for editors and CI."""

from __future__ import annotations

import argparse
import json
from typing import Any

from journeymap.files import write_text
from journeymap.model import json_schema


def register(commands: Any) -> None:
    """Add the ``schema`` subcommand."""
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of journey files",
        description="Print the JSON Schema of journey format 1. Point an editor at it with "
        "'# yaml-language-server: $schema=journeymap.schema.json' as a journey's first line.",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    text = schema_text()
    if args.output:
        write_text(args.output, text, force=args.force)
    else:
        print(text, end="")
    return 0


def schema_text() -> str:
    """The schema as indented JSON with a final newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
