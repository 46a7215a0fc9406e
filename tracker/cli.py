"""The `tracker` command line."""

from __future__ import annotations

import getpass
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import polars as pl
import typer

from ledger import access, scenarios, store
from ledger.assertions import check_totals
from ledger.domain import KIND_ALIASES, KINDS
from ledger.imports import plan_file
from ledger.money import plain
from ledger.readers import FormatError
from ledger.rules import RuleViolations, check
from ledger.writers import write_interchange

from . import negotiation, services
from .cli_users import app as users_app
from .prices import PriceIndexError, convert_ledger, load_index
from .reports import DIMENSIONS, Filters, breakdown, default_horizon

app = typer.Typer(help="The tracker: a ledger of the money in Danish political health agreements.",
                  no_args_is_help=True, add_completion=False)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


AsOfOption = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Show the ledger as it stood then: a date (end of that day) or an ISO date and time."),
]
DatabaseOption = Annotated[
    Optional[str],
    typer.Option("--database", envvar="TRACKER_DATABASE_URL", help="SQLAlchemy URL; default: the embedded SQLite file."),
]


PriceLevelOption = Annotated[
    Optional[int],
    typer.Option("--price-level", help="Convert every amount to this year's price level ('i 2026-pl') with the price "
                                        "index; lines with no price level are kept as given and flagged."),
]
ScenarioOption = Annotated[
    Optional[str],
    typer.Option("--scenario", help="A saved scenario (id or name), shown beside the ledger; see `tracker scenario`."),
]
UserOption = Annotated[
    Optional[str], typer.Option("--user", envvar="TRACKER_USER", help="Act as this user (needed once users exist)."),
]


def _engine(database: str | None):
    return services.open_ledger(database)


def _load(database: str | None, as_of: str | None = None, user: str | None = None, for_reports: bool = True):
    """The ledger as the acting user may see it (a reader: without confidential figures)."""
    engine = _engine(database)
    moment = _moment(as_of)
    try:
        return services.ledger_for(engine, _actor(engine, user), as_of=moment, for_reports=for_reports)
    except access.Forbidden as exc:
        _fail(f"{exc}")


def _fail(message: str, code: int = 1):
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def init(database: DatabaseOption = None, seeds: Annotated[Path, typer.Option(help="Folder of seed files.")] = services.SEEDS):
    """Create the schema and load the seed ledger into an empty database (twice changes nothing)."""
    engine = _engine(database)
    try:
        result = services.init(engine, seeds)
    except RuleViolations as refused:
        _fail("\n".join(v.as_text() for v in refused.violations) + "\nThe seeds were refused; nothing was written.")
    if result is None:
        typer.echo("The ledger already holds data; nothing was changed.")
        return
    counts = result.summary
    typer.echo("Seeded the ledger: " + ", ".join(f"{counts[t]['added']} {t.replace('_', ' ')}" for t in counts))


@app.command()
def validate(as_of: AsOfOption = None, database: DatabaseOption = None, user: UserOption = None):
    """Check every rule and every stated total; exit 1 when a rule is broken."""
    ledger = _load(database, as_of, user, for_reports=False)
    violations = check(ledger)
    for v in violations:
        typer.echo(f"ERROR {v.as_text()}")
    findings = check_totals(ledger)
    for f in findings:
        typer.echo(f"{f.status.upper():9} {f.message()}  [{f.stated_total_id}, source {f.source_id}]")
    holds = sum(f.status == "holds" for f in findings)
    differs = sum(f.status == "differs" for f in findings)
    typer.echo(
        f"{len(violations)} rule violation(s); stated totals: {holds} hold, {differs} differ, "
        f"{len(findings) - holds - differs} cannot be checked"
    )
    if violations:
        raise typer.Exit(1)


def _kinds(values: list[str] | None) -> list[str]:
    if not values:
        return ["appropriation"]
    kinds = []
    for value in values:
        if value.lower() == "all":
            kinds += list(KINDS)
            continue
        code = KIND_ALIASES.get(value.lower())
        if code is None:
            raise typer.BadParameter(f"unknown kind '{value}'; use one of {', '.join(KINDS)} or all")
        kinds.append(code)
    return kinds


