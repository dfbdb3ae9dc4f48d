"""What each planned node needs, worked out over the whole plan graph.

* **cycles**: a node that reaches itself without descending into a property or an item
  would never finish on any value; such a schema is an input error.
* **collects**: nodes whose annotations an ``unevaluated*`` keyword must see get a
  collecting function (``_j_``).
* **scoped**: nodes that reach a dynamic reference take the dynamic scope.
* **tags**: ``anyOf``/``oneOf`` whose branches all require a constant string property
  are dispatched on it (preconditions checked here); a union of such unions, tagged by
  the same property, is dispatched on it at once, over all their branches.
* **exclusive**: ``oneOf`` whose branches no value can pass twice (different JSON
  types, different constant strings, different tag values) is checked as ``anyOf``.
* **inlining**: small nodes are written as expressions where they are used.
* **names**: a stable, readable stem per node for its generated functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..errors import InputError
from ..python.literals import name_words
from . import plan as p

__all__ = ["analyse", "check_cycles"]

#: Largest expression weight (roughly, the number of tests) written inline.
INLINE_WEIGHT = 8

_SCALAR = (
    p.Type, p.Const, p.Enum, p.Compare, p.MultipleOf, p.Length, p.Pattern, p.Format, p.Size,
    p.Unique, p.Required, p.DependentRequired,
)  # fmt: skip
_FAST_EXPR = (*_SCALAR, p.Ref, p.AllOf, p.AnyOf, p.Not, p.If)


def analyse(nodes: list[p.Node]) -> None:
    """Fill in the analysis fields of every node (see the module docstring)."""
    check_cycles(nodes)
    _mark_collects(nodes)
    _mark_scoped(nodes)
    for node in nodes:
        for check in node.checks:
            if isinstance(check, p.AnyOf):
                _find_tag(check)
            if isinstance(check, p.OneOf):
                check.exclusive = _exclusive(check.nodes)
    for node in nodes:
        for check in node.checks:
            if isinstance(check, p.AnyOf) and check.tag is None:
                _flatten_tags(check)
            if isinstance(check, p.AnyOf) and check.tag is not None:
                _find_subtags(check)
    _mark_inline(nodes)
    _name(nodes)


# --------------------------------------------------------------------------- cycles


def _in_place(node: p.Node) -> list[p.Node]:
    out: list[p.Node] = []
    for check in node.checks:
        out += check.children()
    return out


def check_cycles(nodes: list[p.Node]) -> None:
    """A node that reaches itself in place (no property or item between) is an error."""
    state: dict[int, int] = {}
    for start in nodes:
        if state.get(id(start)):
            continue
        stack: list[tuple[p.Node, list[p.Node]]] = [(start, _in_place(start))]
        state[id(start)] = 1
        while stack:
            node, pending = stack[-1]
            if not pending:
                state[id(node)] = 2
                stack.pop()
                continue
            nxt = pending.pop()
            mark = state.get(id(nxt))
            if mark == 1:
                loc = nxt.location
                raise InputError(
                    "$ref cycle: this schema refers to itself without going through a "
                    "property or an array item, so no value could ever be checked against it",
                    file=loc.document.label,
                    pointer=loc.document.source_pointer(loc.pointer),
                )
            if mark is None:
                state[id(nxt)] = 1
                stack.append((nxt, _in_place(nxt)))


# --------------------------------------------------------------------------- annotations


def _reach(starts: Iterable[p.Node], step: Callable[[p.Node], Iterable[p.Node]]) -> set[int]:
    """The ids of ``starts`` and of every node reached from them through ``step``."""
    seen: set[int] = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(step(node))
    return seen


def _annotating(node: p.Node) -> Iterator[p.Node]:
    """The subschemas whose annotations ``node`` keeps (``not`` keeps none)."""
    for check in node.checks:
        if not isinstance(check, p.Not):
            yield from check.children()


def _mark_collects(nodes: list[p.Node]) -> None:
    starts = [n for n in nodes if any(isinstance(c, p.Unevaluated) for c in n.checks)]
    marked = _reach(starts, _annotating)
    for node in nodes:
        node.collects = id(node) in marked


def _mark_scoped(nodes: list[p.Node]) -> None:
    """Nodes from which a dynamic reference can be reached, through any edge."""
    parents: dict[int, list[p.Node]] = {}
    dynamic: list[p.Node] = []
    for node in nodes:
        for check in node.checks:
            if isinstance(check, p.DynamicRef):
                dynamic.append(node)
                dynamic.extend(check.children())
        for child in node.edges():
            parents.setdefault(id(child), []).append(node)
    seen = _reach(dynamic, lambda node: parents.get(id(node), []))
    for node in nodes:
        node.scoped = id(node) in seen
    # Every possible target of a dynamic reference is called the same way.
    for node in nodes:
        for check in node.checks:
            if isinstance(check, p.DynamicRef):
                for target in check.children():
                    target.scoped = True


# --------------------------------------------------------------------------- tags


def _branch_tags(node: p.Node) -> dict[str, str]:
    """Properties ``node`` requires with a constant string written right in its
    ``properties`` (the form the error report recognises as a tag), when ``node`` only
    accepts objects."""
    node = node.unaliased()
    if node.types != frozenset({"object"}) or node.collects or node.scoped:
        return {}
    required: set[str] = set()
    props: dict[str, p.Node] = {}
    for check in node.checks:
        if isinstance(check, p.Required):
            required |= set(check.tags)
        elif isinstance(check, p.Properties):
            props.update(check.nodes)
    found: dict[str, str] = {}
    for name in required:
        child = props.get(name)
        schema = child.location.schema if child is not None else None
        if isinstance(schema, dict) and isinstance(schema.get("const"), str):
            found[name] = schema["const"]
    return found


def _find_tag(check: p.AnyOf) -> None:
    if len(check.nodes) < 2:
        return
    tags = [_branch_tags(n) for n in check.nodes]
    common = set(tags[0]).intersection(*tags[1:])
    if not common:
        return
    name = "type" if "type" in common else sorted(common)[0]
    check.tag = name
    check.tagged = [n.unaliased() for n in check.nodes]
    check.tags = [t[name] for t in tags]


def _any_holds(check: p.AnyOf) -> bool:
    """Does ``check`` hold exactly when one of its branches does (``anyOf``, or a
    ``oneOf`` no value can pass twice)?"""
    return not isinstance(check, p.OneOf) or check.exclusive


def _sole_union(node: p.Node) -> p.AnyOf | None:
    """The ``anyOf``/``oneOf`` that is all ``node`` checks (through aliases), if any."""
    node = node.unaliased()
    if node.collects or node.scoped or len(node.checks) != 1:
        return None
    check = node.checks[0]
    return check if isinstance(check, p.AnyOf) else None


def _tagged_leaves(
    check: p.AnyOf, seen: frozenset[int] = frozenset()
) -> tuple[str, list[tuple[str, p.Node]]] | None:
    """The tag and the ``(tag value, schema)`` pairs such that ``check`` holds exactly
    when one of the schemas whose tag value the value carries holds: a tagged union's
    own branches, or, for a union (any-of semantics) of such unions tagged by the same
    property (and of objects that require a value of that tag), all of theirs. ``None``
    when there are none."""
    if not _any_holds(check) or id(check) in seen:
        return None
    if check.tag is not None:
        return check.tag, list(zip(check.tags, check.tagged, strict=True))
    if len(check.nodes) < 2:
        return None
    seen = seen | {id(check)}
    name: str | None = None
    found_in: list[tuple[str, list[tuple[str, p.Node]]] | dict[str, str]] = []
    for branch in check.nodes:
        inner = _sole_union(branch)
        found = _tagged_leaves(inner, seen) if inner is not None else None
        if found is None:
            # An object that requires a tag of its own is a leaf itself.
            tags = _branch_tags(branch)
            if not tags:
                return None
            found_in.append(tags)
            continue
        if name is not None and found[0] != name:
            return None
        name = found[0]
        found_in.append(found)
    if name is None:
        return None  # no union among the branches: _find_tag's case
    leaves: list[tuple[str, p.Node]] = []
    for branch, part in zip(check.nodes, found_in, strict=True):
        if isinstance(part, dict):
            if name not in part:
                return None
            more = [(part[name], branch.unaliased())]
        else:
            more = part[1]
        leaves += [leaf for leaf in more if leaf not in leaves]
    return name, leaves


def _flatten_tags(check: p.AnyOf) -> None:
    """A union of unions tagged by the same property is dispatched on that tag over
    all their branches (one lookup instead of one dispatch per union)."""
    found = _tagged_leaves(check)
    if found is None:
        return
    check.tag = found[0]
    check.tags = [value for value, _ in found[1]]
    check.tagged = [leaf for _, leaf in found[1]]


def _find_subtags(check: p.AnyOf) -> None:
    """Where one tag value selects several branches, the property all of them also
    require with a constant string (see ``AnyOf.subtags``)."""
    groups: dict[str, list[p.Node]] = {}
    for value, branch in zip(check.tags, check.tagged, strict=True):
        groups.setdefault(value, []).append(branch)
    for value, branches in groups.items():
        if len(branches) < 2:
            continue
        tags = [_branch_tags(b) for b in branches]
        common = set(tags[0]).intersection(*tags[1:]) - {check.tag}
        if common:
            name = sorted(common)[0]
            check.subtags[value] = (name, [t[name] for t in tags])


# --------------------------------------------------------------------------- exclusive

_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "string", "number"})


def _shape(
    node: p.Node, seen: frozenset[int] = frozenset()
) -> tuple[frozenset[str], frozenset[str] | None]:
    """What ``node`` can accept, over-approximated: the JSON types (``integer`` counted as
    ``number``) and, when it only accepts some constant strings, those strings. Only
    ``type``, ``const``, ``enum``, ``$ref`` and ``allOf`` narrow it; any other keyword
    is taken to accept everything, which keeps the answer safe."""
    if node.is_false:
        return frozenset(), frozenset()
    if id(node) in seen:
        return _ALL_TYPES, None
    seen = seen | {id(node)}
    types, strings = _ALL_TYPES, None
    for check in node.checks:
        if isinstance(check, p.Type):
            named = {"number" if t == "integer" else t for t in check.types}
            types = types & frozenset(named)
        elif isinstance(check, (p.Const, p.Enum)):
            values = [check.value] if isinstance(check, p.Const) else list(check.values)
            if all(isinstance(v, str) for v in values):
                found = frozenset(values)
                types = types & {"string"}
                strings = found if strings is None else strings & found
            else:
                types = types & frozenset(_json_type(v) for v in values)
        elif isinstance(check, (p.Ref, p.AllOf)):
            for child in check.children():
                child_types, child_strings = _shape(child, seen)
                types = types & child_types
                if child_strings is not None:
                    strings = child_strings if strings is None else strings & child_strings
    return types, strings


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _exclusive(branches: list[p.Node]) -> bool:
    """No value passes two of ``branches``: for each pair, every JSON type both accept is
    told apart by their constant strings (strings) or by a tag property both require
    with different constant values (objects)."""
    shapes = [_shape(n) for n in branches]
    tags = [_branch_tags(n) for n in branches]
    for i, (types_a, strings_a) in enumerate(shapes):
        for j in range(i + 1, len(shapes)):
            types_b, strings_b = shapes[j]
            for kind in types_a & types_b:
                if kind == "string" and strings_a is not None and strings_b is not None:
                    if strings_a & strings_b:
                        return False
                elif kind == "object" and any(
                    name in tags[j] and tags[j][name] != value for name, value in tags[i].items()
                ):
                    continue
                else:
                    return False
    return True


# --------------------------------------------------------------------------- inlining


def _mark_inline(nodes: list[p.Node]) -> None:
    fast: dict[int, int | None] = {}
    errors: dict[int, int | None] = {}
    for node in nodes:
        node.inline_fast = _weight(node, fast, fast_path=True) is not None
        node.inline_errors = _weight(node, errors, fast_path=False) is not None


def _weight(node: p.Node, memo: dict[int, int | None], *, fast_path: bool) -> int | None:
    """The inline weight of ``node``, or ``None`` when it needs a function."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = None  # on the current path: a recursive use needs a function
    result: int | None = None
    if node.constant is not None:
        result = 0
    elif not node.collects and not node.scoped:
        total = 0
        for check in node.checks:
            part = _check_weight(check, memo, fast_path)
            if part is None:
                total = -1
                break
            total += part
        if 0 <= total <= INLINE_WEIGHT:
            result = total
    memo[key] = result
    return result


