"""The orders the generated code lists names in: those ruff's linter asks for (isort's
import order, ``__all__`` and ``__slots__`` sorted), so that the generated package is
clean by construction and the generator runs only ruff's formatter.

* :func:`natural` is a natural sort (``a2`` before ``a10``), as ruff's ``natord``
  compares: runs of digits by value, everything else character by character.
* :func:`member` orders the names of one ``from m import ...`` (isort's
  order-by-type: CONSTANTS, then Classes, then everything else; case-insensitive,
  then case-sensitive).
* :func:`dunder_all` orders ``__all__`` (ruff's RUF022: the same three kinds, each
  naturally sorted); ``__slots__`` are naturally sorted (RUF023).
* :func:`relative_module` orders relative imports: furthest first (``..x`` before
  ``.y``), then by module name.

``tests/test_corpus.py`` and ``tests/test_upstream.py`` run ``ruff check`` over
generated packages, so a difference from ruff's orders fails there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["dunder_all", "member", "natural", "relative_module", "sort_members"]

_DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> tuple[str | int, ...]:
    """Natural order for identifiers: text and runs of digits alternate, a run compares
    by value, text by code point (digits sort below every character an identifier holds,
    as in ``natord``, so a shorter text before digits comes first)."""
    if not _DIGITS.search(text):
        return (text,)
    parts = _DIGITS.split(text)
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def _kind(name: str) -> int:
    """0 for a CONSTANT, 1 for a Class, 2 for anything else (isort's order-by-type)."""
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        return 0
    if name[:1].isupper():
        return 1
    return 2


def member(name: str) -> tuple[object, ...]:
    """The order of a name in ``from m import ...``."""
    return (_kind(name), natural(name.lower()), natural(name))


def dunder_all(name: str) -> tuple[object, ...]:
    """The order of a name in ``__all__``."""
    return (_kind(name), natural(name))


def sort_members(names: Iterable[str]) -> list[str]:
    """``names`` without repeats, in import order."""
    return sorted(set(names), key=member)


def relative_module(module: str) -> tuple[object, ...]:
    """The order of ``from <module> import`` among relative imports (``..x``, ``.y``)."""
    dots = len(module) - len(module.lstrip("."))
    rest = module[dots:]
    return (-dots, natural(rest.lower()), natural(rest))
