"""RFC 8785 canonical JSON (consult.domain.canonical.jcs_json): the RFC's examples, the test
data of its authors' reference implementations, and properties for any JSON value."""

from __future__ import annotations

import json
import math
import re
import struct
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consult.domain.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    jcs_bytes,
    jcs_json,
    jcs_number,
)

# RFC 8785 Appendix B: IEEE 754 doubles (as hex) and how ECMAScript writes them.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),  # round to even
]


def double(hex_bits: str) -> float:
    value: float = struct.unpack(">d", bytes.fromhex(hex_bits))[0]
    return value


@pytest.mark.parametrize(("bits", "expected"), NUMBERS)
def test_numbers_are_written_as_rfc_8785_appendix_b_says(bits: str, expected: str) -> None:
    assert jcs_number(double(bits)) == expected
    assert jcs_json([double(bits)]) == f"[{expected}]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (88.0, "88"),  # the issue: whole-number floats were written 88.0
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (-1.5, "-1.5"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.00001, "0.00001"),
        (123.456, "123.456"),
        (0, "0"),
        (-7, "-7"),
        (MAX_SAFE_INTEGER, "9007199254740991"),
        (-MAX_SAFE_INTEGER, "-9007199254740991"),
    ],
)
def test_numbers_as_ecmascript_writes_them(value: float, expected: str) -> None:
    assert jcs_number(value) == expected


# RFC 8785 3.2.2 (the example of section 3.2.2 and its output in 3.2.3), then the input and
# expected output files of the RFC authors' reference implementations (their testdata/).
VECTORS = {
    "rfc-3.2.2": (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}',
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    ),
    "arrays": (
        '[\n  56,\n  {\n    "d": true,\n    "10": null,\n    "1": [ ]\n  }\n]',
        '[56,{"1":[],"10":null,"d":true}]',
    ),
    "french": (
        '{\n  "peach": "This sorting order",\n  "péché": "is wrong according to French",\n'
        '  "pêche": "but canonicalization MUST",\n  "sin":   "ingnore locale"\n}\n',
        '{"peach":"This sorting order","péché":"is wrong according to French",'
        '"pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ),
    "structures": (
        '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n'
        '  "a": { },\n  "111": [ { } ],\n  "A": { }\n}',
        '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
    ),
    "unicode": (
        '{\n  "Unnormalized Unicode":"\\u1e0d\\u0307"\n}\n',
        '{"Unnormalized Unicode":"\u1e0d\u0307"}',
    ),
    "values": (
        '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],'
        '\n  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n'
        '  "literals": [null, true, false]\n}',
        '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],'
        '"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
    ),
    # RFC 8785 3.2.3 sorts these names by UTF-16 code units: the emoji (a surrogate pair,
    # 0xD83D…) before U+FB33, where code points would put it after.
    "weird": (
        '{\n  "\\u20ac": "Euro Sign",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n'
        '  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n'
        '  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}\n',
        '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",'
        '"ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😂":"Smiley",'
        '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_the_rfc_examples_and_reference_test_data(name: str) -> None:
    source, expected = VECTORS[name]
    assert jcs_json(json.loads(source)) == expected
    assert jcs_bytes(json.loads(source)) == expected.encode("utf-8")


def test_rfc_8785_3_2_3_sorting_example() -> None:
    members = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = [value for _, value in json.loads(jcs_json(members), object_pairs_hook=list)]
    assert order == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


def test_strings_get_only_the_mandatory_escapes() -> None:
    controls = "".join(chr(code) for code in range(0x20))
    assert jcs_json(controls) == (
        '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r'
        "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
        '\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"'
    )
    assert jcs_json('"\\/') == '"\\"\\\\/"'  # the solidus is not escaped
    assert jcs_json("\u007fZoë 山田 😂 \u2028") == '"\u007fZoë 山田 😂 \u2028"'
    assert jcs_bytes("Zoë") == b'"Zo\xc3\xab"'  # UTF-8


def test_structures() -> None:
    assert jcs_json({}) == "{}"
    assert jcs_json([]) == "[]"
    assert jcs_json((1, "a")) == '[1,"a"]'
    assert jcs_json(MappingProxyType({"b": 1, "a": [None]})) == '{"a":[null],"b":1}'
    assert jcs_json({"a": {"c": True, "b": False}}) == '{"a":{"b":false,"c":true}}'


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        [1, {"x": math.nan}],
        MAX_SAFE_INTEGER + 1,
        -MAX_SAFE_INTEGER - 1,
        10**30,
        "\ud800",  # a lone surrogate is not Unicode text
        {"\udc00": 1},
    ],
)
def test_what_rfc_8785_cannot_write_is_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        jcs_json(value)


