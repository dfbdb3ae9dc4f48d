"""The generator's own code: lint, format and strict typing, as CI checks them."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check() -> None:
    result = _run("ruff", "check", "generator", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run("ruff", "format", "--check", "generator", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_generator() -> None:
    result = _run("mypy", "--no-incremental")  # files and strictness from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
