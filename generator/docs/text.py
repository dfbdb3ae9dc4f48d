"""Schema prose as Markdown and HTML: escaped for a table cell, an inline span or a
block, and rendered without raw HTML, images or unsafe links."""

from __future__ import annotations

import html
import re

import markdown_it

__all__ = ["anchor", "md_cell", "md_inline", "md_text", "render_html_text"]

_MD = markdown_it.MarkdownIt("commonmark", {"html": False}).disable(["image"])


def render_html_text(text: str) -> str:
    """Markdown description → HTML; raw HTML in the text is escaped, never passed on."""
    return str(_MD.render(_clean(text)))


def _clean(text: str) -> str:
    """Drop characters no document should carry (controls, lone surrogates)."""
    return "".join(
        " "
        if (ord(c) < 32 and c not in "\n\t")
        or 0xD800 <= ord(c) <= 0xDFFF
        or c in "\u2028\u2029\x7f"
        else c
        for c in text
    )


_UNSAFE_LINK = re.compile(
    r"\]\(\s*(?!(?:https?|mailto):|[#./]|[A-Za-z0-9_-]+\.md\b)([A-Za-z][A-Za-z0-9+.-]*:)"
)
_UNSAFE_REF = re.compile(
    r"^(\s*)\[([^\]]*)\]:(?=\s*(?!(?:https?|mailto):)[A-Za-z][A-Za-z0-9+.-]*:)", re.M
)


def md_text(text: str) -> str:
    """A description as Markdown prose: HTML-significant characters escaped, and links
    whose scheme is not http(s) or mailto (``javascript:``, ``data:``) broken up."""
    text = html.escape(_clean(text), quote=False)
    text = _UNSAFE_LINK.sub(lambda m: "]\\(" + m.group(1), text)
    return _UNSAFE_REF.sub(lambda m: f"{m.group(1)}\\[{m.group(2)}]:", text)


def md_inline(text: str) -> str:
    """A fragment inside a table cell: HTML-escaped, pipes escaped, spaces kept."""
    return md_text(text).replace("\n", " ").replace("|", "\\|")


def md_cell(text: str) -> str:
    """Text for one Markdown table cell: one line, pipes escaped."""
    lines = [line.strip() for line in md_text(text).split("\n")]
    return "<br>".join(line for line in lines if line).replace("|", "\\|")


def anchor(*parts: str) -> str:
    """An HTML id for a type (one part) or a field (type and key). Characters other than
    ``[A-Za-z0-9_-]`` become ``_<hex>_`` so that every key gets its own id."""
    return ".".join(
        re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}_", part) for part in parts
    )
