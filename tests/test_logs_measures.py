"""Log measures: every definition against a brute-force reference, and every engine alike.

The reference reads the definitions literally, contact by contact, over all pairs of
contacts: nothing in it shares code or ideas (windows, lags) with the library.
"""

from __future__ import annotations

import datetime
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeymap.errors import JourneymapError
from journeymap.logs.engine import EngineError, connect, load
from journeymap.logs.generate import generate_contacts
from journeymap.logs.measures import ANNOTATIONS, LogError, annotate, measure
from journeymap.logs.table import SCHEMA

T0 = datetime.datetime(2024, 3, 1, 9, 0)
MINUTE = datetime.timedelta(minutes=1)
Contact = dict[str, Any]


# -- the reference -------------------------------------------------------------------------


def _before(a: Contact, b: Contact) -> bool:
    """``a`` comes before ``b``: earlier, or at the same time and earlier in the file."""
    return (a["time"], a["row"]) < (b["time"], b["row"])


def _same_matter(a: Contact, b: Contact, same_topic: bool) -> bool:
    return a["customer"] == b["customer"] and (not same_topic or a["topic"] == b["topic"])


def reference_annotate(
    contacts: list[Contact], window: datetime.timedelta, same_topic: bool
) -> list[Contact]:
    out = []
    for c in contacts:
        earlier = [o for o in contacts if o["customer"] == c["customer"] and _before(o, c)]
        later = [o for o in contacts if _same_matter(o, c, same_topic) and _before(c, o)]
        previous = max(earlier, key=lambda o: (o["time"], o["row"]), default=None)
        repeat = any(
            _same_matter(o, c, same_topic) and c["time"] - o["time"] <= window for o in earlier
        )
        switch = previous is not None and previous["channel"] != c["channel"]
        unresolved_before = (
            previous is not None
            and c["time"] - previous["time"] <= window
            and (not same_topic or previous["topic"] == c["topic"])
        )
        out.append(
            c
            | {
                "seq": len(earlier) + 1,
                "prev_channel": previous and previous["channel"],
                "since_prev": previous and (c["time"] - previous["time"]).total_seconds(),
                "is_repeat": repeat,
                "is_resolved": not any(o["time"] - c["time"] <= window for o in later),
                "is_switch": switch,
                "switch_after_unresolved": switch and unresolved_before,
            }
        )
    return out


def _significant(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.12g}")


def _tally(contacts: list[Contact]) -> dict[str, Any]:
    repeats = sum(c["is_repeat"] for c in contacts)
    first = len(contacts) - repeats
    resolved = sum(c["is_resolved"] for c in contacts if not c["is_repeat"])
    return {
        "contacts": len(contacts),
        "repeats": repeats,
        "repeat_ratio": _significant(repeats / len(contacts)) if contacts else None,
        "first_contacts": first,
        "resolved_first_contacts": resolved,
        "first_contact_resolution": _significant(resolved / first) if first else None,
    }


def _reference_breakdown(marked: list[Contact], names: tuple[str, ...], top: int) -> Any:
    groups: dict[tuple[Any, ...], list[Contact]] = defaultdict(list)
    for c in marked:
        groups[tuple(c[name] for name in names)].append(c)

    def rank(key: tuple[Any, ...]) -> tuple[Any, ...]:
        members = groups[key]
        missing_last = [(v is None, v or "") for v in key]
        return (-sum(c["is_repeat"] for c in members), -len(members), *missing_last)

    ordered = sorted(groups, key=rank)
    rest = [c for key in ordered[top:] for c in groups[key]]
    return {
        "rows": [dict(zip(names, key, strict=True)) | _tally(groups[key]) for key in ordered[:top]],
        "others": {"groups": len(ordered[top:])} | _tally(rest),
        "total": _tally(marked),
    }


def _nearest_rank(counts: list[int], q: float) -> int:
    ordered = sorted(counts)
    return ordered[math.ceil(round(q * len(ordered), 9)) - 1]


