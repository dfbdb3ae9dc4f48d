"""Host names for the ``hostname`` and ``idn-hostname`` formats: RFC 1123 labels, and
IDNA 2008 (RFC 5890-5893) for internationalised ones.

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
from functools import lru_cache

__all__ = ["is_hostname", "is_idn_hostname"]


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


def is_hostname(value: str) -> bool:
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


def is_idn_hostname(value: str) -> bool:
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
