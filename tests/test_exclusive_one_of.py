"""``oneOf`` whose branches no value can pass twice is checked as ``anyOf`` on the fast
path (it stops at the first branch that passes). The proof must never be wrong: a
``oneOf`` called exclusive that is not would accept a value passing two branches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rtschema.generate import compile_schema
from rtschema.validation import plan as p


def one_of(tmp_path: Path, branches: list[object], defs: dict[str, object] | None = None) -> bool:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {**(defs or {}), "T": {"oneOf": branches}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(schema))
    compiled = compile_schema(str(path))
    node = compiled.validators.named["T"]
    (check,) = [c for c in node.checks if isinstance(c, p.OneOf)]
    return check.exclusive


OBJ_A = {"type": "object", "properties": {"type": {"const": "a"}}, "required": ["type"]}
OBJ_B = {"type": "object", "properties": {"type": {"const": "b"}}, "required": ["type"]}


@pytest.mark.parametrize(
    ("branches", "exclusive"),
    [
        ([{"type": "string"}, {"type": "integer"}], True),
        ([{"type": "integer"}, {"type": "number"}], False),
        ([{"type": "integer", "minimum": 5}, {"type": "integer", "maximum": 3}], False),
        ([{"enum": ["a", "b"]}, {"const": "c"}], True),
        ([{"enum": ["a", "b"]}, {"enum": ["b", "c"]}], False),
        ([{"enum": ["a"]}, {"type": "string"}], False),
        ([{"const": "auto"}, OBJ_A, OBJ_B], True),
        ([OBJ_A, OBJ_A], False),
        ([OBJ_A, {"type": "object"}], False),
        ([{"type": ["string", "null"]}, {"type": "null"}], False),
        ([{"type": ["string", "null"]}, {"type": "object"}], True),
        ([{"$ref": "#/$defs/S"}, {"type": "number"}], True),
        ([{"$ref": "#/$defs/S"}, {"pattern": "x"}], False),
        ([{"allOf": [{"type": "string"}]}, {"type": "array"}], True),
        ([{"anyOf": [{"type": "string"}]}, {"type": "string"}], False),
        ([{"anyOf": [{"type": "string"}]}, {"type": "array"}], False),
        ([{"const": 1}, {"const": 2}], False),
        ([{"const": 1}, {"type": "string"}], True),
        ([False, {"type": "string"}], True),
        ([{"not": {"type": "string"}}, {"type": "string"}], False),
    ],
)
def test_exclusive_only_when_no_value_passes_two_branches(
    branches: list[object], exclusive: bool, tmp_path: Path
) -> None:
    assert one_of(tmp_path, branches, {"S": {"type": "string"}}) is exclusive


def test_a_recursive_type_is_read_through_its_reference(tmp_path: Path) -> None:
    defs = {"R": {"type": "object", "properties": {"next": {"$ref": "#/$defs/R"}}}}
    assert one_of(tmp_path, [{"$ref": "#/$defs/R"}, {"type": "string"}], defs) is True
    assert one_of(tmp_path, [{"$ref": "#/$defs/R"}, {"type": "object"}], defs) is False


def test_a_dispatched_union_still_checks_the_other_keywords_of_its_schema(tmp_path: Path) -> None:
    """Found while speeding up unions: the dispatch table returned the branch's verdict
    at once, skipping a ``not`` beside the ``oneOf``."""
    import importlib
    import sys

    from rtschema.generate import generate_package

    def branch(tag: str) -> dict[str, object]:
        properties = {"type": {"const": tag}, "id": {"type": "string"}}
        return {"type": "object", "properties": properties, "required": ["type", "id"]}

    union = {"oneOf": [branch(t) for t in "abcde"], "not": {"required": ["bad"]}}
    alone = {"oneOf": [branch(t) for t in "abcde"]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"$defs": {"U": union, "Alone": alone}}))
    generate_package(str(path), str(tmp_path / "out"), "dispatched")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        package = importlib.import_module("dispatched")
        for name in ("U", "Alone"):
            assert package.is_valid({"type": "a", "id": "1"}, name)
            assert not package.is_valid({"type": "a"}, name)  # the branch's own verdict
            assert not package.is_valid({"type": "z", "id": "1"}, name)
            assert not package.is_valid({"type": ["a"], "id": "1"}, name)
            assert not package.is_valid(["a"], name)
        assert not package.is_valid({"type": "a", "id": "1", "bad": 1}, "U")
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "dispatched"]:
            del sys.modules[name]


def test_any_of_drops_parts_another_part_absorbs() -> None:
    """``y or (y and z)`` is ``y``: an open enum (any string, or one of these) is one test."""
    from rtschema.validation.emit import code as c

    y, z, w = c.Atom("isinstance(v, str)"), c.Atom("v in _E"), c.Atom("v is None")
    assert c.any_of([y, c.all_of([y, z])]) == y
    assert c.any_of([c.all_of([y, z]), w, y]) == c.any_of([w, y])
    assert c.any_of([y, y]) == y
    kept = c.any_of([c.all_of([y, z]), w])
    assert isinstance(kept, c.Or) and len(kept.items) == 2
