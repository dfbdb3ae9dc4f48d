"""What building the canonical schema changed, and why: the content of ``CHANGES.md``."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Change", "Report"]


@dataclass
class Change:
    """One deviation from upstream, for ``CHANGES.md``."""

    source: str
    pointer: str
    what: str


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    #: Layer entries that found nothing to change: upstream moved on.
    stale: list[str] = field(default_factory=list)
    #: Types, properties and variants without a description of ours.
    undescribed: list[str] = field(default_factory=list)
    #: Why, by principle or correction id.
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, source: str, pointer: str, what: str) -> None:
        self.changes.append(Change(source, pointer, what))
