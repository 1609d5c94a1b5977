"""Contact logs: read CSV, Parquet and XES logs into one table of contacts."""

from __future__ import annotations

from journeymap.logs.mapping import Mapping, MappingError
from journeymap.logs.readers import TooManyRejected, read_contacts
from journeymap.logs.table import SCHEMA, Contacts, Rejected, UnreadableLog

__all__ = [
    "SCHEMA",
    "Contacts",
    "Mapping",
    "MappingError",
    "Rejected",
    "TooManyRejected",
    "UnreadableLog",
    "read_contacts",
]
