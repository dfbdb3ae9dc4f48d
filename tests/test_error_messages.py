"""What the validators say (issue 13: 4, 5, 11): a union names the forms it allows or
reports its closest form's errors, an unknown property gets a "did you mean", counts
agree in number, and a place is written one way everywhere (``#`` and the JSON Pointer;
``#`` alone for the whole payload)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rtschema import cli
from rtschema.generate import generate_packages

import realtime_schema as rs
from reference import reference_for, reference_pointers
from support import import_fresh

SESSION_UPDATE = "RealtimeClientEventSessionUpdate"


def messages(payload: Any, type_name: str | None, api: Any = rs) -> list[str]:
    return [str(error) for error in api.iter_errors(payload, type_name)]


def session(**fields: Any) -> dict[str, Any]:
    return {"type": "session.update", "session": {"type": "realtime", **fields}}


# --------------------------------------------------------------------------- small schemas

#: Schemas written for these tests, each generated as its own package.
SCHEMAS: dict[str, Any] = {
    # Two object forms told apart by nothing but their properties.
    "shapes": {
        "anyOf": [
            {
                "type": "object",
                "properties": {"a": {"type": "integer"}, "c": {"type": "integer"}},
                "required": ["a"],
            },
            {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]},
        ]
    },
    "one": {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
    "scalars": {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["a", "b"]}]},
    "nested": {"anyOf": [{"anyOf": [{"type": "integer"}, {"type": "boolean"}]}, {"type": "null"}]},
    "tagged": {
        "anyOf": [
            {"type": "object", "properties": {"kind": {"const": "x"}}, "required": ["kind"]},
            {"type": "string"},
        ]
    },
    "counts": {
        "type": "object",
        "properties": {
            "s": {"type": "string", "minLength": 1},
            "t": {"type": "string", "maxLength": 1},
            "u": {"type": "string", "minLength": 2},
            "a": {"type": "array", "minItems": 1},
            "b": {"type": "array", "maxItems": 1},
            "c": {"type": "array", "minItems": 2},
            "o": {"type": "object", "minProperties": 1},
            "p": {"type": "object", "maxProperties": 1},
            "q": {"type": "object", "minProperties": 2},
            "i": {"type": "array", "prefixItems": [{}], "items": False},
            "m": {"type": "array", "contains": {"type": "integer"}, "minContains": 2},
            "n": {"type": "array", "contains": {"type": "integer"}, "maxContains": 1},
        },
    },
    "closed": {
        "type": "object",
        "properties": {"voice": {"type": "string"}, "speed": {"type": "number"}},
        "additionalProperties": False,
    },
    "unevaluated": {
        "type": "object",
        "allOf": [{"properties": {"voice": {"type": "string"}}}],
        "properties": {"speed": {"type": "number"}},
        "unevaluatedProperties": False,
    },
    "root": {"type": "object", "properties": {"a": {"type": "integer"}}},
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("messages")
    jobs = []
    for name, schema in SCHEMAS.items():
        path = folder / f"{name}.json"
        path.write_text(
            json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema})
        )
        jobs.append((str(path), f"msg_{name}"))
    out = folder / "out"
    generate_packages(jobs, str(out))
    return {name: import_fresh(out, f"msg_{name}") for name in SCHEMAS}


def details(package: Any, payload: Any) -> list[tuple[str, str, str]]:
    return [(e.path, e.keyword, e.message) for e in package.iter_errors(payload)]


def agrees_with_reference(name: str, package: Any, payload: Any) -> set[str]:
    """Our error places, checked against the reference's (tests/reference.py)."""
    ours = {e.path for e in package.iter_errors(payload)}
    assert ours == reference_pointers(reference_for(SCHEMAS[name]), payload)
    return ours


# --------------------------------------------------------------------------- unions (4)


def test_a_union_of_scalars_names_what_it_allows() -> None:
    payload = session(max_output_tokens=True)
    assert messages(payload, SESSION_UPDATE) == [
        "#/session/max_output_tokens: true is not an integer or 'inf'"
    ]


def test_a_type_error_is_not_repeated_by_its_union() -> None:
    payload = {"type": "session.update", "session": 5}
    assert messages(payload, SESSION_UPDATE) == ["#/session: 5 is not an object"]


