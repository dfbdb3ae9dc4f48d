"""Schema text as Python source: the only ways it reaches generated code.

JSON data becomes a literal through :func:`py_literal` (``repr``, which escapes quotes,
controls and surrogates); prose becomes a docstring through :func:`py_docstring` or
one comment line through :func:`py_comment`; a part of a private name is only ASCII
letters, digits and ``_`` (:func:`name_words`). Nothing else from a schema is ever
pasted into code.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["name_words", "py_comment", "py_docstring", "py_literal"]

#: Runs of what a name made from schema text leaves out.
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


_LINE_BREAKS = {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"}


def py_literal(value: Any) -> str:
    """A Python literal for JSON data (``repr`` escapes quotes, controls and surrogates)."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and infinities are not JSON")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not JSON data: {type(value).__name__}")


#: Text that needs no escaping anywhere: printable ASCII without a backslash.
_PLAIN = re.compile(r"[\x20-\x5b\x5d-\x7e]*")
#: Docstring text that needs none either: printable ASCII, newlines, no ``\\`` or ``"``.
_PLAIN_DOC = re.compile(r"[\n\x20\x21\x23-\x5b\x5d-\x7e]*")


def _escape_text(text: str, keep_newlines: bool) -> str:
    if _PLAIN.fullmatch(text):
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == "\n" and keep_newlines:
            out.append("\n")
        elif char == "\t":
            out.append("\t" if keep_newlines else " ")
        elif char in _LINE_BREAKS or not char.isprintable():
            # Controls, line separators, bidi overrides, zero-width and other format
            # characters, surrogates: written as escapes, never as themselves.
            out.append(
                f"\\x{code:02x}"
                if code < 256
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(char)
    return "".join(out)


def py_docstring(text: str, indent: str = "") -> str:
    """A triple-quoted docstring literal holding ``text`` exactly, whatever it contains.

    Backslashes and control characters are escaped; a double quote is escaped whenever
    it touches another double quote or either end, so the body never holds a run of
    raw quotes that could end the literal. Lone surrogates become U+FFFD: CPython cannot
    store them in a class's ``__doc__``.

    ``indent`` (spaces) is where the literal starts in the source: every line after the
    first that holds anything gets it in front, as a person writes a docstring, so the
    text reads the same after :func:`inspect.cleandoc` (what ``help()`` and
    documentation tools show). Tabs in those lines are expanded first, as ``cleandoc``
    would; text whose later lines are all blank is left as it is.
    """
    text = text.strip("\n")
    first, _, rest = text.partition("\n")
    # cleandoc measures the margin on the lines after the first that hold more than
    # whitespace; with none, it leaves them alone, and so must we.
    indented = bool(indent) and bool(rest) and not rest.isspace()
    if indented:
        text = first + "\n" + rest.expandtabs()
    if _PLAIN_DOC.fullmatch(text):  # the common case: nothing to escape
        body = text
    else:
        body = _quotes(_escape_text(_no_surrogates(text), keep_newlines=True))
    if indented:  # escapes never make a newline: the body's lines are the text's
        head, _, tail = body.partition("\n")
        body = head + "\n" + "\n".join(line and indent + line for line in tail.split("\n"))
    return '"""' + body + '"""'


def _quotes(body: str) -> str:
    """``body`` with every double quote that touches another one, or either end, escaped."""
    last = len(body) - 1
    out = []
    for index, char in enumerate(body):
        if char == '"' and (
            index in (0, last)
            or body[index - 1] == '"'
            or (index < last and body[index + 1] == '"')
        ):
            out.append('\\"')
        else:
            out.append(char)
    return "".join(out)


def _no_surrogates(text: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def py_comment(text: str, limit: int = 200) -> str:
    """One line of comment text (newlines folded, control characters escaped)."""
    line = _escape_text(" ".join(text.split()), keep_newlines=False)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def name_words(text: str, limit: int) -> str:
    """``text`` as a part of a generated private name: its ASCII letters and digits,
    each run of anything else one ``_``, none at either end, at most ``limit``
    characters (``""`` when nothing is left)."""
    return _NOT_WORD.sub("_", text).strip("_")[:limit].rstrip("_")
