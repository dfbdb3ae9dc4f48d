"""ECMA-262 (u flag) regular expressions translated into Python's re: generator/runtime/ecma.py.

Unit tests of each rule, the official JSON-Schema-Test-Suite's regex cases (from
``../shared/jsts``), and property tests: on any text ``translate`` returns ASCII that
``re`` compiles or raises RegexError, quickly.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rtschema.runtime import ecma
from rtschema.runtime.ecma import RegexError, is_valid, translate

SUITE = Path(__file__).resolve().parents[2] / "shared" / "jsts"
SUITE_FILES = [
    "pattern.json",
    "patternProperties.json",
    "optional/ecmascript-regex.json",
    "optional/non-bmp-regex.json",
    "optional/format/ecmascript-regex.json",
    "optional/format/regex.json",
]
ECMA_SPACES = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
ECMA_SPACES += "\u2028\u2029\u202f\u205f\u3000\ufeff"


def search(pattern: str, text: str) -> bool:
    return re.compile(translate(pattern)).search(text) is not None


def error(pattern: str) -> str:
    with pytest.raises(RegexError) as caught:
        translate(pattern)
    assert not is_valid(pattern)
    return str(caught.value)


# --------------------------------------------------------------------------- meaning

MATCHES = [
    # \d \D \w \W: ASCII only
    ("^\\d$", "7", True),
    ("^\\d$", "٣", False),
    ("^\\D$", "٣", True),
    ("^\\D$", "7", False),
    ("^\\w$", "_", True),
    ("^\\w$", "é", False),
    ("^\\w$", "K", True),
    ("^\\w$", "\u212a", False),  # KELVIN SIGN: not a word character, with or without i
    ("^\\W$", "é", True),
    ("^\\W$", "a", False),
    # \s \S: WhiteSpace and LineTerminator, nothing else
    ("^\\s$", "\u0085", False),
    ("^\\s$", "\u180e", False),
    ("^\\s$", "\u200b", False),
    ("^\\s$", "\x1c", False),  # a Python \s, not an ECMA-262 one
    ("^\\S$", "\x1c", True),
    ("^\\S$", "\ufeff", False),
    # inside classes
    ("^[\\d\\s-]+$", "1 -\u3000", True),
    ("^[\\d\\s-]$", "a", False),
    ("^[\\d\\s-]$", "٣", False),
    ("^[^\\w]$", "é", True),
    ("^[^\\w]$", "a", False),
    ("^[^\\d\\s]$", "a", True),
    ("^[^\\d\\s]$", "\u2028", False),
    ("^[\\W]$", "_", False),
    ("^[\\S]$", "\u00a0", False),
    ("^[\\b]$", "\b", True),
    ("^[\\-]$", "-", True),
    ("^[a-]$", "-", True),
    ("^[-a]$", "-", True),
    ("^[a-c-e]$", "-", True),
    ("^[a-c-e]$", "d", False),
    ("^[--a]$", "Z", True),
    ("^[[]$", "[", True),
    ("^[\\]]$", "]", True),
    ("^[\\cA-\\cZ]$", "\x05", True),
    ("^[\\0]$", "\x00", True),
    ("^[\\u{1F432}-\\u{1F436}]$", "🐴", True),
    # \b \B with ASCII word characters
    ("\\bé", "é", False),
    ("a\\b", "aé", True),
    ("\\bfoo\\b", "a foo.", True),
    ("\\bfoo\\b", "afoo", False),
    ("^\\B$", "", True),
    ("é\\Bé", "éé", True),
    ("a\\Bb", "ab", True),
    ("a\\B", "a ", False),
    # . is anything but a line terminator, one code point
    ("^.$", "\n", False),
    ("^.$", "\r", False),
    ("^.$", "\u2028", False),
    ("^.$", "\u2029", False),
    ("^.$", "\u0085", True),
    ("^.$", "🐲", True),
    ("^.$", "\ud83d", True),
    # ^ and $ at the very start and end only
    ("^abc$", "abc\n", False),
    ("^abc$", "abc", True),
    ("a$", "a\nb", False),
    ("^b", "a\nb", False),
    # character escapes
    ("^\\t$", "\t", True),
    ("^\\t$", "\\t", False),
    ("^\\n\\r\\v\\f$", "\n\r\v\f", True),
    ("^\\cC$", "\x03", True),
    ("^\\cc$", "\x03", True),
    ("^\\cJ$", "\n", True),
    ("^\\0$", "\x00", True),
    ("^\\0a$", "\x00a", True),
    ("^\\0٣$", "\x00٣", True),
    ("^\\x41$", "A", True),
    ("^\\x4a$", "J", True),
    ("^\\u00e9$", "é", True),
    ("^\\u{1F432}$", "🐲", True),
    ("^\\u{000000041}$", "A", True),
    ("^\\ud83d\\udc32$", "🐲", True),
    ("^[\\ud83d\\udc32]$", "🐲", True),
    ("^\\ud83d$", "\ud83d", True),
    ("^\\ud83d\\u0041$", "\ud83dA", True),
    ("^\\/$", "/", True),
    *((f"^\\{c}$", c, True) for c in "^$\\.*+?()[]{}|/"),
    # literal characters, including what is special in Python only
    ("^🐲*$", "🐲🐲", True),
    ("^🐲*$", "🐉", False),
    ("^a b#c-d&e~f'g\"h<i>j!k=l:m,n@o%p`q$", "a b#c-d&e~f'g\"h<i>j!k=l:m,n@o%p`q", True),
    ("^\n$", "\n", True),
    ("^\x00$", "\x00", True),
    ("^\u2028$", "\u2028", True),
    ("^é$", "é", True),
    ("^é$", "e\u0301", False),
    # [] and [^]
    ("[]", "a", False),
    ("[]", "", False),
    ("a[]|b", "b", True),
    ("^[^]$", "\n", True),
    ("^[^]+$", "\r\u2028🐲", True),
    # groups, alternation, quantifiers
    ("^(?:ab)+$", "abab", True),
    ("^(?:ab)+$", "aba", False),
    ("^(a|bc)$", "bc", True),
    ("^a{2}$", "aa", True),
    ("^a{2}$", "aaa", False),
    ("^a{2,}$", "aaaa", True),
    ("^a{2,}$", "a", False),
    ("^a{2,3}$", "aaaa", False),
    ("^a{0,1}b{1,2}?$", "bb", True),
    ("^a{0}$", "", True),
    ("^a{02}$", "aa", True),
    ("^a{0,99999999999}$", "aaa", True),
    ("^$|a", "", True),
    ("a|", "b", True),
    ("^(?:)$", "", True),
    ("^()$", "", True),
    # named groups and back-references
    ("^(?<n>a)\\k<n>$", "aa", True),
    ("^(?<n>a)\\k<n>$", "ab", False),
    ("^(?<$x_1>a)\\k<$x_1>$", "aa", True),
    ("^(?<é>a)\\k<é>$", "aa", True),
    ("^(?<\\u0061b>a)\\k<ab>$", "aa", True),
    ("^(a)\\1$", "aa", True),
    ("^(a)\\1$", "a", False),
    ("^(?:(a)|b)\\1$", "b", True),  # a group that did not take part matches ""
    ("^\\1(a)$", "a", True),  # a group that cannot have matched yet matches ""
    ("^(a\\1)$", "a", True),
    ("^(?!(a)b)\\1a$", "a", True),  # groups in a negative look-ahead stay undefined
    ("^(?<!(a)b)\\1c", "c", True),
    ("^(?=(a))\\1$", "a", True),
    ("^(?:(a)|b)(?:\\1c)?$", "ac", False),
    ("^(?:(a)|b)(?:\\1c)?$", "aac", True),
    # look-arounds
    ("a(?=b)", "ab", True),
    ("a(?=b)", "ac", False),
    ("a(?!b)", "ac", True),
    ("a(?!b)", "ab", False),
    ("(?<=a)b", "ab", True),
    ("(?<=a)b", "cb", False),
    ("(?<!a)b", "cb", True),
    ("(?<!a)b", "ab", False),
    ("(?<=\\d{3})x", "123x", True),
    ("(?<=\\d{3})x", "12x", False),
    ("(?<=(a)(b))c", "abc", True),
    # look-behinds of variable width that Python can still express
    ("(?<=a+)b", "aab", True),
    ("(?<=a+)b", "b", False),
    ("(?<=a*)b", "b", True),
    ("(?<=\\d{1,3})x", "1x", True),
    ("(?<=\\d{2,3})x", "1x", False),
    ("(?<=(?:ab|cd)+x)y", "abcdxy", True),
    ("(?<=(?:ab|cd)+x)y", "bxy", False),
    ("(?<=a|bc)d", "bcd", True),
    ("(?<=a|bc)d", "cd", False),
    ("(?<!a|bc)d", "bcd", False),
    ("(?<!a|bc)d", "xd", True),
    ("(?<!a+)b", "aab", False),
    ("(?<!a|b+c)x", "bbcx", False),
    ("(?<!a|b+c)x", "cx", True),
    ("(?<=a{0,2}b?)c", "c", True),
    # Unicode properties
    ("^\\p{L}+$", "héllo", True),
    ("^\\p{Letter}+$", "π", True),
    ("^\\p{Letter}+$", "123", False),
    ("^\\p{Lu}$", "É", True),
    ("^\\p{Lu}$", "é", False),
    ("^\\p{Uppercase_Letter}$", "Σ", True),
    ("^\\p{digit}+$", "৪২", True),
    ("^\\p{digit}+$", "-%#", False),
    ("^\\p{Nd}$", "a", False),
    ("^\\p{Decimal_Number}$", "٣", True),
    ("^\\p{gc=Lu}$", "A", True),
    ("^\\p{General_Category=Letter}$", "x", True),
    ("^\\p{General_Category=digit}$", "x", False),
    ("^\\p{LC}$", "a", True),
    ("^\\p{Cased_Letter}$", "ʰ", False),
    ("^\\p{punct}$", "!", True),
    ("^\\p{Zs}$", "\u00a0", True),
    ("^\\p{Cn}$", "\u0378", True),
    ("^\\p{Cs}$", "\ud800", True),
    ("^\\p{C}$", "\x00", True),
    ("^\\P{L}$", "1", True),
    ("^\\P{L}$", "a", False),
    ("^[\\P{L}]$", "a", False),
    ("^[^\\p{L}]$", "1", True),
    ("^[^\\P{L}]$", "a", True),
    ("^[\\p{Lu}\\d]+$", "A1", True),
    ("^\\p{Any}$", "\n", True),
    ("^\\p{ASCII}$", "é", False),
    ("^\\p{ASCII}$", "\x7f", True),
    ("^\\p{Assigned}$", "\u0378", False),
    ("^\\P{Assigned}$", "\u0378", True),
    ("^\\p{White_Space}$", "\u0085", True),
    ("^\\p{space}$", "\ufeff", False),
    ("^\\p{Hex}$", "Ｆ", True),
    ("^\\p{AHex}$", "Ｆ", False),
    ("^\\p{NChar}$", "\U0010ffff", True),
    ("^\\p{RI}$", "🇫", True),
    ("^\\p{Join_C}$", "\u200d", True),
    ("^\\p{Pat_WS}$", "\u200e", True),
    # case-sensitive: no flags
    ("\\p{Letter}cole", "L'ÉCOLE", False),
    ("abc", "ABC", False),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), MATCHES)
def test_meaning(pattern: str, text: str, expected: bool) -> None:
    assert search(pattern, text) is expected, translate(pattern)


@pytest.mark.parametrize("char", ECMA_SPACES)
def test_every_ecma_space_is_s_and_not_S(char: str) -> None:
    assert search("^\\s$", char)
    assert search("^[\\s]$", char)
    assert not search("^\\S$", char)
    assert not search("^[^\\s]$", char)


def test_every_space_python_knows_but_ecma_does_not() -> None:
    python_only = [chr(c) for c in range(0x3000 + 1) if re.match(r"\s", chr(c))]
    python_only = [c for c in python_only if c not in ECMA_SPACES]
    assert python_only  # \x1c-\x1f and \x85 at least
    for char in python_only:
        assert not search("\\s", char), hex(ord(char))


def test_lazy_and_greedy_quantifiers_find_the_same_matches_as_ecma() -> None:
    def found(pattern: str, text: str) -> str | None:
        m = re.compile(translate(pattern)).search(text)
        return None if m is None else m.group()

    assert found("a+?", "aaa") == "a"
    assert found("a+", "aaa") == "aaa"
    assert found("a{2,3}?", "aaaa") == "aa"
    assert found("a??b", "ab") == "ab"
    assert found("(?:a|ab)c", "abc") == "abc"


def test_groups_keep_their_numbers_and_names() -> None:
    m = re.compile(translate("(?<year>\\d{4})-(\\d{2})(?:-(?<day>\\d{2}))?")).search("2024-05-17")
    assert m is not None
    assert m.groups() == ("2024", "05", "17")
    assert m.group("year") == "2024"
    assert m.group("day") == "17"


def test_back_references_past_ninety_nine_groups() -> None:
    pattern = "^" + "(a)" * 120 + "\\110b\\k<x>(?<x>c)$"
    assert search(pattern, "a" * 120 + "abc")
    assert not search(pattern, "a" * 120 + "b" + "c")
    assert search("(?<_g110>x)" + "(a)" * 120 + "\\121", "x" + "a" * 121)


# --------------------------------------------------------------------------- the output


def test_translations_read_as_expected() -> None:
    assert translate("^abc$") == "^abc\\Z"
    assert translate("\\d+") == "[0-9]+"
    assert translate("[^\\w]") == "[^0-9A-Z_a-z]"
    assert translate(".") == "[^\\x0a\\x0d\\u2028\\u2029]"
    assert translate("(?<name>x)\\k<name>") == "(?P<name>x)(?(name)(?P=name))"
    assert translate("(a)\\1") == "(a)(?(1)\\1)"
    assert translate("a{2,}?b{3}c{1,2}") == "a{2,}?b{3}c{1,2}"
    assert translate("[]") == "[^\\x00-\\U0010ffff]"
    assert translate("[^]") == "[\\x00-\\U0010ffff]"
    assert translate("(?<=a+)b") == "(?<=a)b"
    assert translate("(?<=a|bc)d") == "(?:(?<=a)|(?<=bc))d"
    assert translate("(?<!a|bc)d") == "(?<!a)(?<!bc)d"
    assert translate("a b#") == "a\\x20b\\#"
    assert translate("🐲\n") == "\\U0001f432\\x0a"


TRICKY = [
    "\x00\x01\x1f\x7f\x80\x85\u2028\u2029\ufeff",
    "[\x00-\x1f\u2028]",
    "é🐲\ud83d\udc00",
    "\\p{L}\\P{Cn}[\\p{Lu}\\s]",
    "# comment-like\n  spaces",
    "[#-~]{2}",
    "(?<$é>a)\\k<$é>",
]


@pytest.mark.parametrize("pattern", TRICKY)
def test_output_is_printable_ascii(pattern: str) -> None:
    out = translate(pattern)
    assert out.isascii()
    assert all(0x20 <= ord(c) < 0x7F for c in out), out
    re.compile(out)


def test_output_is_deterministic_across_processes() -> None:
    patterns = ["[\\p{L}\\d\\s-]", "(?<=a|bc)(?<n>x)\\k<n>", "[^\\P{Lu}\\w]", "\\p{Assigned}"]
    code = (
        "import json, sys\nfrom rtschema.runtime.ecma import translate\n"
        "print(json.dumps([translate(p) for p in json.loads(sys.argv[1])]))"
    )
    root = Path(__file__).resolve().parents[1]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code, json.dumps(patterns)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1] == [translate(p) for p in patterns]


def test_the_runtime_modules_use_the_standard_library_only() -> None:
    """They are shipped inside generated packages: the standard library and each other
    only (relative imports)."""
    folder = Path(ecma.__file__).parent
    siblings = {path.stem for path in folder.glob("*.py")}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        imported = {
            alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names
        }
        imported |= {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and n.level == 0
        }
        relative = {
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0
        }
        assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {
            "__future__"
        }, path
        assert relative <= siblings, path


# --------------------------------------------------------------------------- what is rejected

REJECTED = [
    # Python-only syntax
    ("(?P<name>x)", "invalid group '(?P' at offset 0 (Python's named groups are not ECMA-262)"),
    ("(?P<n>a)(?P=n)", "at offset 0"),
    ("(?#comment)a", "(comments are not ECMA-262)"),
    ("(?i)abc", "invalid group '(?i' at offset 0 (inline flags are not ECMA-262)"),
    ("(?ims)abc", "inline flags"),
    ("a(?i:b)", "inline flags"),
    ("(?-i:b)", "inline flags"),
    ("(?>a)", "atomic groups"),
    ("a*+", "quantifier '+' has nothing to repeat at offset 2"),
    ("a++", "nothing to repeat"),
    ("a?+", "nothing to repeat"),
    ("a{2}+", "nothing to repeat"),
    ("ab\\Z", "invalid escape '\\Z' at offset 2"),
    ("\\A", "invalid escape '\\A' at offset 0"),
    ("\\z", "invalid escape"),
    # identity escapes of anything but syntax characters
    ("\\a", "invalid escape '\\a'"),
    ("\\e", "invalid escape"),
    ("\\g", "invalid escape"),
    ("\\-", "invalid escape"),
    ("\\ ", "invalid escape"),
    ("\\'", "invalid escape"),
    ("\\é", "invalid escape"),
    ("[\\a]", "in a character class"),
    ("[\\B]", "in a character class"),
    ("[\\1]", "in a character class"),
    ("[\\k<a>](?<a>x)", "in a character class"),
    # malformed escapes
    ("\\c", "\\c must be followed by a letter at offset 0"),
    ("\\c1", "\\c must be followed by a letter"),
    ("[\\c_]", "\\c must be followed by a letter"),
    ("\\x1", "invalid \\x escape"),
    ("\\xg0", "invalid \\x escape"),
    ("\\u12", "invalid \\u escape"),
    ("\\u{}", "invalid \\u escape"),
    ("\\u{110000}", "invalid \\u{...} escape"),
    ("\\u{1F432", "invalid \\u escape"),
    ("\\01", "invalid escape '\\0'"),
    ("\\00", "invalid escape"),
    ("a\\", "lone \\ at the end of the pattern at offset 1"),
    ("[a\\", "lone \\ at the end"),
    # back-references to nothing
    ("\\1", "\\1 names no group at offset 0"),
    ("(a)\\2", "\\2 names no group at offset 3"),
    ("\\8", "names no group"),
    ("(a)\\10", "\\10 names no group at offset 3"),  # not \\1 then 0
    ("\\k<x>", "\\k<x> names no group"),
    ("\\k", "\\k must be followed by <name>"),
    ("\\kx", "\\k must be followed by <name>"),
    ("(?<a>x)\\k<b>", "names no group"),
    # lone brackets and braces
    ("{", "lone '{' (write \\{) at offset 0"),
    ("a{", "lone '{'"),
    ("a{1", "lone '{'"),
    ("a{,2}", "lone '{'"),
    ("a{1,2", "lone '{'"),
    ("}", "lone '}' (write \\}) at offset 0"),
    ("]", "lone ']'"),
    ("a]", "lone ']' (write \\]) at offset 1"),
    # structure
    ("(", "unterminated group at offset 0"),
    ("a(b(c)", "unterminated group at offset 1"),
    (")", "unmatched ')' at offset 0"),
    ("a)", "unmatched ')' at offset 1"),
    ("[a", "unterminated character class at offset 0"),
    ("^(abc]", "lone ']' (write \\]) at offset 5"),
    ("*", "nothing to repeat at offset 0"),
    ("+a", "nothing to repeat"),
    ("a|*", "nothing to repeat at offset 2"),
    ("(*)", "nothing to repeat"),
    ("^*", "nothing to repeat"),
    ("$+", "nothing to repeat"),
    ("\\b*", "nothing to repeat"),
    ("\\B?", "nothing to repeat"),
    ("(?=a)*", "nothing to repeat"),
    ("(?!a){2}", "nothing to repeat"),
    ("(?<=a)?", "nothing to repeat"),
    ("a**", "nothing to repeat"),
    ("a{2,1}", "quantifier numbers out of order at offset 1"),
    ("a{4294967296}", "repetition count too large"),
    ("[z-a]", "character class range out of order at offset 1"),
    ("[\\d-z]", "a character class escape cannot bound a range at offset 1"),
    ("[a-\\d]", "a character class escape cannot bound a range"),
    ("[\\p{L}-z]", "cannot bound a range"),
    ("(?", "invalid group '(?'"),
    ("(?a)", "inline flags"),
    ("(?x", "invalid group '(?x'"),
    ("(?<", "unterminated group name at offset 3"),
    ("(?<a", "unterminated group name"),
    ("(?<>a)", "empty group name"),
    ("(?<1a>a)", "invalid character '1' in group name at offset 3"),
    ("(?<a-b>a)", "invalid character '-' in group name"),
    ("(?<a\\x41>a)", "invalid escape in group name"),
    ("(?<n>a)(?<n>b)", "duplicate group name 'n' at offset 7"),
    ("(?<n>a)|(?<n>b)", "duplicate group name"),
    # Unicode properties
    ("a\\p{Script=Greek}", "unsupported Unicode property \\p{Script=Greek} at offset 1"),
    ("\\p{sc=Grek}", "unsupported Unicode property"),
    ("\\P{Script_Extensions=Latin}", "unsupported Unicode property"),
    ("[\\p{scx=Latn}]", "unsupported Unicode property"),
    ("\\p{Emoji}", "unknown or unsupported Unicode property \\p{Emoji} at offset 0"),
    ("\\p{Alphabetic}", "unknown or unsupported"),
    ("\\p{Lowercase}", "unknown or unsupported"),
    ("\\p{Foo}", "unknown or unsupported"),
    ("\\p{letter}", "unknown or unsupported"),
    ("\\p{lu}", "unknown or unsupported"),
    ("\\p{Digit}", "unknown or unsupported"),
    ("\\p{gc=Any}", "unknown or unsupported"),
    ("\\p{General_Category=Assigned}", "unknown or unsupported"),
    ("\\p{Lu=Lu}", "unknown or unsupported"),
    ("\\p{}", "unknown or unsupported"),
    ("\\p", "\\p must be followed by {property}"),
    ("\\pL", "\\p must be followed by {property}"),
    ("\\P{L", "\\P must be followed by {property}"),
    # look-behinds Python cannot express
    ("(?<=ab*)c", "variable-width lookbehind cannot be expressed in Python's re at offset 0"),
    ("x(?<!a|bc+)", "variable-width lookbehind cannot be expressed in Python's re at offset 1"),
    ("(?<=(a+))b", "variable-width lookbehind"),
    ("(?<=^a*)b", "variable-width lookbehind"),
    ("(a)(?<=\\1)", "back-reference inside a lookbehind cannot be expressed"),
    ("(?<=\\k<n>(?<n>a))", "back-reference inside a lookbehind"),
]


@pytest.mark.parametrize(("pattern", "message"), REJECTED)
def test_rejected(pattern: str, message: str) -> None:
    text = error(pattern)
    assert message in text
    assert "\n" not in text


def test_error_messages_are_one_short_line() -> None:
    text = error("\\p{" + "\n" * 500 + "}")
    assert "\n" not in text
    assert len(text) < 400
    assert "at offset 0" in text


def test_is_valid() -> None:
    assert is_valid("^[a-z]+(?:-[a-z]+)*$")
    assert is_valid("")
    assert is_valid("(?<=a+)b")
    assert not is_valid("^(abc]")
    assert not is_valid("(?<=ab+)c")  # valid ECMA-262, but Python cannot express it


# --------------------------------------------------------------------------- limits


def test_long_patterns() -> None:
    assert translate("a" * ecma.MAX_PATTERN_LENGTH) == "a" * ecma.MAX_PATTERN_LENGTH
    text = error("a" * (ecma.MAX_PATTERN_LENGTH + 1))
    assert text == "pattern longer than 100000 characters at offset 100000"


def test_nesting() -> None:
    deepest = "(" * ecma.MAX_DEPTH + "a" + ")" * ecma.MAX_DEPTH
    assert search(deepest, "a")
    assert "groups nested deeper than 200 at offset 200" in error("(" + deepest + ")")
    assert "nested deeper" in error("(?:" * 30_000)
    assert search("(?<=" * 199 + "a" + ")" * 199 + "b", "ab")


HOSTILE = [
    "(" * 100_000,
    "[" * 100_000,
    "\\" * 99_999,
    "a|" * 49_999 + "a",
    "(a)" * 33_000,
    "(a)" + "\\1" * 49_000,
    "[" + "\\p{L}" * 19_000 + "]",
    "[" + "\\P{L}\\p{Lu}\\p{N}\\p{Cn}\\P{Co}" * 3_000 + "]",
    "\\p{L}" * 20_000,
    "\\u{" + "0" * 99_990 + "41}",
    "a{" + "0" * 99_990 + "1}",
    "\\" + "9" * 99_999,
    "(?<" + "a" * 99_990 + ">x)",
    "(?<=" + "a" * 99_990 + ")",
    "[\\u{1}-\\u{10FFFF}" + "\\d" * 49_000 + "]",
    "(?:a{1000}){1000}" * 5_000,
]


@pytest.mark.parametrize("pattern", HOSTILE, ids=lambda p: repr(p[:24]))
def test_hostile_patterns_are_quick(pattern: str) -> None:
    translate("\\p{L}")  # the first property builds the category table: not timed
    start = time.perf_counter()
    try:
        out = translate(pattern)
    except RegexError as exc:
        assert "\n" not in str(exc)
    else:
        assert out.isascii()
    assert time.perf_counter() - start < 10


# --------------------------------------------------------------------------- property tests

TOKENS = [
    *"()[]{}|*+?.^$\\-,:=!<>/abcAZ019_ #\n&~",
    *["\\u", "\\x", "\\c", "\\p{", "\\P{", "L}", "Lu}", "Script=Greek}", "\\k<", "n>", "{1}"],
    *["{1,2}", "{2,}", "\\0", "\\1", "\\2", "\\b", "\\B", "\\d", "\\W", "\\s", "\\-", "\\/"],
    *["(?<", "(?", "(?<=", "(?<!", "(?:", "(?=", "(?!", "[^", "\\u{", "1F}", "41", "004"],
    *["\\q", "(?P<", "(?i)", "\\Z", "é", "\ud83d", "\udc32", "🐲", "\u2028", "\x00"],
]


def _check_translation(pattern: str) -> None:
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. re's FutureWarning on "[[" or "--" in a class
            out = translate(pattern)
    except RegexError as exc:
        assert "\n" not in str(exc)
        assert not is_valid(pattern)
    else:
        assert out.isascii()
        assert all(0x20 <= ord(c) < 0x7F for c in out)
        re.compile(out)
        assert is_valid(pattern)
    assert time.perf_counter() - start < 5


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_translates_or_raises_regex_error(pattern: str) -> None:
    _check_translation(pattern)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_regex_like_text_translates_or_raises_regex_error(pattern: str) -> None:
    _check_translation(pattern)


ATOMS = ["a", "é", "🐲", ".", "\\d", "\\W", "\\s", "[a-c]", "[^\\d\\s-]", "\\p{L}", "\\P{Nd}"]
ATOMS += ["\\u{1F432}", "\\x41", "\\cJ", "\\0", "\\.", "[]", "[^]", "\\/", "\\n", "\\u2028"]
QUANTIFIERS = ["", "", "*", "+", "?", "{2}", "{1,}", "{0,3}", "*?", "+?", "??", "{1,2}?"]


def _valid_patterns() -> st.SearchStrategy[str]:
    atom = st.builds(lambda a, q: a + q, st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS))
    assertion = st.sampled_from(["^", "$", "\\b", "\\B", "(?<=a)", "(?<!\\d{2})", "(?<=b+)"])
    leaf = st.lists(st.one_of(atom, atom, assertion), min_size=1, max_size=4).map("".join)

    def groups(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        body = st.lists(inner, min_size=1, max_size=3).map("|".join)
        kind = st.sampled_from(["(", "(?:", "(?=", "(?!"])
        group = st.builds(lambda k, b: k + b + ")", kind, body)
        return st.one_of(
            st.builds(
                lambda g, q: g + (q if g[:3] not in ("(?=", "(?!") else ""),
                group,
                st.sampled_from(QUANTIFIERS),
            ),
            st.lists(st.one_of(inner, group), min_size=1, max_size=3).map("".join),
        )

    return st.recursive(leaf, groups, max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(_valid_patterns(), st.text(alphabet="a🐲é1 \n\u2028\u0085xyz", max_size=12))
def test_generated_ecma_patterns_translate_and_run(pattern: str, text: str) -> None:
    out = translate(pattern)
    assert out.isascii()
    re.compile(out).search(text)


def _same_in_both() -> st.SearchStrategy[str]:
    """Patterns whose every construct means the same in ECMA-262 and in Python, on ASCII
    text without newlines."""
    atoms = ["a", "b", "-", " ", "[a-c]", "[^b]", "\\d", "\\D", "\\w", "\\W", "\\x61", "\\."]
    atom = st.builds(lambda a, q: a + q, st.sampled_from(atoms), st.sampled_from(QUANTIFIERS))
    leaf = st.lists(st.one_of(atom, st.sampled_from(["^", "$", "\\b"])), min_size=1, max_size=4)

    def groups(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        body = st.lists(inner, min_size=1, max_size=3).map("|".join)
        quantified = st.builds(
            lambda k, b, q: k + b + ")" + q,
            st.sampled_from(["(", "(?:"]),
            body,
            st.sampled_from(QUANTIFIERS),
        )
        lookahead = st.builds(lambda k, b: k + b + ")", st.sampled_from(["(?=", "(?!"]), body)
        return st.lists(st.one_of(inner, quantified, lookahead), min_size=1, max_size=3).map(
            "".join
        )

    return st.recursive(leaf.map("".join), groups, max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(_same_in_both(), st.text(alphabet="ab1_ -.A", max_size=10))
def test_translation_keeps_what_python_already_means(pattern: str, text: str) -> None:
    """Where Python's re and ECMA-262 agree, the translation finds the very same match."""
    ours, theirs = re.compile(translate(pattern)).search(text), re.search(pattern, text)
    assert (ours is None) == (theirs is None)
    if ours and theirs:
        assert (ours.span(), ours.groups()) == (theirs.span(), theirs.groups())


