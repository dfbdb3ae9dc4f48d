"""``from_dict`` checks and builds in one pass where it can (issue 14): a checked builder
``_parse_<Type>`` reads each property once, checks it with the validator's own
expression and builds it, and returns ``None`` for anything it does not accept, in which
case ``from_dict`` takes the checking path (which reports why).

What must hold: whatever a checked builder accepts is valid and builds exactly what the
builder builds; the valid samples and the reference's examples take the one-pass path.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Iterator
from typing import Any

import pytest

import realtime_schema as rs
from realtime_schema import models
from support import ROOT

SAMPLES = ROOT / "schema" / "samples"
EXAMPLES = ROOT.parent / "shared" / "upstream" / "openai-openapi-2.3.0-realtime-examples.json"


def _area(cls: type) -> Any:
    import sys

    return sys.modules[cls.__module__]


def _parse_and_build(name: str) -> tuple[Any, Any] | None:
    cls = getattr(models, name, None)
    if not isinstance(cls, type):
        return None
    module = _area(cls)
    stem = name if hasattr(module, f"_parse_{name}") else None
    if stem is None:
        return None
    return getattr(module, f"_parse_{stem}"), getattr(module, f"_build_{stem}")


def _payloads(kind: str) -> Iterator[tuple[str, Any]]:
    for path in sorted(SAMPLES.glob(f"*/{kind}/*.json")):
        data = json.loads(path.read_text("utf-8"))
        yield path.parts[-3], data if kind == "valid" else data["payload"]


def test_most_classes_have_a_checked_builder() -> None:
    classes = [n for n in models.__all__ if isinstance(getattr(models, n), type)]
    with_parse = [n for n in classes if _parse_and_build(n) is not None]
    assert len(with_parse) >= 0.9 * len(classes), len(with_parse)


def test_valid_samples_take_the_one_pass_path_and_build_the_same() -> None:
    checked = 0
    for name, payload in _payloads("valid"):
        pair = _parse_and_build(name)
        if pair is None:
            continue
        parse, build = pair
        made = parse(copy.deepcopy(payload))
        assert made is not None, name
        assert made == build(payload) and made.to_dict() == payload, name
        checked += 1
    assert checked >= 60


def test_invalid_samples_are_refused_by_the_checked_builders() -> None:
    checked = 0
    for name, payload in _payloads("invalid"):
        pair = _parse_and_build(name)
        if pair is None:
            continue
        assert pair[0](payload) is None, name
        with pytest.raises(rs.ValidationError):
            getattr(models, name).from_dict(payload)
        checked += 1
    assert checked >= 100


def _mutations(value: Any, rng: random.Random) -> Iterator[Any]:
    """Copies of ``value`` with one place changed: a value replaced by one of another
    JSON type, a key dropped, or a key added."""
    places: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                places.append((node, key))
                walk(item)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                places.append((node, index))
                walk(item)

    for _ in range(12):
        copy_ = copy.deepcopy(value)
        places.clear()
        walk(copy_)
        if not places:
            return
        parent, key = rng.choice(places)
        choice = rng.randrange(3)
        if choice == 0:
            parent[key] = rng.choice([None, True, 0, 1.5, -3, "x", "", [], {}, [1], {"a": 1}])
        elif choice == 1 and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[f"unknown_{rng.randrange(5)}"] = rng.choice([None, 1, "y", {}])
        yield copy_


def test_what_a_checked_builder_accepts_is_valid_and_built_alike() -> None:
    if not EXAMPLES.is_file():
        message = f"optional: the reference's example payloads are not at {EXAMPLES}"
        if os.environ.get("RTSCHEMA_REQUIRE_UPSTREAM") == "1":
            pytest.fail(message + " (RTSCHEMA_REQUIRE_UPSTREAM=1)")
        pytest.skip(message)
    examples: dict[str, list[Any]] = json.loads(EXAMPLES.read_text("utf-8"))["examples"]
    rng = random.Random(14)
    seen = accepted = 0
    for name, payloads in sorted(examples.items()):
        pair = _parse_and_build(name)
        if pair is None:
            continue
        parse, build = pair
        for payload in payloads:
            for candidate in [payload, *_mutations(payload, rng)]:
                made = parse(copy.deepcopy(candidate))
                valid = rs.is_valid(candidate, name)
                seen += 1
                if made is not None:
                    accepted += 1
                    assert valid, (name, candidate)
                    assert made == build(candidate), name
                elif valid:  # only slower, not wrong; but none of these is refused
                    pytest.fail(f"{name}: the checked builder refused a valid payload")
    assert seen >= 1000 and accepted >= 100


def test_from_dict_still_reports_every_problem() -> None:
    payload = {"type": "session.update", "session": {"type": "realtime", "voice": 5}}
    with pytest.raises(rs.ValidationError) as caught:
        models.RealtimeClientEventSessionUpdate.from_dict(payload)
    assert [e.path for e in caught.value.errors] == [
        e.path for e in rs.iter_errors(payload, "RealtimeClientEventSessionUpdate")
    ]


def test_a_nullable_union_field_is_checked_and_built_in_one_pass() -> None:
    """``turn_detection`` (null, or server or semantic VAD) is read by the union's
    checked builder for the values other than null; null is kept as ``None``."""
    import inspect

    from realtime_schema._models import input_audio, sessions

    source = inspect.getsource(sessions._parse_RealtimeSessionCreateResponseGAAudioInput)
    assert "_parse_RealtimeTurnDetection(v)" in source and "if v is not None:" in source
    parse = input_audio._parse_RealtimeTurnDetection
    vad = {"type": "server_vad", "threshold": 0.5}
    assert parse(vad) == input_audio._build_RealtimeTurnDetection(vad)
    assert parse({"type": "server_vad", "threshold": "high"}) is None
    audio = {"turn_detection": None}
    made = sessions._parse_RealtimeSessionCreateResponseGAAudioInput(audio)
    assert made is not None and made.turn_detection is None and made.to_dict() == audio
    wrong = {"turn_detection": {"type": "server_vad", "threshold": "high"}}
    assert sessions._parse_RealtimeSessionCreateResponseGAAudioInput(wrong) is None


def test_checked_builders_count_the_keys_they_find() -> None:
    """A checked builder counts the fields it finds instead of testing every key: an
    open object keeps exactly its other keys, a closed one refuses any other key."""
    from realtime_schema._models import conversation, sessions

    parse_open = sessions._parse_RealtimeReasoning
    assert parse_open({}).extra_properties == {}
    assert parse_open({"effort": "low"}).extra_properties == {}
    made = parse_open({"effort": "low", "later": [1], "effort2": None})
    assert made.effort == "low" and made.extra_properties == {"later": [1], "effort2": None}
    assert parse_open({"later": 1}).extra_properties == {"later": 1}

    parse_closed = conversation._parse_RealtimeBetaClientEventConversationItemDelete
    event = {"type": "conversation.item.delete", "item_id": "item_1"}
    assert parse_closed(event) is not None
    assert parse_closed({**event, "event_id": "e"}) is not None
    assert parse_closed({**event, "other": 1}) is None
    assert parse_closed({**event, "event_id": "e", "other": 1}) is None
