"""The generator's own code: lint, format and strict typing, as CI checks them."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT, ruff_clean


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


def test_generated_package_is_lint_clean() -> None:
    """The generator runs only ruff's formatter: imports, ``__all__`` and ``__slots__``
    come out in the orders the linter asks for (generator/python/order.py). The corpus,
    hostile and upstream tests check the same on other schemas."""
    ruff_clean([str(ROOT / "generated" / "realtime_schema")], formatted=True)


def test_generated_name_orders_are_ruffs() -> None:
    """The orders of generator/python/order.py, on the cases where ruff's differ from
    plain sorting: kinds first (CONSTANT, Class, other), case-insensitive names with
    ``_`` before letters, digits by value."""
    from rtschema.python.order import dunder_all, natural, sort_members

    assert sort_members(["_dump", "UnsetType", "_Error", "_error", "UNSET", "_MISSING"]) == [
        "_MISSING", "UNSET", "UnsetType", "_dump", "_Error", "_error",
    ]  # fmt: skip
    assert sort_members(["_e_AB_c", "_e_ABc", "_e_AB2", "_e_AB10"]) == [
        "_e_AB2", "_e_AB10", "_e_AB_c", "_e_ABc",
    ]  # fmt: skip
    assert sorted(["parse", "Zed", "TYPES", "Abc", "abc"], key=dunder_all) == [
        "TYPES", "Abc", "Zed", "abc", "parse",
    ]  # fmt: skip
    assert sorted(["b", "a10", "a2", "a_"], key=natural) == ["a2", "a10", "a_", "b"]