# --------------------------------------------------------------------------- the official suite

KEYWORDS = {"$schema", "type", "pattern", "patternProperties", "additionalProperties"}
KEYWORDS |= {"format", "maximum"}


def _is_type(data: Any, name: str) -> bool:
    number = isinstance(data, (int, float)) and not isinstance(data, bool)
    return {
        "string": isinstance(data, str),
        "object": isinstance(data, dict),
        "array": isinstance(data, list),
        "null": data is None,
        "boolean": isinstance(data, bool),
        "number": number,
        "integer": number and float(data).is_integer(),
    }[name]


def _valid(schema: Any, data: Any) -> bool:
    """The suite's verdict through the translator, for the few keywords these files use."""
    if isinstance(schema, bool):
        return schema
    assert set(schema) <= KEYWORDS, f"a keyword this test does not evaluate: {set(schema)}"
    if "type" in schema and not _is_type(data, schema["type"]):
        return False
    if "maximum" in schema and _is_type(data, "number") and data > schema["maximum"]:
        return False
    if isinstance(data, str):
        if "pattern" in schema and not search(schema["pattern"], data):
            return False
        if schema.get("format") == "regex" and not is_valid(data):
            return False
    if isinstance(data, dict):
        seen = set()
        for pattern, subschema in schema.get("patternProperties", {}).items():
            for key, value in data.items():
                if search(pattern, key):
                    seen.add(key)
                    if not _valid(subschema, value):
                        return False
        others = [value for key, value in data.items() if key not in seen]
        if not all(_valid(schema.get("additionalProperties", True), v) for v in others):
            return False
    return True


