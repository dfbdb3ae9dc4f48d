"""Keywords that apply other schemas to the same value: ``$ref``, ``$dynamicRef``,
``allOf``, ``anyOf``, ``oneOf`` (dispatched on a tag when their branches have one),
``not`` and ``if``/``then``/``else``: fast, error and collecting forms side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...python.literals import name_words, py_literal
from .. import plan as p
from . import code as c
from . import properties
from .code import Atom, Block, Expr

if TYPE_CHECKING:
    from .writer import PythonValidators, Site

__all__ = ["COLLECT", "ERRORS", "EXPRESSIONS", "fast"]


def _tag_groups(check: p.AnyOf) -> dict[str, list[p.Node]]:
    groups: dict[str, list[p.Node]] = {}
    for tag, node in zip(check.tags, check.tagged, strict=True):
        groups.setdefault(tag, []).append(node)
    return groups


def dynamic_call(
    w: PythonValidators, block: Block, node: p.Node, check: p.DynamicRef, call: tuple[str, str]
) -> str:
    """Lines finding a dynamic reference's target in the scope; return the call text.
    ``call`` is the form (``"_v"``, ``"_e"`` or ``"_j"``) and the arguments before the
    scope."""
    form, args = call
    make = {"_v": w.fast_function, "_e": w.error_function, "_j": w.collect_function}[form]
    entries = [(str(number), make(target)) for number, target in check.candidates.items()]
    table = w.table(f"_DYNAMIC{form.upper()}_{node.name}", entries)
    default = make(check.target)
    block.calls |= {table, default}
    number = check.target.location.resource.number
    block.line(f"f, scope = _dynamic(s, {table}, {default}, {number})")
    return f"f({args}, scope)"


# --------------------------------------------------------------------------- fast form


def _ref(w: PythonValidators, check: p.Ref, v: str, caller: p.Node | None) -> Expr:
    return w.fast(check.target, v, caller)


def _all_of(w: PythonValidators, check: p.AllOf, v: str, caller: p.Node | None) -> Expr:
    return c.all_of(w.fast(n, v, caller) for n in check.nodes)


def _any_of(w: PythonValidators, check: p.AnyOf, v: str, caller: p.Node | None) -> Expr:
    exprs = [w.fast(n, v, caller) for n in check.nodes]
    if isinstance(check, p.OneOf) and not check.exclusive:
        return c.exactly_one(exprs)
    exprs.sort(key=lambda e: 0 if not c.calls_of(e) else 1)  # cheap tests first
    return c.any_of(exprs)


def _not(w: PythonValidators, check: p.Not, v: str, caller: p.Node | None) -> Expr:
    return c.negate(w.fast(check.node, v, caller))


def _if(w: PythonValidators, check: p.If, v: str, caller: p.Node | None) -> Expr:
    then = w.fast(check.then, v, caller) if check.then else c.TRUE
    other = w.fast(check.otherwise, v, caller) if check.otherwise else c.TRUE
    return c.cond(w.fast(check.condition, v, caller), then, other)


EXPRESSIONS: dict[type[p.Check], Any] = {
    p.Ref: _ref,
    p.AllOf: _all_of,
    p.AnyOf: _any_of,
    p.OneOf: _any_of,
    p.Not: _not,
    p.If: _if,
}


def fast(w: PythonValidators, node: p.Node, check: p.Check) -> list[Expr | Block]:
    """The fast steps of one keyword that applies to any value."""
    if isinstance(check, p.AllOf):
        return [w.fast(n, "x", node) for n in check.nodes]
    if isinstance(check, p.AnyOf) and check.tag is not None:
        return [_fast_dispatch(w, node, check)]
    if isinstance(check, p.DynamicRef):
        block = Block()
        call = dynamic_call(w, block, node, check, ("_v", "x"))
        with block.if_(Atom(f"not {call}", call, untyped=True)):
            block.line("return False")
        return [block]
    return [w.expression(check, "x", node)]


def _table(
    w: PythonValidators,
    block: Block,
    node: p.Node,
    name: str,
    functions: dict[str, list[str]],
    *,
    label: str = "",
) -> str:
    """A module-level dict from each key to the one function to call: the branch it
    selects, or a function trying each of the branches it selects (named after
    ``label`` and the key)."""
    entries = [
        (py_literal(key), fs[0] if len(fs) == 1 else w.any_function(node, label + key, fs))
        for key, fs in functions.items()
    ]
    return block.call(w.table(name, entries))


def _fast_dispatch(w: PythonValidators, node: p.Node, check: p.AnyOf) -> Block:
    """``anyOf``/``oneOf`` of tagged object branches: only the branches whose tag the
    value carries can hold (``analysis`` checked that every branch requires its tag)."""
    block = Block()
    groups = _tag_groups(check)
    assert check.tag is not None
    if node.types != frozenset({"object"}):  # else the node's own type test made it
        with block.if_("not isinstance(x, dict)"):
            block.line("return False")
    key = py_literal(check.tag)
    block.line(f"t = x.get({key})")
    # "Exactly one" among the branches of one tag value, unless no value passes two.
    exactly = isinstance(check, p.OneOf) and not check.exclusive
    if len(groups) > 3 and (not exactly or all(len(g) == 1 for g in groups.values())):
        # One dict lookup instead of a chain of comparisons, to the one function to
        # call (a tag value that selects several branches, a union of unions, calls a
        # function trying each); later steps of the same node still run (the dispatch
        # only returns when the value fails).
        functions = {
            t: [w.fast_function(b) for b in g] for t, g in groups.items() if t not in check.subtags
        }
        table = _table(w, block, node, f"_TAGS_{node.name}", functions)
        lookup = f"f = {table}.get(t) if isinstance(t, str) else None"
        # Tag values that select several branches, each with its own constant in a
        # second property: a second lookup on that property.
        for index, (tag, (name, values)) in enumerate(check.subtags.items()):
            by_value: dict[str, list[str]] = {}
            for value, branch in zip(values, groups[tag], strict=True):
                by_value.setdefault(value, []).append(w.fast_function(branch))
            words = name_words(tag, 40) or "value"
            subtable = _table(
                w, block, node, f"_TAGS_{node.name}_{words}", by_value, label=tag + "_"
            )
            opener = block.if_ if index == 0 else block.elif_
            with opener(f"t == {py_literal(tag)}"):
                block.line(f"r = x.get({py_literal(name)})")
                block.line(f"f = {subtable}.get(r) if isinstance(r, str) else None")
        if check.subtags:
            with block.else_():
                block.line(lookup)
        else:
            block.line(lookup)
        fails = c.any_of([Atom("f is None", "f is not None"), c.negate(Atom("f(x)"))])
        with block.if_(fails):
            block.line("return False")
        return block
    # Tags whose branches are checked the same way share one ``if``.
    bodies: list[tuple[list[str], Block]] = []
    for tag, branches in groups.items():
        body = Block()
        # The one branch of a tag, when a plain object schema, is written right here:
        # no call, and neither its type test nor its tag is checked again.
        steps = (
            properties.tagged_branch(w, branches[0], check.tag, tag) if len(branches) == 1 else None
        )
        if steps is not None:
            properties.write_fail_steps(body, steps)
        else:
            exprs = [w.fast(b, "x", node) for b in branches]
            ok = c.exactly_one(exprs) if exactly else c.any_of(exprs)
            with body.if_(c.negate(ok)):
                body.line("return False")
        if bodies and bodies[-1][1].lines == body.lines:
            bodies[-1][0].append(tag)
        else:
            bodies.append(([tag], body))
    for index, (tags, body) in enumerate(bodies):
        opener = block.if_ if index == 0 else block.elif_
        with opener(c.any_of([Atom(f"t == {py_literal(tag)}") for tag in tags])):
            block.extend(body)
    with block.else_():
        block.line("return False")
    return block


# --------------------------------------------------------------------------- error form


def _ref_errors(w: PythonValidators, block: Block, node: p.Node, check: p.Ref, site: Site) -> None:
    w.errors(block, check.target, site)


def _all_of_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.AllOf, site: Site
) -> None:
    for child in check.nodes:
        w.errors(block, child, site)


def _not_errors(w: PythonValidators, block: Block, node: p.Node, check: p.Not, site: Site) -> None:
    w.report(block, w.fast(check.node, site.v, site.caller), site, "not", "None")


def _if_errors(w: PythonValidators, block: Block, node: p.Node, check: p.If, site: Site) -> None:
    if check.then is None and check.otherwise is None:
        return
    with block.if_(w.fast(check.condition, site.v, site.caller)):
        if check.then is not None:
            w.errors(block, check.then, site)
    if check.otherwise is not None:
        with block.else_():
            w.errors(block, check.otherwise, site)


def _dynamic_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.DynamicRef, site: Site
) -> None:
    block.line(
        dynamic_call(w, block, site.caller, check, ("_e", f"{site.v}, {site.path}, {site.sink}"))
    )


def _union_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.AnyOf, site: Site
) -> None:
    """No branch holds: one error whose context is every branch's errors, from which
    the report keeps the branch the value was meant for (by its JSON type and tag) or
    names the tag that fits no branch. Only the fast path dispatches on a tag: the
    report needs every branch's errors to judge as jsonschema does."""
    kind = "oneOf" if isinstance(check, p.OneOf) else "anyOf"
    _union_group(w, block, kind, check.nodes, site)


