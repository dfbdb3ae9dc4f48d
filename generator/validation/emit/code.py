"""Structured building blocks for generated Python: boolean expressions as trees, and
statement blocks that keep their own indentation.

Expressions know which generated functions they call (``calls``), whether they are
trivially true or false, and how to negate themselves; decisions are taken on that
structure, never by reading code text back. Text appears only in :func:`render`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace

__all__ = [
    "FALSE",
    "TRUE",
    "Atom",
    "Block",
    "Expr",
    "all_of",
    "any_of",
    "calls_of",
    "negate",
    "render",
]


@dataclass(frozen=True)
class Expr:
    """A boolean expression."""

    def weight(self) -> int:
        return 1


@dataclass(frozen=True)
class Atom(Expr):
    """A comparison, call or name: binds tighter than ``not``/``and``/``or``.

    ``negated`` is the same test written the other way round (``x is not None`` for
    ``x is None``), when there is a natural one.
    """

    text: str
    negated: str | None = None
    calls: frozenset[str] = frozenset()
    cost: int = 1
    #: Its value is typed ``Any`` (a comparison of the raw value), not ``bool``.
    untyped: bool = False

    def weight(self) -> int:
        return self.cost


@dataclass(frozen=True)
class Const(Expr):
    value: bool

    def weight(self) -> int:
        return 0


@dataclass(frozen=True)
class And(Expr):
    items: tuple[Expr, ...]

    def weight(self) -> int:
        return sum(i.weight() for i in self.items)


@dataclass(frozen=True)
class Or(Expr):
    items: tuple[Expr, ...]

    def weight(self) -> int:
        return sum(i.weight() for i in self.items)


@dataclass(frozen=True)
class Not(Expr):
    item: Expr

    def weight(self) -> int:
        return self.item.weight()


@dataclass(frozen=True)
class ExactlyOne(Expr):
    """Exactly one of ``items`` holds (``oneOf``)."""

    items: tuple[Expr, ...]

    def weight(self) -> int:
        return sum(i.weight() for i in self.items) + 1


@dataclass(frozen=True)
class Cond(Expr):
    """``then if test else otherwise``."""

    test: Expr
    then: Expr
    otherwise: Expr

    def weight(self) -> int:
        return self.test.weight() + self.then.weight() + self.otherwise.weight()


TRUE = Const(True)
FALSE = Const(False)


def all_of(items: Iterable[Expr]) -> Expr:
    """``a and b and ...`` without trivially true or repeated parts; ``FALSE`` absorbs."""
    flat: list[Expr] = []
    for item in items:
        if item == TRUE:
            continue
        if item == FALSE:
            return FALSE
        for part in item.items if isinstance(item, And) else (item,):
            if part not in flat:  # a test already made (a type guard, twice) is true
                flat.append(part)
    if not flat:
        return TRUE
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(items: Iterable[Expr]) -> Expr:
    """``a or b or ...`` without trivially false, repeated or absorbed parts; ``TRUE``
    absorbs."""
    flat: list[Expr] = []
    for item in items:
        if item == FALSE:
            continue
        if item == TRUE:
            return TRUE
        for part in item.items if isinstance(item, Or) else (item,):
            if part not in flat:
                flat.append(part)
    # Absorption: ``y or (y and z)`` is ``y`` (an open enum: any string, or one of these).
    flat = [
        part
        for part in flat
        if not (isinstance(part, And) and any(other in part.items for other in flat))
    ]
    if not flat:
        return FALSE
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def exactly_one(items: Iterable[Expr]) -> Expr:
    parts = [i for i in items if i != FALSE]
    if not parts:
        return FALSE
    if len(parts) == 1:
        return parts[0]
    if sum(1 for p in parts if p == TRUE) > 1:
        return FALSE
    return ExactlyOne(tuple(parts))


def cond(test: Expr, then: Expr, otherwise: Expr) -> Expr:
    if test == TRUE:
        return then
    if test == FALSE:
        return otherwise
    if then == otherwise:
        return then
    if otherwise == TRUE:
        return any_of([negate(test), then])
    if then == TRUE:
        return any_of([test, otherwise])
    return Cond(test, then, otherwise)


def negate(expr: Expr) -> Expr:
    if isinstance(expr, Const):
        return FALSE if expr.value else TRUE
    if isinstance(expr, Not):
        return expr.item
    if isinstance(expr, Atom) and expr.negated is not None:
        return Atom(expr.negated, expr.text, expr.calls, expr.cost, expr.untyped)
    return Not(expr)


def untyped(expr: Expr) -> bool:
    """May ``expr`` be typed ``Any`` rather than ``bool`` (so that returning it needs
    ``bool(...)`` for a type checker)?"""
    if isinstance(expr, Atom):
        return expr.untyped
    if isinstance(expr, (And, Or)):
        return any(untyped(i) for i in expr.items)
    if isinstance(expr, Cond):
        return untyped(expr.then) or untyped(expr.otherwise)
    return False


def calls_of(expr: Expr) -> frozenset[str]:
    """The generated functions ``expr`` calls."""
    if isinstance(expr, Atom):
        return expr.calls
    if isinstance(expr, (And, Or, ExactlyOne)):
        return frozenset().union(*(calls_of(i) for i in expr.items))
    if isinstance(expr, Not):
        return calls_of(expr.item)
    if isinstance(expr, Cond):
        return calls_of(expr.test) | calls_of(expr.then) | calls_of(expr.otherwise)
    return frozenset()


_OR, _AND, _NOT, _COND, _TOP = 1, 2, 3, 0, -1


def render(expr: Expr, outer: int = _TOP) -> str:
    """Python source for ``expr``, parenthesised only where precedence needs it."""
    if isinstance(expr, Const):
        return "True" if expr.value else "False"
    if isinstance(expr, Atom):
        return expr.text
    if isinstance(expr, Not) and isinstance(expr.item, ExactlyOne):
        return "(" + " + ".join(f"({render(i)})" for i in expr.item.items) + " != 1)"
    if isinstance(expr, Not):
        text = "not " + render(expr.item, _NOT)
        level = _NOT
    elif isinstance(expr, And):
        text = " and ".join(render(i, _AND) for i in expr.items)
        level = _AND
    elif isinstance(expr, Or):
        text = " or ".join(render(i, _OR) for i in expr.items)
        level = _OR
    elif isinstance(expr, ExactlyOne):
        return "(" + " + ".join(f"({render(i)})" for i in expr.items) + " == 1)"
    elif isinstance(expr, Cond):
        text = (
            f"{render(expr.then, _OR)} if {render(expr.test, _OR)} else "
            f"{render(expr.otherwise, _COND)}"
        )
        level = _COND
    else:  # pragma: no cover - every kind is handled above
        raise TypeError(expr)
    return f"({text})" if level <= outer else text


@dataclass
class _Stmt:
    """A statement: a line, or a compound (``if``/``elif``/``else``/``for``/``try``/
    ``except``) with a body."""

    kind: str
    text: str = ""
    cond: Expr | None = None
    body: list[_Stmt] = field(default_factory=list)


@dataclass
class Block:
    """Statements as a tree, simplified when written out: an ``if`` whose whole body is
    another ``if`` becomes one ``if ... and ...``; a final ``if X: return False`` then
    ``return True`` becomes ``return not X``; empty bodies get ``pass``."""

    stmts: list[_Stmt] = field(default_factory=list)
    #: Generated functions called from these statements.
    calls: set[str] = field(default_factory=set)
    _stack: list[list[_Stmt]] = field(default_factory=list)

    def _target(self) -> list[_Stmt]:
        return self._stack[-1] if self._stack else self.stmts

    def line(self, text: str) -> None:
        self._target().append(_Stmt("line", text))

    @contextmanager
    def _compound(self, stmt: _Stmt) -> Iterator[None]:
        self._target().append(stmt)
        self._stack.append(stmt.body)
        try:
            yield
        finally:
            self._stack.pop()

    def if_(self, cond: Expr | str) -> AbstractContextManager[None]:
        """``if cond:`` (a string must be one comparison, call or name)."""
        expr = Atom(cond) if isinstance(cond, str) else cond
        self.use(expr)
        return self._compound(_Stmt("if", cond=expr))

    def elif_(self, cond: Expr | str) -> AbstractContextManager[None]:
        expr = Atom(cond) if isinstance(cond, str) else cond
        self.use(expr)
        return self._compound(_Stmt("elif", cond=expr))

    def else_(self) -> AbstractContextManager[None]:
        return self._compound(_Stmt("else"))

    def for_(self, header: str) -> AbstractContextManager[None]:
        """``for ...:`` (``header`` is the whole line, colon included)."""
        return self._compound(_Stmt("for", header))

    def try_(self) -> AbstractContextManager[None]:
        """``try:`` (follow it with :meth:`except_`)."""
        return self._compound(_Stmt("try", "try:"))

    def except_(self, header: str) -> AbstractContextManager[None]:
        """``except ...:`` (``header`` is the whole line, colon included)."""
        return self._compound(_Stmt("except", header))

    def extend(self, other: Block) -> None:
        self._target().extend(other.stmts)
        self.calls |= other.calls

    def use(self, *exprs: Expr) -> None:
        """Record the calls of expressions written into this block."""
        for expr in exprs:
            self.calls |= calls_of(expr)

    def call(self, name: str) -> str:
        self.calls.add(name)
        return name

    @property
    def empty(self) -> bool:
        return not self.stmts

    @property
    def lines(self) -> list[str]:
        out: list[str] = []
        _write(_finish(_simplify(self.stmts)), 0, out)
        return out


def _simplify(stmts: list[_Stmt]) -> list[_Stmt]:
    out: list[_Stmt] = []
    for index, stmt in enumerate(stmts):
        if stmt.kind == "line":
            out.append(stmt)
            continue
        body = _simplify(stmt.body)
        following = stmts[index + 1].kind if index + 1 < len(stmts) else ""
        if not body and (stmt.kind == "else" or (stmt.kind == "for" and following != "else")):
            continue  # a loop or an ``else`` that does nothing
        if stmt.kind == "if" and following not in ("elif", "else"):
            assert stmt.cond is not None
            if not body:
                continue  # conditions have no side effects
            if stmt.cond == TRUE:
                out.extend(body)
                continue
            if stmt.cond == FALSE:
                continue
            inner = body[0] if len(body) == 1 else None
            if inner is not None and inner.kind == "if" and inner.cond is not None:
                out.append(_Stmt("if", cond=all_of([stmt.cond, inner.cond]), body=inner.body))
                continue
        out.append(_Stmt(stmt.kind, stmt.text, stmt.cond, body))
    return out


def _finish(stmts: list[_Stmt]) -> list[_Stmt]:
    """``if X: return False`` + ``return True`` at the end → ``return not X`` (also at
    the end of a ``try`` that ends the statements but for its ``except``)."""
    if len(stmts) >= 2 and stmts[-2].kind == "try" and stmts[-1].kind == "except":
        body = _finish(stmts[-2].body)
        return [*stmts[:-2], replace(stmts[-2], body=body), stmts[-1]]
    if (
        len(stmts) >= 2
        and stmts[-1].kind == "line"
        and stmts[-1].text == "return True"
        and stmts[-2].kind == "if"
        and stmts[-2].cond is not None
        and len(stmts[-2].body) == 1
        and stmts[-2].body[0].kind == "line"
        and stmts[-2].body[0].text == "return False"
    ):
        ok = negate(stmts[-2].cond)
        text = f"bool({render(ok)})" if untyped(ok) else render(ok)
        return [*stmts[:-2], _Stmt("line", f"return {text}")]
    return stmts


def _write(stmts: list[_Stmt], depth: int, out: list[str]) -> None:
    pad = "    " * depth
    for stmt in stmts:
        if stmt.kind == "line":
            out.append(pad + stmt.text)
            continue
        if stmt.kind in ("if", "elif"):
            assert stmt.cond is not None
            out.append(f"{pad}{stmt.kind} {render(stmt.cond)}:")
        elif stmt.kind == "else":
            out.append(pad + "else:")
        else:
            out.append(pad + stmt.text)
        if stmt.body:
            _write(stmt.body, depth + 1, out)
        else:
            out.append(pad + "    pass")
