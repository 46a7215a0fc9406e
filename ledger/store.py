"""Storage: load the ledger (now or as of a time) and commit changes with a journal entry.

Every write goes through `commit`: it takes the write lock, checks that no one else changed
the same rows since they were read, validates the whole resulting ledger against
`ledger.rules`, and only then writes, all in one transaction. A refused write writes nothing.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl
import sqlalchemy as sa

from . import models
from .changes import TABLES, Changes, apply
from .frames import ROW, SCHEMAS, Ledger, conform
from .rules import RuleViolations, check

MODELS: dict[str, type] = {
    "sources": models.Source,
    "agreements": models.Agreement,
    "initiatives": models.Initiative,
    "lines": models.Line,
    "stated_totals": models.StatedTotal,
}


class ReasonRequired(ValueError):
    """Corrections and removals must say why."""


class Conflict(Exception):
    """Someone else changed or removed a row after it was read; nothing was written."""

    def __init__(self, conflicts: list[dict]):
        self.conflicts = conflicts
        lines = [
            f"{c['table']} {c['id']}: you edited version {c['expected']}, "
            + (
                f"but version {c['current']} was written by {c['author']} at {c['at']}"
                + (f" ({c['reason']})" if c.get("reason") else "")
                if c["current"]
                else f"but it was removed by {c['author']} at {c['at']}"
            )
            for c in conflicts
        ]
        super().__init__("conflicting change; nothing was written:\n" + "\n".join(lines))


@dataclass(frozen=True)
class Commit:
    journal_id: int | None
    summary: dict


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _select(table: str, as_of: datetime | None) -> sa.Select:
    model = MODELS[table]
    t = model.__table__
    columns = [t.c[c] for c in SCHEMAS[table] if c in t.c]
    if "amount" in t.c:  # exact text, whatever the dialect
        columns = [sa.cast(t.c.amount, sa.String).label("amount") if c.name == "amount" else c for c in columns]
    # in the order the rows were written: a snapshot made at a commit keeps the same order
    query = sa.select(*columns).order_by(t.c.row_id)
    if as_of is None:
        return query.where(t.c.superseded_at.is_(None))
    as_of = _as_utc(as_of)
    return query.where(
        t.c.recorded_at <= as_of,
        sa.or_(t.c.superseded_at.is_(None), t.c.superseded_at > as_of),
    )


def _frame(table: str, result: sa.CursorResult) -> pl.DataFrame:
    schema = {name: dtype for name, dtype in SCHEMAS[table].items()}
    names = list(result.keys())
    rows = result.fetchall()
    raw_schema = {n: (pl.String if n == "amount" else schema[n]) for n in names}
    frame = pl.DataFrame(rows, schema=raw_schema, orient="row")
    if "amount" in frame.columns:
        frame = frame.with_columns(pl.col("amount").str.to_decimal(scale=6))
    return conform(table, frame)


def load(
    connectable: sa.Engine | sa.Connection,
    as_of: datetime | None = None,
    include_confidential: bool = True,
) -> Ledger:
    """The ledger now, or as it stood at `as_of`."""
    return load_revision(connectable, as_of, include_confidential)[0]


def load_revision(
    connectable: sa.Engine | sa.Connection,
    as_of: datetime | None = None,
    include_confidential: bool = True,
) -> tuple[Ledger, int | None]:
    """The ledger now (or as it stood at `as_of`) and its revision: None where it is not known
    (a past ledger, or one that changed while it was read).

    The current ledger comes from its snapshot where there is one for its revision; else from
    its rows, and then, given an engine, a snapshot is made for the next reader."""
    if isinstance(connectable, sa.Engine):
        with connectable.connect() as connection:
            ledger, known, read = _load(connection, as_of)
        if read and known:  # (revision 0 is the empty ledger)
            keep_snapshot(connectable, known, _ledger_parts(ledger))
    else:
        ledger, known, read = _load(connectable, as_of)
    return (ledger if include_confidential else public_part(ledger)), known


LEDGER_PART = "ledger/"  # the snapshot parts of the ledger's own tables


def _load(connection: sa.Connection, as_of: datetime | None) -> tuple[Ledger, int | None, bool]:
    """The whole ledger, its revision, and whether it was read from the rows."""
    known = revision(connection) if as_of is None else None
    frames = None
    if known is not None:
        found = read_snapshot(connection, known, LEDGER_PART)
        if all(f"{LEDGER_PART}{t}" in found for t in TABLES):
            frames = {t: found[f"{LEDGER_PART}{t}"] for t in TABLES}
    read = frames is None
    if read:
        frames = {table: _frame(table, connection.execute(_select(table, as_of))) for table in TABLES}
        if known is not None and revision(connection) != known:
            known = None  # a write landed while the tables were read: which revision is unknown
    regions = models.Region.__table__
    frames["regions"] = conform(
        "regions",
        pl.DataFrame(
            connection.execute(sa.select(*[regions.c[c] for c in SCHEMAS["regions"]])).fetchall(),
            schema=SCHEMAS["regions"],
            orient="row",
        ),
    )
    return Ledger(**frames), known, read


# --- revisions and snapshots -----------------------------------------------------------------
#
# Reading a million lines row by row takes seconds; their Arrow snapshot a fraction of one. The
# ledger's revision is the newest journal entry that wrote or closed one of its rows (sign-ins
# and other journal entries leave it as it is), so a snapshot made of revision N is the ledger
# exactly as long as the revision is N. Snapshots are copies: any of them can be deleted.

SNAPSHOT_REVISIONS_KEPT = 2
# A commit keeps the snapshot of the ledger it leaves by reading back the rows it wrote: cheap
# for an edit or an ordinary import, seconds for a whole ledger, which the next read then makes
SNAPSHOT_AT_COMMIT_ROWS = 50_000


def revision(connection: sa.Connection) -> int:
    """The current ledger's revision (0 for an empty ledger)."""
    newest = []
    for table in TABLES:
        t = MODELS[table].__table__
        newest += [sa.select(sa.func.max(t.c.recorded_in).label("m")), sa.select(sa.func.max(t.c.superseded_in).label("m"))]
    each = sa.union_all(*newest).subquery()
    return int(connection.execute(sa.select(sa.func.max(each.c.m))).scalar() or 0)


