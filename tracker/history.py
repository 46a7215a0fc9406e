"""History of the ledger as people read it: the journal, and the versions of a line, an
initiative or an agreement side by side.

Nothing in the ledger is updated in place (see docs/ledger.md): every version of a row is kept
with the journal entry that wrote it and the one that closed it. This module only reads: it
finds the rows an entry touched and the lines an initiative ever had, and shapes versions into
tables of text. A removal is shown as its reversal: the removed amount with the opposite sign.

Times are stored in UTC and shown in Danish time (Europe/Copenhagen); a date chosen in the app
("as of 1 June") means the end of that day in Danish time.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl
import sqlalchemy as sa

from ledger import store
from ledger.changes import TABLES, value_columns
from ledger.domain import CLASSIFICATIONS, KINDS, STATUSES, label
from ledger.frames import SCHEMAS, Ledger
from ledger.rules import FIELD_LABELS_DA, TABLE_LABELS
from tracker import formatting

try:
    LOCAL = ZoneInfo("Europe/Copenhagen")
except Exception:  # no time zone data on this machine: show UTC
    LOCAL = timezone.utc

# journal actions -> (Danish, English); unknown actions are shown as they are
ACTIONS: dict[str, tuple[str, str]] = {
    "init": ("opstart", "initial load"),
    "import": ("import", "import"),
    "add": ("tilføjet", "added"),
    "correct": ("rettet", "corrected"),
    "remove": ("fjernet", "removed"),
    "edit": ("ændret", "edited"),
    "price-index": ("prisindeks", "price index"),
    "sign-in": ("login", "sign-in"),
    "sign-in-refused": ("login afvist", "sign-in refused"),
    "refused": ("afvist", "refused"),
    "user-add": ("bruger oprettet", "user added"),
    "user-role": ("rolle ændret", "role changed"),
    "user-disable": ("bruger spærret", "user disabled"),
}
LEDGER_ACTIONS = ("init", "import", "add", "correct", "remove", "edit")

FIELD_LABELS_EN = {"source_id": "source", "parent_id": "parent initiative", "agreement_id": "agreement",
                   "initiative_id": "initiative", "year_from": "first year", "year_to": "last year",
                   "date_agreed": "date", "case_no": "case no.", "price_level": "price level", "url": "address"}
FIELD_LABELS_DA_MORE = {"parties": "parter", "note": "note", "recipient": "modtager", "channel": "kanal",
                        "case_no": "sagsnr.", "location": "sted i dokumentet", "url": "adresse", "per_year": "pr. år"}
TABLE_NAMES = {table: names for table, names in TABLE_LABELS.items()}


def action_label(action: str, lang: str = "da") -> str:
    names = ACTIONS.get(action)
    return action if names is None else names[0 if lang == "da" else 1]


def field_label(field: str, lang: str = "da") -> str:
    if lang == "da":
        text = FIELD_LABELS_DA_MORE.get(field) or FIELD_LABELS_DA.get(field, field)
    else:
        text = FIELD_LABELS_EN.get(field, field)
    return text[:1].upper() + text[1:]


def table_label(table: str, lang: str = "da") -> str:
    text = TABLE_NAMES.get(table, (table, table))[0 if lang != "da" else 1]
    return text[:1].upper() + text[1:]


# --- times ---------------------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL)


def moment_text(moment: datetime | None, lang: str = "da") -> str:
    """01.06.2025 kl. 14:02 (da) or 2025-06-01 14:02 (en), in Danish time."""
    if moment is None:
        return ""
    shown = local(moment)
    return shown.strftime("%d.%m.%Y kl. %H:%M") if lang == "da" else shown.strftime("%Y-%m-%d %H:%M")


def end_of_day(day: date) -> datetime:
    """The last moment of a day in Danish time, in UTC: "as it stood on the 1st of June"."""
    start = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
    return (start - timedelta(microseconds=1)).astimezone(timezone.utc)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(timezone.utc)


def local_day(moment: datetime) -> date:
    return local(moment).date()


# --- values as text --------------------------------------------------------------------------


def value_text(table: str, field: str, value, ledger: Ledger | None = None, lang: str = "da",
               year_from=None) -> str:
    """A stored value as the app shows it: amounts in the language's format, codes as labels,
    a line's empty last year as "varigt"."""
    if field == "amount":
        return formatting.number(value, lang)
    if table == "lines" and field == "year_to":
        if value is None:
            return "varigt" if lang == "da" else "permanent"
        return str(value)
    if value is None:
        return ""
    if field == "kind" and table in ("lines", "stated_totals"):
        return label(KINDS, value, lang)
    if field == "classification":
        return label(CLASSIFICATIONS, value, lang)
    if field == "status":
        return label(STATUSES, value, lang)
    if field == "region" and ledger is not None:
        names = dict(ledger.regions.select("code", "name").iter_rows())
        return names.get(value, value)
    if isinstance(value, bool):
        return ("ja" if value else "nej") if lang == "da" else ("yes" if value else "no")
    return str(value)


