"""``journeymap init``: write a starter journey (and the schema editors complete it with)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import jinja2

from journeymap.cli.schema import schema_text
from journeymap.files import write_text
from journeymap.model import LOCALES
from journeymap.model.types import slugify
from journeymap.resources import templates_dir

SCHEMA_FILE = "journeymap.schema.json"


def register(commands: Any) -> None:
    """Add the ``init`` subcommand."""
    parser = commands.add_parser(
        "init",
        help="write a starter journey file",
        description="Write a small, complete journey to start from, and journeymap.schema.json "
        "beside it (unless present) so editors complete and check the keys.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        default="journey.yaml",
        metavar="FILE",
        help="where to write the journey (default journey.yaml)",
    )
    parser.add_argument("--id", dest="journey_id", help="journey id (default: from FILE's name)")
    parser.add_argument("--title", help="journey title")
    parser.add_argument(
        "--locale",
        choices=LOCALES,
        default="en",
        help="language of the starter and of reports (default en)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the starter journey and, where missing, the schema."""
    target = Path(args.path)
    text = starter(args.journey_id or slugify(target.stem), args.title, args.locale, target.name)
    write_text(target, text, force=args.force)
    print(f"wrote {target}")
    schema = target.parent / SCHEMA_FILE
    if not schema.exists():
        write_text(schema, schema_text())
        print(f"wrote {schema} (editor completion for journey files)")
    print(f"next: edit {target}, then run: journeymap validate {target}")
    return 0


def starter(journey_id: str, title: str | None, locale: str, file: str = "journey.yaml") -> str:
    """The starter journey text for this id, title and locale, to be saved as ``file``."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,  # YAML, not HTML: values pass through the yaml_text filter instead
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["yaml_text"] = lambda value: json.dumps(value, ensure_ascii=False)
    template = environment.get_template(f"starter.{locale}.yaml.j2")
    return template.render(id=journey_id, title=title, schema=SCHEMA_FILE, file=file)
