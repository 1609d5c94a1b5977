"""A simulation's event log as a contact log, to check calibration against a known journey.

The event log (``journeymap simulate --events``) numbers each customer's contacts; here
they become contacts one ``spacing`` apart, with the touchpoint as the topic, so a repeat
within a window of one ``spacing`` is a retry at the same step.
"""

from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.logs.table import SCHEMA

EPOCH = datetime.datetime(2000, 1, 1)
SPACING = datetime.timedelta(hours=1)


def contacts_from_events(events: pa.Table, spacing: datetime.timedelta = SPACING) -> pa.Table:
    """The contacts of an event log (columns of ``journeymap.flow.events.COLUMNS``).

    Messages the service sent are left out: a contact log holds what customers did.
    """
    events = events.filter(pc.not_equal(events["demand"], "message"))
    customer = pc.binary_join_element_wise(
        events["segment"].cast(pa.string()), events["customer"].cast(pa.string()), ":"
    )
    offsets = pc.multiply(events["step"].cast(pa.int64()), int(spacing.total_seconds() * 1e6))
    start = pa.scalar(EPOCH, type=pa.timestamp("us")).cast(pa.int64())
    time = pc.add(offsets, start).cast(pa.timestamp("us"))
    rows = pa.array(range(1, events.num_rows + 1), type=pa.int64())
    return pa.table(
        [
            customer,
            time,
            events["channel"].cast(pa.string()),
            events["touchpoint"].cast(pa.string()),
            events["outcome"].cast(pa.string()),
            rows,
        ],
        schema=SCHEMA,
    )