def line_label(row: dict, ledger: Ledger | None, lang: str = "da") -> str:
    """Linje 25: 2025, Hele landet, bevilling."""
    years = formatting.years(row.get("year_from"), row.get("year_to"), lang)
    region = value_text("lines", "region", row.get("region"), ledger, lang)
    kind = value_text("lines", "kind", row.get("kind"), ledger, lang)
    word = "Linje" if lang == "da" else "Line"
    return f"{word} {row.get('id')}: {years}, {region}, {kind}"


def subject_label(table: str, row: dict, ledger: Ledger | None, lang: str = "da") -> str:
    if table == "lines":
        return line_label(row, ledger, lang)
    title = row.get("title") or row.get("document") or ""
    if len(title) > 48:
        title = title[:47].rstrip() + "…"
    return f"{table_label(table, lang)} {row.get('id')}" + (f" «{title}»" if title else "")


# --- the journal ---------------------------------------------------------------------------


def summary_text(summary: str | None, lang: str = "da") -> str:
    """What an entry changed, in words: "3 nye, 1 rettet linje(r)"; access events: their detail."""
    try:
        counts = json.loads(summary or "{}")
    except json.JSONDecodeError:
        return summary or ""
    if not isinstance(counts, dict):
        return str(counts)
    if isinstance(counts.get("price_index"), dict):  # a year of the price index (tracker.prices)
        return price_index_change_text(counts["price_index"], lang)
    if not any(isinstance(v, dict) for v in counts.values()):  # an access event's detail
        return ", ".join(f"{k}: {v}" for k, v in counts.items())
    parts = []
    words = {"added": ("ny", "nye", "new", "new"), "changed": ("rettet", "rettede", "corrected", "corrected"),
             "removed": ("fjernet", "fjernede", "removed", "removed")}
    for table in TABLES:
        c = counts.get(table) or {}
        said = []
        for kind, (one, many, en_one, en_many) in words.items():
            n = int(c.get(kind) or 0)
            if n:
                said.append(f"{formatting.number(n, lang)} {(one if n == 1 else many) if lang == 'da' else en_one}")
        if said:
            name = TABLE_NAMES.get(table, (table, table))
            noun = {"lines": ("linje(r)", "line(s)"), "agreements": ("aftale(r)", "agreement(s)"),
                    "initiatives": ("initiativ(er)", "initiative(s)"), "sources": ("kilde(r)", "source(s)"),
                    "stated_totals": ("opgjort(e) total(er)", "stated total(s)")}.get(table, name)
            parts.append(", ".join(said) + " " + (noun[0] if lang == "da" else noun[1]))
    return "; ".join(parts)


def price_index_change_text(change: dict, lang: str = "da") -> str:
    """A change of the price index in words: "2025: 2,8 % → 2,9 %", or "2026: ny, 2,9 %"."""
    before, after = change.get("before"), change.get("after") or {}
    new = formatting.number(Decimal(after.get("rise_pct", "0")), lang) + " %"
    if before is None:
        return f"{change.get('year')}: {'ny' if lang == 'da' else 'new'}, {new}"
    return f"{change.get('year')}: {formatting.number(Decimal(before.get('rise_pct', '0')), lang)} % → {new}"