def read_snapshot(connection: sa.Connection, revision: int, prefix: str) -> dict[str, pl.DataFrame]:
    """The parts of revision's snapshot whose names start with `prefix`, read in one query."""
    t = models.Snapshot.__table__
    rows = connection.execute(
        sa.select(t.c.part, t.c.data).where(t.c.revision == revision, t.c.part.startswith(prefix, autoescape=True))
    ).fetchall()
    return {part: pl.read_ipc(io.BytesIO(data)) for part, data in rows}


def keep_snapshot(engine: sa.Engine, revision: int, parts: dict[str, pl.DataFrame]) -> bool:
    """Keep these frames as parts of revision's snapshot, dropping snapshots of older
    revisions but the last few. A copy, so it gives way: False (and nothing kept) where another
    writer holds the database."""
    try:
        with engine.begin() as connection:
            _write_snapshot(connection, revision, parts)
    except (sa.exc.OperationalError, sa.exc.IntegrityError):
        return False
    return True


def _write_snapshot(connection: sa.Connection, revision: int, parts: dict[str, pl.DataFrame]) -> None:
    t = models.Snapshot.__table__
    rows = []
    for part, frame in parts.items():
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="zstd")
        rows.append({"revision": revision, "part": part, "made_at": utcnow(), "data": buffer.getvalue()})
    # a part made again (atoms to a later year) takes the place of the one before
    connection.execute(t.delete().where(t.c.revision == revision, t.c.part.in_(list(parts))))
    connection.execute(t.insert(), rows)
    kept = sa.select(t.c.revision).distinct().order_by(t.c.revision.desc()).limit(SNAPSHOT_REVISIONS_KEPT)
    connection.execute(t.delete().where(t.c.revision.not_in(kept.scalar_subquery())))


