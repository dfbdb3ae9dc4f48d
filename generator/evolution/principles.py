"""The layer's principles: rules applied across the whole family of types (``null``
means off, limits stated in prose become keywords, requests closed and responses open,
...). Each is one function; :data:`PRINCIPLES` lists them by the id ``principles.yaml``
uses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..errors import InputError, join_pointer
from .raw import (
    _def_name,
    _properties,
    _reachable,
    _short,
    _target,
    _walk,
    accepts_null,
    allow_null,
)
from .report import Report


def _typed_containers(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str
) -> None:
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            if "type" in node or "$ref" in node:
                continue
            if "items" in node:
                node["type"] = "array"
                report.add(pid, pointer, "type set to array (it has items)")
            elif "properties" in node and not ({"anyOf", "oneOf", "allOf"} & node.keys()):
                node["type"] = "object"
                report.add(pid, pointer, "type set to object (it has properties)")


def _simplify(defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str) -> None:
    """Equivalent, simpler spellings: one-value enums as const, one-branch allOf as the branch."""
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            enum = node.get("enum")
            if isinstance(enum, list) and len(enum) == 1 and "const" not in node:
                node["const"] = enum[0]
                del node["enum"]
            for key in ("anyOf", "oneOf"):
                for index, sub in enumerate(node.get(key, [])):
                    if isinstance(sub, dict) and list(sub) == ["allOf"] and len(sub["allOf"]) == 1:
                        node[key][index] = sub["allOf"][0]
                        report.add(
                            pid,
                            join_pointer(pointer, key, index),
                            "one-branch allOf replaced by its branch",
                        )


def _limits(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    table: dict[str, Any] = params.get("properties", {})
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        rule = table.get(prop)
        if rule is None:
            continue
        only = rule.get("only")
        if only and roles.get(_def_name(pointer)) != only:
            continue
        keywords = {k: v for k, v in rule.items() if k != "only"}
        used.add(prop)
        schema = owner["properties"][prop]
        targets = [(pointer, schema)]
        for key in ("anyOf", "oneOf"):
            if isinstance(schema, dict) and key in schema:
                targets = [(join_pointer(pointer, key, i), s) for i, s in enumerate(schema[key])]
        for where, target in targets:
            if not isinstance(target, dict) or "$ref" in target:
                continue
            kinds = target.get("type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            applies = {
                k: v
                for k, v in keywords.items()
                if (
                    k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
                    and {"integer", "number"} & set(kinds)
                )
                or (k in ("minLength", "maxLength", "pattern") and "string" in kinds)
                or (k in ("minItems", "maxItems") and "array" in kinds)
            }
            for key, value in applies.items():
                if target.get(key) != value:
                    target[key] = value
                    report.add(pid, join_pointer(where, key), f"{key} {value}")
    _report_unused(table, used, report, pid)


def _report_unused(table: Any, used: set[str], report: Report, pid: str) -> None:
    """Each property a principle names that no schema has any more: stale."""
    for prop in table:
        if prop not in used:
            report.stale.append(f"{pid}: no property named {prop!r} any more")


def _defaults(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    table: dict[str, Any] = params.get("properties", {})
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in table:
            continue
        used.add(prop)
        schema = owner["properties"][prop]
        if prop in owner.get("required", []):
            continue
        if isinstance(schema, dict) and "default" not in schema:
            schema["default"] = copy.deepcopy(table[prop])
            report.add(pid, join_pointer(pointer, "default"), f"default {_short(table[prop])}")
    _report_unused(table, used, report, pid)


def _null_means_off(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    used = set()
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in names:
            continue
        used.add(prop)
        schema = owner["properties"][prop]
        if isinstance(schema, dict) and not accepts_null(defs, schema):
            owner["properties"][prop] = allow_null(defs, schema)
            report.add(pid, pointer, "accepts null")
    _report_unused(sorted(names), used, report, pid)


def _never_required(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    for name, schema in defs.items():
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            required = node.get("required")
            if isinstance(required, list) and names & set(required):
                node["required"] = [r for r in required if r not in names]
                if not node["required"]:
                    del node["required"]
                for prop in sorted(names & set(required)):
                    report.add(pid, join_pointer(pointer, "required"), f"{prop} no longer required")


def _open_enums(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    names = set(params.get("properties", []))
    for pointer, owner, prop in list(_properties(defs)):
        if prop not in names:
            continue
        schema = _target(defs, owner["properties"][prop])
        if isinstance(schema, dict) and schema.get("type") == "string" and "enum" in schema:
            known = schema.pop("enum")
            schema.pop("type")
            schema["anyOf"] = [{"type": "string"}, {"type": "string", "enum": known}]
            report.add(pid, pointer, "closed enum opened: any other string is accepted too")


def _tags_required(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    tag = params.get("property", "type")
    for name, schema in list(defs.items()):
        for pointer, node in _walk(schema, join_pointer("/$defs", name)):
            for key in ("anyOf", "oneOf"):
                variants = node.get(key)
                if not isinstance(variants, list):
                    continue
                for index, variant in enumerate(variants):
                    target = _target(defs, variant)
                    where = (
                        "/" + variant["$ref"][2:]
                        if isinstance(variant, dict) and "$ref" in variant
                        else join_pointer(pointer, key, index)
                    )
                    if not isinstance(target, dict):
                        continue
                    prop = target.get("properties", {}).get(tag)
                    if (
                        isinstance(prop, dict)
                        and "const" in prop
                        and tag not in target.get("required", [])
                    ):
                        target["required"] = [tag, *target.get("required", [])]
                        report.add(
                            pid,
                            join_pointer(where, "required"),
                            f"{tag} required (the variant's tag)",
                        )


def _closed_requests(
    defs: dict[str, Any], params: dict[str, Any], report: Report, pid: str, roles: dict[str, str]
) -> None:
    """Split types used by both sides; close every record on the request side, open the rest."""
    suffix = params.get("request_form_suffix", "Param")
    shared = sorted(n for n, r in roles.items() if r == "both" and _has_record(defs, n, set()))
    renames = {n: n + suffix for n in shared}

    def rewrite(schema: Any) -> Any:
        if isinstance(schema, dict):
            out = {}
            for key, value in schema.items():
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                    target = value[len("#/$defs/") :]
                    out[key] = "#/$defs/" + renames.get(target, target)
                else:
                    out[key] = (
                        rewrite(value)
                        if key not in ("default", "const", "enum", "examples")
                        else value
                    )
            return out
        if isinstance(schema, list):
            return [rewrite(item) for item in schema]
        return schema

    for name in shared:
        if renames[name] in defs:
            raise InputError(
                f"cannot add the request form {renames[name]!r}: upstream has that name"
            )
        copy_ = rewrite(copy.deepcopy(defs[name]))
        defs[renames[name]] = copy_
        roles[renames[name]] = "request"
        report.add(pid, join_pointer("/$defs", renames[name]), f"request form of {name} (closed)")
    for name, role in list(roles.items()):
        if role == "request" and name not in renames.values():
            defs[name] = rewrite(defs[name])
    for name, role in roles.items():
        closed = role == "request"
        for pointer, node in _walk(defs[name], join_pointer("/$defs", name)):
            if not isinstance(node.get("properties"), dict):
                continue
            extra = node.get("additionalProperties")
            if closed and extra is None:
                node["additionalProperties"] = False
            elif not closed and extra is False:
                del node["additionalProperties"]
                report.add(
                    pid,
                    join_pointer(pointer, "additionalProperties"),
                    "removed: server data stays open",
                )


def _has_record(defs: dict[str, Any], name: str, seen: set[str]) -> bool:
    if name in seen:
        return False
    seen.add(name)
    for _, node in _walk(defs[name], ""):
        if isinstance(node.get("properties"), dict):
            return True
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and _has_record(defs, ref[8:], seen):
            return True
    return False


Principle = Callable[[dict[str, Any], dict[str, Any], Report, str, dict[str, str]], None]

#: Principle ids, in the order they run, and their code.
PRINCIPLES: dict[str, Principle] = {
    "typed-containers": lambda d, p, r, i, _: _typed_containers(d, p, r, i),
    "simple-spellings": lambda d, p, r, i, _: _simplify(d, p, r, i),
    "prose-limits": _limits,
    "prose-defaults": _defaults,
    "tags-required": _tags_required,
    "open-enums": _open_enums,
    "null-means-off": _null_means_off,
    "never-required": _never_required,
    "requests-closed-responses-open": _closed_requests,
}


def _roles(defs: dict[str, Any], bundle: dict[str, Any]) -> dict[str, str]:
    roots = bundle["roots"]
    req = _reachable(defs, roots["request"])
    res = _reachable(defs, roots["response"])
    roles = {}
    for name in defs:
        roles[name] = (
            "both" if name in req and name in res else "request" if name in req else "response"
        )
    return roles