def reference_measure(
    contacts: list[Contact], window: datetime.timedelta, same_topic: bool, top: int
) -> dict[str, Any]:
    marked = reference_annotate(contacts, window, same_topic)
    counts = list(Counter(c["customer"] for c in contacts).values())
    pairs = Counter((c["prev_channel"], c["channel"]) for c in marked if c["is_switch"])
    after = Counter(
        (c["prev_channel"], c["channel"]) for c in marked if c["switch_after_unresolved"]
    )
    matrix = [
        {"from": a, "to": b, "count": n, "after_unresolved": after[a, b]}
        for (a, b), n in pairs.items()
    ]
    matrix.sort(key=lambda s: (-s["count"], -s["after_unresolved"], s["from"], s["to"]))
    totals = _tally(marked)
    return {
        "window_seconds": window.total_seconds(),
        "same_topic": same_topic,
        "top": top,
        "contacts": len(contacts),
        "customers": len(counts),
        "contacts_per_customer": {
            "mean": _significant(len(contacts) / len(counts)) if counts else None,
            "p50": _nearest_rank(counts, 0.5) if counts else None,
            "p90": _nearest_rank(counts, 0.9) if counts else None,
            "max": max(counts, default=None),
        },
        **{key: value for key, value in totals.items() if key != "contacts"},
        "switches": sum(pairs.values()),
        "switches_after_unresolved": sum(after.values()),
        "switch_matrix": matrix,
        "by_channel": _reference_breakdown(marked, ("channel",), top),
        "by_topic": _reference_breakdown(marked, ("topic",), top),
        "hotspots": _reference_breakdown(marked, ("topic", "channel"), top),
    }


# -- helpers and strategies ----------------------------------------------------------------


def _table(contacts: list[Contact]) -> pa.Table:
    return pa.Table.from_pylist(contacts, schema=SCHEMA)


def _contact(customer: str, minutes: float, channel: str, topic: str | None, row: int) -> Contact:
    return {
        "customer": customer,
        "time": T0 + minutes * MINUTE,
        "channel": channel,
        "topic": topic,
        "outcome": None,
        "row": row,
    }


@st.composite
def contact_lists(draw: st.DrawFn) -> list[Contact]:
    """Up to 25 contacts of a few customers on a coarse minute grid, so ties and window
    edges are common; rows are a shuffled 1..n, so file order and list order differ.
    """
    size = draw(st.integers(0, 25))
    rows = draw(st.permutations(range(1, size + 1)))
    return [
        _contact(
            draw(st.sampled_from("abcd")),
            draw(st.integers(0, 40)) * 2.5,
            draw(st.sampled_from(["phone", "chat", "web"])),
            draw(st.sampled_from(["bill", "move", None])),
            row,
        )
        for row in rows
    ]


windows = st.sampled_from([0, 2.5, 5, 10, 60]).map(lambda m: m * MINUTE)


@pytest.fixture(scope="module")
def duckdb() -> Any:
    return connect("duckdb")


@pytest.fixture(scope="module")
def spark() -> Any:
    return connect("pyspark")


# -- the library against the reference -----------------------------------------------------


@given(contact_lists(), windows, st.booleans())
def test_annotate_matches_the_reference(
    duckdb: Any, contacts: list[Contact], window: datetime.timedelta, same_topic: bool
) -> None:
    marked = annotate(load(duckdb, _table(contacts)), window, same_topic)
    got = marked.order_by("row").to_pyarrow().to_pylist()
    expected = sorted(reference_annotate(contacts, window, same_topic), key=lambda c: c["row"])
    assert got == expected


@given(contact_lists(), windows, st.booleans(), st.integers(1, 4))
def test_measure_matches_the_reference(
    duckdb: Any, contacts: list[Contact], window: datetime.timedelta, same_topic: bool, top: int
) -> None:
    figures = measure(load(duckdb, _table(contacts)), window, same_topic, top=top)
    assert figures.as_dict() == reference_measure(contacts, window, same_topic, top)


# -- hand-made logs with known answers -----------------------------------------------------


def _hand_made() -> list[Contact]:
    return [
        _contact("ann", 0, "phone", "bill", 1),
        _contact("ann", 5, "chat", "bill", 2),  # exactly the window later: a repeat
        _contact("ann", 11, "web", "bill", 3),  # 6 minutes on: a first contact again
        _contact("bob", 0, "phone", "move", 4),
        _contact("cyd", 30, "web", "move", 6),  # same time: row 5 comes first
        _contact("cyd", 30, "phone", None, 5),
    ]


