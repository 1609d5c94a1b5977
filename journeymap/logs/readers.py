"""Read a contact log of any format into the one contact table, counting what was rejected.

``read_contacts`` picks the reader by the mapping's ``format`` or the file's suffix, checks
every row the same way whatever the format, and never stops for bad rows unless asked:
``max_rejected`` makes more rejected rows than that an error (``0``: any).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pyarrow as pa
import pyarrow.parquet as pq

from journeymap.errors import JourneymapError
from journeymap.logs.csvfile import read_csv
from journeymap.logs.files import check_file
from journeymap.logs.mapping import Mapping
from journeymap.logs.normalise import Raw, normalise
from journeymap.logs.table import Contacts, UnreadableLog
from journeymap.logs.xes import read_xes

SHOWN = 5
"""Rejected rows a ``TooManyRejected`` message names."""


class TooManyRejected(JourneymapError):
    """More rows were rejected than ``max_rejected`` allows; the message names the first."""

    def __init__(self, contacts: Contacts, limit: int) -> None:
        self.contacts = contacts
        self.limit = limit
        count = len(contacts.rejected)
        first = "\n".join(
            f"  {contacts.where(r.row)}: {r.reason}" for r in contacts.rejected[:SHOWN]
        )
        more = f"\n  ... and {count - SHOWN:,} more" if count > SHOWN else ""
        super().__init__(
            f"{contacts.source}: {count:,} of {contacts.rows_read:,} rows rejected, more than "
            f"the {limit:,} --max-rejected allows; the first:\n{first}{more}"
        )


def read_contacts(
    path: str | os.PathLike[str], mapping: Mapping, *, max_rejected: int | None = None
) -> Contacts:
    """The contacts of the log at ``path`` read with ``mapping``.

    Raises ``UnreadableLog`` for a file that cannot be read at all, ``MappingError`` for a
    column the log lacks, and ``TooManyRejected`` when more than ``max_rejected`` rows are
    rejected (``None``: never).
    """
    source = os.fspath(path)
    check_file(source)
    fmt = mapping.format_for(source)
    contacts = normalise(READERS[fmt](source, mapping), mapping, source, fmt)
    if max_rejected is not None and len(contacts.rejected) > max_rejected:
        raise TooManyRejected(contacts, max_rejected)
    return contacts


def read_parquet(source: str, mapping: Mapping) -> Raw:
    """The mapped columns of a Parquet log; a row's number is its index + 1."""
    try:
        with pq.ParquetFile(source) as parquet:
            mapping.check_columns(source, parquet.schema_arrow.names)
            table = parquet.read(columns=mapping.needed())
    except (pa.ArrowInvalid, OSError) as error:
        raise UnreadableLog(f"{source}: is not a readable Parquet file: {error}") from None
    rows = pa.array(range(1, table.num_rows + 1), pa.int64())
    return Raw({name: table.column(name) for name in mapping.needed()}, rows)


READERS: dict[str, Callable[[str, Mapping], Raw]] = {
    "csv": read_csv,
    "parquet": read_parquet,
    "xes": read_xes,
}
"""The reader of each format."""
