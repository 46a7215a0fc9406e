"""Scenarios: named sets of proposals and changes that never touch the ledger of record.

A scenario holds rows in the interchange format (`docs/interchange.md`), stored as CSV text.
Using it plans the rows against the ledger exactly as an import would (`ledger.imports.plan`)
and applies the changes in memory (`ledger.changes.apply`); nothing is ever committed. So a
scenario follows the ledger: it is evaluated against the ledger as it is (or as of a date)
each time it is used, and it is refused, with the same messages as an import, when its rows
break a rule.

One rule beyond an import: a row that gives an appropriation for the same initiative, first
year and region as a proposal line *adopts* the proposal: in the scenario the proposal line
is replaced by the appropriation, so the money is not on the table twice.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import sqlalchemy as sa
from sqlmodel import Field

from .changes import Changes, apply
from .domain import KINDS, label
from .frames import Ledger
from .imports import plan
from .models import SQLModel
from .readers import INTERCHANGE_COLUMNS, read_interchange, read_table
from .rules import RuleViolations, Violation

STORED_NAME = "scenario.csv"  # how stored rows are read back (CSV, header on row 1)


class Scenario(SQLModel, table=True):
    """A saved scenario: its rows in the interchange format, as CSV text."""

    __tablename__ = "scenario"
    id: str = Field(primary_key=True)  # a slug of the name; used in links (?scenario=id)
    name: str
    description: str = ""
    created_by: str = ""
    created_at: datetime
    rows: str = Field(sa_type=sa.Text)


class ScenarioExists(ValueError):
    pass


class ScenarioNotFound(LookupError):
    pass


_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slugify(name: str) -> str:
    """'Kapacitet fra Kræftplan V' -> 'kapacitet-fra-kraeftplan-v' (safe in a link)."""
    text = unicodedata.normalize("NFKC", name).lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug:
        raise ValueError(f"'{name}' is not a usable scenario name: give letters or digits")
    return slug


def rows_text(path: str | Path, data: bytes | None = None) -> str:
    """The rows of an interchange file (CSV or XLSX) as the CSV text a scenario stores."""
    table = read_table(path, data)
    columns = [c for c in INTERCHANGE_COLUMNS if c in table.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in table.select(columns).iter_rows():
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


@dataclass(frozen=True)
class Evaluation:
    """A scenario against a ledger: the ledger as it would be, what changes, and any rule it
    breaks (then `ledger` is still the would-be ledger, but it must not be trusted)."""

    ledger: Ledger
    changes: Changes
    adopted: pl.DataFrame  # proposal lines the scenario turns into appropriations
    violations: list[Violation]
    base: Ledger

    @property
    def ok(self) -> bool:
        return not self.violations

    def effects(self, lang: str = "da") -> pl.DataFrame:
        """Every line the scenario touches: initiative, years, region, kind, the amount in the
        ledger and in the scenario, and what happens to it."""
        cols = ["id", "initiative_id", "year_from", "year_to", "region", "kind", "amount"]
        words = {
            "added": ("ny linje", "new line"), "changed": ("ændret", "changed"),
            "adopted": ("forslag vedtaget", "proposal adopted"),
        }
        what = {k: v[0] if lang == "da" else v[1] for k, v in words.items()}
        parts = []
        if "lines" in self.changes.added:
            parts.append(self.changes.added["lines"].select(cols).with_columns(
                pl.lit(None).cast(self.base.lines["amount"].dtype).alias("ledger"),
                pl.col("amount").alias("scenario"), pl.lit(what["added"]).alias("effect")))
        if "lines" in self.changes.changed:
            now = self.base.lines.select("id", pl.col("amount").alias("ledger"))
            parts.append(self.changes.changed["lines"].select(cols).join(now, on="id", how="left").with_columns(
                pl.col("amount").alias("scenario"), pl.lit(what["changed"]).alias("effect")))
        if self.adopted.height:
            parts.append(self.adopted.select(cols).with_columns(
                pl.col("amount").alias("ledger"), pl.lit(None).cast(self.base.lines["amount"].dtype).alias("scenario"),
                pl.lit(what["adopted"]).alias("effect")))
        schema_cols = ["initiative_id", "year_from", "year_to", "region", "kind", "ledger", "scenario", "effect"]
        if not parts:
            return pl.DataFrame(schema={
                "initiative_id": pl.String, "initiative_title": pl.String, "year_from": pl.Int64,
                "year_to": pl.Int64, "region": pl.String, "kind": pl.String,
                "ledger": self.base.lines["amount"].dtype, "scenario": self.base.lines["amount"].dtype,
                "effect": pl.String})
        frame = pl.concat([p.select(schema_cols) for p in parts], how="vertical_relaxed")
        titles = self.ledger.initiatives.select(pl.col("id").alias("initiative_id"),
                                                pl.col("title").alias("initiative_title"))
        frame = frame.join(titles, on="initiative_id", how="left").select(
            "initiative_id", "initiative_title", *schema_cols[1:])
        names = dict(self.base.regions.select("code", "name").iter_rows())
        return frame.with_columns(
            pl.col("kind").replace_strict({k: label(KINDS, k, lang) for k in KINDS}, default=pl.col("kind")),
            pl.col("region").replace_strict(names, default=pl.col("region")),
        ).sort("initiative_id", "year_from", "effect")


def evaluate(current: Ledger, rows: str | bytes, name: str = STORED_NAME) -> Evaluation:
    """The scenario's rows against `current`: the would-be ledger, the changes, and every rule
    the result breaks (with the rows' numbers, as an import reports them). Pure: writes nothing."""
    data = rows.encode("utf-8") if isinstance(rows, str) else rows
    batch = read_interchange(name, current, data)
    decided = batch.lines.filter(pl.col("kind") == "appropriation").select("initiative_id", "year_from", "region").unique()
    adopted = current.lines.filter(pl.col("kind") == "proposal").join(
        decided, on=["initiative_id", "year_from", "region"], how="semi"
    )
    base = replace(current, lines=current.lines.filter(~pl.col("id").is_in(adopted["id"].implode())))
    planned = plan(base, batch)
    return Evaluation(
        ledger=apply(base, planned.changes), changes=planned.changes, adopted=adopted,
        violations=planned.violations, base=current,
    )


def scenario_ledger(current: Ledger, scenario: Scenario) -> Evaluation:
    return evaluate(current, scenario.rows)


# -- storage ---------------------------------------------------------------------------------


def save(engine: sa.Engine, name: str, rows: str, current: Ledger, description: str = "",
         created_by: str = "", replace_existing: bool = False, source_name: str = STORED_NAME,
         source_data: bytes | None = None) -> Scenario:
    """Store a scenario after checking its rows against `current` (the ledger of record as
    it is). Raises RuleViolations (nothing stored) when a row breaks a rule, ScenarioExists when
    the name is taken and `replace_existing` is false. `source_name`/`source_data`: the file
    as the user gave it, so that errors name its rows."""
    if not name.strip():
        raise ValueError("a scenario needs a name")
    checked = evaluate(current, source_data if source_data is not None else rows, source_name)
    if checked.violations:
        raise RuleViolations(checked.violations)
    scenario = Scenario(id=slugify(name), name=name.strip(), description=description, created_by=created_by,
                        created_at=datetime.now(timezone.utc), rows=rows)
    table = Scenario.__table__
    with engine.begin() as connection:
        exists = connection.execute(sa.select(table.c.id).where(table.c.id == scenario.id)).first()
        if exists and not replace_existing:
            raise ScenarioExists(f"a scenario '{scenario.id}' already exists; choose another name or replace it")
        if exists:
            connection.execute(table.delete().where(table.c.id == scenario.id))
        connection.execute(table.insert().values(**scenario.model_dump()))
    return scenario


def _from_row(row) -> Scenario:
    values = dict(row._mapping)
    at = values["created_at"]
    if at is not None and at.tzinfo is None:
        values["created_at"] = at.replace(tzinfo=timezone.utc)
    return Scenario(**values)


def list_scenarios(engine: sa.Engine) -> list[Scenario]:
    table = Scenario.__table__
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table).order_by(table.c.created_at, table.c.id)).fetchall()
    return [_from_row(r) for r in rows]


def get(engine: sa.Engine, name: str) -> Scenario:
    """A scenario by its id or its name (any case). Raises ScenarioNotFound."""
    table = Scenario.__table__
    with engine.connect() as connection:
        row = connection.execute(sa.select(table).where(table.c.id == name)).first()
        if row is None:
            row = connection.execute(
                sa.select(table).where(sa.func.lower(table.c.name) == name.strip().lower())
            ).first()
        if row is None:
            try:
                slug = slugify(name)
            except ValueError:
                slug = None
            if slug:
                row = connection.execute(sa.select(table).where(table.c.id == slug)).first()
    if row is None:
        known = ", ".join(s.id for s in list_scenarios(engine)) or "none yet"
        raise ScenarioNotFound(f"no scenario '{name}' (known: {known})")
    return _from_row(row)


def line_count(scenario: Scenario) -> int:
    rows = [r for r in csv.reader(io.StringIO(scenario.rows)) if any(c.strip() for c in r)]
    return max(0, len(rows) - 1)
