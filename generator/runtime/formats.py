"""JSON Schema ``format`` assertions, written with the Python standard library only.

``check(name, value)`` tells whether a string conforms to a format; ``CHECKERS`` maps every
format name this module knows to its checker. Formats apply to strings only, so any other
value conforms, and so does any string under a format name this module does not know.

Each format has one small checker that follows its RFC's grammar to the letter, because the
standard library's parsers (``datetime.fromisoformat``, ``ipaddress``, ``urllib.parse``)
accept more than the RFCs do. Where a digit is required, only ASCII ``0-9`` counts. Every
check takes time linear in its input, whatever the input: the regular expressions here are
either whole-string matches whose repetitions are separated by characters they cannot
share (so a failed match never backtracks far) or searches for one bad character, and the
rest are plain loops; host names are measured before any Unicode work is done on them.

| format | follows |
|---|---|
| ``date-time``, ``date``, ``time`` | RFC 3339 §5.6; a leap second only at 23:59:60 UTC |
| ``duration`` | RFC 3339 Appendix A (whole numbers, no fractions) |
| ``email``, ``idn-email`` | RFC 5321 §4.1.2 Mailbox (with RFC 6531's non-ASCII extension) |
| ``hostname`` | RFC 1123 §2.1, and RFC 5890-5893 for ``xn--`` A-labels |
| ``idn-hostname`` | RFC 5890-5893 (IDNA 2008), separators per RFC 3490 §3.1 |
| ``ipv4``, ``ipv6`` | RFC 2673 §3.2 dotted quads, RFC 4291 §2.2 (no zone, no prefix) |
| ``uri``, ``uri-reference`` | RFC 3986 §3 and §4.1 |
| ``iri``, ``iri-reference`` | RFC 3987 §2.2 |
| ``uri-template`` | RFC 6570 §2 (an apostrophe is allowed in literals, as in RFC 3986) |
| ``uuid`` | RFC 4122 §3 (any version and variant) |
| ``json-pointer`` | RFC 6901 §3 |
| ``relative-json-pointer`` | draft-bhutton-relative-json-pointer-00 (index manipulation too) |
| ``regex`` | ECMA-262, by the sibling module ``ecma`` |

IDNA 2008's derived property values (RFC 5892 §2-3) are computed from ``unicodedata`` at
run time, so they follow the running Python's Unicode version; the only tables here are the
data ``unicodedata`` lacks: the exceptions, Default_Ignorable_Code_Point, the scripts that
the CONTEXTO rules name and the Joining_Type values the ZERO WIDTH NON-JOINER rule needs
(taken from Unicode 17.0's Scripts.txt and DerivedJoiningType.txt).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache

__all__ = ["CHECKERS", "check"]


# --- Dates and times (RFC 3339) ---------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(value: str) -> bool:
    """RFC 3339 full-date: YYYY-MM-DD, a real day of the proleptic Gregorian calendar."""
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= day <= _DAYS_IN_MONTH[month - 1] + (month == 2 and leap)


def _is_time(value: str) -> bool:
    """RFC 3339 full-time: hh:mm:ss[.frac] and Z or ±hh:mm; second 60 only at 23:59 UTC."""
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    if hour > 23 or minute > 59 or second > 60:
        return False
    offset = 0
    if match[4] is not None:
        offset_hour, offset_minute = int(match[5]), int(match[6])
        if offset_hour > 23 or offset_minute > 59:
            return False
        offset = (offset_hour * 60 + offset_minute) * (1 if match[4] == "+" else -1)
    return second < 60 or (hour * 60 + minute - offset) % 1440 == 23 * 60 + 59


def _is_date_time(value: str) -> bool:
    """RFC 3339 date-time: full-date, T (either case), full-time."""
    return value[10:11] in ("T", "t") and _is_date(value[:10]) and _is_time(value[11:])


_DURATION = re.compile(
    r"P(?:[0-9]+W|([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?)"
)


def _contiguous(present: Sequence[bool]) -> bool:
    """Are the present units one unbroken run (Y M D or H M S with none skipped)?"""
    runs = "".join("1" if flag else "0" for flag in present).strip("0")
    return "0" not in runs


def _is_duration(value: str) -> bool:
    """RFC 3339 Appendix A duration: P then weeks alone, or date units then T and time units."""
    match = _DURATION.fullmatch(value)
    if match is None:
        return False
    if match[0].endswith("W"):
        return True
    date = [match[i] is not None for i in (1, 2, 3)]
    time = [match[i] is not None for i in (5, 6, 7)]
    if match[4] is not None and not any(time):
        return False  # a T must be followed by at least one time unit
    return (any(date) or any(time)) and _contiguous(date) and _contiguous(time)


# --- IP addresses -------------------------------------------------------------------------

_IPV4 = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,4}")


def _is_ipv4(value: str) -> bool:
    """Four dotted decimal octets 0-255, ASCII digits, no leading zeros."""
    return _IPV4.fullmatch(value) is not None and all(int(p) <= 255 for p in value.split("."))


def _is_ipv6(value: str) -> bool:
    """RFC 4291 §2.2 text forms: eight hex groups, one "::", an optional dotted-quad tail."""
    if len(value) > 45:  # the longest form, six groups of four and a dotted quad
        return False
    if "." in value:  # the last 32 bits as a dotted quad: check it, then stand in two groups
        cut = value.rfind(":")
        if cut < 0 or not _is_ipv4(value[cut + 1 :]):
            return False
        value = value[: cut + 1] + "0:0"
    if "::" in value:
        left, right = value.split("::", 1)
        groups = (left.split(":") if left else []) + (right.split(":") if right else [])
        if len(groups) > 7:
            return False
    else:
        groups = value.split(":")
        if len(groups) != 8:
            return False
    return all(_HEX_GROUP.fullmatch(group) for group in groups)


# --- URIs and IRIs (RFC 3986, RFC 3987) -----------------------------------------------------


def _forbidden(allowed: str) -> re.Pattern[str]:
    """A pattern finding an ASCII character outside unreserved, sub-delims and `allowed`."""
    allowed += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;="
    return re.compile(
        "[" + "".join(f"\\x{code:02x}" for code in range(128) if chr(code) not in allowed) + "]"
    )


# Components by the ASCII characters they may hold ("%" only as the start of %XX).
_USERINFO = _forbidden("%:")
_REG_NAME = _forbidden("%")
_PATH = _forbidden("%:@/")
_QUERY_OR_FRAGMENT = _forbidden("%:@/?")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_IPVFUTURE = re.compile(r"[Vv][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")
_PORT = re.compile(r"(?::[0-9]*)?")


def _is_ucschar(code: int, private: bool) -> bool:
    """RFC 3987 ucschar, or (when `private`) ucschar or iprivate."""
    if code < 0x10000:
        if 0xE000 <= code <= 0xF8FF:
            return private
        return 0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
    if code & 0xFFFF > 0xFFFD:  # the last two code points of each plane
        return False
    return private if code >= 0xF0000 else not 0xE0000 <= code < 0xE1000


def _fits(text: str, forbidden: re.Pattern[str], iri: bool, private: bool = False) -> bool:
    """Is every ASCII character of `text` allowed, every "%" the start of a %XX triplet, and
    every other character (IRIs only) a ucschar, or an iprivate too when `private`?"""
    if forbidden.search(text) is not None or _BAD_PERCENT.search(text) is not None:
        return False
    if text.isascii():
        return True
    return iri and all(_is_ucschar(ord(char), private) for char in set(text) if char > "\x7f")


def _is_authority(authority: str, iri: bool) -> bool:
    """RFC 3986 §3.2: [userinfo "@"] host [":" port], host an IP literal or a reg-name."""
    userinfo, at, hostport = authority.rpartition("@")
    if at and not _fits(userinfo, _USERINFO, iri):  # an "@" in userinfo fails here too
        return False
    if hostport.startswith("["):
        end = hostport.find("]")
        literal, port = hostport[1:end], hostport[end + 1 :]
        if end < 0 or not (_is_ipv6(literal) or _IPVFUTURE.fullmatch(literal)):
            return False
    else:
        colon = hostport.find(":")
        host, port = (hostport, "") if colon < 0 else (hostport[:colon], hostport[colon:])
        if not _fits(host, _REG_NAME, iri):
            return False
    return _PORT.fullmatch(port) is not None


def _is_reference(value: str, *, iri: bool, relative: bool) -> bool:
    """An absolute URI (IRI), or when `relative` any URI (IRI) reference, RFC 3986 §4.1."""
    value, hash_mark, fragment = value.partition("#")
    if hash_mark and not _fits(fragment, _QUERY_OR_FRAGMENT, iri):
        return False
    value, question_mark, query = value.partition("?")
    if question_mark and not _fits(query, _QUERY_OR_FRAGMENT, iri, private=iri):
        return False
    colon, slash = value.find(":"), value.find("/")
    if colon >= 0 and (slash < 0 or colon < slash):  # a ":" in the first segment: a scheme
        if not _SCHEME.fullmatch(value[:colon]):
            return False
        value = value[colon + 1 :]
    elif not relative:
        return False
    if value.startswith("//"):
        authority, slash_mark, path = value[2:].partition("/")
        if not _is_authority(authority, iri):
            return False
        value = slash_mark + path
    return _fits(value, _PATH, iri)


def _is_uri(value: str) -> bool:
    """RFC 3986 URI: a scheme, then the hierarchical part, query and fragment; ASCII only."""
    return _is_reference(value, iri=False, relative=False)


def _is_uri_reference(value: str) -> bool:
    """RFC 3986 URI-reference: a URI or a relative reference."""
    return _is_reference(value, iri=False, relative=True)


def _is_iri(value: str) -> bool:
    """RFC 3987 IRI: a URI that may also hold non-ASCII ucschar (private use in the query)."""
    return _is_reference(value, iri=True, relative=False)


def _is_iri_reference(value: str) -> bool:
    """RFC 3987 IRI-reference: an IRI or a relative IRI reference."""
    return _is_reference(value, iri=True, relative=True)


# RFC 6570 §2.1 literals: any character but CTL, SP, DQUOTE, "%" (except in %XX), "<", ">",
# "\", "^", "`", "{", "|", "}". RFC 6570 also excludes "'", which RFC 3986 allows: allowed.
_TEMPLATE_LITERAL = re.compile('[\\x00-\\x20"<>\\\\^`{|}\\x7f]')
_VARCHAR = r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
_VARSPEC = re.compile(f"{_VARCHAR}(?:\\.?{_VARCHAR})*(?::[1-9][0-9]{{0,3}}|\\*)?")
_OPERATORS = frozenset("+#./;?&=,!@|")


def _is_uri_template(value: str) -> bool:
    """RFC 6570 URI Template: literals and {[operator]varspec,...} expressions."""
    literals: list[str] = []
    rest = value
    while rest:
        literal, brace, rest = rest.partition("{")
        literals.append(literal)
        if brace:
            expression, closing, rest = rest.partition("}")
            if not closing or "{" in expression:
                return False
            if expression[:1] in _OPERATORS:
                expression = expression[1:]
            if not all(_VARSPEC.fullmatch(spec) for spec in expression.split(",")):
                return False
    return all(_fits(literal, _TEMPLATE_LITERAL, iri=True, private=True) for literal in literals)


# --- IDNA 2008 (RFC 5890-5893) ---------------------------------------------------------------


def _ranges(text: str) -> tuple[list[int], list[int]]:
    """Parse "41-5A 61" (hex code points and ranges) into sorted starts and ends for bisect."""
    starts: list[int] = []
    ends: list[int] = []
    for item in text.split():
        first, _, last = item.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
    return starts, ends


def _in(table: tuple[list[int], list[int]], char: str) -> bool:
    """Is `char` in the ranges of `table`?"""
    code = ord(char)
    index = bisect_right(table[0], code) - 1
    return index >= 0 and code <= table[1][index]


# RFC 5892 §2.6, Exceptions (F): PVALID, CONTEXTO, or DISALLOWED whatever the other rules say.
_EXCEPTIONS = {
    **dict.fromkeys("\xdf\u03c2\u06fd\u06fe\u0f0b\u3007", "PVALID"),
    **dict.fromkeys("\xb7\u0375\u05f3\u05f4\u30fb", "CONTEXTO"),
    **dict.fromkeys("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "CONTEXTO"),
    **dict.fromkeys("\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", "CONTEXTO"),
    **dict.fromkeys("\u0640\u07fa\u302e\u302f\u3031\u3032\u3033\u3034\u3035\u303b", "DISALLOWED"),
}
# Default_Ignorable_Code_Point (RFC 5892 §2.3, IgnorableProperties): White_Space and
# Noncharacter_Code_Point are never letters, digits or marks, so rule §2.1 excludes them.
_DEFAULT_IGNORABLE = _ranges(
    "AD 34F 61C 115F-1160 17B4-17B5 180B-180F 200B-200F 202A-202E 2060-206F 3164 FE00-FE0F "
    "FEFF FFA0 FFF0-FFF8 1BCA0-1BCA3 1D173-1D17A E0000-E0FFF"
)
# IgnorableBlocks (§2.4): Combining Diacritical Marks for Symbols, Musical Symbols, Ancient
# Greek Musical Notation; OldHangulJamo (§2.9): Hangul Jamo, Jamo Extended-A and -B.
_DISALLOWED_BLOCKS = _ranges("1100-11FF 20D0-20FF A960-A97F D7B0-D7FF 1D100-1D1FF 1D200-1D24F")
_LETTER_DIGITS = frozenset(("Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"))
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")

# Scripts.txt (Unicode 17.0), the scripts the CONTEXTO rules of RFC 5892 Appendix A name.
_GREEK = _ranges(
    "370-373 375-377 37A-37D 37F 384 386 388-38A 38C 38E-3A1 3A3-3E1 3F0-3FF 1D26-1D2A "
    "1D5D-1D61 1D66-1D6A 1DBF 1F00-1F15 1F18-1F1D 1F20-1F45 1F48-1F4D 1F50-1F57 1F59 1F5B "
    "1F5D 1F5F-1F7D 1F80-1FB4 1FB6-1FC4 1FC6-1FD3 1FD6-1FDB 1FDD-1FEF 1FF2-1FF4 1FF6-1FFE "
    "2126 AB65 10140-1018E 101A0 1D200-1D245"
)
_HEBREW = _ranges("591-5C7 5D0-5EA 5EF-5F4 FB1D-FB36 FB38-FB3C FB3E FB40-FB41 FB43-FB44 FB46-FB4F")
_HIRAGANA_KATAKANA_HAN = _ranges(
    "2E80-2E99 2E9B-2EF3 2F00-2FD5 3005 3007 3021-3029 3038-303B 3041-3096 309D-309F "
    "30A1-30FA 30FD-30FF 31F0-31FF 32D0-32FE 3300-3357 3400-4DBF 4E00-9FFF F900-FA6D "
    "FA70-FAD9 FF66-FF6F FF71-FF9D 16FE2-16FE3 16FF0-16FF6 1AFF0-1AFF3 1AFF5-1AFFB "
    "1AFFD-1AFFE 1B000-1B122 1B132 1B150-1B152 1B155 1B164-1B167 1F200 20000-2A6DF "
    "2A700-2B81D 2B820-2CEAD 2CEB0-2EBE0 2EBF0-2EE5D 2F800-2FA1D 30000-3134A 31350-33479"
)
# DerivedJoiningType.txt (Unicode 17.0): Joining_Type L or D, and R or D. Transparent (T)
# is General_Category Mn, Me or Cf, except the few listed here as other types or as T.
_JOINING_L_OR_D = _ranges(
    "620 626 628 62A-62E 633-63F 641-647 649-64A 66E-66F 678-687 69A-6BF 6C1-6C2 6CC 6CE "
    "6D0-6D1 6FA-6FC 6FF 712-714 71A-71D 71F-727 729 72B 72D-72E 74E-758 75C-76A 76D-770 772 "
    "775-777 77A-77F 7CA-7EA 841-845 848 84A-853 855 860 862-865 868 886 889-88D 88F 8A0-8A9 "
    "8AF-8B0 8B3-8B8 8BA-8C8 1807 1820-1878 1887-18A8 18AA A840-A872 10AC0-10AC4 10ACD "
    "10AD3-10ADC 10ADE-10AE0 10AEB-10AEE 10B80 10B82 10B86-10B88 10B8A-10B8B 10B8D 10B90 "
    "10BAD-10BAE 10D00-10D21 10D23 10EC3-10EC4 10EC6-10EC7 10F30-10F32 10F34-10F44 "
    "10F51-10F53 10F70-10F73 10F76-10F81 10FB0 10FB2-10FB3 10FB8 10FBB-10FBC 10FBE-10FBF "
    "10FC1 10FC4 10FCA-10FCB 1E900-1E943"
)
_JOINING_R_OR_D = _ranges(
    "620 622-63F 641-64A 66E-66F 671-673 675-6D3 6D5 6EE-6EF 6FA-6FC 6FF 710 712-72F 74D-77F "
    "7CA-7EA 840-858 860 862-865 867-86A 870-882 886 889-88F 8A0-8AC 8AE-8C8 1807 1820-1878 "
    "1887-18A8 18AA A840-A871 10AC0-10AC5 10AC7 10AC9-10ACA 10ACE-10AD6 10AD8-10AE1 10AE4 "
    "10AEB-10AEF 10B80-10B91 10BA9-10BAE 10D01-10D23 10EC2-10EC4 10EC6-10EC7 10F30-10F44 "
    "10F51-10F54 10F70-10F81 10FB0 10FB2-10FB6 10FB8-10FBF 10FC1-10FC4 10FC9-10FCA "
    "1E900-1E943"
)
_NOT_TRANSPARENT = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u0890\u0891\u08e2\u1734\u180e\u200c\u200d"
    "\u2066\u2067\u2068\u2069\U000110bd\U000110cd\U0001171e"
)
_ALSO_TRANSPARENT = frozenset("\U0001e94b")
_VIRAMA = 9  # Canonical_Combining_Class of a virama
_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")  # RFC 3490 §3.1 label separators


@lru_cache(maxsize=4096)
def _idna_property(char: str) -> str:
    """RFC 5892 §3 derived property: PVALID, CONTEXTJ, CONTEXTO or DISALLOWED (or unassigned)."""
    if char in _EXCEPTIONS:
        return _EXCEPTIONS[char]
    category = unicodedata.category(char)
    if category == "Cn":
        return "DISALLOWED"  # UNASSIGNED, as invalid in a label as DISALLOWED
    if char in _LDH:
        return "PVALID"
    if char in "\u200c\u200d":
        return "CONTEXTJ"
    stable = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())
    if stable != char or _in(_DEFAULT_IGNORABLE, char) or _in(_DISALLOWED_BLOCKS, char):
        return "DISALLOWED"
    return "PVALID" if category in _LETTER_DIGITS else "DISALLOWED"


def _transparent(char: str) -> bool:
    """Joining_Type T: marks and format characters, with their listed exceptions."""
    if char in _ALSO_TRANSPARENT:
        return True
    return unicodedata.category(char) in ("Mn", "Me", "Cf") and char not in _NOT_TRANSPARENT


def _zwnj_ok(label: str, index: int) -> bool:
    """RFC 5892 A.1: after a virama, or within (L|D) T* ZWNJ T* (R|D)."""
    if index > 0 and unicodedata.combining(label[index - 1]) == _VIRAMA:
        return True
    before = index - 1
    while before >= 0 and _transparent(label[before]):
        before -= 1
    after = index + 1
    while after < len(label) and _transparent(label[after]):
        after += 1
    return (
        before >= 0
        and _in(_JOINING_L_OR_D, label[before])
        and after < len(label)
        and _in(_JOINING_R_OR_D, label[after])
    )


def _context_ok(label: str, index: int) -> bool:
    """The CONTEXTJ and CONTEXTO rules of RFC 5892 Appendix A for label[index]."""
    char = label[index]
    before = label[index - 1] if index > 0 else ""
    after = label[index + 1 : index + 2]
    if char == "\u200c":
        return _zwnj_ok(label, index)
    if char == "\u200d":  # ZERO WIDTH JOINER
        return before != "" and unicodedata.combining(before) == _VIRAMA
    if char == "\xb7":  # MIDDLE DOT
        return before == after == "l"
    if char == "\u0375":  # GREEK LOWER NUMERAL SIGN (KERAIA)
        return after != "" and _in(_GREEK, after)
    if char in "\u05f3\u05f4":  # HEBREW PUNCTUATION GERESH and GERSHAYIM
        return before != "" and _in(_HEBREW, before)
    if char == "\u30fb":  # KATAKANA MIDDLE DOT
        return any(_in(_HIRAGANA_KATAKANA_HAN, other) for other in label)
    if "\u0660" <= char <= "\u0669":  # ARABIC-INDIC DIGITS
        return not any("\u06f0" <= other <= "\u06f9" for other in label)
    return not any("\u0660" <= other <= "\u0669" for other in label)  # EXTENDED ARABIC-INDIC


def _is_u_label(label: str) -> bool:
    """RFC 5891 §4.2.3 and §5.4 on a non-ASCII label: NFC, hyphens, marks, code points."""
    if not label or not unicodedata.is_normalized("NFC", label):
        return False
    if label[0] == "-" or label[-1] == "-" or label[2:4] == "--":
        return False
    if unicodedata.category(label[0]).startswith("M"):
        return False
    for index, char in enumerate(label):
        kind = _idna_property(char)
        if kind == "DISALLOWED" or (kind != "PVALID" and not _context_ok(label, index)):
            return False
    return True


def _to_a_label(label: str) -> str:
    """The A-label of a U-label (RFC 3492 Punycode behind "xn--")."""
    return "xn--" + label.encode("punycode").decode("ascii")


def _from_a_label(label: str) -> str | None:
    """The U-label an A-label stands for (RFC 5891 §5.3-5.5: read in lowercase), or None
    unless it is a valid U-label that encodes back to the same A-label."""
    label = label.lower()
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError, OverflowError):
        return None
    if decoded.isascii() or _to_a_label(decoded) != label or not _is_u_label(decoded):
        return None
    return decoded


_BIDI_RTL = frozenset(("R", "AL", "AN"))
_BIDI_RTL_ALLOWED = frozenset(("R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"))
_BIDI_LTR_ALLOWED = frozenset(("L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"))


def _bidi_label_ok(label: str) -> bool:
    """RFC 5893 §2, the Bidi rule's six conditions, for one label."""
    classes = [unicodedata.bidirectional(char) for char in label]
    last = next((kind for kind in reversed(classes) if kind != "NSM"), "")
    if classes[0] in ("R", "AL"):
        return (
            _BIDI_RTL_ALLOWED.issuperset(classes)
            and last in ("R", "AL", "EN", "AN")
            and not ("EN" in classes and "AN" in classes)
        )
    return classes[0] == "L" and _BIDI_LTR_ALLOWED.issuperset(classes) and last in ("L", "EN")


