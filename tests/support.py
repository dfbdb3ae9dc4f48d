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
    """Import ``package`` from ``folder``, dropping any earlier copy of it."""
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def schema_file(folder: Path) -> Path:
    return next(p for p in sorted(folder.iterdir()) if p.stem == "schema")


#: The 17 root types the canonical schema is built from (issue 2).
ROOTS = [
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
    "import_fresh",
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
