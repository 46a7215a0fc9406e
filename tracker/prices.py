"""Price levels: converting amounts between price and wage levels ("i 2025-pl").

The ledger holds the general price and wage rise per year (`price_index`: pris- og
lønudvikling, in per cent, each with its source). An amount in year A's price level is brought
to year B's level by multiplying by the rises of the years after A up to B:

    factor(A -> B) = (1 + r[A+1]/100) * (1 + r[A+2]/100) * ... * (1 + r[B]/100)   (A < B)

and by dividing by the same product when B is before A. 2024-pl to 2025-pl multiplies by 1,028.

Rounding rule: the factor is exact (a product of decimals, computed without rounding); the
converted amount is rounded once, half to even, to six decimals of mio. kr. = whole kroner,
the ledger's own precision. So converting to a level with a factor of at least 1 (a later
level, while rises are not negative) and back gives the original amount exactly; converting
to an earlier level and back may differ by at most half the factor in kroner (one krone for
any factor below 3).

A line without a price level (all seeded lines: the sources do not say) is never converted:
it is kept as given and reported as unconverted, so every report can flag it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import polars as pl
import sqlalchemy as sa

from ledger import models
from ledger.frames import AMOUNT, Ledger
from ledger.money import QUANTUM, plain

ROUNDING = ROUND_HALF_EVEN
_PRECISION = 400  # digits: enough for an exact product of a century of rises


class PriceIndexError(ValueError):
    """The index cannot convert between the levels asked for."""


@dataclass(frozen=True)
class PriceIndex:
    """The price and wage rise per year, in per cent, and the source of each figure."""

    rises: dict[int, Decimal]
    sources: dict[int, str]

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> "PriceIndex":
        rises = {int(y): Decimal(r) for y, r in frame.select("year", "rise_pct").iter_rows()}
        sources = {int(y): s or "" for y, s in frame.select("year", "source").iter_rows()} if "source" in frame.columns else {}
        for year, rise in rises.items():
            if rise <= -100:
                raise PriceIndexError(f"the price index gives {rise} % for {year}; a rise must be above -100 %")
        return cls(rises=rises, sources=sources)

    def years(self) -> list[int]:
        return sorted(self.rises)

    def levels(self) -> range:
        """Every price level the index can convert between."""
        if not self.rises:
            return range(0)
        first, last = min(self.rises), max(self.rises)
        return range(first - 1, last + 1)

    def _missing(self, low: int, high: int) -> list[int]:
        return [y for y in range(low + 1, high + 1) if y not in self.rises]

    def check(self, from_level: int, to_level: int) -> None:
        low, high = sorted((from_level, to_level))
        missing = self._missing(low, high)
        if missing:
            have = f"it holds {self.years()[0]}–{self.years()[-1]}" if self.rises else "it is empty"
            raise PriceIndexError(
                f"cannot convert {from_level}-pl to {to_level}-pl: the price index has no rise for "
                f"{', '.join(map(str, missing))} ({have}); add it with "
                f"`tracker price-index set YEAR PERCENT --source TEXT`"
            )

    def check_target(self, target: int) -> None:
        """A target level the index cannot reach from its own years is refused even when no
        line needs converting, so no report is labelled with a level it could not compute."""
        if not self.rises:
            raise PriceIndexError(f"cannot convert to {target}-pl: the price index is empty; add years with "
                                  f"`tracker price-index set YEAR PERCENT --source TEXT`")
        first, last = min(self.rises) - 1, max(self.rises)
        if target > last:
            self.check(last, target)
        elif target < first:
            self.check(target, first)
        else:
            self.check(first, target)  # reachable from the index's first level

    def growth(self, from_level: int, to_level: int) -> Decimal:
        """The exact product of the rises between the two levels (>= 1 while rises are not
        negative), whichever way the conversion goes."""
        self.check(from_level, to_level)
        low, high = sorted((from_level, to_level))
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            product = Decimal(1)
            for year in range(low + 1, high + 1):
                product *= 1 + self.rises[year] / 100
        return product

    def factor(self, from_level: int, to_level: int) -> Decimal:
        """The conversion factor, exact when converting to a later level (for an earlier one
        it is 1 / growth, shown to 12 decimals; `convert` divides exactly instead)."""
        growth = self.growth(from_level, to_level)
        if to_level >= from_level:
            return growth
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return (1 / growth).quantize(Decimal("1e-12"))

    def convert(self, amount: Decimal, from_level: int, to_level: int) -> Decimal:
        """The amount in `to_level` prices, rounded half to even to whole kroner."""
        amount = Decimal(amount)
        if from_level == to_level:
            return amount.quantize(QUANTUM)
        growth = self.growth(from_level, to_level)
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            exact = amount * growth if to_level > from_level else amount / growth
            return exact.quantize(QUANTUM, rounding=ROUNDING)


@dataclass(frozen=True)
class Conversion:
    """A ledger with every line that has a price level brought to `target`.

    `unconverted` holds the lines with no price level, kept as given (id, initiative_id,
    year_from, year_to, region, kind, amount, source_id)."""

    ledger: Ledger
    target: int
    unconverted: pl.DataFrame
    converted: int  # lines whose amount was multiplied or divided (not those already at target)

    def unconverted_part(self) -> Ledger:
        """The same ledger with every converted line's amount set to 0: its reports give, for
        each figure, the part that is not in the target price level. (Lines are kept, not
        dropped, so "of which" netting follows the same structure and the two add up.)"""
        ids = self.unconverted["id"].implode()
        lines = self.ledger.lines.with_columns(
            pl.when(pl.col("id").is_in(ids)).then(pl.col("amount")).otherwise(pl.lit(0).cast(AMOUNT)).alias("amount")
        )
        return replace(self.ledger, lines=lines)


UNCONVERTED_COLUMNS = ["id", "initiative_id", "year_from", "year_to", "region", "kind", "amount", "source_id"]


def convert_ledger(ledger: Ledger, index: PriceIndex, target: int) -> Conversion:
    """Every line with a price level converted to `target`; lines without one kept as given.

    Raises PriceIndexError (naming the missing years) when the index cannot reach `target`
    from a line's level."""
    lines = ledger.lines
    index.check_target(target)
    for level in lines["price_level"].drop_nulls().unique().sort().to_list():
        index.check(int(level), target)
    rows = lines.select("id", "amount", "price_level").iter_rows()
    amounts = [
        amount if level is None else index.convert(amount, int(level), target) for _, amount, level in rows
    ]
    converted = lines.with_columns(
        pl.Series("amount", amounts, dtype=AMOUNT),
        pl.when(pl.col("price_level").is_null()).then(None).otherwise(pl.lit(target)).cast(pl.Int64).alias("price_level"),
    )
    moved = lines.filter(pl.col("price_level").is_not_null() & (pl.col("price_level") != target)).height
    unconverted = lines.filter(pl.col("price_level").is_null()).select(UNCONVERTED_COLUMNS).sort("id")
    return Conversion(ledger=replace(ledger, lines=converted), target=target, unconverted=unconverted, converted=moved)


