"""ECMA-262 regular expressions (with the ``u`` flag) as Python ``re`` patterns.

JSON Schema's ``pattern``, ``patternProperties`` and ``format: regex`` use ECMA-262 syntax
and meaning. Python's ``re`` reads much of that syntax but means something else by it
(``\\d`` and ``\\w`` are Unicode-aware, ``$`` matches before a final newline, ``.``
matches ``\\r``, ...) and accepts syntax ECMA-262 rejects (``(?P<n>...)``, ``\\Z``, inline
flags). So the pattern is not patched as text: it is parsed with the ECMA-262 grammar (u
flag) and a Python pattern with the same meaning is written, term by term:

* classes, escapes, ``.`` and ``\\p{...}`` are computed as sets of code points and written
  as ranges in pure ASCII (``\\xHH``, ``\\uHHHH``, ``\\UHHHHHHHH``), so Python's own idea of
  digits, word characters and spaces is never used;
* ``$`` becomes ``\\Z``; ``\\b`` and ``\\B`` become look-arounds on ``[0-9A-Z_a-z]``;
* a back-reference becomes ``(?(n)\\n)``, which, as in ECMA-262, matches the empty string
  when group n took no part in the match; one to a group that cannot have matched yet
  (a later or an enclosing group, or one in a closed negative look-around) is ``(?:)``;
* Python needs fixed-width look-behinds: a leading repetition without captures is cut to
  its minimum (``(?<=a+)`` means ``(?<=a)``), alternatives of different widths become
  separate look-behinds, and what still has a variable width is a RegexError.

The parser loops over an explicit stack of open groups, so no input can exhaust Python's
stack; patterns over 100,000 characters, nested deeper than 200 groups, or translating to
over 2,000,000 characters are rejected. General categories come from ``unicodedata``: the
Unicode version is that of the running Python.

Known differences, which never change whether a pattern without back-references finds a
match: ECMA-262 rejects a repetition that matches the empty string once the minimum count
is reached, and forgets a quantified group's captures at each repetition; Python does
neither. So the match found, its groups, and what a back-reference to such a group
matches can differ.
"""

from __future__ import annotations

import re
from typing import NamedTuple, NoReturn

from .charsets import (
    BINARY,
    DOT,
    SHORTHANDS,
    Ranges,
    char,
    escape_text,
    hex_escape,
    negate,
    prop,
    set_text,
    union,
)

__all__ = ["RegexError", "is_valid", "translate"]

MAX_PATTERN_LENGTH = 100_000
MAX_DEPTH = 200
MAX_OUTPUT_LENGTH = 2_000_000
_MAX_COUNT = 2**31 - 1  # repetition counts and widths that Python's re takes everywhere
_BIG = 2**62  # widths are capped here: such a width is too long for a look-behind anyway
_TOP = 0x10FFFF
_SYNTAX = "^$\\.*+?()[]{}|/"  # the characters an identity escape may name (u flag)
_CONTROL = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HEX2 = re.compile("[0-9A-Fa-f]{2}")
_UNICODE = re.compile(r"\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{4})(?:\\u([dD][c-fC-F][0-9A-Fa-f]{2}))?")
_BRACES = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_DIGITS = re.compile("[0-9]+")
_W = "[0-9A-Z_a-z]"
_BOUNDARY = {"b": f"(?:(?<={_W})(?!{_W})|(?<!{_W})(?={_W}))"}
_BOUNDARY["B"] = f"(?:(?<={_W})(?={_W})|(?<!{_W})(?!{_W}))"
_LOOKBEHINDS = ("(?<=", "(?<!")
_GROUPS = ("(?:", "(?=", "(?!", *_LOOKBEHINDS)


class RegexError(ValueError):
    """A pattern that is not valid ECMA-262, or that Python's re cannot express. str() is one line."""


def translate(pattern: str, *, legacy: bool = False) -> str:
    """The Python `re` pattern with the meaning of the ECMA-262 (u-flag) `pattern`.
    Use it as `re.compile(translate(p)).search(s)` with NO flags. Raises RegexError.

    ``legacy`` also accepts what only the non-Unicode syntax allows, as many published
    schemas need: identity escapes of any punctuation (``\\:``) and a lone ``]``, ``{``
    or ``}`` as a literal; and ``\\A``, ``\\Z`` and ``\\z`` as the anchors Python and PCRE
    make them, which schemas written for those engines use."""
    too_long = f"pattern longer than {MAX_PATTERN_LENGTH} characters"
    _check(len(pattern) <= MAX_PATTERN_LENGTH, too_long, MAX_PATTERN_LENGTH)
    result = _Parser(pattern, legacy).parse()
    try:  # never expected to fail: a last guard so that only RegexError escapes
        re.compile(result)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        _fail("Python's re cannot compile the translation", 0, _show(str(exc)))
    return result


