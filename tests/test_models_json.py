"""Models as JSON text, ``UNSET`` as a Python value, and readable docstrings (issue 13:
points 9 and 12).

``T.from_json(text)`` / ``obj.to_json()`` sit on top of ``from_dict`` / ``to_dict``:
compact text, keys in schema order, ``null`` and absence kept apart, and text that is
not JSON (or not JSON that a float can hold) refused with ``ValidationError`` as
strictly as the validators refuse data. ``UNSET`` stays one object under ``copy``,
``deepcopy``, ``pickle`` and ``dataclasses.asdict``. Docstrings written inside a class
body are indented as a person writes them, and read the same after
``inspect.cleandoc``.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import inspect
import itertools
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rtschema.generate import generate_package
from rtschema.python.literals import py_docstring

import realtime_schema as rs
from realtime_schema import UNSET, models
from support import ROOT, import_fresh

SAMPLES = ROOT / "schema" / "samples"
DEFS: dict[str, Any] = json.loads((ROOT / "schema" / "realtime.schema.json").read_text("utf-8"))[
    "$defs"
]
GENERATED = ROOT / "generated" / "realtime_schema"

Update = rs.RealtimeClientEventSessionUpdate


def _samples(kind: str) -> list[tuple[str, Path]]:
    return [(path.parts[-3], path) for path in sorted(SAMPLES.glob(f"*/{kind}/*.json"))]


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _update(input_audio: dict[str, Any]) -> str:
    """A GA ``session.update`` whose ``session.audio.input`` is ``input_audio`` (NaN and
    infinities written as Python's ``json`` writes them by default)."""
    session = {"type": "realtime", "audio": {"input": input_audio}}
    return json.dumps({"type": "session.update", "session": session}, separators=(",", ":"))


# --------------------------------------------------------------------------- to_json / from_json


def test_every_valid_sample_round_trips_through_json_text() -> None:
    checked = 0
    for type_name, path in _samples("valid"):
        payload = json.loads(path.read_text("utf-8"))
        value = rs.parse(payload, type_name)
        if not dataclasses.is_dataclass(value):
            continue
        cls = type(value)
        text = value.to_json()
        assert isinstance(text, str), path
        assert json.loads(text) == payload, path
        # Compact, in to_dict's order (the schema's), non-ASCII as itself.
        assert text == _compact(value.to_dict()), path
        assert cls.from_json(text) == value, path
        assert cls.from_json(text.encode("utf-8")) == value, path
        assert cls.from_json(bytearray(text.encode("utf-8"))) == value, path
        # Any JSON layout reads the same.
        assert cls.from_json(json.dumps(payload, indent=2, ensure_ascii=True)) == value, path
        checked += 1
    assert checked >= 200


def test_json_text_keys_come_in_schema_order_then_unknown_ones() -> None:
    checked = 0
    for type_name, path in _samples("valid"):
        declared = list(DEFS[type_name].get("properties", ()))
        cls = getattr(models, type_name, None)
        if not declared or not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
            continue
        payload = json.loads(path.read_text("utf-8"))
        backwards = dict(reversed(payload.items()))
        if DEFS[type_name].get("additionalProperties") is not False:
            backwards = {"zz_unknown": [1, None], **backwards, "aa_unknown": {"b": 2, "a": 1}}
        text = cls.from_json(_compact(backwards)).to_json()
        keys = list(json.loads(text))
        expected = [k for k in declared if k in backwards]
        expected += [k for k in backwards if k not in declared]
        assert keys == expected, path
        checked += 1
    assert checked >= 100


def test_null_and_absent_stay_apart_in_json_text() -> None:
    off = Update.from_json(_update({"turn_detection": None}))
    absent = Update.from_json(_update({}))
    assert off.session.audio.input.turn_detection is None
    assert absent.session.audio.input.turn_detection is UNSET
    assert '"input":{"turn_detection":null}' in off.to_json()
    assert '"input":{}' in absent.to_json()
    assert off != absent


def _case_id(value: Any) -> str:
    """A short id that is the same in every process (no addresses)."""
    if isinstance(value, (str, bytes)):
        return repr(value[-24:]) if len(value) > 24 else repr(value)
    return type(value).__name__


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ('{"type":"session.update",', "json"),
        ("", "json"),
        ("{'type': 'session.update'}", "json"),
        ('{"type":"session.update"} {}', "json"),
        ("\ufeff{}", "json"),  # a byte order mark is not JSON
        (b"\xef\xbb\xbf{}", "json"),
        (b'{"type":"session.update","event_id":"\xff"}', "json"),  # not UTF-8
        ('{"type":"session.update"}'.encode("utf-16"), "json"),  # UTF-8 only
        (_update({"turn_detection": {"type": "server_vad", "threshold": float("nan")}}), "json"),
        (_update({"x": float("inf")}), "json"),
        (_update({"x": float("-inf")}), "json"),
        ('{"type":"session.update","event_id":"e","x":1e400}', "json"),
        ('{"type":"session.update","event_id":"e","x":-1E+999}', "json"),
        ('{"type":"session.update","event_id":"e","x":' + "9" * 5000 + "}", "json"),
        ("[" * 100_000 + "]" * 100_000, "depth"),
        (None, "json"),
        (42, "json"),
        ({"type": "session.update"}, "json"),  # data, not text: that is from_dict
        (memoryview(b"{}"), "json"),
    ],
    ids=_case_id,
)
def test_from_json_refuses_what_is_not_json_with_validation_error(text: Any, keyword: str) -> None:
    with pytest.raises(rs.ValidationError) as caught:
        Update.from_json(text)
    assert [(e.path, e.keyword) for e in caught.value.errors] == [("", keyword)]
    assert caught.value.errors[0].message
    assert isinstance(caught.value, ValueError)


