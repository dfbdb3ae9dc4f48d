"""Keywords on objects: ``properties`` (with ``required``), ``patternProperties``,
``additionalProperties``, ``propertyNames``, ``dependentSchemas`` and
``unevaluatedProperties``: fast, error and collecting forms side by side. How the fast
path reads the properties themselves is :mod:`.properties`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...errors import escape_pointer
from ...python.literals import py_literal
from .. import plan as p
from . import code as c
from .code import Atom, Block, Expr
from .properties import (
    extra_key,
    fast_additional,
    fast_properties,
    pattern_match,
    required_names,
)

if TYPE_CHECKING:
    from .writer import PythonValidators, Site

__all__ = ["COLLECT", "ERRORS", "fast", "keyed"]


# --------------------------------------------------------------------------- fast form


def keyed(node: p.Node) -> bool:
    """Does the fast function of ``node`` read its required properties as ``x["k"]``?

    A subscript costs less than ``x.get("k")`` (no method call). A missing key raises
    ``KeyError``, which the function catches (``False``: a required property is
    missing). That needs a value that is an object and nothing else (the function
    starts with its type test) and a plain ``dict``: a subclass may answer a missing
    key (``defaultdict`` would add it), so the function checks a plain copy of one."""
    if node.types != frozenset({"object"}):
        return False
    required = required_names(node.checks)
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
    steps, counted = fast_properties(w, node, checks, keyed=keyed)
    for check in checks:
        if isinstance(check, p.PatternProperties):
            steps.append(_fast_patterns(w, node, check))
        elif isinstance(check, p.AdditionalProperties) and check is not counted:
            steps.append(fast_additional(w, node, check))
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
                tags = _tag_values(child)
                if not tags:
                    w.errors(block, child, site.at("w", path))
                    continue
                # The property's own ``const`` failing is a wrong tag (see _tag_const).
                block.line(f"q = {path}")
                block.line(f"start = len({site.sink})")
                w.errors(block, child, site.at("w", "q"))
                block.line(f"_tag_const({site.sink}, start, q, {py_literal(list(tags))})")


def _tag_values(node: p.Node, seen: frozenset[int] = frozenset()) -> tuple[Any, ...]:
    """The values a property's schema fixes with ``const`` itself or through ``$ref``s
    only: the property's tag. A ``const`` reached any other way (``allOf``, ``then``, a
    subschema of the value) constrains the value without naming a shape."""
    if id(node) in seen:
        return ()
    seen = seen | {id(node)}
    found: tuple[Any, ...] = ()
    for check in node.checks:
        if isinstance(check, p.Const):
            found += (check.value,)
        elif isinstance(check, p.Ref):
            found += _tag_values(check.target, seen)
    return found


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
    applies = extra_key(w, node, check, "k")
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
