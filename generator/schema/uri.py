"""URI references as JSON Schema uses them: RFC 3986 resolution for any scheme.

``urllib.parse.urljoin`` only resolves references against schemes it knows to be
hierarchical, so ``urn:`` and ``tag:`` base URIs (common in schemas) would lose their
base. This module implements RFC 3986 section 5.2 directly.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["is_absolute", "join", "pointer_tokens", "split_fragment"]

# RFC 3986 appendix B.
_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def is_absolute(uri: str) -> bool:
    """Does ``uri`` start with a scheme?"""
    return _SCHEME.match(uri) is not None


def _remove_dots(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1 or (out and out[0] != ""):
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    result = "/".join(out)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def join(base: str, reference: str) -> str:
    """Resolve ``reference`` against the absolute URI ``base`` (RFC 3986 5.2.2)."""
    match = _PARTS.match(reference)
    base_match = _PARTS.match(base)
    assert match is not None and base_match is not None  # the patterns match any text
    scheme, authority, path, query, fragment = match.groups()
    b_scheme, b_authority, b_path, b_query, _ = base_match.groups()
    if scheme is not None:
        t = (scheme, authority, _remove_dots(path), query)
    elif authority is not None:
        t = (b_scheme, authority, _remove_dots(path), query)
    elif path == "":
        t = (b_scheme, b_authority, b_path, query if query is not None else b_query)
    else:
        if path.startswith("/"):
            merged = path
        elif b_authority is not None and b_path == "":
            merged = "/" + path
        else:
            merged = b_path[: b_path.rfind("/") + 1] + path
        t = (b_scheme, b_authority, _remove_dots(merged), query)
    out = f"{t[0]}:" if t[0] is not None else ""
    if t[1] is not None:
        out += "//" + t[1]
    out += t[2]
    if t[3] is not None:
        out += "?" + t[3]
    if fragment is not None:
        out += "#" + fragment
    return out


def split_fragment(uri: str) -> tuple[str, str]:
    """``(uri without fragment, fragment)``; an empty fragment is ``""``."""
    head, _, fragment = uri.partition("#")
    return head, fragment


def pointer_tokens(fragment: str) -> list[str] | None:
    """The reference tokens of a JSON Pointer fragment (percent-decoded), or ``None``
    when the fragment is not a pointer (a plain-name anchor)."""
    text = unquote(fragment)
    if text == "":
        return []
    if not text.startswith("/"):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in text[1:].split("/")]