def test_known_answers(duckdb: Any) -> None:
    figures = measure(load(duckdb, _table(_hand_made())), 5 * MINUTE).as_dict()
    assert figures["contacts"] == 6
    assert figures["customers"] == 3
    assert figures["contacts_per_customer"] == {"mean": 2.0, "p50": 2, "p90": 3, "max": 3}
    assert (figures["repeats"], figures["repeat_ratio"]) == (2, pytest.approx(1 / 3))
    assert (figures["first_contacts"], figures["resolved_first_contacts"]) == (4, 2)
    assert figures["first_contact_resolution"] == 0.5
    assert figures["switch_matrix"] == [
        {"from": "phone", "to": "chat", "count": 1, "after_unresolved": 1},
        {"from": "phone", "to": "web", "count": 1, "after_unresolved": 1},
        {"from": "chat", "to": "web", "count": 1, "after_unresolved": 0},
    ]
    assert [row["channel"] for row in figures["by_channel"]["rows"]] == ["web", "chat", "phone"]


def test_annotations_of_a_known_log(duckdb: Any) -> None:
    marked = annotate(load(duckdb, _table(_hand_made())), 5 * MINUTE)
    rows = {r["row"]: r for r in marked.order_by("row").to_pyarrow().to_pylist()}
    assert [rows[r]["seq"] for r in range(1, 7)] == [1, 2, 3, 1, 1, 2]
    assert [rows[r]["since_prev"] for r in (1, 2, 3, 6)] == [None, 300.0, 360.0, 0.0]
    assert [rows[r]["is_repeat"] for r in range(1, 7)] == [False, True, False, False, False, True]
    assert [rows[r]["is_resolved"] for r in range(1, 7)] == [False, True, True, True, False, True]
    assert rows[6]["prev_channel"] == "phone"
    assert rows[6]["switch_after_unresolved"]


def test_same_topic_looks_past_other_matters(duckdb: Any) -> None:
    contacts = [
        _contact("ann", 0, "phone", "bill", 1),
        _contact("ann", 2, "phone", "move", 2),
        _contact("ann", 4, "chat", "bill", 3),
    ]
    table = load(duckdb, _table(contacts))
    by_topic = annotate(table, 5 * MINUTE, same_topic=True).order_by("row").to_pyarrow()
    anyhow = annotate(table, 5 * MINUTE).order_by("row").to_pyarrow()
    assert by_topic["is_repeat"].to_pylist() == [False, False, True]
    assert by_topic["is_resolved"].to_pylist() == [False, True, True]
    assert by_topic["switch_after_unresolved"].to_pylist() == [False, False, False]
    assert anyhow["is_repeat"].to_pylist() == [False, True, True]
    assert anyhow["switch_after_unresolved"].to_pylist() == [False, False, True]


def test_an_empty_log(duckdb: Any) -> None:
    figures = measure(load(duckdb, _table([])), MINUTE).as_dict()
    assert (figures["contacts"], figures["customers"], figures["repeats"]) == (0, 0, 0)
    assert figures["repeat_ratio"] is None
    assert figures["contacts_per_customer"] == {"mean": None, "p50": None, "p90": None, "max": None}
    assert figures["by_channel"]["rows"] == []


def test_top_cuts_the_breakdowns_and_sums_the_rest(duckdb: Any) -> None:
    table = generate_contacts(3000, 400, 6, 30, 5)
    topics = measure(load(duckdb, table), MINUTE * 600, top=4).as_dict()["by_topic"]
    assert len(topics["rows"]) == 4
    assert topics["others"]["groups"] == len(set(table["topic"].to_pylist())) - 4
    shown = sum(row["contacts"] for row in topics["rows"])
    assert shown + topics["others"]["contacts"] == topics["total"]["contacts"] == 3000
    repeats = [row["repeats"] for row in topics["rows"]]
    assert repeats == sorted(repeats, reverse=True)


def test_a_parquet_file_gives_what_its_table_gives(duckdb: Any, tmp_path: Path) -> None:
    table = generate_contacts(2000, 300, 4, 8, 2)
    pq.write_table(table, tmp_path / "log.parquet")
    from_file = measure(load(duckdb, tmp_path / "log.parquet"), MINUTE * 90, True)
    assert from_file == measure(load(duckdb, table), MINUTE * 90, True)


