"""Changes to the ledger as data: what is added, changed and removed, and what stays.

`diff` compares proposed rows with the current ledger; `apply` gives the ledger as it would be.
Both are pure, so the same code previews an import, validates a write and runs a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from .frames import ROW, SCHEMAS, Ledger, conform

TABLES = ("sources", "agreements", "initiatives", "lines", "stated_totals")


def value_columns(table: str) -> list[str]:
    return [c for c in SCHEMAS[table] if c not in ("id", "version")]


@dataclass
class Changes:
    added: dict[str, pl.DataFrame] = field(default_factory=dict)
    changed: dict[str, pl.DataFrame] = field(default_factory=dict)  # new values; `version` = the one replaced
    removed: dict[str, pl.DataFrame] = field(default_factory=dict)  # id, version
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, table: str) -> int:
        frame = getattr(self, kind).get(table)
        return 0 if frame is None else frame.height

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            table: {
                "added": self.count("added", table),
                "changed": self.count("changed", table),
                "removed": self.count("removed", table),
                "unchanged": self.unchanged.get(table, 0),
            }
            for table in TABLES
        }

    def is_empty(self) -> bool:
        return not any(
            self.count(kind, table) for kind in ("added", "changed", "removed") for table in TABLES
        )


def diff(
    current: Ledger,
    proposed: dict[str, pl.DataFrame],
    removals: dict[str, list] | None = None,
) -> Changes:
    """Rows in `proposed` (keyed by id) against the current ledger."""
    changes = Changes()
    for table in TABLES:
        rows = proposed.get(table)
        if rows is not None and rows.height:
            rows = conform(table, rows)
            values = value_columns(table)
            now = getattr(current, table).select(
                "id", "version", *[pl.col(c).alias(f"{c}__now") for c in values if c != ROW]
            )
            joined = rows.drop("version").join(now, on="id", how="left")
            same = pl.all_horizontal(
                [pl.col(c).eq_missing(pl.col(f"{c}__now")) for c in values if c != ROW]
            )
            new = joined.filter(pl.col("version").is_null())
            existing = joined.filter(pl.col("version").is_not_null())
            changed = existing.filter(~same)
            keep = list(SCHEMAS[table]) + [ROW]
            if new.height:
                changes.added[table] = new.select(keep).with_columns(pl.lit(1, pl.Int64).alias("version"))
            if changed.height:
                changes.changed[table] = changed.select(keep)
            changes.unchanged[table] = existing.height - changed.height
        gone = (removals or {}).get(table)
        if gone:
            frame = getattr(current, table)
            changes.removed[table] = frame.filter(pl.col("id").is_in(list(gone))).select("id", "version")
    return changes


def apply(current: Ledger, changes: Changes) -> Ledger:
    """The ledger as it would be after the changes (versions are not yet advanced)."""
    tables = {}
    for table in TABLES:
        frame = getattr(current, table)
        touched = [
            getattr(changes, kind)[table]["id"]
            for kind in ("changed", "removed")
            if table in getattr(changes, kind)
        ]
        if touched:
            frame = frame.filter(~pl.col("id").is_in(pl.concat(touched).implode()))
        extra = [getattr(changes, kind)[table] for kind in ("added", "changed") if table in getattr(changes, kind)]
        if extra:
            frame = pl.concat([frame, *[conform(table, e) for e in extra]], how="vertical_relaxed")
        tables[table] = frame
    return replace(current, **tables)
