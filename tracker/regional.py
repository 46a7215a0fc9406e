"""Money per region: what the sources state, and national money split by a distribution key.

No source splits money among the regions, so national money meant for the regions is split
by a key (default: population). The result keeps the two apart in a `basis` column:

* `stated`: a line the ledger holds for a region;
* `key`: national money meant for the regions, split by the key (derived, never stated);
* `national`: national money not meant for the regions (it stays "Hele landet").

The split is exact: each national amount is cut in whole kroner (the ledger's sixth decimal)
with the largest-remainder method, so the regions' parts add up to the national amount.
From 2027 Region Hovedstaden and Region Sjælland are one region, Region Østdanmark: a year's
money is split among the regions that exist in that year.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ledger.domain import NATIONAL
from ledger.frames import AMOUNT, Ledger

REGIONS_RECIPIENT = "regionerne"
UNITS = 10**6  # the ledger's smallest amount is 10^-6 mio. kr. = 1 krone
DEFAULT_KEY = "befolkning-2024"
POPULATION_PREFIX = "befolkning"


def regions_by_year(regions: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """The regions that exist in each year (not "Hele landet"): year, region, name."""
    real = regions.filter(pl.col("code") != NATIONAL).select("code", "name", "valid_from", "valid_to")
    grid = pl.DataFrame({"year": years}, schema={"year": pl.Int64}).join(real, how="cross")
    return grid.filter(
        (pl.col("valid_from").is_null() | (pl.col("year") >= pl.col("valid_from")))
        & (pl.col("valid_to").is_null() | (pl.col("year") <= pl.col("valid_to")))
    ).select("year", pl.col("code").alias("region"), "name")


def merger_years(regions: pl.DataFrame) -> list[dict]:
    """Each change in the set of regions: the first year of a successor and the regions that
    became it (2027: Hovedstaden + Sjælland -> Østdanmark)."""
    names = dict(regions.select("code", "name").iter_rows())
    changes = []
    merged = regions.filter(pl.col("successor").is_not_null())
    for successor, group in merged.group_by("successor", maintain_order=True):
        successor = successor[0]
        first = regions.filter(pl.col("code") == successor)["valid_from"]
        year = int(first[0]) if first.len() and first[0] is not None else int(group["valid_to"].max()) + 1
        changes.append({
            "year": year,
            "successor": successor,
            "successor_name": names.get(successor, successor),
            "predecessors": group["code"].to_list(),
            "predecessor_names": [names.get(c, c) for c in group["code"]],
        })
    return sorted(changes, key=lambda c: c["year"])


def for_regions(ledger: Ledger) -> pl.DataFrame:
    """initiative_id -> whether its money is meant for the regions: its recipient, or the
    nearest ancestor's within the same agreement, is the regions."""
    ini = ledger.initiatives
    recipient = dict(ini.select("id", "recipient").iter_rows())
    parent_of = dict(ini.select("id", "parent_id").iter_rows())
    agreement_of = dict(ini.select("id", "agreement_id").iter_rows())
    rows = []
    for node in recipient:
        seen, current, found = set(), node, None
        while current and current not in seen:
            seen.add(current)
            if recipient.get(current):
                found = recipient[current]
                break
            parent = parent_of.get(current)
            current = parent if parent and agreement_of.get(parent) == agreement_of[node] else None
        rows.append((node, (found or "").strip().lower() == REGIONS_RECIPIENT))
    return pl.DataFrame(rows, schema={"initiative_id": pl.String, "for_regions": pl.Boolean}, orient="row")


def key_weights(keys: pl.DataFrame, key_id: str, regions_in_years: pl.DataFrame) -> pl.DataFrame:
    """Each year's regions with their weight in whole units (year, region, weight_units);
    a region the key has no weight for gets none, so it gets no money."""
    weights = keys.filter(pl.col("key_id") == key_id).select(
        "region", (pl.col("weight") * UNITS).cast(pl.Int128).alias("weight_units")
    )
    return regions_in_years.join(weights, on="region", how="inner").select("year", "region", "weight_units")


