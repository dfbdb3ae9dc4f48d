"""Plan, analyse and write the validators of a schema: the validation stage as a whole.

:func:`compile_validators` takes the index and the locations that need validators (the
document root, every named type, and whatever the type outputs link to), and returns a
:class:`Validators`: the plan's nodes, the Python writer (which the type outputs also
ask for expressions and functions), and the public entry points. :meth:`Validators.module`
gives what the ``validators.py`` template lays out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..schema.index import Index, Location
from . import plan as p
from .analysis import analyse
from .emit import Function, PythonValidators, Table
from .planner import Planner

__all__ = ["Entry", "Module", "Validators", "compile_validators"]


@dataclass
class Entry:
    """How the public API reaches one type (``key`` ``None``: the document root)."""

    key: str | None
    fast: str
    errors: str
    #: Can the fast check recurse as deep as the value is nested (a cycle in the plan,
    #: ``uniqueItems``, a dynamic reference)? Only then can a payload make it raise
    #: ``RecursionError``: elsewhere the schema bounds its depth.
    deep: bool = False


@dataclass
class Module:
    """What the ``validators.py`` template lays out."""

    #: (name, annotation or "", literal)
    consts: list[tuple[str, str, str]]
    functions: list[Function]
    tables: list[Table]
    root: Entry
    entries: list[Entry]
    formats: bool


class Validators:
    """The validation plan of a schema and the code written for it."""

    def __init__(self, nodes: dict[int, p.Node], root: p.Node, named: dict[str, p.Node]) -> None:
        self.nodes = nodes
        self.root_node = root
        self.named = named
        self.python = PythonValidators()
        self._wrappers: dict[str, Function] = {}
        self._deep: dict[int, bool] = {}

    def node(self, location: Location) -> p.Node:
        """The plan of a location that was passed to :func:`compile_validators`."""
        return self.nodes[id(location)]

    def entry(self, key: str | None, node: p.Node) -> Entry:
        """Entry points taking just the value (a scoped node gets its first scope)."""
        fast = self.python.fast_function(node)
        errors = self.python.error_function(node)
        if not node.scoped:
            return Entry(key, fast, errors, self.deep(node))
        scope = f"({node.location.resource.number},)"
        wrapped = (f"_api{fast}", f"_api{errors}")
        self._wrappers[wrapped[0]] = Function(
            wrapped[0], "x: Any", "bool", [f"return {fast}(x, {scope})"], {fast}
        )
        self._wrappers[wrapped[1]] = Function(
            wrapped[1], "x: Any, p: str, e: list[_Error]", "None",
            [f"{errors}(x, p, e, {scope})"], {errors},
        )  # fmt: skip
        return Entry(key, *wrapped, deep=self.deep(node))

    def deep(self, node: p.Node) -> bool:
        """See :attr:`Entry.deep`: does a cycle, a ``uniqueItems`` or a dynamic reference
        lie on ``node``'s checks or those of any node they reach?"""
        memo = self._deep
        on_path: set[int] = set()
        # Depth first, without recursion (plans can nest deeper than Python's stack).
        stack: list[tuple[p.Node, list[p.Node]]] = []

        def enter(n: p.Node) -> bool:
            if any(isinstance(x, (p.Unique, p.DynamicRef)) for x in n.checks):
                return True
            on_path.add(id(n))
            stack.append((n, [c for x in n.checks for c in (*x.children(), *x.descendants())]))
            return False

        if id(node) in memo:
            return memo[id(node)]
        found = enter(node)
        while stack and not found:
            current, children = stack[-1]
            if not children:
                stack.pop()
                on_path.discard(id(current))
                memo[id(current)] = False
                continue
            child = children.pop()
            if id(child) in on_path or memo.get(id(child)):
                found = True
            elif id(child) not in memo:
                found = enter(child)
        if found:
            for n, _ in stack:
                memo[id(n)] = True
            memo[id(node)] = True
        return memo[id(node)]

    def module(self) -> Module:
        root = self.entry(None, self.root_node)
        entries = [self.entry(key, node) for key, node in self.named.items()]
        self.python.finish()
        order = {id(n): n.location.number for n in self.nodes.values()}
        by_name = {}
        for node in self.nodes.values():
            for form, rank in (("v", 0), ("j", 1), ("e", 2)):
                by_name[f"_{form}_{node.name}"] = (order[id(node)], rank)
        functions = sorted(
            self.python.functions.values(), key=lambda f: by_name.get(f.name, (1 << 60, 0))
        )
        return Module(
            consts=[(name, ann, value) for name, (ann, value) in self.python.consts.items.items()],
            functions=[*functions, *self._wrappers.values()],
            tables=list(self.python.tables.values()),
            root=root,
            entries=entries,
            formats=bool(self.python.formats),
        )


def compile_validators(
    index: Index,
    named: dict[str, Location],
    extra: Iterable[Location] = (),
    *,
    format_assert: bool = False,
    planner: Planner | None = None,
) -> Validators:
    """Plan and analyse the validators of ``index``'s root, of the ``named`` types and
    of the ``extra`` locations the type outputs need (``planner``: one that already
    planned some of them)."""
    planner = planner or Planner(index, format_assert=format_assert)
    root = planner.node(index.root)
    named_nodes = {key: planner.node(loc) for key, loc in named.items()}
    for location in extra:
        planner.node(location)
    nodes = planner.finish()
    analyse(nodes)
    return Validators({id(n.location): n for n in nodes}, root, named_nodes)
