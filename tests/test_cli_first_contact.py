"""What a new user of the command line hit first (issue 13, points 6, 7, 10 and 11's
``diff``): type names, which type each payload was checked as, where a JSON error is,
and one verdict per schema change.

Each test failed before its fix.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rtschema import cli

import realtime_schema
from support import run_cli as run
from support import write_json

GA_UPDATE = {
    "type": "session.update",
    "session": {"type": "realtime", "instructions": "Be brief."},
}
BETA_UPDATE = {"type": "session.update", "session": {"modalities": ["text"], "temperature": 0.7}}
CREATE = {"type": "response.create"}
DTMF = {
    "type": "input_audio_buffer.dtmf_event_received",
    "event": "5",
    "received_at": 1700000000,
}

#: A small protocol of its own: two interfaces share the tag "ping" and are told apart
#: by "version"; "pong" has one type.
EVENTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$ref": "#/$defs/Event",
    "$defs": {
        "Event": {
            "description": "Any event.",
            "oneOf": [
                {"$ref": "#/$defs/PingV1"},
                {"$ref": "#/$defs/PingV2"},
                {"$ref": "#/$defs/Pong"},
            ],
        },
        "PingV1": {
            "description": "Asks for a pong. The first version.",
            "type": "object",
            "properties": {"type": {"const": "ping"}, "version": {"const": 1}},
            "required": ["type", "version"],
            "additionalProperties": False,
        },
        "PingV2": {
            "description": "Asks for a pong, with a payload.",
            "type": "object",
            "properties": {
                "type": {"const": "ping"},
                "version": {"const": 2},
                "data": {"type": "string"},
            },
            "required": ["type", "version", "data"],
            "additionalProperties": False,
        },
        "Pong": {
            "type": "object",
            "properties": {"type": {"const": "pong"}, "seq": {"$ref": "#/$defs/Seq"}},
            "required": ["type"],
        },
        "Seq": {"description": "A sequence number.", "type": "integer", "minimum": 0},
        "Color": {"enum": ["red", "green"]},
        "Tags": {"type": "array", "items": {"type": "string"}},
        "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "Alias": {"$ref": "#/$defs/Seq"},
    },
}

#: No events at all: a bundle of types.
PLAIN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Pet": {
            "description": "A pet.\nIt has a kind.",
            "type": "object",
            "properties": {"kind": {"enum": ["cat", "dog"]}},
            "required": ["kind"],
        },
        "Name": {"type": ["string", "null"], "maxLength": 10},
    },
}


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("rtschema: error:")]


# ------------------------------------------------------------------ 6. type names


def test_6_unknown_type_points_to_types_and_auto_not_to_a_python_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "p.json", GA_UPDATE)
    code, out, err = run(["validate", "--type", "NothingLikeThis", path], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "unknown type 'NothingLikeThis'" in err
    assert "see TYPES" not in err
    assert "rtschema types" in err and "--type auto" in err


def test_6_unknown_type_suggests_close_event_names_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "p.json", GA_UPDATE)
    code, _, err = run(["validate", "--type", "session.updat", path], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "did you mean session.update" in err


def test_6_unknown_type_of_a_schema_without_events_does_not_offer_auto(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write_json(tmp_path / "pets.json", PLAIN_SCHEMA)
    path = write_json(tmp_path / "p.json", {"kind": "cat"})
    code, _, err = run(["validate", "--schema", schema, "--type", "Dog", path], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "unknown type 'Dog'" in err and "see TYPES" not in err
    assert f"rtschema types --schema {schema}" in err
    assert "--type auto" not in err


def test_6_a_wire_name_of_one_type_checks_as_that_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_json(tmp_path / "good.json", DTMF)
    bad = write_json(tmp_path / "bad.json", dict(DTMF, received_at="now"))
    code, out, err = run(
        ["validate", "--type", "input_audio_buffer.dtmf_event_received", good], capsys
    )
    assert code == 0, err
    assert "checked against RealtimeServerEventInputAudioBufferDtmfEventReceived" in err
    code, out, err = run(
        ["validate", "--type", "input_audio_buffer.dtmf_event_received", bad], capsys
    )
    assert code == 1
    assert out.splitlines()[-1].startswith(f"{bad}#/received_at: ")


def test_6_a_wire_name_shared_by_several_types_picks_one_by_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ga = write_json(tmp_path / "ga.json", GA_UPDATE)
    beta = write_json(tmp_path / "beta.json", BETA_UPDATE)
    code, out, err = run(["validate", "--type", "session.update", "-v", ga, beta], capsys)
    assert code == 0, out + err
    assert out.splitlines() == [
        f"{ga}: valid as RealtimeClientEventSessionUpdate",
        f"{beta}: valid as RealtimeBetaClientEventSessionUpdate",
    ]
    # It says so: which types share the name, and that the shape decides.
    notes = [line for line in err.splitlines() if "'session.update'" in line]
    assert notes, err
    for name in realtime_schema.EVENT_TYPES["session.update"]:
        assert name in notes[0]
    assert "--type auto" in notes[0]
    # An invalid payload says which of them judged it.
    bad = write_json(tmp_path / "bad.json", dict(BETA_UPDATE, session={"temperature": 2.0}))
    code, out, err = run(["validate", "--type", "session.update", bad], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{bad}: invalid as RealtimeBetaClientEventSessionUpdate",
        f"{bad}#/session/temperature: 2.0 is greater than the maximum of 1.2",
    ]


def test_6_a_wire_name_does_not_accept_another_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--type session.update`` on a ``response.create`` is invalid, though ``auto``
    would pass it: the type asked for is the one checked."""
    path = write_json(tmp_path / "create.json", CREATE)
    assert run(["validate", "--type", "auto", path], capsys)[0] == 0
    code, out, _ = run(["validate", "--type", "session.update", path], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}: invalid as ")
    assert lines[0].split(" as ")[1] in realtime_schema.EVENT_TYPES["session.update"]
    assert f"{path}#/type: " in out


