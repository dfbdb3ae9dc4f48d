"""``rtschema diff OLD NEW``: what changed between two schemas, and whom it breaks.

Both schemas go through the same loader and IR as the generator, so any input works
(JSON or YAML, JSON Schema or OpenAPI). Types are matched by name and compared field by
field. Every change is judged for two sides:

* **senders** (data a client sends): a new required field, a removed field of a closed
  object, a removed enum value or union variant, a narrower type, a tighter limit, or an
  object that starts rejecting unknown properties breaks them;
* **readers** (data a client receives): a removed field, a field that stops being
  required, a new enum value or union variant, a wider type (``null`` included) or a
  looser limit breaks them.

Which side matters depends on the type (see ``directions``): a closed object
(``additionalProperties: false``) is request data, since the canonical schema closes
exactly what clients send; other types serve the sides of the types that use them
("both" when used by both), and an open object nothing else decides for is response
data. The old schema's sides count, for types it has. A change is **breaking** when it
breaks a side its type serves, and its one verdict names those sides (``BREAKING for
senders``, ``for readers``, ``for senders and readers``); a change that breaks only a
side its type does not serve is ``compatible``, with nothing more said. Descriptions,
titles and defaults are not compared.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from ..docs.text import md_inline
from ..types import ir
from ..types.query import deref, node_types

__all__ = ["Change", "diff_schemas", "directions", "render_json", "render_markdown", "render_text"]

_MIN = ("minimum", "exclusive_minimum", "min_length", "min_items", "min_properties")
_MAX = ("maximum", "exclusive_maximum", "max_length", "max_items", "max_properties")


@dataclass
class Change:
    type: str
    path: str
    what: str
    senders: bool
    readers: bool
    direction: str

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    @property
    def breaks(self) -> list[str]:
        """The sides this change breaks among those its type serves: its one verdict
        (empty: compatible)."""
        serves = {"request": ("senders",), "response": ("readers",)}.get(
            self.direction, ("senders", "readers")
        )
        hit = {"senders": self.senders, "readers": self.readers}
        return [side for side in serves if hit[side]]

    @property
    def verdict(self) -> str:
        """``BREAKING for senders``, ``... for readers``, ``... for senders and readers``
        or ``compatible``."""
        breaks = self.breaks
        return f"BREAKING for {' and '.join(breaks)}" if breaks else "compatible"

    @property
    def where(self) -> str:
        return f"{self.type}.{self.path}" if self.path else self.type


def _refs(node: ir.Node) -> set[str]:
    """Names of the named types a node's own structure refers to."""
    found: set[str] = set()
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ir.RefNode):
            found.add(current.target.key)
            continue
        stack.extend(current.children())
    return found


def directions(schema: ir.Schema) -> dict[str, str]:
    """``request``, ``response`` or ``both`` for every named type (see the module doc).

    A closed object is request data. Any other type serves the sides of the types that
    use it. An open object nothing decides for is response data; a union nothing decides
    for serves its members' sides (a union of events of both kinds that nothing uses is
    ``both``) and decides nothing for them; any other type nothing decides for is
    ``both``.
    """
    users: dict[str, set[str]] = {t.key: set() for t in schema.types}
    closed: set[str] = set()
    objects: set[str] = set()
    for named in schema.types:
        if isinstance(named.node, ir.ObjectNode):
            objects.add(named.key)
            if named.node.closed:
                closed.add(named.key)
        for target in _refs(named.node):
            if target in users and target != named.key:
                users[target].add(named.key)
    unions = {t.key: _refs(t.node) for t in schema.types if isinstance(t.node, ir.UnionNode)}
    sides: dict[str, frozenset[str]] = {}
    #: Unions nothing decides for, whose side is that of their members (a union of
    #: client events is request data): they decide nothing for those members.
    derived: set[str] = set()
    for _ in range(len(schema.types) + 2):
        changed = False
        for named in schema.types:
            key = named.key
            value: frozenset[str] | None
            if key in closed:
                value = frozenset({"request"})
            else:
                deciders = [u for u in users[key] if u in sides and u not in derived]
                value = frozenset().union(*(sides[u] for u in deciders)) or None
                if value is None and key in objects:
                    value = frozenset({"response"})
                if value is None and key in unions:
                    members = [sides[m] for m in unions[key] if m in sides]
                    value = frozenset().union(*members) or None
                    if value is not None:
                        derived.add(key)
                elif key in derived:
                    derived.discard(key)
            if value is not None and sides.get(key) != value:
                sides[key] = value
                changed = True
        if not changed:
            break
    return {
        t.key: next(iter(sides[t.key])) if len(sides.get(t.key, ())) == 1 else "both"
        for t in schema.types
    }


