"""Python type annotations as values, not strings.

An annotation is a small tree (:class:`Name`, :class:`Lit`, :class:`Generic`,
:class:`Union`); :func:`union` merges ``Literal`` members, lets ``Any`` absorb the
rest and puts ``None`` last, and :func:`render` writes the text once, at the end.
:func:`names` lists the type names an annotation mentions (aliases are ordered by it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..types import ir
from .literals import py_literal

__all__ = [
    "ANY",
    "NONE",
    "Ann",
    "Generic",
    "Lit",
    "Name",
    "Union",
    "names",
    "of_values",
    "render",
    "union",
]


@dataclass(frozen=True)
class Ann:
    """An annotation."""


@dataclass(frozen=True)
class Name(Ann):
    """A type by name: a builtin (``str``), ``Any``, ``None`` or a generated class."""

    name: str
    #: A class or alias generated from the schema (not a builtin).
    generated: bool = False


@dataclass(frozen=True)
class Lit(Ann):
    """``Literal[...]`` of strings, integers and booleans."""

    values: tuple[str | int | bool, ...]


@dataclass(frozen=True)
class Generic(Ann):
    """``list[X]`` or ``dict[str, X]``."""

    base: str
    args: tuple[Ann, ...]


@dataclass(frozen=True)
class Union(Ann):
    items: tuple[Ann, ...]


ANY = Name("Any")
NONE = Name("None")


def union(items: Iterable[Ann]) -> Ann:
    """``A | B | ...`` flattened: ``Any`` absorbs, ``Literal``\\ s merge (first), ``None``
    goes last, repeats are dropped."""
    flat: list[Ann] = []
    literal: list[str | int | bool] = []
    for item in items:
        parts = item.items if isinstance(item, Union) else (item,)
        for part in parts:
            if part == ANY:
                return ANY
            if isinstance(part, Lit):
                literal.extend(v for v in part.values if not _has(literal, v))
            elif part not in flat:
                flat.append(part)
    out: list[Ann] = [Lit(tuple(literal))] if literal else []
    out += [p for p in flat if p != NONE]
    if NONE in flat:
        out.append(NONE)
    if not out:
        return ANY
    return out[0] if len(out) == 1 else Union(tuple(out))


def _has(values: list[str | int | bool], value: str | int | bool) -> bool:
    return any(type(v) is type(value) and v == value for v in values)


def of_values(values: Iterable[Any]) -> Ann:
    """The annotation of a fixed set of JSON values (``enum``/``const``)."""
    parts: list[Ann] = []
    for value in values:
        if value is None:
            parts.append(NONE)
        elif isinstance(value, (str, bool, int)):
            parts.append(Lit((value,)))
        elif isinstance(value, float):
            parts.append(Name("float"))
        elif isinstance(value, list):
            parts.append(Generic("list", (ANY,)))
        else:
            parts.append(Generic("dict", (Name("str"), ANY)))
    return union(parts)


def render(ann: Ann) -> str:
    if isinstance(ann, Name):
        return ann.name
    if isinstance(ann, Lit):
        return "Literal[" + ", ".join(py_literal(v) for v in ann.values) + "]"
    if isinstance(ann, Generic):
        return f"{ann.base}[{', '.join(render(a) for a in ann.args)}]"
    if isinstance(ann, Union):
        return " | ".join(render(a) for a in ann.items)
    raise TypeError(ann)  # pragma: no cover


def names(ann: Ann) -> set[str]:
    """The generated type names ``ann`` mentions."""
    if isinstance(ann, Name):
        return {ann.name} if ann.generated else set()
    if isinstance(ann, Generic):
        return set().union(*(names(a) for a in ann.args))
    if isinstance(ann, Union):
        return set().union(*(names(a) for a in ann.items))
    return set()


def of_node(node: ir.Node, memo: dict[int, Ann]) -> Ann:
    """The annotation of an IR node (names come from the naming pass)."""
    found = memo.get(id(node))
    if found is None:
        found = memo[id(node)] = _of_node(node, memo)
    return found


def _of_node(node: ir.Node, memo: dict[int, Ann]) -> Ann:
    if isinstance(node, ir.RefNode):
        # A named type that is only a reference to another is written as that one:
        # type checkers are far slower through aliases of recursive types.
        target, nullable, hops = node.target, node.target.nullable, 0
        while isinstance(target.node, ir.RefNode) and hops < 64:
            target = target.node.target
            nullable = nullable or target.nullable
            hops += 1
        name = Name(target.name, generated=True)
        return union([name, NONE]) if nullable else name
    if isinstance(node, (ir.AnyNode, ir.NeverNode, ir.AllOfNode)):
        return ANY
    if node.types is None and not isinstance(node, (ir.LiteralNode, ir.UnionNode, ir.OpenEnumNode)):
        if isinstance(node, ir.ObjectNode):
            return union([Name(node.name, generated=True), ANY])
        return ANY
    if isinstance(node, ir.NullNode):
        return NONE
    if isinstance(node, ir.BoolNode):
        return Name("bool")
    if isinstance(node, ir.StringNode):
        return Name("str")
    if isinstance(node, ir.NumberNode):
        return Name("int" if node.integer else "float")
    if isinstance(node, ir.LiteralNode):
        return of_values(node.values)
    if isinstance(node, ir.OpenEnumNode):
        return union([of_values(node.known), Name("str")])
    if isinstance(node, ir.ArrayNode):
        return Generic("list", (of_node(node.items, memo),))
    if isinstance(node, ir.MapNode):
        return Generic("dict", (Name("str"), of_node(node.values, memo)))
    if isinstance(node, ir.ObjectNode):
        return Name(node.name, generated=True)
    if isinstance(node, ir.UnionNode):
        return union(of_node(v, memo) for v in node.variants)
    return ANY
