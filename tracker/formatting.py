"""Numbers and years as people read them: Danish first (112,5 mio. kr.; 1.234,5), English on request.

Amounts stay exact `Decimal` until this module turns them into text; charts get floats only
for drawing, and their labels and tooltips use the text made here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ledger.money import QUANTUM

LANGS = ("da", "en")


def as_decimal(value: Decimal | float | int | None) -> Decimal | None:
    """An exact amount from what a table cell may hold (a float only ever comes from a
    Decimal with at most six decimals, so rounding it to six decimals gives it back)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell
            return None
        return Decimal(repr(value)).quantize(QUANTUM)
    return Decimal(value)


_DANISH = str.maketrans(",.", ".,")


def number(value: Decimal | float | int | None, lang: str = "da", decimals: int | None = None) -> str:
    """1.234,5 (da) or 1,234.5 (en); every significant decimal unless `decimals` is set.

    Plain string formatting of the exact Decimal (tables format thousands of cells, and
    this is an order of magnitude faster than a locale library)."""
    exact = as_decimal(value)
    if exact is None:
        return ""
    if decimals is not None:
        exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{exact:,.{decimals}f}"
    else:
        text = f"{exact.normalize():,f}"
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]  # no "-0"
    return text.translate(_DANISH) if lang == "da" else text


def unit(lang: str = "da") -> str:
    return "mio. kr." if lang == "da" else "DKK m"


def money(value: Decimal | float | int | None, lang: str = "da", decimals: int | None = None) -> str:
    """112,5 mio. kr. (da) or DKK 112.5m (en)."""
    text = number(value, lang, decimals)
    if not text:
        return ""
    return f"{text} mio. kr." if lang == "da" else f"DKK {text}m"


def kroner(value: Decimal | float | int | None, lang: str = "da") -> str:
    """A per-inhabitant figure in kroner with two decimals: 25,16 kr."""
    text = number(value, lang, 2)
    if not text:
        return ""
    return f"{text} kr." if lang == "da" else f"DKK {text}"


def years(year_from: int | None, year_to: int | None, lang: str = "da", permanent: bool | None = None) -> str:
    """2025 · 2024–2027 · 2025 og frem (a line with no end year is permanent)."""
    if year_from is None:
        return "år ikke oplyst" if lang == "da" else "years not stated"
    if year_to is None if permanent is None else permanent:
        return f"{year_from} og frem" if lang == "da" else f"{year_from} on"
    if year_to == year_from:
        return str(year_from)
    return f"{year_from}–{year_to}"


def d3_locale(lang: str = "da") -> dict:
    """The number locale Vega-Lite uses for chart axes and legends."""
    if lang == "da":
        return {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["DKK ", ""]}