def test_a_union_lists_enum_values_and_nested_forms(packages: dict[str, Any]) -> None:
    assert details(packages["scalars"], 1.5) == [
        ("", "oneOf", "1.5 is not an integer or one of 'a', 'b'")
    ]
    assert details(packages["nested"], "x") == [
        ("", "anyOf", "'x' is not an integer, a boolean, or null")
    ]
    assert details(packages["tagged"], 5) == [("", "anyOf", "5 is not an object or a string")]
    assert details(packages["tagged"], {}) == [
        ("", "anyOf", "{} is not an object with 'kind' or a string")
    ]
    assert details(packages["tagged"], {"kind": "y"}) == [
        ("", "anyOf", "an object is not an object whose 'kind' is 'x' or a string")
    ]


def test_the_closest_form_of_a_plain_union_is_reported(packages: dict[str, Any]) -> None:
    """Neither form is ruled out by type or tag: the one whose errors reach deepest into
    the value (jsonschema's best_match) is the one meant; the reference agrees."""
    shapes = packages["shapes"]
    assert details(shapes, {"a": "x"}) == [("/a", "type", "'x' is not an integer")]
    assert details(shapes, {"b": 1}) == [("/b", "type", "1 is not a string")]
    assert agrees_with_reference("shapes", shapes, {"a": "x"}) == {"/a"}
    # As deep, but fewer places wrong: the second form.
    both = {"a": "x", "c": "y", "b": 1}
    assert details(shapes, both) == [("/b", "type", "1 is not a string")]
    assert agrees_with_reference("shapes", shapes, both) == {"/b"}


def test_equally_close_forms_are_all_named(packages: dict[str, Any]) -> None:
    shapes = packages["shapes"]
    assert details(shapes, {}) == [
        (
            "",
            "anyOf",
            "{} does not match any of the allowed forms (the required property 'a' is "
            "missing; or the required property 'b' is missing)",
        )
    ]
    assert details(shapes, {"a": "x", "b": 1}) == [
        (
            "",
            "anyOf",
            "an object does not match any of the allowed forms (#/a: 'x' is not an "
            "integer; or #/b: 1 is not a string)",
        )
    ]
    assert agrees_with_reference("shapes", shapes, {"a": "x", "b": 1}) == {""}


def test_one_of_says_how_many_forms_match(packages: dict[str, Any]) -> None:
    assert details(packages["one"], 3) == [
        ("", "oneOf", "3 matches 2 of the allowed forms; exactly one must match")
    ]


# --------------------------------------------------------------------------- did you mean (5)


def test_a_misspelt_property_gets_a_did_you_mean() -> None:
    payload = session(
        audio={"input": {"turn_detection": {"type": "server_vad", "silence_duraton_ms": 300}}}
    )
    assert messages(payload, SESSION_UPDATE) == [
        "#/session/audio/input/turn_detection: unknown property 'silence_duraton_ms' "
        "(not allowed here; did you mean 'silence_duration_ms'?)"
    ]


def test_did_you_mean_only_when_a_declared_name_is_close(packages: dict[str, Any]) -> None:
    closed = packages["closed"]
    assert details(closed, {"zzz": 1}) == [
        ("", "additionalProperties", "unknown property 'zzz' (not allowed here)")
    ]
    assert details(closed, {"voise": "a", "zzz": 1}) == [
        (
            "",
            "additionalProperties",
            "unknown properties 'voise', 'zzz' (not allowed here; did you mean 'voice' for "
            "'voise'?)",
        )
    ]
    # A name the payload already has is not suggested again.
    assert details(closed, {"voice": "a", "voise": "b"}) == [
        ("", "additionalProperties", "unknown property 'voise' (not allowed here)")
    ]
    assert details(packages["unevaluated"], {"voice": "a", "speed": 1}) == []
    assert details(packages["unevaluated"], {"voise": "a", "sped": 1}) == [
        (
            "",
            "unevaluatedProperties",
            "unknown properties 'voise', 'sped' (not allowed here; did you mean 'voice' for "
            "'voise', 'speed' for 'sped'?)",
        )
    ]


# --------------------------------------------------------------------------- wording (11)


