"""Identical validator functions are written once (``validation.share``): the GA and
beta forms of a type, a definition copied under two names. Every name still works (the
others are aliases), calls and dispatch tables name the one kept, string literals are
never renamed, and sharing adds no import between area modules."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rtschema.generate import compile_schema, generate_package
from rtschema.validation.emit import Function, Table
from rtschema.validation.share import STRING, share_identical

from reference import reference_validator
from support import ROOT, import_fresh

SCHEMA_FILE = ROOT / "schema" / "realtime.schema.json"
UPSTREAM = ROOT.parent / "shared" / "upstream" / "openai-openapi-2.3.0-schemas.json"


def _fn(name: str, *body: str, calls: set[str] | None = None) -> Function:
    return Function(name, "x: Any", "bool", list(body), calls or set())


def _tries(name: str, *names: str) -> Function:
    body = "return " + " or ".join(f"{n}(x)" for n in names)
    return Function(name, "x: Any", "bool", [body], set(names), owner="_v_U", tries=names)


def test_twins_become_aliases_until_nothing_changes() -> None:
    functions = [
        _fn("_v_A", "return isinstance(x, str)"),
        _fn("_v_B", "return isinstance(x, str)"),
        # C and D differ only in the twin they call: the same once B is A.
        _fn("_v_C", "return _v_A(x)", calls={"_v_A"}),
        _fn("_v_D", "return _v_B(x)", calls={"_v_B"}),
        # A literal spelled like a function is text, never renamed.
        _fn("_v_E", 'return x.get("_v_B") is None or _v_B(x)', calls={"_v_B"}),
        # The same text in another module is left alone.
        _fn("_v_F", "return isinstance(x, str)"),
        # G and H use two tables that are the same once B is A: one table, one function.
        _fn("_v_G", "return _TAGS_G.get(x) is not None", calls={"_TAGS_G"}),
        _fn("_v_H", "return _TAGS_H.get(x) is not None", calls={"_TAGS_H"}),
        # Helpers that try functions in turn try a twin once; one that is left with one
        # function is that function (no alias of it is written).
        _tries("_any_U_a", "_v_A", "_v_B"),
        _tries("_any_U_c", "_v_D", "_v_C", "_v_B"),
    ]
    tables = [
        Table(
            "_TAGS_A",
            [('"a"', "_any_U_a"), ('"c"', "_any_U_c")],
            {"_any_U_a", "_any_U_c"},
        ),
        Table("_ONE", [('"b"', "_v_B")], {"_v_B"}),
        Table("_TAGS_G", [('"a"', "_v_A")], {"_v_A"}),
        Table("_TAGS_H", [('"a"', "_v_B")], {"_v_B"}),
    ]
    part = {"_v_F": "other"}
    shared, renamed = share_identical(functions, tables, lambda name: part.get(name, "here"))
    by_name = {fn.name: fn for fn in shared}
    assert [fn.name for fn in shared] == [
        *("_v_A", "_v_B", "_v_C", "_v_D", "_v_E", "_v_F", "_v_G", "_v_H", "_any_U_c")
    ]
    assert by_name["_v_B"].alias == "_v_A" and by_name["_v_B"].calls == {"_v_A"}
    assert by_name["_v_D"].alias == "_v_C" and by_name["_v_D"].body == []
    assert by_name["_v_E"].body == ['return x.get("_v_B") is None or _v_A(x)']
    assert by_name["_v_E"].calls == {"_v_A"}
    assert by_name["_v_A"].alias is None and by_name["_v_F"].alias is None
    # Tables name the kept functions; helpers try each once, in the order given.
    assert renamed[0].entries == [('"a"', "_v_A"), ('"c"', "_any_U_c")]
    assert by_name["_any_U_c"].body == ["return _v_C(x) or _v_A(x)"]
    assert by_name["_any_U_c"].tries == ("_v_C", "_v_A")
    assert by_name["_any_U_c"].calls == {"_v_C", "_v_A"}
    assert renamed[0].calls == {"_v_A", "_any_U_c"} and renamed[1].entries == [('"b"', "_v_A")]
    assert [t.name for t in renamed] == ["_TAGS_A", "_ONE", "_TAGS_G"]
    assert by_name["_v_H"].alias == "_v_G"


def test_nothing_alike_changes_nothing() -> None:
    functions = [_fn("_v_A", "return x is None"), _fn("_e_A", "return x is None")]
    functions.append(_tries("_any_U_n", "_v_A", "_e_A"))
    tables = [Table("_DYNAMIC_V_A", [("1", "_v_A")]), Table("_N", [('"n"', "_any_U_n")])]
    shared, same = share_identical(functions, tables, lambda name: "here")
    assert shared == functions  # two forms of one location are never the same function
    assert same == tables


TWIN = {
    "type": "object",
    "properties": {
        "type": {"const": "item"},
        "_v_Item": {"type": "string"},  # a property spelled like a function
        "n": {"type": "integer", "minimum": 0},
    },
    "required": ["type"],
    "additionalProperties": False,
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Item": TWIN,
        "BetaItem": json.loads(json.dumps(TWIN)),
        "Other": {**TWIN, "properties": {**TWIN["properties"], "type": {"const": "other"}}},
        "Event": {
            "anyOf": [
                {"$ref": "#/$defs/Item"},
                {"$ref": "#/$defs/BetaItem"},
                {"$ref": "#/$defs/Other"},
                {
                    "type": "object",
                    "properties": {"type": {"const": "x"}},
                    "required": ["type"],
                },
                {
                    "type": "object",
                    "properties": {"type": {"const": "y"}},
                    "required": ["type"],
                },
            ]
        },
    },
}


def test_a_generated_package_writes_twins_once_and_keeps_their_verdicts(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SCHEMA), "utf-8")
    generate_package(str(schema), str(tmp_path / "out"), "twins")
    module = import_fresh(tmp_path / "out", "twins")
    code = "".join(p.read_text("utf-8") for p in (tmp_path / "out" / "twins").rglob("*.py"))
    assert "_v_BetaItem = _v_Item" in code and "_e_BetaItem = _e_Item" in code
    assert code.count('"_v_Item"') >= 2  # the literal key stays as the schema spells it
    payloads: list[Any] = [
        {"type": "item"},
        {"type": "item", "_v_Item": "s", "n": 1},
        {"type": "item", "_v_Item": 1},
        {"type": "item", "_v_BetaItem": "s"},
        {"type": "item", "n": -1},
        {"type": "other", "n": 1},
        {"type": "x"},
        {"type": "z"},
        {},
        [],
    ]
    for name in ("Item", "BetaItem", "Other", "Event"):
        reference = reference_validator(str(schema), name)
        for payload in payloads:
            expected = reference.is_valid(payload)
            assert module.is_valid(payload, name) is expected, (name, payload)
            assert module.validator_for(name).is_valid(payload) is expected, (name, payload)
            assert (not list(module.iter_errors(payload, name))) is expected, (name, payload)


def test_the_realtime_twins_are_one_function() -> None:
    """The GA and beta ``input`` items of response.create (the duplicate the review
    found) are one function now, and the event union tries a twin once."""
    from realtime_schema._validators import events, responses

    assert (
        responses._v_RealtimeBetaResponseCreateParams_input_items
        is responses._v_RealtimeResponseCreateParams_input_items
    )
    # conversation.item.create: the GA and beta events are twins, called directly.
    create = events._TAGS_RealtimeEvent["conversation.item.create"]
    assert create.__name__.startswith("_v_")
    for function in set(events._TAGS_RealtimeEvent.values()):
        if function.__name__.startswith("_any_"):
            tried = re.findall(r"(_v_\w+)\(x\)", inspect.getsource(function))
            assert len(tried) > 1 and len(set(tried)) == len(tried), tried


_PRIVATE_CALLABLE = re.compile(r"_(?:v|e|j|any)_\w+|_(?:TAGS|DYNAMIC)\w*")


@pytest.mark.parametrize("schema", [SCHEMA_FILE, UPSTREAM], ids=["canonical", "upstream"])
def test_calls_name_every_function_and_table_a_body_uses(schema: Path) -> None:
    """Sharing renames (and imports follow) only what ``calls`` lists: every generated
    function or table named in a body, outside string literals, must be in it."""
    if not schema.is_file():
        pytest.skip(f"not found: {schema}")
    module = compile_schema(str(schema)).validators.module()
    defined = {fn.name for fn in module.functions} | {t.name for t in module.tables}
    checked = 0
    for fn in module.functions:
        text = STRING.sub('""', "\n".join(fn.body))
        used = {name for name in _PRIVATE_CALLABLE.findall(text) if name in defined}
        assert used <= fn.calls, (fn.name, used - fn.calls)
        checked += bool(used)
    for table in module.tables:
        used = {name for _, value in table.entries for name in _PRIVATE_CALLABLE.findall(value)}
        assert used <= table.calls, (table.name, used - table.calls)
    assert checked > 100