def _ledger_parts(ledger: Ledger) -> dict[str, pl.DataFrame]:
    return {f"{LEDGER_PART}{t}": getattr(ledger, t) for t in TABLES}


def _after(connection: sa.Connection, before: Ledger, changes: Changes, journal_id: int) -> Ledger:
    """The ledger as a read of its rows gives it once `changes` are written as `journal_id`:
    the rows before without those it closed, then the rows it wrote, read back (so in their
    written order, and in exactly the types a read gives)."""
    frames = {}
    for table in TABLES:
        frame = getattr(before, table)
        closed = [getattr(changes, kind)[table].select("id", "version")
                  for kind in ("changed", "removed") if table in getattr(changes, kind)]
        if closed:
            frame = frame.join(pl.concat(closed), on=["id", "version"], how="anti", maintain_order="left")
        t = MODELS[table].__table__
        written = _frame(table, connection.execute(_select(table, None).where(t.c.recorded_in == journal_id)))
        frames[table] = pl.concat([frame, written]) if written.height else frame
    return Ledger(regions=before.regions, **frames)


def public_part(ledger: Ledger) -> Ledger:
    """What someone without the right to confidential figures may see: confidential
    agreements with everything under them, and every confidential line or total, are gone."""
    agreements = ledger.agreements.filter(pl.col("classification") != "confidential")
    initiatives = ledger.initiatives.filter(pl.col("agreement_id").is_in(agreements["id"].implode()))
    lines = ledger.lines.filter(
        (pl.col("classification") != "confidential")
        & pl.col("initiative_id").is_in(initiatives["id"].implode())
    )
    stated = ledger.stated_totals.filter(
        (pl.col("classification") != "confidential")
        & (
            pl.col("agreement_id").is_in(agreements["id"].implode())
            | pl.col("initiative_id").is_in(initiatives["id"].implode())
        )
    )
    # a visible initiative whose parent is hidden is shown without the hidden parent
    initiatives = initiatives.with_columns(
        pl.when(pl.col("parent_id").is_in(initiatives["id"].implode()))
        .then(pl.col("parent_id"))
        .otherwise(None)
        .alias("parent_id")
    )
    return Ledger(
        regions=ledger.regions,
        sources=ledger.sources,
        agreements=agreements,
        initiatives=initiatives,
        lines=lines,
        stated_totals=stated,
    )


def _lock(connection: sa.Connection) -> None:
    """One ledger writer at a time, taken before anything is read, so that the version check
    and the rules spanning rows see the ledger the write will change."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(4711)"))
    elif connection.dialect.name == "sqlite":
        # a write takes SQLite's write lock now (waiting for any other writer), not later
        connection.execute(sa.text("UPDATE alembic_version SET version_num = version_num"))


def _versions_now(connection: sa.Connection, table: str, ids: list) -> dict:
    t = MODELS[table].__table__
    query = sa.select(t.c.id, t.c.version).where(t.c.superseded_at.is_(None), t.c.id.in_(ids))
    return dict(connection.execute(query).fetchall())


def _who_wrote(connection: sa.Connection, table: str, row_id, version: int | None) -> dict:
    t, j = MODELS[table].__table__, models.JournalEntry.__table__
    if version is None:  # removed: the entry that closed the last version
        link = t.c.superseded_in
        query = sa.select(j.c.author, j.c.at, j.c.reason).join(t, link == j.c.id).where(t.c.id == row_id)
        query = query.order_by(t.c.version.desc()).limit(1)
    else:
        query = sa.select(j.c.author, j.c.at, j.c.reason).join(t, t.c.recorded_in == j.c.id)
        query = query.where(t.c.id == row_id, t.c.version == version)
    found = connection.execute(query).first()
    return dict(found._mapping) if found else {"author": "?", "at": "?", "reason": ""}


def _check_versions(connection: sa.Connection, changes: Changes) -> None:
    conflicts = []
    for table in TABLES:
        expected = pl.concat(
            [getattr(changes, kind)[table].select("id", "version") for kind in ("changed", "removed") if table in getattr(changes, kind)]
            or [pl.DataFrame(schema={"id": SCHEMAS[table]["id"], "version": pl.Int64})]
        )
        if expected.height == 0:
            continue
        now = _versions_now(connection, table, expected["id"].to_list())
        for row_id, version in expected.iter_rows():
            if now.get(row_id) != version:
                current = now.get(row_id)
                conflicts.append(
                    {"table": table, "id": row_id, "expected": version, "current": current,
                     **_who_wrote(connection, table, row_id, current)}
                )
    if conflicts:
        raise Conflict(conflicts)


def _filled(frame: pl.DataFrame, table: str, model: type | None = None) -> pl.DataFrame:
    """The table's columns, with empty text where the column may not be null."""
    t = (model or MODELS[table]).__table__
    fill = [c for c, dtype in SCHEMAS[table].items() if dtype == pl.String and not t.c[c].nullable]
    return frame.select(list(SCHEMAS[table])).with_columns(pl.col(fill).fill_null(""))