def level_label(target: int | None, lang: str = "da") -> str:
    """'i 2025-pl', or what an unconverted report says."""
    if target is None:
        return "prisniveau som angivet i kilderne" if lang == "da" else "price levels as given in the sources"
    return f"i {target}-pl" if lang == "da" else f"in {target} prices"


# -- the index in the ledger database ----------------------------------------------------------


def load_index(connectable: sa.Engine | sa.Connection) -> PriceIndex:
    from ledger.store import load_price_index

    return PriceIndex.from_frame(load_price_index(connectable))


def set_rise(engine: sa.Engine, year: int, rise_pct: Decimal, source: str, author: str, note: str = "") -> dict:
    """Add or correct the rise of a year (administrators). A figure needs its source, and a
    correction of a year already in the index needs a note saying why. The change is recorded in
    the journal with the value before and after, so nothing is lost; the note is kept with the
    figure and is the journal entry's reason."""
    from ledger.store import ReasonRequired

    if not source.strip():
        raise ValueError("a price index figure needs its source (e.g. 'Finansministeriet, ØA 2026')")
    if not 2000 <= year <= 2100:
        raise ValueError(f"year {year} is outside 2000–2100")
    rise_pct = Decimal(rise_pct)
    if rise_pct <= -100 or rise_pct != rise_pct.quantize(QUANTUM):
        raise ValueError(f"rise {rise_pct} %: give a percentage above -100 with at most six decimals")
    table = models.PriceIndex.__table__
    with engine.begin() as connection:
        old = connection.execute(
            sa.select(sa.cast(table.c.rise_pct, sa.String), table.c.source).where(table.c.year == year)
        ).first()
        if old is None:
            connection.execute(table.insert().values(year=year, rise_pct=rise_pct, source=source, note=note))
        elif not note.strip():
            raise ReasonRequired(
                f"{year} is in the index already ({plain(Decimal(old[0]))} %): a correction needs a note "
                "saying why; nothing was written"
            )
        else:
            connection.execute(
                table.update().where(table.c.year == year).values(rise_pct=rise_pct, source=source, note=note)
            )
        summary = {
            "price_index": {
                "year": year,
                "before": None if old is None else {"rise_pct": plain(Decimal(old[0])), "source": old[1]},
                "after": {"rise_pct": plain(rise_pct), "source": source}
                | ({"note": note} if note.strip() else {}),
            }
        }
        from ledger.store import utcnow

        connection.execute(
            models.JournalEntry.__table__.insert().values(
                at=utcnow(), author=author, action="price-index",
                reason=f"pris- og lønudvikling {year}: {plain(rise_pct)} % ({source})"
                + (f": {note.strip()}" if note.strip() else ""),
                summary=json.dumps(summary, ensure_ascii=False),
            )
        )
    return summary