def is_valid(pattern: str) -> bool:
    """Is `pattern` a valid ECMA-262 regular expression (translatable and compilable)?"""
    try:
        translate(pattern)
    except RegexError:
        return False
    return True


def _fail(message: str, offset: int, why: str = "") -> NoReturn:
    raise RegexError(f"{message} at offset {offset}" + (f" ({why})" if why else ""))


def _check(ok: bool, message: str, offset: int, why: str = "") -> None:
    if not ok:
        _fail(message, offset, why)


def _show(text: str) -> str:
    """``text`` for an error message: short, one line, control characters escaped."""
    text = "".join(c if c.isprintable() else hex_escape(ord(c)) for c in text[:41])
    return text if len(text) <= 40 else text[:37] + "..."


class _Piece(NamedTuple):
    """A translated term: its Python text and how many characters it can match."""

    text: str
    lo: int
    hi: int | None  # None: no upper bound
    quantifiable: bool = True
    captures: bool = False  # it contains a capturing group
    base: _Piece | None = None  # when it is a repetition: the repeated piece
    times: int = 0  # ... and its minimum number of repetitions


def _times(width: int | None, count: int | None) -> int | None:
    if width == 0 or count == 0:
        return 0
    return None if width is None or count is None else min(width * count, _BIG)


def _width(items: list[_Piece]) -> tuple[int, int | None]:
    lo, hi = 0, 0  # type: int, int | None
    for piece in items:
        lo = min(lo + piece.lo, _BIG)
        hi = None if hi is None or piece.hi is None else min(hi + piece.hi, _BIG)
    return lo, hi


def _shorten(items: list[_Piece]) -> list[_Piece]:
    """A look-behind alternative with its leading repetition cut to its minimum: some text
    ending here matches ``a{n,m}b`` if and only if some text ending here matches ``a{n}b``."""
    items = list(items)
    while items:
        first, base = items[0], items[0].base
        if base is None or first.captures or first.lo == first.hi:
            break
        del items[0]
        if first.times:
            repeat = "" if first.times == 1 else f"{{{first.times}}}"
            lo, hi = base.lo * first.times, _times(base.hi, first.times)
            items.insert(0, _Piece(base.text + repeat, lo, hi))
            break
    return items


def _pair(lead: int, trail: int) -> int:
    """The code point of a surrogate pair, or 0 if it is not one."""
    if 0xD800 <= lead <= 0xDBFF and 0xDC00 <= trail <= 0xDFFF:
        return 0x10000 + ((lead - 0xD800) << 10) + trail - 0xDC00
    return 0


def _count(digits: str) -> int:
    digits = digits.lstrip("0")
    return int(digits or "0") if len(digits) < 12 else _MAX_COUNT


class _Frame(NamedTuple):
    """An open group (or the whole pattern) while it is parsed."""

    kind: str  # "(" capturing, "" the whole pattern, else one of _GROUPS
    offset: int
    group: int  # its number if capturing, else the number of groups opened before it
    alternatives: list[list[_Piece]]


# --------------------------------------------------------------------------- the parser