def _records(frame: pl.DataFrame, table: str, model: type | None = None) -> list[dict]:
    """Rows ready to insert: empty text where the column may not be null."""
    return _filled(frame, table, model).to_dicts()


def _insert(connection: sa.Connection, table: str, frame: pl.DataFrame, stamp: dict) -> None:
    """Insert the rows in bulk, each value bound as its column's type binds it.

    At a million lines a Core insert spends most of the import binding values one by one in
    Python; here the amounts are turned into their exact text column-wise in polars, and the
    rows go to the driver at once: one executemany, or on PostgreSQL one COPY."""
    t = MODELS[table].__table__
    dialect = connection.dialect
    frame = _filled(frame, table)
    columns = [*frame.columns, *stamp]
    values = []
    for name in frame.columns:
        series = frame[name]
        column_type = t.c[name].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if isinstance(column_type, models.ExactDecimal) and _text_is_exact(series):
            # what ExactDecimal binds: the amount quantized to six decimals, as plain text
            values.append(series.cast(pl.String))
        elif process is not None:
            values.append(pl.Series(name, [process(v) for v in series.to_list()], strict=False))
        else:
            values.append(series)
    for name, value in stamp.items():
        process = t.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        values.append(pl.repeat(process(value) if process else value, frame.height, eager=True).alias(name))
    rows = pl.DataFrame(values).rows()
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if dialect.name == "postgresql":
        statement = f"COPY {quote(t.name)} ({names}) FROM STDIN"
        driver = connection.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except dialect.loaded_dbapi.Error as error:
            raise sa.exc.DBAPIError.instance(statement, None, error, dialect.loaded_dbapi.Error) from error
    else:
        marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {quote(t.name)} ({names}) VALUES ({marks})", rows)


def _text_is_exact(amounts: pl.Series) -> bool:
    """Whether polars' text of these amounts is what ExactDecimal makes of them (Python's
    decimal context holds 28 digits: beyond that ExactDecimal raises, and so should we)."""
    largest = amounts.abs().max()
    return largest is None or largest < 10**21


