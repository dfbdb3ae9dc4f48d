"""The shape of the fast path (``_v_*``, what ``is_valid`` runs): the rewrites that make
it cheaper per payload, each with the verdicts it must keep (the reference validator's)."""

from __future__ import annotations

import inspect
import json
from collections import Counter, OrderedDict, defaultdict
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from rtschema.generate import compile_schema, generate_package
from rtschema.validation import plan as p

from reference import reference_validator
from support import import_fresh, tagged_object

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_PACKAGES = count()


def _schema_file(tmp_path: Path, defs: dict[str, Any]) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"$schema": DRAFT, "$defs": defs}), "utf-8")
    return path


def _package(tmp_path: Path, defs: dict[str, Any]) -> Any:
    name = f"fast_path_{next(_PACKAGES)}"
    generate_package(str(_schema_file(tmp_path, defs)), str(tmp_path), name)
    return import_fresh(tmp_path, name)


def _union_check(tmp_path: Path, defs: dict[str, Any], name: str) -> p.AnyOf:
    node = compile_schema(str(_schema_file(tmp_path, defs))).validators.named[name]
    (check,) = [c for c in node.checks if isinstance(c, p.AnyOf)]
    return check


def _agrees(package: Any, path: Path, name: str, payloads: list[Any]) -> None:
    """``is_valid`` gives jsonschema's verdict on every payload."""
    reference = reference_validator(str(path), name)
    for payload in payloads:
        expected = reference.is_valid(payload)
        assert package.is_valid(payload, name) is expected, payload


def _source(function: Any) -> str:
    """A generated function's source on one line (whatever the formatter wrapped)."""
    return " ".join(inspect.getsource(function).split())


# --------------------------------------------------------------------------- properties


def test_an_optional_property_is_a_containment_test(tmp_path: Path) -> None:
    defs = {
        "T": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a"],
        }
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    assert '"b" in x' in source and 'x["b"]' in source
    assert 'x.get("b"' not in source
    payloads: list[Any] = [
        {"a": "x"},
        {"a": "x", "b": 1},
        {"a": "x", "b": "1"},
        {"a": "x", "b": None},
        {"b": 1},
        {"a": 1},
        {},
        [],
        None,
    ]
    _agrees(package, tmp_path / "schema.json", "T", payloads)


# --------------------------------------------------------------------------- unions of unions

A = {"oneOf": [{"$ref": "#/$defs/X1"}, {"$ref": "#/$defs/X2"}]}
B = {"anyOf": [{"$ref": "#/$defs/Y1"}, {"$ref": "#/$defs/Y3"}]}
LEAVES = {
    "X1": tagged_object("x", n={"type": "integer"}),
    "X2": tagged_object("y"),
    "Y1": tagged_object("x", n={"type": "string"}),
    "Y3": tagged_object("z", m={"type": "boolean"}),
}


def test_a_union_of_tagged_unions_is_dispatched_once_over_their_branches(
    tmp_path: Path,
) -> None:
    defs = {
        **LEAVES,
        "A": A,
        "B": B,
        "U": {"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]},
    }
    check = _union_check(tmp_path, defs, "U")
    assert check.tag == "type"
    assert check.tags == ["x", "y", "x", "z"]
    names = [n.location.pointer for n in check.tagged]
    assert names == ["/$defs/X1", "/$defs/X2", "/$defs/Y1", "/$defs/Y3"]
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_U)
    assert "_v_A(" not in source and "_v_B(" not in source
    payloads: list[Any] = [
        {"type": "x", "n": 1},
        {"type": "x", "n": "1"},
        {"type": "x", "n": None},
        {"type": "y"},
        {"type": "z", "m": True},
        {"type": "z", "m": 1},
        {"type": "w"},
        {"type": ["x"]},
        {"type": 1},
        {},
        "x",
    ]
    _agrees(package, tmp_path / "schema.json", "U", payloads)


