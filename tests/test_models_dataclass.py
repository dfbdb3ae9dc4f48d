"""The generated model classes are written out in full (``__slots__`` and a keyword-only
``__init__``) instead of being made by ``@dataclass`` at import, and still behave as the
dataclasses they replace, to people and to the :mod:`dataclasses` module."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import pickle
import subprocess
import sys

import pytest

import realtime_schema as rs
from support import ROOT


def event() -> rs.RealtimeClientEventSessionUpdate:
    session = rs.RealtimeSessionCreateRequestGA(type="realtime", instructions="hi", tools=[])
    return rs.RealtimeClientEventSessionUpdate(session=session)


def test_init_is_keyword_only_with_unset_and_tag_defaults() -> None:
    e = event()
    assert e.type == "session.update"
    assert e.event_id is rs.UNSET
    parameters = inspect.signature(rs.RealtimeClientEventSessionUpdate).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert parameters["session"].default is inspect.Parameter.empty
    with pytest.raises(TypeError):
        rs.RealtimeClientEventSessionUpdate()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        rs.RealtimeClientEventSessionUpdate(session=e.session, colour="red")  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        e.colour = "red"  # type: ignore[attr-defined]  # slots: no stray attributes


def test_repr_eq_and_hash_are_a_dataclasss() -> None:
    e = event()
    assert repr(e).startswith(
        "RealtimeClientEventSessionUpdate(event_id=UNSET, type='session.update', "
        "session=RealtimeSessionCreateRequestGA(type='realtime', "
    )
    assert e == event()
    assert e != dataclasses.replace(e, event_id="x")
    assert e != e.to_dict()
    with pytest.raises(TypeError):
        hash(e)


def test_the_dataclasses_module_sees_dataclasses() -> None:
    e = event()
    assert dataclasses.is_dataclass(e) and dataclasses.is_dataclass(type(e))
    assert [f.name for f in dataclasses.fields(e)] == ["event_id", "type", "session"]
    assert dataclasses.fields(e)[0].default is rs.UNSET
    assert dataclasses.fields(e)[1].default == "session.update"
    assert dataclasses.fields(e)[2].default is dataclasses.MISSING
    assert dataclasses.asdict(e)["session"]["instructions"] == "hi"
    changed = dataclasses.replace(e, event_id="evt_1")
    assert changed.event_id == "evt_1" and changed.session == e.session
    sample = sorted(
        (ROOT / "schema/samples/RealtimeServerEventSessionCreated/valid").glob("*.json")
    )
    payload = json.loads(sample[0].read_text("utf-8"))
    payload["session"]["x-new"] = 1  # kept: a response type is open
    opened = rs.RealtimeServerEventSessionCreated.from_dict(payload)
    assert opened.session.extra_properties == {"x-new": 1}
    assert "extra_properties" in [f.name for f in dataclasses.fields(opened.session)]
    assert dataclasses.replace(opened).to_dict() == opened.to_dict()


def test_copy_and_pickle_keep_every_field() -> None:
    e = rs.RealtimeClientEventSessionUpdate.from_dict(
        {"type": "session.update", "session": {"type": "realtime", "tools": [], "prompt": None}}
    )
    for other in (copy.copy(e), copy.deepcopy(e), pickle.loads(pickle.dumps(e))):
        assert other == e
        assert other.to_dict() == e.to_dict()


def test_importing_the_models_runs_no_dataclass_machinery() -> None:
    code = (
        "import sys, realtime_schema as rs\n"
        "rs.RealtimeServerEventSessionCreated\n"
        "print('dataclasses' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "False"


def test_error_detail_is_an_immutable_value() -> None:
    detail = rs.ErrorDetail("/session", "type", "5 is not an object")
    same = rs.ErrorDetail(path="/session", keyword="type", message="5 is not an object")
    assert detail == same and hash(detail) == hash(same) and len({detail, same}) == 1
    assert detail != rs.ErrorDetail("/session", "type", "other")
    assert repr(detail) == (
        "ErrorDetail(path='/session', keyword='type', message='5 is not an object')"
    )
    with pytest.raises(AttributeError):
        detail.path = "/x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(detail)) == detail
    assert copy.deepcopy(detail) == detail
    match detail:
        case rs.ErrorDetail(path, keyword, _):
            assert (path, keyword) == ("/session", "type")


def test_the_error_path_helpers_are_not_imported_with_the_package() -> None:
    code = (
        "import sys, realtime_schema as rs\n"
        "rs.RealtimeServerEventSessionCreated\n"
        "rs.is_valid({}, 'RealtimeSession')\n"
        "print(sorted(m for m in ('difflib', 'copy', 'fractions', 'dataclasses') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT / "generated",
    ).stdout
    assert out.strip() == "[]"
