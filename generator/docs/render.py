"""Render the reference documentation through the templates in ``templates/docs``.

Templates hold layout only. Every decision (names, types, which checks to emit, how a
string is escaped) is made in Python and handed to the templates as data or as one of
the filters registered here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import jinja
from ..python.package import schema_version
from ..types import ir
from .plan import make_doc_plan
from .text import md_cell, md_inline, md_text, render_html_text

__all__ = ["environment", "render", "render_docs"]


def environment() -> jinja2.Environment:
    """The shared environment, with the documentation's Markdown filters added."""
    env = jinja.environment()
    if "md_text" not in env.filters:
        env.filters["md_text"] = md_text
        env.filters["md_inline"] = md_inline
        env.filters["fence_runs"] = lambda text: [len(run) + 1 for run in re.findall(r"`+", text)]
        env.filters["md_cell"] = md_cell
        env.filters["md_html"] = lambda text: Markup(render_html_text(text))
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


# --------------------------------------------------------------------------- docs


def render_docs(
    schema: ir.Schema,
    groups: list[tuple[str, list[str]]],
    samples: Path | None,
    changelog: str | None = None,
) -> dict[str, str]:
    """The Markdown reference (an index page and one page per group) and the
    self-contained HTML page, by file name."""
    plan = make_doc_plan(schema, groups, samples, schema_version(schema.schema_id))
    files = {"index.md": render("docs/index.md.j2", plan=plan, changelog=changelog)}
    for group in plan.groups:
        files[group.page] = render("docs/group.md.j2", plan=plan, group=group, page=group.page)
    changelog_html = render_html_text(changelog) if changelog else ""
    files["reference.html"] = render(
        "docs/reference.html.j2", plan=plan, changelog_html=Markup(changelog_html)
    )
    return {name: _tidy(text) for name, text in files.items()}


def _tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines, one final newline, and no lone
    surrogates (schema text may hold them; UTF-8 files cannot)."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