def _union_group(
    w: PythonValidators,
    block: Block,
    kind: str,
    nodes: list[p.Node],
    site: Site,
) -> None:
    oks = [w.fast(n, site.v, site.caller) for n in nodes]
    block.use(*oks)

    def contexts() -> None:
        names = []
        for index, child in enumerate(nodes):
            name = f"b{index}"
            block.line(f"{name} = list[_Error]()")
            w.errors(block, child, site.into(name))
            names.append(name)
        block.line(
            f"{site.sink}.append(_union({site.path}, {py_literal(kind)}, {site.v}, [{', '.join(names)}]))"
        )

    if kind == "anyOf" or len(oks) == 1:  # one branch: oneOf is anyOf
        with block.if_(c.negate(c.any_of(oks))):
            contexts()
        return
    block.line("n = " + " + ".join(f"({c.render(ok)})" for ok in oks))
    with block.if_("n == 0"):
        contexts()
    if len(oks) > 1:
        with block.elif_("n > 1"):
            block.line(site.append("oneOf", "n"))  # how many match


ERRORS: dict[type[p.Check], Any] = {
    p.Ref: _ref_errors,
    p.AllOf: _all_of_errors,
    p.AnyOf: _union_errors,
    p.OneOf: _union_errors,
    p.Not: _not_errors,
    p.If: _if_errors,
    p.DynamicRef: _dynamic_errors,
}