def test_from_json_chains_the_decoder_error_for_its_position() -> None:
    with pytest.raises(rs.ValidationError) as caught:
        Update.from_json('{"type": "session.update",\n  "session": }')
    cause = caught.value.__cause__
    assert isinstance(cause, json.JSONDecodeError)
    assert (cause.lineno, cause.colno) == (2, 14)
    assert "line 2 column 14" in caught.value.errors[0].message


def test_from_json_reports_schema_errors_exactly_as_from_dict() -> None:
    checked = 0
    for type_name, path in _samples("invalid"):
        cls = getattr(models, type_name, None)
        if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
            continue
        payload = json.loads(path.read_text("utf-8"))["payload"]
        with pytest.raises(rs.ValidationError) as from_dict:
            cls.from_dict(payload)
        with pytest.raises(rs.ValidationError) as from_json:
            cls.from_json(json.dumps(payload))
        assert from_json.value.errors == from_dict.value.errors, path
        assert from_json.value.__cause__ is None, path
        checked += 1
    assert checked >= 100


def test_to_json_writes_text_that_encodes_as_utf8() -> None:
    text = "héllo, 世界 😀"
    value = Update.from_json(
        _compact({"type": "session.update", "session": {"type": "realtime", "instructions": text}})
    )
    assert f'"instructions":"{text}"' in value.to_json()
    # A lone surrogate can only come from an escape; it goes back out as one.
    value.session.instructions = "a\\\ud800" + text
    out = value.to_json()
    out.encode("utf-8")
    assert '"instructions":"a\\\\\\ud800' + text + '"' in out
    assert Update.from_json(out) == value
    assert Update.from_json(out.encode("utf-8")) == value


def test_to_json_refuses_values_json_cannot_hold() -> None:
    value = Update.from_json(_update({"turn_detection": {"type": "server_vad"}}))
    value.session.audio.input.turn_detection.threshold = float("nan")
    with pytest.raises(ValueError, match="JSON"):
        value.to_json()
    # from_dict, unlike from_json, reads whatever Python data it is given.
    hand = rs.RealtimeSession.from_dict({"model": "gpt-realtime", "extra": float("inf")})
    with pytest.raises(ValueError, match="JSON"):
        hand.to_json()
    assert rs.RealtimeSession.from_dict({"model": "gpt-realtime"}).to_json() == (
        '{"model":"gpt-realtime"}'
    )


def test_every_class_has_json_text_methods_and_plain_json_dumps_still_refuses() -> None:
    classes = [getattr(models, name) for name in models.__all__]
    classes = [c for c in classes if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) >= 200
    for cls in classes:
        assert callable(cls.from_json) and callable(cls.to_json), cls
        assert not hasattr(cls(**_required(cls)), "__dict__"), cls  # still slotted
    value = Update.from_json(_update({}))
    with pytest.raises(TypeError):
        json.dumps(value)  # documented: use to_json()


