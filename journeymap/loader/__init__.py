"""Loading journey files: text to model, every problem a finding with its line and column."""

from __future__ import annotations

from journeymap.loader.messages import SCHEMA
from journeymap.loader.reader import Loaded, load, loads, read, reads
from journeymap.loader.writer import dump

__all__ = ["SCHEMA", "Loaded", "dump", "load", "loads", "read", "reads"]
