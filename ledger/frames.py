"""The ledger as polars frames: the one in-memory shape every rule, report and writer uses."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import polars as pl

from .domain import NATIONAL

AMOUNT = pl.Decimal(38, 6)

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "regions": {
        "code": pl.String, "name": pl.String, "valid_from": pl.Int64, "valid_to": pl.Int64,
        "successor": pl.String, "note": pl.String,
    },
    "sources": {
        "id": pl.String, "document": pl.String, "case_no": pl.String, "date": pl.String,
        "location": pl.String, "url": pl.String, "note": pl.String, "version": pl.Int64,
    },
    "agreements": {
        "id": pl.String, "title": pl.String, "kind": pl.String, "parties": pl.String,
        "date_agreed": pl.String, "status": pl.String, "classification": pl.String,
        "source_id": pl.String, "note": pl.String, "version": pl.Int64,
    },
    "initiatives": {
        "id": pl.String, "agreement_id": pl.String, "parent_id": pl.String, "title": pl.String,
        "recipient": pl.String, "channel": pl.String, "note": pl.String, "version": pl.Int64,
    },
    "lines": {
        "id": pl.Int64, "initiative_id": pl.String, "year_from": pl.Int64, "year_to": pl.Int64,
        "region": pl.String, "amount": AMOUNT, "kind": pl.String, "price_level": pl.Int64,
        "source_id": pl.String, "classification": pl.String, "note": pl.String,
        "version": pl.Int64,
    },
    "stated_totals": {
        "id": pl.String, "agreement_id": pl.String, "initiative_id": pl.String,
        "year_from": pl.Int64, "year_to": pl.Int64, "per_year": pl.Boolean, "amount": AMOUNT,
        "kind": pl.String, "source_id": pl.String, "classification": pl.String,
        "note": pl.String, "version": pl.Int64,
    },
}

# Amounts have six decimals. As whole millionths in Int64 they are still exact, and sort and sum
# faster than the Decimal's 128-bit integers: rules and reports use them wherever no sum can
# overflow, and give every amount they return back as the Decimal.


def micro_units(amounts: pl.Series, times: int = 1) -> pl.Series | None:
    """Exact decimal amounts as whole millionths in Int64, when any sum of them, each taken up
    to `times` times, fits with room to spare; else None (keep the decimals)."""
    if not isinstance(amounts.dtype, pl.Decimal) or amounts.dtype.scale > 6:
        return None
    physical = amounts.cast(AMOUNT).to_physical()
    if (physical.abs().sum() or 0) * max(times, 1) >= 2**62:
        return None
    return physical.cast(pl.Int64).alias(amounts.name)


def from_micro(values: pl.Series) -> pl.Series:
    """Whole millionths back to the exact decimal amount (a decimal stays as it is)."""
    if values.dtype.is_integer():  # the decimal's own representation: millionths in 128 bits
        return values.cast(pl.Int128).reinterpret(dtype=AMOUNT)
    return values.cast(AMOUNT)


# Where a row came from, for error messages: the row number in an input file (None for rows
# already in the ledger).
ROW = "_row"


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema={**SCHEMAS[table], ROW: pl.Int64})


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the table's columns and types (missing ones null)."""
    schema = {**SCHEMAS[table], ROW: pl.Int64}
    return frame.select(
        [
            (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


@dataclass(frozen=True)
class Ledger:
    regions: pl.DataFrame
    sources: pl.DataFrame
    agreements: pl.DataFrame
    initiatives: pl.DataFrame
    lines: pl.DataFrame
    stated_totals: pl.DataFrame

    @classmethod
    def empty(cls) -> "Ledger":
        return cls(**{f.name: empty(f.name) for f in fields(cls)})

    @classmethod
    def of(cls, **frames: pl.DataFrame) -> "Ledger":
        base = cls.empty()
        return replace(base, **{name: conform(name, frame) for name, frame in frames.items()})

    def tables(self) -> dict[str, pl.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def last_year(self) -> int | None:
        """The last year in which anything changes; every later year equals it."""
        years = pl.concat(
            [
                self.lines.select(pl.col("year_from").alias("y")),
                self.lines.select(pl.col("year_to").alias("y")),
                self.stated_totals.select(pl.col("year_from").alias("y")),
                self.stated_totals.select(pl.col("year_to").alias("y")),
            ]
        )["y"].max()
        return None if years is None else int(years)


def expand_years(lines: pl.DataFrame | pl.LazyFrame, until: int) -> pl.LazyFrame:
    """One row per line and year; permanent lines run to `until`."""
    return (
        lines.lazy()
        .with_columns(
            pl.int_ranges(
                "year_from", pl.min_horizontal(pl.coalesce("year_to", until), until) + 1
            ).alias("year")
        )
        .explode("year")
        .drop_nulls("year")
    )


def initiative_totals(expanded: pl.LazyFrame) -> pl.LazyFrame:
    """Each initiative's whole amount per year and kind.

    Regional lines are "of which" of the national line when one exists; otherwise the
    regions together are the whole.
    """
    national = expanded.filter(pl.col("region") == NATIONAL)
    regional = expanded.filter(pl.col("region") != NATIONAL)
    keys = ["initiative_id", "year", "kind"]
    nat = national.group_by(keys).agg(pl.col("amount").sum().alias("national"))
    reg = regional.group_by(keys).agg(pl.col("amount").sum().alias("regional"))
    return nat.join(reg, on=keys, how="full", coalesce=True).with_columns(
        pl.coalesce("national", "regional").alias("total")
    )


def codes(values: pl.Series, known: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Int64 codes for `values`: the position in `known` (unique, not null), else one code per
    other value after those, null included. Also each code's value, by code.

    Rules and reports work on such codes at scale: integers pack into sortable keys."""
    if len(known) and not known.null_count() and len(values) > 8 * len(known):  # an Enum cast
        found = values.cast(pl.Enum(known), strict=False).to_physical().cast(pl.Int64)
    else:
        table = pl.DataFrame({"v": known}).with_row_index("c")
        found = pl.DataFrame({"v": values}).join(table, on="v", how="left", maintain_order="left")["c"]
        found = found.cast(pl.Int64)
    labels = known.cast(pl.String)
    missing = found.is_null()
    if missing.any():
        extra = values.filter(missing).unique(maintain_order=True)
        more = pl.DataFrame({"v": extra}).with_row_index("c", offset=len(known))
        other = pl.DataFrame({"v": values}).join(more, on="v", how="left", nulls_equal=True, maintain_order="left")
        found = found.fill_null(other["c"].cast(pl.Int64))
        labels = pl.concat([labels, extra.cast(pl.String)])
    return found, labels
