"""``journeymap logs`` on the real logs: figures checked against counts made independently.

Each expected figure is counted here with the standard library alone (csv, gzip,
ElementTree, datetime), from the definitions in docs/logs.md, and where a count is
published (BPI 2016: 289 contacts by 226 customers) it is asserted as published.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import itertools
import json
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

import pytest

from journeymap.cli import main
from tests.browser import visit
from tests.conftest import DATA, EXAMPLES, SHARED

REAL = SHARED / "data"
MAPS = DATA / "logs"


def _repeats(visits: dict[str, list[datetime.datetime]], window: datetime.timedelta) -> int:
    """Contacts at most ``window`` after the customer's contact before."""
    count = 0
    for times in visits.values():
        times.sort()
        count += sum(1 for a, b in itertools.pairwise(times) if b - a <= window)
    return count


def _run(tmp_path: Path, *args: str) -> dict[str, object]:
    out = tmp_path / f"log-{len(list(tmp_path.iterdir()))}.json"
    assert main(["logs", "analyze", *args, "-o", str(out)]) == 0
    data: dict[str, object] = json.loads(out.read_text("utf-8"))
    return data


def test_bpi2016_complaints(tmp_path: Path) -> None:
    visits: dict[str, list[datetime.datetime]] = defaultdict(list)
    with open(REAL / "BPI2016_Complaints.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            day = datetime.datetime.fromisoformat(row["ContactDate"])
            visits[row["CustomerID"]].append(day)
    window = datetime.timedelta(days=30)
    data = _run(
        tmp_path,
        str(REAL / "BPI2016_Complaints.csv"),
        "--map",
        str(MAPS / "bpi2016.yaml"),
        "--window",
        "30d",
    )
    figures = data["figures"]
    assert isinstance(figures, dict)
    assert figures["contacts"] == 289  # published: 289 rows
    assert figures["customers"] == 226  # published: 226 customers
    assert data["rejected_count"] == 0
    assert figures["repeats"] == _repeats(visits, window)
    assert figures["contacts_per_customer"]["mean"] == pytest.approx(289 / 226)


def test_anonymous_bank_calls(tmp_path: Path) -> None:
    visits: dict[str, list[datetime.datetime]] = defaultdict(list)
    rows = unidentified = 0
    with open(REAL / "anonymous_bank_february_1999.txt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows += 1
            if row["customer_id"] == "0":
                unidentified += 1
                continue
            when = datetime.datetime.strptime(
                f"{row['date']} {row['vru_entry']}", "%y%m%d %H:%M:%S"
            )
            visits[row["customer_id"]].append(when)
    assert rows == 33_344
    window = datetime.timedelta(days=1)
    data = _run(
        tmp_path,
        str(REAL / "anonymous_bank_february_1999.txt"),
        "--map",
        str(MAPS / "bank.yaml"),
        "--window",
        "1d",
    )
    figures = data["figures"]
    assert isinstance(figures, dict)
    assert data["rows_read"] == rows
    assert data["rejected_count"] == unidentified
    assert figures["contacts"] == rows - unidentified
    assert figures["customers"] == len(visits)
    assert figures["repeats"] == _repeats(visits, window)
    # Many calls come from repeat callers: more than one in ten calls repeats within a day.
    assert figures["repeat_ratio"] > 0.1


def test_helpdesk_xes(tmp_path: Path) -> None:
    visits: dict[str, list[datetime.datetime]] = defaultdict(list)
    namespace = "{http://www.xes-standard.org/}"
    with gzip.open(REAL / "pm4py" / "helpdesk.xes.gz") as handle:
        for _, trace in ElementTree.iterparse(handle):
            if trace.tag != f"{namespace}trace":
                continue
            case = next(
                e.get("value")
                for e in trace.findall(f"{namespace}string")
                if e.get("key") == "concept:name"
            )
            for event in trace.findall(f"{namespace}event"):
                stamp = next(
                    e.get("value", "")
                    for e in event.findall(f"{namespace}date")
                    if e.get("key") == "time:timestamp"
                )
                visits[str(case)].append(datetime.datetime.fromisoformat(stamp))
            trace.clear()
    assert sum(map(len, visits.values())) == 21_348
    assert len(visits) == 4_580
    window = datetime.timedelta(days=7)
    data = _run(
        tmp_path, str(REAL / "pm4py" / "helpdesk.xes.gz"), "--map", str(MAPS / "helpdesk.yaml")
    )
    figures = data["figures"]
    assert isinstance(figures, dict)
    assert figures["contacts"] == 21_348
    assert figures["customers"] == 4_580
    assert figures["repeats"] == _repeats(visits, window)


@pytest.mark.parametrize("locale", ["en", "fi"])
def test_log_reports_in_html_and_markdown(tmp_path: Path, locale: str) -> None:
    log = str(REAL / "BPI2016_Complaints.csv")
    html = tmp_path / "log.html"
    md = tmp_path / "log.md"
    for out in (html, md):
        args = ["logs", "analyze", log, "--map", str(MAPS / "bpi2016.yaml"), "--locale", locale]
        assert main([*args, "-o", str(out)]) == 0
    title = "Yhteydenottolokin raportti" if locale == "fi" else "Contact-log report"
    assert md.read_text("utf-8").startswith(f"## {title}")
    seen = visit(html, tmp_path / "browser")
    assert seen.console_errors == []
    assert seen.requests == []


def test_columns_on_the_command_line_and_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "contacts.csv"
    log.write_text(
        "who,when,via\nann,2026-01-01T10:00,web\nann,2026-01-01T12:00,phone\n"
        ",2026-01-02T09:00,web\nbob,yesterday,web\nbob,2026-01-03T09:00,web\n",
        encoding="utf-8",
    )
    args = ["--customer", "who", "--time", "when", "--channel", "via", "--window", "1d"]
    data = _run(tmp_path, str(log), *args)
    figures = data["figures"]
    assert isinstance(figures, dict)
    assert (figures["contacts"], figures["customers"], figures["repeats"]) == (3, 2, 1)
    assert figures["switch_matrix"] == [
        {"from": "web", "to": "phone", "count": 1, "after_unresolved": 1}
    ]
    assert data["rejected_count"] == 2
    err = capsys.readouterr().err
    assert "2 of 5 rows left out" in err
    assert f"{log}:4" in err
    # Asked to be strict, the run stops with exit 1 and names the rows.
    assert main(["logs", "analyze", str(log), *args, "--max-rejected", "0"]) == 1
    assert f"{log}:5" in capsys.readouterr().err
    # Without the columns it is a usage error.
    assert main(["logs", "analyze", str(log)]) == 2
    assert "--customer COL --time COL" in capsys.readouterr().err
    assert main(["logs", "analyze", str(log), *args[:-1], "0d"]) == 2


def test_calibrate_writes_the_journey_and_names_contradictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow.parquet as pq

    import journeymap
    from journeymap.flow import simulate
    from journeymap.flow.events import EventLog
    from journeymap.loader.scenario import changed_journey
    from journeymap.logs.simulated import contacts_from_events

    parcel = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    truth = changed_journey(
        parcel, [{"set": {"path": "touchpoints.track.channels.web.resolve", "value": 0.55}}]
    )
    events = tmp_path / "events.parquet"
    with EventLog(events) as log:
        simulate(truth, customers=20_000, seed=3, events=log)
    contacts = tmp_path / "contacts.parquet"
    pq.write_table(contacts_from_events(pq.read_table(events)), contacts)
    out, report = tmp_path / "calibrated.yaml", tmp_path / "calibration.html"
    code = main(
        [
            "logs", "calibrate", str(contacts), str(EXAMPLES / "parcel-delivery.yaml"),
            "--customer", "customer", "--time", "time", "--channel", "channel",
            "--topic", "topic", "--window", "1h", "-o", str(out), "--report", str(report),
        ]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "contradicted: track.web resolve: journey 0.900" in printed
    calibrated = journeymap.load(out)
    web = calibrated.touchpoint("track").channels["web"].resolve
    assert web is not None
    assert abs(web - 0.55) < 0.03
    assert "contradicted" in report.read_text("utf-8")


def test_the_command_line_starts_without_the_logs_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys, journeymap.cli\n"
        "journeymap.cli.build_parser()\n"
        "heavy = {'pyarrow', 'ibis', 'duckdb', 'pyspark', 'pandas'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_log_commands_name_the_missing_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "duckdb" else real(name, *a)
    )
    assert main(["logs", "analyze", "x.csv", "--customer", "a", "--time", "b"]) == 2
    assert "pip install 'journeymap[logs]'" in capsys.readouterr().err