# -- errors --------------------------------------------------------------------------------


def test_unknown_engine() -> None:
    with pytest.raises(EngineError) as caught:
        connect("polars")
    assert str(caught.value) == "unknown engine 'polars': choose one of duckdb, pyspark"
    assert isinstance(caught.value, JourneymapError)


def test_missing_engine_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(EngineError) as caught:
        connect("duckdb")
    assert str(caught.value) == (
        "the duckdb engine needs the duckdb package, which is not installed: "
        "pip install 'ibis-framework[duckdb]'"
    )


def test_a_missing_column_a_negative_window_or_top(duckdb: Any) -> None:
    table = load(duckdb, _table(_hand_made()).drop_columns(["row", "topic"]))
    with pytest.raises(LogError) as caught:
        annotate(table, MINUTE)
    assert str(caught.value) == "the contact table has no column topic, row"
    with pytest.raises(LogError) as caught:
        measure(load(duckdb, _table(_hand_made())), -MINUTE)
    assert str(caught.value) == "the repeat window must not be negative: -60 seconds"
    with pytest.raises(LogError) as caught:
        measure(load(duckdb, _table(_hand_made())), MINUTE, top=-1)
    assert str(caught.value) == "top must be 0 or more, not -1"


# -- engines agree -------------------------------------------------------------------------


pyspark_noise = pytest.mark.filterwarnings(
    # PySpark leaves the sockets it reads results from for the garbage collector to close,
    # and PySpark 4.0 calls pandas 3 with a deprecated argument: neither is ours to fix.
    "ignore::ResourceWarning",
    "ignore::pandas.errors.Pandas4Warning",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "contacts.parquet"
    pq.write_table(generate_contacts(4000, 500, 5, 12, 9), path)
    return path


@pyspark_noise
def test_pyspark_gives_what_duckdb_gives(duckdb: Any, spark: Any, generated: Path) -> None:
    table = pq.read_table(generated)
    for same_topic in (False, True):
        expected = measure(load(duckdb, table), MINUTE * 24 * 60, same_topic, top=5).as_dict()
        on_spark = measure(load(spark, table), MINUTE * 24 * 60, same_topic, top=5)
        assert on_spark.as_dict() == expected


@pyspark_noise
def test_pyspark_annotates_a_parquet_file_as_duckdb_does(
    duckdb: Any, spark: Any, generated: Path
) -> None:
    window = MINUTE * 24 * 60
    columns = ["row", *ANNOTATIONS]
    on_spark = annotate(load(spark, generated), window, True).select(columns).order_by("row")
    on_duckdb = annotate(load(duckdb, generated), window, True).select(columns).order_by("row")
    assert on_spark.to_pyarrow().equals(on_duckdb.to_pyarrow())


# -- the generator -------------------------------------------------------------------------


def test_generate_contacts_is_deterministic() -> None:
    first = generate_contacts(5000, 700, 6, 20, seed=3)
    assert first.equals(generate_contacts(5000, 700, 6, 20, seed=3))
    assert not first.equals(generate_contacts(5000, 700, 6, 20, seed=4))


def test_generated_contacts_keep_the_contract() -> None:
    table = generate_contacts(5000, 700, 6, 20, seed=3)
    assert table.schema == SCHEMA
    assert table["row"].to_pylist() == list(range(1, 5001))
    times = table["time"].to_pylist()
    assert times == sorted(times)
    assert len(set(table["customer"].to_pylist())) == 700
    assert len(set(table["channel"].to_pylist())) == 6
    assert len(set(table["topic"].drop_null().to_pylist())) <= 20
    counts = sorted(Counter(table["customer"].to_pylist()).values())
    assert counts[0] >= 1
    assert counts[-1] > 5 * counts[len(counts) // 2]  # skewed: a few customers call a lot


def test_fewer_contacts_than_customers() -> None:
    table = generate_contacts(3, 10, 2, 2, seed=0)
    assert table.num_rows == 3
    assert generate_contacts(0, 10, 2, 2, seed=0).num_rows == 0
