"""Amounts are exact and read the way people write them."""

from decimal import Decimal

import pytest

from ledger.money import danish, parse_amount, plain


@pytest.mark.parametrize(
    "text, expected",
    [
        ("112.5", "112.5"), ("112,5", "112.5"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"), ("60,45", "60.45"), ("1 234,5", "1234.5"), ("600", "600"),
        (60.45, "60.45"), (7, "7"), ("0,000001", "0.000001"),
    ],
)
def test_amounts_in_the_ways_people_write_them(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "", None, "1,2,3.4.5", "1.2345678", "12 mio", 0.1 + 0.2])
def test_what_is_not_an_exact_amount_is_refused(text):
    assert parse_amount(text) is None


def test_danish_and_plain_formats():
    assert danish(Decimal("1234.5")) == "1.234,5"
    assert danish(Decimal("112.500000")) == "112,5"
    assert danish(Decimal("600")) == "600"
    assert plain(Decimal("60.450000")) == "60.45"
    assert plain(Decimal("0")) == "0"
