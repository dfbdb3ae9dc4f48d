"""Sets of code points for the ECMA-262 translator: the ranges of ``\\d``, ``\\s``, ``\\w``,
``.``, Unicode general categories and the binary properties the standard library can
compute, and how a set is written as a Python character class (pure ASCII)."""

from __future__ import annotations

import functools
import unicodedata

__all__ = [
    "DOT",
    "SHORTHANDS",
    "Ranges",
    "char",
    "escape_text",
    "hex_escape",
    "negate",
    "prop",
    "set_text",
    "union",
]

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, not adjacent: a set of code points
TOP = 0x10FFFF


def union(*parts: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(r for part in parts for r in part):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return tuple(out)


def negate(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    return tuple([*out, (start, TOP)] if start <= TOP else out)


def _hex_ranges(spec: str) -> Ranges:
    """Ranges written as hex code points: "9-d 20" is U+0009 to U+000D and U+0020."""
    pairs = (item.partition("-") for item in spec.split())
    return union(*(((int(lo, 16), int(hi or lo, 16)),) for lo, _, hi in pairs))


_SPACE = "9-d 20 a0 1680 2000-200a 2028-2029 202f 205f 3000"  # in both \\s and White_Space
SHORTHANDS = {"d": _hex_ranges("30-39"), "w": _hex_ranges("30-39 41-5a 5f 61-7a")}
SHORTHANDS["s"] = _hex_ranges(_SPACE + " feff")  # ECMA-262 WhiteSpace and LineTerminator
SHORTHANDS.update({k.upper(): negate(v) for k, v in SHORTHANDS.items()})
DOT = negate(_hex_ranges("a d 2028-2029"))

# General_Category values and their aliases (ECMA-262, after Unicode's PropertyValueAliases).
_GC_ALIASES = (
    "C Other|Cc Control cntrl|Cf Format|Cn Unassigned|Co Private_Use|Cs Surrogate|L Letter|"
    "LC Cased_Letter|Ll Lowercase_Letter|Lm Modifier_Letter|Lo Other_Letter|"
    "Lt Titlecase_Letter|Lu Uppercase_Letter|M Mark Combining_Mark|Mc Spacing_Mark|"
    "Me Enclosing_Mark|Mn Nonspacing_Mark|N Number|Nd Decimal_Number digit|Nl Letter_Number|"
    "No Other_Number|P Punctuation punct|Pc Connector_Punctuation|Pd Dash_Punctuation|"
    "Pe Close_Punctuation|Pf Final_Punctuation|Pi Initial_Punctuation|Po Other_Punctuation|"
    "Ps Open_Punctuation|S Symbol|Sc Currency_Symbol|Sk Modifier_Symbol|Sm Math_Symbol|"
    "So Other_Symbol|Z Separator|Zl Line_Separator|Zp Paragraph_Separator|Zs Space_Separator"
)
_GC = {alias: names.split()[0] for names in _GC_ALIASES.split("|") for alias in names.split()}
# The binary properties that can be computed: their code points are fixed by Unicode's
# stability policies or unchanged since Unicode 6.3. Others need data Python lacks.
BINARY = {
    "Any": "0-10ffff",
    "ASCII": "0-7f",
    "ASCII_Hex_Digit AHex": "30-39 41-46 61-66",
    "Hex_Digit Hex": "30-39 41-46 61-66 ff10-ff19 ff21-ff26 ff41-ff46",
    "Join_Control Join_C": "200c-200d",
    "Noncharacter_Code_Point NChar": "fdd0-fdef "
    + " ".join(f"{p:x}fffe-{p:x}ffff" for p in range(17)),
    "Pattern_White_Space Pat_WS": "9-d 20 85 200e-200f 2028-2029",
    "Regional_Indicator RI": "1f1e6-1f1ff",
    "White_Space space": _SPACE + " 85",
}
_BINARY_RANGES = {alias: _hex_ranges(v) for k, v in BINARY.items() for alias in k.split()}


@functools.cache
def _categories() -> dict[str, Ranges]:
    """Every code point by its general category, from unicodedata."""
    table: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, "Cc"
    for cp in range(1, TOP + 2):
        value = unicodedata.category(chr(cp)) if cp <= TOP else ""
        if value != current:
            table.setdefault(current, []).append((start, cp - 1))
            start, current = cp, value
    return {key: tuple(ranges) for key, ranges in table.items()}


@functools.lru_cache(maxsize=128)
def prop(body: str, negated: bool) -> Ranges | None:
    """The code points of ``\\p{body}`` (``\\P{body}`` if negated), None if not computable."""
    name, equals, value = body.partition("=")
    if equals and name not in ("General_Category", "gc"):
        return None
    code = _GC.get(value if equals else body)
    if code:
        tables = _categories()
        codes = ("Ll", "Lt", "Lu") if code == "LC" else (code,)
        ranges = union(*(tables[c] for c in tables if c in codes or c[0] == code))
    elif body == "Assigned":
        ranges = negate(_categories()["Cn"])
    elif body in _BINARY_RANGES and not equals:
        ranges = _BINARY_RANGES[body]
    else:
        return None
    return negate(ranges) if negated else ranges


# --------------------------------------------------------------------------- writing Python


def hex_escape(cp: int) -> str:
    if cp < 0x100:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def char(cp: int, in_class: bool = False) -> str:
    """One code point as Python pattern text: ASCII letters, digits and _ as they are."""
    if cp < 0x80 and (chr(cp).isalnum() or cp == 0x5F):
        return chr(cp)
    return "\\" + chr(cp) if 0x21 <= cp <= 0x7E and not in_class else hex_escape(cp)


def set_text(ranges: Ranges) -> str:
    """A Python atom matching one code point of ``ranges``."""
    if not ranges:
        return "[^\\x00-\\U0010ffff]"  # not (?!): it must be one character wide
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return char(ranges[0][0])
    body, caret = ranges, ""
    if 0 < len(negate(ranges)) < len(ranges):
        body, caret = negate(ranges), "^"
    parts = []
    for lo, hi in body:
        parts.append(char(lo, True))
        if hi != lo:
            parts.append(("-" if hi > lo + 1 else "") + char(hi, True))
    return "[" + caret + "".join(parts) + "]"


escape_text = functools.lru_cache(maxsize=64)(set_text)  # for \\d, \\p{...}, . and the like