def filter_journal(
    journal: pl.DataFrame,
    first_day: date | None = None,
    last_day: date | None = None,
    authors: list[str] | None = None,
    actions: list[str] | None = None,
    text: str = "",
    as_of: datetime | None = None,
) -> pl.DataFrame:
    """The entries in the days chosen (Danish time, both days included), by the authors and
    of the actions chosen (none chosen: all), whose reason contains the text, newest first.
    With `as_of` only entries up to then."""
    out = journal
    if as_of is not None:
        out = out.filter(pl.col("at") <= as_of)
    if first_day is not None:
        out = out.filter(pl.col("at") >= start_of_day(first_day))
    if last_day is not None:
        out = out.filter(pl.col("at") <= end_of_day(last_day))
    if authors:
        out = out.filter(pl.col("author").is_in(list(authors)))
    if actions:
        out = out.filter(pl.col("action").is_in(list(actions)))
    if text.strip():
        out = out.filter(pl.col("reason").str.to_lowercase().str.contains(text.strip().lower(), literal=True))
    return out.sort("id", descending=True)


def journal_table(journal: pl.DataFrame, lang: str = "da") -> pl.DataFrame:
    """The entries as text, with Danish headers (English with `lang="en"`)."""
    h = _headers(lang)
    return pl.DataFrame(
        {
            h["no"]: journal["id"].to_list(),
            h["at"]: [moment_text(m, lang) for m in journal["at"].to_list()],
            h["who"]: journal["author"].to_list(),
            h["action"]: [action_label(a, lang) for a in journal["action"].to_list()],
            h["why"]: journal["reason"].to_list(),
            h["what"]: [summary_text(s, lang) for s in journal["summary"].to_list()],
        },
        schema={h["no"]: pl.Int64, h["at"]: pl.String, h["who"]: pl.String, h["action"]: pl.String,
                h["why"]: pl.String, h["what"]: pl.String},
    )


def _headers(lang: str) -> dict[str, str]:
    da = lang == "da"
    return {
        "no": "Nr." if da else "No.", "at": "Tidspunkt" if da else "Time", "who": "Hvem" if da else "Who",
        "action": "Handling" if da else "Action", "why": "Begrundelse" if da else "Reason",
        "what": "Ændringer" if da else "Changes", "subject": "Hvad" if da else "What",
        "change": "Ændring" if da else "Change", "field": "Felt" if da else "Field",
        "before": "Før" if da else "Before", "after": "Efter" if da else "After",
    }


# --- reading versions ----------------------------------------------------------------------

ENTRY_LIMIT = 500  # rows per table shown for one journal entry (an import may touch 100,000)


def _connect(engine: sa.Engine):
    return engine.connect()


def entry_versions(engine: sa.Engine, journal_id: int, limit: int = ENTRY_LIMIT) -> dict[str, tuple[pl.DataFrame, int]]:
    """The versions a journal entry closed and wrote, per table (at most `limit` rows each),
    with how many rows it touched in all."""
    out: dict[str, tuple[pl.DataFrame, int]] = {}
    with _connect(engine) as connection:
        for table in TABLES:
            t = store.MODELS[table].__table__
            touched = sa.or_(t.c.recorded_in == journal_id, t.c.superseded_in == journal_id)
            count = connection.execute(sa.select(sa.func.count(sa.distinct(t.c.id))).where(touched)).scalar() or 0
            if not count:
                continue
            ids = [r[0] for r in connection.execute(
                sa.select(t.c.id).where(touched).group_by(t.c.id).order_by(t.c.id).limit(limit))]
            roles = _versions_of_entry(connection, table, ids, journal_id)
            # in the history's order (id, version), whatever order the database gave the roles in
            versions = store.history(connection, table, ids).join(
                roles, on=["id", "version"], how="inner", maintain_order="left")
            out[table] = (versions, count)
    return out


