"""The fast path's reading of an object's properties: ``required`` and ``properties``
together, each value read once, and plain object and array schemas (and union branches
chosen by their tag) written in their caller's function rather than called.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...python.literals import py_literal
from .. import plan as p
from . import code as c
from .code import Atom, Block, Expr
from .jsontypes import type_test
from .scalars import required_test

if TYPE_CHECKING:
    from .writer import PythonValidators

__all__ = [
    "INLINE_OBJECT_DEPTH",
    "INLINE_OBJECT_PROPERTIES",
    "extra_key",
    "fast_additional",
    "fast_items",
    "fast_properties",
    "member",
    "pattern_match",
    "plain_check",
    "plain_schema",
    "required_names",
    "tagged_branch",
    "write_fail_steps",
]


def pattern_match(w: PythonValidators, regexes: Iterable[p.Regex], k: str) -> Expr:
    """The key in ``k`` matches one of ``regexes`` (keys that are not strings never do)."""
    tests = [Atom(f"{w.regex(r)}.search({k}) is not None") for r in regexes]
    if not tests:
        return c.FALSE
    return c.all_of([Atom(f"isinstance({k}, str)"), c.any_of(tests)])


def extra_key(w: PythonValidators, node: p.Node, check: p.AdditionalProperties, k: str) -> Expr:
    """The key in ``k`` is one ``additionalProperties`` applies to."""
    parts: list[Expr] = []
    if check.names:
        parts.append(Atom(f"{k} not in {w.keys(node, check.names)}"))
    if check.patterns:
        parts.append(c.negate(pattern_match(w, check.patterns, k)))
    return c.all_of(parts)


#: Most properties a plain object schema has to be written into its parent's function.
INLINE_OBJECT_PROPERTIES = 12


#: How many plain objects deep the fast path writes them into one function.
INLINE_OBJECT_DEPTH = 2


def fast_properties(
    w: PythonValidators,
    node: p.Node,
    checks: list[p.Check],
    x: str = "x",
    depth: int = 0,
    *,
    keyed: bool = False,
    given: frozenset[str] = frozenset(),
) -> tuple[list[Expr | Block], p.AdditionalProperties | None]:
    """``required`` and ``properties`` together: each value is read once. ``x`` holds
    the object; ``depth``: how many plain objects deep it is written in its caller;
    ``keyed``: read required values as ``x["k"]`` (see :func:`keyed`); ``given``:
    required properties the caller found present and valid, not read again. Also
    returns the ``additionalProperties`` these steps check by counting, if any (its own
    steps are then not needed)."""
    required: list[str] = []
    props: dict[str, p.Node] = {}
    for check in checks:
        if isinstance(check, p.Required):
            required += check.names
        elif isinstance(check, p.Properties):
            props.update(check.nodes)
    steps: list[Expr | Block] = []
    missing = [n for n in required if n not in props or props[n].is_true]
    if missing:
        steps.append(required_test(w, tuple(dict.fromkeys(missing)), x))
    v = member(depth)
    # A closed object (``additionalProperties: false`` beside its ``properties``) has
    # no other key when its key count is the count of its properties found: cheaper
    # than a set test of every key, for the presence of each property is tested anyway.
    counted = _counted(checks)
    known = _known(x) if counted is not None else None
    block = Block()
    if known is not None:
        block.line(f"{known} = {len(set(required))}")
    # An optional property is ``"k" in x`` then ``x["k"]``, not ``x.get("k", _MISSING)``:
    # when absent (most of them, in most payloads) it costs one containment test instead
    # of a method call; when present a second lookup, still no dearer than the call.
    for name, child in _tags_first(props, required):
        if name in given:
            continue
        if child.is_true:
            if known is not None and name not in required:
                with block.if_(Atom(f"{py_literal(name)} in {x}")):
                    block.line(f"{known} += 1")
            continue
        key = py_literal(name)
        plain, ok, inner = _value_check(w, node, child, v, depth)
        if name in required:
            fails = c.negate(ok)
            if keyed:
                read = f"{v} = {x}[{key}]"
            elif _rejects_null(plain or child):
                # A missing value reads as None, which the check rejects as it must.
                read = f"{v} = {x}.get({key})"
            else:
                read = f"{v} = {x}.get({key}, _MISSING)"
                fails = c.any_of([Atom(f"{v} is _MISSING"), fails])
            block.line(read)
            _write_value_check(block, fails, inner)
            continue
        with block.if_(Atom(f"{key} in {x}", f"{key} not in {x}")):
            if known is not None:
                block.line(f"{known} += 1")
            block.line(f"{v} = {x}[{key}]")
            _write_value_check(block, c.negate(ok), inner)
    if not block.empty:
        steps.append(block)
    if known is not None:
        steps.append(Atom(f"len({x}) == {known}", f"len({x}) != {known}"))
    return steps, counted


def _counted(checks: list[p.Check]) -> p.AdditionalProperties | None:
    """The ``additionalProperties: false`` among ``checks`` that :func:`fast_properties`
    checks by counting the properties found, if it can (no ``patternProperties``;
    every required name is a property)."""
    required = required_names(checks)
    for check in checks:
        if not (isinstance(check, p.AdditionalProperties) and check.node.is_false):
            continue
        if check.patterns or not check.names:
            continue
        if required <= set(check.names):
            return check
    return None


def required_names(checks: list[p.Check]) -> set[str]:
    """The names the ``required`` keywords among ``checks`` list."""
    return {n for x in checks if isinstance(x, p.Required) for n in x.names}


def _known(x: str) -> str:
    """The counter of the properties found in the object in ``x``."""
    return "known" if x == "x" else f"known_{x}"


def _rejects_null(node: p.Node) -> bool:
    """Does ``node`` reject ``null`` (by its ``type``, ``const`` or ``enum``, here or in
    the schema it is an alias of)?"""
    for _ in range(50):
        for check in node.checks:
            if isinstance(check, p.Type) and "null" not in check.types:
                return True
            if isinstance(check, p.Const) and check.value is not None:
                return True
            if isinstance(check, p.Enum) and None not in check.values:
                return True
        if len(node.checks) == 1 and isinstance(node.checks[0], p.Ref):
            node = node.checks[0].target
            continue
        break
    return node.is_false


def member(depth: int) -> str:
    """The variable for the property values (items) of a value written ``depth`` plain
    schemas deep in its function (``x`` is the function's own value)."""
    return "v" if depth == 0 else f"v{depth}"


_PLAIN_OBJECT = (p.Type, p.Properties, p.Required, p.AdditionalProperties, p.Size)


_PLAIN_ARRAY = (p.Type, p.Items, p.Size)


def plain_schema(node: p.Node) -> p.Node | None:
    """``node``, or the schema it is an alias of, when it is a plain object or array
    schema that its parent may check in its own function rather than call: ``type``
    ``object`` (or ``null``) with only ``properties`` (at most
    :data:`INLINE_OBJECT_PROPERTIES`), ``required``, a boolean ``additionalProperties``
    and size limits; or ``type`` ``array`` (or ``null``) with only ``items`` and size
    limits."""
    for _ in range(50):
        if node.collects or node.scoped or node.constant is not None:
            return None
        if len(node.checks) == 1 and isinstance(node.checks[0], p.Ref):
            node = node.checks[0].target
            continue
        break
    types = node.types
    if node.inline_fast or types is None:
        return None
    kinds = types - {"null"}
    allowed = _PLAIN_OBJECT if kinds == {"object"} else _PLAIN_ARRAY if kinds == {"array"} else ()
    count = 0
    for check in node.checks:
        if not isinstance(check, allowed):
            return None
        if isinstance(check, p.AdditionalProperties) and (
            check.patterns or not (check.node.is_true or check.node.is_false)
        ):
            return None
        if isinstance(check, p.Items) and check.start:
            return None
        if isinstance(check, p.Properties):
            count += len(check.nodes)
    return node if count <= INLINE_OBJECT_PROPERTIES else None


def plain_check(
    w: PythonValidators,
    node: p.Node,
    v: str,
    depth: int,
    given: frozenset[str] = frozenset(),
) -> tuple[Expr, list[Expr | Block]]:
    """A plain schema (see :func:`plain_schema`) written in its caller's function for
    the value in ``v``, ``depth`` plain schemas deep: the test of the value's type, and
    the steps that then check it (each returns False when it fails); ``given``: the
    required properties the caller found present and valid."""
    types = node.types
    assert types is not None
    steps: list[Expr | Block] = [
        w.expression(x, v, node)
        for x in node.checks
        if isinstance(x, p.Size) and p.family_of(x) in types
    ]
    if "object" in types:
        properties, counted = fast_properties(w, node, node.checks, v, depth, given=given)
        steps += properties
        for check in node.checks:
            if isinstance(check, p.AdditionalProperties) and check is not counted:
                steps.append(fast_additional(w, node, check, v))
    for check in node.checks:
        if isinstance(check, p.Items):
            steps.append(fast_items(w, node, check.node, v, depth))
    if "null" in types and any(s != c.TRUE for s in steps):
        block = Block()
        with block.if_(Atom(f"{v} is not None", f"{v} is None")):
            write_fail_steps(block, steps)
        steps = [block]
    return type_test(types, v), steps


def tagged_branch(
    w: PythonValidators, node: p.Node, tag_name: str, tag: str
) -> list[Expr | Block] | None:
    """The steps of a union branch that the dispatch on its tag selected (the value in
    ``x`` is a dict whose ``tag_name`` is the string ``tag``), written in the
    dispatching function rather than called, when the branch is a plain object schema
    (see :func:`plain_schema`); else ``None``. Neither the type test nor a required tag
    property whose schema surely admits ``tag`` is written again."""
    plain = plain_schema(node)
    if plain is None or plain.types is None or "object" not in plain.types:
        return None
    tag_nodes = [
        x.nodes[tag_name]
        for x in plain.checks
        if isinstance(x, p.Properties) and tag_name in x.nodes
    ]
    given = (
        frozenset({tag_name})
        if tag_name in required_names(plain.checks)
        and tag_nodes
        and all(_admits(n, tag) for n in tag_nodes)
        else frozenset()
    )
    return plain_check(w, plain, "x", 0, given)[1]


def _admits(node: p.Node, value: str) -> bool:
    """Does ``node`` surely accept the string ``value``? Only a ``type`` that allows
    strings, a ``const`` of ``value`` or an ``enum`` holding it count; any other keyword
    answers no."""
    node = node.unaliased()
    if node.constant is not None:
        return node.constant is True
    if node.collects or node.scoped:
        return False
    for check in node.checks:
        if isinstance(check, p.Type):
            ok = "string" in check.types
        elif isinstance(check, p.Const):
            ok = type(check.value) is str and check.value == value
        elif isinstance(check, p.Enum):
            ok = any(type(x) is str and x == value for x in check.values)
        else:
            ok = False
        if not ok:
            return False
    return True


def fast_items(
    w: PythonValidators, node: p.Node, child: p.Node, x: str, depth: int
) -> Expr | Block:
    """Every item of the array in ``x`` is valid against ``child`` (a plain item schema
    written in the loop, not called)."""
    if child.is_true:
        return c.TRUE
    if child.is_false:
        return Atom(f"len({x}) <= 0", f"len({x}) > 0")
    v = member(depth)
    _, ok, inner = _value_check(w, node, child, v, depth)
    block = Block()
    with block.for_(f"for {v} in {x}:"):
        _write_value_check(block, c.negate(ok), inner)
    return block


def _value_check(
    w: PythonValidators, node: p.Node, child: p.Node, v: str, depth: int
) -> tuple[p.Node | None, Expr, list[Expr | Block]]:
    """How ``node``'s function checks the value in ``v`` (a property value or an item)
    against ``child``: the plain schema written right here (no call; its steps return
    False like ours) while not :data:`INLINE_OBJECT_DEPTH` deep, if ``child`` is one,
    and the test of the value with the steps that follow it."""
    plain = plain_schema(child) if depth < INLINE_OBJECT_DEPTH else None
    if plain is not None:
        ok, inner = plain_check(w, plain, v, depth + 1)
        return plain, ok, inner
    return None, w.fast(child, v, node, fresh=True), []


def _write_value_check(block: Block, fails: Expr, inner: list[Expr | Block]) -> None:
    """``return False`` when ``fails`` holds, then the steps of a plain schema."""
    with block.if_(fails):
        block.line("return False")
    write_fail_steps(block, inner)


def write_fail_steps(block: Block, steps: list[Expr | Block]) -> None:
    """Each expression must hold (else ``return False``); blocks return themselves."""
    for step in steps:
        if isinstance(step, Block):
            block.extend(step)
        elif step != c.TRUE:
            with block.if_(c.negate(step)):
                block.line("return False")


def _tags_first(props: dict[str, p.Node], required: list[str]) -> list[tuple[str, p.Node]]:
    """The properties in the order the fast path checks them: required ones with a
    constant value first (the tags that tell a union's branches apart: a value tried
    against the wrong branch fails there at once), then the others as the schema lists
    them."""

    def tag(item: tuple[str, p.Node]) -> bool:
        name, child = item
        return name in required and any(isinstance(x, p.Const) for x in child.checks)

    items = list(props.items())
    return [i for i in items if tag(i)] + [i for i in items if not tag(i)]


def fast_additional(
    w: PythonValidators, node: p.Node, check: p.AdditionalProperties, x: str = "x"
) -> Expr | Block:
    child = check.node
    if child.is_true:
        return c.TRUE
    if child.is_false and not check.patterns:
        if not check.names:
            return Atom(f"not {x}", x)
        return Atom(f"{w.keys(node, check.names)}.issuperset({x})")
    assert x == "x", "only plain objects (a boolean additionalProperties) are inlined"
    applies = extra_key(w, node, check, "k")
    bad = c.all_of([applies, c.negate(w.fast(child, "v", node))])
    block = Block()
    loop = "for v in x.values():" if applies == c.TRUE else "for k, v in x.items():"
    with block.for_(loop), block.if_(bad):
        block.line("return False")
    return block