# --------------------------------------------------------------------------- collecting


def _ref_collect(w: PythonValidators, block: Block, node: p.Node, check: p.Ref, v: str) -> None:
    w.collect_call(block, node, check.target, v)


def _dynamic_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.DynamicRef, v: str
) -> None:
    block.line(dynamic_call(w, block, node, check, ("_j", f"{v}, ev")))


def _branches_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.AllOf | p.AnyOf, v: str
) -> None:
    """Every branch that holds adds what it evaluates (as the reference counts it,
    ``oneOf`` included)."""
    for child in check.nodes:
        if w.collects_nothing(child):
            continue
        with block.if_(w.fast(child, v, node)):
            w.collect_call(block, node, child, v)


def _if_collect(w: PythonValidators, block: Block, node: p.Node, check: p.If, v: str) -> None:
    with block.if_(w.fast(check.condition, v, node)):
        w.collect_call(block, node, check.condition, v)
        if check.then is not None:
            w.collect_call(block, node, check.then, v)
    if check.otherwise is not None and not w.collects_nothing(check.otherwise):
        with block.else_():
            w.collect_call(block, node, check.otherwise, v)


COLLECT: dict[type[p.Check], Any] = {
    p.Ref: _ref_collect,
    p.DynamicRef: _dynamic_collect,
    p.AllOf: _branches_collect,
    p.AnyOf: _branches_collect,
    p.OneOf: _branches_collect,
    p.If: _if_collect,
}