def test_6_a_wire_name_with_api_keeps_to_that_interface(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ga = write_json(tmp_path / "ga.json", GA_UPDATE)
    code, out, _ = run(["validate", "--type", "session.update", "--api", "ga", ga], capsys)
    assert code == 0, out
    code, out, err = run(["validate", "--type", "session.update", "--api", "beta", ga], capsys)
    # One type of that name in that interface: it is the type checked, as if named.
    assert code == 1 and out.startswith(f"{ga}#/session: unknown property 'type'")
    assert (
        "checked against RealtimeBetaClientEventSessionUpdate (the 'session.update' event)" in err
    )
    code, _, err = run(["validate", "--type", "conversation.created", "--api", "beta", ga], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "'conversation.created'" in err and "beta" in err


def test_6_wire_names_of_another_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write_json(tmp_path / "events.json", EVENTS_SCHEMA)
    v1 = write_json(tmp_path / "v1.json", {"type": "ping", "version": 1})
    v2 = write_json(tmp_path / "v2.json", {"type": "ping", "version": 2, "data": "x"})
    bad = write_json(tmp_path / "bad.json", {"type": "ping", "version": 2})
    code, out, err = run(["validate", "--schema", schema, "--type", "ping", "-v", v1, v2], capsys)
    assert code == 0, err
    assert out.splitlines() == [f"{v1}: valid as PingV1", f"{v2}: valid as PingV2"]
    code, out, _ = run(["validate", "--schema", schema, "--type", "ping", bad], capsys)
    assert code == 1 and out.splitlines()[0] == f"{bad}: invalid as PingV2"
    # A type's own name wins over a tag value that is spelled the same.
    named = copy.deepcopy(EVENTS_SCHEMA)
    named["$defs"]["pong"] = {"type": "integer"}
    schema = write_json(tmp_path / "named.json", named)
    payload = write_json(tmp_path / "five.json", 5)
    code, _, err = run(["validate", "--schema", schema, "--type", "pong", payload], capsys)
    assert code == 0, err


def _table(out: str) -> dict[str, list[str]]:
    """The rows of ``rtschema types``, by name: the other cells, split on 2+ spaces."""
    import re

    lines = out.splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    assert header[0] == "NAME", lines[0]
    return {row[0]: row[1:] for row in (re.split(r"\s{2,}", line.strip()) for line in lines[1:])}


def test_6_types_lists_the_canonical_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["types"], capsys)
    assert code == 0, err
    header = out.splitlines()[0].split()
    assert header == ["NAME", "KIND", "EVENT", "API", "DESCRIPTION"]
    rows = _table(out)
    assert list(rows) == list(realtime_schema.TYPES)
    kind, event, api, description = rows["RealtimeClientEventSessionUpdate"]
    assert (kind, event, api) == ("object", "session.update", "ga")
    assert description and "\n" not in description
    assert rows["RealtimeBetaClientEventSessionUpdate"][:3] == ["object", "session.update", "beta"]
    assert rows["RealtimeTurnDetection"][:3] == ["union or null", "-", "-"]
    assert rows["RealtimeAudioFormats"][0] == "union"
    # Every event type shows its wire name, as the package's dispatch table has it.
    for tag, names in realtime_schema.EVENT_TYPES.items():
        for name in names:
            assert rows[name][1] == tag, name
    assert f"{len(realtime_schema.TYPES)} types" in err


def test_6_types_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["types", "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["tag"] == "type"
    items = {item["name"]: item for item in report["types"]}
    assert list(items) == list(realtime_schema.TYPES)
    assert items["RealtimeClientEventSessionUpdate"]["event"] == "session.update"
    assert items["RealtimeClientEventSessionUpdate"]["api"] == "ga"
    assert items["RealtimeClientEventSessionUpdate"]["kind"] == "object"
    assert items["RealtimeSession"]["event"] is None
    assert set(items["RealtimeSession"]) == {
        "name",
        "kind",
        "nullable",
        "event",
        "api",
        "description",
    }


def test_6_types_of_another_schema_with_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write_json(tmp_path / "events.json", EVENTS_SCHEMA)
    code, out, err = run(["types", "--schema", schema], capsys)
    assert code == 0, err
    assert out.splitlines()[0].split() == ["NAME", "KIND", "EVENT", "DESCRIPTION"]
    rows = _table(out)
    assert rows == {
        "Event": ["union", "-", "Any event."],
        "PingV1": ["object", "ping", "Asks for a pong."],
        "PingV2": ["object", "ping", "Asks for a pong, with a payload."],
        "Pong": ["object", "pong", "-"],
        "Seq": ["integer", "-", "A sequence number."],
        "Color": ["enum", "-", "-"],
        "Tags": ["array", "-", "-"],
        "Counts": ["map", "-", "-"],
        "Alias": ["alias of Seq", "-", "-"],
    }


def test_6_types_of_a_schema_without_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write_json(tmp_path / "pets.json", PLAIN_SCHEMA)
    code, out, err = run(["types", "--schema", schema], capsys)
    assert code == 0, err
    assert out.splitlines()[0].split() == ["NAME", "KIND", "DESCRIPTION"]
    assert _table(out) == {"Pet": ["object", "A pet."], "Name": ["string or null", "-"]}
    code, out, _ = run(["types", "--schema", schema, "--format", "json"], capsys)
    report = json.loads(out)
    assert report["tag"] is None
    assert report["types"][1] == {
        "name": "Name",
        "kind": "string",
        "nullable": True,
        "event": None,
        "api": None,
        "description": None,
    }


def test_6_types_of_a_broken_schema_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"$defs": {"A": {"$ref": "#/$defs/Nope"}}}', "utf-8")
    code, out, err = run(["types", "--schema", str(broken)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(broken) in err


# ------------------------------------------------------------------ 7. which type, per payload


def test_7_verbose_names_the_type_of_every_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ga = write_json(tmp_path / "ga.json", GA_UPDATE)
    beta = write_json(tmp_path / "beta.json", BETA_UPDATE)
    bad = write_json(tmp_path / "bad.json", dict(BETA_UPDATE, session={"temperature": 2.0}))
    code, out, err = run(["validate", "--type", "auto", "--verbose", ga, beta, bad], capsys)
    assert code == 1
    assert "names each payload's type" not in err  # it just did
    assert out.splitlines() == [
        f"{ga}: valid as RealtimeClientEventSessionUpdate",
        f"{beta}: valid as RealtimeBetaClientEventSessionUpdate",
        f"{bad}: invalid as RealtimeBetaClientEventSessionUpdate",
        f"{bad}#/session/temperature: 2.0 is greater than the maximum of 1.2",
    ]


def test_7_without_verbose_valid_payloads_stay_quiet_and_the_summary_says_how_to_see_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ga = write_json(tmp_path / "ga.json", GA_UPDATE)
    beta = write_json(tmp_path / "beta.json", BETA_UPDATE)
    code, out, err = run(["validate", "--type", "auto", ga, beta], capsys)
    assert code == 0 and out == ""
    assert (
        "checked as: RealtimeBetaClientEventSessionUpdate (1), RealtimeClientEventSessionUpdate (1)"
        in err
    )
    assert err.splitlines()[-1].endswith("; -v names each payload's type")


def test_7_verbose_with_one_type_and_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(GA_UPDATE) + "\n\n" + json.dumps(dict(GA_UPDATE, x=1)) + "\n")
    code, out, _ = run(
        ["validate", "-v", "--type", "RealtimeClientEventSessionUpdate", str(path)], capsys
    )
    assert code == 1
    assert out.splitlines() == [
        f"{path}:1: valid as RealtimeClientEventSessionUpdate",
        f"{path}:3: invalid as RealtimeClientEventSessionUpdate",
        f"{path}:3#: unknown property 'x' (not allowed here)",
    ]


def test_7_verbose_against_the_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write_json(tmp_path / "s.json", {"type": "integer"})
    good, bad = write_json(tmp_path / "g.json", 1), write_json(tmp_path / "b.json", "a")
    code, out, _ = run(["validate", "-v", "--schema", schema, good, bad], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{good}: valid against the schema's root",
        f"{bad}: invalid against the schema's root",
        f"{bad}#: 'a' is not an integer",
    ]


# ------------------------------------------------------------------ 10. where a JSON error is


def test_10_json_lines_errors_give_the_column_in_the_files_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(CREATE) + "\n{broken\n" + '{"a": 1\n' + "   [1,,2]\n")
    code, _, err = run(["validate", "--type", "auto", str(path)], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"rtschema: error: {path}:2:2: invalid JSON: Expecting property name enclosed in double quotes",
        f"rtschema: error: {path}:3:8: invalid JSON: Expecting ',' delimiter",
        f"rtschema: error: {path}:4:7: invalid JSON: Expecting value",
    ]


def test_10_a_json_file_error_has_the_same_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "type": "session.update",\n  "session": {,}\n}\n')
    code, _, err = run(["validate", "--type", "auto", str(path)], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"rtschema: error: {path}:3:15: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_10_two_documents_on_two_lines_hint_at_jsonl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(CREATE) + "\n" + json.dumps(GA_UPDATE) + "\n"
    path = tmp_path / "events.json"
    path.write_text(text)
    code, _, err = run(["validate", "--type", "auto", str(path)], capsys)
    assert code == 2
    (line,) = error_lines(err)
    assert line.startswith(f"rtschema: error: {path}:2:1: invalid JSON: ")
    assert "--jsonl" in line
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, _, err = run(["validate", "--type", "auto", "-"], capsys)
    assert code == 2
    (line,) = error_lines(err)
    assert line.startswith("rtschema: error: <stdin>:2:1: ") and "--jsonl" in line
    # and with --jsonl they are read
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, _, err = run(["validate", "--type", "auto", "--jsonl", "-"], capsys)
    assert code == 0, err


def test_10_extra_data_on_the_same_line_is_not_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.json"
    path.write_text("{} {}\n")
    code, _, err = run(["validate", str(path), "--type", "RealtimeSession"], capsys)
    assert code == 2
    (line,) = error_lines(err)
    assert line.startswith(f"rtschema: error: {path}:1:4: invalid JSON: ")
    assert "--jsonl" not in line


def test_10_an_empty_file_or_input_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty, blank = tmp_path / "empty.json", tmp_path / "blank.json"
    empty.write_text("")
    blank.write_text("\n  \n")
    code, _, err = run(["validate", "--type", "auto", str(empty), str(blank)], capsys)
    assert code == 2
    assert error_lines(err) == [
        f"rtschema: error: {empty}:1:1: invalid JSON: no JSON document (the input is empty or blank)",
        f"rtschema: error: {blank}:3:1: invalid JSON: no JSON document (the input is empty or blank)",
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run(["validate", "-"], capsys)
    assert code == 2
    assert error_lines(err) == [
        "rtschema: error: <stdin>:1:1: invalid JSON: no JSON document (the input is empty or blank)"
    ]


# ------------------------------------------------------------------ 11. diff: one verdict per change


PETS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Pet": {
            "type": "object",
            "properties": {"kind": {"enum": ["cat", "dog"]}, "name": {"type": "string"}},
            "required": ["kind"],
            "additionalProperties": False,
        },
        "Owner": {
            "type": "object",
            "properties": {"pets": {"type": "array"}, "since": {"type": "string"}},
        },
        "Shared": {"type": "string", "maxLength": 5},
        "Request": {
            "type": "object",
            "properties": {"s": {"$ref": "#/$defs/Shared"}},
            "additionalProperties": False,
        },
        "Response": {"type": "object", "properties": {"s": {"$ref": "#/$defs/Shared"}}},
    },
}