class _Differ:
    def __init__(self, old: ir.Schema, new: ir.Schema) -> None:
        self.old = old
        self.new = new
        # A type's side is the one clients relied on: the old schema's, for types it has.
        self.dirs = {**directions(new), **directions(old)}
        self.changes: list[Change] = []
        self.type = ""

    def add(self, path: str, what: str, *, senders: bool = False, readers: bool = False) -> None:
        self.changes.append(
            Change(self.type, path, what, senders, readers, self.dirs.get(self.type, "both"))
        )

    # -------------------------------------------------------------- types

    def run(self) -> list[Change]:
        old = {t.key: t for t in self.old.types}
        new = {t.key: t for t in self.new.types}
        for key in sorted(set(old) | set(new)):
            self.type = key
            if key not in new:
                self.add("", "type removed", senders=True, readers=True)
            elif key not in old:
                self.add("", "type added")
            else:
                a, b = old[key], new[key]
                if a.nullable != b.nullable:
                    if b.nullable:
                        self.add("", "now accepts null", readers=True)
                    else:
                        self.add("", "no longer accepts null", senders=True)
                self.node(a.node, b.node, "")
        return self.changes

    # -------------------------------------------------------------- nodes

    def node(self, a: ir.Node, b: ir.Node, path: str) -> None:
        if isinstance(a, ir.RefNode) and isinstance(b, ir.RefNode):
            if a.target.key != b.target.key:
                self.add(
                    path,
                    f"now {b.target.key} instead of {a.target.key}",
                    senders=True,
                    readers=True,
                )
            elif a.target.nullable != b.target.nullable:
                pass  # reported on the named type itself
            return
        ta, tb = node_types(a), node_types(b)
        if ta != tb:
            wider = _wider(ta, tb)
            narrower = _wider(tb, ta)
            shown = f"{_types(ta)} -> {_types(tb)}"
            if wider and not narrower:
                self.add(path, f"type widened: {shown}", readers=True)
            elif narrower and not wider:
                self.add(path, f"type narrowed: {shown}", senders=True)
            else:
                self.add(path, f"type changed: {shown}", senders=True, readers=True)
        da, db = deref(a), deref(b)
        if isinstance(a, ir.RefNode) != isinstance(b, ir.RefNode):
            if not (isinstance(da, type(db)) and _same_shape(da, db)):
                which = (
                    b.target.key
                    if isinstance(b, ir.RefNode)
                    else a.target.key
                    if isinstance(a, ir.RefNode)
                    else ""
                )
                self.add(
                    path, f"now described differently (via {which})", senders=True, readers=True
                )
            return
        if isinstance(a, ir.ObjectNode) and isinstance(b, ir.ObjectNode):
            self.obj(a, b, path)
        elif isinstance(a, ir.UnionNode) and isinstance(b, ir.UnionNode):
            self.union(a, b, path)
        elif isinstance(a, ir.LiteralNode) and isinstance(b, ir.LiteralNode):
            self.values(a.values, b.values, path, closed=True)
        elif isinstance(a, ir.OpenEnumNode) and isinstance(b, ir.OpenEnumNode):
            self.values(a.known, b.known, path, closed=False)
            self.limits(a.string, b.string, path)
        elif isinstance(a, ir.LiteralNode) and isinstance(b, (ir.OpenEnumNode, ir.StringNode)):
            self.add(path, "now accepts any string, not only its listed values", readers=True)
        elif isinstance(a, (ir.OpenEnumNode, ir.StringNode)) and isinstance(b, ir.LiteralNode):
            self.add(path, "now accepts only its listed values, not any string", senders=True)
        elif isinstance(a, ir.ArrayNode) and isinstance(b, ir.ArrayNode):
            self.limits(a, b, path)
            if a.unique_items != b.unique_items:
                if b.unique_items:
                    self.add(path, "items must now be unique", senders=True)
                else:
                    self.add(path, "items may now repeat", readers=True)
            self.node(a.items, b.items, _join(path, "[]"))
        elif isinstance(a, ir.MapNode) and isinstance(b, ir.MapNode):
            self.limits(a, b, path)
            self.node(a.values, b.values, _join(path, "{}"))
        elif isinstance(a, (ir.StringNode, ir.NumberNode)) and type(a) is type(b):
            self.limits(a, b, path)
            if (
                isinstance(a, ir.NumberNode)
                and isinstance(b, ir.NumberNode)
                and a.integer != b.integer
            ):
                if b.integer:
                    self.add(path, "now integer only", senders=True)
                else:
                    self.add(path, "now any number, not only integers", readers=True)
            if (
                isinstance(a, ir.StringNode)
                and isinstance(b, ir.StringNode)
                and a.pattern != b.pattern
            ):
                if a.pattern is None:
                    self.add(path, f"must now match {b.pattern!r}", senders=True)
                elif b.pattern is None:
                    self.add(path, f"no longer has to match {a.pattern!r}", readers=True)
                else:
                    self.add(
                        path, f"pattern {a.pattern!r} -> {b.pattern!r}", senders=True, readers=True
                    )

    def obj(self, a: ir.ObjectNode, b: ir.ObjectNode, path: str) -> None:
        fa = {f.key: f for f in a.fields}
        fb = {f.key: f for f in b.fields}
        for key in fa:
            if key not in fb:
                self.add(_join(path, key), "field removed", readers=True, senders=b.closed)
        for key in fb:
            if key not in fa:
                if fb[key].required:
                    self.add(_join(path, key), "required field added", senders=True)
                else:
                    self.add(_join(path, key), "optional field added")
        for key in fa:
            if key in fb:
                x, y = fa[key], fb[key]
                if x.required and not y.required:
                    self.add(_join(path, key), "no longer required", readers=True)
                elif y.required and not x.required:
                    self.add(_join(path, key), "now required", senders=True)
                self.node(x.node, y.node, _join(path, key))
        if a.closed != b.closed:
            if b.closed:
                self.add(path, "now rejects unknown properties", senders=True)
            else:
                self.add(path, "now accepts unknown properties", readers=True)
        elif a.extra is not None and b.extra is not None and not (a.open and b.open):
            self.node(a.extra, b.extra, _join(path, "{}"))
        self.limits(a, b, path)

    def union(self, a: ir.UnionNode, b: ir.UnionNode, path: str) -> None:
        sa = {_signature(v): v for v in a.variants}
        sb = {_signature(v): v for v in b.variants}
        for sig in sa:
            if sig not in sb:
                self.add(path, f"variant {sig} removed", senders=True)
        for sig in sb:
            if sig not in sa:
                self.add(path, f"variant {sig} added", readers=True)
        for sig in sa:
            if sig in sb:
                self.node(sa[sig], sb[sig], _join(path, sig) if len(sa) > 1 else path)
        if a.one_of != b.one_of:
            self.add(path, "anyOf and oneOf swapped", senders=True, readers=True)

    def values(self, a: tuple[Any, ...], b: tuple[Any, ...], path: str, *, closed: bool) -> None:
        old = {json.dumps(v, sort_keys=True) for v in a}
        new = {json.dumps(v, sort_keys=True) for v in b}
        for value in sorted(old - new):
            self.add(path, f"value {value} removed", senders=closed)
        for value in sorted(new - old):
            self.add(path, f"value {value} added", readers=closed)

    def limits(self, a: ir.Node, b: ir.Node, path: str) -> None:
        for attr in _MIN + _MAX:
            x, y = getattr(a, attr, None), getattr(b, attr, None)
            if x == y:
                continue
            name = attr.replace("_", " ")
            is_min = attr in _MIN
            tighter = y is not None and (x is None or (y > x if is_min else y < x))
            shown = f"{name} {_num(x)} -> {_num(y)}"
            if tighter:
                self.add(path, f"tighter limit: {shown}", senders=True)
            else:
                self.add(path, f"looser limit: {shown}", readers=True)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _num(value: Any) -> str:
    return "none" if value is None else json.dumps(value)