def commit(
    engine: sa.Engine,
    changes: Changes,
    author: str,
    action: str,
    reason: str = "",
    at: datetime | None = None,
) -> Commit:
    """Write the changes in one transaction, or raise and write nothing."""
    summary = changes.summary()
    if changes.is_empty():
        return Commit(None, summary)
    corrects = any(changes.count(kind, t) for kind in ("changed", "removed") for t in TABLES)
    if corrects and not reason.strip():
        raise ReasonRequired("a correction or removal needs a reason; nothing was written")
    at = _as_utc(at or utcnow())
    with engine.begin() as connection:
        _lock(connection)
        _check_versions(connection, changes)
        current = load(connection)
        proposed = apply(current, changes)
        violations = check(proposed)
        if violations:
            raise RuleViolations(violations)
        journal = models.JournalEntry.__table__
        journal_id = connection.execute(
            journal.insert().values(
                at=at, author=author, action=action, reason=reason, summary=json.dumps(summary)
            )
        ).inserted_primary_key[0]
        for table in TABLES:
            t = MODELS[table].__table__
            closing = [
                getattr(changes, kind)[table] for kind in ("changed", "removed") if table in getattr(changes, kind)
            ]
            for frame in closing:
                for row_id, version in frame.select("id", "version").iter_rows():
                    closed = connection.execute(
                        t.update()
                        .where(t.c.id == row_id, t.c.version == version, t.c.superseded_at.is_(None))
                        .values(superseded_at=at, superseded_in=journal_id)
                    )
                    if closed.rowcount != 1:  # a writer slipped in between check and update
                        raise Conflict([{"table": table, "id": row_id, "expected": version, "current": None,
                                         **_who_wrote(connection, table, row_id, None)}])
            new_rows = []
            if table in changes.added:
                new_rows.append(changes.added[table].with_columns(pl.lit(1, pl.Int64).alias("version")))
            if table in changes.changed:
                new_rows.append(changes.changed[table].with_columns(pl.col("version") + 1))
            if new_rows:
                frame = pl.concat([_filled(f, table) for f in new_rows])
                _insert(connection, table, frame, {"recorded_at": at, "recorded_in": journal_id})
        written = sum(getattr(changes, kind)[t].height for kind in ("added", "changed") for t in getattr(changes, kind))
        if written <= SNAPSHOT_AT_COMMIT_ROWS:
            _write_snapshot(connection, journal_id, _ledger_parts(_after(connection, current, changes, journal_id)))
        _pause_before_commit()
    return Commit(journal_id, summary)


def _pause_before_commit() -> None:
    """Fault injection for the test that kills a writer half-way: with
    TRACKER_PAUSE_BEFORE_COMMIT=seconds, say so on stderr and wait, everything written but
    not yet committed."""
    seconds = os.environ.get("TRACKER_PAUSE_BEFORE_COMMIT")
    if seconds:
        print("tracker: written, not committed", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def put_reference_data(
    engine: sa.Engine,
    regions: pl.DataFrame | None = None,
    keys: pl.DataFrame | None = None,
    price_index: pl.DataFrame | None = None,
) -> None:
    """Regions, distribution keys and price indices: written only where none exist yet."""
    with engine.begin() as connection:
        def empty(model) -> bool:
            return connection.execute(sa.select(sa.func.count()).select_from(model.__table__)).scalar() == 0

        if regions is not None and empty(models.Region):
            connection.execute(models.Region.__table__.insert(), _records(regions, "regions", models.Region))
        if keys is not None and empty(models.DistributionKey):
            heads = keys.group_by("key_id", maintain_order=True).agg(pl.col("name", "as_of", "source").first())
            connection.execute(
                models.DistributionKey.__table__.insert(),
                [{"id": k, "name": n, "as_of": a or "", "source": s or "", "note": ""} for k, n, a, s in heads.iter_rows()],
            )
            connection.execute(
                models.DistributionWeight.__table__.insert(),
                keys.select("key_id", "region", "weight").to_dicts(),
            )
        if price_index is not None and empty(models.PriceIndex):
            connection.execute(
                models.PriceIndex.__table__.insert(),
                price_index.select("year", "rise_pct", pl.col("source").fill_null(""), pl.col("note").fill_null("")).to_dicts(),
            )


def is_empty(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(models.Line.__table__)).scalar() == 0 and (
            connection.execute(sa.select(sa.func.count()).select_from(models.Agreement.__table__)).scalar() == 0
        )


def next_line_id(connectable: sa.Engine | sa.Connection) -> int:
    """The number for a new line: after every line ever written, removed ones too (their
    versions keep their numbers)."""
    t = models.Line.__table__
    with (connectable.connect() if isinstance(connectable, sa.Engine) else _same(connectable)) as connection:
        return int(connection.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0) + 1


def journal(engine: sa.Engine, since: datetime | None = None) -> pl.DataFrame:
    j = models.JournalEntry.__table__
    query = sa.select(j).order_by(j.c.id)
    if since is not None:
        query = query.where(j.c.at >= _as_utc(since))
    with engine.connect() as connection:
        rows = connection.execute(query).fetchall()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={"id": pl.Int64, "at": pl.Datetime("us", "UTC"), "author": pl.String, "action": pl.String,
                "reason": pl.String, "summary": pl.String, "on_behalf_of": pl.String},
        orient="row",
    )