def _bidi_ok(labels: list[str]) -> bool:
    """RFC 5893 §1.4, §2: in a name with a right-to-left label, every label keeps the rule."""
    if not any(unicodedata.bidirectional(char) in _BIDI_RTL for label in labels for char in label):
        return True
    return all(_bidi_label_ok(label) for label in labels)


def _is_ldh_label(label: str) -> bool:
    """RFC 1123 §2.1 label: 1-63 ASCII letters, digits, hyphens; no hyphen at either end."""
    return (
        0 < len(label) <= 63
        and label.isascii()
        and label.replace("-", "").isalnum()
        and label[0] != "-"
        and label[-1] != "-"
    )


def _is_hostname(value: str) -> bool:
    """RFC 1123 host name, with every "xn--" label a valid IDNA 2008 A-label."""
    if len(value) > 253:
        return False
    labels = value.split(".")
    if not all(_is_ldh_label(label) for label in labels):
        return False
    unicode_labels: list[str] = []
    for label in labels:
        if label[:4].lower() == "xn--":
            decoded = _from_a_label(label)
            if decoded is None:
                return False
            label = decoded
        unicode_labels.append(label)
    return _bidi_ok(unicode_labels)


def _is_idn_hostname(value: str) -> bool:
    """RFC 5890-5893 internationalized host name: LDH labels, A-labels and U-labels."""
    if len(value) > 253:  # the A-label form is never shorter than the Unicode form
        return False
    ascii_length = -1
    unicode_labels: list[str] = []
    for label in _SEPARATORS.split(value):
        if label.isascii():
            if not _is_ldh_label(label):
                return False
            ascii_length += len(label) + 1
            if label[:4].lower() == "xn--":
                decoded = _from_a_label(label)
                if decoded is None:
                    return False
                label = decoded
        else:
            if len(label) > 63 or not _is_u_label(label):
                return False
            a_label_length = len(_to_a_label(label))
            if a_label_length > 63:
                return False
            ascii_length += a_label_length + 1
        unicode_labels.append(label)
    return ascii_length <= 253 and _bidi_ok(unicode_labels)


