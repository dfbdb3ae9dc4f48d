"""Keywords checked on the value alone: ``type``, ``const``, ``enum``, number, string
and size limits, ``uniqueItems``, ``format``, ``required``, ``dependentRequired``.

Each has an expression form (``EXPRESSIONS``: true when the check holds) and an error
form (``ERRORS``: lines appending its error), written side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...python.literals import name_words, py_literal
from .. import plan as p
from . import code as c
from .code import Atom, Block, Expr
from .jsontypes import family_guard, type_test

if TYPE_CHECKING:
    from .writer import PythonValidators, Site

__all__ = [
    "ERRORS",
    "EXPRESSIONS",
    "FAMILY_SCALARS",
    "const_test",
    "equals_string",
    "required_string",
    "required_test",
    "requires_string",
]

_TYPE_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")


def _type_arg(types: frozenset[str]) -> Any:
    names = [t for t in _TYPE_ORDER if t in types and not (t == "integer" and "number" in types)]
    names += sorted(t for t in types if t not in _TYPE_ORDER)
    return names[0] if len(names) == 1 else names


def const_test(value: Any, v: str) -> Expr:
    if value is None:
        return Atom(f"{v} is None", f"{v} is not None")
    if isinstance(value, bool):
        return Atom(f"{v} is {value}", f"{v} is not {value}")
    if isinstance(value, str):
        return c.all_of([Atom(f"isinstance({v}, str)"), Atom(f"{v} == {py_literal(value)}")])
    literal = py_literal(value)
    if isinstance(value, (int, float)):
        # A value of the constant's own exact type is compared right here; any other
        # (a float for an int, an int subclass) is left to the helper.
        exact = c.all_of([Atom(f"type({v}) is {type(value).__name__}"), Atom(f"{v} == {literal}")])
        return c.any_of([exact, Atom(f"_json_equal({v}, {literal})")])
    return Atom(f"_json_equal({v}, {literal})")


def requires_string(node: p.Node) -> bool:
    """Whether ``node`` has a ``const`` (or one-value ``enum``) of a string and every
    ``type`` keyword of the node admits strings, so that the comparison with that
    string can stand in for the type test."""
    if any(isinstance(x, p.Type) and "string" not in x.types for x in node.checks):
        return False
    return any(required_string(x) is not None for x in node.checks)


def required_string(check: p.Check) -> str | None:
    """The string ``check`` requires, if it is a ``const`` or one-value ``enum`` of one."""
    if isinstance(check, p.Const) and isinstance(check.value, str):
        return check.value
    if isinstance(check, p.Enum) and len(check.values) == 1:
        (value,) = check.values
        if isinstance(value, str):
            return value
    return None


def equals_string(value: str, v: str) -> Expr:
    """``v`` equals the string ``value``, written without a type test: no JSON value of
    another type (number, boolean, null, array, object) equals a string. Only for a
    value nothing has narrowed yet (a type checker would call a comparison of, say, a
    ``dict`` with a string one that never holds)."""
    literal = py_literal(value)
    return Atom(f"{v} == {literal}", f"{v} != {literal}", untyped=True)


def required_test(w: PythonValidators, names: tuple[str, ...], v: str) -> Expr:
    if len(names) <= 3:
        return c.all_of(
            Atom(f"{py_literal(n)} in {v}", f"{py_literal(n)} not in {v}") for n in names
        )
    const = w.consts.add("_REQUIRED", "frozenset({" + ", ".join(map(py_literal, names)) + "})")
    return Atom(f"{v}.keys() >= {const}")


# --------------------------------------------------------------------------- expressions


def _const(w: PythonValidators, check: p.Const, v: str, caller: p.Node | None) -> Expr:
    return const_test(check.value, v)


def _enum(w: PythonValidators, check: p.Enum, v: str, caller: p.Node | None) -> Expr:
    values = check.values
    if len(values) == 1:
        return const_test(values[0], v)
    stem = f"_ENUM_{check.owner}" if check.owner else "_ENUM"
    if all(isinstance(x, str) for x in values):
        name = w.consts.add(stem, "frozenset({" + ", ".join(map(py_literal, values)) + "})")
        return c.all_of([Atom(f"isinstance({v}, str)"), Atom(f"{v} in {name}")])
    literal = "(" + "".join(f"{py_literal(x)}, " for x in values) + ")"
    name = w.consts.add(stem, literal, "tuple[Any, ...]")
    return Atom(f"_in_values({v}, {name})")


def _compare(w: PythonValidators, check: p.Compare, v: str, caller: p.Node | None) -> Expr:
    good = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[check.bad_op]
    limit = py_literal(check.limit)
    return Atom(f"{v} {good} {limit}", f"{v} {check.bad_op} {limit}", untyped=True)


def _multiple_of(w: PythonValidators, check: p.MultipleOf, v: str, caller: p.Node | None) -> Expr:
    d = py_literal(check.divisor)
    return Atom(f"not _not_multiple({v}, {d})", f"_not_multiple({v}, {d})")


def _length(w: PythonValidators, check: p.Length | p.Size, v: str, caller: p.Node | None) -> Expr:
    limit = check.limit
    if check.keyword.startswith("min"):
        return Atom(f"len({v}) >= {limit}", f"len({v}) < {limit}")
    return Atom(f"len({v}) <= {limit}", f"len({v}) > {limit}")


def _pattern(w: PythonValidators, check: p.Pattern, v: str, caller: p.Node | None) -> Expr:
    rx = w.regex(check.regex)
    return Atom(f"{rx}.search({v}) is not None", f"{rx}.search({v}) is None")


def _format(w: PythonValidators, check: p.Format, v: str, caller: p.Node | None) -> Expr:
    w.formats.add(check.name)
    return Atom(f"_format({py_literal(check.name)}, {v})")


def _unique(w: PythonValidators, check: p.Unique, v: str, caller: p.Node | None) -> Expr:
    return Atom(f"_unique({v})")


def _required(w: PythonValidators, check: p.Required, v: str, caller: p.Node | None) -> Expr:
    return required_test(w, check.names, v)


def _dependent_required(
    w: PythonValidators, check: p.DependentRequired, v: str, caller: p.Node | None
) -> Expr:
    return c.all_of(
        c.any_of(
            [
                Atom(f"{py_literal(k)} not in {v}", f"{py_literal(k)} in {v}"),
                required_test(w, names, v),
            ]
        )
        for k, names in check.dependencies
    )


EXPRESSIONS: dict[type[p.Check], Any] = {
    p.Const: _const,
    p.Enum: _enum,
    p.Compare: _compare,
    p.MultipleOf: _multiple_of,
    p.Length: _length,
    p.Size: _length,
    p.Pattern: _pattern,
    p.Format: _format,
    p.Unique: _unique,
    p.Required: _required,
    p.DependentRequired: _dependent_required,
}

#: Checks of one type family written in its fast function as expressions (``required``
#: goes with ``properties``, in ``objects``).
FAMILY_SCALARS = frozenset(
    {p.Compare, p.MultipleOf, p.Length, p.Size, p.Pattern, p.Format, p.Unique, p.DependentRequired}
)


# --------------------------------------------------------------------------- errors


def _type_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Type, site: Site
) -> None:
    bad = c.negate(type_test(check.types, site.v, check.whole_floats))
    w.report(block, bad, site, "type", py_literal(_type_arg(check.types)))


def _const_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Const, site: Site
) -> None:
    bad = c.negate(const_test(check.value, site.v))
    w.report(block, bad, site, "const", py_literal(check.value))


def _enum_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Enum, site: Site
) -> None:
    values = w.consts.add(f"_VALUES_{node.name}", py_literal(list(check.values)), "list[Any]")
    w.report(block, c.negate(_enum(w, check, site.v, node)), site, "enum", values)


_ARGS: dict[type[p.Check], Callable[[Any], str]] = {
    p.Compare: lambda x: py_literal(x.limit),
    p.MultipleOf: lambda x: py_literal(x.divisor),
    p.Length: lambda x: str(x.limit),
    p.Size: lambda x: str(x.limit),
    p.Pattern: lambda x: py_literal(x.regex.source),
    p.Format: lambda x: py_literal(x.name),
    p.Unique: lambda x: "True",
}


def _family_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Check, site: Site
) -> None:
    """A limit that applies to values of one type: fails only for such values."""
    family = p.family_of(check)
    assert family is not None
    ok = w.expression(check, site.v, site.caller)
    bad = c.all_of([family_guard(family, site.v), c.negate(ok)])
    w.report(block, bad, site, check.keyword, _ARGS[type(check)](check))


def _required_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Required, site: Site
) -> None:
    v = site.v
    if not check.tags:
        for name in check.names:
            bad = c.all_of([Atom(f"isinstance({v}, dict)"), Atom(f"{py_literal(name)} not in {v}")])
            w.report(block, bad, site, "required", py_literal(name))
        return
    names = "(" + "".join(f"{py_literal(n)}, " for n in check.names) + ")"
    tags = w.consts.add(
        "_TAG_NAMES_" + "_".join(name_words(t, 40) for t in sorted(check.tags)),
        "frozenset({" + ", ".join(map(py_literal, sorted(check.tags))) + "})",
    )
    with block.if_(f"isinstance({v}, dict)"):
        block.line(f"missing = [r for r in {names} if r not in {v}]")
        with block.if_("missing"):
            block.line(f"tagged = not {tags}.isdisjoint(missing)")
            with block.for_("for r in missing:"):
                block.line(site.append("required", "r", ", tagged"))


def _dependent_required_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.DependentRequired, site: Site
) -> None:
    v = site.v
    for key, names in check.dependencies:
        present = c.all_of([Atom(f"isinstance({v}, dict)"), Atom(f"{py_literal(key)} in {v}")])
        with block.if_(present):
            for name in names:
                bad = Atom(f"{py_literal(name)} not in {v}")
                w.report(block, bad, site, check.keyword, py_literal([name, key]))


ERRORS: dict[type[p.Check], Any] = {
    p.Type: _type_errors,
    p.Const: _const_errors,
    p.Enum: _enum_errors,
    p.Compare: _family_errors,
    p.MultipleOf: _family_errors,
    p.Length: _family_errors,
    p.Size: _family_errors,
    p.Pattern: _family_errors,
    p.Format: _family_errors,
    p.Unique: _family_errors,
    p.Required: _required_errors,
    p.DependentRequired: _dependent_required_errors,
}
