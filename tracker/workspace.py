"""The negotiators' workspace: pure polars functions over a ledger (of record, converted to a
price level, or with a scenario applied). Nothing here reads the database or knows a front end.

* `frames`: for each frame (an initiative with sub-initiatives) and year: the frame, what its
  children draw, what remains, and what is on the table against it (expected or proposed).
* `expiring`: money that ends within the horizon, with the yearly amount that falls away.
* `unfunded`: estimated costs with no matching appropriation: the compensation claims.
* `summary`: the key figures per year; `compare`: ledger and scenario side by side.

Amounts are per initiative and year as the lines state them (national, or the regions together
when there is no national line): an initiative's figure includes its "of which" children, which
is what a frame is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import polars as pl

from ledger.domain import KINDS
from ledger.frames import AMOUNT, Ledger, expand_years, initiative_totals

from .reports import Filters, breakdown

DECIDED = "appropriation"
PENDING = ("expected", "proposal")  # on the table against a frame, not decided
ESTIMATE = "estimate"

FRAME_MEASURES = ["frame", "drawn", "remaining", "pending", "remaining_after_pending"]
SUMMARY_MEASURES = ["decided", "not_drawn", "expired", "unfunded", "proposed", "expected"]

LABELS_DA = {
    "frame": "Ramme",
    "drawn": "Udmøntet (underinitiativer)",
    "remaining": "Rest (ikke udmøntet)",
    "pending": "Forventet eller foreslået",
    "remaining_after_pending": "Rest efter forslag",
    "decided": "Besluttet (bevillinger)",
    "not_drawn": "Heraf ikke udmøntet i rammer",
    "expired": "Udløbne midler (bortfaldet årligt beløb)",
    "unfunded": "Ufinansierede udgifter (kompensationskrav)",
    "proposed": "Forslag på bordet",
    "expected": "Forventede midler",
    "estimate": "Skøn",
    "funded": "Heraf finansieret",
    "amount": "Årligt beløb",
}


def _zero() -> pl.Expr:
    return pl.lit(0).cast(AMOUNT)


def amounts_by_initiative(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """Each initiative's amount per year and kind, years `since`..`until` (national, or the
    regions together when there is no national line): initiative_id, year, kind, total."""
    expanded = expand_years(ledger.lines.select("initiative_id", "year_from", "year_to", "region", "kind", "amount"), until)
    return (
        initiative_totals(expanded)
        .filter(pl.col("year").is_between(since, until))
        .select("initiative_id", "year", "kind", pl.col("total").cast(AMOUNT))
        .collect()
    )


def _titles(ledger: Ledger) -> pl.DataFrame:
    return ledger.initiatives.select(
        pl.col("id").alias("initiative_id"), pl.col("title").alias("initiative_title"), "agreement_id", "parent_id"
    ).join(
        ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement_title")),
        on="agreement_id", how="left",
    )


def years_frame(since: int, until: int) -> pl.DataFrame:
    return pl.DataFrame({"year": list(range(since, until + 1))}, schema={"year": pl.Int64})


# -- Rammer ----------------------------------------------------------------------------------


def frames(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """Per frame and year: `frame` (its appropriation), `drawn` (its children's appropriations),
    `remaining` (frame - drawn), `pending` (children's expected money and proposals, not
    subtracted: not decided) and `remaining_after_pending`.

    A frame is an initiative that other initiatives name as parent; it is listed in the years
    where it or its children hold appropriations. Columns: frame_id, frame_title,
    agreement_id, agreement_title, year, then the measures (exact decimals)."""
    totals = amounts_by_initiative(ledger, since, until)
    children = ledger.initiatives.filter(pl.col("parent_id").is_not_null()).select(
        pl.col("id").alias("initiative_id"), pl.col("parent_id").alias("frame_id")
    )
    frame_ids = children.select("frame_id").unique()
    own = (
        totals.filter(pl.col("kind") == DECIDED)
        .select(pl.col("initiative_id").alias("frame_id"), "year", pl.col("total").alias("frame"))
        .join(frame_ids, on="frame_id")
    )
    of_children = totals.join(children, on="initiative_id")
    drawn = of_children.filter(pl.col("kind") == DECIDED).group_by("frame_id", "year").agg(pl.col("total").sum().alias("drawn"))
    pending = (
        of_children.filter(pl.col("kind").is_in(list(PENDING)))
        .group_by("frame_id", "year")
        .agg(pl.col("total").sum().alias("pending"))
    )
    keys = ["frame_id", "year"]
    out = (
        own.join(drawn, on=keys, how="full", coalesce=True)
        .join(pending, on=keys, how="left")
        .with_columns(pl.col("frame", "drawn", "pending").fill_null(_zero()).cast(AMOUNT))
        .with_columns((pl.col("frame") - pl.col("drawn")).cast(AMOUNT).alias("remaining"))
        .with_columns((pl.col("remaining") - pl.col("pending")).cast(AMOUNT).alias("remaining_after_pending"))
    )
    titles = _titles(ledger).select(
        pl.col("initiative_id").alias("frame_id"), pl.col("initiative_title").alias("frame_title"),
        "agreement_id", "agreement_title",
    )
    return (
        out.join(titles, on="frame_id", how="left")
        .select("frame_id", "frame_title", "agreement_id", "agreement_title", "year", *FRAME_MEASURES)
        .sort("agreement_title", "frame_title", "year")
    )


def frame_sources(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """The sources behind each frame's figures per year: the lines of the frame and of its
    children in that year. Columns: frame_id, year, source_ids (list, sorted)."""
    members = pl.concat([
        ledger.initiatives.filter(pl.col("parent_id").is_not_null()).select(
            pl.col("id").alias("initiative_id"), pl.col("parent_id").alias("frame_id")),
        ledger.initiatives.select(pl.col("id").alias("initiative_id"), pl.col("id").alias("frame_id")),
    ])
    lines = expand_years(ledger.lines.select("initiative_id", "year_from", "year_to", "source_id"), until).collect()
    return (
        lines.filter(pl.col("year").is_between(since, until))
        .join(members, on="initiative_id")
        .group_by("frame_id", "year")
        .agg(pl.col("source_id").unique().sort().alias("source_ids"))
    )


# -- Udløber ---------------------------------------------------------------------------------


def expiring(ledger: Ledger, since: int, until: int, kinds: Sequence[str] = (DECIDED,)) -> pl.DataFrame:
    """Initiatives whose money ends within the horizon: the last year with money is `last_year`
    and `since <= last_year + 1 <= until`; `amount` is the yearly amount in the last year, which
    falls away from `falls_away_from`. Permanent money ("varigt") never expires.

    A sub-initiative whose frame still holds money in its last year is left out: its money is
    part of the frame's (it stays in the frame, or falls away with it, listed once on the frame).
    Columns: initiative_id, initiative_title, agreement_id, agreement_title, kind, last_year,
    falls_away_from, amount, source_ids."""
    lines = ledger.lines.filter(pl.col("kind").is_in(list(kinds)))
    span = lines.group_by("initiative_id", "kind").agg(
        pl.col("year_to").is_null().any().alias("_permanent"), pl.col("year_to").max().alias("last_year")
    )
    ends = span.filter(~pl.col("_permanent") & (pl.col("last_year") + 1).is_between(since, until)).drop("_permanent")
    if ends.height == 0:
        return _empty_expiring()
    first = int(lines["year_from"].min())
    totals = amounts_by_initiative(replace(ledger, lines=lines), first, until).rename({"initiative_id": "_id", "total": "_total"})
    titles = _titles(ledger)
    found = (
        ends.join(titles, on="initiative_id", how="left")
        .join(totals, left_on=["initiative_id", "kind", "last_year"], right_on=["_id", "kind", "year"], how="left")
        .rename({"_total": "amount"})
        .join(
            totals.rename({"_total": "_parent_total"}),
            left_on=["parent_id", "kind", "last_year"], right_on=["_id", "kind", "year"], how="left",
        )
        .filter(pl.col("_parent_total").is_null() | (pl.col("_parent_total") == 0))
        .filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))
    )
    sources = (
        lines.join(found.select("initiative_id", "kind", "last_year"), on=["initiative_id", "kind"])
        .filter((pl.col("year_from") <= pl.col("last_year")) & (pl.col("year_to") >= pl.col("last_year")))
        .group_by("initiative_id", "kind")
        .agg(pl.col("source_id").unique().sort().str.join(", ").alias("source_ids"))
    )
    return (
        found.join(sources, on=["initiative_id", "kind"], how="left")
        .with_columns((pl.col("last_year") + 1).alias("falls_away_from"), pl.col("amount").cast(AMOUNT))
        .select(
            "initiative_id", "initiative_title", "agreement_id", "agreement_title", "kind",
            "last_year", "falls_away_from", "amount", "source_ids",
        )
        .sort("falls_away_from", "agreement_title", "initiative_title")
    )


def _empty_expiring() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "initiative_id": pl.String, "initiative_title": pl.String, "agreement_id": pl.String,
        "agreement_title": pl.String, "kind": pl.String, "last_year": pl.Int64, "falls_away_from": pl.Int64,
        "amount": AMOUNT, "source_ids": pl.String,
    })


def expiring_by_year(expired: pl.DataFrame, since: int, until: int) -> pl.DataFrame:
    """Per year: `falls_away` (money ending the year before) and `expired` (every yearly amount
    that has fallen away since `since`, i.e. missing compared with the money before it ended)."""
    years = years_frame(since, until)
    new = expired.group_by(pl.col("falls_away_from").alias("year")).agg(pl.col("amount").sum().alias("falls_away"))
    return (
        years.join(new, on="year", how="left")
        .with_columns(pl.col("falls_away").fill_null(_zero()).cast(AMOUNT))
        .with_columns(pl.col("falls_away").cum_sum().cast(AMOUNT).alias("expired"))
    )


# -- Ufinansieret ----------------------------------------------------------------------------


def unfunded(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """Estimated costs with no matching appropriation: per initiative and year, the estimate,
    the appropriation of the same initiative in the same year that funds it (`funded`, at most
    the estimate) and what is left: `unfunded`, the compensation claim. Rows with nothing
    unfunded are left out. Columns: initiative_id, initiative_title, agreement_id,
    agreement_title, year, estimate, funded, unfunded, source_ids."""
    totals = amounts_by_initiative(ledger, since, until)
    estimates = totals.filter(pl.col("kind") == ESTIMATE).select("initiative_id", "year", pl.col("total").alias("estimate"))
    granted = totals.filter(pl.col("kind") == DECIDED).select("initiative_id", "year", pl.col("total").alias("_granted"))
    out = (
        estimates.join(granted, on=["initiative_id", "year"], how="left")
        .with_columns(pl.col("_granted").fill_null(_zero()))
        .with_columns(
            pl.when(pl.col("_granted") < pl.col("estimate")).then(pl.col("_granted")).otherwise(pl.col("estimate"))
            .cast(AMOUNT).alias("funded")
        )
        .with_columns((pl.col("estimate") - pl.col("funded")).cast(AMOUNT).alias("unfunded"))
        .filter(pl.col("unfunded") > 0)
    )
    sources = (
        ledger.lines.filter(pl.col("kind") == ESTIMATE)
        .group_by("initiative_id")
        .agg(pl.col("source_id").unique().sort().str.join(", ").alias("source_ids"))
    )
    return (
        out.join(_titles(ledger).drop("parent_id"), on="initiative_id", how="left")
        .join(sources, on="initiative_id", how="left")
        .select("initiative_id", "initiative_title", "agreement_id", "agreement_title", "year",
                pl.col("estimate").cast(AMOUNT), "funded", "unfunded", "source_ids")
        .sort("agreement_title", "initiative_title", "year")
    )


def unfunded_by_year(claims: pl.DataFrame, since: int, until: int) -> pl.DataFrame:
    """The compensation claims to raise, per year (0 in a year with none)."""
    totals = claims.group_by("year").agg(pl.col("unfunded").sum())
    return (
        years_frame(since, until).join(totals, on="year", how="left")
        .with_columns(pl.col("unfunded").fill_null(_zero()).cast(AMOUNT))
    )


# -- the key figures and a scenario beside the ledger ----------------------------------------


def totals_by_kind(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """Per year, one column per kind: the report engine's totals ("of which" never counted
    twice), so `appropriation` is the decided money of the year."""
    frame = breakdown(ledger, ["year", "kind"], Filters(kinds=tuple(KINDS), year_from=since, until=until))
    wide = years_frame(since, until)
    for kind in KINDS:
        part = frame.filter(pl.col("kind") == kind).select("year", pl.col("amount").alias(kind))
        wide = wide.join(part, on="year", how="left")
    return wide.with_columns(pl.col(list(KINDS)).fill_null(_zero()).cast(AMOUNT))


def summary(ledger: Ledger, since: int, until: int) -> pl.DataFrame:
    """The key figures per year: decided money, the part not yet drawn in frames, money that has
    expired since `since`, unfunded costs, proposals and expected money."""
    kinds = totals_by_kind(ledger, since, until)
    not_drawn = frames(ledger, since, until).group_by("year").agg(pl.col("remaining").sum().alias("not_drawn"))
    expired = expiring_by_year(expiring(ledger, since, until), since, until).select("year", "expired")
    claims = unfunded_by_year(unfunded(ledger, since, until), since, until)
    return (
        kinds.select("year", pl.col("appropriation").alias("decided"), pl.col("proposal").alias("proposed"),
                     pl.col("expected"))
        .join(not_drawn, on="year", how="left")
        .join(expired, on="year", how="left")
        .join(claims, on="year", how="left")
        .with_columns(pl.col(SUMMARY_MEASURES).fill_null(_zero()).cast(AMOUNT))
        .select("year", *SUMMARY_MEASURES)
        .sort("year")
    )


def side_by_side(left: pl.DataFrame, right: pl.DataFrame, keys: Sequence[str], measures: Sequence[str],
                 labels: Sequence[str] = ("ledger", "scenario"), carry: Sequence[str] = ()) -> pl.DataFrame:
    """Two results of the same report joined on `keys`: for each measure `<m>_ledger`,
    `<m>_scenario` and `<m>_difference` (scenario - ledger); a row only one side has counts 0
    on the other. `carry` columns (titles) are taken from whichever side has the row."""
    a, b = labels

    def side(frame: pl.DataFrame, tag: str) -> pl.DataFrame:
        return frame.select(*keys, *[pl.col(c).alias(f"{c}__{tag}") for c in carry],
                            *[pl.col(m).alias(f"{m}_{tag}") for m in measures])

    joined = side(left, a).join(side(right, b), on=list(keys), how="full", coalesce=True)
    columns = [*keys, *[pl.coalesce(f"{c}__{a}", f"{c}__{b}").alias(c) for c in carry]]
    for m in measures:
        la, lb = pl.col(f"{m}_{a}").fill_null(_zero()), pl.col(f"{m}_{b}").fill_null(_zero())
        columns += [la.cast(AMOUNT).alias(f"{m}_{a}"), lb.cast(AMOUNT).alias(f"{m}_{b}"),
                    (lb - la).cast(AMOUNT).alias(f"{m}_difference")]
    return joined.select(columns).sort(list(keys))


def compare(ledger: Ledger, scenario: Ledger, since: int, until: int) -> dict[str, pl.DataFrame]:
    """The ledger and a scenario side by side: `frames` (per frame and year) and `totals` (the
    key figures per year), each measure as `_ledger`, `_scenario` and `_difference`."""
    frame_keys = ["frame_id", "year"]
    carry = ["frame_title", "agreement_id", "agreement_title"]
    compared_frames = side_by_side(frames(ledger, since, until), frames(scenario, since, until), frame_keys,
                                   FRAME_MEASURES, carry=carry)
    compared_frames = compared_frames.select("frame_id", *carry, "year", *[c for c in compared_frames.columns
                                                                         if c not in (*frame_keys, *carry)])
    totals = side_by_side(summary(ledger, since, until), summary(scenario, since, until), ["year"], SUMMARY_MEASURES)
    return {"frames": compared_frames.sort("agreement_title", "frame_title", "year"), "totals": totals}


# -- lines kept as given when converting to a price level -------------------------------------


def unconverted_cells(unconverted: pl.DataFrame, until: int) -> pl.DataFrame:
    """Initiative, year and kind of every line that has no price level (kept as given)."""
    if unconverted.height == 0:
        return pl.DataFrame(schema={"initiative_id": pl.String, "year": pl.Int64, "kind": pl.String})
    return (
        expand_years(unconverted.select("initiative_id", "year_from", "year_to", "kind"), until)
        .select("initiative_id", "year", "kind").unique().collect()
    )


def flag_unconverted(view: str, frame: pl.DataFrame, cells: pl.DataFrame, ledger: Ledger) -> pl.DataFrame:
    """The view's rows with `not_converted`: true where a line behind the row has no price
    level, so its amount is as given, not in the target price level.

    view: frames (the frame and its children, any kind), expiring (the initiative in its last
    year), unfunded (the initiative's estimates and appropriations in the year), summary (any
    line in the year)."""
    if view == "frames":
        parents = ledger.initiatives.select(pl.col("id").alias("initiative_id"), "parent_id")
        hit = pl.concat([
            cells.select(pl.col("initiative_id").alias("frame_id"), "year"),
            cells.join(parents, on="initiative_id").select(pl.col("parent_id").alias("frame_id"), "year"),
        ]).unique()
        keys = ["frame_id", "year"]
    elif view == "expiring":
        hit = cells.select("initiative_id", pl.col("year").alias("last_year"), "kind").unique()
        keys = ["initiative_id", "last_year", "kind"]
    elif view == "unfunded":
        hit = cells.filter(pl.col("kind").is_in([ESTIMATE, DECIDED])).select("initiative_id", "year").unique()
        keys = ["initiative_id", "year"]
    elif view == "summary":
        hit = cells.select("year").unique()
        keys = ["year"]
    else:
        raise ValueError(f"unknown view '{view}'")
    marked = hit.with_columns(pl.lit(True).alias("not_converted"))
    return frame.join(marked, on=keys, how="left", maintain_order="left").with_columns(
        pl.col("not_converted").fill_null(False)
    )
