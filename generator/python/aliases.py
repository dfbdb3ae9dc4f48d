"""Named types that are not classes, as type aliases: their annotations, docstrings, and
an order in which each comes after the aliases it mentions (those in a cycle are
written as strings, forward references)."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import ir
from . import annotations as an
from .literals import py_docstring

__all__ = ["Alias", "plan_aliases"]


@dataclass
class Alias:
    name: str
    value: str
    quoted: bool
    docstring: str
    key: str


def plan_aliases(schema: ir.Schema, memo: dict[int, an.Ann]) -> list[Alias]:
    """An alias for every named type that is not a class, in a definable order."""
    out: list[tuple[Alias, set[str]]] = []
    for named in schema.types:
        node = named.node
        if isinstance(node, ir.ObjectNode) and node.named is named:
            continue
        ann = an.of_node(node, memo)
        description = named.description or node.description or f"The ``{named.key}`` type."
        alias = Alias(named.name, an.render(ann), False, py_docstring(description), named.key)
        out.append((alias, an.names(ann)))
    return _order_aliases(out)


def _order_aliases(aliases: list[tuple[Alias, set[str]]]) -> list[Alias]:
    """Aliases in an order where each is defined after the aliases it mentions; aliases
    in a cycle, and those that mention one, are written as strings (forward references)."""
    by_name = {a.name: a for a, _ in aliases}
    deps = {
        a.name: {n for n in mentioned if n in by_name and n != a.name} for a, mentioned in aliases
    }
    for alias, mentioned in aliases:
        if alias.name in mentioned:
            alias.quoted = True
    ordered: list[Alias] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        mark = state.get(name)
        if mark == 2:
            return
        if mark == 1:
            by_name[name].quoted = True
            return
        state[name] = 1
        for dep in sorted(deps[name]):
            if state.get(dep) == 1:
                by_name[name].quoted = True
                by_name[dep].quoted = True
            else:
                visit(dep)
        state[name] = 2
        ordered.append(by_name[name])

    for alias, _ in aliases:
        visit(alias.name)
    # A string alias is no type at run time: ``Quoted | None`` would fail, so an alias
    # that mentions one is a string too.
    for alias in ordered:
        if any(by_name[dep].quoted for dep in deps[alias.name]):
            alias.quoted = True
    return ordered
