"""The JSON Schema dialects rtschema reads: where each keeps its subschemas, and which
keywords are active.

A :class:`Dialect` is data. The index (``schema.index``) uses it to find subschemas,
identifiers and anchors; the validation planner (``validation.planner``) uses it to pick
the keyword table. A custom meta-schema (``$schema`` naming a document that declares
``$vocabulary``) gives its base dialect with only the vocabularies it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "DIALECTS",
    "DRAFT4",
    "DRAFT6",
    "DRAFT7",
    "DRAFT201909",
    "DRAFT202012",
    "UNSUPPORTED",
    "UNVERSIONED",
    "Dialect",
    "dialect_named",
]

_V2020 = "https://json-schema.org/draft/2020-12/vocab/"
_V2019 = "https://json-schema.org/draft/2019-09/vocab/"

#: Keywords by the vocabulary that defines them (2019-09 and 2020-12). Keywords of the
#: core vocabulary ($ref, $defs, ...) are always active.
VOCABULARY_KEYWORDS: dict[str, frozenset[str]] = {
    "applicator": frozenset(
        {
            "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas",
            "prefixItems", "items", "additionalItems", "contains", "properties",
            "patternProperties", "additionalProperties", "propertyNames",
        }
    ),
    "unevaluated": frozenset({"unevaluatedItems", "unevaluatedProperties"}),
    "validation": frozenset(
        {
            "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
            "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
            "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties",
            "required", "dependentRequired",
        }
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Dialect:
    """One dialect of JSON Schema."""

    name: str
    uri: str
    #: Keywords whose value is one subschema.
    single: tuple[str, ...]
    #: Keywords whose value is a list of subschemas.
    lists: tuple[str, ...]
    #: Keywords whose value maps names to subschemas.
    maps: tuple[str, ...]
    #: ``items`` may be a list of subschemas (the tuple form, before 2020-12).
    items_array: bool
    #: ``$ref`` makes every sibling keyword ignored (draft-07 and earlier).
    ref_overrides: bool
    #: ``$id: "#name"`` names a plain-name anchor (draft-07 and earlier).
    id_anchors: bool
    #: The keyword of dynamic references: ``$dynamicRef``, ``$recursiveRef`` or none.
    dynamic_ref: str | None
    #: The keyword that sets a base URI (``id`` in draft-04).
    id_keyword: str = "$id"
    #: Active vocabulary names (``applicator``, ``validation``, ...); ``None``: all.
    vocabularies: frozenset[str] | None = field(default=None)

    @property
    def modern(self) -> bool:
        """2019-09 or later: ``$ref`` is an applicator beside its siblings."""
        return not self.ref_overrides

    def active(self, keyword: str) -> bool:
        """Is ``keyword`` checked in this dialect (given its vocabularies)?"""
        if self.vocabularies is None:
            return True
        for vocabulary, keywords in VOCABULARY_KEYWORDS.items():
            if keyword in keywords:
                if vocabulary == "unevaluated" and self.name == "2019-09":
                    vocabulary = "applicator"
                return vocabulary in self.vocabularies
        return True

    def with_vocabularies(self, uris: dict[str, bool]) -> Dialect:
        """This dialect restricted to the vocabularies of a custom meta-schema."""
        prefix = _V2020 if self.name == "2020-12" else _V2019
        names = frozenset(uri[len(prefix) :] for uri in uris if uri.startswith(prefix))
        return replace(self, vocabularies=names)


_DRAFT7_SINGLE = (
    "additionalItems", "items", "contains", "additionalProperties", "propertyNames",
    "if", "then", "else", "not",
)  # fmt: skip

DRAFT6 = Dialect(
    name="draft-06",
    uri="http://json-schema.org/draft-06/schema",
    single=tuple(k for k in _DRAFT7_SINGLE if k not in ("if", "then", "else")),
    lists=("allOf", "anyOf", "oneOf"),
    maps=("definitions", "properties", "patternProperties", "dependencies"),
    items_array=True,
    ref_overrides=True,
    id_anchors=True,
    dynamic_ref=None,
)
DRAFT4 = replace(
    DRAFT6,
    name="draft-04",
    uri="http://json-schema.org/draft-04/schema",
    single=("additionalItems", "items", "additionalProperties", "not"),
    id_keyword="id",
)
DRAFT7 = replace(
    DRAFT6, name="draft-07", uri="http://json-schema.org/draft-07/schema", single=_DRAFT7_SINGLE
)
DRAFT201909 = Dialect(
    name="2019-09",
    uri="https://json-schema.org/draft/2019-09/schema",
    single=(*_DRAFT7_SINGLE, "unevaluatedItems", "unevaluatedProperties"),
    lists=("allOf", "anyOf", "oneOf"),
    maps=("$defs", "definitions", "properties", "patternProperties", "dependentSchemas"),
    items_array=True,
    ref_overrides=False,
    id_anchors=False,
    dynamic_ref="$recursiveRef",
)
DRAFT202012 = replace(
    DRAFT201909,
    name="2020-12",
    uri="https://json-schema.org/draft/2020-12/schema",
    single=tuple(k for k in DRAFT201909.single if k != "additionalItems"),
    lists=("allOf", "anyOf", "oneOf", "prefixItems"),
    items_array=False,
    dynamic_ref="$dynamicRef",
)

#: Meta-schemas of dialects rtschema does not read.
UNSUPPORTED = frozenset({"http://json-schema.org/draft-03/schema"})
#: ``$schema`` values that name no particular draft ("the latest"): read as 2020-12.
UNVERSIONED = frozenset({"http://json-schema.org/schema", "https://json-schema.org/schema"})

#: Every dialect by the URI of its meta-schema (without the empty fragment).
DIALECTS: dict[str, Dialect] = {
    d.uri: d for d in (DRAFT202012, DRAFT201909, DRAFT7, DRAFT6, DRAFT4)
}


def dialect_named(uri: str) -> Dialect | None:
    """The dialect whose meta-schema is ``uri`` (``#`` at the end, and ``https`` for the
    drafts published under ``http``, ignored), if known."""
    uri = uri[:-1] if uri.endswith("#") else uri
    return DIALECTS.get(uri) or DIALECTS.get(
        uri.replace("https://json-schema.org/draft-", "http://json-schema.org/draft-")
    )