@pytest.mark.parametrize("value", [{1: "a"}, {None: 1}, {1, 2}, b"bytes", object()])
def test_what_json_has_no_type_for_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        jcs_json(value)


# --- properties ---------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)
safe_integers = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
scalars = st.none() | st.booleans() | safe_integers | finite | st.text()
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)
# What ECMAScript's Number.prototype.toString can give for a finite double.
ES_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?")


def read_as_doubles(text: str) -> Any:
    """JSON read as RFC 8785 reads it: every number an IEEE 754 double (I-JSON)."""
    return json.loads(text, parse_int=float, parse_float=float)


@given(finite)
@example(88.0)
@example(-0.0)
@example(5e-324)
@example(1e21)
@example(2.0**68)
def test_a_finite_float_reads_back_as_itself(value: float) -> None:
    text = jcs_json(value)
    assert ES_NUMBER.fullmatch(text), text
    assert float(text) == value
    assert read_as_doubles(text) == value
    if value.is_integer() and abs(value) < 1e21:
        assert "." not in text and "e" not in text  # 88.0 is 88


def es_reference(value: float) -> str:
    """ECMAScript's Number::toString (ECMA-262 6.1.6.1.20) step by step, for a finite
    double, from the shortest digits that read back as it (Python's ``repr`` of the
    positive value, read with ``decimal``)."""
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es_reference(-value)
    _, digits_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple))
    k = len(digits)
    n = int(exponent) + k  # value = digits x 10**(n - k)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    sign = "+" if n - 1 >= 0 else "-"
    if k == 1:
        return f"{digits}e{sign}{abs(n - 1)}"
    return f"{digits[0]}.{digits[1:]}e{sign}{abs(n - 1)}"


@given(finite)
@example(1e16)
@example(1.5e-5)
@example(123456789012345680000.0)
def test_numbers_follow_ecmascript_number_to_string(value: float) -> None:
    assert jcs_number(value) == es_reference(value)


@given(json_values)
def test_any_value_reads_back_as_itself_and_canonicalizing_again_changes_nothing(
    value: Any,
) -> None:
    text = jcs_json(value)
    again = read_as_doubles(text)
    assert again == value
    assert jcs_json(again) == text
    assert jcs_bytes(value) == text.encode("utf-8")


@given(st.dictionaries(st.text(), st.integers(0, 9), max_size=12))
def test_members_are_sorted_by_utf_16_code_units(members: dict[str, int]) -> None:
    names = [name for name, _ in json.loads(jcs_json(members), object_pairs_hook=list)]
    units = [name.encode("utf-16-be") for name in names]
    assert units == sorted(units) and len(set(names)) == len(members)


@given(
    st.recursive(
        st.none() | st.booleans() | safe_integers | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.text(st.characters(max_codepoint=0xD7FF), max_size=6), children, max_size=4
            )
        ),
        max_leaves=20,
    )
)
def test_without_floats_or_astral_names_rfc_8785_is_consults_first_form(value: Any) -> None:
    # Strings are escaped alike and, below the surrogates, UTF-16 and code point order agree:
    # the two forms differ only in how numbers are written and in astral member names.
    assert jcs_json(value) == canonical_json(value)