def load_keys(connectable: sa.Engine | sa.Connection) -> pl.DataFrame:
    """Distribution keys: key_id, name, as_of, source, region, weight (exact decimal)."""
    k, w = models.DistributionKey.__table__, models.DistributionWeight.__table__
    query = sa.select(
        k.c.id.label("key_id"), k.c.name, k.c.as_of, k.c.source, w.c.region, sa.cast(w.c.weight, sa.String).label("weight")
    ).join(w, w.c.key_id == k.c.id).order_by(k.c.id, w.c.region)
    with (connectable.connect() if isinstance(connectable, sa.Engine) else _same(connectable)) as connection:
        rows = connection.execute(query).fetchall()
    schema = {"key_id": pl.String, "name": pl.String, "as_of": pl.String, "source": pl.String,
              "region": pl.String, "weight": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").with_columns(pl.col("weight").str.to_decimal(scale=6))


def load_price_index(connectable: sa.Engine | sa.Connection) -> pl.DataFrame:
    """The price and wage rise per year: year, rise_pct (exact decimal), source, note."""
    p = models.PriceIndex.__table__
    query = sa.select(p.c.year, sa.cast(p.c.rise_pct, sa.String).label("rise_pct"), p.c.source, p.c.note).order_by(p.c.year)
    with (connectable.connect() if isinstance(connectable, sa.Engine) else _same(connectable)) as connection:
        rows = connection.execute(query).fetchall()
    schema = {"year": pl.Int64, "rise_pct": pl.String, "source": pl.String, "note": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").with_columns(pl.col("rise_pct").str.to_decimal(scale=6))


class _same:
    """Use a connection the caller already holds, without closing it."""

    def __init__(self, connection: sa.Connection):
        self.connection = connection

    def __enter__(self) -> sa.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        return None


def history(connectable: sa.Engine | sa.Connection, table: str, ids: list) -> pl.DataFrame:
    """Every version of the given rows, oldest first, with who wrote it, when and why, and
    whether a later entry closed it (a correction when a next version follows, else a removal)."""
    t, j = MODELS[table].__table__, models.JournalEntry.__table__
    closed = j.alias("closed")
    values = [c for c in SCHEMAS[table] if c in t.c and c != "version"]
    columns = [sa.cast(t.c[c], sa.String).label(c) if c == "amount" else t.c[c] for c in values]
    query = (
        sa.select(
            *columns, t.c.version, t.c.recorded_at, j.c.author, j.c.action, j.c.reason,
            t.c.superseded_at, closed.c.author.label("closed_by"), closed.c.reason.label("closed_reason"),
        )
        .join(j, j.c.id == t.c.recorded_in)
        .outerjoin(closed, closed.c.id == t.c.superseded_in)
        .where(t.c.id.in_(list(ids)))
        .order_by(t.c.id, t.c.version)
    )
    with (connectable.connect() if isinstance(connectable, sa.Engine) else _same(connectable)) as connection:
        result = connection.execute(query)
        names = list(result.keys())
        rows = result.fetchall()
    schema = {n: SCHEMAS[table].get(n, pl.String) for n in names}
    schema.update({"amount": pl.String} if "amount" in schema else {})
    schema.update({"version": pl.Int64, "recorded_at": pl.Datetime("us", "UTC"), "superseded_at": pl.Datetime("us", "UTC")})
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    if "amount" in frame.columns:
        frame = frame.with_columns(pl.col("amount").str.to_decimal(scale=6))
    return frame
