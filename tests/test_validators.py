"""The generated validators give jsonschema's verdict, and report errors where it does.

The reference is ``jsonschema.Draft202012Validator`` on the canonical schema; "where it
reports" is ``reference.reference_errors`` (inside a union, the errors of the branch
the value was meant for, or of the closest one). Payloads come from four sources, for every type:

* payloads drawn from the schema by hypothesis-jsonschema (an independent generator,
  but slow on these schemas, so a few per type);
* payloads drawn by the fast strategies of ``strategies.py`` (the volume);
* one mutation of each of those: a value of another type, a number out of range, a
  required property removed, an unknown property added, a wrong tag, a string
  stretched past its limit;
* arbitrary JSON values.

More than 10,000 payloads are compared per run (the last test checks the count).
Any disagreement is a bug: add the payload to ``REGRESSIONS`` when fixing it.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

import realtime_schema
from strategies import Strategies
from support import ROOT, json_at, json_paths, json_replace, reference_pointers, same_json

BUNDLE = json.loads((ROOT / "schema" / "realtime.schema.json").read_text("utf-8"))
TYPES = sorted(BUNDLE["$defs"])
COMPARED: Counter[str] = Counter()
_VALIDATORS: dict[str, Draft202012Validator] = {}


def reference(type_name: str) -> Draft202012Validator:
    if type_name not in _VALIDATORS:
        _VALIDATORS[type_name] = Draft202012Validator({**BUNDLE, "$ref": f"#/$defs/{type_name}"})
    return _VALIDATORS[type_name]


def compare(type_name: str, payload: Any, source: str) -> None:
    """Our verdict and error pointers must equal the reference's."""
    COMPARED[source] += 1
    expected_valid = reference(type_name).is_valid(payload)
    assert realtime_schema.is_valid(payload, type_name) is expected_valid, (type_name, payload)
    ours = list(realtime_schema.iter_errors(payload, type_name))
    if expected_valid:
        assert ours == [], (type_name, payload, ours)
        value = realtime_schema.parse(payload, type_name)
        dumped = (
            value.to_dict() if hasattr(value, "to_dict") else realtime_schema._runtime._dump(value)
        )
        assert same_json(dumped, payload), (type_name, payload, dumped)
    else:
        assert {e.path for e in ours} == reference_pointers(reference(type_name), payload), (
            type_name,
            payload,
        )
        with pytest.raises(realtime_schema.ValidationError):
            realtime_schema.parse(payload, type_name)


FAST = Strategies(str(ROOT / "schema" / "realtime.schema.json"))
#: Examples per type, as shares of the active profile's max_examples (see support.py),
#: spread over the types so that the whole run stays the size of 58 types at the full
#: rate (the session family this started from): with the ci profile and the whole
#: protocol's ~220 types, each gets ~26 drawn payloads with 5 mutations each, ~8
#: arbitrary JSON values and the slow independent source; at least 10_000 in all.
PER_TYPE = max(20, settings.default.max_examples * 58 // len(TYPES))


def strategy(type_name: str) -> st.SearchStrategy[Any]:
    return FAST.for_type(type_name)


def independent(type_name: str) -> st.SearchStrategy[Any]:
    formats = {"unixtime": st.integers(min_value=0, max_value=2**33).map(str)}
    return from_schema(realtime_schema.schema_for(type_name), custom_formats=formats)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


#: Values of every JSON type, to put where a value of another type belongs.
OTHERS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    7,
    2**40,
    0.5,
    -3.25,
    1e300,
    "",
    "x",
    "session.update",
    [],
    [1, "a"],
    {},
    {"a": None},
]


