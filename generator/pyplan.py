"""Decisions for the Python outputs, made from the IR; the templates only lay them out.

For every complex node (object, array, map, union, unmerged allOf) this computes the
pieces of its generated helper functions; for every value slot (a field, an item, a
variant) the expression that checks it, builds it and dumps it; and for every class and
field its annotation and docstring.

Schema text reaches generated code only through :func:`py_literal` (``repr`` of JSON
data), :func:`py_docstring` (an escaped string literal) and :func:`py_comment`
(one line, escaped); names come from the naming pass. Nothing else from a schema is
ever pasted into code.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import ir
from .build import deref, node_types
from .errors import InputError, escape_pointer

__all__ = ["Plan", "make_plan", "py_comment", "py_docstring", "py_literal"]

# --------------------------------------------------------------------------- escaping

_LINE_BREAKS = {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"}


def py_literal(value: Any) -> str:
    """A Python literal for JSON data (``repr`` escapes quotes, controls and surrogates)."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and infinities are not JSON")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not JSON data: {type(value).__name__}")


def _escape_text(text: str, keep_newlines: bool) -> str:
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == "\n" and keep_newlines:
            out.append("\n")
        elif char == "\t":
            out.append("\t" if keep_newlines else " ")
        elif char in _LINE_BREAKS or not char.isprintable():
            # Controls, line separators, bidi overrides, zero-width and other format
            # characters, surrogates: written as escapes, never as themselves.
            out.append(
                f"\\x{code:02x}"
                if code < 256
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(char)
    return "".join(out)


def py_docstring(text: str) -> str:
    """A triple-quoted docstring literal holding ``text`` exactly, whatever it contains.

    Backslashes and control characters are escaped; a double quote is escaped whenever
    it touches another double quote or either end, so the body never holds a run of
    raw quotes that could end the literal. Lone surrogates become U+FFFD: CPython cannot
    store them in a class's ``__doc__``.
    """
    body = _escape_text(_no_surrogates(text.strip("\n")), keep_newlines=True)
    last = len(body) - 1
    out = []
    for index, char in enumerate(body):
        if char == '"' and (
            index in (0, last)
            or body[index - 1] == '"'
            or (index < last and body[index + 1] == '"')
        ):
            out.append('\\"')
        else:
            out.append(char)
    return '"""' + "".join(out) + '"""'


def _no_surrogates(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def py_comment(text: str, limit: int = 200) -> str:
    """One line of comment text (newlines folded, control characters escaped)."""
    line = _escape_text(" ".join(text.split()), keep_newlines=False)
    return line if len(line) <= limit else line[: limit - 3] + "..."


# --------------------------------------------------------------------------- plan types


@dataclass
class Check:
    """One keyword check on a simple value: ``bad`` is true when it fails."""

    bad: str
    ok: str
    keyword: str
    arg: str


@dataclass
class Slot:
    """How a value of one node is checked, built and dumped, written over ``var``."""

    node: ir.Node
    var: str
    #: Expression true when the value is valid.
    is_ok: str
    #: For simple nodes: the type check and the other keyword checks (errors path).
    type_check: Check | None = None
    checks: list[Check] = field(default_factory=list)
    #: For complex nodes: the function that reports their errors.
    errors_fn: str | None = None
    #: ``null`` is valid too (a nullable reference), so errors are only looked for
    #: when the value is not ``None``.
    null_ok: bool = False
    #: For complex nodes: the call checking the value (``_is_X(v)``).
    call: str = ""
    build: str = ""
    dump: str = ""
    annotation: str = "Any"

    @property
    def simple(self) -> bool:
        return self.errors_fn is None

    @property
    def is_bad(self) -> str:
        """Expression true when the value is invalid (the negation of ``is_ok``)."""
        if not self.simple:
            return (
                f"{self.var} is not None and not {self.call}"
                if self.null_ok
                else f"not {self.call}"
            )
        bads = ([self.type_check.bad] if self.type_check else []) + [c.bad for c in self.checks]
        return " or ".join(bads) if bads else "False"


@dataclass
class Branch:
    """One ``if``/``elif``/``else`` branch of generated error reporting."""

    kind: str
    cond: str
    body: list[str]


def _and(*conds: str | None) -> str:
    return " and ".join(c for c in conds if c)


def error_branches(
    slot: Slot, path: str, guard: str | None = None, first: tuple[str, str] | None = None
) -> list[Branch]:
    """If/elif branches that append the errors of ``slot``'s value at ``path`` to ``e``.

    ``guard`` must hold for the value to be looked at; ``first`` is a branch tried
    before all others (``v is _MISSING`` for a required property). Checks after the
    type check only run when the type is right; the others are independent.
    """
    out: list[Branch] = []

    def add(cond: str, body: list[str]) -> None:
        if out:
            kind = "elif" if cond else "else"
        else:
            kind = "if" if cond else ""
        out.append(Branch(kind, cond, body))

    def report(check: Check) -> str:
        return f'e.append(_error({path}, "{check.keyword}", {slot.var}, {check.arg}))'

    if first is not None:
        add(first[0], [first[1]])
    if not slot.simple:
        add(
            _and(guard, f"{slot.var} is not None" if slot.null_ok else None),
            [f"{slot.errors_fn}({slot.var}, {path}, e)"],
        )
        return out
    if slot.type_check is not None:
        add(_and(guard, slot.type_check.bad), [report(slot.type_check)])
    if len(slot.checks) == 1:
        add(_and(guard, slot.checks[0].bad), [report(slot.checks[0])])
    elif slot.checks:
        lines: list[str] = []
        for check in slot.checks:
            lines += [f"if {check.bad}:", f"    {report(check)}"]
        add(guard or "", lines)
    return out


@dataclass
class FastCheck:
    """One step of a fast ``_is_`` function: ``prelude``, then fail unless ``ok``."""

    prelude: str | None
    fail: str
    ok: str


@dataclass
class FieldPlan:
    field: ir.Field
    key: str
    key_pointer: str
    name: str
    slot: Slot
    required: bool
    annotation: str
    docstring: str
    default: str | None
    nullable: bool
    #: For a one-value literal that is required: the constructor default.
    const_default: str | None = None
    #: Error reporting for this property (``v`` holds the value or ``_MISSING``).
    branches: list[Branch] = dataclasses.field(default_factory=list)
    #: Expression building the Python value from ``d`` (the JSON object).
    build: str = ""
    #: Expression dumping ``self.<name>`` back to JSON data.
    dump: str = ""


@dataclass
class Variant:
    index: int
    slot: Slot
    #: Expression true when the variant cannot be meant for the value (wrong JSON type,
    #: or a different constant tag); used to pick the variant whose errors to report.
    rejects: str


@dataclass
class Case:
    """Variants that a value of one tag (or one JSON type) selects."""

    value: str
    variants: list[Variant]
    #: Expression true when the value is valid, given it reached this case.
    ok: str


@dataclass
class Family:
    """Values of one JSON type family, and the variants that can accept them."""

    guard: str
    variants: list[Variant]
    ok: str
    tag_cases: list[Case] | None = None


@dataclass
class Function:
    """The helper functions of one complex node."""

    node: ir.Node
    fn: str
    kind: str
    comment: list[str] = field(default_factory=list)
    # objects
    obj: ir.ObjectNode | None = None
    fields: list[FieldPlan] = field(default_factory=list)
    keys_const: str = ""
    extra_slot: Slot | None = None
    # arrays and maps
    item: Slot | None = None
    # unions
    variants: list[Variant] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    fallback: list[Variant] = field(default_factory=list)
    one_of: bool = False
    outer_types: Check | None = None
    tag_key: str = ""
    fallback_ok: str = "False"
    rejects_tuple: str = ""
    #: A ``type`` list rather than a real union: a value of none of the types is a
    #: ``type`` error (with ``type_arg``), not an ``anyOf`` one.
    by_type: bool = False
    type_arg: str = ""
    # allOf
    parts: list[Slot] = field(default_factory=list)
    #: Objects: the fast path's checks, in order.
    fast_checks: list[FastCheck] = field(default_factory=list)
    #: Arrays and maps: error reporting for one item ``x`` at ``p + "/" + ...``.
    item_branches: list[Branch] = field(default_factory=list)
    #: Objects with typed extra properties: error reporting for one of them.
    extra_branches: list[Branch] = field(default_factory=list)
    #: Unions: error reporting for the one kept variant (``kept[0]``).
    variant_branches: list[Branch] = field(default_factory=list)
    #: allOf: error reporting for each part, independently.
    part_branches: list[list[Branch]] = field(default_factory=list)
    annotation: str = "Any"
    type_guard: str | None = None
    typed: bool = True


@dataclass
class Alias:
    name: str
    value: str
    quoted: bool
    docstring: str
    key: str


@dataclass
class ClassPlan:
    name: str
    key: str | None
    fn: str
    obj: ir.ObjectNode
    docstring: str
    fields: list[FieldPlan]
    open: bool
    closed: bool
    extra_annotation: str
    keys_const: str
    typed_dict_functional: bool


@dataclass
class TypeEntry:
    key: str
    name: str
    fn: str | None
    simple_check: Slot | None
    nullable: bool
    is_class: bool
    branches: list[Branch] = field(default_factory=list)
    #: The builder ``parse`` uses for this type.
    build: str = "_identity"


@dataclass
class Plan:
    schema: ir.Schema
    package: str
    consts: dict[str, str]
    functions: list[Function]
    #: The functions whose builder something calls (a class's ``from_dict``, ``parse``,
    #: another live builder); the others' values are passed through as they are.
    builders: list[Function]
    classes: list[ClassPlan]
    aliases: list[Alias]
    types: list[TypeEntry]
    root: TypeEntry | None
    event_tag: str | None
    event_types: list[tuple[str, list[str]]]
    #: Helpers the models' union builders call: (from validators, from _runtime).
    models_imports: tuple[list[str], list[str]] = ([], [])


# --------------------------------------------------------------------------- helpers

_FAMILIES = (
    ("null", "{v} is None", ("null",)),
    ("boolean", "{v} is True or {v} is False", ("boolean",)),
    ("number", "isinstance({v}, (int, float))", ("integer", "number")),
    ("string", "isinstance({v}, str)", ("string",)),
    ("array", "isinstance({v}, list)", ("array",)),
    ("object", "isinstance({v}, dict)", ("object",)),
)

#: Fast paths first (exact ``int``/``float``), then the helpers that handle subclasses,
#: reject ``bool`` and NaN/infinity, and accept integral floats as integers.
_INT_OK = "(type({v}) is int or _is_integer({v}))"
_NUM_OK = "(type({v}) is float and {v} - {v} == 0 or type({v}) is int or _is_number({v}))"

_TYPE_GUARD = {
    "null": "{v} is None",
    "boolean": "({v} is True or {v} is False)",
    "string": "isinstance({v}, str)",
    "array": "isinstance({v}, list)",
    "object": "isinstance({v}, dict)",
}


def _type_ok(types: frozenset[str], var: str) -> str:
    """Expression true when ``var`` has one of the JSON ``types``."""
    parts = []
    if "number" in types:
        parts.append(_NUM_OK.format(v=var))
    elif "integer" in types:
        parts.append(_INT_OK.format(v=var))
    for name in ("null", "boolean", "string", "array", "object"):
        if name in types:
            parts.append(_TYPE_GUARD[name].format(v=var))
    if not parts:
        return "False"
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _type_arg(types: frozenset[str]) -> str:
    names = [t for t in ir.JSON_TYPES if t in types and not (t == "integer" and "number" in types)]
    return py_literal(names[0] if len(names) == 1 else names)


def _literal_annotation(values: Iterable[Any]) -> list[str]:
    parts: list[str] = []
    literal: list[str] = []
    for value in values:
        if value is None:
            parts.append("None")
        elif isinstance(value, (str, bool, int)):
            literal.append(py_literal(value))
        elif isinstance(value, float):
            parts.append("float")
        elif isinstance(value, list):
            parts.append("list[Any]")
        else:
            parts.append("dict[str, Any]")
    if literal:
        parts.insert(0, "Literal[" + ", ".join(literal) + "]")
    return parts


def _join_annotations(parts: list[str]) -> str:
    flat: list[str] = []
    literals: list[str] = []
    for part in parts:
        for piece in _split_top(part):
            if piece == "Any":
                return "Any"
            if piece.startswith("Literal[") and piece.endswith("]"):
                literals.extend(_split_args(piece[len("Literal[") : -1]))
            elif piece not in flat:
                flat.append(piece)
    out = []
    if literals:
        out.append("Literal[" + ", ".join(dict.fromkeys(literals)) + "]")
    none = "None" in flat
    out.extend(p for p in flat if p != "None")
    if none:
        out.append("None")
    return " | ".join(out) if out else "Any"


def _split_top(annotation: str) -> list[str]:
    """Split ``A | Literal["a|b"] | list[B | C]`` at top-level ``|`` only."""
    return _split_outside(annotation, "|")


def _split_args(args: str) -> list[str]:
    """Split ``"a", "b,c", list[X, Y]`` at top-level commas only."""
    return _split_outside(args, ",")


def _split_outside(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` outside brackets and quoted strings."""
    pieces, depth, quote, start = [], 0, "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == separator and depth == 0:
            pieces.append(text[start:i].strip())
            start = i + 1
        i += 1
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _number_text(value: Any) -> str:
    return py_literal(value)


def describe_limits(node: ir.Node) -> list[str]:
    """Human-readable limits of a node, for docstrings and docs."""
    node = deref(node)
    out: list[str] = []
    if isinstance(node, ir.UnionNode):
        for variant in node.variants:
            out.extend(describe_limits(variant))
        return out
    if isinstance(node, ir.StringNode):
        if node.min_length is not None:
            out.append(f"at least {node.min_length} characters")
        if node.max_length is not None:
            out.append(f"at most {node.max_length} characters")
        if node.pattern is not None:
            out.append(f"matches the pattern {node.pattern}")
        if node.format:
            out.append(f"format {node.format}")
    elif isinstance(node, ir.NumberNode):
        if node.minimum is not None:
            out.append(f"minimum {node.minimum}")
        if node.exclusive_minimum is not None:
            out.append(f"greater than {node.exclusive_minimum}")
        if node.maximum is not None:
            out.append(f"maximum {node.maximum}")
        if node.exclusive_maximum is not None:
            out.append(f"less than {node.exclusive_maximum}")
        if node.multiple_of is not None:
            out.append(f"a multiple of {node.multiple_of}")
    elif isinstance(node, ir.ArrayNode):
        if node.min_items is not None:
            out.append(f"at least {node.min_items} items")
        if node.max_items is not None:
            out.append(f"at most {node.max_items} items")
        if node.unique_items:
            out.append("items are unique")
    elif isinstance(node, (ir.MapNode, ir.ObjectNode)):
        if node.min_properties is not None:
            out.append(f"at least {node.min_properties} properties")
        if node.max_properties is not None:
            out.append(f"at most {node.max_properties} properties")
    return out


def accepts_null(node: ir.Node) -> bool:
    types = node_types(node)
    return types is None or "null" in types


# --------------------------------------------------------------------------- planner


class _Planner:
    def __init__(self, schema: ir.Schema, package: str) -> None:
        self.schema = schema
        self.package = package
        self.consts: dict[str, str] = {}
        self.functions: dict[int, Function] = {}
        self.order: list[Function] = []
        self._annotations: dict[int, str] = {}

    # -------------------------------------------------------------- constants

    def const(self, base: str, literal: str) -> str:
        kind = base.lstrip("_").split("_")[0] + "_"
        for name, value in self.consts.items():
            if value == literal and name.lstrip("_").startswith(kind):
                return name
        name = re.sub(r"[^0-9A-Za-z_]", "_", base)
        while name in self.consts:
            name += "_"
        self.consts[name] = literal
        return name

    def regex(self, pattern: str, owner: str, node: ir.Node) -> str:
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise InputError(
                f"pattern {pattern!r} is not a valid regular expression: {exc}",
                file=self.schema.label,
                pointer=node.pointer,
            ) from None
        return self.const(f"_RE_{owner}", f"re.compile({py_literal(pattern)})")

    # -------------------------------------------------------------- slots

    def annotation(self, node: ir.Node) -> str:
        found = self._annotations.get(id(node))
        if found is None:
            found = self._annotations[id(node)] = self._annotation(node)
        return found

    def _annotation(self, node: ir.Node) -> str:
        if isinstance(node, ir.RefNode):
            name = node.target.name
            return f"{name} | None" if node.target.nullable else name
        if isinstance(node, (ir.AnyNode, ir.NeverNode, ir.AllOfNode)):
            return "Any"
        if node.types is None and not isinstance(
            node, (ir.LiteralNode, ir.UnionNode, ir.OpenEnumNode)
        ):
            if isinstance(node, ir.ObjectNode):
                return f"{node.name} | Any"
            return "Any"
        if isinstance(node, ir.NullNode):
            return "None"
        if isinstance(node, ir.BoolNode):
            return "bool"
        if isinstance(node, ir.StringNode):
            return "str"
        if isinstance(node, ir.NumberNode):
            return "int" if node.integer else "float"
        if isinstance(node, ir.LiteralNode):
            return _join_annotations(_literal_annotation(node.values))
        if isinstance(node, ir.OpenEnumNode):
            return _join_annotations([*_literal_annotation(node.known), "str"])
        if isinstance(node, ir.ArrayNode):
            return f"list[{self.annotation(node.items)}]"
        if isinstance(node, ir.MapNode):
            return f"dict[str, {self.annotation(node.values)}]"
        if isinstance(node, ir.ObjectNode):
            return node.name
        if isinstance(node, ir.UnionNode):
            return _join_annotations([self.annotation(v) for v in node.variants])
        return "Any"

    def slot(self, node: ir.Node, var: str, owner: str) -> Slot:
        annotation = self.annotation(node)
        if isinstance(node, ir.RefNode):
            target = node.target
            if target.node.complex:
                fn = self.function(target.node).fn
                inner = Slot(
                    node=node,
                    var=var,
                    is_ok=f"_is_{fn}({var})",
                    call=f"_is_{fn}({var})",
                    errors_fn=f"_errors_{fn}",
                    build=self.build_expr(target.node, var),
                    dump=self.dump_expr(target.node, var),
                )
            else:
                inner = self.slot(target.node, var, target.name)
            if target.nullable:
                inner = self._nullable(inner, var)
            inner.node = node
            inner.annotation = annotation
            return inner
        if node.complex:
            fn = self.function(node).fn
            return Slot(
                node=node,
                var=var,
                is_ok=f"_is_{fn}({var})",
                call=f"_is_{fn}({var})",
                errors_fn=f"_errors_{fn}",
                build=self.build_expr(node, var),
                dump=self.dump_expr(node, var),
                annotation=annotation,
            )
        type_check, checks = self.simple_checks(node, var, owner)
        oks = ([type_check.ok] if type_check else []) + [c.ok for c in checks]
        return Slot(
            node=node,
            var=var,
            is_ok=" and ".join(oks) if oks else "True",
            type_check=type_check,
            checks=checks,
            build=var,
            dump=var,
            annotation=annotation,
        )

    def _nullable(self, inner: Slot, var: str) -> Slot:
        if inner.simple:
            type_check = inner.type_check
            return Slot(
                node=inner.node,
                var=var,
                is_ok=f"({var} is None or {inner.is_ok})",
                type_check=Check(
                    bad=f"not ({var} is None or {type_check.ok})" if type_check else "False",
                    ok=f"({var} is None or {type_check.ok})" if type_check else "True",
                    keyword="type",
                    arg=type_check.arg if type_check else "None",
                )
                if type_check
                else None,
                checks=[
                    Check(
                        bad=f"{var} is not None and {c.bad}",
                        ok=f"({var} is None or {c.ok})",
                        keyword=c.keyword,
                        arg=c.arg,
                    )
                    for c in inner.checks
                ],
                build=inner.build,
                dump=inner.dump,
            )
        return Slot(
            node=inner.node,
            var=var,
            is_ok=f"({var} is None or {inner.is_ok})",
            call=inner.call,
            errors_fn=inner.errors_fn,
            null_ok=True,
            build=f"None if {var} is None else {inner.build}",
            dump=f"None if {var} is None else {inner.dump}",
        )

    def simple_checks(
        self, node: ir.Node, var: str, owner: str
    ) -> tuple[Check | None, list[Check]]:
        v = var
        typed = node.types is not None
        if isinstance(node, ir.AnyNode):
            return None, []
        if isinstance(node, ir.NeverNode):
            return Check(bad="True", ok="False", keyword="false", arg="None"), []
        if isinstance(node, ir.NullNode):
            return Check(
                bad=f"{v} is not None", ok=f"{v} is None", keyword="type", arg="'null'"
            ), []
        if isinstance(node, ir.BoolNode):
            return Check(
                bad=f"{v} is not True and {v} is not False",
                ok=f"({v} is True or {v} is False)",
                keyword="type",
                arg="'boolean'",
            ), []
        if isinstance(node, ir.LiteralNode):
            return self.literal_check(node, v, owner), []
        if isinstance(node, ir.OpenEnumNode):
            type_check = Check(
                bad=f"not isinstance({v}, str)",
                ok=f"isinstance({v}, str)",
                keyword="type",
                arg="'string'",
            )
            _, inner = self.simple_checks(node.string, v, owner)
            if inner:
                known = self.const(
                    f"_KNOWN_{owner}",
                    "frozenset({" + ", ".join(py_literal(k) for k in node.known) + "})",
                )
                inner = [
                    Check(
                        bad=f"{v} not in {known} and {c.bad}",
                        ok=f"({v} in {known} or {c.ok})",
                        keyword=c.keyword,
                        arg=c.arg,
                    )
                    for c in inner
                ]
            return type_check, inner
        if isinstance(node, ir.StringNode):
            type_check = Check(
                bad=f"not isinstance({v}, str)",
                ok=f"isinstance({v}, str)",
                keyword="type",
                arg="'string'",
            )
            checks = []
            if node.min_length is not None:
                checks.append(
                    Check(
                        f"len({v}) < {node.min_length}",
                        f"len({v}) >= {node.min_length}",
                        "minLength",
                        str(node.min_length),
                    )
                )
            if node.max_length is not None:
                checks.append(
                    Check(
                        f"len({v}) > {node.max_length}",
                        f"len({v}) <= {node.max_length}",
                        "maxLength",
                        str(node.max_length),
                    )
                )
            if node.pattern is not None:
                rx = self.regex(node.pattern, owner, node)
                checks.append(
                    Check(
                        f"{rx}.search({v}) is None",
                        f"{rx}.search({v}) is not None",
                        "pattern",
                        py_literal(node.pattern),
                    )
                )
            return self._gate(type_check, checks, typed, v, "str")
        if isinstance(node, ir.NumberNode):
            ok = (_INT_OK if node.integer else _NUM_OK).format(v=v)
            type_check = Check(
                bad=f"not {ok}",
                ok=ok,
                keyword="type",
                arg="'integer'" if node.integer else "'number'",
            )
            checks = []
            for attr, op, inverse, keyword in (
                ("minimum", "<", ">=", "minimum"),
                ("exclusive_minimum", "<=", ">", "exclusiveMinimum"),
                ("maximum", ">", "<=", "maximum"),
                ("exclusive_maximum", ">=", "<", "exclusiveMaximum"),
            ):
                limit = getattr(node, attr)
                if limit is not None:
                    text = _number_text(limit)
                    checks.append(Check(f"{v} {op} {text}", f"{v} {inverse} {text}", keyword, text))
            if node.multiple_of is not None:
                text = _number_text(node.multiple_of)
                checks.append(
                    Check(
                        f"_not_multiple({v}, {text})",
                        f"not _not_multiple({v}, {text})",
                        "multipleOf",
                        text,
                    )
                )
            return self._gate(type_check, checks, typed, v, "num")
        raise AssertionError(f"not a simple node: {node.kind}")

    def _gate(
        self, type_check: Check, checks: list[Check], typed: bool, v: str, kind: str
    ) -> tuple[Check | None, list[Check]]:
        if typed:
            return type_check, checks
        # Without ``type`` the keywords apply to values of that type only.
        guard = type_check.ok
        return None, [
            Check(f"{guard} and {c.bad}", f"(not {guard} or {c.ok})", c.keyword, c.arg)
            for c in checks
        ]

    def literal_check(self, node: ir.LiteralNode, v: str, owner: str) -> Check:
        keyword = "const" if node.const and len(node.values) == 1 else "enum"
        arg = py_literal(node.values[0]) if keyword == "const" else py_literal(list(node.values))
        if node.strings_only:
            if len(node.values) == 1:
                value = py_literal(node.values[0])
                return Check(
                    bad=f"{v} != {value}",
                    ok=f"(isinstance({v}, str) and {v} == {value})",
                    keyword=keyword,
                    arg=arg,
                )
            name = self.const(
                f"_ENUM_{owner}",
                "frozenset({" + ", ".join(py_literal(x) for x in node.values) + "})",
            )
            return Check(
                bad=f"not (isinstance({v}, str) and {v} in {name})",
                ok=f"(isinstance({v}, str) and {v} in {name})",
                keyword=keyword,
                arg=arg,
            )
        name = self.const(
            f"_VALUES_{owner}", "(" + ", ".join(py_literal(x) for x in node.values) + ",)"
        )
        return Check(
            bad=f"not _in_values({v}, {name})",
            ok=f"_in_values({v}, {name})",
            keyword=keyword,
            arg=arg,
        )

    def dump_expr(self, node: ir.Node, var: str) -> str:
        node_ = node
        if isinstance(node_, ir.RefNode):
            inner = self.dump_expr(node_.target.node, var)
            return (
                f"None if {var} is None else {inner}"
                if node_.target.nullable and inner != var
                else inner
            )
        if isinstance(node_, ir.ObjectNode):
            return f"{var}.to_dict()"
        if isinstance(node_, ir.ArrayNode):
            item = self.dump_expr(node_.items, "x")
            return f"list({var})" if item == "x" else f"[{item} for x in {var}]"
        if isinstance(node_, ir.MapNode):
            value = self.dump_expr(node_.values, "x")
            return f"dict({var})" if value == "x" else f"{{k: {value} for k, x in {var}.items()}}"
        if isinstance(node_, (ir.UnionNode, ir.AllOfNode)):
            return var if _plain(node_) else f"_dump({var})"
        return var

    # -------------------------------------------------------------- functions

    def function(self, node: ir.Node) -> Function:
        found = self.functions.get(id(node))
        if found is not None:
            return found
        fn = Function(
            node=node, fn=node.fn, kind=node.kind, comment=[py_comment(n) for n in node.notes]
        )
        self.functions[id(node)] = fn
        fn.annotation = self.annotation(node)
        fn.typed = node.types is not None
        if isinstance(node, ir.ObjectNode):
            self._object(fn, node)
        elif isinstance(node, ir.ArrayNode):
            fn.item = self.slot(node.items, "x", node.fn)
            fn.item_branches = error_branches(fn.item, "p + '/' + str(i)")
            fn.fast_checks = _size_checks(node.min_items, node.max_items)
            if node.unique_items:
                fn.fast_checks.append(FastCheck(None, "not _unique(d)", "_unique(d)"))
        elif isinstance(node, ir.MapNode):
            fn.item = self.slot(node.values, "x", node.fn)
            fn.item_branches = error_branches(fn.item, "p + '/' + _escape(k)")
            fn.fast_checks = _size_checks(node.min_properties, node.max_properties)
        elif isinstance(node, ir.UnionNode):
            self._union(fn, node)
        elif isinstance(node, ir.AllOfNode):
            fn.parts = [self.slot(p, "v", node.fn) for p in node.parts]
            fn.part_branches = [error_branches(p, "p") for p in fn.parts]
        self.order.append(fn)
        return fn

    def _object(self, fn: Function, node: ir.ObjectNode) -> None:
        fn.obj = node
        fn.keys_const = self.const(
            f"_KEYS_{node.fn}",
            "frozenset({" + ", ".join(py_literal(f.key) for f in node.fields) + "})",
        )
        for f in node.fields:
            fn.fields.append(self.field_plan(node, f))
            if not f.node.complex:
                fn.comment += [py_comment(f"{f.key}: {note}") for note in f.node.notes]
        if node.extra is not None and not isinstance(node.extra, ir.AnyNode):
            fn.extra_slot = self.slot(node.extra, "x", f"{node.fn}_extra")
            fn.extra_branches = error_branches(fn.extra_slot, "p + '/' + _escape(k)")
        keys = fn.keys_const
        for fp in fn.fields:
            slot = fp.slot
            prelude = f"v = d.get({fp.key}, _MISSING)"
            if slot.is_ok == "True":
                if fp.required:
                    fn.fast_checks.append(FastCheck(None, f"{fp.key} not in d", f"{fp.key} in d"))
                continue
            if fp.required:
                fn.fast_checks.append(
                    FastCheck(
                        prelude,
                        f"v is _MISSING or {slot.is_bad}",
                        f"v is not _MISSING and {slot.is_ok}",
                    )
                )
            else:
                fn.fast_checks.append(
                    FastCheck(
                        prelude,
                        f"v is not _MISSING and ({slot.is_bad})",
                        f"v is _MISSING or {slot.is_ok}",
                    )
                )
        if node.closed:
            fn.fast_checks.append(
                FastCheck(None, f"not {keys}.issuperset(d)", f"{keys}.issuperset(d)")
            )
        elif fn.extra_slot is not None:
            every = f"all(k in {keys} or {fn.extra_slot.is_ok} for k, x in d.items())"
            fn.fast_checks.append(FastCheck(None, f"not {every}", every))
        if node.min_properties is not None:
            fn.fast_checks.append(
                FastCheck(
                    None, f"len(d) < {node.min_properties}", f"len(d) >= {node.min_properties}"
                )
            )
        if node.max_properties is not None:
            fn.fast_checks.append(
                FastCheck(
                    None, f"len(d) > {node.max_properties}", f"len(d) <= {node.max_properties}"
                )
            )

    def field_plan(self, obj: ir.ObjectNode, f: ir.Field) -> FieldPlan:
        slot = self.slot(f.node, "v", f"{obj.fn}_{f.py_name}")
        nullable = accepts_null(f.node) and not isinstance(deref(f.node), ir.AnyNode)
        default = f.node.default
        if default is ir.NO_DEFAULT and isinstance(f.node, ir.RefNode):
            default = f.node.target.node.default
        const_default = None
        lit = deref(f.node)
        if (
            f.required
            and isinstance(lit, ir.LiteralNode)
            and len(lit.values) == 1
            and isinstance(lit.values[0], (str, int, bool))
        ):
            const_default = py_literal(lit.values[0])
        key = py_literal(f.key)
        pointer = py_literal("/" + escape_pointer(f.key))
        if f.required:
            branches = error_branches(
                slot,
                f"p + {pointer}",
                first=("v is _MISSING", f'e.append(_error(p, "required", d, {key}))'),
            )
        else:
            branches = error_branches(slot, f"p + {pointer}", guard="v is not _MISSING")
        built = self.build_expr(f.node, "v")
        if f.required:
            build = self.build_expr(f.node, f"d[{key}]")
        elif built == "v":
            build = f"g({key}, UNSET)"
        else:
            build = f"(UNSET if (v := g({key}, UNSET)) is UNSET else {built})"
        return FieldPlan(
            field=f,
            key=key,
            key_pointer=pointer,
            name=f.py_name,
            slot=slot,
            required=f.required,
            annotation=slot.annotation,
            docstring=py_docstring(self.field_doc(f, default)),
            default=None if default is ir.NO_DEFAULT else _safe_literal(default),
            nullable=nullable,
            const_default=const_default,
            branches=branches,
            build=build,
            dump=self.dump_expr(f.node, f"self.{f.py_name}"),
        )

    def build_expr(self, node: ir.Node, var: str) -> str:
        """Expression turning the JSON value ``var`` of ``node`` into its Python value."""
        if isinstance(node, ir.RefNode):
            inner = self.build_expr(node.target.node, var)
            if node.target.nullable and inner != var:
                return f"None if {var} is None else {inner}"
            return inner
        if _plain(node):
            return var
        if isinstance(node, ir.ArrayNode) and _plain(node.items):
            return f"list({var})"
        if isinstance(node, ir.MapNode) and _plain(node.values):
            return f"dict({var})"
        if node.complex:
            return f"_build_{node.fn}({var})"
        return var

    def field_doc(self, f: ir.Field, default: Any) -> str:
        lines = [f.description or f"The ``{f.key}`` property."]
        facts = []
        if f.py_name != f.key:
            facts.append(f"JSON name: ``{f.key}``.")
        if default is not ir.NO_DEFAULT:
            facts.append(f"Default: ``{_short_json(default)}``.")
        limits = describe_limits(f.node)
        if limits:
            facts.append("Limits: " + "; ".join(limits) + ".")
        facts += [f"Note: {note}" for note in f.node.notes]
        if facts:
            lines.append("")
            lines.append(" ".join(facts))
        return "\n".join(lines)

    def _union(self, fn: Function, node: ir.UnionNode) -> None:
        fn.one_of = node.one_of
        fn.variants = [
            Variant(
                index=i,
                slot=self.slot(v, "v", f"{node.fn}_{i}"),
                rejects=self.rejects(v, "v", node.by_type),
            )
            for i, v in enumerate(node.variants)
        ]
        fn.by_type = node.by_type
        if node.by_type and node.types is not None:
            fn.type_arg = _type_arg(node.types)
        if node.outer_types is not None:
            fn.outer_types = Check(
                bad=f"not {_type_ok(node.outer_types, 'v')}",
                ok=_type_ok(node.outer_types, "v"),
                keyword="type",
                arg=_type_arg(node.outer_types),
            )
        kinds = [node_types(v) for v in node.variants]
        combine = self._combine_one if node.one_of else self._combine_any
        for family, guard, members in _FAMILIES:
            chosen = [fn.variants[i] for i, k in enumerate(kinds) if k is None or set(members) & k]
            if not chosen:
                continue
            cases = None
            if family == "object" and node.tag is not None:
                cases = []
                for value, indexes in node.tag_map.items():
                    picked = [fn.variants[i] for i in indexes]
                    cases.append(Case(value=py_literal(value), variants=picked, ok=combine(picked)))
            fn.families.append(
                Family(
                    guard=guard.format(v="v"), variants=chosen, ok=combine(chosen), tag_cases=cases
                )
            )
        fn.fallback = [fn.variants[i] for i, k in enumerate(kinds) if k is None]
        fn.fallback_ok = combine(fn.fallback) if fn.fallback else "False"
        fn.tag_key = py_literal(node.tag) if node.tag is not None else ""
        fn.rejects_tuple = "(" + "".join(f"{v.rejects}, " for v in fn.variants) + ")"
        for variant, kind in zip(fn.variants, kinds, strict=False):
            if node.outer_types is not None and kind is not None and not (kind & node.outer_types):
                continue  # never kept: the outer type check has already failed such values
            fn.variant_branches += error_branches(
                variant.slot, "p", guard=f"kept[0] == {variant.index}"
            )
        for index, branch in enumerate(fn.variant_branches):
            if index and branch.kind == "if":
                branch.kind = "elif"
            elif index and branch.kind == "":
                branch.kind = "else"

    @staticmethod
    def _combine_any(variants: list[Variant]) -> str:
        if any(v.slot.is_ok == "True" for v in variants):
            return "True"
        return " or ".join(f"({v.slot.is_ok})" for v in variants) if variants else "False"

    @staticmethod
    def _combine_one(variants: list[Variant]) -> str:
        if len(variants) == 1:
            return variants[0].slot.is_ok
        return " + ".join(f"({v.slot.is_ok})" for v in variants) + " == 1"

    def rejects(self, node: ir.Node, var: str, types_only: bool = False) -> str:
        """Expression true when ``node`` is plainly not meant for the value (see
        ``generator.validate.relevant_errors``): wrong JSON type, or another tag
        (unless ``types_only``: the branches of a ``type`` list are told apart by type)."""
        if types_only:
            types = node_types(node)
            return "False" if types is None else f"not {_type_ok(types, var)}"
        if isinstance(node, ir.RefNode):
            inner = self.rejects(node.target.node, var)
            if node.target.nullable and inner != "False":
                return f"({var} is not None and {inner})"
            return inner
        if isinstance(node, ir.UnionNode):
            parts = [self.rejects(v, var) for v in node.variants]
            if node.outer_types is not None:
                outer = f"not {_type_ok(node.outer_types, var)}"
                return f"({outer} or ({' and '.join(parts)}))"
            return "(" + " and ".join(parts) + ")" if parts else "True"
        if isinstance(node, ir.AllOfNode):
            parts = [p for p in (self.rejects(x, var) for x in node.parts) if p != "False"]
            return "(" + " or ".join(parts) + ")" if parts else "False"
        if isinstance(node, ir.OpenEnumNode):
            return f"not isinstance({var}, str)"
        types = node.types
        if types is None:
            return "False"
        wrong = f"not {_type_ok(types, var)}"
        if isinstance(node, ir.ObjectNode):
            tags = []
            for f in node.fields:
                lit = deref(f.node)
                if isinstance(lit, ir.LiteralNode) and lit.const and len(lit.values) == 1:
                    value = lit.values[0]
                    key = py_literal(f.key)
                    if isinstance(value, str):
                        differs = f"{var}.get({key}, _MISSING) != {py_literal(value)}"
                    else:
                        differs = (
                            f"not _in_values({var}.get({key}, _MISSING), ({py_literal(value)},))"
                        )
                    tags.append(differs if f.required else f"({key} in {var} and {differs})")
            if tags:
                return f"({wrong} or {' or '.join(tags)})"
        return wrong

    # -------------------------------------------------------------- whole plan

    def plan(self) -> Plan:
        for named in self.schema.types:
            if named.node.complex:
                self.function(named.node)
        for node in self.schema.walk():
            if node.complex:
                self.function(node)
        classes = [self.class_plan(fn) for fn in self.order if fn.obj is not None]
        classes.sort(key=self._class_order)
        aliases = self.aliases()
        types = [self.type_entry(named) for named in self.schema.types]
        root = None
        if self.schema.root is not None:
            target = self.schema.root
            if isinstance(target, ir.RefNode):
                root = next(
                    t for t in types if t.key == target.target.key and t.name == target.target.name
                )
        event_tag, event_types = self.events()
        used: set[str] = set()
        for fn in self.order:
            if fn.kind == "union":
                for variant in fn.variants:
                    used.update(re.findall(r"\b_[A-Za-z0-9_]+\b", variant.slot.is_ok))
        runtime = {
            "_MISSING",
            "_is_integer",
            "_is_number",
            "_in_values",
            "_not_multiple",
            "_unique",
        }
        models_imports = (sorted(used - runtime), sorted(used & runtime))
        return Plan(
            schema=self.schema,
            package=self.package,
            consts=self.consts,
            functions=self.order,
            builders=self.live_builders(classes, types),
            classes=classes,
            aliases=aliases,
            types=types,
            root=root,
            event_tag=event_tag,
            event_types=event_types,
            models_imports=models_imports,
        )

    def live_builders(self, classes: list[ClassPlan], types: list[TypeEntry]) -> list[Function]:
        """The functions whose ``_build_`` something calls, in emission order."""
        by_name = {fn.fn: fn for fn in self.order}
        pending = [c.fn for c in classes]
        pending += [name for t in types for name in _BUILD_CALL.findall(t.build)]
        live: set[str] = set()
        while pending:
            name = pending.pop()
            if name in live or name not in by_name:
                continue
            live.add(name)
            fn = by_name[name]
            slots = [*fn.variants, *fn.fallback]
            texts = [f.build for f in fn.fields] + [v.slot.build for v in slots]
            texts += [s.build for s in (fn.extra_slot, fn.item) if s is not None]
            pending += [ref for text in texts for ref in _BUILD_CALL.findall(text)]
        return [fn for fn in self.order if fn.fn in live]

    def _class_order(self, plan: ClassPlan) -> int:
        for index, fn in enumerate(self.order):
            if fn.obj is plan.obj:
                return index
        return 0

    def class_plan(self, fn: Function) -> ClassPlan:
        obj = fn.obj
        assert obj is not None
        named = obj.named
        description = obj.description or (named.description if named else None)
        doc = description or f"The ``{obj.name}`` object."
        extra: list[str] = []
        if obj.closed:
            extra.append("Unknown properties are rejected.")
        elif obj.open:
            extra.append("Unknown properties are accepted and kept in ``extra_properties``.")
        limits = describe_limits(obj)
        if limits:
            extra.append("Limits: " + "; ".join(limits) + ".")
        for note in obj.notes:
            extra.append("Note: " + note)
        if extra:
            doc += "\n\n" + " ".join(extra)
        functional = any(
            not (f.key.isascii() and f.key.isidentifier())
            or f.key.startswith("__")
            or _is_keyword(f.key)
            for f in obj.fields
        )
        return ClassPlan(
            name=obj.name,
            key=named.key if named else None,
            fn=obj.fn,
            obj=obj,
            docstring=py_docstring(doc),
            fields=fn.fields,
            open=not obj.closed,
            closed=obj.closed,
            extra_annotation=self.annotation(obj.extra) if obj.extra is not None else "Any",
            keys_const=fn.keys_const,
            typed_dict_functional=functional,
        )

    def aliases(self) -> list[Alias]:
        out: list[Alias] = []
        for named in self.schema.types:
            node = named.node
            if isinstance(node, ir.ObjectNode) and node.named is named:
                continue
            value = self.annotation(node)
            description = named.description or node.description or f"The ``{named.key}`` type."
            out.append(
                Alias(
                    name=named.name,
                    value=value,
                    quoted=False,
                    docstring=py_docstring(description),
                    key=named.key,
                )
            )
        return _order_aliases(out)

    def type_entry(self, named: ir.NamedType) -> TypeEntry:
        """How ``validate``/``parse`` reach a named type. A nullable named type (its
        ``anyOf: [X, null]`` was unwrapped) gets wrappers that let ``null`` through."""
        node = named.node
        is_class = isinstance(node, ir.ObjectNode) and node.named is named
        build = f"_build_{node.fn}" if node.complex and not _plain(node) else "_identity"
        if node.complex and not named.nullable:
            return TypeEntry(named.key, named.name, node.fn, None, False, is_class, build=build)
        slot = self.slot(node, "v", named.name)
        if named.nullable:
            slot = self._nullable(slot, "v")
            build = f"_or_null({build})" if build != "_identity" else build
        return TypeEntry(
            named.key,
            named.name,
            None,
            slot,
            named.nullable,
            is_class,
            error_branches(slot, "p"),
            build=build,
        )

    def events(self) -> tuple[str | None, list[tuple[str, list[str]]]]:
        root = self.schema.root
        if not isinstance(root, ir.RefNode):
            return None, []
        union = root.target.node
        if not isinstance(union, ir.UnionNode) or union.tag is None:
            return None, []
        keys = []
        for variant in union.variants:
            if not isinstance(variant, ir.RefNode):
                return None, []
            keys.append(variant.target.key)
        return union.tag, [
            (py_literal(tag), [keys[i] for i in idx]) for tag, idx in union.tag_map.items()
        ]


_BUILD_CALL = re.compile(r"\b_build_(\w+)")


def _plain(node: ir.Node, seen: frozenset[int] = frozenset()) -> bool:
    """Is the Python value of ``node`` its JSON value itself (no object, array or map
    to build)? Such values are passed through, never copied or converted."""
    if id(node) in seen:
        return False
    if isinstance(node, ir.RefNode):
        return _plain(node.target.node, seen | {id(node)})
    if isinstance(node, ir.UnionNode):
        return all(_plain(v, seen | {id(node)}) for v in node.variants)
    if isinstance(node, ir.AllOfNode):
        return True  # typed as any value: passed through
    return not node.complex


def _size_checks(low: int | None, high: int | None) -> list[FastCheck]:
    checks = []
    if low is not None:
        checks.append(FastCheck(None, f"len(d) < {low}", f"len(d) >= {low}"))
    if high is not None:
        checks.append(FastCheck(None, f"len(d) > {high}", f"len(d) <= {high}"))
    return checks


def _is_keyword(name: str) -> bool:
    import keyword

    return keyword.iskeyword(name)


def _safe_literal(value: Any) -> str | None:
    try:
        return py_literal(value)
    except (TypeError, ValueError):
        return None


def _short_json(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _order_aliases(aliases: list[Alias]) -> list[Alias]:
    """Aliases in an order where each is defined after the aliases it mentions; aliases
    in a cycle are written as strings (forward references)."""
    by_name = {a.name: a for a in aliases}
    words = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
    deps = {
        a.name: {w for w in words.findall(_strip_strings(a.value)) if w in by_name and w != a.name}
        for a in aliases
    }
    for a in aliases:
        if a.name in words.findall(_strip_strings(a.value)):
            a.quoted = True
    ordered: list[Alias] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        mark = state.get(name)
        if mark == 2:
            return
        if mark == 1:
            by_name[name].quoted = True
            return
        state[name] = 1
        for dep in sorted(deps[name]):
            if state.get(dep) == 1:
                by_name[name].quoted = True
                by_name[dep].quoted = True
            else:
                visit(dep)
        state[name] = 2
        ordered.append(by_name[name])

    for a in aliases:
        visit(a.name)
    return ordered


def _strip_strings(text: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)


def make_plan(schema: ir.Schema, package: str) -> Plan:
    """Plan the Python package for ``schema`` (names must already be assigned)."""
    return _Planner(schema, package).plan()
