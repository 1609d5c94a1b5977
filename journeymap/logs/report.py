"""The contact-log report as data and as text: the same machinery as the journey report.

``log_report`` gives JSON-ready data (the measures, the rows left out, and a calibration
when there is one); ``render_log_report`` fills ``logs.html.j2`` or ``logs.md.j2``.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from journeymap._version import __version__
from journeymap.flow import Figures
from journeymap.locales.messages import catalog
from journeymap.logs.calibrate import Calibration
from journeymap.logs.measures import LogFigures
from journeymap.logs.table import Contacts
from journeymap.report.content import headline, today
from journeymap.report.document import Format, json_text
from journeymap.report.templating import fill

REJECTED_SHOWN = 20
"""Rejected rows a report lists; the count covers them all."""


def log_report(
    contacts: Contacts,
    figures: LogFigures,
    *,
    locale: str = "en",
    calibration: Calibration | None = None,
    model: Figures | None = None,
) -> dict[str, Any]:
    """Everything the log report says, JSON-ready.

    ``model`` is the calibrated journey's exact analysis, to set beside the log's figures.
    """
    measured = figures.as_dict()
    data: dict[str, Any] = {
        "journeymap": __version__,
        "locale": catalog(locale).code,
        "generated": today().isoformat(),
        "source": contacts.source,
        "unit": contacts.unit,
        "rows_read": contacts.rows_read,
        "notes": list(contacts.notes),
        "rejected_count": len(contacts.rejected),
        "rejected": [
            {"row": r.row, "where": contacts.where(r.row), "reason": r.reason}
            for r in contacts.rejected[:REJECTED_SHOWN]
        ],
        "figures": measured,
        "calibration": calibration.as_dict() if calibration else None,
        "model_vs_log": _beside(model, measured) if model else None,
    }
    return data


def _beside(model: Figures, log: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures both can say: contacts per customer, repeats, first-contact resolution.

    The model's repeats are its retries (failure contacts at value-demand steps count too
    in its failure-demand ratio, but a log sees them only as first contacts).
    """
    figures = headline(model)
    retries = sum(tp.contacts - tp.visits for tp in model.touchpoints.values())
    contacts = model.contacts_per_customer
    return [
        {
            "key": "contacts_per_customer",
            "model": contacts,
            "log": log["contacts_per_customer"]["mean"],
        },
        {
            "key": "repeat_ratio",
            "model": retries / contacts if contacts else None,
            "log": log["repeat_ratio"],
        },
        {
            "key": "first_contact_resolution",
            "model": figures["first_contact_resolution"],
            "log": log["first_contact_resolution"],
        },
    ]


def render_log_report(
    data: dict[str, Any],
    fmt: Format = "html",
    *,
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The log report as HTML (one self-contained file), Markdown or JSON."""
    if fmt == "json":
        return json_text(data)
    texts = catalog(data["locale"])
    window = texts.duration(datetime.timedelta(seconds=data["figures"]["window_seconds"]))
    return fill(f"logs.{fmt}.j2", texts, template_dir, log=data, window=window)
