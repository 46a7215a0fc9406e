"""Exact amounts: parsing the ways people write them, and writing them back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

SCALE = 6
QUANTUM = Decimal(1).scaleb(-SCALE)

_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,\s]*$")


def parse_amount(text: object) -> Decimal | None:
    """An amount in mio. kr. from text such as `112.5`, `112,5`, `1.234,5` or `1,234.5`.

    With both separators, the last one is the decimal mark. With only one kind, a single
    separator is the decimal mark; repeated ones group thousands. Returns None when the text
    is not a number or has more than six decimals (finer than one krone).
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))  # the shortest text that reads back as the same float
    else:
        s = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if not s or not _NUMBER.match(s):
            return None
        dots, commas = s.count("."), s.count(",")
        if dots and commas:
            decimal_mark = "." if s.rfind(".") > s.rfind(",") else ","
        elif dots > 1 or commas > 1:
            decimal_mark = None
        elif dots or commas:
            decimal_mark = "." if dots else ","
        else:
            decimal_mark = None
        group_mark = {".": ",", ",": ".", None: None}[decimal_mark]
        if decimal_mark is None:
            s = s.replace(".", "").replace(",", "")
        else:
            if group_mark:
                s = s.replace(group_mark, "")
            if s.count(decimal_mark) > 1:
                return None
            s = s.replace(decimal_mark, ".")
        try:
            value = Decimal(s)
        except InvalidOperation:
            return None
    if not value.is_finite() or value != value.quantize(QUANTUM):
        return None
    return value.quantize(QUANTUM)


def plain(value: Decimal | None) -> str:
    """The shortest exact text with a dot decimal: 112.5, 600, 60.45."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def danish(value: Decimal | None, decimals: int | None = None) -> str:
    """Danish number format: 1.234,5 (all significant decimals unless `decimals` is set)."""
    if value is None:
        return ""
    value = Decimal(value)
    if decimals is None:
        exponent = value.normalize().as_tuple().exponent
        decimals = max(0, -int(exponent)) if isinstance(exponent, int) else 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale="da_DK", decimal_quantization=True)


def format_amount(value: Decimal | None, lang: str = "en") -> str:
    return danish(value) if lang == "da" else plain(value)