def _suite_cases() -> list[Any]:
    if not SUITE.is_dir():
        return [pytest.param(None, None, None, None, id="suite-missing")]
    cases = []
    for draft in ("draft2020-12", "draft7"):
        for name in SUITE_FILES:
            path = SUITE / "tests" / draft / name
            if not path.is_file():
                cases.append(pytest.param(path, None, None, None, id=f"{draft}/{name}"))
                continue
            for group in json.loads(path.read_text("utf-8")):
                for test in group["tests"]:
                    case_id = f"{draft}/{name}: {group['description']}: {test['description']}"
                    cases.append(
                        pytest.param(path, group["schema"], test["data"], test["valid"], id=case_id)
                    )
    return cases


@pytest.mark.parametrize(("path", "schema", "data", "valid"), _suite_cases())
def test_official_suite(path: Path | None, schema: Any, data: Any, valid: bool | None) -> None:
    if path is None:
        message = f"the JSON-Schema-Test-Suite is not at {SUITE}"
        if os.environ.get("RTSCHEMA_REQUIRE_SUITE") == "1":
            pytest.fail(f"{message}, and RTSCHEMA_REQUIRE_SUITE=1 requires it")
        pytest.skip(f"{message} (set RTSCHEMA_REQUIRE_SUITE=1 to fail instead of skipping)")
    assert schema is not None, f"{path} is missing from the suite"
    assert _valid(schema, data) is valid


# --------------------------------------------------------------------------- legacy syntax


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        (r"^[a-z\:]+$", ["a:b"], ["a;b"]),  # an identity escape only the non-Unicode syntax has
        (r"a]b", ["xa]b"], ["ab"]),  # a lone ]
        (r"x{y", ["x{y"], ["xy"]),  # a lone { that is no quantifier
        (r"\A[^\n]*\Z", ["abc", ""], ["a\nb"]),  # Python's anchors, as schemas written for it mean
    ],
)
def test_legacy_syntax_is_read_only_when_asked(
    pattern: str, matches: list[str], misses: list[str]
) -> None:
    with pytest.raises(ecma.RegexError):
        ecma.translate(pattern)
    assert not ecma.is_valid(pattern)  # format: regex stays strict
    compiled = re.compile(ecma.translate(pattern, legacy=True))
    for text in matches:
        assert compiled.search(text), text
    for text in misses:
        assert not compiled.search(text), text


def test_legacy_syntax_still_rejects_letters_without_meaning() -> None:
    with pytest.raises(ecma.RegexError):
        ecma.translate(r"\q", legacy=True)