def _required(cls: type) -> dict[str, Any]:
    """Keyword arguments for the fields without defaults (any value: nothing checks)."""
    return {
        f.name: None
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }


# --------------------------------------------------------------------------- UNSET


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_unset_is_one_object_under_copy_and_pickle(protocol: int) -> None:
    assert copy.copy(UNSET) is UNSET
    assert copy.deepcopy(UNSET) is UNSET
    assert pickle.loads(pickle.dumps(UNSET, protocol)) is UNSET
    assert copy.deepcopy([UNSET, {"k": UNSET}]) == [UNSET, {"k": UNSET}]
    assert copy.deepcopy([UNSET])[0] is UNSET
    assert not UNSET and repr(UNSET) == "UNSET"


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_models_keep_unset_and_null_through_copy_and_pickle(protocol: int) -> None:
    value = Update.from_json(_update({"turn_detection": None}))
    for other in (
        copy.copy(value),
        copy.deepcopy(value),
        pickle.loads(pickle.dumps(value, protocol)),
    ):
        assert other == value
        assert other.event_id is UNSET
        assert other.session.audio.input.turn_detection is None
        assert other.session.audio.input.noise_reduction is UNSET
        assert other.to_json() == value.to_json()


def test_asdict_is_the_python_view_with_unset_kept() -> None:
    value = rs.RealtimeSession.from_dict(
        {"model": "gpt-realtime", "turn_detection": None, "x-extra": {"a": 1}}
    )
    python = dataclasses.asdict(value)
    assert python["turn_detection"] is None
    assert python["voice"] is UNSET
    assert python["extra_properties"] == {"x-extra": {"a": 1}}
    assert set(python) == {f.name for f in dataclasses.fields(value)}
    # The JSON form is to_dict(): UNSET left out, unknown properties back in place.
    assert value.to_dict() == {"model": "gpt-realtime", "turn_detection": None, "x-extra": {"a": 1}}
    assert UNSET not in value.to_dict().values()


# --------------------------------------------------------------------------- docstrings

#: Text that puts indentation to the test: tabs, blank and whitespace-only lines,
#: indented blocks, form feeds, quotes and backslashes.
DOC_TEXT = st.lists(
    st.sampled_from(
        ["a", "Default: x", " ", "\t", "  ", "\n", "\n", "\n    ", '"', '"""', "\\", "\x0c", "é"]
    )
    | st.text(st.characters(codec="utf-8"), max_size=8),
    max_size=16,
).map("".join)


@given(DOC_TEXT)
def test_indented_docstring_reads_the_same_after_cleandoc(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text.strip("\n"))
    literal = py_docstring(text, "    ")
    if expected.partition("\n")[2].strip():
        lines = literal[3:-3].split("\n")  # the body, without the quotes
        assert all(line.startswith("    ") for line in lines[1:] if line), literal
    else:  # nothing visible after the first line: cleandoc leaves such lines as they are
        assert literal == py_docstring(text)
    source = f"class C:\n    {literal}\n\n    x: int\n    {literal}\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<test>", "exec"), namespace)
    tree = ast.parse(source)
    field_doc = tree.body[0].body[2].value.value  # type: ignore[attr-defined]
    assert inspect.cleandoc(field_doc) == inspect.cleandoc(expected)
    class_doc = namespace["C"].__doc__ or ""
    assert inspect.cleandoc(class_doc) == inspect.cleandoc(expected)
    # Without an indent, the literal holds the text exactly, as before.
    assert ast.literal_eval(py_docstring(text)) == expected


