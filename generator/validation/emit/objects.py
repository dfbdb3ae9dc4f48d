"""Keywords on objects: ``properties`` (with ``required``), ``patternProperties``,
``additionalProperties``, ``propertyNames``, ``dependentSchemas`` and
``unevaluatedProperties``: fast, error and collecting forms side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...errors import escape_pointer
from ...python.literals import py_literal
from .. import plan as p
from . import code as c
from .code import Atom, Block, Expr
from .jsontypes import type_test
from .scalars import required_test

if TYPE_CHECKING:
    from .writer import PythonValidators, Site

__all__ = ["COLLECT", "ERRORS", "fast", "keyed"]


def pattern_match(w: PythonValidators, regexes: Iterable[p.Regex], k: str) -> Expr:
    """The key in ``k`` matches one of ``regexes`` (keys that are not strings never do)."""
    tests = [Atom(f"{w.regex(r)}.search({k}) is not None") for r in regexes]
    if not tests:
        return c.FALSE
    return c.all_of([Atom(f"isinstance({k}, str)"), c.any_of(tests)])


def _extra_key(w: PythonValidators, node: p.Node, check: p.AdditionalProperties, k: str) -> Expr:
    """The key in ``k`` is one ``additionalProperties`` applies to."""
    parts: list[Expr] = []
    if check.names:
        parts.append(Atom(f"{k} not in {w.keys(node, check.names)}"))
    if check.patterns:
        parts.append(c.negate(pattern_match(w, check.patterns, k)))
    return c.all_of(parts)


# --------------------------------------------------------------------------- fast form


#: Most properties a plain object schema has to be written into its parent's function.
INLINE_OBJECT_PROPERTIES = 12
#: How many plain objects deep the fast path writes them into one function.
INLINE_OBJECT_DEPTH = 2


def keyed(node: p.Node) -> bool:
    """Does the fast function of ``node`` read its required properties as ``x["k"]``?

    A subscript costs less than ``x.get("k")`` (no method call). A missing key raises
    ``KeyError``, which the function catches (``False``: a required property is
    missing). That needs a value that is an object and nothing else (the function
    starts with its type test) and a plain ``dict``: a subclass may answer a missing
    key (``defaultdict`` would add it), so the function checks a plain copy of one."""
    if node.types != frozenset({"object"}):
        return False
    required = _required_names(node.checks)
    return any(
        name in required and not child.is_true
        for x in node.checks
        if isinstance(x, p.Properties)
        for name, child in x.nodes.items()
    )


def fast(
    w: PythonValidators, node: p.Node, checks: list[p.Check], *, keyed: bool = False
) -> list[Expr | Block]:
    """The fast steps of ``node``'s object keywords (values known to be objects);
    ``keyed``: the function reads required values by key (see :func:`keyed`)."""
    steps, counted = _fast_properties(w, node, checks, keyed=keyed)
    for check in checks:
        if isinstance(check, p.PatternProperties):
            steps.append(_fast_patterns(w, node, check))
        elif isinstance(check, p.AdditionalProperties) and check is not counted:
            steps.append(_fast_additional(w, node, check))
        elif isinstance(check, p.PropertyNames):
            block = Block()
            with block.for_("for k in x:"), block.if_(c.negate(w.fast(check.node, "k", node))):
                block.line("return False")
            steps.append(block)
        elif isinstance(check, p.DependentSchemas):
            steps += [
                c.any_of([Atom(f"{py_literal(name)} not in x"), w.fast(child, "x", node)])
                for name, child in check.dependencies
            ]
        elif isinstance(check, p.Unevaluated) and check.properties:
            steps.append(fast_unevaluated(w, node, check))
    return steps


def _fast_properties(
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
        plain = plain_schema(child) if depth < INLINE_OBJECT_DEPTH else None
        if plain is not None:
            # Written right here (no call): its steps return False like ours.
            ok, inner = plain_check(w, plain, v, depth + 1)
        else:
            ok, inner = w.fast(child, v, node, fresh=True), []
        if name in required and keyed:
            block.line(f"{v} = {x}[{key}]")
            with block.if_(c.negate(ok)):
                block.line("return False")
            write_fail_steps(block, inner)
            continue
        if name in required and _rejects_null(plain or child):
            # A missing value reads as None, which the check rejects as it must.
            block.line(f"{v} = {x}.get({key})")
            with block.if_(c.negate(ok)):
                block.line("return False")
            write_fail_steps(block, inner)
            continue
        if name in required:
            block.line(f"{v} = {x}.get({key}, _MISSING)")
            with block.if_(c.any_of([Atom(f"{v} is _MISSING"), c.negate(ok)])):
                block.line("return False")
            write_fail_steps(block, inner)
            continue
        with block.if_(Atom(f"{key} in {x}", f"{key} not in {x}")):
            if known is not None:
                block.line(f"{known} += 1")
            block.line(f"{v} = {x}[{key}]")
            with block.if_(c.negate(ok)):
                block.line("return False")
            write_fail_steps(block, inner)
    if not block.empty:
        steps.append(block)
    if known is not None:
        steps.append(Atom(f"len({x}) == {known}", f"len({x}) != {known}"))
    return steps, counted


def _counted(checks: list[p.Check]) -> p.AdditionalProperties | None:
    """The ``additionalProperties: false`` among ``checks`` that :func:`_fast_properties`
    checks by counting the properties found, if it can (no ``patternProperties``;
    every required name is a property)."""
    required = _required_names(checks)
    for check in checks:
        if not (isinstance(check, p.AdditionalProperties) and check.node.is_false):
            continue
        if check.patterns or not check.names:
            continue
        if required <= set(check.names):
            return check
    return None


def _required_names(checks: list[p.Check]) -> set[str]:
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
        properties, counted = _fast_properties(w, node, node.checks, v, depth, given=given)
        steps += properties
        for check in node.checks:
            if isinstance(check, p.AdditionalProperties) and check is not counted:
                steps.append(_fast_additional(w, node, check, v))
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
        if tag_name in _required_names(plain.checks)
        and tag_nodes
        and all(_admits(n, tag) for n in tag_nodes)
        else frozenset()
    )
    return plain_check(w, plain, "x", 0, given)[1]


def _admits(node: p.Node, value: str) -> bool:
    """Does ``node`` surely accept the string ``value``? Only a ``type`` that allows
    strings, a ``const`` of ``value`` or an ``enum`` holding it count; any other keyword
    answers no."""
    for _ in range(50):
        if node.constant is not None or node.collects or node.scoped:
            return node.constant is True
        if len(node.checks) == 1 and isinstance(node.checks[0], p.Ref):
            node = node.checks[0].target
            continue
        break
    else:
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
    plain = plain_schema(child) if depth < INLINE_OBJECT_DEPTH else None
    ok, inner = (
        plain_check(w, plain, v, depth + 1)
        if plain is not None
        else (w.fast(child, v, node, fresh=True), [])
    )
    block = Block()
    with block.for_(f"for {v} in {x}:"):
        with block.if_(c.negate(ok)):
            block.line("return False")
        write_fail_steps(block, inner)
    return block


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


def _fast_patterns(w: PythonValidators, node: p.Node, check: p.PatternProperties) -> Block:
    block = Block()
    with block.for_("for k, v in x.items():"), block.if_("isinstance(k, str)"):
        for regex, child in check.patterns:
            bad = c.all_of(
                [
                    Atom(f"{w.regex(regex)}.search(k) is not None"),
                    c.negate(w.fast(child, "v", node)),
                ]
            )
            with block.if_(bad):
                block.line("return False")
    return block


def _fast_additional(
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
    applies = _extra_key(w, node, check, "k")
    bad = c.all_of([applies, c.negate(w.fast(child, "v", node))])
    block = Block()
    loop = "for v in x.values():" if applies == c.TRUE else "for k, v in x.items():"
    with block.for_(loop), block.if_(bad):
        block.line("return False")
    return block


def fast_unevaluated(w: PythonValidators, node: p.Node, check: p.Unevaluated) -> Block:
    """``unevaluatedProperties``/``unevaluatedItems``: collect what the node's other
    keywords evaluate, then check the rest (objects or arrays)."""
    block = Block()
    block.line("ev = set[Any]()")
    w.collect_into(block, node, "x", exclude=check)
    bad = c.all_of([Atom("k not in ev"), c.negate(w.fast(check.node, "v", node))])
    loop = "for k, v in x.items():" if check.properties else "for k, v in enumerate(x):"
    with block.for_(loop), block.if_(bad):
        block.line("return False")
    return block


# --------------------------------------------------------------------------- error form


def _properties_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Properties, site: Site
) -> None:
    with block.if_(f"isinstance({site.v}, dict)"):
        for name, child in check.nodes.items():
            if child.is_true:
                continue
            block.line(f"w = {site.v}.get({py_literal(name)}, _MISSING)")
            with block.if_("w is not _MISSING"):
                path = f"{site.path} + {py_literal('/' + escape_pointer(name))}"
                if not _may_const(child):
                    w.errors(block, child, site.at("w", path))
                    continue
                # A ``const`` failing right at the value is a wrong tag (see _tag_const).
                block.line(f"q = {path}")
                block.line(f"start = len({site.sink})")
                w.errors(block, child, site.at("w", "q"))
                block.line(f"_tag_const({site.sink}, start, q)")


def _may_const(node: p.Node, seen: frozenset[int] = frozenset()) -> bool:
    """Can ``node`` report a ``const`` error at its own value (not inside a union)?"""
    if id(node) in seen:
        return False
    seen = seen | {id(node)}
    for check in node.checks:
        if isinstance(check, p.Const):
            return True
        if isinstance(check, (p.Ref, p.AllOf, p.If, p.DependentSchemas, p.DynamicRef)) and any(
            _may_const(n, seen) for n in check.children()
        ):
            return True
    return False


def _patterns_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.PatternProperties, site: Site
) -> None:
    v = site.v
    with block.if_(f"isinstance({v}, dict)"), block.for_(f"for k, w in {v}.items():"):
        for regex, child in check.patterns:
            with block.if_(pattern_match(w, [regex], "k")):
                w.errors(block, child, site.at("w", f"{site.path} + '/' + _escape(k)"))


def _additional_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.AdditionalProperties, site: Site
) -> None:
    v = site.v
    applies = _extra_key(w, node, check, "k")
    with block.if_(f"isinstance({v}, dict)"):
        if check.node.is_false:
            block.use(applies)
            block.line(f"extra = [k for k in {v} if {c.render(applies, 1)}]")
            with block.if_("extra"):
                block.line(site.append("additionalProperties", _unknown(w, node, check.names)))
            return
        with block.for_(f"for k, w in {v}.items():"), block.if_(applies):
            w.errors(block, check.node, site.at("w", f"{site.path} + '/' + _escape(k)"))


def _names_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.PropertyNames, site: Site
) -> None:
    with block.if_(f"isinstance({site.v}, dict)"), block.for_(f"for k in {site.v}:"):
        w.errors(block, check.node, site.at("k", site.path))


def _dependent_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.DependentSchemas, site: Site
) -> None:
    v = site.v
    for name, child in check.dependencies:
        with block.if_(
            c.all_of([Atom(f"isinstance({v}, dict)"), Atom(f"{py_literal(name)} in {v}")])
        ):
            w.errors(block, child, site)


def unevaluated_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Unevaluated, site: Site
) -> None:
    """The keys (items) that no keyword evaluated and the check's schema rejects."""
    v = site.v
    kind = "dict" if check.properties else "list"
    with block.if_(f"isinstance({v}, {kind})"):
        block.line("ev = set[Any]()")
        w.collect_into(block, node, v)
        if check.properties:
            block.line(f"extra = [k for k in {v} if k not in ev]")
            name, arg = "extra", _unknown(w, node, declared_names(node))
        else:
            block.line(f"extra_items = [i for i in range(len({v})) if i not in ev]")
            name = arg = "extra_items"
        with block.if_(name):
            block.line(site.append(check.keyword, arg))


