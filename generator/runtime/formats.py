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

Host names are checked by the sibling module ``hostnames``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from .hostnames import is_hostname, is_idn_hostname

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
        return is_idn_hostname(unicodedata.normalize("NFC", domain))
    return is_hostname(domain)


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
    "hostname": is_hostname,
    "idn-hostname": is_idn_hostname,
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
