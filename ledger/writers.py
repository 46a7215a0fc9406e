"""Writers: the ledger out to the interchange format (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .frames import Ledger
from .money import plain
from .readers import INTERCHANGE_COLUMNS


def interchange(ledger: Ledger) -> pl.DataFrame:
    """One row per allocation line, every cell as text, in the interchange columns."""
    lines = ledger.lines.sort("id")
    initiatives = ledger.initiatives.select(
        pl.col("id").alias("initiative_id"),
        "agreement_id",
        pl.col("title").alias("initiative_title"),
        pl.col("parent_id").alias("parent_initiative_id"),
    )
    agreements = ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement_title"))
    regions = dict(ledger.regions.select("code", "name").iter_rows())
    frame = (
        lines.join(initiatives, on="initiative_id", how="left", maintain_order="left")
        .join(agreements, on="agreement_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("year_from").cast(pl.String),
            pl.when(pl.col("year_to").is_null())
            .then(pl.lit("varigt"))
            .when(pl.col("year_to") == pl.col("year_from"))
            .then(pl.lit(""))
            .otherwise(pl.col("year_to").cast(pl.String))
            .alias("year_to"),
            pl.col("region").replace_strict(regions, default=pl.col("region")),
            pl.col("amount").map_elements(plain, return_dtype=pl.String).alias("amount_mio_dkk"),
            pl.col("price_level").cast(pl.String),
            pl.col("source_id").alias("source"),
        )
    )
    return frame.select(INTERCHANGE_COLUMNS).with_columns(pl.all().fill_null(""))


def write_interchange(ledger: Ledger, path: str | Path) -> int:
    """Write CSV (comma separated, UTF-8, dot decimals) or XLSX by the file's suffix."""
    path = Path(path)
    frame = interchange(ledger)
    if path.suffix.lower() == ".xlsx":
        out = frame.with_columns(pl.col("amount_mio_dkk").cast(pl.Float64))
        out.write_excel(path, worksheet="linjer", autofit=True, freeze_panes=(1, 0),
                        float_precision=6, column_formats={"amount_mio_dkk": "#,##0.0#####"})
    else:  # empty cells unquoted, as spreadsheets write them
        frame.with_columns(pl.all().replace("", None)).write_csv(path)
    return frame.height
