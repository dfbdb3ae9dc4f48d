"""The private names of generated validators read as what they check: a function is
named after its whole schema location, a constant after the place or the text it holds,
and no name is cut short or numbered to tell it from another (``Foo_2``, ``_ENUM__``)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from rtschema.generate import generate_package

from support import ROOT, import_fresh, tagged_object

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: A name with a number or underscores at its end, to be told apart from another.
_SUFFIX = re.compile(r"(_\d+|_+)$")


def _numbered(names: set[str]) -> list[str]:
    """The names that are another name plus ``_2``, ``_3``, ... or ``_``, ``__``, ..."""
    return sorted(n for n in names if (m := _SUFFIX.search(n)) and n[: m.start()] in names)


def _module_names(folder: Path) -> dict[str, list[str]]:
    """The module-level names (functions, constants) of every validators module."""
    names: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        found = []
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef):
                found.append(statement.name)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                found += [t.id for t in targets if isinstance(t, ast.Name)]
        names[path.name] = found
    return names


def test_no_name_in_the_realtime_validators_is_numbered_or_cut() -> None:
    names = _module_names(ROOT / "generated" / "realtime_schema" / "_validators")
    everything = {n for found in names.values() for n in found}
    assert not _numbered(everything)
    # Before, names were cut at 40 characters and then numbered; now only a constant
    # named after a pattern's text ends in a number (the pattern's).
    assert not [n for n in everything if re.search(r"_\d+$", n) and not n.startswith("_RE_")]
    # A second dispatch by role, for the items whose type is "message", says so.
    assert "_TAGS_RealtimeConversationItemParam_message" in everything
    # The longest event name, and the three that share its first 40 characters.
    for event in ("Completed", "Delta", "Failed", "Segment"):
        assert f"_v_RealtimeServerEventConversationItemInputAudioTranscription{event}" in everything


def _generate(tmp_path: Path, defs: dict[str, Any]) -> tuple[Any, dict[str, list[str]]]:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"$schema": DRAFT, "$defs": defs}), "utf-8")
    generate_package(str(path), str(tmp_path), "names")
    return import_fresh(tmp_path, "names"), _module_names(tmp_path / "names" / "_validators")


def test_names_come_from_whole_locations_and_from_what_constants_hold(tmp_path: Path) -> None:
    long = "AVeryLongTypeNameThatSharesItsFirstFortyCharacters"
    item = {"type": "string", "enum": ["x", "y"]}
    defs = {
        f"{long}One": {
            "type": "object",
            "properties": {
                "first": {"enum": ["a", "b", 1]},
                "second": {"enum": ["c", "d", 2]},
                "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
            },
        },
        f"{long}Two": {"type": "array", "items": item},
        "Tagged": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"kind": {"const": k}, "n": {"type": "integer"}},
                    "required": ["kind", "n"],
                }
                for k in ("p", "q")
            ]
        },
    }
    package, names = _generate(tmp_path, defs)
    everything = {n for found in names.values() for n in found}
    assert not _numbered(everything)
    assert {f"_v_{long}One", f"_v_{long}Two"} <= everything
    assert {f"_ENUM_{long}One_first", f"_ENUM_{long}One_second"} <= everything
    assert {"_RE_A_Z_3", "_RE_0_9_5"} <= everything
    assert "_TAG_NAMES_kind" in everything
    # The names are only names: the checks still hold.
    assert package.is_valid({"first": 1, "code": "ABC", "zip": "12345"}, f"{long}One")
    assert not package.is_valid({"second": "a"}, f"{long}One")
    assert not package.is_valid({"zip": "1234"}, f"{long}One")
    assert not package.is_valid({"kind": "p"}, "Tagged")


def test_two_dispatch_tables_never_share_a_name(tmp_path: Path) -> None:
    # U's second lookup, for the tag "message", and the table of the union named
    # U_message would both be _TAGS_U_message: each keeps its own entries.
    leaves = {
        f"M_{role}": {
            **tagged_object("message", role={"const": role}),
            "required": ["type", "role"],
        }
        for role in ("system", "user")
    }
    leaves |= {f"L{i}": tagged_object(f"t{i}") for i in range(4)}
    others = {f"K{i}": tagged_object(f"k{i}", n={"type": "integer"}) for i in range(4)}
    defs = {
        **leaves,
        **others,
        "U": {"anyOf": [{"$ref": f"#/$defs/{k}"} for k in leaves]},
        "U_message": {"anyOf": [{"$ref": f"#/$defs/{k}"} for k in others]},
    }
    package, names = _generate(tmp_path, defs)
    assert package.is_valid({"type": "message", "role": "user"}, "U")
    assert not package.is_valid({"type": "message", "role": "k1"}, "U")
    assert package.is_valid({"type": "k1", "n": 1}, "U_message")
    assert not package.is_valid({"type": "k1", "n": "1"}, "U_message")
    assert not package.is_valid({"type": "message", "role": "user"}, "U_message")
    everything = {n for found in names.values() for n in found}
    assert {"_TAGS_U_message", "_TAGS_U_message_"} <= everything


def test_variant_classes_are_named_after_the_property_that_tells_them_apart(
    tmp_path: Path, capsys: Any
) -> None:
    def variant(**constants: str) -> dict[str, Any]:
        properties = {k: {"const": v} for k, v in constants.items()}
        return {"type": "object", "properties": {**properties, "n": {"type": "integer"}}}

    defs = {
        # no "type": the one constant that differs in every variant, "kind"
        "Shape": {
            "oneOf": [variant(version="1", kind="circle"), variant(version="1", kind="square")]
        },
        # "type" first, when it tells the variants apart
        "Event": {"anyOf": [variant(kind="x", type="start"), variant(kind="y", type="stop")]},
    }
    package, _ = _generate(tmp_path, defs)
    classes = {name for name in dir(package.models) if not name.startswith("_")}
    assert {"ShapeCircle", "ShapeSquare", "EventStart", "EventStop"} <= classes
    assert "rtschema: warning" not in capsys.readouterr().err
    shape = package.parse({"version": "1", "kind": "square", "n": 2}, "Shape")
    assert type(shape).__name__ == "ShapeSquare" and shape.n == 2