def split_exact(amounts: pl.DataFrame, weights: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Split each row's `amount` among the year's regions by weight, exactly.

    `amounts` has the columns in `keys` (which include `year`) and `amount`; the result has
    `keys`, `region` and `amount`, and the parts of each row add up to the row's amount."""
    if amounts.height == 0:
        return amounts.select(*keys, pl.lit(None, pl.String).alias("region"), "amount").clear()
    totals = weights.group_by("year").agg(pl.col("weight_units").sum().alias("_total"))
    parts = (
        amounts.with_row_index("_row")
        .with_columns((pl.col("amount") * UNITS).cast(pl.Int128).alias("_units"))
        .join(weights, on="year", how="inner")
        .join(totals, on="year")
        .with_columns(
            (pl.col("_units") * pl.col("weight_units") // pl.col("_total")).alias("_floor"),
            (pl.col("_units") * pl.col("weight_units") % pl.col("_total")).alias("_rest"),
        )
        # the krone units the floors leave over go one each to the largest remainders
        .with_columns((pl.col("_units") - pl.col("_floor").sum().over("_row")).alias("_left"))
        .with_columns(
            pl.col("_rest").rank("ordinal", descending=True).over("_row", order_by="region").alias("_rank")
        )
        .with_columns((pl.col("_floor") + (pl.col("_rank") <= pl.col("_left")).cast(pl.Int128)).alias("_share"))
    )
    return parts.select(
        *keys, "region",
        (pl.col("_share").cast(pl.Decimal(38, 0)) * pl.lit(Decimal(1) / UNITS, AMOUNT)).cast(AMOUNT).alias("amount"),
    )


def by_region(
    ledger: Ledger,
    atoms: pl.DataFrame,
    keys: pl.DataFrame,
    key_id: str = DEFAULT_KEY,
    group: tuple[str, ...] = ("year", "kind"),
) -> pl.DataFrame:
    """Money per region and basis: `group` columns, region (code), basis, amount.

    `atoms` come from `tracker.reports.atoms` (filter them first); `group` may add
    `initiative_id` for a finer split."""
    group = list(group)
    marked = atoms.join(for_regions(ledger), on="initiative_id", how="left").with_columns(
        pl.col("for_regions").fill_null(False)
    )
    stated = (
        marked.filter(pl.col("region") != NATIONAL)
        .group_by(*group, "region").agg(pl.col("amount").sum())
        .with_columns(pl.lit("stated").alias("basis"))
    )
    national = marked.filter(pl.col("region") == NATIONAL)
    kept = (
        national.filter(~pl.col("for_regions"))
        .group_by(group).agg(pl.col("amount").sum())
        .with_columns(pl.lit(NATIONAL).alias("region"), pl.lit("national").alias("basis"))
    )
    to_split = national.filter(pl.col("for_regions")).group_by(group).agg(pl.col("amount").sum())
    years = sorted(set(to_split["year"].to_list()))
    weights = key_weights(keys, key_id, regions_by_year(ledger.regions, years))
    split = split_exact(to_split, weights, group).with_columns(pl.lit("key").alias("basis"))
    # a year none of whose regions the key weighs keeps its money national, never dropped
    unsplit = to_split.join(weights.select("year").unique(), on="year", how="anti").with_columns(
        pl.lit(NATIONAL).alias("region"), pl.lit("national").alias("basis")
    )
    columns = [*group, "region", "basis", "amount"]
    return pl.concat([f.select(columns) for f in (stated, split, kept, unsplit)]).filter(pl.col("amount") != 0)


def as_stated(cells: pl.DataFrame) -> pl.DataFrame:
    """`by_region` cells with the money meant for the regions left national, as the sources
    state it: key-derived cells fold into "Hele landet". Columns: year, kind, region, basis,
    amount and `source_ids` (a list; the folded cell cites every source of its parts)."""
    keyed = pl.col("basis") == "key"
    return (
        cells.with_columns(pl.when(keyed).then(pl.lit(NATIONAL)).otherwise(pl.col("region")).alias("region"),
                           pl.when(keyed).then(pl.lit("national")).otherwise(pl.col("basis")).alias("basis"))
        .group_by("year", "kind", "region", "basis")
        .agg(pl.col("amount").sum(), pl.col("source_ids").list.explode(keep_nulls=False).unique().sort())
    )


def default_key(keys: pl.DataFrame) -> str | None:
    """The key money is split by unless the user chooses another: population, else the first held."""
    held = keys["key_id"].to_list()
    return DEFAULT_KEY if DEFAULT_KEY in held else (held[0] if held else None)


def population(keys: pl.DataFrame, key_id: str | None = None) -> tuple[str | None, pl.DataFrame]:
    """The population key used for kr. pr. indbygger: `key_id` when given, else the newest
    key whose id starts with "befolkning". Returns (key id, frame region -> inhabitants)."""
    if key_id is None:
        candidates = keys.filter(pl.col("key_id").str.starts_with(POPULATION_PREFIX)).sort("as_of", "key_id")
        if candidates.height == 0:
            return None, pl.DataFrame(schema={"region": pl.String, "inhabitants": AMOUNT})
        key_id = candidates["key_id"][-1]
    frame = keys.filter(pl.col("key_id") == key_id).select("region", pl.col("weight").alias("inhabitants"))
    return key_id, frame


def per_inhabitant(frame: pl.DataFrame, inhabitants: pl.DataFrame) -> pl.DataFrame:
    """Adds `per_inhabitant`: kroner per inhabitant (amount in mio. kr. x 10^6 / inhabitants),
    exact to the øre; empty where the region's population is unknown."""
    joined = frame.join(inhabitants, on="region", how="left")
    values = []
    for amount, people in joined.select("amount", "inhabitants").iter_rows():
        if amount is None or not people:
            values.append(None)
        else:
            values.append((amount * UNITS / people).quantize(Decimal("0.01")))
    return joined.with_columns(pl.Series("per_inhabitant", values, pl.Decimal(38, 2))).drop("inhabitants")