def _check_weight(check: p.Check, memo: dict[int, int | None], fast_path: bool) -> int | None:
    if isinstance(check, _SCALAR):
        if isinstance(check, p.Required) and check.tags and not fast_path:
            return None  # the error report computes which tags are missing
        return 1
    if isinstance(check, p.Ref):
        inner = _weight(check.target, memo, fast_path=fast_path)
        return inner if inner is not None else (1 if fast_path else None)
    if isinstance(check, p.AllOf):
        return _sum(check.nodes, memo, fast_path)
    if fast_path and isinstance(check, p.AnyOf) and check.tag is None:
        return _sum(check.nodes, memo, fast_path)
    if fast_path and isinstance(check, (p.Not, p.If)):
        return _sum(check.children(), memo, fast_path)
    return None


def _sum(children: list[p.Node], memo: dict[int, int | None], fast_path: bool) -> int:
    total = 0
    for child in children:
        inner = _weight(child, memo, fast_path=fast_path)
        total += inner if inner is not None else 1
    return total


# --------------------------------------------------------------------------- names

_SINGLE_NAMES = {
    "additionalProperties": "extra",
    "unevaluatedProperties": "uneval",
    "unevaluatedItems": "unevalItems",
    "additionalItems": "moreItems",
    "propertyNames": "names",
}


