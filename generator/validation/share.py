"""One function for identical code: twins in a schema (the GA and beta forms of a type,
a definition copied under two names) are written once.

Functions whose text is the same (after the same renaming of the functions and tables
they use) do the same: each group keeps its first function, in the order they are
written; the others become aliases of it (``_v_B = _v_A``, so every name still works),
and every call, dispatch table and alias names the kept function instead. Dispatch
tables with the same entries are one table; a function that tries others in turn tries
a twin once. Renaming may make more functions the same, so it runs until nothing
changes. Only the text of what calls a shared name (its ``calls``) is renamed, and names
in string literals never are: a schema's property may be spelled like a function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from .emit import Function, Table

__all__ = ["STRING", "share_identical"]

#: A string literal as the generated code spells it.
STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\"""")
#: A string literal, or a private name (a function's or a table's) outside of one.
_TOKEN = re.compile(STRING.pattern + r"|\b_\w+")


def _pieces(text: str, names: Iterable[str]) -> list[str]:
    """``text`` cut around every use of ``names`` outside string literals: the names are
    the pieces at odd indexes."""
    wanted = set(names)
    out: list[str] = []
    start = 0
    for token in _TOKEN.finditer(text):
        if token.group(0) in wanted:
            out += [text[start : token.start()], token.group(0)]
            start = token.end()
    out.append(text[start:])
    return out


def _joined(pieces: list[str], to: Callable[[str], str]) -> str:
    out = pieces[:]
    out[1::2] = [to(name) for name in pieces[1::2]]
    return "".join(out)


def _entries(table: Table, to: Callable[[str], str]) -> list[tuple[str, str]]:
    """A table's entries renamed."""
    return [(key, _joined(_pieces(value, table.calls), to)) for key, value in table.entries]


def _tries(fn: Function, to: Callable[[str], str]) -> str:
    """The body of a function that tries others in turn, renamed: a function named
    twice is tried once (the first time: the order they are tried in)."""
    names = dict.fromkeys(to(name) for name in fn.tries)
    return "return " + " or ".join(f"{name}(x)" for name in names)


def _only_try(fn: Function, to: Callable[[str], str]) -> str | None:
    """The one function ``fn`` tries once its twins are one, if there is one (an alias
    of it calls what ``fn`` called: no import between modules is added)."""
    names = {to(name) for name in fn.tries}
    return names.pop() if len(names) == 1 else None


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

    def renames(names: Iterable[str]) -> bool:
        """Is one of ``names`` (what a function or table calls) shared away?"""
        return not canonical.keys().isdisjoint(names)

    tables = list(tables)
    texts = {fn.name: "\n".join(fn.body) for fn in functions}
    keys = {fn.name: (part(fn.name), fn.name[:3], fn.params, fn.returns) for fn in functions}
    # A function's text is cut around the names it calls once, and joined again only
    # when what those names stand for has changed.
    cut: dict[str, list[str]] = {}
    joined: dict[str, tuple[tuple[str, ...], str]] = {}

    def text(fn: Function) -> str:
        if not renames(fn.calls):
            return texts[fn.name]
        if fn.tries:
            return _tries(fn, to)
        state = tuple(to(c) for c in sorted(fn.calls))
        last = joined.get(fn.name)
        if last is None or last[0] != state:
            pieces = cut.get(fn.name)
            if pieces is None:
                pieces = cut[fn.name] = _pieces(texts[fn.name], fn.calls)
            last = joined[fn.name] = (state, _joined(pieces, to))
        return last[1]

    # Each group of equal keys has one owner: the first of its members in order (the
    # others are shared away). A key changes only when something its function or table
    # uses is shared away: only their users are looked at again.
    users: dict[str, list[str]] = {}
    uses = [(t.name, t.calls) for t in tables] + [(fn.name, fn.calls) for fn in functions]
    for user, names in uses:
        for name in names:
            users.setdefault(name, []).append(user)
    order = {user: index for index, (user, _) in enumerate(uses)}
    owner: dict[tuple[object, ...], str] = {}
    key_of: dict[str, tuple[object, ...]] = {}
    touched = set(order)

    def settle(name: str, key: tuple[object, ...]) -> None:
        """``name``'s key is now ``key``: it joins that group, or owns it."""
        old = key_of.get(name)
        if old == key:
            return
        if old is not None and owner.get(old) == name:
            del owner[old]
        key_of[name] = key
        first = owner.setdefault(key, name)
        if first == name:
            return
        if order[name] < order[first]:  # it comes first: it owns the group now
            owner[key] = name
            name, first = first, name
        canonical[name] = first
        touched.update(users.get(name, ()))

    while touched:
        now, touched = touched, set()
        for t in tables:
            if t.name in now and t.name not in canonical:
                entries = _entries(t, to) if renames(t.calls) else t.entries
                settle(t.name, ("table", *entries))
        for fn in functions:
            if fn.name in now and fn.name not in canonical and fn.alias is None:
                only = _only_try(fn, to)
                if only is None:
                    settle(fn.name, (*keys[fn.name], text(fn)))
                    continue
                # It tries one function now: it is that function (callers call it).
                old = key_of.pop(fn.name, None)
                if old is not None and owner.get(old) == fn.name:
                    del owner[old]
                canonical[fn.name] = only
                touched.update(users.get(fn.name, ()))
    if not canonical:
        return functions, tables
    shared = [
        replace(fn, body=[], calls={to(fn.name)}, alias=to(fn.name))
        if fn.name in canonical
        else replace(
            fn,
            body=text(fn).split("\n"),
            calls={to(c) for c in fn.calls},
            tries=tuple(dict.fromkeys(to(c) for c in fn.tries)),
        )
        if renames(fn.calls)
        else fn
        for fn in functions
        # A helper that tries functions is only in dispatch tables, which name what
        # it is shared into: no alias of it is needed.
        if not (fn.tries and fn.name in canonical)
    ]
    renamed_tables = [
        replace(t, entries=_entries(t, to), calls={to(c) for c in t.calls})
        if renames(t.calls)
        else t
        for t in tables
        if t.name not in canonical
    ]
    return shared, renamed_tables
