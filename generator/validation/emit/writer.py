"""The Python writer of a validation plan: three forms of every node.

* the **fast form** ``_v_<node>(x) -> bool`` answers "valid?" and builds nothing; small
  nodes are written inline as expressions where they are used;
* the **error form** ``_e_<node>(x, p, e)`` appends every problem, mirroring the
  reference validator keyword by keyword (so errors name the same places);
* the **collecting form** ``_j_<node>(x, ev)`` adds the properties or items the node
  evaluates, for ``unevaluated*`` (only where one can see them).

This module holds what every keyword shares: the functions written so far, module
constants, the dynamic scope, inlining, and the skeleton of each form. The keywords
themselves are written by ``scalars``, ``objects``, ``arrays`` and ``applicators``, one
function per keyword and form, side by side. Functions are written on demand, so only
what is used is emitted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ...python.literals import name_words, py_literal
from ...types.naming import pascal
from .. import plan as p
from . import applicators, arrays, objects, scalars
from . import code as c
from .code import Atom, Block, Expr
from .jsontypes import FAMILY_TYPES, family_guard, type_test

__all__ = ["Function", "PythonValidators", "Site", "Table", "write_steps"]


@dataclass
class Function:
    """One generated function."""

    name: str
    params: str
    returns: str
    body: list[str]
    calls: set[str]
    #: Another function this one is a twin of (written ``name = alias``: see ``share``).
    alias: str | None = None
    #: The function whose module this one is written in (a helper of it), if not its own.
    owner: str | None = None
    #: The functions it tries in turn (``return a(x) or b(x)``), if that is all it does.
    tries: tuple[str, ...] = ()


@dataclass
class Table:
    """A module-level dict from keys to generated functions, defined after them."""

    name: str
    entries: list[tuple[str, str]]
    calls: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Site:
    """Where error lines go: the variable holding the value, the expression of its
    JSON Pointer, the list errors are appended to, and the node whose function the
    lines are written in (for the scope of calls)."""

    v: str
    path: str
    sink: str
    caller: p.Node

    def at(self, v: str, path: str) -> Site:
        return replace(self, v=v, path=path)

    def into(self, sink: str) -> Site:
        return replace(self, sink=sink)

    def append(self, keyword: str, arg: str, extra: str = "") -> str:
        """The line appending an error for ``keyword`` (``arg``: the keyword's value)."""
        return f"{self.sink}.append(_error({self.path}, {py_literal(keyword)}, {self.v}, {arg}{extra}))"


class Constants:
    """Module-level constants, one name per distinct value."""

    def __init__(self) -> None:
        #: name -> (annotation or "", literal)
        self.items: dict[str, tuple[str, str]] = {}
        self._names: dict[str, str] = {}

    def add(self, stem: str, literal: str, annotation: str = "") -> str:
        found = self._names.get(literal)
        if found is not None:
            return found
        name = stem
        while name in self.items:
            name += "_"
        self.items[name] = (annotation, literal)
        self._names[literal] = name
        return name


#: Writers of a check's expression form, by check class.
_EXPRESSIONS: dict[
    type[p.Check], Callable[[PythonValidators, p.Check, str, p.Node | None], Expr]
] = {
    **scalars.EXPRESSIONS,
    **applicators.EXPRESSIONS,
}
#: Writers of a check's error form, by check class.
_ERRORS: dict[type[p.Check], Callable[[PythonValidators, Block, p.Node, p.Check, Site], None]] = {
    **scalars.ERRORS,
    **objects.ERRORS,
    **arrays.ERRORS,
    **applicators.ERRORS,
}
#: Writers of a check's collecting form, by check class.
_COLLECT: dict[type[p.Check], Callable[[PythonValidators, Block, p.Node, p.Check, str], None]] = {
    **objects.COLLECT,
    **arrays.COLLECT,
    **applicators.COLLECT,
}


class PythonValidators:
    """Writes the functions of a validation plan on demand."""

    def __init__(self) -> None:
        self.consts = Constants()
        self.functions: dict[str, Function] = {}
        self.tables: dict[str, Table] = {}
        self.formats: set[str] = set()
        self._pending: list[tuple[str, p.Node, Callable[[p.Node], Function]]] = []
        #: (owner, functions tried) -> the function trying them (see any_function)
        self._tries: dict[tuple[str, tuple[str, ...]], str] = {}

    # ------------------------------------------------------------------ functions

    def _function(self, prefix: str, node: p.Node, build: Callable[[p.Node], Function]) -> str:
        name = f"_{prefix}_{node.name}"
        if name not in self.functions:
            self.functions[name] = Function(name, "", "", [], set())  # placeholder
            self._pending.append((name, node, build))
        return name

    def fast_function(self, node: p.Node) -> str:
        return self._function("v", node, self._fast_body)

    def error_function(self, node: p.Node) -> str:
        return self._function("e", node, self._error_body)

    def collect_function(self, node: p.Node) -> str:
        return self._function("j", node, self._collect_body)

    def finish(self) -> None:
        """Write every function asked for so far (and those they call)."""
        while self._pending:
            name, node, build = self._pending.pop(0)
            function = build(node)
            function.name = name
            self.functions[name] = function

    def table(self, name: str, entries: list[tuple[str, str]]) -> str:
        """A module-level dict ``name`` of ``entries`` (key as source text, value a
        generated function's name); the same table asked for again is that table. A
        name two different tables would have (made from schema text) is told apart
        with ``_``."""
        while name in self.tables and self.tables[name].entries != entries:
            name += "_"
        if name not in self.tables:
            self.tables[name] = Table(name, entries, {fn for _, fn in entries})
        return name

    def any_function(self, node: p.Node, label: str, functions: list[str]) -> str:
        """A function true when one of ``functions`` holds (tried in turn), written
        beside ``node``'s fast function: what one tag value of its union selects
        (``label``: that value, in PascalCase in the name)."""
        owner = self.fast_function(node)
        tries = tuple(functions)
        found = self._tries.get((owner, tries))
        if found is not None:
            return found
        stem = f"_any_{node.name}_{pascal(label) or 'Value'}"
        name, number = stem, 1
        while name in self.functions:
            number += 1
            name = f"{stem}_{number}"
        body = ["return " + " or ".join(f"{f}(x)" for f in tries)]
        self.functions[name] = Function(
            name, "x: Any", "bool", body, set(tries), owner=owner, tries=tries
        )
        self._tries[owner, tries] = name
        return name

    @staticmethod
    def params(node: p.Node, params: str) -> str:
        return params + (", s: tuple[int, ...]" if node.scoped else "")

    @staticmethod
    def scope(caller: p.Node | None, callee: p.Node) -> str:
        """The scope argument for a call from ``caller``'s function to ``callee``."""
        if not callee.scoped:
            return ""
        number = callee.location.resource.number
        if caller is None:
            return f", ({number},)"
        if caller.location.resource is callee.location.resource:
            return ", s"
        return f", s + ({number},)"

    # ------------------------------------------------------------------ constants

    def regex(self, regex: p.Regex) -> str:
        """The compiled ``regex``, named after its letters and digits (the first 40)."""
        words = name_words(regex.source, 40)
        literal = f"re.compile({py_literal(regex.python)})"
        return self.consts.add(f"_RE_{words}" if words else "_RE", literal)

    def keys(self, node: p.Node, names: Iterable[str]) -> str:
        listed = ", ".join(py_literal(n) for n in names)
        return self.consts.add(f"_KEYS_{node.name}", f"frozenset({{{listed}}})")

    # ------------------------------------------------------------------ fast form

    def fast(
        self, node: p.Node, v: str, caller: p.Node | None = None, *, fresh: bool = False
    ) -> Expr:
        """An expression true when the value in ``v`` is valid against ``node``;
        ``fresh``: ``v`` was just read (a property value, an item), so no test has
        narrowed its type."""
        if node.is_false:
            return c.FALSE
        if node.is_true:
            return c.TRUE
        if node.inline_fast:
            return self._inline(node, v, caller, fresh)
        name = self.fast_function(node)
        return Atom(f"{name}({v}{self.scope(caller, node)})", calls=frozenset({name}))

    def expression(self, check: p.Check, v: str, caller: p.Node | None) -> Expr:
        """The expression form of a check (only checks that have one)."""
        return _EXPRESSIONS[type(check)](self, check, v, caller)

    def _inline(self, node: p.Node, v: str, caller: p.Node | None, fresh: bool) -> Expr:
        types = node.types
        bare = fresh and scalars.requires_string(node)
        parts = _type_tests(node, v, bare)
        for family in (None, *p.FAMILIES):
            checks = [
                x for x in node.checks if p.family_of(x) == family and not isinstance(x, p.Type)
            ]
            if checks:
                ok = c.all_of(self._check(x, v, caller, bare) for x in checks)
                parts.append(self._guarded(family, types, ok, v))
        return c.all_of(parts)

    def _check(self, check: p.Check, v: str, caller: p.Node | None, bare: bool) -> Expr:
        """A check's expression. With ``bare`` (the node requires a string, and its value
        is not narrowed yet), a ``const`` or one-value ``enum`` of a string is a bare
        comparison with its own value."""
        own = scalars.required_string(check) if bare else None
        if own is not None:
            return scalars.equals_string(own, v)
        return self.expression(check, v, caller)

    @staticmethod
    def _guarded(family: str | None, types: frozenset[str] | None, ok: Expr, v: str) -> Expr:
        """``ok`` for values of ``family``; other values pass (keywords apply to their
        own type only)."""
        if family is None or ok == c.TRUE:
            return ok
        allowed = FAMILY_TYPES[family]
        if types is not None and not (types & allowed):
            return c.TRUE  # the type check already fails such values
        if types is not None and types <= allowed:
            return ok
        return c.any_of([c.negate(family_guard(family, v)), ok])

    def _fast_body(self, node: p.Node) -> Function:
        steps: list[Expr | Block] = []
        types = node.types
        keyed = objects.keyed(node)
        if node.is_false:
            steps.append(c.FALSE)
        # The function's value has not been narrowed when its own tests come first.
        bare = scalars.requires_string(node)
        if not keyed:
            steps += _type_tests(node, "x", bare)
        steps += [
            self._check(x, "x", node, bare) for x in node.checks if isinstance(x, (p.Const, p.Enum))
        ]
        for family in p.FAMILIES:
            checks = [x for x in node.checks if p.family_of(x) == family]
            allowed = FAMILY_TYPES[family]
            if not checks or (types is not None and not (types & allowed)):
                continue
            inner = self._fast_family(node, family, checks, keyed)
            if types is not None and types <= allowed:
                steps.extend(inner)
                continue
            block = Block()
            with block.if_(family_guard(family, "x")):
                write_steps(block, inner)
            steps.append(block)
        for check in node.checks:
            if p.family_of(check) is None and not isinstance(check, (p.Type, p.Const, p.Enum)):
                steps.extend(applicators.fast(self, node, check))
        body = Block()
        if keyed:
            # Only a plain dict is read by key (see objects.keyed): a subclass is copied.
            with body.if_(Atom("type(x) is not dict", "type(x) is dict")):
                with body.if_(Atom("not isinstance(x, dict)", "isinstance(x, dict)")):
                    body.line("return False")
                body.line("x = dict(x)")
            with body.try_():
                write_steps(body, steps, final=True)
            with body.except_("except KeyError:"):
                body.line("return False")
        else:
            write_steps(body, steps, final=True)
        return Function("", self.params(node, "x: Any"), "bool", body.lines, body.calls)

    def _fast_family(
        self, node: p.Node, family: str, checks: list[p.Check], keyed: bool
    ) -> list[Expr | Block]:
        steps: list[Expr | Block] = [
            self.expression(x, "x", node) for x in checks if x.__class__ in scalars.FAMILY_SCALARS
        ]
        if family == "object":
            steps += objects.fast(self, node, checks, keyed=keyed)
        elif family == "array":
            steps += arrays.fast(self, node, checks)
        return steps

    # ------------------------------------------------------------------ error form

    def _error_body(self, node: p.Node) -> Function:
        block = Block()
        self.errors(block, node, Site("x", "p", "e", node), own=True)
        return Function(
            "", self.params(node, "x: Any, p: str, e: list[_Error]"), "None",
            block.lines or ["pass"], block.calls,
        )  # fmt: skip

    def errors(self, block: Block, node: p.Node, site: Site, *, own: bool = False) -> None:
        """Lines appending every error of the value at ``site`` against ``node``: inline
        for small nodes, else a call of the node's error function."""
        if node.is_true:
            return
        if node.is_false:
            block.line(site.append("false", "None"))
            return
        if not own and not node.inline_errors:
            name = block.call(self.error_function(node))
            block.line(f"{name}({site.v}, {site.path}, {site.sink}{self.scope(site.caller, node)})")
            return
        if own:
            site = replace(site, caller=node)
        for check in node.checks:
            _ERRORS[type(check)](self, block, node, check, site)

    def report(self, block: Block, bad: Expr, site: Site, keyword: str, arg: str) -> None:
        """``if bad:`` append the error of ``keyword`` at ``site``."""
        with block.if_(bad):
            block.line(site.append(keyword, arg))

    # ------------------------------------------------------------------ collecting form

    def _collect_body(self, node: p.Node) -> Function:
        block = Block()
        self.collect_into(block, node, "x")
        return Function(
            "", self.params(node, "x: Any, ev: set[Any]"), "None", block.lines or ["pass"],
            block.calls,
        )  # fmt: skip

    def collects_nothing(self, node: p.Node, seen: frozenset[int] = frozenset()) -> bool:
        """Does ``node`` never evaluate a property or an item (no ``_j_`` needed)?"""
        if id(node) in seen or node.constant is not None:
            return True
        seen = seen | {id(node)}
        for check in node.checks:
            if type(check) in _COLLECT and not isinstance(check, _IN_PLACE):
                return False
            if isinstance(check, p.DynamicRef):
                return False
            if isinstance(check, p.Not):
                continue
            if any(not self.collects_nothing(n, seen) for n in check.children()):
                return False
        return True

    def collect_call(self, block: Block, node: p.Node, child: p.Node, v: str) -> None:
        """The line adding ``child``'s annotations of the value in ``v`` to ``ev``."""
        if self.collects_nothing(child):
            return
        name = block.call(self.collect_function(child))
        block.line(f"{name}({v}, ev{self.scope(node, child)})")

    def collect_into(
        self, block: Block, node: p.Node, v: str, exclude: p.Check | None = None
    ) -> None:
        """Lines adding to ``ev`` what ``node``'s keywords evaluate (as the reference
        validator counts it), ``exclude`` left out."""
        for check in node.checks:
            writer = _COLLECT.get(type(check))
            if check is not exclude and writer is not None:
                writer(self, block, node, check, v)


_IN_PLACE = (p.Ref, p.AllOf, p.AnyOf, p.If, p.DependentSchemas)


def _type_tests(node: p.Node, v: str, bare: bool) -> list[Expr]:
    """The fast form's tests of ``node``'s ``type`` keywords for the value in ``v``;
    with ``bare`` (the node requires a string, compared bare), none that admits strings:
    the comparison with that string makes it redundant."""
    return [
        type_test(x.types, v, x.whole_floats)
        for x in node.checks
        if isinstance(x, p.Type) and not (bare and "string" in x.types)
    ]


def write_steps(block: Block, steps: list[Expr | Block], final: bool = False) -> None:
    """Write fail-fast steps: each expression must hold (else ``return False``); each
    block returns ``False`` itself. With ``final``, end with ``return``."""
    steps = [s for s in steps if not (isinstance(s, Expr) and s == c.TRUE)]
    for index, step in enumerate(steps):
        last = final and index == len(steps) - 1
        if isinstance(step, Block):
            block.extend(step)
            if last:
                block.line("return True")
            continue
        block.use(step)
        if last:
            text = c.render(step)
            block.line(f"return bool({text})" if c.untyped(step) else f"return {text}")
        elif step == c.FALSE:
            block.line("return False")
        else:
            with block.if_(c.negate(step)):
                block.line("return False")
    if final and not steps:
        block.line("return True")