def _versions_of_entry(connection, table: str, ids: list, journal_id: int) -> pl.DataFrame:
    """(id, version, role) of the versions the entry wrote ("after") or closed ("before")."""
    t = store.MODELS[table].__table__
    rows = connection.execute(
        sa.select(t.c.id, t.c.version, t.c.recorded_in, t.c.superseded_in).where(
            t.c.id.in_(ids), sa.or_(t.c.recorded_in == journal_id, t.c.superseded_in == journal_id))
    ).fetchall()
    return pl.DataFrame(
        [(r[0], r[1], "after" if r[2] == journal_id else "before") for r in rows],
        schema={"id": SCHEMAS[table]["id"], "version": pl.Int64, "role": pl.String}, orient="row",
    )


def entry_table(versions: dict[str, tuple[pl.DataFrame, int]], ledger: Ledger | None, lang: str = "da") -> pl.DataFrame:
    """What an entry changed, one row per changed field: what, field, before, after. A new row
    has nothing before; a removal is shown as its reversal (the amount with the opposite sign)."""
    h = _headers(lang)
    rows: list[tuple[str, str, str, str]] = []
    for table, (frame, _count) in versions.items():
        fields = [c for c in value_columns(table) if c in frame.columns]
        for row_id in frame["id"].unique(maintain_order=True).to_list():
            mine = frame.filter(pl.col("id") == row_id)
            before = mine.filter(pl.col("role") == "before").to_dicts()
            after = mine.filter(pl.col("role") == "after").to_dicts()
            old, new = (before[0] if before else None), (after[0] if after else None)
            subject = subject_label(table, new or old, ledger, lang)
            if old is None:
                for f in fields:
                    if new.get(f) not in (None, ""):
                        rows.append((subject, field_label(f, lang), "", value_text(table, f, new[f], ledger, lang)))
            elif new is None:
                removed = "fjernet" if lang == "da" else "removed"
                if table in ("lines", "stated_totals"):
                    rows.append((subject, field_label("amount", lang), value_text(table, "amount", old["amount"], ledger, lang),
                                 f"{removed}: {_reversal(old['amount'], lang)}"))
                else:
                    rows.append((subject, "", "", removed))
            else:
                for f in fields:
                    if old.get(f) != new.get(f):
                        rows.append((subject, field_label(f, lang), value_text(table, f, old.get(f), ledger, lang),
                                     value_text(table, f, new.get(f), ledger, lang)))
    return pl.DataFrame(rows, schema={h["subject"]: pl.String, h["field"]: pl.String, h["before"]: pl.String,
                                      h["after"]: pl.String}, orient="row")


def _reversal(amount, lang: str) -> str:
    return formatting.number(-Decimal(amount), lang) if amount is not None else ""


def ids_ever(engine: sa.Engine, table: str, column: str, values: list) -> list:
    """Ids of every row of `table` whose `column` was ever one of `values` (removed ones too)."""
    if not values:
        return []
    t = store.MODELS[table].__table__
    with _connect(engine) as connection:
        found = connection.execute(sa.select(t.c.id).where(t.c[column].in_(list(values))).distinct().order_by(t.c.id))
        return [r[0] for r in found]


def versions(engine: sa.Engine, table: str, ids: list, as_of: datetime | None = None) -> pl.DataFrame:
    """Every version of the rows (`ledger.store.history`), as they stood at `as_of`: later
    versions left out, and a version closed after then shown as still current."""
    frame = store.history(engine, table, list(ids)) if ids else store.history(engine, table, [])
    return at_time(frame, as_of)


def at_time(frame: pl.DataFrame, as_of: datetime | None) -> pl.DataFrame:
    if as_of is None or frame.height == 0:
        return frame
    open_then = pl.col("superseded_at").is_null() | (pl.col("superseded_at") > as_of)
    return frame.filter(pl.col("recorded_at") <= as_of).with_columns(
        pl.when(open_then).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("superseded_at", "closed_by", "closed_reason")
    )


# --- shaping versions ----------------------------------------------------------------------


def removed(frame: pl.DataFrame) -> pl.DataFrame:
    """The last version of each removed row: closed, with no version after it."""
    last = frame.sort("id", "version").group_by("id", maintain_order=True).last()
    return last.filter(pl.col("superseded_at").is_not_null())


