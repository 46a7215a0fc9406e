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

from ledger import store
from ledger.assertions import check_totals
from ledger.domain import KIND_ALIASES, KINDS
from ledger.imports import plan_file
from ledger.money import plain
from ledger.readers import FormatError
from ledger.rules import RuleViolations, check
from ledger.writers import write_interchange

from . import services
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


def _engine(database: str | None):
    return services.open_ledger(database)


def _load(database: str | None, as_of: str | None = None):
    try:
        moment = services.parse_moment(as_of)
    except ValueError as exc:
        raise typer.BadParameter(f"--as-of: '{as_of}' is not a date or an ISO date and time") from exc
    return store.load(_engine(database), as_of=moment)


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
def validate(as_of: AsOfOption = None, database: DatabaseOption = None):
    """Check every rule and every stated total; exit 1 when a rule is broken."""
    ledger = _load(database, as_of)
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
    out = frame.rename({"amount": "amount_mio_dkk"}).with_columns(
        pl.col("amount_mio_dkk").map_elements(plain, return_dtype=pl.String)
    )
    if fmt is Format.csv:
        sys.stdout.write(out.write_csv())
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(out.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN", tbl_width_chars=250):
            typer.echo(out)


@app.command()
def report(
    by: Annotated[str, typer.Option(help=f"Comma-separated dimensions: {', '.join(DIMENSIONS)}.")] = "year,agreement",
    kind: Annotated[Optional[list[str]], typer.Option(help="Kind to include (repeat); 'all' for every kind. Default: appropriation.")] = None,
    agreement: Annotated[Optional[list[str]], typer.Option(help="Only these agreement ids (repeat).")] = None,
    region: Annotated[Optional[list[str]], typer.Option(help="Only these region codes (repeat).")] = None,
    since: Annotated[Optional[int], typer.Option(help="First year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year (permanent lines run to it). Default: this year + 3.")] = None,
    depth: Annotated[int, typer.Option(help="Initiative depth inside each agreement.")] = 1,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
):
    """Amounts by year, agreement, initiative, region and kind."""
    dims = [d.strip() for d in by.split(",") if d.strip()]
    filters = Filters(kinds=_kinds(kind), agreements=agreement or None, regions=region or None,
                      year_from=since, until=until or default_horizon())
    ledger = _load(database, as_of)
    try:
        frame = breakdown(ledger, dims, filters, depth=depth, lang="da")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    _emit(frame, format)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX in the interchange format.")],
    author: Annotated[Optional[str], typer.Option(help="Who makes the change; default: the system user.")] = None,
    reason: Annotated[str, typer.Option(help="Why; kept in the journal.")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    database: DatabaseOption = None,
):
    """Import a file: all or nothing; every error is listed."""
    engine = _engine(database)
    current = store.load(engine)
    try:
        plan = plan_file(current, file)
    except FormatError as exc:
        _fail(f"{file.name}: {exc}; nothing was written.")
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
        store.commit(engine, plan.changes, author=author or getpass.getuser(), action="import",
                     reason=reason or f"import of {file.name}")
    except (RuleViolations, store.Conflict, store.ReasonRequired) as exc:
        _fail(f"{exc}")
    typer.echo(f"Imported {text} from {file.name}.")


@app.command()
def export(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="CSV or XLSX (by suffix).")],
    as_of: AsOfOption = None,
    database: DatabaseOption = None,
):
    """Export every allocation line in the interchange format."""
    rows = write_interchange(_load(database, as_of), file)
    typer.echo(f"Wrote {rows} line(s) to {file}.")


@app.command()
def journal(
    since: Annotated[Optional[str], typer.Option(help="Only entries from this date or ISO date and time on.")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    database: DatabaseOption = None,
):
    """Every change to the ledger: when, who, what and why."""
    try:
        moment = services.parse_moment(since, end_of_day=False)
    except ValueError as exc:
        raise typer.BadParameter(f"--since: '{since}' is not a date or an ISO date and time") from exc
    # full precision in files, so that any entry's time can be given back to --as-of
    stamp = "%Y-%m-%d %H:%M:%S %Z" if format is Format.table else "%Y-%m-%dT%H:%M:%S%.6f%:z"
    entries = store.journal(_engine(database), since=moment).with_columns(pl.col("at").dt.strftime(stamp))
    if format is Format.csv:
        sys.stdout.write(entries.write_csv())
    elif format is Format.json:
        sys.stdout.write(json.dumps(entries.to_dicts(), ensure_ascii=False, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, fmt_str_lengths=80, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True, tbl_formatting="ASCII_MARKDOWN", tbl_width_chars=250):
            typer.echo(entries)


def main() -> None:
    app()
