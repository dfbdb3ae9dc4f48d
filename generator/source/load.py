"""Step 1 of the pipeline: read a schema document and check it.

Accepted inputs: JSON or YAML files holding a JSON Schema (2020-12, 2019-09, draft-07
or draft-06; a boolean document too) or an OpenAPI 3.0/3.1 document, whose
``components.schemas`` become ``$defs``. The document is checked against its
meta-schema; every problem is one :class:`~generator.errors.InputError` line naming the
file and the JSON Pointer. References are followed later, by the index (``schema``),
through :mod:`generator.source.remote`, which never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import exceptions as js_exceptions
from jsonschema import validators as js_validators

from ..errors import InputError, join_pointer
from ..schema.dialects import dialect_named
from . import openapi
from .read import parse_document, read_text
from .remote import RefMap

__all__ = ["Loaded", "check_meta_schema", "load_schema"]


@dataclass
class Loaded:
    """A schema document that passed every check."""

    #: The document as JSON Schema (an OpenAPI input is already converted).
    document: Any
    #: How the file is named in messages.
    label: str
    #: ``"json-schema"``, ``"openapi-3.0"`` or ``"openapi-3.1"``.
    source_kind: str
    #: Where the document was read from (a ``file:`` URI); its ``$id`` may rename it.
    uri: str
    #: The folder of the file: references to relative files are read from there.
    folder: Path
    #: URI prefixes mapped to local folders (``--ref-map``).
    ref_maps: tuple[RefMap, ...] = field(default=())

    def source_pointer(self, pointer: str) -> str:
        """Map a pointer into :attr:`document` back to the file the user wrote."""
        if self.source_kind.startswith("openapi") and pointer.startswith("/$defs/"):
            return "/components/schemas/" + pointer[len("/$defs/") :]
        return pointer

    @property
    def schema_id(self) -> str | None:
        if isinstance(self.document, dict) and isinstance(self.document.get("$id"), str):
            return str(self.document["$id"])
        return None


_VALIDATORS: dict[str, Any] = {
    "2020-12": js_validators.Draft202012Validator,
    "2019-09": js_validators.Draft201909Validator,
    "draft-07": js_validators.Draft7Validator,
    "draft-06": js_validators.Draft6Validator,
    "draft-04": js_validators.Draft4Validator,
}


def check_meta_schema(document: Any, label: str, pointer: str = "") -> None:
    """Raise an ``InputError`` at the first place ``document`` breaks its meta-schema.

    jsonschema-rs answers "valid?" in milliseconds even for very large documents; only
    when it says no does jsonschema (the reference) find the error and its location, so
    an invalid verdict is always jsonschema's.
    """
    try:
        if jsonschema_rs.meta.is_valid(document):
            return
    except (ValueError, TypeError, jsonschema_rs.ReferencingError):  # a dialect it does not know
        pass
    declared = document.get("$schema") if isinstance(document, dict) else None
    known = dialect_named(declared) if isinstance(declared, str) else None
    cls = (
        _VALIDATORS[known.name]
        if known is not None
        else js_validators.validator_for(document, default=js_validators.Draft202012Validator)
    )
    validator = cls(cls.META_SCHEMA)
    error = js_exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = join_pointer(pointer, *error.absolute_path)
        raise InputError(f"not a valid schema: {error.message}", file=label, pointer=where)


def load_schema(path: str, ref_maps: tuple[RefMap, ...] = ()) -> Loaded:
    """Read, parse and check the schema at ``path`` (``-`` reads standard input)."""
    label = path
    document = parse_document(read_text(path), label)
    if not isinstance(document, (dict, bool)):
        raise InputError("a schema document must be a JSON object or a boolean", file=label)
    source_kind = "json-schema"
    if isinstance(document, dict) and "openapi" in document:
        source_kind = "openapi-" + openapi.check_version(document, label)
        document = openapi.to_bundle(document, label)
    elif isinstance(document, dict) and "swagger" in document:
        raise InputError(
            "Swagger 2.0 documents are not supported; convert to OpenAPI 3", file=label
        )
    if isinstance(document, dict) and not isinstance(document.get("$schema", ""), str):
        raise InputError("$schema must be a string", file=label, pointer="/$schema")
    loaded_kind = source_kind
    try:
        check_meta_schema(document, label)
    except InputError as exc:
        where = exc.pointer or ""
        if loaded_kind.startswith("openapi") and where.startswith("/$defs/"):
            where = "/components/schemas/" + where[len("/$defs/") :]
        raise InputError(exc.message, file=label, pointer=where) from None
    if path == "-":
        folder = Path.cwd().resolve()
        uri = folder.joinpath("stdin.json").as_uri()
    else:
        resolved = Path(path).resolve()
        folder = resolved.parent
        uri = resolved.as_uri()
    return Loaded(document, label, source_kind, uri, folder, tuple(ref_maps))
