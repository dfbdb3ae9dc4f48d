"""Step 3 of the pipeline: one global pass that gives everything a Python name.

The rules (also in the README):

* A named type keeps its ``$defs`` key when that is an ASCII identifier starting with an
  uppercase letter (PEP 8 names for classes and type aliases); otherwise the key is turned
  into PascalCase ASCII (``voice-id`` → ``VoiceId``, ``str`` → ``Str``, ``_private`` →
  ``Private``; a leading digit gets the prefix ``Type``).
* An inline object is named after what holds it: the enclosing type's name plus the
  property in PascalCase (``RealtimeSession`` + ``input_audio_noise_reduction`` →
  ``RealtimeSessionInputAudioNoiseReduction``); array items add ``Item``, map values
  ``Value``. A union variant adds its title, else its tag value, else ``Object``; words the
  title repeats from the end of the union's name are merged (``RealtimeSessionTracing`` +
  "Tracing configuration" → ``RealtimeSessionTracingConfiguration``).
* Names are handed out in a fixed order (named types in document order, then inline
  objects depth first). A name already taken, or one that would shadow a Python keyword,
  a builtin or a name the generated modules use (``Any``, ``UNSET``,
  ``ValidationError``, ...), gets ``_`` appended until it is free, and a warning says so.
  No name ever gets a number.
* A field keeps its JSON key as attribute name when the key is an ASCII identifier that
  is not a keyword, does not start with ``__`` and does not clash with the class's own
  members (``from_dict``, ``to_dict``, ``from_json``, ``to_json``, ``extra_properties``)
  or with a name used in annotations (``str``, ``Any``, a class name ...). Otherwise
  characters outside ``[A-Za-z0-9_]`` become ``_``, a leading digit or ``__`` gets the
  prefix ``field_``, and ``_`` is appended while the name clashes (``from`` → ``from_``).
  The JSON key itself is always kept exactly.
"""

from __future__ import annotations

import builtins
import keyword
import re

from . import ir

__all__ = ["FIELD_RESERVED", "MODULE_NAMES", "assign_names", "camel_words", "pascal"]

#: Names the generated modules define or import at top level.
MODULE_NAMES = frozenset(
    {
        "annotations",
        "Any",
        "ClassVar",
        "Final",
        "Literal",
        "Mapping",
        "NotRequired",
        "Required",
        "TypeAlias",
        "TypedDict",
        "TYPE_CHECKING",
        "Union",
        "dataclass",
        "dataclasses",
        "field",
        "re",
        "sys",
        "json",
        "math",
        "UNSET",
        "UnsetType",
        "ValidationError",
        "ErrorDetail",
        "schema",
        "schema_for",
        "validate",
        "validate_event",
        "is_valid",
        "iter_errors",
        "validator_for",
        "models",
        "typeddicts",
        "validators",
        "TYPES",
        "EVENT_APIS",
        "EVENT_TYPES",
        "SCHEMA_ID",
        "SCHEMA_VERSION",
        "Validator",
        "UnknownTypeError",
        "parse",
        "parse_event",
        "is_valid_event",
        "Callable",
        "Iterator",
        "TypeVar",
        "cache",
        "resources",
        "difflib",
        "enum",
    }
)
#: Attribute names a generated class uses itself.
FIELD_RESERVED = frozenset({"from_dict", "to_dict", "from_json", "to_json", "extra_properties"})
#: Names a class body uses (annotations, defaults, ``field(default_factory=...)``); a
#: field of that name would shadow it.
_ANNOTATION_NAMES = frozenset(
    {
        "str", "int", "float", "bool", "list", "dict", "Any", "Literal", "UnsetType", "None",
        "UNSET", "field",
    }
)  # fmt: skip

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def camel_words(name: str) -> list[str]:
    """``RealtimeSessionCreateRequestGA`` → ``[Realtime, Session, Create, Request, GA]``."""
    return _WORDS.findall(name)


