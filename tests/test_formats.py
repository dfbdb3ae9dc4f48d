"""``generator/runtime/formats.py``: JSON Schema ``format`` assertions.

Unit cases for every format (beyond the official suite: the RFC corners it does not reach),
the API's rules for non-strings and unknown formats, hostile input (every checker returns a
bool on long, adversarial strings), the embedded IDNA tables against the ``idna`` package,
the standard-library-only rule, and every case of the official JSON-Schema-Test-Suite's
``optional/format`` folders of draft 2020-12 and draft 7.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rtschema.runtime import formats, hostnames
from rtschema.runtime.formats import CHECKERS, check

HAVE_ECMA = Path(formats.__file__).with_name("ecma.py").exists()
needs_ecma = pytest.mark.skipif(
    not HAVE_ECMA,
    reason="generator/runtime/ecma.py does not exist yet: the regex format needs it",
)
SUITE = Path(__file__).resolve().parents[2] / "shared" / "jsts"
DRAFTS = ("draft2020-12", "draft7")

#: Official suite cases this module gets wrong, as (draft, format, JSON of the data): reason.
#: Empty: every case is right. A listed case that starts passing fails the suite test.
KNOWN_WRONG: dict[tuple[str, str, str], str] = {}


# --------------------------------------------------------------------------- unit cases

#: format: ([valid strings], [invalid strings]).
CASES: dict[str, tuple[list[str], list[str]]] = {
    "date-time": (
        [
            "2024-02-29T12:00:00Z",
            "2024-02-29t12:00:00z",
            "2000-01-01T00:00:00.000000001+14:00",
            "1990-12-31T23:59:60Z",
            "1990-12-31T15:59:60-08:00",
            "1991-01-01T00:29:60+00:30",
            "0000-01-01T00:00:00-00:00",
        ],
        [
            "2023-02-29T12:00:00Z",
            "2024-01-01 12:00:00Z",
            "2024-01-01T12:00:00",
            "2024-01-01T12:00:00.Z",
            "2024-01-01T12:00Z",
            "2024-01-01T12:00:00+0100",
            "2024-01-01T23:59:60+01:00",
            "2024-01-01T12:00:00+24:00",
            "\uff12024-01-01T00:00:00Z",
            "2024-01-01T00:00:00Z\n",
            "2024-01-01TT00:00:00Z",
            "2024-01-01",
        ],
    ),
    "date": (
        ["2024-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2023-12-31"],
        ["2023-02-29", "1900-02-29", "2024-2-29", "2024-02-29\n", "2024-13-01", "2024-1\u0968-01"],
    ),
    "time": (
        ["00:00:00Z", "23:59:60Z", "00:29:60+00:30", "12:00:00+23:59", "12:00:00.5-00:00"],
        [
            "12:00:00",
            "12:00Z",
            "12:00:00.Z",
            "12:00:00+24:00",
            "12:00:00+00:60",
            "24:00:00Z",
            "23:59:61Z",
            "23:59:60+00:01",
            "1\u0968:00:00Z",
            "12:00:00Zz",
        ],
    ),
    "duration": (
        ["P1Y", "PT1S", "P1W", "P0W", "P1Y2M3DT4H5M6S", "P1DT1H", "PT1M1S", "P1M1D", "P123456789D"],
        [
            "",
            "P",
            "PT",
            "P1S",
            "P1H",
            "PT1Y",
            "PT1D",
            "P1.5D",
            "p1d",
            "P1W1D",
            "P1Y1D",
            "PT1H1S",
            "P1D T1H",
            "P\u0661D",
            "P1DT",
            "1D",
        ],
    ),
    "email": (
        [
            "a@b",
            "a.b+c@example.com",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            '"a b"@example.com',
            '"a\\"b"@example.com',
            '"a\\\\"@example.com',
            "user@[IPv6:2001:db8::1]",
            "user@[ipv6:::1]",
            "user@[192.0.2.1]",
            "a@xn--9n2bp8q.xn--9t4b11yi5a",
            "a" * 64 + "@example.com",
            "ab@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 59]),  # 254 octets
        ],
        [
            "abc@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 59]),  # 255 octets
            "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63]),
            "a@b@c",
            "a@",
            "@b",
            "a..b@c",
            ".a@c",
            "a@b..c",
            "a@-b.com",
            "a@example.com.",
            "a@[300.1.1.1]",
            "a@[IPv6:1.2.3.4]",
            "a@[tag:content]",
            "a@[192.0.2.1",
            "\u00e9@example.com",
            "a@\u00e9.com",
            '"a"b@example.com',
            '"a\\"@example.com',
            '"a\x00"@example.com',
            "a" * 65 + "@example.com",
            "a@xn--X",
        ],
    ),
    "idn-email": (
        [
            "\u00e9@example.com",
            '"\u00e9 \u00e8"@example.com',
            "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a",
            "a@b",
            "a@bu\u0308cher.example",
            "\u00e9" * 32 + "@example.com",
        ],
        [
            "\ud800@example.com",
            "a@-b",
            "a b@c",
            "\u7528\u6237@\u4f8b\u5b50..\u5e7f\u544a",
            "a@Bu\u0308cher.example",
            "\u00e9" * 33 + "@example.com",
            '"\\\u00e9"@example.com',
        ],
    ),
    "hostname": (
        [
            "example.com",
            "EXAMPLE.COM",
            "a",
            "1.2.3.4",
            "a-b--c",
            "xn--bcher-kva.example",
            "XN--BCHER-KVA.example",
            "a" * 63,
            ".".join(["a" * 63] * 3 + ["a" * 61]),
        ],
        [
            "a" * 64,
            ".".join(["a" * 63] * 3 + ["a" * 62]),
            "a_b",
            "a.",
            ".a",
            "a..b",
            "-a",
            "a-",
            "xn--bcher-kva-",
            "xn--",
            "xn--a",
            "b\u00fccher.example",
            "a b",
            "xn--4db.1a",
        ],
    ),
    "idn-hostname": (
        [
            "\u4f8b\u5b50.\u6d4b\u8bd5",
            "b\u00fccher.example",
            "xn--bcher-kva.example",
            "XN--BCHER-KVA.example",
            "a\u3002b\uff0ec\uff61d",
            "\u0645\u062b\u0627\u0644.\u0625\u062e\u062a\u0628\u0627\u0631",
            "\u03b1\u0375\u03b2",
            "l\u00b7l",
            "\u0915\u094d\u200d\u0937",
            "\u0628\u064a\u200c\u0628\u064a",
            "\u00e9" * 57,  # its A-label is 63 characters long
        ],
        [
            "B\u00fccher.example",
            "bu\u0308cher.example",
            "\u0301a",
            "a\u200db",
            "ab--\u00e9",
            "-\u00e9",
            "\u00e9-",
            "a\u00a0b",
            "a\u2060b",
            "\u05d0.1a",
            "\u05d0a",
            "a" * 64,
            "\u00e9" * 58,  # its A-label is 64 characters long
            "b\u00fccher.example.",
            "a\u3002\u3002b",
            "a_\u00e9",
            "\u2163",
        ],
    ),
    "ipv4": (
        ["0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.0.255"],
        ["01.2.3.4", "1.2.3", "1.2.3.4.", "256.1.1.1", "1.2.3.\u0664", "1.2.3.04", "1.2.3.4/32"],
    ),
    "ipv6": (
        [
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1::8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::ffff:1.2.3.4",
            "::1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "ABCD:ef01::",
            "0000:0000::",
        ],
        [
            "",
            ":",
            ":::",
            "1:::2",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::",
            "12345::",
            "g::",
            "::1.2.3",
            "::01.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1.2.3.4:1",
            "fe80::1%eth0",
            "[::1]",
            "::1 ",
            ":1::",
            "1::\uff11",
        ],
    ),
    "uri": (
        [
            "http://example.com",
            "HTTP://EXAMPLE.COM:8080/a/b?c=d#e",
            "urn:isbn:0451450523",
            "http:",
            "foo+bar-baz.qux:x",
            "http://[::1]:80/",
            "http://[v7.abc:def]/",
            "http://user:pass@host/",
            "file:///etc/passwd",
            "http://a/%20%c3%A9",
            "http://host:/",
            "s://@",
        ],
        [
            "//a",
            "a",
            ":a",
            "http://a b",
            "http://a/%zz",
            "http://[::1",
            "http://[::1]x/",
            "http://[fe80::1%25eth0]/",
            "http://a:b:c/",
            "http://a@b@c/",
            "http://\u00e9.com",
            "1a:b",
            "http://a#b#c",
            "http://a/?\x7f",
            "http://[v7.]/",
        ],
    ),
    "uri-reference": (
        ["", "#", "?", "//", "a/b:c", "./a:b", "../", "/a?b#c", "?a:b", "#/a?b"],
        ["a:b c", ":", "a b", "%", "[::1]", "1:b", "#a#b", "\u00e9", "//a b/"],
    ),
    "iri": (
        [
            "http://\u4f8b\u5b50.\u6d4b\u8bd5/\u8def\u5f84?\u67e5\u8be2#\u7247\u6bb5",
            "http://a/?\U000f0000",
            "http://a/?\ue000",
            "http://\u00e9@\u00e9.com/",
            "urn:\U00020000",
        ],
        [
            "http://a/\U000f0000",
            "http://a/\ud800",
            "http://a/\x85",
            "http://a/\ufdd0",
            "http://a/\U0001fffe",
            "http://a/\U000e0001",
            "/a",
            "\u4f8b\u5b50",
            "\u00e9:a",
        ],
    ),
    "iri-reference": (
        ["\u8def\u5f84", "#\u7247\u6bb5", "?\ue000", "", "//\u00e9/"],
        ["#\ue000", "a b", "\u00e9\u00e9:a", "\ufffe"],
    ),
    "uri-template": (
        [
            "",
            "a",
            "{a}",
            "{+a,b:3,c*}",
            "{a.b.c}",
            "http://x/{a}{/b*}{?c,d}",
            "{=a}",
            "{%41}",
            "a%20b",
            "\u00e9",
            "\ue000",
            "{a:9999}",
        ],
        [
            "{",
            "}",
            "{}",
            "{a",
            "a}",
            "{{a}}",
            "{a b}",
            "{a:0}",
            "{a:10000}",
            "{a*:1}",
            "{a:1*}",
            "{.}",
            "{a.}",
            "{.a.}",
            "%",
            "a%2",
            "<",
            "\x7f",
            "\ud800",
            "{a-b}",
            "{$a}",
        ],
    ),
    "uuid": (
        ["00000000-0000-0000-0000-000000000000", "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"],
        [
            "{f81d4fae-7dec-11d0-a765-00a0c91e6bf6}",
            "f81d4fae7dec11d0a76500a0c91e6bf6",
            "f81d4fae-7dec-11d0-a765-00a0c91e6bf",
            "f81d4fae-7dec-11d0-a765-00a0c91e6bfg",
            "f81d4fae-7dec-11d0-a765-00a0c91e6b\uff16",
        ],
    ),
    "json-pointer": (
        ["", "/", "/a~0b~1c", "//", "/~01", "/\u00e9/\x00"],
        ["a", "/~", "/~2", "#/a", "/a~", " /a"],
    ),
    "relative-json-pointer": (
        ["0", "0#", "1/a", "10/a/b", "0+1/a", "2-1#", "0/"],
        ["", "-1", "01", "0##", "0/~", "#", "0+0", "0+01", "0-", "\u0661", "0 ", "1#/a"],
    ),
    "regex": (
        ["a+", "^[a-z]+$", "(?<n>a)\\k<n>", ""],
        ["(", "[", "(?P<n>a)", "\\"],
    ),
}

UNIT_CASES = [
    pytest.param(
        name,
        value,
        valid,
        id=f"{name}-{'valid' if valid else 'invalid'}-{index}",
        marks=needs_ecma if name == "regex" else (),
    )
    for name, (good, bad) in CASES.items()
    for valid, values in ((True, good), (False, bad))
    for index, value in enumerate(values)
]


@pytest.mark.parametrize(("name", "value", "valid"), UNIT_CASES)
def test_format_case(name: str, value: str, valid: bool) -> None:
    assert check(name, value) is valid
    assert CHECKERS[name](value) is valid


def test_every_format_has_unit_cases_both_ways() -> None:
    assert set(CASES) == set(CHECKERS)
    assert all(good and bad for good, bad in CASES.values())


# --------------------------------------------------------------------------- the API


def test_the_formats_it_asserts() -> None:
    assert set(CHECKERS) == {
        "date-time",
        "date",
        "time",
        "duration",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uri-template",
        "uuid",
        "json-pointer",
        "relative-json-pointer",
        "regex",
    }


@pytest.mark.parametrize("value", [12, 13.7, True, None, [], {}, b"not a date", ("a",)])
@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_non_strings_conform(name: str, value: object) -> None:
    assert check(name, value) is True


@pytest.mark.parametrize("name", ["unknown", "", "DATE", "date-time ", "int32", "byte"])
def test_unknown_formats_conform(name: str) -> None:
    assert check(name, "definitely not anything") is True


def test_a_str_subclass_is_a_string() -> None:
    class Text(str):
        pass

    assert check("ipv4", Text("1.2.3.4")) is True
    assert check("ipv4", Text("1.2.3.4.5")) is False


# --------------------------------------------------------------------------- hostile input

#: Pieces that steer the checkers into their loops: digits, separators, escapes, brackets,
#: A-label prefixes, right-to-left letters, joiners, marks, surrogates.
PIECES = [
    "1",
    "0",
    "a",
    "-",
    ".",
    ":",
    "::",
    "1:",
    "%",
    "%4",
    "%41",
    "{",
    "}",
    "{a",
    "{a.",
    "/",
    "~",
    "~0",
    "@",
    '"',
    "\\",
    '\\"',
    "[",
    "]",
    "xn--",
    "P",
    "1Y",
    "1M",
    "T1H",
    "\u05d0",
    "\u0628",
    "\u200c",
    "\u0300",
    "\u00e9",
    "\ud800",
    "\u3002",
    "\u0660",
    "00:",
    "9.",
    "a.",
    "a-",
    "#",
    "?",
    "\n",
]


def hostile_strings(max_count: int) -> st.SearchStrategy[str]:
    """Text, then one piece repeated up to `max_count` times, then text."""
    return st.builds(
        lambda head, piece, count, tail: head + piece * count + tail,
        st.text(max_size=16),
        st.sampled_from(PIECES),
        st.integers(min_value=0, max_value=max_count),
        st.text(max_size=16),
    )


#: ``regex`` translates each pattern into a Python one, at about 0.1 ms per "." (ecma.py's
#: cost, tested there): shorter repeats keep this test quick.
MAX_COUNT = {"regex": 2_000}

CHECKED_NAMES = [
    pytest.param(name, marks=needs_ecma if name == "regex" else ()) for name in sorted(CHECKERS)
]


@pytest.mark.parametrize("name", CHECKED_NAMES)
@settings(  # the number of examples comes from the profile in force (HYPOTHESIS_PROFILE)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_never_raises_on_any_text(name: str, data: st.DataObject) -> None:
    value = data.draw(st.one_of(st.text(), hostile_strings(MAX_COUNT.get(name, 40_000))))
    assert type(check(name, value)) is bool


@pytest.mark.parametrize("name", CHECKED_NAMES)
def test_long_adversarial_strings_are_rejected_or_accepted_quickly(name: str) -> None:
    """Shapes that make backtracking matchers quadratic or worse; a bool must come back."""
    count = 200_000
    values = [piece * count for piece in PIECES] + [
        "P" + "1" * count + "X",
        "2024-01-01T00:00:00." + "9" * count + "X",
        "{" + "a." * count + "}",
        "http://" + "a" * count + "/" + "%41" * count + "?" + "\u00e9" * count,
        '"' + "\\a" * count + '"@example.com',
        "a." * count + "@example.com",
        ("xn--" + "a" * 59 + ".") * 1000,
        "0" + "+1" * count,
        "/" + "~01" * count + "~",
    ]
    for value in values:
        assert type(check(name, value)) is bool


# --------------------------------------------------------------------------- IDNA tables


def test_idna_derivation_and_tables_agree_with_the_idna_package() -> None:
    """RFC 5892's derived property, computed here from ``unicodedata``, and the embedded
    Joining_Type and script tables, against the ``idna`` package's tables (IANA's), for
    every code point the running Python's Unicode version assigns."""
    idnadata: Any = pytest.importorskip("idna.idnadata", reason="the idna package is absent")
    intranges: Any = pytest.importorskip("idna.intranges", reason="the idna package is absent")
    classes = idnadata.codepoint_classes
    scripts = idnadata.scripts
    joining = idnadata.joining_types
    joining = joining() if callable(joining) else joining
    if all(isinstance(key, str) for key in joining):  # newer idna: {type: ranges}
        by_type = joining

        def joining_type(code: int) -> str:
            return next(
                (k for k, ranges in by_type.items() if intranges.intranges_contain(code, ranges)),
                "U",
            )
    else:  # older idna: {code point: ord(type)}

        def joining_type(code: int) -> str:
            return chr(joining.get(code, ord("U")))

    derive = hostnames._idna_property.__wrapped__

    def script(code: int, *names: str) -> bool:
        return any(intranges.intranges_contain(code, scripts[name]) for name in names)

    wrong = []
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cn":
            continue
        theirs = next(
            (
                kind
                for kind in ("PVALID", "CONTEXTJ", "CONTEXTO")
                if intranges.intranges_contain(code, classes[kind])
            ),
            "DISALLOWED",
        )
        kind = joining_type(code)
        ours_tables = (
            hostnames._in(hostnames._GREEK, char),
            hostnames._in(hostnames._HEBREW, char),
            hostnames._in(hostnames._HIRAGANA_KATAKANA_HAN, char),
        )
        theirs_tables = (
            script(code, "Greek"),
            script(code, "Hebrew"),
            script(code, "Hiragana", "Katakana", "Han"),
        )
        if derive(char) != theirs or ours_tables != theirs_tables:
            wrong.append(f"U+{code:04X}")
        elif theirs == "PVALID" and (
            hostnames._transparent(char) != (kind == "T")
            or hostnames._in(hostnames._JOINING_L_OR_D, char) != (kind in "LD")
            or hostnames._in(hostnames._JOINING_R_OR_D, char) != (kind in "RD")
        ):
            wrong.append(f"U+{code:04X} (joining type {kind})")
    assert not wrong, f"{len(wrong)} code points differ: {wrong[:20]}"


