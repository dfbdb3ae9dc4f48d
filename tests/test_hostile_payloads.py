"""Hostile payloads: the generated code never crashes, recurses away or copies big input.

For any JSON value, and any Python value a caller might pass (bytes, sets, tuples, NaN,
infinities, huge integers, subclasses of dict/list/str/int/float, non-string keys,
objects of other classes), every entry point either answers or raises
``ValidationError``; ``is_valid(x)`` is exactly "``parse(x)`` raises nothing". Nesting
100,000 levels deep is a ``ValidationError``, not a ``RecursionError``. A 100 MB string
or a million-item array is checked without being copied.
"""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rtschema.generate import generate_package

import realtime_schema as rs
from support import CORPUS, import_fresh


class MyDict(dict):  # type: ignore[type-arg]
    pass


class MyList(list):  # type: ignore[type-arg]
    pass


class MyStr(str):
    pass


class MyInt(int):
    pass


class MyFloat(float):
    pass


class Opaque:
    def __repr__(self) -> str:
        return "Opaque()"


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**5000)
    | st.floats()  # NaN and infinities included
    | st.text(max_size=20)
    | st.binary(max_size=8)
    | st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            Ellipsis,
            Opaque(),
            "session.update",
            "realtime",
            24000,
            1.0,
        ]
    )
    | st.builds(MyStr, st.sampled_from(["session.update", "realtime", "server_vad", "auto", "x"]))
    | st.builds(MyInt, st.integers(-5, 5000))
    | st.builds(MyFloat, st.floats())
)
KEYS = (
    st.text(max_size=8)
    | st.sampled_from(["type", "session", "audio", "event_id", "tools"])
    | st.integers()
    | st.none()
)
PYTHON = st.recursive(
    SCALARS,
    lambda c: (
        st.lists(c, max_size=4)
        | st.tuples(c, c)
        | st.frozensets(st.integers() | st.text(max_size=4), max_size=3)
        | st.dictionaries(KEYS, c, max_size=5)
        | st.builds(MyDict, st.dictionaries(st.text(max_size=8), c, max_size=4))
        | st.builds(MyList, st.lists(c, max_size=3))
    ),
    max_leaves=15,
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=5),
    max_leaves=15,
)
EVENTS = st.fixed_dictionaries(
    {"type": st.sampled_from(sorted(rs.EVENT_TYPES)) | st.text(max_size=5)},
    optional={"session": PYTHON, "event_id": PYTHON},
)


def behaves(type_name: str, value: Any) -> None:
    """Only documented outcomes, and ``is_valid`` agrees with ``parse``."""
    valid = rs.is_valid(value, type_name)
    assert isinstance(valid, bool)
    assert rs.validator_for(type_name).is_valid(value) is valid
    errors = list(rs.iter_errors(value, type_name))
    assert valid is (errors == [])
    for error in errors:
        assert isinstance(error.path, str) and isinstance(error.message, str)
        str(error)
    try:
        result = rs.parse(value, type_name)
    except rs.ValidationError as exc:
        assert not valid and exc.errors
        str(exc)
    else:
        assert valid
        if hasattr(result, "to_dict"):
            result.to_dict()


