"""Keywords on arrays: ``prefixItems`` (and draft-07 tuple ``items``), ``items`` (and
``additionalItems``), ``contains`` with ``minContains``/``maxContains``, and
``unevaluatedItems``: fast, error and collecting forms side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import plan as p
from . import code as c
from .code import Atom, Block, Expr
from .objects import fast_unevaluated
from .properties import fast_items

if TYPE_CHECKING:
    from .writer import PythonValidators, Site

__all__ = ["COLLECT", "ERRORS", "fast"]


def fast(w: PythonValidators, node: p.Node, checks: list[p.Check]) -> list[Expr | Block]:
    """The fast steps of ``node``'s array keywords (values known to be arrays)."""
    steps: list[Expr | Block] = []
    for check in checks:
        if isinstance(check, p.PrefixItems):
            for index, child in enumerate(check.nodes):
                ok = w.fast(child, f"x[{index}]", node)
                steps.append(c.any_of([Atom(f"len(x) <= {index}"), ok]))
        elif isinstance(check, p.Items):
            steps.append(_fast_items(w, node, check))
        elif isinstance(check, p.Contains):
            steps.append(_fast_contains(w, node, check))
        elif isinstance(check, p.Unevaluated) and not check.properties:
            steps.append(fast_unevaluated(w, node, check))
    return steps


def _fast_items(w: PythonValidators, node: p.Node, check: p.Items) -> Expr | Block:
    child = check.node
    if child.is_true:
        return c.TRUE
    if child.is_false:
        return Atom(f"len(x) <= {check.start}", f"len(x) > {check.start}")
    if check.start == 0:
        return fast_items(w, node, child, "x", 0)
    block = Block()
    with block.for_(f"for v in x[{check.start}:]:"), block.if_(c.negate(w.fast(child, "v", node))):
        block.line("return False")
    return block


def _fast_contains(w: PythonValidators, node: p.Node, check: p.Contains) -> Expr | Block:
    ok = w.fast(check.node, "v", node)
    if check.maximum is None and check.minimum <= 0:
        return c.TRUE
    if check.node.is_false:
        return c.FALSE if check.minimum > 0 else c.TRUE
    if check.node.is_true:
        limits = [Atom(f"len(x) >= {check.minimum}", f"len(x) < {check.minimum}")]
        if check.maximum is not None:
            limits.append(Atom(f"len(x) <= {check.maximum}", f"len(x) > {check.maximum}"))
        return c.all_of(limits)
    block = Block()
    if check.maximum is None and check.minimum == 1:
        with block.for_("for v in x:"), block.if_(ok):
            block.line("break")
        with block.else_():
            block.line("return False")
        return block
    block.line("n = 0")
    with block.for_("for v in x:"), block.if_(ok):
        block.line("n += 1")
        if check.maximum is not None:
            with block.if_(f"n > {check.maximum}"):
                block.line("return False")
    if check.minimum > 0:
        with block.if_(f"n < {check.minimum}"):
            block.line("return False")
    return block


# --------------------------------------------------------------------------- error form


def _prefix_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.PrefixItems, site: Site
) -> None:
    v = site.v
    with block.if_(f"isinstance({v}, list)"):
        for index, child in enumerate(check.nodes):
            with block.if_(f"len({v}) > {index}"):
                w.errors(block, child, site.at(f"{v}[{index}]", f"{site.path} + '/{index}'"))


def _items_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Items, site: Site
) -> None:
    v = site.v
    with block.if_(f"isinstance({v}, list)"):
        if check.node.is_false and not check.each:
            with block.if_(f"len({v}) > {check.start}"):
                block.line(site.append(check.keyword, str(check.start)))
            return
        start = f"{check.start}, " if check.start else ""
        with block.for_(f"for i in range({start}len({v})):"):
            w.errors(block, check.node, site.at(f"{v}[i]", f"{site.path} + '/' + str(i)"))


def _contains_errors(
    w: PythonValidators, block: Block, node: p.Node, check: p.Contains, site: Site
) -> None:
    """As the reference counts: too many matches first, then too few."""
    v = site.v
    ok = w.fast(check.node, "u", site.caller)
    block.use(ok)
    with block.if_(f"isinstance({v}, list)"):
        block.line(f"n = sum(1 for u in {v} if {c.render(ok, 1)})")
        opener = block.if_
        if check.maximum is not None:
            with block.if_(f"n > {check.maximum}"):
                block.line(site.append("maxContains", str(check.maximum)))
            opener = block.elif_
        if check.minimum > 0:
            keyword = "'minContains' if n else 'contains'" if check.minimum > 1 else "'contains'"
            with opener(f"n < {check.minimum}"):
                block.line(
                    f"{site.sink}.append(_error({site.path}, {keyword}, {v}, {check.minimum}))"
                )


ERRORS: dict[type[p.Check], Any] = {
    p.PrefixItems: _prefix_errors,
    p.Items: _items_errors,
    p.Contains: _contains_errors,
}


# --------------------------------------------------------------------------- collecting


def _items_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.Items | p.PrefixItems, v: str
) -> None:
    """``items`` (and tuple ``items``) evaluate every item, as the reference counts
    them; ``prefixItems`` the first ones."""
    if isinstance(check, p.PrefixItems) and check.keyword == "prefixItems":
        count = str(len(check.nodes))
    else:
        count = f"len({v})"
    with block.if_(f"isinstance({v}, list)"):
        block.line(f"ev.update(range({count}))")


def _contains_collect(
    w: PythonValidators, block: Block, node: p.Node, check: p.Contains, v: str
) -> None:
    ok = w.fast(check.node, "u", node)
    block.use(ok)
    with block.if_(f"isinstance({v}, list)"):
        block.line(f"ev.update(i for i, u in enumerate({v}) if {c.render(ok, 1)})")


COLLECT: dict[type[p.Check], Any] = {
    p.Items: _items_collect,
    p.PrefixItems: _items_collect,
    p.Contains: _contains_collect,
}