def _diff(tmp_path: Path, change: Any, *extra: str) -> tuple[int, str, str]:
    new = copy.deepcopy(PETS)
    change(new["$defs"])
    old_path = write_json(tmp_path / "old.json", PETS)
    new_path = write_json(tmp_path / "new.json", new)
    code = cli.main(["diff", old_path, new_path, *extra])
    return code, old_path, new_path


def test_11_a_change_that_breaks_no_side_the_type_serves_is_only_compatible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _diff(tmp_path, lambda d: d["Pet"]["properties"]["kind"]["enum"].append("fish"))
    out = capsys.readouterr().out
    assert code == 0
    (line,) = [x for x in out.splitlines() if "Pet.kind" in x]
    assert line == 'compatible             Pet.kind: value "fish" added [request]'
    assert out.splitlines()[1:] == [line, "0 breaking, 1 compatible"]


def test_11_a_breaking_change_names_the_side_it_breaks_in_its_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _diff(tmp_path, lambda d: d["Owner"]["properties"].pop("since"))
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKING for readers   Owner.since: field removed [response]" in out.splitlines()
    code, _, _ = _diff(tmp_path, lambda d: d["Pet"]["required"].append("name"))
    out = capsys.readouterr().out
    assert code == 1
    assert "BREAKING for senders   Pet.name: now required [request]" in out.splitlines()
    code, _, _ = _diff(tmp_path, lambda d: d["Shared"].__setitem__("type", "integer"))
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "BREAKING for senders and readers Shared: type changed: string -> integer [both]"
        in out.splitlines()
    )
    assert out.rstrip().endswith("1 breaking, 0 compatible")


def test_11_diff_json_lists_the_sides_a_change_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(defs: dict[str, Any]) -> None:
        defs["Pet"]["properties"]["kind"]["enum"].append("fish")
        defs["Owner"]["properties"].pop("since")

    code, _, _ = _diff(tmp_path, change, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by_where = {(c["type"], c["path"]): c for c in report["changes"]}
    assert by_where["Pet", "kind"]["breaks"] == [] and not by_where["Pet", "kind"]["breaking"]
    assert by_where["Owner", "since"]["breaks"] == ["readers"]


def test_11_changelog_bullets_have_one_verdict_too() -> None:
    from rtschema.evolution import diff

    changes = [
        diff.Change("Pet", "kind", 'value "fish" added', False, True, "request"),
        diff.Change("Owner", "since", "field removed", False, True, "response"),
        diff.Change("Shared", "", "type removed", True, True, "request"),
    ]
    assert diff.render_markdown(changes).splitlines() == [
        "- **Breaking** for readers: `Owner.since`: field removed.",
        "- **Breaking** for senders: `Shared`: type removed.",
        '- Compatible: `Pet.kind`: value "fish" added.',
    ]