def test_counts_agree_in_number(packages: dict[str, Any]) -> None:
    counts = packages["counts"]
    cases = {
        "s": ("", "'' is shorter than 1 character"),
        "u": ("a", "'a' is shorter than 2 characters"),
        "t": ("ab", "a string of 2 characters is longer than the maximum of 1 character"),
        "a": ([], "[] has fewer than 1 item"),
        "c": ([1], "an array of 1 item has fewer than 2 items"),
        "b": ([1, 2], "an array of 2 items has more than 1 item"),
        "o": ({}, "{} has fewer than 1 property"),
        "q": ({"x": 1}, "an object has fewer than 2 properties"),
        "p": ({"x": 1, "y": 2}, "an object has more than 1 property"),
        "i": ([1, 2], "an array of 2 items has more than the 1 item allowed"),
        "m": ([1, "x"], "an array of 2 items has fewer than 2 items of the required form"),
        "n": ([1, 2], "an array of 2 items has more than 1 item of the required form"),
    }
    for key, (value, message) in cases.items():
        (error,) = counts.iter_errors({key: value})
        assert (error.path, error.message) == (f"/{key}", message), key


def test_a_place_is_written_with_hash_everywhere(
    packages: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``#`` then the JSON Pointer: ``#`` for the whole payload, ``#/a`` inside it;
    ``ErrorDetail.path`` stays the pointer itself (``""`` for the whole payload)."""
    root = packages["root"]
    (error,) = root.iter_errors(5)
    assert error.path == "" and str(error) == "#: 5 is not an object"
    (inner,) = root.iter_errors({"a": "x"})
    assert inner.path == "/a" and str(inner) == "#/a: 'x' is not an integer"
    with pytest.raises(root.ValidationError, match=r"^#: 5 is not an object$"):
        root.validate(5)
    # A key that is empty is "/", not the whole payload.
    assert str(rs.ErrorDetail("/", "type", "x")) == "#/: x"
    # The command line writes the file name, then the same text.
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps(SCHEMAS["root"]))
    bad = tmp_path / "bad.json"
    bad.write_text("5")
    inside = tmp_path / "inside.json"
    inside.write_text('{"a": "x"}')
    assert cli.main(["validate", str(bad), str(inside), "--schema", str(schema)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{bad}{error}", f"{inside}{inner}"]
    assert cli.main(["validate", str(bad), "--schema", str(schema), "--format", "json"]) == 1
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["errors"] == [{"path": "", "keyword": "type", "message": error.message}]


# --------------------------------------------------------------------------- closest_type


def test_closest_type_takes_the_first_type_that_accepts() -> None:
    payload = {"type": "input_audio_buffer.clear"}
    names = (
        "RealtimeBetaClientEventInputAudioBufferClear",
        "RealtimeClientEventInputAudioBufferClear",
    )
    assert rs.closest_type(payload, names) == (names[0], [])
    assert rs.closest_type(payload, names[::-1]) == (names[1], [])


def test_closest_type_prefers_errors_deep_in_the_payload_then_fewer() -> None:
    # A session.update whose audio format is wrong: as a session.update the error is deep
    # inside the session; as an append it is the shape itself (type, audio missing...).
    payload = {
        "type": "session.update",
        "session": {"type": "realtime", "audio": {"input": {"format": {"type": "audio/mp3"}}}},
    }
    update, append = SESSION_UPDATE, "RealtimeClientEventInputAudioBufferAppend"
    for names in ((update, append), (append, update)):
        name, errors = rs.closest_type(payload, names)
        assert name == update and errors == list(rs.iter_errors(payload, update))
        assert errors and all(e.path.startswith("/session/audio/input/format") for e in errors)
    # Equally deep: the fewer errors win, in either order; equally many: the first given.
    payload = {"type": "input_audio_buffer.clear", "event_id": 5}
    clear = "RealtimeClientEventInputAudioBufferClear"
    commit = "RealtimeClientEventInputAudioBufferCommit"
    assert [e.path for e in rs.iter_errors(payload, clear)] == ["/event_id"]
    assert sorted(e.path for e in rs.iter_errors(payload, commit)) == ["/event_id", "/type"]
    assert rs.closest_type(payload, (clear, commit))[0] == clear
    assert rs.closest_type(payload, (commit, clear))[0] == clear
    other = {"type": "input_audio_buffer.clear", "event_id": 5, "x": 1}
    beta = "RealtimeBetaClientEventInputAudioBufferClear"
    assert len(list(rs.iter_errors(other, clear))) == len(list(rs.iter_errors(other, beta)))
    assert rs.closest_type(other, (clear, beta))[0] == clear
    assert rs.closest_type(other, (beta, clear))[0] == beta


def test_closest_type_refuses_no_type_and_unknown_types() -> None:
    with pytest.raises(ValueError, match="at least one"):
        rs.closest_type({}, ())
    with pytest.raises(rs.UnknownTypeError):
        rs.closest_type({}, ("NoSuchType",))
