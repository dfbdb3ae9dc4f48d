"""The generated package is split by protocol area (issue 12): using one type loads the
modules of its area and of the areas it refers to, never the whole protocol.

The areas are the documentation groups of the project; areas whose code refers to each
other in a circle are merged; a schema without groups is one area, ``types``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import ROOT, import_fresh

GENERATED = ROOT / "generated" / "realtime_schema"
PACKAGE = GENERATED.parent


def _loaded_after(code: str) -> set[str]:
    """The modules of realtime_schema (and ``typing``/``json``) a new interpreter has
    loaded after running ``code``."""
    probe = (
        f"import sys\nsys.path.insert(0, {str(PACKAGE)!r})\n{code}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('realtime_schema'))))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stdout.split())


def _areas(loaded: set[str], kind: str) -> set[str]:
    prefix = f"realtime_schema._{kind}."
    return {m[len(prefix) :] for m in loaded if m.startswith(prefix)}


SESSION_CREATED = {
    "type": "session.created",
    "event_id": "event_1",
    "session": {"type": "realtime", "object": "realtime.session", "id": "sess_1"},
}


def test_importing_the_package_loads_no_area() -> None:
    loaded = _loaded_after("import realtime_schema")
    assert not _areas(loaded, "models") and not _areas(loaded, "validators")
    assert "realtime_schema.models" not in loaded and "realtime_schema.validators" not in loaded


def test_one_session_event_loads_its_area_and_what_it_refers_to_only() -> None:
    loaded = _loaded_after(
        "from realtime_schema import RealtimeServerEventSessionCreated as E\n"
        f"E.from_dict({SESSION_CREATED!r})"
    )
    models, validators = _areas(loaded, "models"), _areas(loaded, "validators")
    assert "sessions" in models and "sessions" in validators
    every = {p.stem for p in (GENERATED / "_models").glob("*.py")} - {"__init__"}
    assert len(every) >= 8
    # Nothing about responses, translation or the event unions is loaded.
    for area in ("responses", "translation", "events", "document"):
        assert area not in models and area not in validators, area
    assert len(models) < len(every) / 2 + 1


def test_validating_one_type_loads_its_validators_and_no_model() -> None:
    loaded = _loaded_after(
        "import realtime_schema as rs\n"
        "assert rs.is_valid({'type': 'input_audio_buffer.clear'}, "
        "'RealtimeClientEventInputAudioBufferClear')"
    )
    assert _areas(loaded, "validators") == {"input_audio"}
    assert not _areas(loaded, "models") and "realtime_schema.models" not in loaded


def test_event_dispatch_loads_only_the_candidates_areas() -> None:
    loaded = _loaded_after(
        "import realtime_schema as rs\n"
        "assert rs.validate_event({'type': 'input_audio_buffer.clear'}) == "
        "'RealtimeClientEventInputAudioBufferClear'"
    )
    assert _areas(loaded, "validators") == {"input_audio"}


def test_one_typed_dict_loads_its_area_only() -> None:
    loaded = _loaded_after("from realtime_schema.typeddicts import RealtimeAudioFormatsPCM")
    assert _areas(loaded, "typeddicts") == {"input_audio"}
    assert not _areas(loaded, "models") and not _areas(loaded, "validators")


def test_every_name_is_still_reachable_from_the_facades() -> None:
    import realtime_schema as rs
    from realtime_schema import models, typeddicts, validators

    assert set(typeddicts.__all__) == set(models.__all__) - {"parse", "parse_event"}
    for name in models.__all__:
        assert getattr(models, name) is getattr(rs, name)
    for name in typeddicts.__all__:  # a TypedDict class, or an alias written as a string
        value = getattr(typeddicts, name)
        assert isinstance(value, str) or value.__name__ == name
    for name in validators.TYPES:
        assert rs.validator_for(name).type_name == name


def test_the_area_modules_name_their_area_and_import_by_name() -> None:
    sessions = (GENERATED / "_models" / "sessions.py").read_text("utf-8")
    assert '"""Dataclasses of ``realtime_schema``: Sessions.' in sessions
    assert "from .._validators.sessions import (" in sessions
    assert "import *" not in sessions
    validators = (GENERATED / "_validators" / "sessions.py").read_text("utf-8")
    assert '"""Validators of ``realtime_schema``: Sessions.' in validators


# --------------------------------------------------------------------------- any schema


def _project(tmp_path: Path, schema: dict[str, Any], groups: list[tuple[str, list[str]]]) -> Path:
    lines = [
        "[tool.rtschema]",
        'schema = "schema.json"',
        'out = "gen"',
        'package = "zoned"',
    ]
    for title, patterns in groups:
        lines += ["", "[[tool.rtschema.docs.groups]]", f"title = {json.dumps(title)}"]
        lines.append(f"types = {json.dumps(patterns)}")
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "schema.json").write_text(json.dumps(schema), "utf-8")
    code = "import sys; from rtschema.cli import main; sys.exit(main(['generate']))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return tmp_path / "gen"