def _types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    names = [t for t in ir.JSON_TYPES if t in types and not (t == "integer" and "number" in types)]
    return "|".join(names)


def _wider(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    """Does ``new`` allow JSON types ``old`` did not?"""
    if new is None:
        return old is not None
    if old is None:
        return False
    return bool(new - old)


def _signature(node: ir.Node) -> str:
    if isinstance(node, ir.RefNode):
        return node.target.key
    target = deref(node)
    if isinstance(target, ir.ObjectNode):
        for f in target.fields:
            lit = deref(f.node)
            if f.required and isinstance(lit, ir.LiteralNode) and len(lit.values) == 1:
                return f"{f.key}={json.dumps(lit.values[0])}"
        return "object"
    if isinstance(target, ir.LiteralNode):
        return " | ".join(json.dumps(v) for v in target.values)
    if isinstance(target, ir.NumberNode):
        return "integer" if target.integer else "number"
    return target.kind


def _same_shape(a: ir.Node, b: ir.Node) -> bool:
    return type(a) is type(b) and node_types(a) == node_types(b)


def diff_schemas(old: ir.Schema, new: ir.Schema) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order."""
    return _Differ(old, new).run()


def render_text(changes: list[Change], old: str, new: str) -> str:
    lines = [f"{old} -> {new}"]
    for change in changes:
        lines.append(f"{change.verdict:22} {change.where}: {change.what} [{change.direction}]")
    breaking = sum(c.breaking for c in changes)
    lines.append(f"{breaking} breaking, {len(changes) - breaking} compatible")
    return "\n".join(lines) + "\n"


def render_markdown(changes: list[Change]) -> str:
    """A changelog section body: one bullet per change, breaking ones first."""
    if not changes:
        return "No changes to types or fields.\n"
    lines = []
    for change in sorted(changes, key=lambda c: not c.breaking):
        breaks = change.breaks
        label = f"**Breaking** for {' and '.join(breaks)}" if breaks else "Compatible"
        where = md_inline(change.where).replace("`", "'")
        lines.append(f"- {label}: `{where}`: {md_inline(change.what)}.")
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change], old: str, new: str) -> str:
    items = [{**asdict(c), "breaking": c.breaking, "breaks": c.breaks} for c in changes]
    breaking = sum(c.breaking for c in changes)
    summary = {"breaking": breaking, "compatible": len(changes) - breaking}
    return (
        json.dumps({"old": old, "new": new, "changes": items, "summary": summary}, indent=2) + "\n"
    )