def pascal(text: str) -> str:
    """ASCII PascalCase of any text: ``server_vad`` → ``ServerVad``, ``Server VAD`` → ``ServerVAD``."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    return "".join(w[0].upper() + w[1:] for w in words)


def _type_identifier(key: str) -> str:
    if key.isascii() and key.isidentifier() and key[0].isupper():
        return key
    name = pascal(key)
    if not name:
        name = "Type"
    if name[0].isdigit():
        name = "Type" + name
    return name


def _join(owner: str, parts: tuple[tuple[str, str], ...]) -> str:
    name = owner
    last = len(parts) - 1
    for index, (kind, text) in enumerate(parts):
        if kind == "prop":
            name += pascal(text) or "Field"
        elif kind == "item":
            name += "Item"
        elif kind == "value":
            name += "Value"
        elif kind == "tag":
            name += pascal(text) or "Object"
        elif kind == "title":
            title = camel_words(pascal(text))
            have = camel_words(name)
            overlap = 0
            for size in range(min(len(have), len(title) - 1), 0, -1):
                if [w.lower() for w in have[-size:]] == [w.lower() for w in title[:size]]:
                    overlap = size
                    break
            name += "".join(title[overlap:]) or "Object"
        elif index == last:  # an untitled, untagged variant
            name += "Object"
    return name


class _Names:
    def __init__(self, reserved: frozenset[str]) -> None:
        self.taken: dict[str, str] = {}
        self.reserved = reserved
        self.warnings: list[ir.Warning_] = []

    def claim(self, wanted: str, where: str) -> str:
        name = wanted
        while name in self.taken or name in self.reserved:
            name += "_"
        if name != wanted:
            taker = self.taken.get(wanted)
            clash = "a Python or generated-module name" if taker is None else f"#{taker}"
            self.warnings.append(
                ir.Warning_(where, f"name {wanted!r} is taken by {clash}; using {name!r}")
            )
        self.taken[name] = where
        return name


def _field_name(key: str, taken: set[str], reserved: frozenset[str]) -> tuple[str, bool]:
    """The attribute name for a JSON key, and whether it collided with another field."""
    if (
        key.isascii()
        and key.isidentifier()
        and not keyword.iskeyword(key)
        and not key.startswith("__")
    ):
        name = key
    else:
        name = re.sub(r"[^0-9A-Za-z_]", "_", key)
        if not name or name[0].isdigit() or name.startswith("__"):
            name = "field_" + name.lstrip("_")
    while name in reserved or keyword.iskeyword(name):
        name += "_"
    collided = name in taken
    while name in taken or name in reserved or keyword.iskeyword(name):
        name += "_"
    return name, collided


def assign_names(schema: ir.Schema) -> list[ir.Warning_]:
    """Fill in every name of ``schema`` in place; return what had to be renamed."""
    reserved = (
        frozenset(keyword.kwlist)
        | frozenset(keyword.softkwlist)
        | frozenset(dir(builtins))
        | MODULE_NAMES
    )
    names = _Names(reserved)
    for named in schema.types:
        named.name = names.claim(_type_identifier(named.key), named.pointer)
        if isinstance(named.node, ir.ObjectNode) and named.node.named is named:
            named.node.name = named.name

    objects = schema.objects()
    for obj in objects:
        if obj.name:
            continue
        owner = obj.owner
        if isinstance(owner, (ir.NamedType, ir.ObjectNode)):
            base = owner.name
        else:
            base = "Schema"
        obj.name = names.claim(_join(base, obj.name_parts), obj.pointer)

    class_names = frozenset(names.taken)
    field_reserved = FIELD_RESERVED | _ANNOTATION_NAMES | class_names
    for obj in objects:
        taken: set[str] = set()
        for f in obj.fields:
            f.py_name, collided = _field_name(f.key, taken, field_reserved)
            if collided:
                names.warnings.append(
                    ir.Warning_(
                        obj.pointer,
                        f"properties of {obj.name} collide as Python names; {f.key!r} is the attribute {f.py_name!r}",
                    )
                )
            taken.add(f.py_name)

    _function_stems(schema)
    return names.warnings


def _function_stems(schema: ir.Schema) -> None:
    """Stems for the private helper functions of every complex node (``_is_<stem>``)."""
    used: set[str] = set()

    def claim(stem: str) -> str:
        stem = re.sub(r"[^0-9A-Za-z_]", "_", stem)
        while stem in used:
            stem += "_"
        used.add(stem)
        return stem

    def visit(node: ir.Node, stem: str) -> None:
        if node.fn or not node.complex:
            return
        if isinstance(node, ir.ObjectNode):
            node.fn = claim(node.name)
            stem = node.name
        else:
            node.fn = claim(stem)
        if isinstance(node, ir.ObjectNode):
            for f in node.fields:
                visit(f.node, f"{stem}_{f.py_name}")
            if node.extra is not None:
                visit(node.extra, f"{stem}_extra")
        elif isinstance(node, ir.ArrayNode):
            visit(node.items, f"{stem}_item")
        elif isinstance(node, ir.MapNode):
            visit(node.values, f"{stem}_value")
        elif isinstance(node, ir.UnionNode):
            for variant in node.variants:
                word = variant.kind if not isinstance(variant, ir.ObjectNode) else variant.name
                visit(variant, f"{stem}_{word}")
        elif isinstance(node, ir.AllOfNode):
            for part in node.parts:
                visit(part, f"{stem}_part")

    for named in schema.types:
        visit(named.node, named.name)
    if schema.root is not None:
        visit(schema.root, "root")
