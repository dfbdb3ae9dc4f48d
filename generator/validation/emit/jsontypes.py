"""Expressions testing a value's JSON type, as the keywords of each type need them."""

from __future__ import annotations

from collections.abc import Iterable

from . import code as c
from .code import Atom, Expr

__all__ = ["FAMILY_TYPES", "family_guard", "type_test"]

#: The JSON types of each family of keywords.
FAMILY_TYPES = {
    "object": frozenset({"object"}),
    "array": frozenset({"array"}),
    "string": frozenset({"string"}),
    "number": frozenset({"number", "integer"}),
}


def type_test(types: Iterable[str], v: str, whole_floats: bool = True) -> Expr:
    """``v`` has one of the JSON ``types`` (integral floats are integers, unless
    ``whole_floats`` is false as in draft-04; booleans are not numbers; NaN and
    infinities are not numbers)."""
    kinds = set(types)
    parts: list[Expr] = []
    # Identity tests first: they cost less than a number test on any value.
    if "null" in kinds:
        parts.append(Atom(f"{v} is None", f"{v} is not None"))
    if "boolean" in kinds:
        parts.append(
            Atom(f"({v} is True or {v} is False)", f"({v} is not True and {v} is not False)")
        )
    # The exact types JSON gives first; the helper (a call) only for other ints and
    # floats: its verdict on anything else is "no", which ``isinstance`` gives cheaper.
    if "number" in kinds:
        parts.append(
            Atom(
                f"(type({v}) is float and {v} - {v} == 0 or type({v}) is int"
                f" or isinstance({v}, (int, float)) and _is_number({v}))"
            )
        )
    elif "integer" in kinds and whole_floats:
        parts.append(
            Atom(f"(type({v}) is int or isinstance({v}, (int, float)) and _is_integer({v}))")
        )
    elif "integer" in kinds:
        parts.append(
            Atom(f"(type({v}) is int or isinstance({v}, int) and not isinstance({v}, bool))")
        )
    for name, cls in (("string", "str"), ("array", "list"), ("object", "dict")):
        if name in kinds:
            parts.append(Atom(f"isinstance({v}, {cls})"))
    return c.any_of(parts)


def family_guard(family: str, v: str) -> Expr:
    """``v`` is a value the keywords of ``family`` apply to."""
    return type_test(FAMILY_TYPES[family], v)