def mutate(payload: Any, rng: random.Random) -> Any:
    """One mistake at a random place of a copy of ``payload``."""
    payload = json.loads(json.dumps(payload))
    path = rng.choice(json_paths(payload))
    here = json_at(payload, path)
    kind = rng.choice(
        ["retype", "unknown_key", "drop_key", "tag", "number", "long_string", "wrong_item"]
    )
    if kind == "unknown_key" and isinstance(here, dict):
        here[rng.choice(["unexpected", "silence_duraton_ms", "typ", ""])] = rng.choice(OTHERS)
    elif kind == "drop_key" and isinstance(here, dict) and here:
        del here[rng.choice(sorted(here))]
    elif kind == "tag" and isinstance(here, dict) and isinstance(here.get("type"), str):
        here["type"] = rng.choice(["", "unknown", here["type"].upper(), here["type"] + "_x"])
    elif kind == "number" and isinstance(here, (int, float)) and not isinstance(here, bool):
        candidates = [
            here + 1,
            here - 1,
            here * 10 + 1000,
            -abs(here) - 1,
            1e9,
            0.5,
            -0.0,
            here + 0.5,
        ]
        payload = json_replace(
            payload, path, rng.choice([c for c in candidates if math.isfinite(c)])
        )
    elif kind == "long_string" and isinstance(here, str):
        payload = json_replace(payload, path, here + "x" * rng.randint(1, 600))
    elif kind == "wrong_item" and isinstance(here, list):
        here.append(rng.choice(OTHERS))
    else:
        payload = json_replace(
            payload, path, rng.choice([o for o in OTHERS if type(o) is not type(here)])
        )
    return payload


MUTATIONS_PER_DRAW = 5


#: hypothesis-jsonschema resolves a schema's whole closure before it draws: on the event
#: unions (up to 213 types) that takes minutes per draw. Their members are each drawn
#: here, and the unions themselves by the fast strategies below.
INDEPENDENT = [t for t in TYPES if len(realtime_schema.schema_for(t).get("$defs", {})) <= 40]


@pytest.mark.parametrize("type_name", INDEPENDENT)
def test_payloads_drawn_by_hypothesis_jsonschema(type_name: str) -> None:
    @settings(max_examples=max(2, PER_TYPE // 40))
    @given(independent(type_name))
    def run(payload: Any) -> None:
        compare(type_name, payload, "hypothesis-jsonschema")

    run()


@pytest.mark.parametrize("type_name", TYPES)
def test_payloads_drawn_from_the_schema_and_their_mutations(type_name: str) -> None:
    @settings(max_examples=PER_TYPE // 2)
    @given(strategy(type_name), st.randoms(use_true_random=False))
    def run(payload: Any, rng: random.Random) -> None:
        compare(type_name, payload, "drawn")
        for _ in range(MUTATIONS_PER_DRAW):
            compare(type_name, mutate(payload, rng), "mutated")

    run()


@pytest.mark.parametrize("type_name", TYPES)
def test_arbitrary_json(type_name: str) -> None:
    @settings(max_examples=max(10, PER_TYPE * 3 // 20))
    @given(JSON)
    def run(payload: Any) -> None:
        compare(type_name, payload, "arbitrary")

    run()


#: Payloads that once disagreed with the reference, kept so that they never do again.
REGRESSIONS: list[tuple[str, Any]] = [
    ("RealtimeTurnDetection", None),  # a nullable named type let null through only in jsonschema
    ("Prompt", None),
    ("RealtimeTurnDetectionParam", None),
    # an array item failing const is not a wrong tag: the error belongs to the item
    (
        "RealtimeBetaServerEventSessionCreated",
        {"event_id": "", "type": "session.created", "session": {"include": [None]}},
    ),
    # type: [object, null] is one schema, not a union: the wrong tag is reported at the tag
    (
        "RealtimeClientEventTranscriptionSessionUpdate",
        {"type": "transcription_session.update", "session": {"turn_detection": {"type": None}}},
    ),
]


@pytest.mark.parametrize(("type_name", "payload"), REGRESSIONS)
def test_regressions(type_name: str, payload: Any) -> None:
    compare(type_name, payload, "regression")


def test_samples_agree_with_the_reference() -> None:
    folder = ROOT / "schema" / "samples"
    files = sorted(folder.glob("*/*/*.json"))
    for path in files:
        type_name, kind = path.parts[-3], path.parts[-2]
        data = json.loads(path.read_text("utf-8"))
        compare(type_name, data if kind == "valid" else data["payload"], "samples")


def test_enough_payloads_were_compared(request: pytest.FixtureRequest) -> None:
    fuzz = [
        item
        for item in request.session.items
        if item.module is not None and item.module.__name__ == __name__
    ]
    if len(fuzz) < 2 * len(TYPES) + len(INDEPENDENT):
        pytest.skip("only part of this module ran; the count covers full runs")
    total = sum(COMPARED.values())
    print(f"\ncompared with jsonschema: {dict(COMPARED)} = {total}")
    assert total >= 10_000, dict(COMPARED)
