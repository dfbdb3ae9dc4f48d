"""Helpers shared by the tests (not a test module)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from reference import reference_errors, reference_pointers, reference_validator

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def import_fresh(folder: Path, package: str) -> Any:
    """Import ``package`` (and all its modules: generated packages load them lazily)
    from ``folder``. Any other copy of it already in ``sys.modules`` is put back
    afterwards: a test module that imported ``realtime_schema`` keeps its own."""

    def ours(name: str) -> bool:
        return name == package or name.startswith(package + ".")

    saved = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(package)
        for path in sorted((folder / package).rglob("*.py")):
            parts = path.relative_to(folder / package).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            if parts:
                importlib.import_module(".".join((package, *parts)))
        return module
    finally:
        sys.path.remove(str(folder))
        if saved:  # another copy was loaded: put it back (the fresh one is complete)
            for name in [name for name in sys.modules if ours(name)]:
                del sys.modules[name]
            sys.modules.update(saved)


def run_cli(argv: list[str], capsys: Any) -> tuple[int, str, str]:
    """``rtschema`` in this process: its exit code, standard output and standard error
    (``capsys``: pytest's fixture)."""
    from rtschema import cli

    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, data: object) -> str:
    """``data`` as JSON in ``path``; the path as a string, for a command line."""
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


def tagged_object(value: str, **properties: Any) -> dict[str, Any]:
    """An object schema that requires ``type`` to be ``value``, with ``properties``."""
    return {
        "type": "object",
        "properties": {"type": {"const": value}, **properties},
        "required": ["type"],
    }


def json_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path (keys and indexes) of every value inside a JSON value, itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += json_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += json_paths(item, (*path, index))
    return found


def same_json(a: Any, b: Any) -> bool:
    """The same JSON data, types included (``1`` is not ``1.0`` nor ``true``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def json_at(value: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path`` inside ``value``."""
    for step in path:
        value = value[step]
    return value


def json_replace(root: Any, path: tuple[Any, ...], new: Any) -> Any:
    """``root`` with the value at ``path`` replaced by ``new`` (in place; the root
    itself when ``path`` is empty)."""
    if not path:
        return new
    json_at(root, path[:-1])[path[-1]] = new
    return root


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def schema_file(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.stem == "schema")


#: The 17 session root types the canonical schema started from (issue 2): each has at
#: least 3 valid and 5 invalid samples.
SESSION_ROOTS = [
    "RealtimeSession",
    "RealtimeSessionCreateRequest",
    "RealtimeSessionCreateResponse",
    "RealtimeSessionCreateRequestGA",
    "RealtimeSessionCreateResponseGA",
    "RealtimeTranscriptionSessionCreateRequest",
    "RealtimeTranscriptionSessionCreateRequestGA",
    "RealtimeTranscriptionSessionCreateResponse",
    "RealtimeTranscriptionSessionCreateResponseGA",
    "RealtimeClientEventSessionUpdate",
    "RealtimeServerEventSessionCreated",
    "RealtimeServerEventSessionUpdated",
    "RealtimeBetaClientEventSessionUpdate",
    "RealtimeBetaServerEventSessionCreated",
    "RealtimeBetaServerEventSessionUpdated",
    "RealtimeClientEventTranscriptionSessionUpdate",
    "RealtimeServerEventTranscriptionSessionUpdated",
]


def _layer_roots() -> list[str]:
    """Every root type the layer names (``schema/layer/bundle.yaml``): the request and
    response roots, the unions it defines and the document's root union."""
    import yaml

    bundle = yaml.safe_load((ROOT / "schema" / "layer" / "bundle.yaml").read_text("utf-8"))
    roots = [*bundle["roots"]["request"], *bundle["roots"]["response"]]
    roots += [name for name in bundle.get("unions") or {} if name not in roots]
    return [*roots, bundle["root"]["name"]]


#: The root types of the canonical schema: each has at least 1 valid and 2 invalid samples.
ROOTS = _layer_roots()


def run_tool(*argv: str, cwd: Path | None = None) -> str:
    """Run ``python -m <argv>``; return its output, or fail the test showing it."""
    result = subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, cwd=cwd)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    return output


def mypy_strict(packages: list[str], cwd: Path) -> None:
    """Generated packages type-check under ``mypy --strict`` for Python 3.10."""
    run_tool("mypy", "--strict", "--no-incremental", "--python-version", "3.10", *packages, cwd=cwd)


def ruff_clean(packages: list[str], *, formatted: bool = False) -> None:
    """Generated packages pass ``ruff check`` (and ``ruff format --check``) in isolation."""
    run_tool("ruff", "check", "--isolated", "--target-version", "py310", *packages)
    if formatted:
        run_tool(
            "ruff", "format", "--check", "--isolated", "--target-version", "py310",
            "--line-length", "100", *packages,
        )  # fmt: skip


__all__ = [
    "CORPUS",
    "ROOT",
    "ROOTS",
    "SESSION_ROOTS",
    "import_fresh",
    "json_at",
    "json_paths",
    "json_replace",
    "load_json",
    "mypy_strict",
    "reference_errors",
    "reference_pointers",
    "reference_validator",
    "ruff_clean",
    "run_tool",
    "schema_file",
]


# --------------------------------------------------------------------------- hypothesis profiles


def register_hypothesis_profiles() -> None:
    """Profiles for every property-based test: ``ci`` (the default; what CI runs within its
    time limit) and ``thorough`` (ten times the examples, for a long local run). Pick one
    with ``HYPOTHESIS_PROFILE``."""
    import os

    from hypothesis import HealthCheck, settings

    common = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    }
    settings.register_profile("ci", max_examples=200, **common)
    settings.register_profile("thorough", max_examples=2000, **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


register_hypothesis_profiles()