@pytest.mark.parametrize("type_name", sorted(rs.TYPES))
def test_any_python_value(type_name: str) -> None:
    @settings(max_examples=max(10, settings.default.max_examples // 4))
    @given(PYTHON | JSON)
    def run(value: Any) -> None:
        behaves(type_name, value)

    run()


@given(EVENTS | PYTHON)
def test_any_event(value: Any) -> None:
    valid = rs.is_valid_event(value)
    found = rs.event_type(value)
    try:
        name = rs.validate_event(value)
    except rs.ValidationError as exc:
        assert not valid and exc.errors and found is None
    else:
        assert valid and name in rs.TYPES and found == name
        assert type(rs.parse_event(value)).__name__ == name


def _deep_list(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


def _deep_dict(levels: int, key: str) -> Any:
    value: Any = {}
    for _ in range(levels):
        value = {key: value}
    return value


@pytest.mark.parametrize(
    "type_name",
    [
        "RealtimeSession",
        "RealtimeClientEventSessionUpdate",
        "RealtimeEvent",
        "MCPToolFilter",
    ],
)
def test_nesting_100000_levels(type_name: str) -> None:
    for value in (
        _deep_list(100_000),
        _deep_dict(100_000, "session"),
        {"tools": _deep_list(100_000)},
    ):
        behaves(type_name, value)
    session = {
        "type": "session.update",
        "session": {"type": "realtime", "tracing": {"metadata": _deep_dict(100_000, "a")}},
    }
    assert rs.validate_event(session) == "RealtimeClientEventSessionUpdate"
    parsed = rs.parse_event(session)
    metadata = parsed.to_dict()["session"]["tracing"]["metadata"]
    original = session["session"]["tracing"]["metadata"]
    assert metadata == original and metadata["a"] is original["a"]  # shallow copy, never a deep one


def test_nesting_100000_levels_in_a_recursive_schema(tmp_path: Path) -> None:
    generate_package(
        str(CORPUS / "features" / "recursion" / "schema.json"), str(tmp_path), "deep_pkg"
    )
    module = import_fresh(tmp_path, "deep_pkg")
    tree: Any = {"value": 1}
    for _ in range(100_000):
        tree = {"value": 1, "children": [tree]}
    assert module.is_valid(tree, "Tree") is False
    # A recursive type's reusable validator also answers, rather than raising.
    assert module.validator_for("Tree").is_valid(tree) is False
    assert module.validator_for("Tree").is_valid({"value": 1, "children": []}) is True
    with pytest.raises(module.ValidationError) as raised:
        module.validate(tree, "Tree")
    assert raised.value.errors[0].keyword == "depth"
    with pytest.raises(module.ValidationError):
        module.models.Tree.from_dict(tree)
    assert module.is_valid(_deep_list(100_000), "Json") is False
    assert module.validator_for("Json").is_valid(_deep_list(100_000)) is False


def test_a_100_mb_string_is_checked_without_copying() -> None:
    big = "x" * (100 * 1024 * 1024)
    payload = {"type": "session.update", "session": {"type": "realtime", "instructions": big}}
    tracemalloc.start()
    try:
        assert rs.is_valid(payload, "RealtimeClientEventSessionUpdate")
        rs.validate(payload, "RealtimeClientEventSessionUpdate")
        event = rs.RealtimeClientEventSessionUpdate.from_dict(payload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert event.session.instructions is big
    assert peak < 1024 * 1024, peak
    bad = {"type": "session.update", "event_id": big, "session": {"type": "realtime"}}
    errors = list(rs.iter_errors(bad, "RealtimeClientEventSessionUpdate"))
    assert [e.path for e in errors] == ["/event_id"] and len(errors[0].message) < 200


def test_a_million_items_are_checked_without_copying() -> None:
    item = "item.input_audio_transcription.logprobs"
    many = [item] * 1_000_000
    payload = {"type": "realtime", "include": many}
    tracemalloc.start()
    try:
        assert rs.is_valid(payload, "RealtimeSessionCreateRequestGA")
        rs.validate(payload, "RealtimeSessionCreateRequestGA")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, peak
    many[-1] = "nope"
    assert [e.path for e in rs.iter_errors(payload, "RealtimeSessionCreateRequestGA")] == [
        "/include/999999"
    ]


def test_unique_items_stay_linear(tmp_path: Path) -> None:
    generate_package(str(CORPUS / "features" / "limits" / "schema.json"), str(tmp_path), "lim_pkg")
    module = import_fresh(tmp_path, "lim_pkg")
    items = list(range(200_000))
    assert module.is_valid({"items": items[:3]}, "Limits")
    from lim_pkg._runtime import _unique  # type: ignore[import-not-found]

    assert (
        _unique(items) and not _unique([*items, 5]) and not _unique([1, 1.0]) and _unique([1, True])
    )


def test_reusable_validators_answer_for_payloads_too_deep_to_check(tmp_path: Path) -> None:
    """``validator_for(T).is_valid`` calls a type's check directly where the schema bounds
    how deep it goes, and guards it where it can go as deep as the payload (here
    ``uniqueItems``, which compares whole items): both answer, neither raises."""
    schema = tmp_path / "schema.json"
    schema.write_text(
        '{"$defs": {"Set": {"type": "array", "uniqueItems": true},'
        ' "Lists": {"type": "array", "items": {"type": "array"}}}}'
    )
    generate_package(str(schema), str(tmp_path / "out"), "deep_set_pkg")
    module = import_fresh(tmp_path / "out", "deep_set_pkg")
    first, second = _deep_list(100_000), _deep_list(100_000)
    second.append(1)
    assert module.validator_for("Set").is_valid([first, second]) is False
    assert module.validator_for("Set").is_valid([[1], [2]]) is True
    assert module.validator_for("Lists").is_valid([first, second]) is True
    assert module.validator_for("Lists").is_valid([1]) is False
