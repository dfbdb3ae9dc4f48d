"""The whole Realtime protocol: the API reference's own example payloads, event dispatch
across the GA, beta and translation interfaces, and the edits the API rejects.

The examples (``../shared/upstream/openai-openapi-2.3.0-realtime-examples.json``) are
not part of the project: without them the tests that read them are skipped and say
so; ``RTSCHEMA_REQUIRE_UPSTREAM=1`` (set by ``.ci/run``) turns the skip into a failure.
Three examples are wrong in the reference itself; :data:`REFERENCE_ERRORS` says how
each is read, and why (see also ``schema/CHANGES.md``).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from rtschema import cli

import realtime_schema
from support import ROOT

EXAMPLES = ROOT.parent / "shared" / "upstream" / "openai-openapi-2.3.0-realtime-examples.json"
REQUIRED = os.environ.get("RTSCHEMA_REQUIRE_UPSTREAM") == "1"


def _examples() -> list[tuple[str, int, Any]]:
    if not EXAMPLES.is_file():
        return []
    data = json.loads(EXAMPLES.read_text("utf-8"))["examples"]
    return [
        (name, index, payload)
        for name, payloads in data.items()
        for index, payload in enumerate(payloads)
    ]


EXAMPLE_CASES = _examples()


def needs_examples() -> None:
    if EXAMPLE_CASES:
        return
    message = f"optional: the reference's example payloads are not at {EXAMPLES}"
    if REQUIRED:
        pytest.fail(message + " (RTSCHEMA_REQUIRE_UPSTREAM=1)")
    pytest.skip(message)


def _fix_dtmf(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "RealtimeServerEventInputAudioBufferDtmfEventReceived", {
        **payload,
        "type": payload["type"].strip(),
    }


def _fix_retrieved(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    fixed = {k: v for k, v in payload.items() if k != "previous_item_id"}
    return "RealtimeBetaServerEventConversationItemRetrieved", {
        **fixed,
        "type": "conversation.item.retrieved",
    }


def _as_response(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "RealtimeSessionCreateResponse", payload


#: Examples the reference gets wrong, and how each is read instead (the schema is not
#: loosened for them). The dtmf example's ``type`` starts with a space; the beta
#: ``conversation.item.retrieved`` example is a copy of the ``created`` one (its type
#: and ``previous_item_id``); the ``RealtimeSessionCreateRequest`` example is the
#: session the server returns (``id``, ``object``, ``expires_at``, ``client_secret``),
#: so it is checked as the response (a request that sends ``id`` is rejected).
REFERENCE_ERRORS = {
    "RealtimeServerEventInputAudioBufferDtmfEventReceived": _fix_dtmf,
    "RealtimeBetaServerEventConversationItemRetrieved": _fix_retrieved,
    "RealtimeSessionCreateRequest": _as_response,
}


def _read(name: str, payload: Any) -> tuple[str, Any]:
    fix = REFERENCE_ERRORS.get(name)
    return fix(copy.deepcopy(payload)) if fix else (name, payload)


def _is_event(payload: Any) -> bool:
    tag = payload.get("type") if isinstance(payload, dict) else None
    return isinstance(tag, str) and tag in realtime_schema.EVENT_TYPES


def test_the_reference_errors_are_written_down() -> None:
    """Every example read differently is explained in the layer (and so in CHANGES.md)."""
    import yaml

    bundle = yaml.safe_load((ROOT / "schema" / "layer" / "bundle.yaml").read_text("utf-8"))
    assert set(bundle["reference_examples"]) == set(REFERENCE_ERRORS)
    changes = (ROOT / "schema" / "CHANGES.md").read_text("utf-8")
    assert all(f"### `{name}`" in changes for name in REFERENCE_ERRORS)


def test_the_reference_errors_are_still_errors() -> None:
    """Each example read differently is still wrong as written: when upstream fixes
    one, its entry in REFERENCE_ERRORS must go."""
    needs_examples()
    for name, _, payload in EXAMPLE_CASES:
        if name in REFERENCE_ERRORS:
            assert not realtime_schema.is_valid(payload, name), name


@pytest.mark.parametrize(("name", "index"), [(n, i) for n, i, _ in EXAMPLE_CASES] or [("-", 0)])
def test_every_reference_example_validates_as_its_type(name: str, index: int) -> None:
    needs_examples()
    payload = next(p for n, i, p in EXAMPLE_CASES if (n, i) == (name, index))
    type_name, payload = _read(name, payload)
    realtime_schema.validate(payload, type_name)
    # ... and round-trips through the dataclasses without loss
    assert realtime_schema.parse(payload, type_name).to_dict() == payload


def test_every_reference_event_example_validates_through_dispatch() -> None:
    needs_examples()
    events = [(n, _read(n, p)) for n, _, p in EXAMPLE_CASES if _is_event(_read(n, p)[1])]
    assert len(events) >= 110
    for name, (type_name, payload) in events:
        chosen = realtime_schema.validate_event(payload)
        # Same shape as the type's own (GA and beta twins share most events): the
        # chosen type must accept it too, and belong to a union that holds the tag.
        assert payload["type"] in realtime_schema.EVENT_TYPES
        assert chosen in realtime_schema.EVENT_TYPES[payload["type"]], (name, chosen)
        if type_name.startswith("RealtimeTranslation") or "Beta" in type_name:
            api = "translation" if type_name.startswith("RealtimeTranslation") else "beta"
            if type_name in realtime_schema.EVENT_APIS[api]:
                assert realtime_schema.validate_event(payload, api) == type_name


def test_the_cli_accepts_every_reference_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs_examples()
    lines = []
    for name, _, payload in EXAMPLE_CASES:
        type_name, payload = _read(name, payload)
        if _is_event(payload):
            lines.append(json.dumps(payload))
    stream = tmp_path / "events.jsonl"
    stream.write_text("\n".join(lines) + "\n", "utf-8")
    result = _cli(["validate", "--type", "auto", str(stream)], capsys)
    assert result.code == 0, result.out + result.err
    assert f"{len(lines)} payloads checked against the event types: {len(lines)} valid" in (
        result.err
    )
    for name, _, payload in EXAMPLE_CASES[:3]:
        type_name, payload = _read(name, payload)
        one = tmp_path / "one.json"
        one.write_text(json.dumps(payload), "utf-8")
        result = _cli(["validate", "--type", type_name, str(one)], capsys)
        assert result.code == 0, result.out + result.err


class _Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> _Run:
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return _Run(code, out, err)


def _client_events() -> list[tuple[str, dict[str, Any]]]:
    return [
        (n, p)
        for n, _, p in EXAMPLE_CASES
        if "ClientEvent" in n and isinstance(p, dict) and isinstance(p.get("type"), str)
    ]


def test_edits_the_api_rejects_are_rejected() -> None:
    """An unknown event type, a wrong-typed field and a misspelt key in a client event."""
    needs_examples()
    checked = 0
    for name, payload in _client_events():
        unknown = {**payload, "type": payload["type"] + "s"}
        assert not realtime_schema.is_valid_event(unknown), name
        misspelt = {**payload, "evnt_id": "event_1"}
        assert not realtime_schema.is_valid(misspelt, name), name
        assert not realtime_schema.is_valid_event(misspelt), name
        for key, value in payload.items():
            if key != "type" and isinstance(value, str):
                wrong = {**payload, key: 12}
                assert not realtime_schema.is_valid(wrong, name), (name, key)
                assert not realtime_schema.is_valid_event(wrong), (name, key)
        checked += 1
    assert checked >= 25


# --------------------------------------------------------------------------- dispatch

GA_CREATED: dict[str, Any] = {
    "type": "session.created",
    "event_id": "event_1",
    "session": {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_1",
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "audio": {
            "input": {"turn_detection": {"type": "server_vad"}},
            "output": {"voice": "marin"},
        },
    },
}


def _with(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    *parents, last = path.split("/")
    target = out
    for key in parents:
        target = target[key]
    target[last] = value
    return out


def test_a_ga_event_is_judged_by_the_ga_type() -> None:
    assert realtime_schema.validate_event(GA_CREATED) == "RealtimeServerEventSessionCreated"
    # The beta session is open: it would let these through; the GA type does not.
    for path, value in (
        ("session/audio/output/voice", 5),
        ("session/audio/input/turn_detection", {"type": "magic_vad"}),
    ):
        bad = _with(GA_CREATED, path, value)
        assert realtime_schema.is_valid(bad, "RealtimeBetaServerEventSessionCreated")
        assert not realtime_schema.is_valid_event(bad)
        with pytest.raises(realtime_schema.ValidationError) as caught:
            realtime_schema.validate_event(bad)
        assert caught.value.type_name == "RealtimeServerEventSessionCreated"
    bad = _with(GA_CREATED, "session/audio/input/turn_detection", {"type": "magic_vad"})
    with pytest.raises(realtime_schema.ValidationError) as caught:
        realtime_schema.validate_event(bad)
    (error,) = caught.value.errors
    assert error.path == "/session/audio/input/turn_detection/type"
    assert "'server_vad', 'semantic_vad'" in error.message


def test_shape_decides_between_interfaces() -> None:
    beta = {"type": "session.update", "session": {"modalities": ["text"], "voice": "alloy"}}
    assert realtime_schema.validate_event(beta) == "RealtimeBetaClientEventSessionUpdate"
    translation = {"type": "session.update", "session": {"audio": {"output": {"language": "es"}}}}
    assert (
        realtime_schema.validate_event(translation) == "RealtimeTranslationClientEventSessionUpdate"
    )
    ga = {"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"]}}
    assert realtime_schema.validate_event(ga) == "RealtimeClientEventSessionUpdate"
    translated = _with(GA_CREATED, "session/type", "translation")
    with pytest.raises(realtime_schema.ValidationError) as caught:
        realtime_schema.validate_event(translated)
    assert caught.value.type_name == "RealtimeTranslationServerEventSessionCreated"


def test_a_missing_session_type_is_named() -> None:
    """A GA session.update without ``session.type``: the error says what GA needs."""
    update = {
        "type": "session.update",
        "session": {"output_modalities": ["text"], "audio": {"output": {"voice": "marin"}}},
    }
    with pytest.raises(realtime_schema.ValidationError) as caught:
        realtime_schema.validate_event(update)
    (error,) = caught.value.errors
    assert error.path == "/session"
    assert "'type' is missing" in error.message
    assert "'realtime' or 'transcription'" in error.message
    assert "must match exactly one" not in str(caught.value)
    wrong = _with(update, "session/type", "realtim")
    with pytest.raises(realtime_schema.ValidationError) as caught:
        realtime_schema.validate_event(wrong)
    (error,) = caught.value.errors
    assert error.path == "/session/type"
    assert "'realtime', 'transcription'" in error.message


def test_api_restricts_dispatch() -> None:
    beta = {"type": "session.update", "session": {"modalities": ["text"]}}
    assert realtime_schema.validate_event(beta, "beta") == "RealtimeBetaClientEventSessionUpdate"
    assert realtime_schema.event_type(beta) == "RealtimeBetaClientEventSessionUpdate"
    assert not realtime_schema.is_valid_event(beta, "ga")
    assert realtime_schema.event_type(beta, "ga") is None
    delta = {"type": "session.output_audio.delta", "delta": "AAAA", "event_id": "event_1"}
    assert not realtime_schema.is_valid_event(delta, "ga")
    with pytest.raises(ValueError, match="unknown api"):
        realtime_schema.validate_event(beta, "gamma")
    assert set(realtime_schema.EVENT_APIS) == {"ga", "beta", "translation"}


def test_semantic_vad_in_a_transcription_session_update() -> None:
    """The agents SDKs send it; openai-python's types allow it."""
    event = {
        "type": "transcription_session.update",
        "session": {"turn_detection": {"type": "semantic_vad", "eagerness": "low"}},
    }
    assert realtime_schema.is_valid(event, "RealtimeClientEventTranscriptionSessionUpdate")
    assert realtime_schema.is_valid_event(event)


def test_ga_output_holds_one_modality() -> None:
    create = {"type": "response.create", "response": {"output_modalities": ["text", "audio"]}}
    with pytest.raises(realtime_schema.ValidationError) as caught:
        realtime_schema.validate(create, "RealtimeClientEventResponseCreate")
    assert [e.path for e in caught.value.errors] == ["/response/output_modalities"]
    assert realtime_schema.is_valid(
        {"type": "response.create", "response": {"output_modalities": ["audio"]}},
        "RealtimeClientEventResponseCreate",
    )


def test_cli_says_which_type_was_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_with(GA_CREATED, "session/audio/output/voice", 5)), "utf-8")
    result = _cli(["validate", "--type", "auto", str(bad)], capsys)
    assert result.code == 1
    assert f"{bad}: invalid as RealtimeServerEventSessionCreated" in result.out
    assert "checked as: RealtimeServerEventSessionCreated (1)" in result.err
    result = _cli(["validate", "--type", "auto", "--api", "x", str(bad)], capsys)
    assert result.code == 2
    assert "unknown --api 'x'; known: beta, ga, translation" in result.err
