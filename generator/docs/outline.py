"""Outlines: the whole shape of an event at a glance.

An event's section lists its own fields, each linking to the types it uses; a reader who
wants the complete event follows links type by type. The outline puts the whole tree in
one place: every field, nested as deep as the event goes, with its type, and for a
union every variant with its fields. It is built from the documentation plan alone
(``DocType`` and ``DocField``), so the Markdown and HTML outputs show the same tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the plan builds outlines: no import at run time
    from .plan import DocField, DocType, Segment

__all__ = ["OutlineEntry", "outline"]

#: How deep an outline goes (a session inside an event is three or four levels down).
MAX_DEPTH = 6


@dataclass
class OutlineEntry:
    """One line of an outline: a field (or a union's variant) and what lies below it."""

    label: str
    type: list[Segment]
    required: bool
    #: ``True`` for a union's variant (``label`` is then the variant's type name).
    variant: bool = False
    children: list[OutlineEntry] = field(default_factory=list)


def outline(doc: DocType) -> list[OutlineEntry]:
    """The outline of ``doc``: its fields and, below each, the fields of what it holds."""
    return _below(doc, (doc.key,), 0)


def _below(doc: DocType, path: tuple[str, ...], depth: int) -> list[OutlineEntry]:
    if depth >= MAX_DEPTH:
        return []
    if doc.fields:
        return [_field(f, path, depth) for f in doc.fields]
    entries = []
    for variant in doc.variants:
        targets = [s.target for s in variant.type if s.target is not None]
        label = "".join(s.text for s in variant.type)
        children: list[OutlineEntry] = []
        if len(targets) == 1 and targets[0].key not in path:
            children = _below(targets[0], (*path, targets[0].key), depth + 1)
        entries.append(OutlineEntry(label, variant.type, False, True, children))
    return entries


def _field(f: DocField, path: tuple[str, ...], depth: int) -> OutlineEntry:
    entry = OutlineEntry(f.key, f.type, f.required)
    linked = [s for s in f.type if s.target is not None]
    # Expand what the field holds (an object, a union, an array of one, or one of
    # several types), except a type already open above (a recursive shape).
    for segment in linked:
        target = segment.target
        assert target is not None
        if target.key in path or not (target.fields or target.variants):
            continue
        below = _below(target, (*path, target.key), depth + 1)
        if len(linked) == 1:
            entry.children = below
        else:
            entry.children.append(OutlineEntry(target.key, [segment], False, True, below))
    return entry