class _Parser:
    def __init__(self, pattern: str, legacy: bool = False) -> None:
        self.p = pattern
        self.legacy = legacy
        self.pos = 0
        self.count = 0  # capturing groups in the whole pattern
        self.names: dict[str, int] = {}  # ECMA-262 group name -> number
        self.py_names: dict[int, str] = {}  # number -> name in the Python pattern
        self.opened = 0  # capturing groups opened so far
        self.closed: set[int] = set()
        self.dead: set[int] = set()  # groups inside a negative look-around that has closed
        self.behind = 0  # look-behinds open
        self.size = 0
        self.stack = [_Frame("", 0, 0, [[]])]

    def parse(self) -> str:
        self._prescan()
        p = self.p
        while self.pos < len(p):
            i, c = self.pos, p[self.pos]
            if c == "|":
                self.stack[-1].alternatives.append([])
                self.pos += 1
            elif c == "(":
                self._open(i)
            elif c == ")":
                self._close(i)
            elif c in "*+?{":
                self._quantify(i)
            elif c in "^$":
                self._add(_Piece("^" if c == "^" else "\\Z", 0, 0, False), i + 1)
            elif c == ".":
                self._add(_Piece(escape_text(DOT), 1, 1), i + 1)
            elif c == "[":
                self._class(i)
            elif c == "\\":
                self._escape(i)
            else:
                _check(c not in "]}" or self.legacy, f"lone '{c}' (write \\{c})", i)
                cp, end = self._code_point(i)
                self._add(_Piece(char(cp), 1, 1), end)
        _check(len(self.stack) == 1, "unterminated group", self.stack[-1].offset)
        return "|".join("".join(p.text for p in items) for items in self.stack[0].alternatives)

    def _prescan(self) -> None:
        """Count the capturing groups and learn their names: back-references may look ahead."""
        p, i, in_class = self.p, 0, False
        while i < len(p):
            c = p[i]
            if c == "\\":
                _check(i + 1 < len(p), "lone \\ at the end of the pattern", i)
                i += 1
            elif in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "(" and not p.startswith("(?", i):
                self.count += 1
            elif p.startswith("(?<", i) and not p.startswith(_LOOKBEHINDS, i):
                self.count += 1
                name = self._name(i + 3)[0]
                _check(name not in self.names, f"duplicate group name '{_show(name)}'", i)
                self.names[name] = self.count
            i += 1
        self.py_names = {n: k for k, n in self.names.items() if k.isascii() and k.isidentifier()}
        prefix = "_g"  # Python refers to groups past 99 by name only
        while any(name.startswith(prefix) for name in self.py_names.values()):
            prefix = "_" + prefix
        for n in range(100, self.count + 1):
            self.py_names.setdefault(n, f"{prefix}{n}")

    def _add(self, piece: _Piece, end: int) -> None:
        self.size += len(piece.text)
        _check(self.size <= MAX_OUTPUT_LENGTH, "translation too long", self.pos)
        self.stack[-1].alternatives[-1].append(piece)
        self.pos = end

    def _code_point(self, i: int) -> tuple[int, int]:
        """The literal code point at i (a surrogate pair is one) and the index after it."""
        pair = _pair(ord(self.p[i]), ord(self.p[i + 1]) if i + 1 < len(self.p) else 0)
        return (pair, i + 2) if pair else (ord(self.p[i]), i + 1)

    def _name(self, i: int) -> tuple[str, int]:
        """The group name that starts at i (after '<') and the index after its '>'."""
        p, start, chars = self.p, i, ""
        while not p.startswith(">", i):
            _check(i < len(p), "unterminated group name", start)
            at = i
            if p.startswith("\\u", i):
                cp, i = self._unicode(i + 2, i)
            else:
                _check(p[i] != "\\", "invalid escape in group name", i)
                cp, i = self._code_point(i)
            c = chr(cp)  # ID_Start or $ or _, then ID_Continue or $ or ZWNJ or ZWJ
            ok = (
                c in "$\u200c\u200d" or ("a" + c).isidentifier()
                if chars
                else c in "$_" or c.isidentifier()
            )
            _check(ok, f"invalid character '{_show(c)}' in group name", at)
            chars += c
        _check(chars != "", "empty group name", start)
        return chars, i + 1

    def _unicode(self, i: int, at: int) -> tuple[int, int]:
        """The code point of the \\u escape whose digits start at i."""
        m = _UNICODE.match(self.p, i)
        if m is None:
            _fail("invalid \\u escape: it needs 4 hex digits or {...}", at)
        braced, lead, trail = m.groups()
        if braced is not None:
            digits = braced.lstrip("0") or "0"
            _check(len(digits) <= 6 and int(digits, 16) <= _TOP, "invalid \\u{...} escape", at)
            return int(digits, 16), m.end()
        pair = _pair(int(lead, 16), int(trail or "0", 16))
        return (pair, m.end()) if pair else (int(lead, 16), m.end(2))

    def _char_escape(self, i: int) -> tuple[int, int] | None:
        """The code point of the character escape whose backslash is at i, or None."""
        p, c = self.p, self.p[i + 1]
        if c in _CONTROL:
            return _CONTROL[c], i + 2
        if c == "c":
            _check(len(p) > i + 2 and p[i + 2] in _LETTERS, "\\c must be followed by a letter", i)
            return ord(p[i + 2]) % 32, i + 3
        if c == "0" and not _DIGITS.match(p, i + 2):
            return 0, i + 2
        if c == "x":
            m = _HEX2.match(p, i + 2)
            if m is None:
                _fail("invalid \\x escape: it needs 2 hex digits", i)
            return int(m.group(), 16), m.end()
        if c == "u":
            return self._unicode(i + 2, i)
        if c in _SYNTAX or (self.legacy and not c.isalnum() and c != "_"):
            return ord(c), i + 2
        return None

    def _class_escape(self, i: int) -> tuple[Ranges, int] | None:
        """The set of a \\d \\D \\s \\S \\w \\W \\p{..} \\P{..} escape at i, or None."""
        p, c = self.p, self.p[i + 1]
        if c in SHORTHANDS:
            return SHORTHANDS[c], i + 2
        if c not in "pP":
            return None
        end = p.find("}", i + 3) if p.startswith("{", i + 2) else -1
        _check(end > 0, f"\\{c} must be followed by {{property}}", i)
        body, what = p[i + 3 : end], _show(p[i : end + 1])
        ranges = prop(body, c == "P") if len(body) < 64 else None  # no longer name is known
        if body.startswith(("Script=", "sc=", "Script_Extensions=", "scx=")):
            _fail(f"unsupported Unicode property {what}", i, "Python has no script data")
        if ranges is None:
            known = ", ".join(
                ["General_Category values", "Assigned"] + [k.split()[0] for k in BINARY]
            )
            _fail(f"unknown or unsupported Unicode property {what}", i, f"known: {known}")
        return ranges, end + 1

    def _escape(self, i: int) -> None:
        p, c = self.p, self.p[i + 1]
        if c in "bB":
            self._add(_Piece(_BOUNDARY[c], 0, 0, False), i + 2)
        elif c in "123456789":
            digits = _DIGITS.match(p, i + 1)
            assert digits is not None
            number = int(digits.group()) if len(digits.group()) < 10 else _BIG
            _check(number <= self.count, f"\\{_show(digits.group())} names no group", i)
            self._backref(number, i, digits.end())
        elif c == "k":
            _check(p.startswith("<", i + 2), "\\k must be followed by <name>", i)
            name, end = self._name(i + 3)
            _check(name in self.names, f"\\k<{_show(name)}> names no group", i)
            self._backref(self.names[name], i, end)
        elif (escape := self._class_escape(i)) is not None:
            self._add(_Piece(escape_text(escape[0]), 1, 1), escape[1])
        elif (found := self._char_escape(i)) is not None:
            self._add(_Piece(char(found[0]), 1, 1), found[1])
        elif self.legacy and c in "AZz":  # Python's and PCRE's anchors, as their authors meant
            self._add(_Piece("^" if c == "A" else "\\Z", 0, 0, False), i + 2)
        else:
            _fail(f"invalid escape '\\{_show(c)}'", i)

    def _backref(self, number: int, at: int, end: int) -> None:
        behind = "a back-reference inside a lookbehind cannot be expressed in Python's re"
        _check(not self.behind, behind, at)
        if number not in self.closed or number in self.dead:
            self._add(_Piece("(?:)", 0, 0), end)  # always empty in ECMA-262
            return
        name = self.py_names.get(number)
        text = f"(?({name})(?P={name}))" if name else f"(?({number})\\{number})"
        self._add(_Piece(text, 0, None), end)

    def _class(self, start: int) -> None:
        p, i = self.p, start + 1
        negated = p.startswith("^", i)
        i += negated
        parts: set[Ranges] = set()  # a set: a class may name the same property many times
        while not p.startswith("]", i):
            _check(i < len(p), "unterminated character class", start)
            at = i
            low, i = self._class_atom(i)
            if p.startswith("-", i) and i + 1 < len(p) and p[i + 1] != "]":
                high, i = self._class_atom(i + 1)
                if not isinstance(low, int) or not isinstance(high, int):
                    _fail("a character class escape cannot bound a range", at)
                _check(low <= high, "character class range out of order", at)
                parts.add(((low, high),))
            else:
                parts.add(((low, low),) if isinstance(low, int) else low)
        ranges = union(*parts)
        self._add(_Piece(set_text(negate(ranges) if negated else ranges), 1, 1), i + 1)

    def _class_atom(self, i: int) -> tuple[int | Ranges, int]:
        p = self.p
        if p[i] != "\\":
            return self._code_point(i)
        if p[i + 1] in "b-":
            return (8 if p[i + 1] == "b" else 0x2D), i + 2
        found = self._class_escape(i) or self._char_escape(i)
        if found is None:
            _fail(f"invalid escape '\\{_show(p[i + 1])}' in a character class", i)
        return found

    def _quantify(self, i: int) -> None:
        p = self.p
        low: int
        high: int | None
        if p[i] == "{":
            m = _BRACES.match(p, i)
            if m is None and self.legacy:
                self._add(_Piece(char(ord("{")), 1, 1), i + 1)
                return
            if m is None:
                _fail("lone '{' (write \\{)", i)
            low = _count(m.group(1))
            high = low if m.group(2) is None else _count(m.group(3)) if m.group(3) else None
            end = m.end()
        else:
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[p[i]]
            end = i + 1
        lazy = p.startswith("?", end)
        end += lazy
        items = self.stack[-1].alternatives[-1]
        ok = bool(items) and items[-1].quantifiable
        _check(ok, f"quantifier '{_show(p[i:end])}' has nothing to repeat", i)
        _check(high is None or low <= high, "quantifier numbers out of order", i)
        _check(low < _MAX_COUNT, "repetition count too large for Python's re", i)
        if high is not None and high >= _MAX_COUNT:
            high = None  # the same for any string shorter than 2**31 characters
        text = {(0, None): "*", (1, None): "+", (0, 1): "?"}.get((low, high), "")
        if not text:
            text = f"{{{low}}}" if low == high else f"{{{low},{'' if high is None else high}}}"
        base = items[-1]
        text = base.text + text + ("?" if lazy else "")
        lo, hi = min(base.lo * low, _BIG), _times(base.hi, high)
        items[-1] = _Piece(text, lo, hi, False, base.captures, base, low)
        self.pos = end

    def _open(self, i: int) -> None:
        p = self.p
        _check(len(self.stack) <= MAX_DEPTH, f"groups nested deeper than {MAX_DEPTH}", i)
        kind = next((k for k in _GROUPS if p.startswith(k, i)), "(")
        if kind != "(":
            end = i + len(kind)
        elif p.startswith("(?<", i):
            end = self._name(i + 3)[1]
        elif p.startswith("(?", i):
            c = p[i + 2 : i + 3]
            why = {"P": "Python's named groups", "#": "comments", ">": "atomic groups"}.get(c)
            why = "inline flags" if why is None and c and c in "aiLmsux-" else why
            _fail(f"invalid group '(?{_show(c)}'", i, f"{why} are not ECMA-262" if why else "")
        else:
            end = i + 1
        self.opened += kind == "("
        self.behind += kind in _LOOKBEHINDS
        self.stack.append(_Frame(kind, i, self.opened, [[]]))
        self.pos = end

    def _close(self, i: int) -> None:
        _check(len(self.stack) > 1, "unmatched ')'", i)
        frame = self.stack.pop()
        kind, alternatives = frame.kind, frame.alternatives
        captures = kind == "(" or any(p.captures for items in alternatives for p in items)
        if kind in _LOOKBEHINDS:
            self.behind -= 1
            text = self._lookbehind(frame)
        else:
            body = "|".join("".join(p.text for p in items) for items in alternatives)
            name = self.py_names.get(frame.group) if kind == "(" else None
            text = (f"(?P<{name}>" if name else kind) + body + ")"
        if kind == "(":
            self.closed.add(frame.group)
        if kind in ("(?!", "(?<!"):  # its groups are always undefined after it
            self.dead.update(range(frame.group + 1, self.opened + 1))
        piece = _Piece(text, 0, 0, False, captures)
        if kind in ("(", "(?:"):
            widths = [_width(items) for items in alternatives]
            highs = [hi for _, hi in widths]
            hi = None if None in highs else max(h or 0 for h in highs)
            piece = _Piece(text, min(lo for lo, _ in widths), hi, True, captures)
        self.stack[-1].alternatives[-1].append(piece)
        self.pos = i + 1

    def _lookbehind(self, frame: _Frame) -> str:
        texts, widths = [], set()
        for items in frame.alternatives:
            shortened = _shorten(items)
            lo, hi = _width(shortened)
            variable = "variable-width lookbehind cannot be expressed in Python's re"
            _check(lo == hi, variable, frame.offset)
            _check(lo < _MAX_COUNT, "lookbehind too long for Python's re", frame.offset)
            texts.append("".join(p.text for p in shortened))
            widths.add(lo)
        if len(widths) == 1:
            return frame.kind + "|".join(texts) + ")"
        each = [frame.kind + text + ")" for text in texts]  # Python needs one width each
        return "(?:" + "|".join(each) + ")" if frame.kind == "(?<=" else "".join(each)