# --- E-mail addresses (RFC 5321 §4.1.2, RFC 6531 §3.3) ------------------------------------

_ATEXT = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
)
_PRINTABLE = frozenset(map(chr, range(32, 127)))
_QTEXT = _PRINTABLE - {'"', "\\"}


def _local_char(char: str, ascii_allowed: frozenset[str], international: bool) -> bool:
    """Is `char` in `ascii_allowed`, or (RFC 6532 §3.1 UTF8-non-ascii) any non-ASCII
    code point but a surrogate when `international`?"""
    if char in ascii_allowed:
        return True
    return international and char >= "\x80" and not "\ud800" <= char <= "\udfff"


def _is_local_part(local: str, international: bool) -> bool:
    """RFC 5321 Local-part: a dot-string of atoms, or a quoted string."""
    if len(local.encode("utf-8", "surrogatepass")) > 64:
        return False
    if len(local) >= 2 and local[0] == local[-1] == '"':
        body, index = local[1:-1], 0
        while index < len(body):
            if body[index] == "\\":  # quoted-pairSMTP: a backslash and any printable character
                index += 1
                if index == len(body) or body[index] not in _PRINTABLE:
                    return False
            elif not _local_char(body[index], _QTEXT, international):
                return False
            index += 1
        return True
    return all(
        atom and all(_local_char(char, _ATEXT, international) for char in atom)
        for atom in local.split(".")
    )


