"""The canonical schema and its hand-written samples (``schema/samples/``).

Layout: ``schema/samples/<Type>/valid/<slug>.json`` holds a payload that must validate;
``schema/samples/<Type>/invalid/<slug>.json`` holds ``{"description", "pointer",
"payload"}``: a payload that must fail at exactly that JSON Pointer, and why.

Besides the verdicts, coverage is checked, computed from the schema (not from lists
kept by hand), so that a field added to the schema is reported here until a sample uses
it: every field of RealtimeSession, both turn detection kinds in both interfaces,
``null`` and absent for every property that accepts null, and every limit hit exactly
by a valid sample and exceeded by an invalid one. Request forms (``FooParam``) count
as their base type ``Foo``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rtschema.errors import join_pointer

import realtime_schema
from reference import reference_errors, relevant_errors
from support import ROOT, ROOTS, SESSION_ROOTS

SCHEMA = ROOT / "schema" / "realtime.schema.json"
SAMPLES = ROOT / "schema" / "samples"
BUNDLE = json.loads(SCHEMA.read_text("utf-8"))
DEFS: dict[str, Any] = BUNDLE["$defs"]
LIMITS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
)
ROOT_VALIDATOR = Draft202012Validator(BUNDLE)


def validator(type_name: str) -> Draft202012Validator:
    return ROOT_VALIDATOR.evolve(schema={**BUNDLE, "$ref": f"#/$defs/{type_name}"})


def samples(kind: str) -> list[tuple[str, Path]]:
    return [(path.parts[-3], path) for path in sorted(SAMPLES.glob(f"*/{kind}/*.json"))]


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


# --------------------------------------------------------------------------- the schema


def test_schema_is_valid_2020_12() -> None:
    Draft202012Validator.check_schema(BUNDLE)
    assert BUNDLE["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert BUNDLE["$id"].startswith("https://")
    assert BUNDLE["title"]


def test_every_ref_resolves() -> None:
    refs: list[str] = []
    stack: list[Any] = [BUNDLE]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert refs
    resolver = ROOT_VALIDATOR._resolver
    for ref in refs:
        assert ref.startswith("#/$defs/"), ref
        resolver.lookup(ref)


def test_all_roots_and_upstream_names_are_present() -> None:
    assert set(ROOTS) <= set(DEFS)
    assert len([name for name in DEFS if not name.endswith("Param")]) >= 42


def test_every_type_and_property_is_described() -> None:
    missing = []
    stack = [(f"/$defs/{name}", schema) for name, schema in DEFS.items()]
    for name, schema in DEFS.items():
        if not schema.get("description"):
            missing.append(f"/$defs/{name}")
    while stack:
        pointer, node = stack.pop()
        if not isinstance(node, dict):
            continue
        for key, sub in (node.get("properties") or {}).items():
            if not sub.get("description"):
                missing.append(join_pointer(pointer, "properties", key))
            stack.append((join_pointer(pointer, "properties", key), sub))
        for word in ("anyOf", "oneOf", "allOf"):
            stack.extend(
                (join_pointer(pointer, word, i), s) for i, s in enumerate(node.get(word, []))
            )
        for word in ("items", "additionalProperties"):
            if isinstance(node.get(word), dict):
                stack.append((join_pointer(pointer, word), node[word]))
    assert missing == []


# --------------------------------------------------------------------------- the samples


def test_each_root_has_enough_samples() -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"valid": 0, "invalid": 0})
    for kind in ("valid", "invalid"):
        for type_name, _ in samples(kind):
            counts[type_name][kind] += 1
    short = {
        t: dict(counts[t])
        for t in SESSION_ROOTS
        if counts[t]["valid"] < 3 or counts[t]["invalid"] < 5
    }
    assert short == {}, f"need >= 3 valid and >= 5 invalid samples: {short}"
    short = {
        t: dict(counts[t]) for t in ROOTS if counts[t]["valid"] < 1 or counts[t]["invalid"] < 2
    }
    assert short == {}, f"need >= 1 valid and >= 2 invalid samples: {short}"
    assert set(counts) <= set(DEFS), set(counts) - set(DEFS)


def test_invalid_samples_are_well_formed() -> None:
    for _, path in samples("invalid"):
        data = load(path)
        assert set(data) == {"description", "pointer", "payload"}, path
        assert isinstance(data["description"], str) and data["description"].strip(), path
        assert isinstance(data["pointer"], str) and (
            data["pointer"] == "" or data["pointer"].startswith("/")
        ), path


@pytest.mark.parametrize(
    ("type_name", "path"),
    samples("valid"),
    ids=lambda v: str(v).rsplit("/", 3)[-1] if isinstance(v, Path) else v,
)
def test_valid_sample(type_name: str, path: Path) -> None:
    payload = load(path)
    assert reference_errors(validator(type_name), payload) == []
    # Issue 3: the dataclasses read and write it back exactly.
    value = realtime_schema.parse(payload, type_name)
    assert value.to_dict() == payload


@pytest.mark.parametrize(
    ("type_name", "path"),
    samples("invalid"),
    ids=lambda v: str(v).rsplit("/", 3)[-1] if isinstance(v, Path) else v,
)
def test_invalid_sample_fails_at_its_pointer(type_name: str, path: Path) -> None:
    sample = load(path)
    found = reference_errors(validator(type_name), sample["payload"])
    assert {pointer for pointer, _ in found} == {sample["pointer"]}, found
    # Issue 3: the dataclasses refuse it, naming that pointer.
    with pytest.raises(realtime_schema.ValidationError) as raised:
        realtime_schema.parse(sample["payload"], type_name)
    assert {e.path for e in raised.value.errors} == {sample["pointer"]}


# --------------------------------------------------------------------------- coverage


def _base(name: str) -> str:
    return (
        name[: -len("Param")] if name.endswith("Param") and name[: -len("Param")] in DEFS else name
    )


@cache
def _index() -> dict[int, tuple[str, str]]:
    """Every subschema object of the bundle → (base type, pointer inside that type)."""
    index: dict[int, tuple[str, str]] = {}
    for name, schema in DEFS.items():
        stack = [("", schema)]
        while stack:
            pointer, node = stack.pop()
            if isinstance(node, dict):
                index.setdefault(id(node), (_base(name), pointer))
                for key, value in node.items():
                    if key in ("properties", "$defs"):
                        stack.extend((join_pointer(pointer, key, k), v) for k, v in value.items())
                    elif key in ("anyOf", "oneOf", "allOf"):
                        stack.extend(
                            (join_pointer(pointer, key, i), v) for i, v in enumerate(value)
                        )
                    elif key in ("items", "additionalProperties", "not"):
                        stack.append((join_pointer(pointer, key), value))
    return index


class Seen:
    def __init__(self) -> None:
        self.null: set[tuple[str, str]] = set()
        self.absent: set[tuple[str, str]] = set()
        self.present: set[tuple[str, str]] = set()
        self.at_bound: set[tuple[str, str, str]] = set()
        self.values: dict[tuple[str, str], list[Any]] = defaultdict(list)


def _walk(schema: Any, value: Any, seen: Seen) -> None:
    """Follow a valid value through the schema, noting what each subschema saw."""
    if not isinstance(schema, dict):
        return
    where = _index().get(id(schema))
    if "$ref" in schema:
        target = DEFS[schema["$ref"].split("/")[-1]]
        _walk(target, value, seen)
    if where is not None:
        seen.values[where].append(value)
        for keyword in LIMITS:
            if keyword not in schema:
                continue
            bound = schema[keyword]
            size = len(value) if isinstance(value, (str, list)) else value
            if isinstance(size, (int, float)) and not isinstance(size, bool):
                hit = size == bound or (keyword.startswith("exclusive") and abs(size - bound) <= 1)
                if hit:
                    seen.at_bound.add((*where, keyword))
    for word in ("anyOf", "oneOf"):
        for branch in schema.get(word, []):
            if ROOT_VALIDATOR.evolve(schema=branch).is_valid(value):
                _walk(branch, value, seen)
    if isinstance(value, dict) and "properties" in schema:
        for key, sub in schema["properties"].items():
            slot = (where[0], join_pointer(where[1], "properties", key)) if where else None
            if key not in value:
                if slot:
                    seen.absent.add(slot)
                continue
            if slot:
                (seen.null if value[key] is None else seen.present).add(slot)
            _walk(sub, value[key], seen)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _walk(schema["items"], item, seen)
    if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            if key not in schema.get("properties", {}):
                _walk(schema["additionalProperties"], item, seen)


@cache
def coverage() -> Seen:
    seen = Seen()
    for type_name, path in samples("valid"):
        _walk(DEFS[type_name], load(path), seen)
    return seen


@cache
def beyond_bounds() -> set[tuple[str, str, str]]:
    """(base type, pointer, keyword) of each limit some invalid sample exceeds."""
    found = set()
    for type_name, path in samples("invalid"):
        sample = load(path)
        for error in validator(type_name).iter_errors(sample["payload"]):
            for leaf in relevant_errors(error):
                where = _index().get(id(leaf.schema))
                if leaf.validator in LIMITS and where is not None:
                    found.add((*where, str(leaf.validator)))
    return found


def _nullable_properties() -> set[tuple[str, str]]:
    slots = set()
    for name, schema in DEFS.items():
        stack = [("", schema)]
        while stack:
            pointer, node = stack.pop()
            if not isinstance(node, dict):
                continue
            for key, sub in (node.get("properties") or {}).items():
                child = join_pointer(pointer, "properties", key)
                if ROOT_VALIDATOR.evolve(schema=sub).is_valid(None):
                    slots.add((_base(name), child))
                stack.append((child, sub))
            for word in ("anyOf", "oneOf"):
                stack.extend(
                    (join_pointer(pointer, word, i), s) for i, s in enumerate(node.get(word, []))
                )
            if isinstance(node.get("items"), dict):
                stack.append((join_pointer(pointer, "items"), node["items"]))
    return slots


def _limit_slots() -> set[tuple[str, str, str]]:
    return {
        (*where, keyword)
        for node_id, where in _index().items()
        for keyword in LIMITS
        if keyword in _subschema(node_id)
    }


@cache
def _by_id() -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    stack: list[Any] = [DEFS]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out[id(node)] = node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _subschema(node_id: int) -> dict[str, Any]:
    return _by_id()[node_id]


def test_every_field_of_realtime_session_is_used() -> None:
    used = {p for t, p in coverage().present | coverage().null if t == "RealtimeSession"}
    wanted = {f"/properties/{key}" for key in DEFS["RealtimeSession"]["properties"]}
    assert wanted - used == set(), (
        f"RealtimeSession fields no valid sample uses: {sorted(wanted - used)}"
    )


def test_both_turn_detection_kinds_in_both_interfaces() -> None:
    kinds: dict[str, set[str]] = defaultdict(set)
    for type_name, path in samples("valid"):
        text = path.read_text("utf-8")
        interface = (
            "ga"
            if (
                "GA" in type_name
                or type_name.startswith("RealtimeClientEvent")
                or type_name.startswith("RealtimeServerEvent")
            )
            and "Transcription" not in type_name.replace("GA", "")
            else "beta"
        )
        for kind in ("server_vad", "semantic_vad"):
            if f'"{kind}"' in text:
                kinds[interface].add(kind)
    assert kinds["ga"] == {"server_vad", "semantic_vad"}, dict(kinds)
    assert kinds["beta"] == {"server_vad", "semantic_vad"}, dict(kinds)


def test_null_and_absent_for_every_nullable_property() -> None:
    wanted = _nullable_properties()
    seen = coverage()
    no_null = sorted(wanted - seen.null)
    no_absent = sorted(wanted - seen.absent)
    assert not no_null, f"no valid sample sets these to null: {no_null}"
    assert not no_absent, f"no valid sample leaves these out: {no_absent}"


def test_every_limit_is_hit_and_exceeded() -> None:
    wanted = _limit_slots()
    assert len(wanted) >= 30
    not_hit = sorted(wanted - coverage().at_bound)
    not_exceeded = sorted(wanted - beyond_bounds())
    assert not not_hit, f"no valid sample sits exactly at these limits: {not_hit}"
    assert not not_exceeded, f"no invalid sample goes beyond these limits: {not_exceeded}"