def test_a_tagged_object_beside_tagged_unions_is_one_more_branch(tmp_path: Path) -> None:
    """``anyOf: [a tagged union, an object with a tag of its own]`` (a conversation item
    or a reference to one) dispatches once over all the objects."""
    defs = {
        **LEAVES,
        "A": A,
        "R": tagged_object("ref", id={"type": "string"}),
        "U": {"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/R"}]},
        "V": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "object"}]},  # no tag: not flattened
    }
    check = _union_check(tmp_path, defs, "U")
    assert check.tag == "type" and check.tags == ["x", "y", "ref"]
    assert _union_check(tmp_path, defs, "V").tag is None
    package = _package(tmp_path, defs)
    assert "_v_A(" not in _source(package._validators.types._v_U)
    payloads: list[Any] = [
        {"type": "ref", "id": "a"},
        {"type": "ref", "id": 1},
        {"type": "ref"},
        {"type": "x", "n": 1},
        {"type": "x", "id": "a"},
        {"type": "y"},
        {"type": "w"},
        {},
        [],
    ]
    _agrees(package, tmp_path / "schema.json", "U", payloads)
    _agrees(package, tmp_path / "schema.json", "V", payloads)


def test_many_tag_values_with_several_branches_use_a_table_of_functions(tmp_path: Path) -> None:
    leaves = {f"L{i}": tagged_object(f"t{i}", n={"type": "integer"}) for i in range(5)}
    leaves |= {f"M{i}": tagged_object(f"t{i}", n={"type": "string"}) for i in range(3)}
    defs = {
        **leaves,
        "A": {"oneOf": [{"$ref": f"#/$defs/L{i}"} for i in range(5)]},
        "B": {"anyOf": [{"$ref": f"#/$defs/M{i}"} for i in range(3)]},
        "U": {"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]},
    }
    package = _package(tmp_path, defs)
    module = package._validators.types
    table = module._TAGS_U
    # A value that selects one branch calls it; one that selects several, a function
    # trying each in turn (named after the value).
    assert table["t4"] is module._v_L4
    assert table["t0"] is module._any_U_T0
    assert _source(module._any_U_T0).endswith("return _v_L0(x) or _v_M0(x)")
    assert "for f in" not in _source(module._v_U)
    payloads: list[Any] = [
        {"type": f"t{i}", "n": n} for i in range(6) for n in (1, "1", None, True)
    ] + [{"type": None}, {"type": {}}, {"n": 1}, [], 0]
    _agrees(package, tmp_path / "schema.json", "U", payloads)


def test_a_second_constant_property_picks_among_the_branches_of_one_tag(
    tmp_path: Path,
) -> None:
    """Messages share ``type: "message"`` and differ by ``role``: a second lookup on
    ``role`` finds the one branch to try, instead of trying each in turn."""
    role = {"type": "object", "required": ["type", "role"]}
    leaves = {
        f"M_{r}": dict(role, properties={"type": {"const": "message"}, "role": {"const": r}})
        for r in ("system", "user", "assistant")
    }
    leaves["M_user2"] = dict(
        role,
        properties={
            "type": {"const": "message"},
            "role": {"const": "user"},
            "n": {"type": "integer"},
        },
    )
    leaves |= {f"L{i}": tagged_object(f"t{i}", n={"type": "integer"}) for i in range(4)}
    defs = {**leaves, "U": {"anyOf": [{"$ref": f"#/$defs/{k}"} for k in leaves]}}
    package = _package(tmp_path, defs)
    module = package._validators.types
    roles = module._TAGS_U_message  # the second lookup of the tag "message"
    assert roles == {
        "system": module._v_M_system,
        "user": module._any_U_MessageUser,
        "assistant": module._v_M_assistant,
    }
    assert _source(module._any_U_MessageUser).endswith("return _v_M_user(x) or _v_M_user2(x)")
    assert "message" not in module._TAGS_U
    payloads: list[Any] = [
        {"type": "message", "role": role, "n": n}
        for role in ("system", "user", "assistant", "tool", None, ["user"], {"a": 1})
        for n in (1, "1")
    ] + [{"type": "message"}, {"type": "t1", "n": 1}, {"type": ["message"]}, {"role": "user"}, []]
    _agrees(package, tmp_path / "schema.json", "U", payloads)


@pytest.mark.parametrize(
    ("inner", "why"),
    [
        # A oneOf that a value can pass twice: "exactly one" is not "any".
        ({"oneOf": [{"$ref": "#/$defs/X1"}, {"$ref": "#/$defs/X1b"}]}, "not exclusive"),
        # Tagged by another property.
        (
            {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"kind": {"const": "a"}},
                        "required": ["kind"],
                    },
                    {
                        "type": "object",
                        "properties": {"kind": {"const": "b"}},
                        "required": ["kind"],
                    },
                ]
            },
            "another tag",
        ),
        # Checks beside the union.
        ({"anyOf": [{"$ref": "#/$defs/X1"}, {"$ref": "#/$defs/X2"}], "maxProperties": 2}, "more"),
    ],
)
def test_unions_that_do_not_reduce_to_their_branches_are_not_flattened(
    tmp_path: Path, inner: dict[str, Any], why: str
) -> None:
    x1b = tagged_object("x", n={"type": "number"})
    defs = {**LEAVES, "X1b": x1b, "A": inner, "B": B}
    defs["U"] = {"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}
    assert _union_check(tmp_path, defs, "U").tag is None, why
    package = _package(tmp_path, defs)
    payloads: list[Any] = [
        {"type": "x", "n": 1},
        {"type": "x", "n": 1.5},
        {"type": "x", "n": "1"},
        {"type": "y", "a": 1},
        {"type": "z", "m": True},
        {"kind": "a"},
        {"kind": "b", "type": "x", "n": []},
    ]
    _agrees(package, tmp_path / "schema.json", "U", payloads)


def test_a_tagged_union_table_names_the_branch_targets_not_their_aliases(
    tmp_path: Path,
) -> None:
    defs = {f"L{i}": tagged_object(f"t{i}") for i in range(5)}
    defs["U"] = {"oneOf": [{"$ref": f"#/$defs/L{i}"} for i in range(5)]}
    package = _package(tmp_path, defs)
    assert package._validators.types._TAGS_U["t3"] is package._validators.types._v_L3


# --------------------------------------------------------------------------- cheap tests first


def test_number_tests_call_no_helper_on_other_json_types(tmp_path: Path) -> None:
    defs = {
        "I": {"type": ["integer", "null"], "minimum": 0},
        "N": {"type": ["number", "boolean"]},
        "C": {"const": 24000},
        "F": {"const": 0.5},
    }
    package = _package(tmp_path, defs)
    validators = package._validators.types
    source = _source(validators._v_I)
    # null first; the helper only for ints and floats that are not exactly int
    assert source.index("x is None") < source.index("type(x) is int")
    assert "isinstance(x, (int, float)) and _is_integer(x)" in source
    assert "isinstance(x, (int, float)) and _is_number(x)" in _source(validators._v_N)
    assert "type(x) is int and x == 24000 or _json_equal(x, 24000)" in _source(validators._v_C)
    assert "type(x) is float and x == 0.5" in _source(validators._v_F)
    values: list[Any] = [None, True, False, 0, 1, -1, 1.0, 1.5, -0.5, 0.5, 24000, 24000.0]
    values += ["1", "", [], {}, [1], {"a": 1}, 10**20, 1e20]  # (not NaN: not JSON)
    for name in defs:
        _agrees(package, tmp_path / "schema.json", name, values)


def test_the_constant_properties_a_branch_requires_are_checked_first(tmp_path: Path) -> None:
    defs = {
        "M": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "status": {"enum": ["a", "b"]},
                "role": {"const": "system"},
                "kind": {"const": "message"},
                "note": {"const": "optional, so not first"},
            },
            "required": ["kind", "role", "id"],
        }
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_M)
    order = [source.index(f'"{name}"') for name in ("role", "kind", "id", "status", "note")]
    assert order == sorted(order)
    payloads: list[Any] = [
        {"id": "1", "role": "system", "kind": "message"},
        {"id": "1", "role": "user", "kind": "message"},
        {"id": 1, "role": "system", "kind": "message"},
        {"role": "system", "kind": "message"},
        {"id": "1", "role": "system", "kind": "message", "note": "x"},
        {"id": "1", "role": "system", "kind": "message", "status": "c"},
    ]
    _agrees(package, tmp_path / "schema.json", "M", payloads)


