"""The one Jinja environment every output is laid out with (``templates/``).

Templates hold layout only. Every decision (names, types, which checks to emit, how a
string is escaped) is made in Python and handed to the templates as data or through
the filters registered here; the docs add their Markdown filters in ``docs.render``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from .errors import escape_pointer
from .python.literals import py_comment, py_docstring, py_literal

__all__ = ["environment", "render", "template_folder"]


def template_folder() -> Path:
    """``templates/`` of a source checkout, or the copy packaged with the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the templates folder is missing from this installation")


_ENV: jinja2.Environment | None = None


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=True)


def environment() -> jinja2.Environment:
    """The Jinja environment: strict about undefined names, no implicit escaping except
    in ``.html.j2`` templates."""
    global _ENV
    if _ENV is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(template_folder())),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        )
        env.filters["pyrepr"] = py_literal
        env.filters["docstring"] = py_docstring
        env.filters["comment"] = py_comment
        env.filters["pointer"] = lambda token: "/" + escape_pointer(str(token))
        env.filters["tomlstr"] = _toml_string
        _ENV = env
    return _ENV


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