def _docstring_nodes(path: Path) -> list[tuple[int, ast.Constant]]:
    """Every string statement inside a class body, with the body's indentation."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.Expr)
                    and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)
                ):
                    found.append((statement.col_offset, statement.value))
    return found


@pytest.mark.parametrize("modules", ["_models/*.py", "_typeddicts/*.py"])
def test_generated_docstrings_are_indented_like_their_first_line(modules: str) -> None:
    multiline = 0
    paths = sorted(GENERATED.glob(modules))
    assert paths
    for path in paths:
        lines = path.read_text("utf-8").splitlines()
        for indent, node in _docstring_nodes(path):
            assert node.end_lineno is not None
            for number in range(node.lineno + 1, node.end_lineno + 1):
                line = lines[number - 1]
                assert not line or line.startswith(" " * indent), (path.name, number, line)
            multiline += node.end_lineno > node.lineno
    assert multiline >= 50


#: Schema text for docstrings. The class's has no trailing whitespace: ruff's formatter,
#: which the generator runs, strips it from class docstrings (not from field ones).
HOSTILE_DOCS = {
    "Doc": (
        "First line of the class.\n\n\tA tabbed line.\n    An indented block:\n"
        '        x = "\\\\"  # backslashes\n\nDefault: "quoted"\n""" not the end'
    ),
    "to_json": "Named like a method.\n\tTabbed.\n  Two spaces.\n  \n\x0c Form feed.",
    "from_json": 'Also named like one.\n\n    """four spaces"""\n\t',
    "plain": "One line.",
}


@pytest.fixture(scope="module")
def docs_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("models_json")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            "Doc": {
                "type": "object",
                "description": HOSTILE_DOCS["Doc"],
                "additionalProperties": False,
                "required": ["to_json"],
                "properties": {
                    key: {"type": "string", "description": text}
                    for key, text in HOSTILE_DOCS.items()
                    if key != "Doc"
                },
            }
        },
        "$ref": "#/$defs/Doc",
    }
    path = out / "schema.json"
    path.write_text(json.dumps(schema), "utf-8")
    generate_package(str(path), str(out), "models_json_docs")
    return out, import_fresh(out, "models_json_docs")


def test_generated_docstrings_of_schema_text_read_as_written(docs_package: Any) -> None:
    out, package = docs_package
    cls = package.models.Doc
    notes = "\n\nUnknown properties are rejected."
    assert inspect.getdoc(cls) == inspect.cleandoc(HOSTILE_DOCS["Doc"] + notes)
    assert inspect.getdoc(package.typeddicts.Doc) == inspect.getdoc(cls)
    # Fields whose attribute name is not their key say so after their description.
    renamed = {
        "to_json": "\n\nJSON name: ``to_json``.",
        "from_json": "\n\nJSON name: ``from_json``.",
    }
    expected = {
        key: inspect.cleandoc(text + renamed.get(key, ""))
        for key, text in HOSTILE_DOCS.items()
        if key != "Doc"
    }
    # The models of a schema without documentation groups are in one area, "types".
    for module in ("_models/types.py", "_typeddicts/types.py"):
        source = out / "models_json_docs" / module
        tree = ast.parse(source.read_text("utf-8"))
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Doc").body
        docs = {}
        for statement, after in itertools.pairwise(body):
            if isinstance(statement, ast.AnnAssign) and isinstance(after, ast.Expr):
                assert isinstance(statement.target, ast.Name)
                docs[statement.target.id] = inspect.cleandoc(after.value.value)  # type: ignore[attr-defined]
        if module.startswith("_models/"):
            docs = {k.rstrip("_"): v for k, v in docs.items() if k != "extra_properties"}
        assert docs == expected, module
        lines = source.read_text("utf-8").splitlines()
        for indent, node in _docstring_nodes(source):
            assert node.end_lineno is not None
            for number in range(node.lineno + 1, node.end_lineno + 1):
                line = lines[number - 1]
                assert not line or line.startswith(" " * indent), (module, number, line)


def test_fields_named_like_the_json_methods_do_not_hide_them(docs_package: Any) -> None:
    _, package = docs_package
    cls = package.models.Doc
    assert {f.name for f in dataclasses.fields(cls)} == {"to_json_", "from_json_", "plain"}
    text = '{"to_json":"a","from_json":"b","plain":"c"}'
    value = cls.from_json(text)
    assert (value.to_json_, value.from_json_, value.plain) == ("a", "b", "c")
    assert value.to_json() == text
    assert cls.from_json(value.to_json()) == value
    with pytest.raises(package.ValidationError) as caught:
        cls.from_json('{"to_json": 1}')
    assert [(e.path, e.keyword) for e in caught.value.errors] == [("/to_json", "type")]