def _unknown(w: PythonValidators, node: p.Node, declared: Iterable[str]) -> str:
    """The argument of an unknown-property error: the keys in ``extra``, with the names
    the schema declares when there are any (for a "did you mean")."""
    names = tuple(declared)
    return f"(extra, {w.keys(node, names)})" if names else "extra"


def declared_names(node: p.Node) -> list[str]:
    """The names of the ``properties`` of ``node`` and of the schemas applied in place
    beside it (``$ref``, ``allOf``, ``anyOf``, ``oneOf``, ``if``, ...), in schema order."""
    names: dict[str, None] = {}
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for check in current.checks:
            if isinstance(check, p.Properties):
                names.update(dict.fromkeys(check.nodes))
            elif not isinstance(check, p.Not):
                stack.extend(reversed(check.children()))
    return list(names)


ERRORS: dict[type[p.Check], Any] = {
    p.Properties: _properties_errors,
    p.PatternProperties: _patterns_errors,
    p.AdditionalProperties: _additional_errors,
    p.PropertyNames: _names_errors,
    p.DependentSchemas: _dependent_errors,
    p.Unevaluated: unevaluated_errors,
}


# --------------------------------------------------------------------------- collecting


def _properties_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.Properties, v: str
) -> None:
    keys = w.keys(node, check.nodes)
    with block.if_(f"isinstance({v}, dict)"):
        block.line(f"ev.update({keys}.intersection({v}))")


