"""Reading contact logs: real published logs, and small files for every way a row goes wrong.

Figures on the real logs are checked against counts made here independently (Python's
``csv`` module, a plain scan of the XML) and against the published counts in the shared
data's README.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import gzip
import io
import re
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeymap.logs import (
    SCHEMA,
    Contacts,
    Mapping,
    MappingError,
    Rejected,
    TooManyRejected,
    UnreadableLog,
    read_contacts,
    xes,
)
from tests.conftest import DATA, ROOT, SHARED

LOGS = DATA / "logs"
REAL = SHARED / "data"
BPI2016 = REAL / "BPI2016_Complaints.csv"
BANK = REAL / "anonymous_bank_february_1999.txt"
HELPDESK = REAL / "pm4py" / "helpdesk.xes.gz"
real_data = pytest.mark.skipif(not REAL.is_dir(), reason="the shared real logs are not here")

SIMPLE = Mapping(customer="customer", time="time", channel="channel", topic="topic")


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _check_contract(contacts: Contacts) -> None:
    """What every read log promises, whatever the source."""
    table = contacts.table
    assert table.schema == SCHEMA
    assert contacts.rows_read == table.num_rows + len(contacts.rejected)
    for name in ("customer", "time", "channel", "row"):
        assert table.column(name).null_count == 0, name
    rows = [*table.column("row").to_pylist(), *(r.row for r in contacts.rejected)]
    assert len(set(rows)) == len(rows)
    assert table.column("row").to_pylist() == sorted(table.column("row").to_pylist())


# --- the real logs -------------------------------------------------------------------------


@real_data
def test_bpi2016_complaints_read_whole() -> None:
    contacts = read_contacts(BPI2016, Mapping.from_yaml(LOGS / "bpi2016.yaml"))
    _check_contract(contacts)
    with BPI2016.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle, delimiter=";"))
    # Published: 289 rows, 226 customers (Rahadi & Kurniati, 2024).
    assert len(records) == contacts.rows_read == contacts.table.num_rows == 289
    assert contacts.rejected == ()
    customers = contacts.table.column("customer").to_pylist()
    assert len(set(customers)) == len({r["CustomerID"] for r in records}) == 226
    assert customers == [r["CustomerID"] for r in records]
    assert contacts.table.column("row").to_pylist() == list(range(2, 291))
    times = [datetime.datetime.fromisoformat(r["ContactDate"]) for r in records]
    assert contacts.table.column("time").to_pylist() == times
    assert contacts.table.column("channel").to_pylist() == [r["ContactChannelID"] for r in records]
    assert contacts.table.column("topic").to_pylist() == [r["ComplaintTopic_EN"] for r in records]


@real_data
def test_bpi2016_delimiter_and_encoding_are_guessed_right() -> None:
    mapping = Mapping.from_yaml(LOGS / "bpi2016.yaml")
    guessed = dataclasses.replace(mapping, delimiter=None, encoding=None)
    contacts = read_contacts(BPI2016, guessed)
    assert contacts.table.equals(read_contacts(BPI2016, mapping).table)
    assert contacts.notes == (
        "delimiter not given; ';' guessed from the first lines: give --delimiter if that is wrong",
    )


@real_data
def test_bank_calls_reject_unidentified_callers_by_line() -> None:
    contacts = read_contacts(BANK, Mapping.from_yaml(LOGS / "bank.yaml"))
    _check_contract(contacts)
    with BANK.open(encoding="ascii", newline="") as handle:
        records = list(csv.DictReader(handle, delimiter="\t"))
    unidentified = [line for line, r in enumerate(records, start=2) if r["customer_id"] == "0"]
    assert len(records) == contacts.rows_read == 33_344  # the README's count
    assert len(unidentified) == 19_558
    assert [r.row for r in contacts.rejected] == unidentified
    assert {r.reason for r in contacts.rejected} == {
        "customer '0' is not identified (listed in unknown_customers); the contact cannot be "
        "linked to the customer's others"
    }
    kept = [(line, r) for line, r in enumerate(records, start=2) if r["customer_id"] != "0"]
    table = contacts.table
    assert table.num_rows == 33_344 - 19_558 == 13_786
    assert table.column("row").to_pylist() == [line for line, _ in kept]
    assert table.column("customer").to_pylist() == [r["customer_id"] for _, r in kept]
    assert table.column("time").to_pylist() == [
        datetime.datetime.strptime(f"{r['date']} {r['vru_entry']}", "%y%m%d %H:%M:%S")
        for _, r in kept
    ]
    assert set(table.column("channel").to_pylist()) == {"phone"}
    assert table.column("topic").to_pylist() == [r["type"] for _, r in kept]
    assert table.column("outcome").to_pylist() == [r["outcome"] for _, r in kept]
    first = table.column("time").to_pylist()
    assert min(first) >= datetime.datetime(1999, 2, 1)
    assert max(first) < datetime.datetime(1999, 3, 1)


@real_data
def test_helpdesk_xes_every_event_is_a_contact() -> None:
    contacts = read_contacts(HELPDESK, Mapping.from_yaml(LOGS / "helpdesk.yaml"))
    _check_contract(contacts)
    text = gzip.decompress(HELPDESK.read_bytes()).decode("utf-8")
    assert len(re.findall(r"<event>", text)) == contacts.rows_read == 21_348
    assert len(re.findall(r"<trace>", text)) == 4_580
    assert contacts.rejected == ()
    table = contacts.table
    assert len(set(table.column("customer").to_pylist())) == 4_580
    assert table.column("row").to_pylist() == list(range(1, 21_349))
    stamps = re.findall(r'<date key="time:timestamp" value="([^"]+)"', text)
    assert len(stamps) == 21_348
    utc = [
        datetime.datetime.fromisoformat(s).astimezone(datetime.UTC).replace(tzinfo=None)
        for s in stamps
    ]
    assert table.column("time").to_pylist() == utc
    assert table.slice(0, 1).to_pylist()[0] == {
        "customer": "Case 1",
        "time": datetime.datetime(2012, 10, 9, 14, 50, 17),
        "channel": "helpdesk",
        "topic": "Assign seriousness",
        "outcome": None,
        "row": 1,
    }


def test_the_documented_mapping_files_are_the_tested_ones() -> None:
    docs = (ROOT / "docs" / "logs.md").read_text("utf-8")
    for name in ("bpi2016.yaml", "bank.yaml", "helpdesk.yaml"):
        assert (LOGS / name).read_text("utf-8") in docs, name


# --- CSV ------------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_and_never_dropped() -> None:
    contacts = read_contacts(LOGS / "bad-rows.csv", SIMPLE)
    _check_contract(contacts)
    assert contacts.rows_read == 8
    assert contacts.table.column("customer").to_pylist() == ["c1", "c7"]
    assert contacts.table.column("row").to_pylist() == [2, 9]
    assert contacts.table.column("time").to_pylist() == [
        datetime.datetime(2016, 1, 12, 8, 30),
        datetime.datetime(2016, 1, 15, 8, 0),  # +02:00 in the file
    ]
    assert contacts.rejected == (
        Rejected(3, "no customer id: 'customer' has no value; every contact needs one"),
        Rejected(4, "time '2016-13-01' is not a real date and time; correct it"),
        Rejected(5, "no time: 'time' has no value; every contact needs one"),
        Rejected(
            6,
            "no channel: 'channel' has no value; fill it in, or map no channel column and set "
            "channel_value",
        ),
        Rejected(
            7,
            "has 3 fields where the header has 4; check the delimiter (',') and that quotes "
            "are closed",
        ),
        Rejected(8, "time '2016-02-30 10:00' is not a real date and time; correct it"),
    )
    assert contacts.where(7) == f"{LOGS / 'bad-rows.csv'}:7"


def test_a_time_format_is_checked_value_by_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "log.csv",
        "customer,time\na,12/01/2016\nb,2016-13-01\nc,31/02/2016\nd,29/02/2016\n",
    )
    contacts = read_contacts(
        path, Mapping(customer="customer", time="time", time_format="%d/%m/%Y")
    )
    assert contacts.table.column("time").to_pylist() == [
        datetime.datetime(2016, 1, 12),
        datetime.datetime(2016, 2, 29),
    ]
    assert contacts.rejected == (
        Rejected(3, "time '2016-13-01' does not match --time-format %d/%m/%Y"),
        Rejected(
            4,
            "time '31/02/2016' does not match --time-format %d/%m/%Y: "
            "day is out of range for month",
        ),
    )


def test_a_log_without_iso_times_is_told_to_give_a_format(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.csv", "customer,time\na,12/01/2016\n")
    (rejected,) = read_contacts(path, Mapping(customer="customer", time="time")).rejected
    assert rejected == Rejected(
        2,
        "time '12/01/2016' is not an ISO 8601 date or date-time (2016-01-12, 2016-01-12 08:30:00 "
        "or 2016-01-12T08:30:00+01:00); give its format with --time-format",
    )


def test_date_and_time_of_day_columns_are_joined(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "calls.txt",
        "id\tday\tat\tline\n7\t990201\t7:02:47\t1\n8\t990231\t8:00:00\t2\n9\t990202\t\t1\n",
    )
    mapping = Mapping(
        customer="id",
        time=("day", "at"),
        time_format="%y%m%d %H:%M:%S",
        channel="line",
        channel_names={"1": "phone", "3": "fax"},
    )
    contacts = read_contacts(path, mapping)
    assert contacts.table.to_pylist() == [
        {
            "customer": "7",
            "time": datetime.datetime(1999, 2, 1, 7, 2, 47),
            "channel": "phone",
            "topic": None,
            "outcome": None,
            "row": 2,
        }
    ]
    assert contacts.rejected == (
        Rejected(
            3,
            "time '990231 8:00:00' (day + at) does not match --time-format %y%m%d %H:%M:%S: "
            "day is out of range for month",
        ),
        Rejected(4, "no time: 'day' or 'at' has no value; every contact needs one"),
    )


def test_quoted_line_breaks_keep_every_line_number(tmp_path: Path) -> None:
    mapping = Mapping(customer="id", time="when", topic="note")
    contacts = read_contacts(LOGS / "multiline.csv", mapping)
    _check_contract(contacts)
    assert contacts.table.column("row").to_pylist() == [2, 4, 8]
    assert contacts.table.column("topic").to_pylist() == ["one\ntwo", "plain", 'say "hi"']
    assert contacts.rejected == (
        Rejected(5, "no customer id: 'id' has no value; every contact needs one"),
    )
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes((LOGS / "multiline.csv").read_bytes().replace(b"\n", b"\r\n"))
    again = read_contacts(crlf, mapping)
    assert again.table.column("row").to_pylist() == [2, 4, 8]
    assert again.table.column("topic").to_pylist() == ["one\r\ntwo", "plain", 'say "hi"']
    assert [r.row for r in again.rejected] == [5]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_blank_lines_are_not_rows_but_still_count_as_lines(tmp_path: Path, newline: str) -> None:
    text = newline.join(["customer,time", "a,2016-01-12", "", "b,2016-01-13", "", "", ""])
    contacts = read_contacts(_write(tmp_path / "log.csv", text), Mapping("customer", "time"))
    assert contacts.rows_read == 2
    assert contacts.table.column("row").to_pylist() == [2, 4]


def test_trailing_blank_lines_keep_the_fast_path_right(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.csv", "customer,time\na,2016-01-12\nb,2016-01-13\n\n\n")
    contacts = read_contacts(path, Mapping(customer="customer", time="time"))
    assert contacts.table.column("row").to_pylist() == [2, 3]


def test_delimiter_and_cp1252_are_guessed_and_said(tmp_path: Path) -> None:
    text = "klant;moment;onderwerp\r\nJosé;2016-01-12;café € 5\r\nÅsa;2016-01-13;naïve\r\n"
    path = _write(tmp_path / "export.csv", text, "cp1252")
    contacts = read_contacts(path, Mapping(customer="klant", time="moment", topic="onderwerp"))
    assert contacts.table.column("customer").to_pylist() == ["José", "Åsa"]
    assert contacts.table.column("topic").to_pylist() == ["café € 5", "naïve"]
    assert contacts.notes == (
        "encoding not given and the file is not UTF-8 (line 2); read it as cp1252: give "
        "--encoding if that is wrong",
        "delimiter not given; ';' guessed from the first lines: give --delimiter if that is wrong",
    )


def test_a_given_encoding_is_used_and_checked(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.csv", "klant,moment\nJosé,2016-01-12\n", "latin-1")
    mapping = Mapping(customer="klant", time="moment", delimiter=",", encoding="latin-1")
    assert read_contacts(path, mapping).table.column("customer").to_pylist() == ["José"]
    with pytest.raises(UnreadableLog) as caught:
        read_contacts(path, mapping.merged(encoding="utf-8"))
    assert str(caught.value) == (
        f"{path}:2: is not UTF-8 text; give its --encoding (cp1252 or latin-1 for most Western "
        "European exports)"
    )
    utf16 = _write(tmp_path / "wide.csv", "klant,moment\r\nJosé,2016-01-12\r\n", "utf-16")
    assert read_contacts(utf16, mapping.merged(encoding="utf-16")).table.num_rows == 1


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.csv", "customer,time\na,2016-01-12\n", "utf-8-sig")
    assert read_contacts(path, Mapping(customer="customer", time="time")).table.num_rows == 1


def test_timezones_become_utc_and_naive(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "log.csv",
        "customer,time\n"
        "a,2016-01-12T08:30:00+02:00\n"
        "b,2016-01-12T08:30:00Z\n"
        "c,2016-01-12 08:30:00.1234567-0130\n"
        "d,2016-01-12T08:30:00\n",
    )
    times = read_contacts(path, Mapping(customer="customer", time="time")).table.column("time")
    assert times.type == pa.timestamp("us")
    assert times.to_pylist() == [
        datetime.datetime(2016, 1, 12, 6, 30),
        datetime.datetime(2016, 1, 12, 8, 30),
        datetime.datetime(2016, 1, 12, 10, 0, 0, 123456),
        datetime.datetime(2016, 1, 12, 8, 30),
    ]
    formatted = _write(tmp_path / "z.csv", "customer,time\na,12.01.2016 08:30 +0200\n")
    mapping = Mapping(customer="customer", time="time", time_format="%d.%m.%Y %H:%M %z")
    assert read_contacts(formatted, mapping).table.column("time").to_pylist() == [
        datetime.datetime(2016, 1, 12, 6, 30)
    ]


def test_impossible_iso_times_are_rejected_among_good_ones(tmp_path: Path) -> None:
    good = [f"g{i},2016-01-{1 + i % 28:02d}T{i % 24:02d}:30:00" for i in range(500)]
    bad = ["b1,2016-01-12T24:00:00", "b2,2016-01-12T08:60", "b3,2015-02-29", "b4,2016-00-10"]
    text = "customer,time\n" + "\n".join(good[:200] + bad + good[200:]) + "\n"
    contacts = read_contacts(_write(tmp_path / "log.csv", text), Mapping("customer", "time"))
    assert contacts.table.num_rows == 500
    assert [r.row for r in contacts.rejected] == [202, 203, 204, 205]
    assert {r.reason.split("' ")[1] for r in contacts.rejected} == {
        "is not a real date and time; correct it"
    }


def test_max_rejected_stops_only_past_the_limit() -> None:
    path = LOGS / "bad-rows.csv"
    assert len(read_contacts(path, SIMPLE, max_rejected=6).rejected) == 6
    with pytest.raises(TooManyRejected) as caught:
        read_contacts(path, SIMPLE, max_rejected=0)
    assert str(caught.value) == (
        f"{path}: 6 of 8 rows rejected, more than the 0 --max-rejected allows; the first:\n"
        f"  {path}:3: no customer id: 'customer' has no value; every contact needs one\n"
        f"  {path}:4: time '2016-13-01' is not a real date and time; correct it\n"
        f"  {path}:5: no time: 'time' has no value; every contact needs one\n"
        f"  {path}:6: no channel: 'channel' has no value; fill it in, or map no channel column "
        "and set channel_value\n"
        f"  {path}:7: has 3 fields where the header has 4; check the delimiter (',') and that "
        "quotes are closed\n"
        "  ... and 1 more"
    )
    assert caught.value.contacts.table.num_rows == 2


def test_a_missing_column_is_named_with_the_nearest(tmp_path: Path) -> None:
    path = LOGS / "bad-rows.csv"
    with pytest.raises(MappingError) as caught:
        read_contacts(path, SIMPLE.merged(customer="Customer"))
    assert str(caught.value) == (
        f"{path}: the customer column 'Customer' is not among the log's columns (known: "
        "customer, time, channel, topic); did you mean 'customer'?"
    )
    with pytest.raises(MappingError, match="the header has one column: is the delimiter right"):
        read_contacts(path, SIMPLE.merged(delimiter=";"))


def test_binary_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    nul = tmp_path / "data.csv"
    nul.write_bytes(b"customer,time\na,2016-01-12\n\x00\x01\x02")
    cases = {
        nul: f"{nul}:3: is a binary file (NUL byte), not CSV text; export the log as CSV (a "
        "Parquet or XES log is read as such when named .parquet or .xes)",
        tmp_path / "none.csv": f"{tmp_path / 'none.csv'}: no such file; check the path",
        tmp_path: f"{tmp_path}: is a folder, not a log file",
    }
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    cases[empty] = f"{empty}: is empty; a CSV log starts with a header line"
    disguised = tmp_path / "table.csv"
    pq.write_table(pa.table({"customer": ["a"]}), disguised)
    cases[disguised] = (
        f"{disguised}: is a Parquet file; name it .parquet, or set format: parquet in the mapping"
    )
    for path, message in cases.items():
        with pytest.raises(UnreadableLog) as caught:
            read_contacts(path, Mapping(customer="customer", time="time"))
        assert str(caught.value) == message


def test_gzip_csv_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress((LOGS / "multiline.csv").read_bytes()))
    contacts = read_contacts(path, Mapping(customer="id", time="when", topic="note"))
    assert contacts.table.column("row").to_pylist() == [2, 4, 8]


# --- Parquet --------------------------------------------------------------------------------


def test_parquet_round_trip(tmp_path: Path) -> None:
    utc = datetime.UTC
    moments = [
        datetime.datetime(2016, 1, 12, 8, 30, tzinfo=utc),
        datetime.datetime(2016, 1, 13, tzinfo=utc),
        datetime.datetime(2016, 1, 14, tzinfo=utc),
    ]
    source = pa.table(
        {
            "id": pa.array([101, 102, None], pa.int64()),
            "at": pa.array(moments, pa.timestamp("ms", tz="Europe/Helsinki")),
            "via": pa.array(["chat", "phone", "web"]).dictionary_encode(),
            "about": ["billing", "", "returns"],
        }
    )
    path = tmp_path / "log.parquet"
    pq.write_table(source, path)
    mapping = Mapping(customer="id", time="at", channel="via", topic="about")
    contacts = read_contacts(path, mapping)
    _check_contract(contacts)
    assert contacts.unit == "row"
    assert contacts.table.to_pylist() == [
        {
            "customer": "101",
            "time": datetime.datetime(2016, 1, 12, 8, 30),
            "channel": "chat",
            "topic": "billing",
            "outcome": None,
            "row": 1,
        },
        {
            "customer": "102",
            "time": datetime.datetime(2016, 1, 13),
            "channel": "phone",
            "topic": None,
            "outcome": None,
            "row": 2,
        },
    ]
    assert contacts.rejected == (
        Rejected(3, "no customer id: 'id' has no value; every contact needs one"),
    )
    assert contacts.where(3) == f"{path}: row 3"
    text = tmp_path / "text.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "at": ["2016-01-12", "2016-02-30"]}), text)
    again = read_contacts(text, Mapping(customer="id", time="at"))
    assert again.rejected == (
        Rejected(2, "time '2016-02-30' is not a real date and time; correct it"),
    )
    with pytest.raises(MappingError, match="the time column 'when' is not among"):
        read_contacts(text, Mapping(customer="id", time="when"))


@pytest.mark.parametrize("time_format", [None, "%Y-%m-%d %H:%M"])
def test_columns_in_many_chunks_read_as_one(tmp_path: Path, time_format: str | None) -> None:
    days = [f"2016-{m:02d}-{d:02d} 10:00" for m in (1, 2) for d in (1, 2, 3, 29, 30, 31)]
    days += ["2016-01-01T10:00:00Z" if time_format is None else "garbage", ""]
    source = pa.table({"id": [f"c{i}" for i in range(len(days))], "at": days})
    whole, chunked = tmp_path / "whole.parquet", tmp_path / "chunked.parquet"
    pq.write_table(source, whole)
    pq.write_table(source, chunked, row_group_size=3)
    assert pq.read_table(chunked).column("at").num_chunks > 1
    mapping = Mapping(customer="id", time="at", time_format=time_format)
    one, many = read_contacts(whole, mapping), read_contacts(chunked, mapping)
    assert many.table.to_pylist() == one.table.to_pylist()
    assert many.rejected == one.rejected
    assert [r.row for r in many.rejected] == (
        [11, 12, 14] if time_format is None else [11, 12, 13, 14]
    )


def test_a_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "log.parquet", "customer,time\n")
    with pytest.raises(UnreadableLog, match=r"is not a readable Parquet file"):
        read_contacts(path, Mapping(customer="customer", time="time"))


# --- XES ------------------------------------------------------------------------------------

XES = Mapping(
    customer="case:concept:name", time="time:timestamp", channel="channel", topic="concept:name"
)


def test_plain_xes_events_in_file_order(tmp_path: Path) -> None:
    contacts = read_contacts(LOGS / "plain.xes", XES)
    _check_contract(contacts)
    assert contacts.unit == "event"
    assert contacts.table.to_pylist() == [
        {
            "customer": "case-1",
            "time": datetime.datetime(2016, 1, 12, 7, 30),
            "channel": "phone",
            "topic": "call",
            "outcome": None,
            "row": 1,
        },
        {
            "customer": "case-2",  # the trace names itself after its events
            "time": datetime.datetime(2016, 1, 13, 10, 0),
            "channel": "branch",
            "topic": "visit",
            "outcome": None,
            "row": 4,
        },
    ]
    assert contacts.rejected == (
        Rejected(2, "no time: 'time:timestamp' has no value; every contact needs one"),
        Rejected(
            3,
            "time 'yesterday' is not an ISO 8601 date or date-time (2016-01-12, 2016-01-12 "
            "08:30:00 or 2016-01-12T08:30:00+01:00); give its format with --time-format",
        ),
        Rejected(5, "no customer id: 'case:concept:name' has no value; every contact needs one"),
    )
    assert contacts.where(3) == f"{LOGS / 'plain.xes'}: event 3"
    packed = tmp_path / "plain.xes.gz"
    packed.write_bytes(gzip.compress((LOGS / "plain.xes").read_bytes()))
    again = read_contacts(packed, XES)
    assert again.table.equals(contacts.table)
    assert again.rejected == contacts.rejected


def test_xes_read_in_batches_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_contacts(LOGS / "plain.xes", XES)
    monkeypatch.setattr(xes, "BATCH", 2)
    batched = read_contacts(LOGS / "plain.xes", XES)
    assert batched.table.to_pylist() == whole.table.to_pylist()
    assert batched.rejected == whole.rejected


def test_xes_attribute_keys_are_the_columns() -> None:
    with pytest.raises(MappingError) as caught:
        read_contacts(LOGS / "plain.xes", XES.merged(channel="org:resource"))
    assert str(caught.value) == (
        f"{LOGS / 'plain.xes'}: the channel column 'org:resource' is not among the log's columns "
        "(known: case:concept:name, channel, concept:name, time:timestamp)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE log [<!ENTITY a "aaaa">]>\n<log>&a;</log>',
            "declares a DOCTYPE or entities, which journeymap does not read (entities can "
            "expand without bound); remove the declaration",
        ),
        (
            "<journey><trace/></journey>",
            "is XML but not an XES log (its root is <journey>, not <log>)",
        ),
        (
            "<log>\n  <trace>\n    <event>\n  </trace>\n</log>",
            "4:5: is not well-formed XML: mismatched tag",
        ),
        ("customer,time\n", "is not XML, so not an XES log"),
    ],
)
def test_unsafe_or_broken_xes_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / "log.xes", text)
    with pytest.raises(UnreadableLog) as caught:
        read_contacts(path, XES)
    assert str(caught.value) == f"{path}{':' if message[0].isdigit() else ': '}{message}"


# --- the mapping ----------------------------------------------------------------------------


def test_mapping_file_keys_are_checked_with_suggestions() -> None:
    with pytest.raises(MappingError) as caught:
        Mapping.from_yaml(LOGS / "misspelt.yaml")
    assert str(caught.value) == (
        f"{LOGS / 'misspelt.yaml'}:1:1: unknown key 'costumer' (known: customer, time, "
        "time_format, channel, channel_value, channel_names, topic, outcome, unknown_customers, "
        "delimiter, encoding, format); did you mean 'customer'?"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time: t\n", "1:1: the mapping needs 'customer': the column that holds it"),
        (
            "customer: c\ntime: [a, b, c]\n",
            "2:7: time: give one column, or a list of two (a date and a time of day), not 3",
        ),
        (
            "customer: c\ntime: t\ndelimiter: ';;'\n",
            "3:12: delimiter: ';;' is not a delimiter: "
            "give one character, or tab, comma, semicolon, pipe",
        ),
        (
            "customer: c\ntime: t\nencoding: klingon\n",
            "3:11: encoding: unknown encoding 'klingon'; e.g. utf-8, cp1252, latin-1",
        ),
        (
            "customer: c\ntime: t\nformat: xls\n",
            "3:9: format: unknown format 'xls' (known: csv, parquet, xes); did you mean 'xes'?",
        ),
        (
            "customer: c\ntime: t\ntime_format: '%Y-%q'\n",
            "3:14: time_format: '%Y-%q' is not a "
            "strptime format: 'q' is a bad directive in format '%Y-%q'",
        ),
        ("customer: [a]\ntime: t\n", "1:11: customer: expected text, got a list"),
        ("- customer\n", "1:1: a mapping file is a YAML mapping of keys to columns"),
        ("customer: c\n  time: t\n", "2:7: YAML syntax error"),
    ],
)
def test_mapping_file_values_are_checked_where_they_stand(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path / "mapping.yaml", text)
    with pytest.raises(MappingError) as caught:
        Mapping.from_yaml(path)
    assert str(caught.value).startswith(f"{path}:{message}")


def test_mapping_values_are_normalised() -> None:
    path = LOGS / "bank.yaml"
    mapping = Mapping.from_yaml(path)
    assert mapping.time == ("date", "vru_entry")
    assert mapping.delimiter == "\t"
    assert mapping.unknown_customers == ("0",)
    assert mapping.time_columns == ("date", "vru_entry")
    assert mapping.columns() == (
        ("customer", "customer_id"),
        ("time (date)", "date"),
        ("time (time of day)", "vru_entry"),
        ("topic", "type"),
        ("outcome", "outcome"),
    )
    built = Mapping(customer=7, time=["d", "t"], unknown_customers=0)  # type: ignore[arg-type]
    assert (built.customer, built.time, built.unknown_customers) == ("7", ("d", "t"), ("0",))


def test_options_override_the_file() -> None:
    mapping = Mapping.from_yaml(LOGS / "bpi2016.yaml")
    merged = mapping.merged(delimiter="tab", topic="ComplaintTheme_EN", channel=None)
    assert (merged.delimiter, merged.topic, merged.channel) == (
        "\t",
        "ComplaintTheme_EN",
        "ContactChannelID",
    )
    with pytest.raises(MappingError) as caught:
        mapping.merged(max_rejected=3)
    assert str(caught.value).startswith("unknown mapping option --max-rejected (known: customer,")
    with pytest.raises(MappingError) as caught:
        mapping.merged(time_format="%Y", delimiter="||")
    assert str(caught.value) == (
        "--delimiter: '||' is not a delimiter: give one character, or tab, comma, semicolon, pipe"
    )
    with pytest.raises(MappingError) as caught:
        Mapping(customer=" ", time="t")
    assert str(caught.value) == "mapping: customer: a column name cannot be empty"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.TXT", "csv"),
        ("a.tsv.gz", "csv"),
        ("a.parquet", "parquet"),
        ("a.xes", "xes"),
        ("a.xes.gz", "xes"),
    ],
)
def test_the_format_follows_the_suffix(name: str, fmt: str) -> None:
    assert Mapping(customer="c", time="t").format_for(name) == fmt
    assert Mapping(customer="c", time="t", format="parquet").format_for(name) == "parquet"


def test_an_unknown_suffix_asks_for_a_format() -> None:
    with pytest.raises(MappingError) as caught:
        Mapping(customer="c", time="t").format_for("log.dat")
    assert str(caught.value) == (
        "log.dat: cannot tell the log's format from its name; name it .csv, .parquet or .xes, "
        "or set format: csv, parquet or xes in the mapping"
    )


# --- the invariant --------------------------------------------------------------------------

_ids = st.one_of(st.just(""), st.text(alphabet="abcXYZ019", min_size=1, max_size=6))
_notes = st.text(alphabet='ab ,;"\n\r|', max_size=8)
_rows = st.lists(st.tuples(_ids, st.dates(), _notes), max_size=25)


@given(rows=_rows, delimiter=st.sampled_from([",", ";", "\t", "|"]), crlf=st.booleans())
def test_every_row_is_kept_or_rejected_by_its_line(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, datetime.date, str]],
    delimiter: str,
    crlf: bool,
) -> None:
    # Python's writer quotes a lone CR only when CR ends its lines; else quote everything.
    ending = "\r\n" if crlf else "\n"
    quoting: Literal[0, 1] = csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL

    def record(fields: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerow(
            fields
        )
        return out.getvalue()

    text, lines = record(["id", "day", "note"]), []
    for customer, day, note in rows:
        lines.append(len(re.findall(r"\r\n|\r|\n", text)) + 1)
        text += record([customer, day.isoformat(), note])
    path = tmp_path_factory.mktemp("generated") / "log.csv"
    path.write_text(text, encoding="utf-8", newline="")
    mapping = Mapping(customer="id", time="day", topic="note", delimiter=delimiter)
    contacts = read_contacts(path, mapping)
    _check_contract(contacts)
    assert contacts.rows_read == len(rows)
    assert [r.row for r in contacts.rejected] == [
        at for at, (customer, _, _) in zip(lines, rows, strict=True) if not customer
    ]
    kept = [(at, row) for at, row in zip(lines, rows, strict=True) if row[0]]
    assert contacts.table.column("row").to_pylist() == [at for at, _ in kept]
    assert contacts.table.column("customer").to_pylist() == [row[0] for _, row in kept]
    topics = [row[2].strip() or None for _, row in kept]
    assert contacts.table.column("topic").to_pylist() == topics