def side_by_side(frame: pl.DataFrame, table: str, ledger: Ledger | None, lang: str = "da") -> tuple[pl.DataFrame, list[list[bool]]]:
    """The versions of one row as columns (oldest first), its fields as rows, headed by when,
    who, what and why; a removal adds a last column with the reversal. Also, per cell, whether
    it differs from the version before (to mark it)."""
    da = lang == "da"
    frame = frame.sort("version")
    fields = [c for c in value_columns(table) if c in frame.columns and c != "id"]
    heads = ["Skrevet" if da else "Written", "Af" if da else "By", "Handling" if da else "Action",
             "Begrundelse" if da else "Reason"]
    names = heads + [field_label(f, lang) for f in fields]
    columns: dict[str, list[str]] = {("Felt" if da else "Field"): names}
    marks: list[list[bool]] = [[False] * len(names)]
    previous = None
    for row in frame.iter_rows(named=True):
        cells = [moment_text(row["recorded_at"], lang), row["author"] or "", action_label(row["action"] or "", lang),
                 row["reason"] or ""]
        cells += [value_text(table, f, row[f], ledger, lang) for f in fields]
        changed = [False] * len(heads) + [previous is not None and row[f] != previous[f] for f in fields]
        columns[f"Version {row['version']}"] = cells
        marks.append(changed)
        previous = row
    if previous is not None and previous["superseded_at"] is not None:
        cells = [moment_text(previous["superseded_at"], lang), previous["closed_by"] or "",
                 "fjernet" if da else "removed", previous["closed_reason"] or ""]
        cells += [(_reversal(previous[f], lang) if f == "amount" else "") for f in fields]
        columns["Tilbageført" if da else "Reversed"] = cells
        marks.append([False] * len(heads) + [f == "amount" for f in fields])
    return pl.DataFrame(columns), [list(col) for col in zip(*marks)]


def events(frames: dict[str, pl.DataFrame], ledger: Ledger | None, lang: str = "da") -> pl.DataFrame:
    """Every change to the rows in `frames` (table -> versions), newest first: when, who, what
    action and why, which row, and what changed (new values, before → after, or the reversal
    of a removal)."""
    h = _headers(lang)
    da = lang == "da"
    rows = []
    for table, frame in frames.items():
        fields = [c for c in value_columns(table) if c in frame.columns]
        for _id, versions_ in frame.sort("id", "version").group_by("id", maintain_order=True):
            previous = None
            for row in versions_.iter_rows(named=True):
                subject = subject_label(table, row, ledger, lang)
                if previous is None:
                    if "amount" in row:
                        what = f"{'ny' if da else 'new'}: {formatting.money(row['amount'], lang)}"
                    else:
                        what = "oprettet" if da else "created"
                else:
                    what = "; ".join(
                        f"{field_label(f, lang).lower()}: {value_text(table, f, previous[f], ledger, lang) or '–'} → "
                        f"{value_text(table, f, row[f], ledger, lang) or '–'}"
                        for f in fields if row[f] != previous[f]
                    ) or ("ingen ændring" if da else "no change")
                rows.append((row["recorded_at"], row["author"], action_label(row["action"] or "", lang), row["reason"] or "",
                             subject, what))
                previous = row
            if previous is not None and previous["superseded_at"] is not None:
                what = ("fjernet – tilbageført " if da else "removed – reversed ") + (
                    formatting.money(-Decimal(previous["amount"]), lang) if previous.get("amount") is not None else "")
                rows.append((previous["superseded_at"], previous["closed_by"] or "", "fjernet" if da else "removed",
                             previous["closed_reason"] or "", subject_label(table, previous, ledger, lang), what.strip()))
    rows.sort(key=lambda r: r[0], reverse=True)
    return pl.DataFrame(
        [(moment_text(r[0], lang), *r[1:]) for r in rows],
        schema={h["at"]: pl.String, h["who"]: pl.String, h["action"]: pl.String, h["why"]: pl.String,
                h["subject"]: pl.String, h["change"]: pl.String},
        orient="row",
    )