def _obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "additionalProperties": False}


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        # Ping and Pong refer to each other (across two groups): one area.
        "Ping": _obj(pong={"$ref": "#/$defs/Pong"}, n={"type": "integer"}),
        "Pong": _obj(ping={"$ref": "#/$defs/Ping"}, s={"type": "string"}),
        # Leaf refers to nothing; Uses refers to Leaf (another group): an import.
        "Leaf": _obj(x={"type": "number", "minimum": 0}),
        "Uses": _obj(leaf={"$ref": "#/$defs/Leaf"}, mode={"enum": ["a", "b"]}),
        "Mode": {"enum": ["a", "b"]},
    },
    "anyOf": [{"$ref": "#/$defs/Ping"}, {"$ref": "#/$defs/Uses"}],
}
GROUPS = [
    ("Ping side", ["Ping"]),
    ("Pong side", ["Pong"]),
    ("Leaves", ["Leaf", "Mode"]),
    ("Users", ["Uses"]),
]


@pytest.fixture(scope="module")
def zoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = _project(tmp_path_factory.mktemp("zoned"), SCHEMA, GROUPS)
    return out, import_fresh(out, "zoned")


def test_groups_become_area_modules_and_circles_are_merged(zoned: tuple[Path, Any]) -> None:
    out, _ = zoned
    for kind in ("_models", "_validators", "_typeddicts"):
        names = {p.stem for p in (out / "zoned" / kind).glob("*.py")}
        # Ping and Pong refer to each other: merged into the first group's area. The
        # root (a union, so a type of its own, "Schema") is in no group: "Other types".
        assert names == {"__init__", "ping_side", "leaves", "users", "other_types"}, kind
    merged = (out / "zoned" / "_models" / "ping_side.py").read_text("utf-8")
    assert "class Ping(" in merged and "class Pong(" in merged
    assert '"""Dataclasses of ``zoned``: Ping side (with Pong side).' in merged
    users = (out / "zoned" / "_models" / "users.py").read_text("utf-8")
    assert "from .leaves import (" in users  # Uses builds Leaf objects
    users_v = (out / "zoned" / "_validators" / "users.py").read_text("utf-8")
    assert "from .leaves import (" in users_v
    leaves_v = (out / "zoned" / "_validators" / "leaves.py").read_text("utf-8")
    assert "from ." not in leaves_v.replace("from .._runtime", "")  # a leaf imports no area


def test_a_split_package_still_validates_and_builds(zoned: tuple[Path, Any]) -> None:
    _, zoned_pkg = zoned
    good = {"leaf": {"x": 1.5}, "mode": "a"}
    assert zoned_pkg.is_valid(good, "Uses") and zoned_pkg.is_valid(good)
    assert not zoned_pkg.is_valid({"leaf": {"x": -1}}, "Uses")
    errors = [(e.path, e.keyword) for e in zoned_pkg.iter_errors({"leaf": {"x": -1}}, "Uses")]
    assert errors == [("/leaf/x", "minimum")]
    value = zoned_pkg.models.Uses.from_dict(good)
    assert isinstance(value.leaf, zoned_pkg.models.Leaf) and value.to_dict() == good
    ping = zoned_pkg.parse({"pong": {"ping": {"n": 1}}})
    assert isinstance(ping.pong.ping, zoned_pkg.models.Ping) and ping.pong.ping.n == 1
    assert zoned_pkg.parse("a", "Mode") == "a"


def test_a_split_package_is_type_clean(zoned: tuple[Path, Any]) -> None:
    out, _ = zoned
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(out / "zoned")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_schema_without_groups_is_one_area(tmp_path: Path) -> None:
    out = _project(tmp_path, SCHEMA, [])
    for kind in ("_models", "_validators", "_typeddicts"):
        names = {p.stem for p in (out / "zoned" / kind).glob("*.py")}
        assert names == {"__init__", "types"}, kind


def test_a_dispatch_helper_is_written_in_its_unions_area(tmp_path: Path) -> None:
    """A tag value that selects several branches gets a helper trying each
    (``_any_<union>_<Value>``): it goes with its union, not into the root's area."""

    def tagged(value: str, kind: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"type": {"const": value}, "n": {"type": kind}},
            "required": ["type"],
        }

    leaves = {f"L{i}": tagged(f"t{i}", "integer") for i in range(5)}
    leaves |= {f"M{i}": tagged(f"t{i}", "string") for i in range(2)}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            **leaves,
            "Union": {"anyOf": [{"$ref": f"#/$defs/{name}"} for name in leaves]},
            "Root": _obj(u={"$ref": "#/$defs/Union"}),
        },
        "$ref": "#/$defs/Root",
    }
    groups = [("Unions", ["Union"]), ("Leaves", ["L*", "M*"])]
    out = _project(tmp_path, schema, groups)
    validators = out / "zoned" / "_validators"
    unions = (validators / "unions.py").read_text("utf-8")
    assert "def _any_Union_T0(x: Any) -> bool:" in unions
    assert "return _v_L0(x) or _v_M0(x)" in unions
    for other in validators.glob("*.py"):
        if other.name != "unions.py":
            assert "def _any_" not in other.read_text("utf-8"), other.name
    package = import_fresh(out, "zoned")
    for payload, valid in [({"type": "t0", "n": 1}, True), ({"type": "t0", "n": "1"}, True)]:
        assert package.is_valid({"u": payload}) is valid
    assert not package.is_valid({"u": {"type": "t0", "n": None}})
    assert not package.is_valid({"u": {"type": "t4", "n": "1"}})
