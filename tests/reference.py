"""The reference the generated validators are tested against: python-jsonschema.

:func:`reference_errors` runs jsonschema and reports, inside unions, the errors of the
branch a value was meant for (:func:`relevant_errors`), so that error locations can be
compared with the generated validators'.
"""

from __future__ import annotations

from typing import Any

from jsonschema import validators as js_validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT201909, DRAFT202012

from generator.errors import join_pointer
from generator.schema.index import build_index
from generator.source.load import load_schema
from generator.source.remote import RefMap
from generator.validation.planner import Planner

__all__ = [
    "reference_errors",
    "reference_pointers",
    "reference_validator",
    "relevant_errors",
]

_SPECS = {"2020-12": DRAFT202012, "2019-09": DRAFT201909, "draft-07": DRAFT7, "draft-06": DRAFT7}


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
        target = f"{base}#/$defs/{type_name}"
    elif isinstance(data, dict) and type_name in (data.get("definitions") or {}):
        target = f"{base}#/definitions/{type_name}"
    else:
        target = base
    cls = (
        js_validators.validator_for(data, default=js_validators.Draft202012Validator)
        if isinstance(data, dict)
        else js_validators.Draft202012Validator
    )
    return cls({"$ref": target}, registry=registry.crawl())


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
        # A branch that is itself a union rejects the value when all its branches do.
        return all(
            any(_rejected_branch(e, depth) for e in errors) for errors in _branches(error).values()
        )
    if (
        here == depth + 1
        and error.validator == "const"
        and isinstance(error.absolute_path[-1], str)
        and "properties" in error.relative_schema_path
    ):
        return True  # a property the branch fixes (its tag) has another value
    if here == depth and error.validator == "required" and isinstance(error.schema, dict):
        props = error.schema.get("properties", {})
        instance = error.instance if isinstance(error.instance, dict) else {}
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [p for p in required if p not in instance]
        return any(isinstance(props.get(p), dict) and "const" in props[p] for p in missing)
    return False


def _branches(error: ValidationError) -> dict[int, list[ValidationError]]:
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    return branches


def relevant_errors(error: ValidationError) -> list[ValidationError]:
    """The errors that explain ``error``: inside an ``anyOf``/``oneOf``, the errors of the
    one branch the value was meant for (by JSON type and tag), else the union itself."""
    if not error.context or error.validator not in ("anyOf", "oneOf"):
        return [error]
    depth = len(error.absolute_path)
    kept = [
        errors
        for errors in _branches(error).values()
        if not any(_rejected_branch(e, depth) for e in errors)
    ]
    if len(kept) != 1:
        return [error]
    out: list[ValidationError] = []
    for sub in kept[0]:
        out.extend(relevant_errors(sub))
    return out


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