def _is_mailbox(value: str, international: bool) -> bool:
    """RFC 5321 Mailbox: Local-part "@" (Domain / address-literal), at most 254 octets
    (§4.5.3.1.3: a path is at most 256 octets, angle brackets included)."""
    if len(value.encode("utf-8", "surrogatepass")) > 254:
        return False
    local, at, domain = value.rpartition("@")
    if not at or not _is_local_part(local, international):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _is_ipv6(literal[5:])
        return _is_ipv4(literal)  # General-address-literal: no other tag is registered
    if international:  # RFC 6532 §3.1: NFC is recommended, not required
        return _is_idn_hostname(unicodedata.normalize("NFC", domain))
    return _is_hostname(domain)


def _is_email(value: str) -> bool:
    """RFC 5321 Mailbox in ASCII."""
    return _is_mailbox(value, international=False)


def _is_idn_email(value: str) -> bool:
    """RFC 6531 Mailbox: non-ASCII allowed in the local part and as U-labels in the domain."""
    return _is_mailbox(value, international=True)


# --- Identifiers and pointers -----------------------------------------------------------------

_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_BAD_TILDE = re.compile(r"~(?![01])")
_RELATIVE_PREFIX = re.compile(r"(?:0|[1-9][0-9]*)(?:[+-][1-9][0-9]*)?")