def _patterns_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.PatternProperties, v: str
) -> None:
    match = pattern_match(w, [r for r, _ in check.patterns], "k")
    block.use(match)
    with block.if_(f"isinstance({v}, dict)"):
        block.line(f"ev.update(k for k in {v} if {c.render(match, 1)})")


def valid_keys_collect(
    w: PythonValidators,
    block: Block,
    node: p.Node,
    check: p.AdditionalProperties | p.Unevaluated,
    v: str,
) -> None:
    """Keys (indexes) whose values the check's schema accepts count as evaluated."""
    ok = w.fast(check.node, "u", node)
    block.use(ok)
    props = not isinstance(check, p.Unevaluated) or check.properties
    kind, pairs = ("dict", f"{v}.items()") if props else ("list", f"enumerate({v})")
    with block.if_(f"isinstance({v}, {kind})"):
        block.line(f"ev.update(k for k, u in {pairs} if {c.render(ok, 1)})")


def _dependent_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.DependentSchemas, v: str
) -> None:
    for name, child in check.dependencies:
        if w.collects_nothing(child):
            continue
        with block.if_(
            c.all_of([Atom(f"isinstance({v}, dict)"), Atom(f"{py_literal(name)} in {v}")])
        ):
            w.collect_call(block, node, child, v)


COLLECT: dict[type[p.Check], Any] = {
    p.Properties: _properties_collect,
    p.PatternProperties: _patterns_collect,
    p.AdditionalProperties: valid_keys_collect,
    p.Unevaluated: valid_keys_collect,
    p.DependentSchemas: _dependent_collect,
}