def _emit(frame: pl.DataFrame, fmt: Format) -> None:
    """Amounts (exact decimals) as `<name>_mio_dkk` with a dot decimal."""
    amounts = [c for c, dtype in frame.schema.items() if isinstance(dtype, pl.Decimal)]
    out = frame.with_columns(
        pl.col(c).map_elements(plain, return_dtype=pl.String).alias(c) for c in amounts
    ).rename({c: f"{c}_mio_dkk" for c in amounts})
    if fmt is Format.csv:
        sys.stdout.write(out.write_csv())
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(out.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN", tbl_width_chars=250):
            typer.echo(out)


class View(str, Enum):
    breakdown = "breakdown"
    summary = "summary"
    frames = "frames"
    expiring = "expiring"
    unfunded = "unfunded"


def _moment(as_of: str | None):
    try:
        return services.parse_moment(as_of)
    except ValueError as exc:
        raise typer.BadParameter(f"--as-of: '{as_of}' is not a date or an ISO date and time") from exc


def _actor(engine, user: str | None) -> access.Actor:
    try:
        return access.actor_named(engine, user)
    except access.Forbidden as exc:
        _fail(f"{exc}")


def _workspace(engine, user, as_of, price_level, scenario, since, until) -> negotiation.Workspace:
    actor, moment = _actor(engine, user), _moment(as_of)
    return _negotiate(
        lambda: negotiation.workspace_as(engine, actor, moment, price_level, scenario, since, until), price_level
    )


def _negotiate(work, price_level):
    """Run a workspace or brief call, turning its refusals into clear errors."""
    try:
        return work()
    except access.Forbidden as exc:
        _fail(f"{exc}")
    except scenarios.ScenarioNotFound as exc:
        raise typer.BadParameter(str(exc), param_hint="--scenario") from exc
    except PriceIndexError as exc:
        _fail(f"--price-level {price_level}: {exc}")
    except negotiation.ScenarioBroken as exc:
        _fail("\n".join(v.as_text() for v in exc.violations) + f"\n{exc.args[0].splitlines()[0]}")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _note_unconverted(ws: negotiation.Workspace) -> None:
    """Lines without a price level are flagged on standard error, never silently converted."""
    if ws.target is None:
        return
    lines = ws.unconverted_lines()
    if lines.height:
        ledger_ids = lines.filter(pl.col("side") == "ledger")["id"].to_list()
        extra = lines.height - len(ledger_ids)
        typer.echo(
            f"Note: {len(ledger_ids)} line(s) have no price level"
            + (f" (and {extra} line(s) of the scenario)" if extra else "")
            + f"; their amounts are as given, not converted to {ws.target}-pl (flagged as not_converted). "
            f"Lines: {', '.join(map(str, ledger_ids)) or 'none in the ledger'}.",
            err=True,
        )


@app.command()
def report(
    by: Annotated[str, typer.Option(help=f"Comma-separated dimensions: {', '.join(DIMENSIONS)}.")] = "year,agreement",
    kind: Annotated[Optional[list[str]], typer.Option(help="Kind to include (repeat); 'all' for every kind. Default: appropriation.")] = None,
    agreement: Annotated[Optional[list[str]], typer.Option(help="Only these agreement ids (repeat).")] = None,
    region: Annotated[Optional[list[str]], typer.Option(help="Only these region codes (repeat).")] = None,
    since: Annotated[Optional[int], typer.Option(help="First year (workspace views: default this year).")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year (permanent lines run to it). Default: this year + 3.")] = None,
    depth: Annotated[int, typer.Option(help="Initiative depth inside each agreement.")] = 1,
    view: Annotated[View, typer.Option("--view", help="breakdown (by --by), or a negotiators' workspace report: "
                                                       "summary, frames (Rammer), expiring (Udløber), unfunded (Ufinansieret).")] = View.breakdown,
    price_level: PriceLevelOption = None,
    scenario: ScenarioOption = None,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Amounts by year, agreement, initiative, region and kind; or a workspace report (--view).

    With --price-level every amount is converted to that year's price level; with --scenario the
    ledger and the scenario are shown side by side (_ledger, _scenario, _difference)."""
    dims = [d.strip() for d in by.split(",") if d.strip()]
    filters = Filters(kinds=_kinds(kind), agreements=agreement or None, regions=region or None,
                      year_from=since, until=until or default_horizon())
    if view is View.breakdown and price_level is None and scenario is None:
        ledger = _load(database, as_of, user)
        try:
            frame = breakdown(ledger, dims, filters, depth=depth, lang="da")
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        _emit(frame, format)
        return
    engine = _engine(database)
    ws = _workspace(engine, user, as_of, price_level, scenario,
                    since if view is not View.breakdown else None, until if view is not View.breakdown else None)
    try:
        if view is View.breakdown:
            frame = ws.breakdown(dims, filters, depth=depth, lang="da")
        else:
            frame = ws.compared(view.value) if ws.has_scenario else ws.view(view.value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    _emit(frame, format)
    _note_unconverted(ws)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX in the interchange format.")],
    author: Annotated[Optional[str], typer.Option(help="Who makes the change; default: the system user.")] = None,
    reason: Annotated[str, typer.Option(help="Why; kept in the journal.")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Import a file: all or nothing; every error is listed."""
    engine = _engine(database)
    actor = _actor(engine, user)
    try:
        plan = services.plan_import_as(engine, actor, file)
    except FormatError as exc:
        _fail(f"{file.name}: {exc}; nothing was written.")
    except access.Forbidden as exc:
        _fail(f"{exc}; nothing was written.")
    if plan.violations:
        for v in plan.violations:
            typer.echo(f"{file.name}: {v.as_text()}", err=True)
        _fail(f"{len(plan.violations)} error(s) in {file.name}; nothing was written.")
    summary = plan.changes.summary()["lines"]
    text = f"{summary['added']} new, {summary['changed']} changed, {summary['unchanged']} unchanged line(s)"
    if dry_run:
        typer.echo(f"Would import {text} (dry run; nothing was written).")
        return
    if (summary["changed"] or plan.changes.count("changed", "agreements") or plan.changes.count("changed", "initiatives")) \
            and not reason:
        _fail(f"{file.name} corrects existing figures ({text}); say why with --reason. Nothing was written.")
    try:
        # the journal names --author, else the signed-in user, else (no users yet) the system user
        who = author or (getpass.getuser() if actor.single_admin else actor.name)
        services.commit_as(engine, actor, plan.changes, action="import",
                           reason=reason or f"import of {file.name}", author=who)
    except (RuleViolations, store.Conflict, store.ReasonRequired, access.Forbidden) as exc:
        _fail(f"{exc}")
    typer.echo(f"Imported {text} from {file.name}.")


@app.command()
def export(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="CSV or XLSX (by suffix).")],
    as_of: AsOfOption = None,
    price_level: PriceLevelOption = None,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Export every allocation line in the interchange format.

    With --price-level, lines that have a price level are written converted to it (and say so in
    price_level); lines without one are written as they are and listed on standard error."""
    ledger = _load(database, as_of, user, for_reports=False)
    unconverted = None
    if price_level is not None:
        try:
            conversion = convert_ledger(ledger, load_index(_engine(database)), price_level)
        except PriceIndexError as exc:
            _fail(f"--price-level {price_level}: {exc}")
        ledger, unconverted = conversion.ledger, conversion.unconverted
    rows = write_interchange(ledger, file)
    typer.echo(f"Wrote {rows} line(s) to {file}.")
    if unconverted is not None and unconverted.height:
        typer.echo(f"Note: {unconverted.height} line(s) have no price level and were written as given, not in "
                   f"{price_level}-pl: lines {', '.join(map(str, unconverted['id'].to_list()))}.", err=True)


@app.command()
def journal(
    since: Annotated[Optional[str], typer.Option(help="Only entries from this date or ISO date and time on.")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Every change to the ledger: when, who, what and why (negotiators and up)."""
    try:
        moment = services.parse_moment(since, end_of_day=False)
    except ValueError as exc:
        raise typer.BadParameter(f"--since: '{since}' is not a date or an ISO date and time") from exc
    # full precision in files, so that any entry's time can be given back to --as-of
    stamp = "%Y-%m-%d %H:%M:%S %Z" if format is Format.table else "%Y-%m-%dT%H:%M:%S%.6f%:z"
    engine = _engine(database)
    try:
        entries = services.journal_for(engine, _actor(engine, user), since=moment)
    except access.Forbidden as exc:
        _fail(f"{exc}")
    entries = entries.with_columns(pl.col("at").dt.strftime(stamp))
    if format is Format.csv:
        sys.stdout.write(entries.write_csv())
    elif format is Format.json:
        sys.stdout.write(json.dumps(entries.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, fmt_str_lengths=80, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN", tbl_width_chars=250):
            typer.echo(entries)


# -- scenarios ---------------------------------------------------------------------------------

scenario_app = typer.Typer(help="Scenarios: named sets of proposals and changes that never touch the ledger.",
                           no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("list")
def scenario_list(format: Annotated[Format, typer.Option("--format")] = Format.table, database: DatabaseOption = None):
    """Every saved scenario."""
    found = scenarios.list_scenarios(_engine(database))
    frame = pl.DataFrame(
        [{"id": s.id, "name": s.name, "description": s.description, "created_by": s.created_by,
          "created_at": s.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"), "rows": scenarios.line_count(s)}
         for s in found],
        schema={"id": pl.String, "name": pl.String, "description": pl.String, "created_by": pl.String,
                "created_at": pl.String, "rows": pl.Int64},
    )
    if format is Format.table and frame.height == 0:
        typer.echo("No scenarios yet; make one with `tracker scenario create NAME --from FILE`.")
        return
    _emit(frame, format)


@scenario_app.command("create")
def scenario_create(
    name: Annotated[str, typer.Argument(help="The scenario's name; its id (used in links) is made from it.")],
    from_: Annotated[Path, typer.Option("--from", exists=True, dir_okay=False,
                                        help="CSV or XLSX in the interchange format: the scenario's proposals and changes.")],
    description: Annotated[str, typer.Option(help="What the scenario is about.")] = "",
    replace: Annotated[bool, typer.Option("--replace", help="Replace a scenario of the same name.")] = False,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Save a scenario: its rows are checked against the ledger like an import, but never written to it."""
    engine = _engine(database)
    try:
        saved = negotiation.save_scenario_as(engine, _actor(engine, user), name, from_, description=description,
                                             replace_existing=replace)
    except FormatError as exc:
        _fail(f"{from_.name}: {exc}; no scenario was saved.")
    except RuleViolations as exc:
        for v in exc.violations:
            typer.echo(f"{from_.name}: {v.as_text()}", err=True)
        _fail(f"{len(exc.violations)} error(s) in {from_.name}; no scenario was saved.")
    except (scenarios.ScenarioExists, ValueError, access.Forbidden) as exc:
        _fail(f"{exc}")
    typer.echo(f"Saved scenario '{saved.name}' (id {saved.id}, {scenarios.line_count(saved)} row(s)); the ledger is "
               f"unchanged. Show it with `tracker scenario show {saved.id}`.")


@scenario_app.command("show")
def scenario_show(
    name: Annotated[str, typer.Argument(help="The scenario's id or name.")],
    since: Annotated[Optional[int], typer.Option(help="First year. Default: this year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year. Default: this year + 3.")] = None,
    price_level: PriceLevelOption = None,
    as_of: AsOfOption = None,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """A scenario: what it changes, and its key figures per year beside the ledger's."""
    engine = _engine(database)
    ws = _workspace(engine, user, as_of, price_level, name, since, until)
    effects = ws.effects()
    totals = ws.compared("summary")
    if format is Format.json:
        def rows(frame):
            return [{k: (plain(v) if hasattr(v, "as_tuple") else v) for k, v in r.items()} for r in frame.to_dicts()]
        sys.stdout.write(json.dumps({
            "id": ws.scenario.id, "name": ws.scenario.name, "description": ws.scenario.description,
            "created_by": ws.scenario.created_by, "created_at": ws.scenario.created_at.isoformat(),
            "effects": rows(effects), "totals": rows(totals),
        }, ensure_ascii=False, indent=1) + "\n")
    elif format is Format.csv:
        _emit(totals, format)
    else:
        s = ws.scenario
        typer.echo(f"{s.name} (id {s.id}), by {s.created_by or '?'} at {s.created_at:%Y-%m-%d %H:%M} UTC")
        if s.description:
            typer.echo(s.description)
        typer.echo("\nWhat it changes:")
        _emit(effects, format)
        typer.echo(f"\nPer year, ledger and scenario ({ws.since}–{ws.until}):")
        long = pl.concat([
            totals.select("year", pl.lit(m).alias("measure"), pl.col(f"{m}_ledger").alias("ledger"),
                          pl.col(f"{m}_scenario").alias("scenario"), pl.col(f"{m}_difference").alias("difference"))
            for m in negotiation.workspace.SUMMARY_MEASURES
        ]).sort("year", maintain_order=True)
        _emit(long, format)
    _note_unconverted(ws)


# -- the price and wage index ------------------------------------------------------------------

prices_app = typer.Typer(help="The price and wage index (pris- og lønudvikling) used for price levels.",
                         no_args_is_help=True)
app.add_typer(prices_app, name="price-index")


@prices_app.command("list")
def price_index_list(format: Annotated[Format, typer.Option("--format")] = Format.table, database: DatabaseOption = None):
    """The rise per year, in per cent, with its source."""
    frame = store.load_price_index(_engine(database)).rename({"rise_pct": "rise_pct"})
    frame = frame.with_columns(pl.col("rise_pct").map_elements(plain, return_dtype=pl.String))
    if format is Format.csv:
        sys.stdout.write(frame.write_csv())
    elif format is Format.json:
        sys.stdout.write(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, fmt_str_lengths=80, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN", tbl_width_chars=250):
            typer.echo(frame)


@prices_app.command("set")
def price_index_set(
    year: Annotated[int, typer.Argument(help="The year the rise belongs to.")],
    percent: Annotated[str, typer.Argument(help="The rise in per cent: 2.8 or 2,8.")],
    source: Annotated[str, typer.Option(help="Where the figure comes from (required).")],
    note: Annotated[str, typer.Option(help="Why: required when correcting a year already in the index.")] = "",
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """Add or correct a year's rise (administrators); the journal keeps the value before."""
    from ledger.money import parse_amount

    value = parse_amount(percent)
    if value is None:
        raise typer.BadParameter(f"'{percent}' is not a percentage", param_hint="PERCENT")
    engine = _engine(database)
    try:
        result = negotiation.set_price_rise_as(engine, _actor(engine, user), year, value, source, note)
    except (ValueError, access.Forbidden) as exc:
        _fail(f"{exc}")
    before = result["price_index"]["before"]
    typer.echo(f"{year}: {plain(value)} % ({source})" + (f"; was {before['rise_pct']} %" if before else "; new year"))


# -- the brief ---------------------------------------------------------------------------------


@app.command()
def brief(
    out: Annotated[Path, typer.Argument(dir_okay=False, help="The workbook to write (.xlsx); the one-page summary "
                                                             "is written beside it with .html.")],
    as_of: AsOfOption = None,
    price_level: PriceLevelOption = None,
    scenario: ScenarioOption = None,
    since: Annotated[Optional[int], typer.Option(help="First year. Default: this year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year. Default: this year + 3.")] = None,
    confidential: Annotated[bool, typer.Option("--confidential/--public",
                                               help="Include confidential figures (the brief is then marked "
                                                    "FORTROLIG). Default: public figures only.")] = False,
    database: DatabaseOption = None,
    user: UserOption = None,
):
    """The negotiators' brief: an XLSX workbook (summary, frames, expiring money, unfunded costs,
    proposals and scenario, sources) and a printable one-page HTML summary."""
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"'{out.name}': the brief is an .xlsx workbook", param_hint="OUT")
    engine = _engine(database)
    actor = _actor(engine, user)
    moment = _moment(as_of)
    files = _negotiate(
        lambda: negotiation.brief_as(engine, actor, out, moment, price_level, scenario, since, until,
                                     confidential=confidential),
        price_level,
    )
    typer.echo(f"Wrote {files.xlsx} and {files.html}.")


app.add_typer(users_app, name="user")


def main() -> None:
    app()