def _is_uuid(value: str) -> bool:
    """RFC 4122 §3 string form: 8-4-4-4-12 hex digits, any case, version and variant."""
    return _UUID.fullmatch(value) is not None


def _is_json_pointer(value: str) -> bool:
    """RFC 6901: empty, or "/"-prefixed reference tokens where "~" is always "~0" or "~1"."""
    return value == "" or (value[0] == "/" and _BAD_TILDE.search(value) is None)


def _is_relative_json_pointer(value: str) -> bool:
    """A non-negative integer, an optional index manipulation, then "#" or a JSON pointer."""
    match = _RELATIVE_PREFIX.match(value)
    if match is None:
        return False
    rest = value[match.end() :]
    return rest == "#" or _is_json_pointer(rest)


def _is_regex(value: str) -> bool:
    """An ECMA-262 regular expression."""
    # Imported on first use so the other formats work wherever ``ecma`` cannot be imported.
    from .ecma import is_valid as _regex_is_valid

    return _regex_is_valid(value)


#: Every format name this module can assert, mapped to its checker.
CHECKERS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "duration": _is_duration,
    "email": _is_email,
    "idn-email": _is_idn_email,
    "hostname": _is_hostname,
    "idn-hostname": _is_idn_hostname,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "uri": _is_uri,
    "uri-reference": _is_uri_reference,
    "iri": _is_iri,
    "iri-reference": _is_iri_reference,
    "uri-template": _is_uri_template,
    "uuid": _is_uuid,
    "json-pointer": _is_json_pointer,
    "relative-json-pointer": _is_relative_json_pointer,
    "regex": _is_regex,
}


def check(format_name: str, value: object) -> bool:
    """Does `value` conform to `format_name`? Non-strings always conform (formats apply to strings);
    unknown format names always conform (the spec says unknown formats are ignored)."""
    if not isinstance(value, str):
        return True
    checker = CHECKERS.get(format_name)
    return checker is None or checker(value)
