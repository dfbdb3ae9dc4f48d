"""The reference the generated validators are tested against: python-jsonschema.

:func:`reference_errors` runs jsonschema and reports, inside unions, the errors of the
branch a value was meant for, or of the closest branch (:func:`relevant_errors`: the
rules of the generated validators' ``_relevant``, on jsonschema's errors), so that error
locations can be compared with the generated validators'.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import quote

import attrs
import regress
from jsonschema import _keywords as _js_keywords
from jsonschema import _legacy_keywords as _js_legacy_keywords
from jsonschema import _utils as _js_utils
from jsonschema import validators as js_validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012
from rtschema.errors import escape_pointer, join_pointer
from rtschema.schema.index import build_index
from rtschema.source.load import load_schema
from rtschema.source.remote import RefMap
from rtschema.validation.planner import Planner

__all__ = [
    "pattern_search",
    "reference_errors",
    "reference_for",
    "reference_pointers",
    "reference_validator",
    "relevant_errors",
]

_SPECS = {
    "2020-12": DRAFT202012,
    "2019-09": DRAFT201909,
    "draft-07": DRAFT7,
    "draft-06": DRAFT6,
    "draft-04": DRAFT4,
}
#: jsonschema's validator for each dialect rtschema reads (the same dialect rtschema
#: chose, so that ``$schema`` spellings jsonschema does not know are read alike).
_VALIDATORS = {
    "2020-12": js_validators.Draft202012Validator,
    "2019-09": js_validators.Draft201909Validator,
    "draft-07": js_validators.Draft7Validator,
    "draft-06": js_validators.Draft6Validator,
    "draft-04": js_validators.Draft4Validator,
}


def reference_validator(
    path: str, type_name: str | None = None, ref_maps: tuple[RefMap, ...] = ()
) -> Any:
    """A jsonschema validator for one named type of the schema at ``path`` (``None``:
    the document's root), with every document the schema references registered."""
    index = build_index(load_schema(path, ref_maps))
    planner = Planner(index)  # following every reference loads every document reached
    for location in index.named_locations():
        planner.node(location)
    planner.finish()
    root = index.root
    resources = []
    for document in index.documents:
        spec = _SPECS[document.dialect.name]
        resources.append(
            (document.uri, Resource.from_contents(document.data, default_specification=spec))
        )
    registry: Registry[Any] = Registry().with_resources(resources)
    data = root.schema
    base = root.resource.uri
    if type_name is None:
        target = base
    elif isinstance(data, dict) and type_name in (data.get("$defs") or {}):
        target = f"{base}#/$defs/{quote(escape_pointer(type_name))}"
    elif isinstance(data, dict) and type_name in (data.get("definitions") or {}):
        target = f"{base}#/definitions/{quote(escape_pointer(type_name))}"
    else:
        target = base
    cls = _fixed(_VALIDATORS[root.dialect.name])
    return cls({"$ref": target}, registry=registry.crawl())


@functools.cache
def _ecma(pattern: str) -> Any:
    """``pattern`` compiled by ``regress``, an ECMA-262 engine: with the ``u`` flag, as
    JSON Schema reads patterns (``\\p{Letter}``), else in the legacy syntax (``\\_``);
    ``None`` (Python's ``re`` decides) when neither reads it, or when it is written for
    Python (``\\A``, ``\\Z``: rtschema reads those as Python's anchors, with a warning)."""
    try:
        return regress.Regex(pattern, "u")
    except regress.RegressError:
        pass
    if re.search(r"\\[AZz]", pattern):
        return None  # Python's anchors: a pattern written for Python (so rtschema reads it)
    try:
        return regress.Regex(pattern, "")
    except regress.RegressError:
        return None


def pattern_search(pattern: str, text: str) -> bool:
    """Does ``pattern`` (JSON Schema's, ECMA-262) match somewhere in ``text``? ``False``
    for a pattern that neither ``regress`` nor Python can read."""
    compiled = _ecma(pattern)
    if compiled is not None:
        return compiled.find(text) is not None
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


class _EcmaRe:
    """What jsonschema calls ``re``, searching with ECMA-262 semantics.

    jsonschema runs ``pattern``, ``patternProperties`` (and, through them,
    ``additionalProperties`` and ``unevaluatedProperties``) with Python's ``re``, whose
    ``$`` also matches before a final newline and whose ``\\w``/``\\d`` take any
    Unicode letter or digit. JSON Schema means ECMA-262, where neither holds (the
    generated validators translate patterns accordingly). The reference must judge by
    the specification, so its ``re.search`` is ``regress``'s; a pattern ``regress``
    cannot read is left to Python."""

    error = re.error

    def search(self, pattern: str, string: str) -> Any:
        compiled = _ecma(pattern)
        return re.search(pattern, string) if compiled is None else compiled.find(string)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


for _module in (_js_keywords, _js_utils, _js_legacy_keywords):
    _module.re = _EcmaRe()  # type: ignore[attr-defined]


_FIXED: dict[Any, Any] = {}


def _fixed(cls: Any) -> Any:
    """``cls`` reporting a ``false`` subschema's error where the value is.

    jsonschema's ``descend`` returns the error of a ``false`` subschema before it adds
    the path and schema path of the descent, so ``{"properties": {"a": false}}`` reports
    ``{"a": 0}`` at the object instead of at ``/a``. The reference must name the place
    at fault, so this subclass adds them."""
    if cls not in _FIXED:
        import warnings

        def descend(  # noqa: PLR0917 (jsonschema's signature)
            self: Any,
            instance: Any,
            schema: Any,
            path: Any = None,
            schema_path: Any = None,
            resolver: Any = None,
        ) -> Any:
            if schema is not False:
                yield from cls.descend(self, instance, schema, path, schema_path, resolver)
                return
            for error in cls.descend(self, instance, schema, None, None, resolver):
                if path is not None:
                    error.path.appendleft(path)
                if schema_path is not None:
                    error.schema_path.appendleft(schema_path)
                yield error

        def evolve(self: Any, **changes: Any) -> Any:
            # jsonschema picks the class of a subschema by its $schema: keep this one.
            schema = changes.setdefault("schema", self.schema)
            for field in attrs.fields(cls):
                if field.init and field.alias not in changes:
                    changes[field.alias] = getattr(self, field.name)
            del schema
            return fixed(**changes)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # subclassing is frowned on
            fixed = type(f"Fixed{cls.__name__}", (cls,), {"descend": descend})
        fixed.evolve = evolve  # after the class exists: jsonschema sets its own on subclasses
        _FIXED[cls] = fixed
    return _FIXED[cls]


def reference_for(schema: Any) -> Any:
    """The reference validator of a schema document that references nothing outside
    itself (read in the dialect its ``$schema`` names; 2020-12 by default)."""
    cls = js_validators.validator_for(schema, default=js_validators.Draft202012Validator)
    return _fixed(cls)(schema)


def reference_pointers(validator: Any, payload: Any) -> set[str]:
    return {pointer for pointer, _ in reference_errors(validator, payload)}


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= 300 else message[:297] + "..."


def _rejected_branch(error: ValidationError, depth: int) -> bool:
    """Does this branch error show the branch was never meant for the value?

    That is: the value has the wrong JSON type for it, the value's tag (a property the
    branch fixes with ``const``) is missing or different, or the branch is a union whose
    own branches all reject the value.
    """
    here = len(error.absolute_path)
    if here == depth and error.validator == "type":
        return True
    if here == depth and error.validator in ("anyOf", "oneOf") and error.context:
        if _wrong_tag(error, depth) is not None:
            return False  # an object of this union, with a tag it does not know
        # A branch that is itself a union rejects the value when all its branches do.
        return all(
            any(_rejected_branch(e, depth) for e in errors) for errors in _branches(error).values()
        )
    if _tag_const(error, depth):
        return True  # a property the branch fixes (its tag) has another value
    if here == depth and error.validator == "required" and isinstance(error.schema, dict):
        props = error.schema.get("properties", {})
        instance = error.instance if isinstance(error.instance, dict) else {}
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [p for p in required if p not in instance]
        return any(isinstance(props.get(p), dict) and "const" in props[p] for p in missing)
    return False


def _tag_const(error: ValidationError, depth: int) -> bool:
    """Is ``error`` the ``const`` of a property of the object at ``depth`` (its tag):
    ``properties/NAME/const`` for that property, through ``$ref``s only? A ``const``
    reached otherwise (``propertyNames``, a subschema of the property's value) is not."""
    if len(error.absolute_path) != depth + 1 or error.validator != "const":
        return False
    name = error.absolute_path[-1]
    path = list(error.relative_schema_path)
    if not isinstance(name, str) or path[-1:] != ["const"]:
        return False
    rest = path[:-1]
    while rest[-1:] == ["$ref"]:
        rest.pop()
    return rest[-2:] == ["properties", name]


def _branches(error: ValidationError) -> dict[int, list[ValidationError]]:
    """The errors of each branch, by branch index."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    return branches


def relevant_errors(error: ValidationError) -> list[ValidationError]:
    """The errors that explain ``error``: inside an ``anyOf``/``oneOf``, the errors of the
    one branch the value was meant for (by JSON type and tag), else of the closest branch
    (:func:`_closeness`), else (branches equally close, or none taking the value) the
    union itself."""
    if not error.context or error.validator not in ("anyOf", "oneOf"):
        return [error]
    depth = len(error.absolute_path)
    kept = [
        errors
        for errors in _branches(error).values()
        if not any(_rejected_branch(e, depth) for e in errors)
    ]
    if not kept:
        return [_wrong_tag(error, depth) or error]
    if len(kept) > 1:  # a union that knows the value's tag beats those that do not
        known = [errors for errors in kept if not _unknown_tag(errors, depth)]
        if not known:  # none does: the tag is wrong, whichever union was meant
            wrong = [_wrong_tag(errors[0], depth) for errors in kept]
            if len({tuple(w.absolute_path) for w in wrong if w is not None}) == 1:
                return [w for w in wrong if w is not None][:1]
        kept = known if len(known) == 1 else kept
    found = [[leaf for sub in errors for leaf in relevant_errors(sub)] for errors in kept]
    ranks = [_closeness(leaves) for leaves in found]
    best = min(ranks)
    return found[ranks.index(best)] if ranks.count(best) == 1 else [error]


def _closeness(errors: list[ValidationError]) -> tuple[int, int]:
    """The rank of a branch's errors, closest first: those that reach deepest into the
    value (as ``jsonschema.exceptions.best_match`` prefers), then those wrong in fewest
    places."""
    places = {tuple(e.absolute_path) for e in errors}
    return -max((len(place) for place in places), default=0), len(places)


def _unknown_tag(errors: list[ValidationError], depth: int) -> bool:
    """Are ``errors`` those of one union that has no variant for the value's tag?"""
    return (
        len(errors) == 1
        and errors[0].validator in ("anyOf", "oneOf")
        and bool(errors[0].context)
        and _wrong_tag(errors[0], depth) is not None
    )


def _wrong_tag(error: ValidationError, depth: int) -> ValidationError | None:
    """When every branch fixes one same property with ``const`` (its tag) and the
    value's tag fits none, one of those ``const`` errors: the place at fault is the
    tag."""
    branches = _branches(error)
    if len(branches) < 2:
        return None
    found: list[dict[tuple[Any, ...], ValidationError]] = []
    for errors in branches.values():
        tags = {tuple(e.absolute_path): e for e in errors if _tag_const(e, depth)}
        if not tags:
            return None
        found.append(tags)
    common = set(found[0]).intersection(*found[1:])
    return found[0][common.pop()] if len(common) == 1 else None


def reference_errors(validator: Any, payload: Any) -> list[tuple[str, str]]:
    """``(JSON Pointer, message)`` for each error jsonschema finds, sorted.

    Inside a union the errors of the branch the value was meant for are reported (see
    :func:`relevant_errors`), so the pointer names the field at fault.
    """
    found: list[tuple[str, str]] = []
    for error in validator.iter_errors(payload):
        for leaf in relevant_errors(error):
            found.append((join_pointer("", *leaf.absolute_path), _short(leaf.message)))
    return sorted(set(found))
