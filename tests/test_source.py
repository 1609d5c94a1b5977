"""The YAML composer: YAML 1.2 scalars, marks, aliases, merge keys and the limits it enforces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import journeymap
from journeymap.errors import LoadError
from journeymap.source import MAX_ALIAS_NODES, Mark, compose, decode


def test_scalars_follow_yaml_1_2_not_1_1() -> None:
    data = compose("a: no\nb: on\nc: 8:30\nd: 010\ne: 1_000\nf: true\ng: ~\nh: 0x1F\ni: .5\n", "f")
    assert data.data == {
        "a": "no",
        "b": "on",
        "c": "8:30",
        "d": 10,
        "e": "1_000",
        "f": True,
        "g": None,
        "h": 31,
        "i": 0.5,
    }


def test_keys_are_always_text() -> None:
    assert compose("1: a\ntrue: b\nnull: c\n", "f").data == {"1": "a", "true": "b", "null": "c"}


def test_explicit_core_tags_are_allowed() -> None:
    data = compose("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!null ''\n", "f").data
    assert data == {"a": "12", "b": 7, "c": 1.0, "d": None}


def test_bad_core_tag_value_is_a_finding() -> None:
    with pytest.raises(LoadError) as caught:
        compose("a: !!int seven\n", "f.yaml")
    assert str(caught.value) == "f.yaml:1:4: error yaml-syntax 'seven' is not a valid !!int"


def test_marks_are_one_based_and_count_characters_not_bytes() -> None:
    doc = compose("äiti:\n  öljy: 1\n  kä: {x: 2}\n", "f")
    assert doc.positions.key(("äiti", "öljy")) == Mark(2, 3)
    assert doc.positions.value(("äiti", "kä", "x")) == Mark(3, 11)


def test_unknown_paths_fall_back_to_the_nearest_ancestor() -> None:
    doc = compose("a:\n  b: 1\n", "f")
    assert doc.positions.value(("a", "b", "c", 3)) == Mark(2, 6)
    assert doc.positions.value(("zzz",)) == Mark(1, 1)


def test_list_items_are_labelled_by_their_id() -> None:
    doc = compose("touchpoints:\n  - id: order\n    title: x\n  - {title: y}\n", "f")
    assert doc.positions.dotted(("touchpoints", 0, "title")) == "touchpoints[order].title"
    assert doc.positions.dotted(("touchpoints", 1, "title")) == "touchpoints[1].title"


def test_aliases_expand_and_keep_the_anchors_marks() -> None:
    doc = compose("base: &b {kind: assisted, cost: 5}\nphone: *b\n", "f")
    assert isinstance(doc.data, dict)
    assert doc.data["phone"] == {"kind": "assisted", "cost": 5}
    assert doc.positions.value(("phone",)) == Mark(2, 8)
    assert doc.positions.value(("phone", "cost")) == Mark(1, 33)


def test_merge_keys_merge_with_explicit_keys_winning() -> None:
    text = "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 9\n"
    doc = compose(text, "f")
    assert isinstance(doc.data, dict)
    assert doc.data["c"] == {"x": 9, "y": 2, "z": 4}
    assert doc.positions.value(("c", "x")) == Mark(5, 6)
    assert doc.positions.value(("c", "z")) == Mark(2, 17)


def test_merging_a_scalar_is_refused() -> None:
    with pytest.raises(LoadError, match="'<<' merges a mapping or a list of mappings"):
        compose("a:\n  <<: 5\n", "f")


def test_mapping_keys_must_be_text() -> None:
    with pytest.raises(LoadError, match="a mapping key must be plain text"):
        compose("? [a, b]\n: c\n", "f")


def test_alias_budget_allows_ordinary_reuse() -> None:
    text = "a: &a [" + ", ".join(["x"] * 99) + "]\n" + "".join(f"k{i}: *a\n" for i in range(900))
    data = compose(text, "f").data
    assert isinstance(data, dict)
    assert len(data) == 901
    assert MAX_ALIAS_NODES > 900 * 100


def test_decode_accepts_a_utf8_bom() -> None:
    assert decode("\ufeffjourneymap: 1\n".encode(), "f") == "journeymap: 1\n"


def test_reads_accepts_bytes_and_checks_them() -> None:
    assert journeymap.reads(b"journeymap: 1\n\x00", "b.yaml").findings[0].rule == "unreadable"


@given(st.text(max_size=300))
def test_any_text_gives_findings_never_an_exception(text: str) -> None:
    result = journeymap.reads(text, "fuzz.yaml")
    assert result.journey is not None or result.findings
    assert all(f.line >= 1 and f.column >= 1 for f in result.findings)


@given(st.binary(max_size=300))
def test_any_bytes_give_findings_never_an_exception(data: bytes) -> None:
    result = journeymap.reads(data, "fuzz.yaml")
    assert result.journey is not None or result.findings


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_structured_yaml_gives_findings_never_an_exception(data: object) -> None:
    from journeymap.loader.writer import dump_data

    result = journeymap.reads(dump_data({"journeymap": 1, "x": data}), "fuzz.yaml")
    assert result.findings