# --------------------------------------------------------------------------- official suite


def _suite_folder(draft: str) -> Path:
    if not SUITE.is_dir():
        message = f"the JSON-Schema-Test-Suite is not at {SUITE}"
        if os.environ.get("RTSCHEMA_REQUIRE_SUITE") == "1":
            pytest.fail(f"{message}, and RTSCHEMA_REQUIRE_SUITE=1 requires it")
        pytest.skip(f"{message} (set RTSCHEMA_REQUIRE_SUITE=1 to fail instead of skipping)")
    folder = SUITE / "tests" / draft / "optional" / "format"
    assert folder.is_dir(), f"{folder} is missing from the suite"
    return folder


def _run_suite(draft: str, regex: bool) -> int:
    """Run the suite's format cases (those of ``regex`` or all the others) and compare the
    wrong ones with KNOWN_WRONG; returns how many cases ran."""
    ran = 0
    wrong: dict[tuple[str, str, str], str] = {}
    for path in sorted(_suite_folder(draft).glob("*.json")):
        for group in json.loads(path.read_text("utf-8")):
            name = group["schema"]["format"]
            if (name == "regex") != regex:
                continue
            for case in group["tests"]:
                ran += 1
                if check(name, case["data"]) is not case["valid"]:
                    key = (draft, name, json.dumps(case["data"]))
                    wrong[key] = f"{path.name}: {group['description']}: {case['description']}"
    listed = {key for key in KNOWN_WRONG if key[0] == draft and (key[1] == "regex") == regex}
    unexpected = {key: why for key, why in wrong.items() if key not in KNOWN_WRONG}
    assert not unexpected, f"{len(unexpected)} suite cases wrong: {unexpected}"
    now_right = listed - set(wrong)
    assert not now_right, f"listed in KNOWN_WRONG but now right (remove them): {now_right}"
    return ran


@pytest.mark.parametrize("draft", DRAFTS)
def test_official_suite(draft: str) -> None:
    assert _run_suite(draft, regex=False) > 500


@needs_ecma
@pytest.mark.parametrize("draft", DRAFTS)
def test_official_suite_regex(draft: str) -> None:
    assert _run_suite(draft, regex=True) > 10


def test_known_wrong_cases_have_reasons() -> None:
    for (draft, name, data), reason in KNOWN_WRONG.items():
        json.loads(data)  # the data as the suite gives it, in JSON
        assert draft in DRAFTS and name in CHECKERS and reason.strip()
