"""Whole numbers from outside: only ASCII digits within the caller's bounds, and raw query bytes made decodable.

Pure: no database, no app. Expected values are written out by hand.
"""

from __future__ import annotations

import pytest

from tracker.parsing import MAX_ID, IntegerError, optional_id, parse_id, parse_int, percent_encode_invalid_utf8


def test_max_id_is_the_largest_32_bit_signed_integer() -> None:
    assert MAX_ID == 2_147_483_647


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 42\t", 42), ("1", 1), ("1000", 1000), ("0007", 7), ("00001000", 1000)],
)
def test_ascii_digits_within_bounds_are_read(raw: str, expected: int) -> None:
    assert parse_int(raw, name="page", minimum=1, maximum=1000) == expected


def test_negative_numbers_are_read_where_the_bounds_allow_them() -> None:
    assert parse_int("-3", name="offset", minimum=-5, maximum=5) == -3
    assert parse_int("-5", name="offset", minimum=-5, maximum=5) == -5
    with pytest.raises(IntegerError):
        parse_int("-6", name="offset", minimum=-5, maximum=5)


@pytest.mark.parametrize(
    "raw",
    ["0", "1001", "-1", "", "  ", "²", "٣", "𝟗", "+7", "1_000", "1.0", "1e3", "0x10", "12a", "- 3", None, 42, b"42"],
)
def test_anything_else_is_refused(raw: object) -> None:
    with pytest.raises(IntegerError):
        parse_int(raw, name="page", minimum=1, maximum=1000)


def test_text_longer_than_the_bounds_need_is_refused_before_conversion() -> None:
    # The bounds' longest spelling is 4 digits ("1000"); up to 4 more characters (leading zeros) are allowed.
    assert parse_int("00000001", name="page", minimum=1, maximum=1000) == 1
    with pytest.raises(IntegerError):
        parse_int("000000001", name="page", minimum=1, maximum=1000)
    # Here the minimum is the longer spelling ("-1000", 5 characters): 9 characters pass, 10 do not.
    assert parse_int("000000005", name="x", minimum=-1000, maximum=5) == 5
    with pytest.raises(IntegerError):
        parse_int("0000000005", name="x", minimum=-1000, maximum=5)


def test_the_error_names_the_parameter_and_its_bounds() -> None:
    with pytest.raises(IntegerError) as refused:
        parse_int("many", name="page", minimum=1, maximum=400)
    assert str(refused.value) == "“page” must be a whole number from 1 to 400"
    assert (refused.value.name, refused.value.minimum, refused.value.maximum) == ("page", 1, 400)
    assert isinstance(refused.value, ValueError)
    with pytest.raises(IntegerError) as out_of_range:
        parse_int("401", name="page", minimum=1, maximum=400)
    assert str(out_of_range.value) == "“page” must be a whole number from 1 to 400"


def test_ids_run_from_one_to_max_id() -> None:
    assert parse_id("1", name="event") == 1
    assert parse_id("2147483647", name="event") == 2_147_483_647
    for raw in ("0", "2147483648", "-1"):
        with pytest.raises(IntegerError) as refused:
            parse_id(raw, name="event")
        assert (refused.value.name, refused.value.minimum, refused.value.maximum) == ("event", 1, 2_147_483_647)


def test_optional_id_gives_none_for_anything_that_is_not_an_id() -> None:
    assert optional_id("17") == 17
    assert optional_id(" 2147483647 ") == 2_147_483_647
    for raw in (None, "", "0", "2147483648", "abc", "٣", 17):
        assert optional_id(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", b""),
        (b"q=plain&page=2", b"q=plain&page=2"),
        ("q=Škofja Loka €".encode(), "q=Škofja Loka €".encode()),
        (b"q=a\xffb", b"q=a%FFb"),
        (b"\xff\xfe", b"%FF%FE"),
        (b"q=\xc3", b"q=%C3"),  # a two-byte sequence cut short
        (b"q=\xe2\x82", b"q=%E2%82"),  # a three-byte sequence cut short, kept as one run
        (b"\x80ok\xc3\xa9\xed\xa0\x80", "%80oké%ED%A0%80".encode()),  # a surrogate is not UTF-8 either
    ],
)
def test_invalid_utf8_bytes_are_percent_encoded_and_valid_text_is_kept(raw: bytes, expected: bytes) -> None:
    encoded = percent_encode_invalid_utf8(raw)
    assert encoded == expected
    encoded.decode("utf-8")  # always decodable afterwards
