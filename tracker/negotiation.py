"""What negotiators ask of the ledger, shared by the CLI, the brief and the app: the ledger (now
or as of a date), optionally with a scenario applied beside it, converted to a target price
level, and the workspace's reports over both. Pure once the inputs are loaded (`build`);
`open_workspace` loads them from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Sequence

import polars as pl
import sqlalchemy as sa

from ledger import scenarios, store
from ledger.frames import AMOUNT, Ledger
from ledger.rules import RuleViolations

from . import workspace
from .prices import PriceIndex, convert_ledger, load_index
from .reports import Filters, breakdown, default_horizon

VIEWS = ("summary", "frames", "expiring", "unfunded")
# how each view's rows are matched when a scenario is put beside the ledger
VIEW_KEYS: dict[str, tuple[list[str], list[str], list[str]]] = {
    # view: (keys, carried columns, measures)
    "summary": (["year"], [], workspace.SUMMARY_MEASURES),
    "frames": (["frame_id", "year"], ["frame_title", "agreement_id", "agreement_title"], workspace.FRAME_MEASURES),
    "expiring": (["initiative_id", "kind", "last_year", "falls_away_from"],
                 ["initiative_title", "agreement_id", "agreement_title", "source_ids"], ["amount"]),
    "unfunded": (["initiative_id", "year"], ["initiative_title", "agreement_id", "agreement_title", "source_ids"],
                 ["estimate", "funded", "unfunded"]),
}


class ScenarioBroken(RuleViolations):
    """A saved scenario that no longer fits the ledger (the ledger changed since it was made)."""

    def __init__(self, name: str, violations):
        super().__init__(violations)
        self.args = (f"scenario '{name}' no longer fits the ledger; {self.args[0]}",)


@dataclass(frozen=True)
class Side:
    """The ledger or the scenario, as shown: converted to the target level when one is given."""

    ledger: Ledger
    unconverted: pl.DataFrame  # lines kept as given (no price level); empty without a target
    converted_part: Ledger | None  # the ledger with only the unconverted amounts (see prices)


@dataclass(frozen=True)
class Workspace:
    record: Side
    scenario_side: Side | None
    scenario: scenarios.Scenario | None
    evaluation: scenarios.Evaluation | None
    target: int | None
    index: PriceIndex
    since: int
    until: int
    as_of: datetime | None = None
    include_confidential: bool = True

    @property
    def has_scenario(self) -> bool:
        return self.scenario_side is not None

    def years(self) -> list[int]:
        return list(range(self.since, self.until + 1))

    def _view(self, name: str, side: Side) -> pl.DataFrame:
        if name not in VIEWS:
            raise ValueError(f"unknown view '{name}'; choose from {', '.join(VIEWS)}")
        fn = {"summary": workspace.summary, "frames": workspace.frames, "expiring": workspace.expiring,
              "unfunded": workspace.unfunded}[name]
        frame = fn(side.ledger, self.since, self.until)
        if self.target is not None:
            cells = workspace.unconverted_cells(side.unconverted, self.until)
            frame = workspace.flag_unconverted(name, frame, cells, side.ledger)
        return frame

    def view(self, name: str) -> pl.DataFrame:
        """A workspace report on the ledger of record."""
        return self._view(name, self.record)

    def scenario_view(self, name: str) -> pl.DataFrame:
        if self.scenario_side is None:
            raise ValueError("no scenario")
        return self._view(name, self.scenario_side)

    def compared(self, name: str) -> pl.DataFrame:
        """The report for the ledger and the scenario side by side (`<m>_ledger`,
        `<m>_scenario`, `<m>_difference`)."""
        keys, carry, measures = VIEW_KEYS[name]
        left, right = self.view(name), self.scenario_view(name)
        joined = workspace.side_by_side(left, right, keys, measures, carry=carry)
        if self.target is not None:
            flags = pl.concat([left.select(*keys, "not_converted"), right.select(*keys, "not_converted")])
            flags = flags.group_by(keys).agg(pl.col("not_converted").any())
            joined = joined.join(flags, on=keys, how="left", maintain_order="left")
        ordered = [*keys[:1], *carry, *keys[1:]]
        return joined.select(*ordered, *[c for c in joined.columns if c not in ordered])

    def breakdown(self, by: Sequence[str], filters: Filters, depth: int = 1, lang: str = "da") -> pl.DataFrame:
        """The report engine's breakdown; with a target level, `not_converted` is the part of
        each amount from lines with no price level (as given); with a scenario, ledger and
        scenario side by side."""
        def one(side: Side) -> pl.DataFrame:
            frame = breakdown(side.ledger, by, filters, depth=depth, lang=lang)
            if self.target is None:
                return frame
            part = breakdown(side.converted_part, by, filters, depth=depth, lang=lang)
            keys = [c for c in frame.columns if c != "amount"]
            return frame.join(part.rename({"amount": "not_converted"}), on=keys, how="left", nulls_equal=True,
                              maintain_order="left").with_columns(
                pl.col("not_converted").fill_null(pl.lit(0).cast(AMOUNT)).cast(AMOUNT))

        left = one(self.record)
        if self.scenario_side is None:
            return left
        right = one(self.scenario_side)
        dims = [c for c in left.columns if c not in ("amount", "not_converted")]
        measures = ["amount"] + (["not_converted"] if self.target is not None else [])
        ids = [c for c in dims if not c.endswith("_title")]
        titles = [c for c in dims if c.endswith("_title")]
        out = workspace.side_by_side(left, right, ids, measures, carry=titles)
        return out.select(*dims, *[c for c in out.columns if c not in dims])

    def unconverted_lines(self) -> pl.DataFrame:
        """Every line shown as given for want of a price level (ledger and scenario)."""
        parts = [self.record.unconverted.with_columns(pl.lit("ledger").alias("side"))]
        if self.scenario_side is not None:
            extra = self.scenario_side.unconverted.join(self.record.unconverted.select("id", "amount"),
                                                        on=["id", "amount"], how="anti")
            parts.append(extra.with_columns(pl.lit("scenario").alias("side")))
        return pl.concat(parts)

    def effects(self, lang: str = "da") -> pl.DataFrame:
        return self.evaluation.effects(lang) if self.evaluation is not None else pl.DataFrame()

    def sources(self) -> pl.DataFrame:
        """The sources behind the figures shown: every source cited by a line with money in the
        years shown (ledger and scenario)."""
        ledgers = [self.record.ledger] + ([self.scenario_side.ledger] if self.scenario_side else [])
        cited = pl.concat([
            led.lines.filter((pl.col("year_from") <= self.until)
                             & (pl.col("year_to").is_null() | (pl.col("year_to") >= self.since)))
            .select("source_id") for led in ledgers
        ]).unique()
        every = pl.concat([led.sources for led in ledgers], how="vertical_relaxed").unique("id", keep="first")
        return every.join(cited, left_on="id", right_on="source_id", how="semi").sort("id").select(
            "id", "document", "case_no", "date", "location", "url")


def _side(ledger: Ledger, index: PriceIndex, target: int | None) -> Side:
    if target is None:
        return Side(ledger=ledger, unconverted=ledger.lines.head(0), converted_part=None)
    conversion = convert_ledger(ledger, index, target)
    return Side(ledger=conversion.ledger, unconverted=conversion.unconverted,
                converted_part=conversion.unconverted_part())


def period(as_of: datetime | None = None, since: int | None = None, until: int | None = None) -> tuple[int, int]:
    """The years shown: from the as-of year (this year) to the report horizon (+3 years)."""
    day = as_of.date() if as_of else date.today()
    first = since if since is not None else day.year
    last = until if until is not None else default_horizon(day)
    if last < first:
        raise ValueError(f"the last year ({last}) is before the first ({first})")
    return first, last


def build(ledger: Ledger, index: PriceIndex, target: int | None = None,
          scenario: scenarios.Scenario | None = None, since: int | None = None, until: int | None = None,
          as_of: datetime | None = None, include_confidential: bool = True) -> Workspace:
    """The workspace over a loaded ledger. Raises PriceIndexError when the index cannot reach
    the target level and ScenarioBroken when the scenario breaks a rule on this ledger."""
    first, last = period(as_of, since, until)
    evaluation = None
    scenario_side = None
    if scenario is not None:
        evaluation = scenarios.scenario_ledger(ledger, scenario)
        if evaluation.violations:
            raise ScenarioBroken(scenario.name, evaluation.violations)
        scenario_side = _side(evaluation.ledger, index, target)
    return Workspace(record=_side(ledger, index, target), scenario_side=scenario_side, scenario=scenario,
                     evaluation=evaluation, target=target, index=index, since=first, until=last, as_of=as_of,
                     include_confidential=include_confidential)


def open_workspace(engine: sa.Engine, as_of: datetime | None = None, price_level: int | None = None,
                   scenario: str | None = None, since: int | None = None, until: int | None = None,
                   include_confidential: bool = True) -> Workspace:
    """Load the ledger (as of a time), the price index and the named scenario, and build."""
    ledger = store.load(engine, as_of=as_of, include_confidential=include_confidential)
    chosen = scenarios.get(engine, scenario) if scenario else None
    return build(ledger, load_index(engine), price_level, chosen, since, until, as_of, include_confidential)


# -- acting as a user (ledger.access): scenarios and briefs are for negotiators ---------------


def workspace_as(engine: sa.Engine, actor, as_of: datetime | None = None, price_level: int | None = None,
                 scenario: str | None = None, since: int | None = None, until: int | None = None,
                 confidential: bool = True) -> Workspace:
    """The workspace as this user may see it: a reader sees public figures and no scenario;
    scenarios (and confidential figures) need a negotiator."""
    from ledger.access import require

    require(actor, "read", "read the ledger", engine)
    if scenario:
        require(actor, "see_confidential", "use scenarios", engine)
    return open_workspace(engine, as_of, price_level, scenario, since, until,
                          include_confidential=confidential and actor.may_see_confidential)


def brief_as(engine: sa.Engine, actor, out, as_of: datetime | None = None, price_level: int | None = None,
             scenario: str | None = None, since: int | None = None, until: int | None = None,
             confidential: bool = False):
    """Write the brief (XLSX and one-page HTML) as this user: negotiators only. Public figures
    unless `confidential` (then the brief says FORTROLIG on every sheet)."""
    from ledger.access import require

    from .brief import write_brief

    require(actor, "see_confidential", "make a negotiation brief", engine)
    ws = open_workspace(engine, as_of, price_level, scenario, since, until, include_confidential=confidential)
    return write_brief(ws, out)


def save_scenario_as(engine: sa.Engine, actor, name: str, path, data: bytes | None = None, description: str = "",
                     replace_existing: bool = False) -> scenarios.Scenario:
    """Check a file's rows against the ledger of record and save them as a scenario (negotiators)."""
    from pathlib import Path

    from ledger.access import require

    require(actor, "see_confidential", "save scenarios", engine)
    raw = data if data is not None else Path(path).read_bytes()
    rows = scenarios.rows_text(path, raw)
    return scenarios.save(engine, name, rows, store.load(engine), description=description, created_by=actor.name,
                          replace_existing=replace_existing, source_name=Path(path).name, source_data=raw)


def set_price_rise_as(engine: sa.Engine, actor, year: int, rise_pct, source: str, note: str = "") -> dict:
    """Add or correct a year of the price and wage index: administrators only."""
    from ledger.access import require

    from .prices import set_rise

    require(actor, "administer", "change the price index", engine)
    return set_rise(engine, year, rise_pct, source, author=actor.name, note=note)
