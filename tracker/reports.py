"""The report engine: pure functions over the ledger's polars frames.

The core is `atoms`: the money split so that nothing is counted twice. Each atom is money an
initiative holds itself, not passed on to a sub-initiative ("of which") or a region:

* a line adds its amount to its initiative, in its region ("hele-landet" when national);
* a regional line is part of the same initiative's national line, when there is one, so it
  is taken off that national line;
* a sub-initiative's money is part of its parent's frame of the same kind and year, so it is
  taken off the parent (in the region the parent names, else off the parent's national line).

What is left on a parent with children is its "ikke udmøntet" remainder. Every total is a
plain sum of atoms, so it equals the sum of the source figures exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

import polars as pl

from ledger.domain import KINDS, NATIONAL, label
from ledger.frames import AMOUNT, Ledger, expand_years

DIMENSIONS = ("year", "agreement", "initiative", "region", "kind")
REMAINDER_DA = "ikke udmøntet"
REMAINDER_EN = "not yet allocated"


def default_horizon(today: date | None = None) -> int:
    """Permanent lines run to this year + 3 unless a report says otherwise."""
    return (today or date.today()).year + 3


def atoms(ledger: Ledger, until: int, kinds: Iterable[str] | None = None) -> pl.DataFrame:
    """Net money per initiative, year, region and kind: no euro counted twice."""
    lines = ledger.lines.lazy()
    if kinds is not None:
        lines = lines.filter(pl.col("kind").is_in(list(kinds)))
    parents = ledger.initiatives.lazy().select(pl.col("id").alias("initiative_id"), "parent_id")
    expanded = expand_years(
        lines.select("initiative_id", "year_from", "year_to", "region", "kind", "amount"), until
    ).select("initiative_id", "year", "region", "kind", "amount")
    keys = ["initiative_id", "year", "kind"]

    national = expanded.filter(pl.col("region") == NATIONAL)
    regional = expanded.filter(pl.col("region") != NATIONAL)
    has_national = national.select(keys).unique()
    # regional lines are "of which" of the initiative's own national line
    within_national = regional.join(has_national, on=keys).select(
        "initiative_id", "year", pl.lit(NATIONAL).alias("region"), "kind", -pl.col("amount")
    )
    own = pl.concat([expanded, within_national]).group_by([*keys, "region"]).agg(pl.col("amount").sum())

    # sub-initiatives are "of which" of their parent's frame of the same kind
    parent_regions = regional.select(
        pl.col("initiative_id").alias("parent_id"), "year", "kind", "region", pl.lit(True).alias("_named")
    ).unique()
    parent_kinds = expanded.select(pl.col("initiative_id").alias("parent_id"), "year", "kind").unique()
    drawn = (
        own.join(parents, on="initiative_id")
        .filter(pl.col("parent_id").is_not_null())
        .join(parent_kinds, on=["parent_id", "year", "kind"])
        .join(parent_regions, on=["parent_id", "year", "kind", "region"], how="left")
        .select(
            pl.col("parent_id").alias("initiative_id"),
            "year",
            "kind",
            pl.when(pl.col("_named")).then(pl.col("region")).otherwise(pl.lit(NATIONAL)).alias("region"),
            -pl.col("amount"),
        )
    )
    return (
        pl.concat([own, drawn.select(own.collect_schema().names())])
        .group_by([*keys, "region"])
        .agg(pl.col("amount").sum())
        .filter(pl.col("amount") != 0)
        .collect()
    )


def initiative_tree(ledger: Ledger) -> pl.DataFrame:
    """Each initiative with its depth inside its agreement (1 = top) and its ancestors.

    A parent in another agreement (Kræftplan V drawing on the Sundhedspakke's cancer frame)
    does not make the initiative deeper: depth counts within the agreement."""
    ini = ledger.initiatives.select("id", "agreement_id", "parent_id", "title")
    agreement_of = dict(ini.select("id", "agreement_id").iter_rows())
    parent_of = dict(ini.select("id", "parent_id").iter_rows())
    has_children = set(p for p in parent_of.values() if p)
    rows = []
    for ini_id, agreement_id in agreement_of.items():
        chain = [ini_id]
        seen = {ini_id}
        parent = parent_of.get(ini_id)
        while parent and agreement_of.get(parent) == agreement_id and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = parent_of.get(parent)
        rows.append((ini_id, len(chain), list(reversed(chain)), ini_id in has_children))
    return pl.DataFrame(
        rows, schema={"id": pl.String, "depth": pl.Int64, "path": pl.List(pl.String), "has_children": pl.Boolean},
        orient="row",
    ).join(ini, on="id", how="left")


@dataclass(frozen=True)
class Filters:
    kinds: Sequence[str] = ("appropriation",)
    agreements: Sequence[str] | None = None
    initiatives: Sequence[str] | None = None
    regions: Sequence[str] | None = None
    year_from: int | None = None
    until: int | None = None


def breakdown(
    ledger: Ledger,
    by: Sequence[str],
    filters: Filters = Filters(),
    depth: int = 1,
    lang: str = "da",
    atoms_frame: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Amounts by any of year, agreement, initiative (at `depth`), region and kind.

    Columns: one per dimension (agreement and initiative as `*_id` and `*_title`, region as
    its name, kind as its code), then `amount` in mio. kr. (exact decimal)."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s) {unknown}; choose from {', '.join(DIMENSIONS)}")
    until = filters.until or default_horizon()
    frame = atoms_frame if atoms_frame is not None else atoms(ledger, until, filters.kinds)
    frame = frame.filter(pl.col("year") <= until)
    if filters.kinds is not None:
        frame = frame.filter(pl.col("kind").is_in(list(filters.kinds)))
    if filters.year_from is not None:
        frame = frame.filter(pl.col("year") >= filters.year_from)
    if filters.regions is not None:
        frame = frame.filter(pl.col("region").is_in(list(filters.regions)))

    tree = initiative_tree(ledger)
    frame = frame.join(tree.select(pl.col("id").alias("initiative_id"), "agreement_id", "depth", "path", "has_children"),
                       on="initiative_id", how="left")
    if filters.agreements is not None:
        frame = frame.filter(pl.col("agreement_id").is_in(list(filters.agreements)))
    if filters.initiatives is not None:
        frame = frame.filter(
            pl.col("path").list.eval(pl.element().is_in(list(filters.initiatives))).list.any()
        )

    group: list[str] = []
    if "initiative" in by:
        # the initiative shown: the ancestor at `depth`; a parent shown beside its children
        # shows only its remainder, so it is marked as such
        frame = frame.with_columns(
            pl.col("path").list.get(pl.min_horizontal(pl.col("depth"), depth) - 1).alias("_shown"),
            (pl.col("has_children") & (pl.col("depth") < depth)).alias("remainder"),
        )
    for dim in by:
        if dim == "initiative":
            group += ["_shown", "remainder"]
        elif dim == "agreement":
            group.append("agreement_id")
        else:
            group.append(dim)
    result = frame.group_by(group).agg(pl.col("amount").sum()) if group else frame.select(pl.col("amount").sum())
    result = result.with_columns(pl.col("amount").cast(AMOUNT))
    labelled = _label(result, ledger, by, lang)
    return labelled.sort([c for c in _label_order(by) if c in labelled.columns])


def _label_order(by: Sequence[str]) -> list[str]:
    order = []
    for dim in by:
        order += {"agreement": ["agreement_title"], "initiative": ["initiative_title"]}.get(dim, [dim])
    return order


def _label(result: pl.DataFrame, ledger: Ledger, by: Sequence[str], lang: str) -> pl.DataFrame:
    columns: list = []
    if "agreement" in by:
        titles = ledger.agreements.select(pl.col("id").alias("agreement_id"), pl.col("title").alias("agreement_title"))
        result = result.join(titles, on="agreement_id", how="left")
    if "initiative" in by:
        titles = ledger.initiatives.select(pl.col("id").alias("_shown"), pl.col("title").alias("_title"))
        suffix = REMAINDER_DA if lang == "da" else REMAINDER_EN
        result = result.join(titles, on="_shown", how="left").with_columns(
            pl.col("_shown").alias("initiative_id"),
            pl.when(pl.col("remainder"))
            .then(pl.format("{} ({})", pl.col("_title"), pl.lit(suffix)))
            .otherwise(pl.col("_title"))
            .alias("initiative_title"),
        )
    if "region" in by:
        names = dict(ledger.regions.select("code", "name").iter_rows())
        result = result.with_columns(pl.col("region").replace_strict(names, default=pl.col("region")))
    for dim in by:
        columns += {
            "agreement": ["agreement_id", "agreement_title"],
            "initiative": ["initiative_id", "initiative_title"],
        }.get(dim, [dim])
    return result.select(*columns, "amount")


def kind_label(code: str, lang: str = "da") -> str:
    return label(KINDS, code, lang)