# --------------------------------------------------------------------------- plain objects


def _object(required: list[str] | None = None, closed: bool = False, **properties: Any) -> Any:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def test_plain_objects_are_checked_in_their_parents_function(tmp_path: Path) -> None:
    deepest = _object(["z"], z={"type": "integer"})
    defs = {
        "D": _object(["c"], closed=True, c=_object(d=deepest), e={"type": "string"}),
        "T": _object(
            ["a"],
            a=_object(["b"], closed=True, b={"type": "string"}, n={"type": ["integer", "null"]}),
            d={"$ref": "#/$defs/D"},
            open={**_object(x={"type": "boolean"}), "propertyNames": {"maxLength": 3}},
            u={"anyOf": [{"type": "string"}, _object(q={"type": "string"})]},
        ),
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    # a and D are written in place (D through its alias), two levels deep; the third
    # level is a call, and so are objects with other keywords.
    assert 'v = x["a"]' in source and 'v1 = v["n"]' in source
    assert "_v_D(" not in source and 'v1 = v.get("c")' in source
    assert "len(v) != known_v" in source  # D is closed: its keys are counted
    assert '"d" in v1' in source and "_v_D_c_d(v2)" in source
    assert "_v_T_open(v)" in source
    payloads: list[Any] = [
        {"a": {"b": "x"}},
        {"a": {"b": "x", "n": None}},
        {"a": {"b": "x", "n": 1.5}},
        {"a": {"b": 1}},
        {"a": {}},
        {"a": {"b": "x", "other": 1}},
        {"a": []},
        {"a": None},
        {},
        {"a": {"b": "x"}, "d": {"c": {}}},
        {"a": {"b": "x"}, "d": {"c": {"d": {"z": 1}}, "e": "s"}},
        {"a": {"b": "x"}, "d": {"c": {"d": {"z": "1"}}}},
        {"a": {"b": "x"}, "d": {"c": {"d": {}}}},
        {"a": {"b": "x"}, "d": {"c": {"d": []}}},
        {"a": {"b": "x"}, "d": {"c": []}},
        {"a": {"b": "x"}, "d": {"c": {}, "f": 1}},
        {"a": {"b": "x"}, "d": {"e": "s"}},
        {"a": {"b": "x"}, "d": "s"},
        {"a": {"b": "x"}, "open": {"x": True, "y": 1}},
        {"a": {"b": "x"}, "open": {"toolong": 1}},
        {"a": {"b": "x"}, "open": {"x": 1}},
        {"a": {"b": "x"}, "u": "s"},
        {"a": {"b": "x"}, "u": {"q": "s"}},
        {"a": {"b": "x"}, "u": {"q": 1}},
    ]
    _agrees(package, tmp_path / "schema.json", "T", payloads)


def test_closed_objects_count_the_properties_they_find(tmp_path: Path) -> None:
    """``additionalProperties: false`` beside ``properties``: an object has no other key
    when it has as many keys as properties found; properties with any schema (``true``)
    count too, required or not; a property that may not appear (``false``) fails first."""
    defs = {
        "C": {
            **_object(
                ["id", "any"],
                closed=True,
                id={"type": "string"},
                any=True,
                maybe=True,
                never=False,
                n={"type": ["integer", "null"]},
                inner=_object(["k"], closed=True, k={"type": "integer"}, j=True),
            ),
        },
        # A required name that is no property: no object fits, nothing to count.
        "R": _object(["id", "ghost"], closed=True, id={"type": "string"}),
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_C)
    assert "known = 2" in source and "return len(x) == known" in source
    assert "issuperset" not in source
    assert "issuperset" in _source(package._validators.types._v_R)
    base = {"id": "1", "any": [1]}
    payloads: list[Any] = [
        base,
        {"id": "1"},
        {"any": None},
        {**base, "maybe": {}},
        {**base, "other": 1},
        {**base, "maybe": 1, "other": 1},
        {**base, "never": 1},
        {**base, "n": None},
        {**base, "n": 1, "maybe": 2},
        {**base, "n": "1"},
        {**base, "inner": {"k": 1}},
        {**base, "inner": {"k": 1, "j": None}},
        {**base, "inner": {"k": 1, "x": None}},
        {**base, "inner": {"j": None, "x": None}},
        {**base, "inner": {}},
        {**base, "inner": None},
        [],
        "id",
    ]
    _agrees(package, tmp_path / "schema.json", "C", payloads)
    _agrees(package, tmp_path / "schema.json", "R", [{"id": "1"}, {"id": "1", "ghost": 1}, {}])


def test_plain_arrays_and_nullable_plain_schemas_are_checked_in_place(tmp_path: Path) -> None:
    item = _object(["id"], closed=True, id={"type": "string"})
    defs = {
        "T": _object(
            tags={"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2},
            items={"type": "array", "items": item},
            maybe={**_object(n={"type": "integer"}), "type": ["object", "null"]},
            numbers={"type": ["array", "null"], "items": {"type": "integer"}, "minItems": 1},
            # minItems says nothing of objects
            sized={**_object(n={"type": "integer"}), "minItems": 3, "minProperties": 1},
        ),
        "L": {"type": "array", "items": item},
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    assert "for v1 in v:" in source and "len(v) > 2" in source
    assert 'v2 = v1.get("id")' in source
    assert "if v is not None:" in source
    assert "_v_T_" not in source
    assert 'v1 = v.get("id")' in _source(package._validators.types._v_L)
    payloads: list[Any] = [
        {},
        {"tags": []},
        {"tags": ["a", "b"]},
        {"tags": ["a", "b", "a"]},
        {"tags": ["c"]},
        {"tags": "a"},
        {"items": [{"id": "1"}, {"id": "2"}]},
        {"items": [{"id": "1"}, {"id": 2}]},
        {"items": [{"id": "1", "x": 1}]},
        {"items": [{}]},
        {"items": [None]},
        {"items": {}},
        {"maybe": None},
        {"maybe": {}},
        {"maybe": {"n": 1}},
        {"maybe": {"n": "1"}},
        {"maybe": []},
        {"numbers": None},
        {"numbers": []},
        {"numbers": [1, 2]},
        {"numbers": [1, "2"]},
        {"numbers": {}},
        {"sized": {"n": 1}},
        {"sized": {}},
        {"sized": {"n": 1.5}},
        {"sized": []},
    ]
    _agrees(package, tmp_path / "schema.json", "T", payloads)
    lists: list[Any] = [[], [{"id": "1"}], [{"id": 1}], [{}], [[]], {}, None]
    _agrees(package, tmp_path / "schema.json", "L", lists)


def test_a_required_property_that_rejects_null_is_read_without_a_sentinel(
    tmp_path: Path,
) -> None:
    # Without "type": "object" (other values pass), required values are read with get.
    properties = {
        "s": {"type": "string"},
        "c": {"const": 0},
        "e": {"enum": ["a", 1]},
        "alias": {"$ref": "#/$defs/S"},
        "n": {"type": ["string", "null"]},
        "any": {"minLength": 1},
    }
    defs = {
        "S": {"type": "string"},
        "T": {"properties": properties, "required": list(properties)},
    }
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    for name in ("s", "c", "e", "alias"):
        assert f'v = x.get("{name}")' in source
    for name in ("n", "any"):
        assert f'v = x.get("{name}", _MISSING)' in source
    good = {"s": "x", "c": 0, "e": 1, "alias": "y", "n": None, "any": 5}
    payloads: list[Any] = [good, {**good, "n": "z", "any": None}, "not an object", 5]
    for name in good:
        payloads += [{k: v for k, v in good.items() if k != name}, {**good, name: None}]
    _agrees(package, tmp_path / "schema.json", "T", payloads)


def test_an_object_reads_its_required_properties_by_key(tmp_path: Path) -> None:
    # "type": "object": x["k"], a missing key caught as KeyError; dict subclasses are
    # checked as a plain copy (a defaultdict or a Counter would answer a missing key).
    properties = {
        "s": {"type": "string"},
        "c": {"const": 0},
        "n": {"type": ["string", "null"]},
        "any": {"minLength": 1},
        "inner": _object(["k"], k={"type": "integer"}),
        "o": {"type": "integer"},
    }
    required = ["s", "c", "n", "any", "inner"]
    defs = {"T": _object(required, closed=True, **properties)}
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    for name in required:
        assert f'v = x["{name}"]' in source
    assert "except KeyError: return False" in source
    assert "_MISSING" not in source and 'x.get("' not in source
    good = {"s": "x", "c": 0, "n": None, "any": 5, "inner": {"k": 1}}
    payloads: list[Any] = [good, {**good, "o": 1}, {**good, "o": "1"}, {**good, "x": 1}, [], None]
    for name in required:
        payloads += [{k: v for k, v in good.items() if k != name}, {**good, name: None}]
    payloads.append({**good, "inner": {}})
    _agrees(package, tmp_path / "schema.json", "T", payloads)
    for payload in payloads:
        if not isinstance(payload, dict):
            continue
        expected = package.is_valid(payload, "T")
        for kind in (lambda d: defaultdict(int, d), Counter, OrderedDict):
            other = kind(payload)
            before = dict(other)
            assert package.is_valid(other, "T") is expected, (kind, payload)
            assert package.validator_for("T").is_valid(other) is expected
            assert dict(other) == before  # nothing added by a lookup


def test_a_string_constant_needs_no_type_test(tmp_path: Path) -> None:
    defs = {"T": _object(["t"], t={"type": "string", "const": "a"}, u={"enum": ["b"]})}
    package = _package(tmp_path, defs)
    source = _source(package._validators.types._v_T)
    assert 'v != "a"' in source and 'v != "b"' in source
    assert "isinstance(v, str)" not in source
    payloads: list[Any] = [{"t": "a"}, {"t": "a", "u": "b"}, {"t": "b"}, {"t": "a", "u": "a"}]
    payloads += [{"t": value} for value in (None, 0, 1.5, True, [], ["a"], {}, {"a": "a"})]
    payloads += [{"t": "a", "u": value} for value in (None, 0, [], ["b"], {"b": 1})]
    _agrees(package, tmp_path / "schema.json", "T", payloads)


def test_a_tagged_union_of_objects_tests_the_type_once(tmp_path: Path) -> None:
    defs = {
        "U": {"type": "object", "oneOf": [tagged_object("a"), tagged_object("b")]},
        "V": {"oneOf": [tagged_object("a"), tagged_object("b")]},
    }
    package = _package(tmp_path, defs)
    assert _source(package._validators.types._v_U).count("isinstance(x, dict)") == 1
    assert _source(package._validators.types._v_V).count("isinstance(x, dict)") == 1
    payloads: list[Any] = [{"type": "a"}, {"type": "b"}, {"type": "c"}, {}, [], "a", None]
    for name in defs:
        _agrees(package, tmp_path / "schema.json", name, payloads)
