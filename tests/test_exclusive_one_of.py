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
