"""Plan an import: what a file in the interchange format would add, change and leave alone.

A file row is matched to a ledger line by initiative, first year, region and kind. Lines the
file does not mention are left alone: an import adds and corrects, it never removes.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .changes import Changes, apply, diff
from .frames import ROW, Ledger, conform
from .readers import Batch, read_interchange
from .rules import Violation, check

# rule fields named as the interchange columns, so errors point at what the user sees
FILE_FIELDS = {"amount": "amount_mio_dkk", "source_id": "source", "parent_id": "parent_initiative_id",
               "title": "initiative_title"}
LINE_KEY = ["initiative_id", "year_from", "region", "kind"]


@dataclass
class ImportPlan:
    changes: Changes
    violations: list[Violation]
    rows: int

    @property
    def ok(self) -> bool:
        return not self.violations


def _file_field(v: Violation) -> Violation:
    if v.row is None:
        return v
    name = FILE_FIELDS.get(v.field, v.field)
    if v.table == "agreements" and v.field == "title":
        name = "agreement_title"
    if v.table in ("agreements", "initiatives") and v.field == "id":
        name = "agreement_id" if v.table == "agreements" else "initiative_id"
    return Violation(v.table, v.row, v.ref, name, v.value, v.rule, v.detail)


def plan(current: Ledger, batch: Batch, next_id: int | None = None) -> ImportPlan:
    """`next_id`: the first number for new lines. Give `store.next_line_id(engine)`: a removed
    line keeps its number in the history, so the current lines' highest number plus one may be
    taken (the default, for a ledger with no history)."""
    # agreements and initiatives named with a title: new ones, or corrections of the title
    # (and of the parent); what a file cannot say (kind, parties, ...) stays as it is
    named = batch.agreements.select("id", "title", ROW)
    agreements = pl.concat(
        [
            named.join(current.agreements.drop("title", ROW), on="id", how="inner"),
            batch.agreements.join(current.agreements.select("id"), on="id", how="anti"),
        ],
        how="diagonal_relaxed",
    )
    named = batch.initiatives.select("id", "title", "parent_id", "agreement_id", ROW)
    kept = current.initiatives.select("id", "recipient", "channel", "note", pl.col("agreement_id").alias("_now"))
    initiatives = pl.concat(
        [
            named.join(kept, on="id", how="inner")
            .with_columns(pl.coalesce("agreement_id", "_now").alias("agreement_id"))
            .drop("_now"),
            batch.initiatives.join(kept.select("id"), on="id", how="anti"),
        ],
        how="diagonal_relaxed",
    )

    # lines: an empty classification takes its agreement's
    agreement_class = pl.concat(
        [current.agreements.select("id", "classification"), conform("agreements", agreements).select("id", "classification")]
    ).unique("id", keep="last")
    initiative_agreement = pl.concat(
        [current.initiatives.select("id", "agreement_id"), conform("initiatives", initiatives).select("id", "agreement_id")]
    ).unique("id", keep="last")
    lines = (
        batch.lines.join(initiative_agreement.rename({"id": "initiative_id", "agreement_id": "_agr"}), on="initiative_id", how="left")
        .join(agreement_class.rename({"id": "_agr", "classification": "_agr_class"}), on="_agr", how="left")
        .with_columns(pl.coalesce("classification", "_agr_class", pl.lit("public")).alias("classification"))
    )
    # match to ledger lines; a key seen twice in the file keeps only its first row on the match
    existing = current.lines.select(*LINE_KEY, "id")
    lines = lines.join(existing, on=LINE_KEY, how="left", nulls_equal=False).with_columns(
        pl.when(pl.int_range(pl.len()).over(LINE_KEY) == 0).then(pl.col("id")).otherwise(None).alias("id")
    )
    next_id = max(next_id or 0, (current.lines["id"].max() or 0) + 1)
    lines = lines.with_columns(
        pl.when(pl.col("id").is_null())
        .then(pl.col("id").is_null().cum_sum() + next_id - 1)
        .otherwise(pl.col("id"))
        .alias("id")
    )
    changes = diff(
        current,
        {"agreements": agreements, "initiatives": initiatives, "sources": batch.sources, "lines": lines},
    )
    proposed = apply(current, changes)
    found = [_file_field(v) for v in check(proposed)]
    parsed = {(v.row, v.field) for v in batch.violations}
    found = [v for v in found if not (v.rule == "required" and (v.row, v.field) in parsed)]
    violations = sorted(batch.violations + found, key=lambda v: (v.row is None, v.row or 0, v.field))
    return ImportPlan(changes=changes, violations=violations, rows=batch.lines.height)


def plan_file(current: Ledger, path, data: bytes | None = None, next_id: int | None = None) -> ImportPlan:
    return plan(current, read_interchange(path, current, data), next_id)