#: The longest part of a function's name (a type's or a property's name) and the longest
#: name: schema text far longer than any real name is cut, keeping its start and its end.
_PART_LIMIT = 100
_NAME_LIMIT = 160


def _clean(text: str) -> str:
    return name_words(text, _PART_LIMIT)


def _stem(node: p.Node, main: object) -> str:
    loc = node.location
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in loc.pointer.split("/")[1:]]
    prefix = ""
    if loc.document is not main:
        prefix = _clean(loc.document.uri.rstrip("/").rsplit("/", 1)[-1].split(".")[0]) or "doc"
    head, i = "root", 0
    if len(tokens) >= 2 and tokens[0] in ("$defs", "definitions"):
        head, i = _clean(tokens[1]) or "def", 2
    parts: list[str] = [f"{prefix}_{head}" if prefix else head]
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token == "properties" and nxt is not None:
            parts.append(_clean(nxt) or "prop")
            i += 2
        elif token in ("allOf", "anyOf", "oneOf", "prefixItems") and nxt is not None:
            parts.append(f"{token}{_clean(nxt)}")
            i += 2
        elif token == "items" and nxt is not None and nxt.isdigit():
            parts.append(f"items{nxt}")
            i += 2
        elif token in _MAPS and nxt is not None:
            parts.append(_clean(token) + "_" + (_clean(nxt) or "x"))
            i += 2
        else:
            parts.append(_SINGLE_NAMES.get(token, _clean(token) or "x"))
            i += 1
    if loc.virtual:
        parts.append("merged")
    stem = "_".join(parts)
    if len(stem) > _NAME_LIMIT:
        stem = stem[: _NAME_LIMIT - 40].rstrip("_") + "_" + stem[-39:].lstrip("_")
    return stem


_MAPS = ("patternProperties", "dependentSchemas", "dependencies", "$defs", "definitions")


def _name(nodes: list[p.Node]) -> None:
    main = min(nodes, key=lambda n: n.location.number).location.document if nodes else None
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for node in nodes:
        base = stem = _stem(node, main)
        while stem in taken:  # two locations whose names clean to the same text
            counts[base] = counts.get(base, 1) + 1
            stem = f"{base}_{counts[base]}"
        taken.add(stem)
        node.name = stem
        for check in node.checks:
            if isinstance(check, p.Enum):
                check.owner = stem
