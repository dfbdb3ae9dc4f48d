"""One function for identical code: twins in a schema (the GA and beta forms of a type,
a definition copied under two names) are written once.

Functions whose text is the same (after the same renaming of the functions and tables
they use) do the same: each group keeps its first function, in the order they are
written; the others become aliases of it (``_v_B = _v_A``, so every name still works),
and every call, dispatch table and alias names the kept function instead. Dispatch
tables with the same entries are one table. Renaming may make more functions the same,
so it runs until nothing changes. Names in string literals are never touched: a
schema's property may be spelled like a function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from .emit import Function, Table

__all__ = ["STRING", "share_identical"]

#: A string literal as the generated code spells it.
STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")
#: A private name: those of the functions and tables shared away are renamed.
_FUNCTION = re.compile(r"\b_\w+")


def _renamed(line: str, to: Callable[[str], str]) -> str:
    """``line`` with every private name outside string literals mapped by ``to``."""
    out: list[str] = []
    start = 0
    for literal in STRING.finditer(line):
        out.append(_FUNCTION.sub(lambda m: to(m.group(0)), line[start : literal.start()]))
        out.append(literal.group(0))
        start = literal.end()
    out.append(_FUNCTION.sub(lambda m: to(m.group(0)), line[start:]))
    return "".join(out)


def _entries(table: Table, to: Callable[[str], str]) -> list[tuple[str, str]]:
    """A table's entries renamed; in a table of tuples of functions (``(a, b, )``), a
    function named twice is kept once (the first time: the order they are tried in)."""
    if not table.tuples:
        return [(key, _renamed(value, to)) for key, value in table.entries]
    out = []
    for key, value in table.entries:
        names = [to(n) for n in value[1:-1].split(", ") if n]
        out.append((key, "(" + "".join(f"{n}, " for n in dict.fromkeys(names)) + ")"))
    return out


def share_identical(
    functions: list[Function], tables: Iterable[Table], part: Callable[[str], object]
) -> tuple[list[Function], list[Table]]:
    """``functions`` (in the order they are written) and ``tables`` with every group of
    identical functions written once (see the module's text); only functions of the same
    ``part`` (by name: the module they are written in) are shared, so sharing adds no
    import between modules."""
    canonical: dict[str, str] = {}

    def to(name: str) -> str:
        while name in canonical:
            name = canonical[name]
        return name

    tables = list(tables)
    changed = True
    while changed:
        changed = False
        same: dict[tuple[object, ...], str] = {}
        for t in tables:
            if t.name in canonical:
                continue
            kept = same.setdefault((t.tuples, *_entries(t, to)), t.name)
            if kept != t.name:
                canonical[t.name] = kept
                changed = True
        first: dict[tuple[object, str, str, str, tuple[str, ...]], str] = {}
        for fn in functions:
            if fn.name in canonical or fn.alias is not None:
                continue
            body = tuple(_renamed(x, to) for x in fn.body)
            key = (part(fn.name), fn.name[:3], fn.params, fn.returns, body)
            kept = first.setdefault(key, fn.name)
            if kept != fn.name:
                canonical[fn.name] = kept
                changed = True
    if not canonical:
        return functions, tables
    shared = [
        replace(fn, body=[], calls={to(fn.name)}, alias=to(fn.name))
        if fn.name in canonical
        else replace(fn, body=[_renamed(x, to) for x in fn.body], calls={to(c) for c in fn.calls})
        for fn in functions
    ]
    renamed_tables = [
        replace(
            t,
            entries=_entries(t, to),
            calls={to(c) for c in t.calls},
        )
        for t in tables
        if t.name not in canonical
    ]
    return shared, renamed_tables
