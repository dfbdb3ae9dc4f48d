"""``rtschema validate``: check JSON payloads against a named type of a schema."""

from __future__ import annotations

import difflib
import json
import sys
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import InputError, join_pointer
from .load import load_schema, read_text
from .project import find_project

__all__ = ["load_bundle", "reference_errors", "relevant_errors", "run", "type_names"]


def load_bundle(schema_path: str | None) -> tuple[dict[str, Any], str]:
    """The schema bundle to validate against, and how to name it in messages."""
    if schema_path is not None:
        return load_schema(schema_path).document, schema_path
    project = find_project()
    if project is not None and project.schema.is_file():
        path = str(project.schema)
        return load_schema(path).document, path
    try:
        import realtime_schema  # the generated package carries the canonical schema
    except ImportError:
        raise InputError(
            "no schema given: pass --schema PATH, run inside the project, or install realtime_schema"
        ) from None
    return realtime_schema.schema(), "realtime_schema"


def type_names(bundle: dict[str, Any]) -> list[str]:
    defs = bundle.get("$defs") or bundle.get("definitions") or {}
    return list(defs)


def _check_type(bundle: dict[str, Any], name: str, label: str) -> str:
    names = type_names(bundle)
    if name in names:
        return "$defs" if "$defs" in bundle else "definitions"
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; it has {len(names)} types"
    raise InputError(f"unknown type {name!r}{hint}", file=label)


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
        return all(any(_rejected_branch(e, depth) for e in errors) for errors in _branches(error).values())
    if here == depth + 1 and error.validator == "const":
        return True
    if here == depth and error.validator == "required" and isinstance(error.schema, dict):
        props = error.schema.get("properties", {})
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [p for p in error.validator_value if p not in instance]
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


def reference_errors(validator: Draft202012Validator, payload: Any) -> list[tuple[str, str]]:
    """``(JSON Pointer, message)`` for each error jsonschema finds, sorted.

    Inside a union the errors of the branch the value was meant for are reported (see
    :func:`relevant_errors`), so the pointer names the field at fault.
    """
    found: list[tuple[str, str]] = []
    for error in validator.iter_errors(payload):
        for leaf in relevant_errors(error):
            found.append((join_pointer("", *leaf.absolute_path), _short(leaf.message)))
    return sorted(set(found))


def _read_payload(path: str) -> Any:
    text = read_text(path)

    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_constant=reject)
    except RecursionError:
        return _TooDeep
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", file=path) from None
    except ValueError as exc:
        raise InputError(f"invalid JSON: {exc}", file=path) from None


class _TooDeepType:
    pass


_TooDeep = _TooDeepType()


def run(files: list[str], type_name: str, schema_path: str | None) -> int:
    bundle, label = load_bundle(schema_path)
    container = _check_type(bundle, type_name, label)
    schema = {**bundle, "$ref": f"#/{container}/{type_name}"}
    validator = Draft202012Validator(schema)
    status = 0
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    for path in files:
        name = "<stdin>" if path == "-" else path
        try:
            payload = _read_payload(path)
        except InputError as exc:
            print(f"rtschema: error: {exc}", file=sys.stderr)
            counts["unreadable"] += 1
            status = 2
            continue
        if payload is _TooDeep:
            errors = [("", "payload is nested too deeply to check")]
        else:
            errors = reference_errors(validator, payload)
        if errors:
            counts["invalid"] += 1
            status = max(status, 1)
            for pointer, message in errors:
                print(f"{name}#{pointer}: {message}")
        else:
            counts["valid"] += 1
    total = sum(counts.values())
    parts = [f"{n} {k}" for k, n in counts.items() if n]
    print(f"{total} payload{'s' if total != 1 else ''} checked against {type_name}: {', '.join(parts)}", file=sys.stderr)
    return status
